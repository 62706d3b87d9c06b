package account_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func sessionCookie(t *testing.T, s *testkit.Server, c *testkit.Client) string {
	t.Helper()
	u, _ := url.Parse(s.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "buurtkracht_sessie" {
			return ck.Value
		}
	}
	return ""
}

func sessionRows(t *testing.T, s *testkit.Server, token string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSessionTokenRenewedOnLoginAndLogout(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "fien@example.nl")
	c := s.Client(t)
	// An anonymous session first (the flash after a reset request).
	c.PostForm("/wachtwoord-vergeten", url.Values{"email": {"onbekend@example.nl"}})
	anon := sessionCookie(t, s, c)
	if anon == "" {
		t.Fatal("no anonymous session to start from")
	}
	if res := c.PostForm("/inloggen", url.Values{"email": {"fien@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	in := sessionCookie(t, s, c)
	if in == "" || in == anon {
		t.Fatal("session token not renewed on login")
	}
	if sessionRows(t, s, anon) != 0 {
		t.Error("pre-login session token still stored")
	}
	c.PostForm("/uitloggen", url.Values{})
	if sessionRows(t, s, in) != 0 {
		t.Error("logged-in session token still stored after logout")
	}
	// Replaying the old cookie does not log anyone in.
	replay := s.Client(t)
	u, _ := url.Parse(s.URL)
	replay.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "buurtkracht_sessie", Value: in}})
	if res := replay.Get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("old session cookie still works: %d", res.StatusCode)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "gijs@example.nl")
	here := s.Login(t, "gijs@example.nl")
	elsewhere := s.Login(t, "gijs@example.nl")
	before := sessionCookie(t, s, here)

	bad := []struct {
		name            string
		current, newPwd string
		field, msg      string
	}{
		{"empty current", "", "nieuwe lange zin hier", "current_password", "Vul je huidige wachtwoord in."},
		{"wrong current", "niet-het-wachtwoord", "nieuwe lange zin hier", "current_password", "Dit is niet je huidige wachtwoord."},
		{"empty new", testkit.Password, "", "new_password", "Vul een wachtwoord in."},
		{"short new", testkit.Password, "kort", "new_password", "minstens 10 tekens"},
		{"common new", testkit.Password, "welkom12345", "new_password", "komt veel voor"},
		{"same as current", testkit.Password, testkit.Password, "new_password", "ander wachtwoord dan je huidige"},
	}
	for _, tt := range bad {
		res := here.PostForm("/account/wachtwoord", url.Values{"current_password": {tt.current}, "new_password": {tt.newPwd}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.msg) {
			t.Errorf("%s: status %d, body lacks %q", tt.name, res.StatusCode, tt.msg)
		}
	}
	res := here.PostForm("/account/wachtwoord", url.Values{"current_password": {testkit.Password}, "new_password": {"nieuwe lange zin hier"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("change: %d %q", res.StatusCode, res.Location())
	}
	if after := sessionCookie(t, s, here); after == before || after == "" {
		t.Error("session token not renewed on password change")
	}
	if page := here.Get("/account"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Je wachtwoord is gewijzigd.") {
		t.Fatalf("this session ended by its own password change: %d", page.StatusCode)
	}
	if page := elsewhere.Get("/account"); page.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page.Location(), "/inloggen") {
		t.Fatalf("other session still valid after password change: %d", page.StatusCode)
	}
	// The new password works, the old one not.
	if r := s.Client(t).PostForm("/inloggen", url.Values{"email": {"gijs@example.nl"}, "password": {"nieuwe lange zin hier"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("login with new password: %d", r.StatusCode)
	}
	if r := s.Client(t).PostForm("/inloggen", url.Values{"email": {"gijs@example.nl"}, "password": {testkit.Password}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("login with old password: %d", r.StatusCode)
	}
}

func TestChangePasswordGuessingIsLimited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t) // 5 failures per account per 15 minutes
	s.CreateUser(t, "hans@example.nl")
	c := s.Login(t, "hans@example.nl")
	for range 5 {
		c.PostForm("/account/wachtwoord", url.Values{"current_password": {"gok-gok-gok"}, "new_password": {"nieuwe lange zin hier"}})
	}
	res := c.PostForm("/account/wachtwoord", url.Values{"current_password": {testkit.Password}, "new_password": {"nieuwe lange zin hier"}})
	assertLimited(t, res, 15*60, "Te veel pogingen met een verkeerd wachtwoord")
}

var linkRE = regexp.MustCompile(`http://localhost:8080/wachtwoord-herstellen\?token=([A-Za-z0-9_-]+)`)

// waitForMail waits for the n-th message; reset mails go out in the background.
func waitForMail(t *testing.T, s *testkit.Server, n int) mail.Message {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if msgs := s.Mail.Messages(); len(msgs) >= n {
			return msgs[n-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("mail %d not sent", n)
	return mail.Message{}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "ilse@example.nl")
	other := s.Login(t, "ilse@example.nl")
	c := s.Client(t)

	// Same answer for a known and an unknown address.
	known := c.PostForm("/wachtwoord-vergeten", url.Values{"email": {"ILSE@example.nl"}})
	unknown := s.Client(t).PostForm("/wachtwoord-vergeten", url.Values{"email": {"onbekend@example.nl"}})
	for _, res := range []testkit.Response{known, unknown} {
		if res.StatusCode != http.StatusSeeOther || res.Location() != "/wachtwoord-vergeten" {
			t.Fatalf("request: %d %q", res.StatusCode, res.Location())
		}
	}
	if page := c.Get("/wachtwoord-vergeten"); !strings.Contains(page.Body, "Als er een account bij dit e-mailadres hoort") {
		t.Fatal("confirmation not shown")
	}
	if bad := c.PostForm("/wachtwoord-vergeten", url.Values{"email": {"geen adres"}}); bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("invalid address: %d", bad.StatusCode)
	}

	msg := waitForMail(t, s, 1)
	if msg.To != "ilse@example.nl" || msg.Subject != "Nieuw wachtwoord voor Buurtkracht" {
		t.Fatalf("mail to %q subject %q", msg.To, msg.Subject)
	}
	m := linkRE.FindStringSubmatch(msg.Body)
	if m == nil {
		t.Fatalf("no reset link in %q", msg.Body)
	}
	token := m[1]
	time.Sleep(50 * time.Millisecond)
	if n := len(s.Mail.Messages()); n != 1 {
		t.Fatalf("%d mails sent, want 1 (none for the unknown address)", n)
	}
	// Only the hash is stored.
	var stored int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM password_resets WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, token).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("token hash stored %d times (%v)", stored, err)
	}

	for _, bad := range []string{"", "nonsens", token + "x"} {
		if res := c.Get("/wachtwoord-herstellen?token=" + url.QueryEscape(bad)); res.StatusCode != http.StatusGone || !strings.Contains(res.Body, "Deze link werkt niet meer") {
			t.Errorf("GET with token %q: %d", bad, res.StatusCode)
		}
		if res := c.PostForm("/wachtwoord-herstellen", url.Values{"token": {bad}, "password": {"heel nieuw wachtwoord"}}); res.StatusCode != http.StatusGone {
			t.Errorf("POST with token %q: %d", bad, res.StatusCode)
		}
	}

	form := c.Get("/wachtwoord-herstellen?token=" + token)
	if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, `name="token" value="`+token+`"`) {
		t.Fatalf("reset form: %d", form.StatusCode)
	}
	if res := c.PostForm("/wachtwoord-herstellen", url.Values{"token": {token}, "password": {"kort"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "minstens 10 tekens") {
		t.Fatalf("weak password: %d", res.StatusCode)
	}
	res := c.PostForm("/wachtwoord-herstellen", url.Values{"token": {token}, "password": {"heel nieuw wachtwoord"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/inloggen" {
		t.Fatalf("reset: %d %q", res.StatusCode, res.Location())
	}
	if page := c.Get("/inloggen"); !strings.Contains(page.Body, "Je nieuwe wachtwoord is ingesteld.") {
		t.Error("no confirmation on the login page")
	}
	// Single use.
	if again := c.PostForm("/wachtwoord-herstellen", url.Values{"token": {token}, "password": {"nog een ander wachtwoord"}}); again.StatusCode != http.StatusGone {
		t.Errorf("token used twice: %d", again.StatusCode)
	}
	// Every session ended; the new password works.
	if page := other.Get("/account"); page.StatusCode != http.StatusSeeOther {
		t.Errorf("session survived the reset: %d", page.StatusCode)
	}
	if r := s.Client(t).PostForm("/inloggen", url.Values{"email": {"ilse@example.nl"}, "password": {"heel nieuw wachtwoord"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("login with new password: %d", r.StatusCode)
	}
}

func TestPasswordResetExpires(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "jan@example.nl")
	c := s.Client(t)
	c.PostForm("/wachtwoord-vergeten", url.Values{"email": {"jan@example.nl"}})
	token := linkRE.FindStringSubmatch(waitForMail(t, s, 1).Body)[1]
	var minutes float64
	if err := s.DB.QueryRow(t.Context(), `SELECT extract(epoch FROM expires_at - created_at) / 60 FROM password_resets`).Scan(&minutes); err != nil || minutes < 59 || minutes > 61 {
		t.Fatalf("token valid for %.1f minutes (%v), want 60", minutes, err)
	}
	if _, err := s.DB.Exec(t.Context(), `UPDATE password_resets SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if res := c.Get("/wachtwoord-herstellen?token=" + token); res.StatusCode != http.StatusGone {
		t.Fatalf("expired token accepted: %d", res.StatusCode)
	}
	if res := c.PostForm("/wachtwoord-herstellen", url.Values{"token": {token}, "password": {"heel nieuw wachtwoord"}}); res.StatusCode != http.StatusGone {
		t.Fatalf("expired token used: %d", res.StatusCode)
	}
}

func TestPasswordResetRateLimits(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "kees@example.nl")
	c := s.Client(t)
	for range 5 {
		if res := c.PostForm("/wachtwoord-vergeten", url.Values{"email": {"kees@example.nl"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", res.StatusCode)
		}
	}
	waitForMail(t, s, 3)
	time.Sleep(200 * time.Millisecond)
	if n := len(s.Mail.Messages()); n != 3 {
		t.Fatalf("%d mails to one address, want at most 3 per hour", n)
	}

	limited := testkit.NewServer(t, func(c *config.Config) { c.RegisterLimitPerIP = 1 })
	lc := limited.Client(t)
	lc.PostForm("/wachtwoord-vergeten", url.Values{"email": {"a@example.nl"}})
	assertLimited(t, lc.PostForm("/wachtwoord-vergeten", url.Values{"email": {"b@example.nl"}}), 3600, "Te veel aanvragen vanaf dit internetadres")
}
