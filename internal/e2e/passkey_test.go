package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// passkeyTab opens a tab with a virtual authenticator (a platform
// authenticator with resident keys that verifies its user), and returns it
// with the server's address by name: an IP address cannot be a WebAuthn
// relying party, and http://localhost is a secure context.
func passkeyTab(t *testing.T, s *testkit.Server) (context.Context, string) {
	t.Helper()
	tab := testkit.NewTab(t, testkit.Desktop)
	err := chromedp.Run(tab, webauthn.Enable(), chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := webauthn.AddVirtualAuthenticator(&webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Transport: webauthn.AuthenticatorTransportInternal,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
		}).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatalf("virtual authenticator: %v", err)
	}
	return tab, strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
}

func addPasskey(t *testing.T, tab context.Context, base, name string) {
	t.Helper()
	open(t, tab, base+mfa.SettingsPath)
	fill(t, tab, "passkey_name", name)
	click(t, tab, `form[data-passkey="register"] button[type="submit"]`)
	if loc := location(t, tab); loc != mfa.SettingsPath {
		t.Fatalf("after adding a passkey at %s:\n%s", loc, bodyText(t, tab))
	}
	if text := bodyText(t, tab); !strings.Contains(text, "Je passkey is toegevoegd") || !strings.Contains(text, name) {
		t.Fatalf("passkey %q not listed after adding it:\n%s", name, text)
	}
	testkit.AssertAccessible(t, tab)
}

// TestResidentLogsInWithPasskey: a resident adds a passkey, logs out and
// logs in with it alone (user verified: no password, no second step).
func TestResidentLogsInWithPasskey(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "sleutel@example.nl")
	tab, base := passkeyTab(t, s)

	testkit.BrowserLogin(t, tab, base, "sleutel@example.nl")
	addPasskey(t, tab, base, "Laptop")
	click(t, tab, `form[action="/uitloggen"] button`)

	open(t, tab, base+"/inloggen")
	if exists(t, tab, `[data-passkey-nojs]:not([hidden])`) {
		t.Error("the login page says passkeys need JavaScript while it runs")
	}
	testkit.AssertAccessible(t, tab)
	click(t, tab, `[data-testid="passkey-login"]`)
	if loc := location(t, tab); loc != "/account" {
		t.Fatalf("passkey login ended at %s:\n%s", loc, bodyText(t, tab))
	}
	if !exists(t, tab, `form[action="/uitloggen"]`) {
		t.Fatal("not logged in after the passkey login")
	}
	var used int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM passkeys WHERE last_used_at IS NOT NULL`).Scan(&used); err != nil || used != 1 {
		t.Errorf("passkey use not recorded (%d, %v)", used, err)
	}
}

// TestOfficerUsesPasskeyAsSecondStep: an officer, whose role requires a
// second factor, enrols with a passkey instead of an app, and later uses it
// after the password.
func TestOfficerUsesPasskeyAsSecondStep(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, func(c *config.Config) { c.Require2FARoles = []role.Role{role.Officer, role.Admin} })
	s.CreateUser(t, "ambtenaar@example.nl", role.Officer)
	tab, base := passkeyTab(t, s)

	testkit.BrowserLogin(t, tab, base, "ambtenaar@example.nl")
	open(t, tab, base+"/account")
	if loc := location(t, tab); loc != mfa.SettingsPath {
		t.Fatalf("officer without a second factor reached %s", loc)
	}
	addPasskey(t, tab, base, "Werklaptop")
	if h1 := open(t, tab, base+"/account"); location(t, tab) != "/account" {
		t.Fatalf("a passkey does not count as enrolment: at %s (%s)", location(t, tab), h1)
	}
	click(t, tab, `form[action="/uitloggen"] button`)

	open(t, tab, base+"/inloggen")
	fill(t, tab, "email", "ambtenaar@example.nl")
	fill(t, tab, "password", testkit.Password)
	click(t, tab, `form[action="/inloggen"] button[type="submit"]`)
	if loc := location(t, tab); loc != mfa.SecondStepPath {
		t.Fatalf("password login with a passkey went to %s", loc)
	}
	testkit.AssertAccessible(t, tab)
	click(t, tab, `[data-testid="passkey-login"]`)
	if loc := location(t, tab); loc != "/account" {
		t.Fatalf("second step with the passkey ended at %s:\n%s", loc, bodyText(t, tab))
	}
	if !exists(t, tab, `form[action="/uitloggen"]`) {
		t.Fatal("not logged in after the second step")
	}
}
