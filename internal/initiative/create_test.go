package initiative_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestCreateAndShow(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	id := create(t, c, nil)

	res := c.Get(path(id, ""))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("show: %d", res.StatusCode)
	}
	for _, want := range []string{
		"Moestuin Oudwijk", "Samen groente kweken", "Oudwijk", "Wittevrouwen", `href="/buurten/BU03440301"`,
		"Openbare ruimte &amp; groen", "Informele groep", "Een kruiwagen en schoppen", "Vrijwilligers",
		"moestuin@example.org", "Initiatief beheren", "Je initiatief staat op Buurtkracht", "aangemeld als idee",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("initiative page lacks %q", want)
		}
	}
	// The creator is the owner.
	if n := count(t, s, `SELECT count(*) FROM initiative_owners o JOIN accounts a ON a.id = o.account_id WHERE o.initiative_id = $1 AND a.email = 'anna@example.org'`, id); n != 1 {
		t.Errorf("owners = %d", n)
	}
	// Anonymous visitors see the public page without the contact details.
	anon := s.Client(t).Get(path(id, ""))
	if anon.StatusCode != http.StatusOK || strings.Contains(anon.Body, "moestuin@example.org") || strings.Contains(anon.Body, "Initiatief beheren") {
		t.Errorf("anonymous view: %d, leaks contact or management", anon.StatusCode)
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	f := validForm(formKey(t, c))
	first := c.PostForm("/initiatieven/nieuw", f)
	second := c.PostForm("/initiatieven/nieuw", f)
	if first.StatusCode != http.StatusSeeOther || second.StatusCode != http.StatusSeeOther {
		t.Fatalf("statuses %d, %d", first.StatusCode, second.StatusCode)
	}
	if first.Location() != second.Location() {
		t.Errorf("second submit went to %s, first to %s", second.Location(), first.Location())
	}
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 1 {
		t.Errorf("%d initiatives after a double submit", n)
	}
	// A fresh form (new token) with other content makes a second initiative.
	create(t, c, func(f url.Values) { f.Set("titel", "Moestuin Wittevrouwen") })
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 2 {
		t.Errorf("%d initiatives after a second form", n)
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	key := formKey(t, c)
	tests := []struct {
		name   string
		change func(url.Values)
		field  string
	}{
		{"empty title", func(f url.Values) { f.Set("titel", "  ") }, "titel"},
		{"title too long", func(f url.Values) { f.Set("titel", strings.Repeat("a", 121)) }, "titel"},
		{"NUL in title", func(f url.Values) { f.Set("titel", "moes\x00tuin") }, "titel"},
		{"empty summary", func(f url.Values) { f.Del("samenvatting") }, "samenvatting"},
		{"summary too long", func(f url.Values) { f.Set("samenvatting", strings.Repeat("b", 201)) }, "samenvatting"},
		{"description too long", func(f url.Values) { f.Set("beschrijving", strings.Repeat("c", 5001)) }, "beschrijving"},
		{"no neighbourhood", func(f url.Values) { f.Del("buurt") }, "buurt"},
		{"unknown neighbourhood", func(f url.Values) { f.Add("buurt", "BU99999999") }, "buurt"},
		{"neighbourhood of another municipality", func(f url.Values) { f.Set("buurt", "BU03630000") }, "buurt"},
		{"six neighbourhoods", func(f url.Values) {
			f["buurt"] = []string{"BU03440101", "BU03440102", "BU03440103", "BU03440301", "BU03440302", "BU03440303"}
		}, "buurt"},
		{"no theme", func(f url.Values) { f.Del("thema") }, "thema"},
		{"unknown theme", func(f url.Values) { f.Add("thema", "voetbal") }, "thema"},
		{"unknown form", func(f url.Values) { f.Set("vorm", "bv") }, "vorm"},
		{"no form", func(f url.Values) { f.Del("vorm") }, "vorm"},
		{"unknown status", func(f url.Values) { f.Set("status", "klaar") }, "status"},
		{"unknown need", func(f url.Values) { f.Add("behoefte", "liefde") }, "behoefte"},
		{"need text too long", func(f url.Values) { f.Set("behoefte_geld", strings.Repeat("d", 201)) }, "behoefte_geld"},
		{"unknown contact", func(f url.Values) { f.Set("contact", "duif") }, "contact"},
		{"phone without number", func(f url.Values) { f.Set("contact", "telefoon"); f.Del("contactgegevens") }, "contactgegevens"},
		{"unknown visibility", func(f url.Values) { f.Set("zichtbaarheid", "geheim") }, "zichtbaarheid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm(key)
			f.Set("samenvatting", "<script>alert(1)</script> blijft staan")
			tt.change(f)
			res := c.PostForm("/initiatieven/nieuw", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if fieldError(res.Body, tt.field) == "" {
				t.Errorf("no error next to %s; errors: %s", tt.field, errorsIn(res.Body))
			}
			if tt.field != "samenvatting" && !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt; blijft staan") {
				t.Error("input not kept (escaped) in the form shown again")
			}
			if strings.Contains(res.Body, "<script>alert(1)") {
				t.Error("script echoed unescaped")
			}
		})
	}
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 0 {
		t.Errorf("invalid forms stored %d initiatives", n)
	}
	// A bad or missing token, or an unknown municipality, is a bad request.
	for _, f := range []url.Values{validForm("nope"), validForm("")} {
		if res := c.PostForm("/initiatieven/nieuw", f); res.StatusCode != http.StatusBadRequest {
			t.Errorf("token %q: status %d", f.Get("sleutel"), res.StatusCode)
		}
	}
	f := validForm(key)
	f.Set("gemeente", "GM9999")
	if res := c.PostForm("/initiatieven/nieuw", f); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown municipality: status %d", res.StatusCode)
	}
}

func TestScriptIsEscaped(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	id := create(t, c, func(f url.Values) {
		f.Set("titel", `<script>alert("t")</script>`)
		f.Set("beschrijving", `<img src=x onerror=alert(1)>`)
	})
	for _, p := range []string{path(id, ""), "/initiatieven", "/api/v1/initiatives"} {
		body := s.Client(t).Get(p).Body
		if strings.Contains(body, `<script>alert("t")`) || strings.Contains(body, `<img src=x`) {
			t.Errorf("%s shows markup unescaped", p)
		}
	}
}

func TestChooseMunicipalityFirst(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	res := c.Get("/initiatieven/nieuw")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "In welke gemeente") || !strings.Contains(res.Body, `value="GM0363"`) {
		t.Fatalf("chooser: %d", res.StatusCode)
	}
	res = c.Get("/initiatieven/nieuw?gemeente=GM0363")
	if !strings.Contains(res.Body, "Kop Zeedijk") || strings.Contains(res.Body, "Oudwijk") {
		t.Error("form for Amsterdam does not list exactly Amsterdam's neighbourhoods")
	}
	if res := c.Get("/initiatieven/nieuw?gemeente=GM1234"); !strings.Contains(res.Body, "Kies een van de mogelijkheden") {
		t.Error("unknown municipality not reported")
	}
}

func TestCreateRoles(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	s.CreateUser(t, "bewoner@example.org")
	s.CreateUser(t, "werker@example.org", role.Worker)
	s.CreateUser(t, "beheer@example.org", role.Admin)
	officer(t, s, "gemeente@example.org", g.utrecht)
	tests := []struct {
		who  string
		want int
	}{
		{"", http.StatusSeeOther}, // to login
		{"bewoner@example.org", http.StatusOK},
		{"werker@example.org", http.StatusOK},
		{"gemeente@example.org", http.StatusForbidden},
		{"beheer@example.org", http.StatusForbidden},
	}
	for _, tt := range tests {
		c := s.Client(t)
		if tt.who != "" {
			c = s.Login(t, tt.who)
		}
		res := c.Get("/initiatieven/nieuw?gemeente=GM0344")
		if res.StatusCode != tt.want {
			t.Errorf("%q GET: %d, want %d", tt.who, res.StatusCode, tt.want)
		}
		if tt.want != http.StatusOK {
			if res := c.PostForm("/initiatieven/nieuw", validForm("3f1b2c3d-0000-4000-8000-000000000001")); res.StatusCode != tt.want {
				t.Errorf("%q POST: %d, want %d", tt.who, res.StatusCode, tt.want)
			}
		}
	}
	if res := s.Client(t).Get("/initiatieven/nieuw"); !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous goes to %q", res.Location())
	}
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 0 {
		t.Errorf("%d initiatives created by roles without access", n)
	}
}
