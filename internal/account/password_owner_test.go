package account_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// A password that is the person's name or e-mail address (or the part
// before the @), in other capitals, spacing or punctuation, is refused on
// registration, on a password change and on a reset, next to the field.
func TestPasswordMustNotBeNameOrAddress(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	const email, name = "nina.devries@example.nl", "Nina van Jansen"
	const nameMsg, emailMsg = "Gebruik niet je naam als wachtwoord.", "Gebruik niet je e-mailadres als wachtwoord."
	hash, err := account.HashPassword(testkit.Password)
	if err != nil {
		t.Fatal(err)
	}
	store := account.NewStore(s.DB)
	acc, err := store.Create(ctx, account.NewAccount{Email: email, DisplayName: name, PasswordHash: hash, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	passwords := []struct{ password, msg string }{
		{"Nina van Jansen", nameMsg},
		{"nina-van-jansen!", nameMsg},
		{"NINAVANJANSEN", nameMsg},
		{"NINA.DEVRIES@EXAMPLE.NL", emailMsg},
		{" nina.devries@example.nl ", emailMsg},
		{"Nina.DeVries", emailMsg},
		{"nina devries", emailMsg}, // the part before the @, spaced
	}
	forms := []struct {
		name, path, field string
		form              func(password string) url.Values
		client            func(t testing.TB) *testkit.Client
	}{
		{"registration", "/registreren", "password", func(pw string) url.Values {
			// The form is checked before the address is looked up, the same
			// whether or not it has an account.
			return url.Values{"email": {email}, "name": {name}, "password": {pw}}
		}, s.Client},
		{"password change", "/account/wachtwoord", "new_password", func(pw string) url.Values {
			return url.Values{"current_password": {testkit.Password}, "new_password": {pw}}
		}, func(t testing.TB) *testkit.Client { return s.Login(t, email) }},
		{"password reset", "/wachtwoord-herstellen", "password", func(pw string) url.Values {
			link := "herstel-" + strconv.Itoa(len(pw)) + "-" + strings.ReplaceAll(url.QueryEscape(pw), "%", "_")
			sum := sha256.Sum256([]byte(link))
			if err := store.CreateReset(ctx, acc.ID, sum[:], time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			return url.Values{"token": {link}, "password": {pw}}
		}, s.Client},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			c := f.client(t)
			for _, p := range passwords {
				res := c.PostForm(f.path, f.form(p.password))
				if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, p.msg) {
					t.Errorf("password %q: status %d, want 422 with %q", p.password, res.StatusCode, p.msg)
					continue
				}
				if !strings.Contains(res.Body, `id="veld-`+f.field+`-fout"`) {
					t.Errorf("password %q: message not at field %s", p.password, f.field)
				}
			}
		})
	}
	// Nothing changed: the old password still logs in.
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {email}, "password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the old password: %d", res.StatusCode)
	}
}
