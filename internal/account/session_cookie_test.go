package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The session cookie ends with the browser unless the person ticks
// "ingelogd blijven"; over https it is a __Host- cookie. Login still starts
// a fresh session either way.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	plain := testkit.NewServer(t)
	plain.CreateUser(t, "fien@example.nl")
	secure := testkit.NewHTTPSServer(t)
	secure.CreateUser(t, "fien@example.nl")

	cases := []struct {
		name     string
		client   func(t testing.TB) *testkit.Client
		remember bool
		cookie   string // name
		secure   bool
	}{
		{"http, session only", plain.Client, false, "buurtkracht_sessie", false},
		{"http, stay logged in", plain.Client, true, "buurtkracht_sessie", false},
		{"https, session only", secure.Client, false, "__Host-buurtkracht_sessie", true},
		{"https, stay logged in", secure.Client, true, "__Host-buurtkracht_sessie", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.client(t)
			if page := c.Get("/inloggen"); !strings.Contains(page.Body, `name="onthouden"`) || !strings.Contains(page.Body, "Ingelogd blijven") {
				t.Fatal("login form lacks the 'ingelogd blijven' box")
			}
			// An anonymous session first (the notice after a reset request).
			anon := sessionSetCookie(t, c.PostForm("/wachtwoord-vergeten", url.Values{"email": {"onbekend@example.nl"}}), tc.cookie)
			form := url.Values{"email": {"fien@example.nl"}, "password": {testkit.Password}}
			if tc.remember {
				form.Set("onthouden", "ja")
			}
			res := c.PostForm("/inloggen", form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d", res.StatusCode)
			}
			ck := sessionSetCookie(t, res, tc.cookie)
			if ck.Value == "" || ck.Value == anon.Value {
				t.Error("session token not renewed on login")
			}
			persistent := ck.MaxAge > 0 || !ck.Expires.IsZero()
			if persistent != tc.remember {
				t.Errorf("Max-Age %d, Expires %v: persistent %v, want %v", ck.MaxAge, ck.Expires, persistent, tc.remember)
			}
			if ck.Secure != tc.secure || ck.Path != "/" || ck.Domain != "" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie attributes: %s", ck)
			}
			// A login without the box in a session that had it (the
			// session's data outlives the renewed token) is a session
			// cookie again.
			if tc.remember {
				res := c.PostForm("/inloggen", url.Values{"email": {"fien@example.nl"}, "password": {testkit.Password}})
				if ck := sessionSetCookie(t, res, tc.cookie); ck.MaxAge > 0 || !ck.Expires.IsZero() {
					t.Errorf("login without the box after one with it: persistent cookie %s", ck)
				}
			}
		})
	}
}

// sessionSetCookie returns the session cookie res sets, by name.
func sessionSetCookie(t *testing.T, res testkit.Response, name string) *http.Cookie {
	t.Helper()
	for _, line := range res.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", line, err)
		}
		if ck.Name == name {
			return ck
		}
	}
	t.Fatalf("no %s cookie set (%d, Set-Cookie %q)", name, res.StatusCode, res.Header.Values("Set-Cookie"))
	return nil
}
