package initiative_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var reSummary = regexp.MustCompile(`<div class="[^"]*bk-error-summary[^"]*" role="alert" id="([^"]+)" tabindex="-1"`)

// summaries returns the ids of the error summaries on a page.
func summaries(body string) []string {
	var out []string
	for _, m := range reSummary.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestPageFormErrorsStayAtTheirForm: the initiative page has several small
// forms. A 422 of one shows its errors at that form only, in a summary that
// names and links each field, and the form posts to a URL ending in the
// summary's fragment, so the page opens there.
func TestPageFormErrorsStayAtTheirForm(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "cees@example.org")
	s.CreateUser(t, "beheer@example.org", role.Resident, role.Admin)
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)
	cees := s.Login(t, "cees@example.org")
	admin := s.Login(t, "beheer@example.org")

	tests := []struct {
		name     string
		c        *testkit.Client
		suffix   string
		form     url.Values
		summary  string   // id of the one summary on the page
		entry    string   // a summary entry: link and label
		notShown []string // errors of other forms that must not appear
	}{
		{"offer help", cees, "/aanbod", url.Values{"hulp_bericht": {"Ik kan helpen"}}, "fouten-hulp",
			`<a href="#veld-hulp"><span class="bk-error-summary__label">Waarmee kun je helpen?</span>: Kies waarmee je kunt helpen.</a>`, nil},
		{"report", admin, "/melden", url.Values{"melding": {""}}, "fouten-melding",
			`<a href="#veld-melding"><span class="bk-error-summary__label">Wat is er mis?</span>: Vul dit veld in.</a>`, []string{"veld-reden-fout"}},
		{"hide", admin, "/verbergen", url.Values{"reden": {""}}, "fouten-verbergen",
			`<a href="#veld-reden"><span class="bk-error-summary__label">Reden om te verbergen</span>: Vul dit veld in.</a>`, []string{"veld-melding-fout"}},
		{"status", anna, "/status", url.Values{"nieuwe_status": {"klaar"}}, "fouten-status",
			`<a href="#veld-nieuwe_status"><span class="bk-error-summary__label">Nieuwe status</span>:`, nil},
		{"update", anna, "/berichten", url.Values{"bericht_sleutel": {"0b8a3c1e-1111-4222-8333-444455556666"}}, "fouten-bericht",
			`<a href="#veld-bericht"><span class="bk-error-summary__label">Nieuw bericht</span>: Vul dit veld in.</a>`, nil},
		{"invite", anna, "/eigenaren", url.Values{"eigenaar_email": {"geen-adres"}}, "fouten-eigenaar",
			`<a href="#veld-eigenaar_email"><span class="bk-error-summary__label">E-mailadres van de nieuwe mede-eigenaar</span>:`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.c.PostForm(path(id, tt.suffix), tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if got := summaries(res.Body); len(got) != 1 || got[0] != tt.summary {
				t.Errorf("error summaries %v, want only %s", got, tt.summary)
			}
			if !strings.Contains(res.Body, tt.entry) {
				t.Errorf("summary lacks the entry %s", tt.entry)
			}
			if action := `action="` + path(id, tt.suffix) + `#` + tt.summary + `"`; !strings.Contains(res.Body, action) {
				t.Errorf("form lacks %s", action)
			}
			for _, other := range tt.notShown {
				if strings.Contains(res.Body, `id="`+other+`"`) {
					t.Errorf("another form shows an error: %s", other)
				}
			}
			if open := strings.Contains(res.Body, `<details class="bk-report" open`); open != (tt.name == "report") {
				t.Errorf("report form open: %v", open)
			}
		})
	}
}

// TestCreateFormSummaryNamesFields: the create form's summary names each
// field by its label and links to it.
func TestCreateFormSummaryNamesFields(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	f := validForm(formKey(t, c))
	f.Set("titel", "")
	f.Del("buurt")
	res := c.PostForm("/initiatieven/nieuw", f)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<a href="#veld-titel"><span class="bk-error-summary__label">Naam van het initiatief</span>: Vul dit veld in.</a>`,
		`<a href="#veld-buurt"><span class="bk-error-summary__label">Buurt of buurten</span>: Kies minstens één buurt.</a>`,
		`id="veld-titel"`, `id="veld-buurt"`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("422 page lacks %s", want)
		}
	}
	if got := summaries(res.Body); len(got) != 1 || got[0] != "fouten" {
		t.Errorf("summaries %v", got)
	}
}
