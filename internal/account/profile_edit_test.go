package account_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// A resident changes name and home neighbourhood on /account; bad input
// gives 422 with Dutch messages and the input kept; the change is audited
// (which fields, not their values); the header and /account follow.
func TestEditProfile(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	lombok := g.Neighbourhood("BU03440201", "Lombok-Oost")
	g.Neighbourhood("BU03440202", "Lombok-West")
	acc := s.CreateUser(t, "eva@example.nl")
	c := s.Login(t, "eva@example.nl")

	page := c.Get("/account")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="kies-je-buurt"`) || !strings.Contains(page.Body, `href="/account/profiel"`) {
		t.Fatalf("account page without a home neighbourhood lacks the prompt to choose one: %d", page.StatusCode)
	}
	if strings.Contains(page.Body, `data-testid="nav-buurten-BU03440201"`) {
		t.Fatal("header links to a neighbourhood before one was chosen")
	}
	form := c.Get("/account/profiel")
	if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, `value="eva"`) || !strings.Contains(form.Body, ">Lombok-Oost</option>") {
		t.Fatalf("profile form: %d\n%s", form.StatusCode, form.Body)
	}

	bad := []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"empty name", url.Values{"name": {"  "}, "buurt": {strconv.FormatInt(lombok, 10)}}, "name", "Vul je naam in."},
		{"name too long", url.Values{"name": {strings.Repeat("a", 101)}}, "name", "100"},
		{"unknown neighbourhood", url.Values{"name": {"Eva Nieuw"}, "buurt": {"999999"}}, "buurt", "Kies een buurt uit de lijst."},
		{"not a number", url.Values{"name": {"Eva Nieuw"}, "buurt": {"Lombok"}}, "buurt", "Kies een buurt uit de lijst."},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			res := c.PostForm("/account/profiel", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.msg) ||
				!strings.Contains(res.Body, `href="#veld-`+tc.field+`"`) {
				t.Fatalf("status %d, want 422 with %q at %s\n%s", res.StatusCode, tc.msg, tc.field, res.Body)
			}
			if n := tc.form.Get("name"); strings.TrimSpace(n) != "" && len(n) <= 100 && !strings.Contains(res.Body, `value="`+n+`"`) {
				t.Errorf("name %q not kept", n)
			}
		})
	}
	if n := ownAuditCount(t, s, acc.ID, "account.profile"); n != 0 {
		t.Fatalf("refused changes left %d audit entries", n)
	}

	res := c.PostForm("/account/profiel", url.Values{"name": {"Eva Nieuw"}, "buurt": {strconv.FormatInt(lombok, 10)}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("save: %d to %q\n%s", res.StatusCode, res.Location(), res.Body)
	}
	page = c.Get("/account")
	for _, want := range []string{"Je naam en buurt zijn bewaard.", "Eva Nieuw", `href="/buurten/BU03440201">Lombok-Oost`,
		`data-testid="nav-buurten-BU03440201"`, ">Mijn buurt</a>"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("account page after saving lacks %q", want)
		}
	}
	if strings.Contains(page.Body, `data-testid="kies-je-buurt"`) {
		t.Error("still asks to choose a neighbourhood")
	}
	var detail string
	if err := s.DB.QueryRow(t.Context(), `SELECT detail FROM audit_log WHERE action = 'account.profile' AND subject_id = $1`, acc.ID).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if detail != "naam en buurt gewijzigd" || strings.Contains(detail, "Eva") {
		t.Errorf("audit detail %q", detail)
	}
	// The form shows what is stored; saving it unchanged writes nothing.
	if form := c.Get("/account/profiel"); !strings.Contains(form.Body, `value="Eva Nieuw"`) || !strings.Contains(form.Body, `value="`+strconv.FormatInt(lombok, 10)+`" selected`) {
		t.Errorf("form does not show the stored values:\n%s", form.Body)
	}
	c.PostForm("/account/profiel", url.Values{"name": {"Eva Nieuw"}, "buurt": {strconv.FormatInt(lombok, 10)}})
	if n := ownAuditCount(t, s, acc.ID, "account.profile"); n != 1 {
		t.Errorf("%d audit entries after saving unchanged values, want 1", n)
	}
	// No neighbourhood any more.
	if res := c.PostForm("/account/profiel", url.Values{"name": {"Eva Nieuw"}, "buurt": {""}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clear neighbourhood: %d", res.StatusCode)
	}
	if page := c.Get("/account"); strings.Contains(page.Body, "nav-buurten-BU03440201") || !strings.Contains(page.Body, `data-testid="kies-je-buurt"`) {
		t.Error("after clearing the neighbourhood the header still links to it, or the prompt is gone")
	}
	if n := ownAuditCount(t, s, acc.ID, "account.profile"); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
}

func ownAuditCount(t *testing.T, s *testkit.Server, id int64, action string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`, action, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// After login a resident with a home neighbourhood lands on its page,
// unless a `volgende` was given; without one, or with a professional role,
// on /account. Logging in again while logged in goes the same way.
func TestLoginLanding(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	home := g.Neighbourhood("BU03440201", "Lombok-Oost")
	for _, email := range []string{"thuis@example.nl", "opbouw@example.nl"} {
		roles := []role.Role{}
		if email == "opbouw@example.nl" {
			roles = append(roles, role.Resident, role.Worker)
		}
		acc := s.CreateUser(t, email, roles...)
		if _, err := s.DB.Exec(t.Context(), `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = $1`, acc.ID, home); err != nil {
			t.Fatal(err)
		}
	}
	s.CreateUser(t, "dakloos@example.nl")

	tests := []struct {
		name, email, next, want string
	}{
		{"resident with home", "thuis@example.nl", "", "/buurten/BU03440201"},
		{"resident with home and next", "thuis@example.nl", "/initiatieven?thema=wonen", "/initiatieven?thema=wonen"},
		{"resident with home and unsafe next", "thuis@example.nl", "//evil.example/", "/buurten/BU03440201"},
		{"resident without home", "dakloos@example.nl", "", "/account"},
		{"worker with home", "opbouw@example.nl", "", "/account"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := s.Client(t)
			res := c.PostForm("/inloggen", url.Values{"email": {tc.email}, "password": {testkit.Password}, "volgende": {tc.next}})
			if res.StatusCode != http.StatusSeeOther || res.Location() != tc.want {
				t.Fatalf("login: %d to %q, want %q", res.StatusCode, res.Location(), tc.want)
			}
			if again := c.Get("/inloggen"); again.Location() != tc.want && tc.next == "" {
				t.Errorf("GET /inloggen when logged in: to %q, want %q", again.Location(), tc.want)
			}
		})
	}
}

// The registration form's promise: a new resident who chose a
// neighbourhood sees it first, once the confirmation link logs them in.
func TestConfirmLandsOnHome(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	home := testkit.NewGeo(t, s.DB).Neighbourhood("BU03440201", "Lombok-Oost")
	for _, tc := range []struct{ email, buurt, want string }{
		{"met@example.nl", strconv.FormatInt(home, 10), "/buurten/BU03440201"},
		{"zonder@example.nl", "", "/account"},
	} {
		c := s.Client(t)
		res := c.PostForm("/registreren", url.Values{"email": {tc.email}, "name": {"Nina"}, "password": {"paarse fiets op het dak"}, "buurt": {tc.buurt}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("register %s: %d", tc.email, res.StatusCode)
		}
		acc, err := account.NewStore(s.DB).ByEmail(t.Context(), tc.email)
		if err != nil {
			t.Fatal(err)
		}
		res = c.PostForm("/email-bevestigen", url.Values{"t": {confirmToken(t, s, acc)}})
		if res.StatusCode != http.StatusSeeOther || res.Location() != tc.want {
			t.Errorf("confirm %s: %d to %q, want %q", tc.email, res.StatusCode, res.Location(), tc.want)
		}
	}
}
