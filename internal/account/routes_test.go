package account_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestAccountRoutesPerRole sends every route of this feature as each role
// (and anonymously) and checks the status: the role rules in routes.go.
func TestAccountRoutesPerRole(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	target := s.CreateUser(t, "doel@example.nl")
	s.CreateUser(t, "bewoner@example.nl")
	s.CreateUser(t, "werker@example.nl", role.Worker)
	s.CreateUser(t, "ambtenaar@example.nl", role.Officer)
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	clients := map[string]*testkit.Client{
		"anonymous": s.Client(t),
		"resident":  s.Login(t, "bewoner@example.nl"),
		"worker":    s.Login(t, "werker@example.nl"),
		"officer":   s.Login(t, "ambtenaar@example.nl"),
		"admin":     s.Login(t, "beheer@example.nl"),
	}
	order := []string{"anonymous", "resident", "worker", "officer", "admin"}
	const (
		login = -1 // 303 to /inloggen
		home  = -2 // 303 to /account
	)
	target_ := "/beheer/accounts/" + strconv.FormatInt(target.ID, 10)
	routes := []struct {
		method, path string
		want         [5]int // anonymous, resident, worker, officer, admin
	}{
		{"GET", "/inloggen", [5]int{200, home, home, home, home}},
		{"GET", "/registreren", [5]int{200, home, home, home, home}},
		{"POST", "/registreren", [5]int{422, home, home, home, home}},
		{"GET", "/registreren/verstuurd", [5]int{200, 200, 200, 200, 200}},
		{"GET", "/wachtwoord-vergeten", [5]int{200, 200, 200, 200, 200}},
		{"POST", "/wachtwoord-vergeten", [5]int{422, 422, 422, 422, 422}},
		{"GET", "/wachtwoord-herstellen", [5]int{410, 410, 410, 410, 410}},
		{"POST", "/wachtwoord-herstellen", [5]int{410, 410, 410, 410, 410}},
		{"GET", "/account", [5]int{login, 200, 200, 200, 200}},
		{"GET", "/account/wachtwoord", [5]int{login, 200, 200, 200, 200}},
		{"POST", "/account/wachtwoord", [5]int{login, 422, 422, 422, 422}},
		{"GET", "/beheer", [5]int{login, 403, 403, 403, 200}},
		{"GET", "/beheer/accounts", [5]int{login, 403, 403, 403, 200}},
		{"GET", target_, [5]int{login, 403, 403, 403, 200}},
		{"GET", "/beheer/accounts/999999", [5]int{login, 403, 403, 403, 404}},
		{"POST", target_ + "/rollen", [5]int{login, 403, 403, 403, 303}},
		{"GET", "/beheer/organisaties", [5]int{login, 403, 403, 403, 200}},
		{"POST", "/beheer/organisaties", [5]int{login, 403, 403, 403, 422}},
		{"GET", "/beheer/audit", [5]int{login, 403, 403, 403, 200}},
	}
	for _, rt := range routes {
		for i, role := range order {
			c := clients[role]
			var res testkit.Response
			if rt.method == "GET" {
				res = c.Get(rt.path)
			} else {
				res = c.PostForm(rt.path, url.Values{})
			}
			want := rt.want[i]
			switch want {
			case login:
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
					t.Errorf("%s %s as %s: %d to %q, want 303 to /inloggen", rt.method, rt.path, role, res.StatusCode, res.Location())
				}
			case home:
				if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
					t.Errorf("%s %s as %s: %d to %q, want 303 to /account", rt.method, rt.path, role, res.StatusCode, res.Location())
				}
			default:
				if res.StatusCode != want {
					t.Errorf("%s %s as %s: %d, want %d", rt.method, rt.path, role, res.StatusCode, want)
				}
			}
		}
	}
}

func TestNavigationPerRole(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "bewoner@example.nl")
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	tests := []struct {
		client    *testkit.Client
		want, not []string
	}{
		{s.Client(t), []string{`href="/inloggen"`, `href="/registreren"`, `href="/buurten"`}, []string{`href="/account"`, `href="/beheer"`}},
		{s.Login(t, "bewoner@example.nl"), []string{`href="/account"`, `href="/buurten"`}, []string{`href="/registreren"`, `href="/beheer"`}},
		{s.Login(t, "beheer@example.nl"), []string{`href="/account"`, `href="/beheer"`}, []string{`href="/registreren"`}},
	}
	for i, tt := range tests {
		body := tt.client.Get("/over").Body
		_, nav, ok := strings.Cut(body, `aria-label="Hoofdmenu"`)
		nav, _, ok2 := strings.Cut(nav, "</nav>")
		if !ok || !ok2 {
			t.Fatalf("%d: no main menu", i)
		}
		for _, w := range tt.want {
			if !strings.Contains(nav, w) {
				t.Errorf("case %d: navigation lacks %s", i, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(nav, n) {
				t.Errorf("case %d: navigation shows %s", i, n)
			}
		}
	}
}
