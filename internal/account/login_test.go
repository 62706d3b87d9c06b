package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestLoginLogout(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "anna@example.nl")

	t.Run("wrong password and unknown address get the same message", func(t *testing.T) {
		c := s.Client(t)
		wrong := c.PostForm("/inloggen", url.Values{"email": {"anna@example.nl"}, "password": {"verkeerd-wachtwoord"}})
		unknown := c.PostForm("/inloggen", url.Values{"email": {"niemand@example.nl"}, "password": {"verkeerd-wachtwoord"}})
		for _, res := range []testkit.Response{wrong, unknown} {
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "horen niet bij elkaar") {
				t.Fatalf("status %d", res.StatusCode)
			}
		}
		if !strings.Contains(wrong.Body, `value="anna@example.nl"`) {
			t.Error("e-mail address not kept in the form")
		}
	})

	t.Run("empty fields", func(t *testing.T) {
		res := s.Client(t).PostForm("/inloggen", url.Values{})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Vul je e-mailadres in.") || !strings.Contains(res.Body, "Vul je wachtwoord in.") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("login renews the session token, logout ends the session", func(t *testing.T) {
		c := s.Client(t)
		c.Get("/inloggen")
		res := c.PostForm("/inloggen", url.Values{"email": {"ANNA@example.nl"}, "password": {testkit.Password}, "volgende": {"//evil.example/"}})
		if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
			t.Fatalf("login: %d to %q (open redirect must fall back to /account)", res.StatusCode, res.Location())
		}
		cookie := res.Header.Get("Set-Cookie")
		if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
			t.Errorf("session cookie flags: %s", cookie)
		}
		home := c.Get("/")
		if !strings.Contains(home.Body, "Ingelogd als </span>anna") {
			t.Fatal("home page does not show the logged-in user")
		}
		out := c.PostForm("/uitloggen", url.Values{})
		if out.StatusCode != http.StatusSeeOther || out.Location() != "/" {
			t.Fatalf("logout: %d %q", out.StatusCode, out.Location())
		}
		if strings.Contains(c.Get("/").Body, "Ingelogd als") {
			t.Fatal("still logged in after logout")
		}
	})
}
