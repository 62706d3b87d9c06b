package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestOfficerEnrolsTwoFactor: an officer, whose role requires a second
// factor, logs in and is sent to set it up; adds the key to "an app" (the
// test computes the codes from the key shown on the page), gets recovery
// codes, reaches the overview, logs out, and logs in again with password
// and code. axe-core checks every page on the way.
func TestOfficerEnrolsTwoFactor(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, func(c *config.Config) { c.Require2FARoles = []role.Role{role.Officer, role.Admin} })
	if _, err := neighbourhood.Import(context.Background(), s.DB, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatalf("import CBS data: %v", err)
	}
	officerOf(t, s, "tweestaps@example.nl", "GM0344")
	tab := testkit.NewTab(t, testkit.Desktop)

	testkit.BrowserLogin(t, tab, s.URL, "tweestaps@example.nl")
	open(t, tab, s.URL+"/overzicht")
	if loc := location(t, tab); loc != mfa.SettingsPath {
		t.Fatalf("officer without a second factor reached %s", loc)
	}
	if !strings.Contains(bodyText(t, tab), "verplicht") {
		t.Error("the settings page does not say the second factor is required")
	}
	testkit.AssertAccessible(t, tab)

	click(t, tab, `main a[href="`+mfa.SetupPath+`"]`)
	var secret string
	if err := chromedp.Run(tab, chromedp.Text(`[data-testid="totp-secret"]`, &secret, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	secret = strings.ReplaceAll(strings.TrimSpace(secret), " ", "")
	var qrLoaded bool
	if err := chromedp.Run(tab, chromedp.Evaluate(`document.querySelector('main img').naturalWidth > 0`, &qrLoaded)); err != nil || !qrLoaded {
		t.Errorf("QR code image did not load (%v)", err)
	}
	testkit.AssertAccessible(t, tab)
	first, err := mfa.Code(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fill(t, tab, "code", first)
	click(t, tab, `main form button[type="submit"]`)
	var codes int
	if err := chromedp.Run(tab, chromedp.Evaluate(`document.querySelectorAll('[data-testid="recovery-codes"] li').length`, &codes)); err != nil {
		t.Fatal(err)
	}
	if codes != mfa.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown at %s:\n%s", codes, location(t, tab), bodyText(t, tab))
	}
	testkit.AssertAccessible(t, tab)

	if h1 := open(t, tab, s.URL+"/overzicht"); h1 != "Overzicht Utrecht" {
		t.Fatalf("overview after enrolment: h1 %q at %s", h1, location(t, tab))
	}
	open(t, tab, s.URL+mfa.SessionsPath)
	if !exists(t, tab, `[data-testid="this-session"]`) {
		t.Error("the sessions page does not mark this session")
	}
	testkit.AssertAccessible(t, tab)
	click(t, tab, `form[action="/uitloggen"] button`)

	open(t, tab, s.URL+"/inloggen")
	fill(t, tab, "email", "tweestaps@example.nl")
	fill(t, tab, "password", testkit.Password)
	click(t, tab, `main form button[type="submit"]`)
	if loc := location(t, tab); loc != mfa.SecondStepPath {
		t.Fatalf("after the password: at %s", loc)
	}
	testkit.AssertAccessible(t, tab)
	fill(t, tab, "code", "000000")
	click(t, tab, `main form button[type="submit"]`)
	if !strings.Contains(bodyText(t, tab), "Deze code klopt niet") {
		t.Fatal("a wrong code was not refused")
	}
	testkit.AssertAccessible(t, tab)
	next, err := mfa.Code(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	fill(t, tab, "code", next)
	click(t, tab, `main form button[type="submit"]`)
	if h1 := open(t, tab, s.URL+"/overzicht"); h1 != "Overzicht Utrecht" {
		t.Fatalf("overview after the second step: h1 %q at %s", h1, location(t, tab))
	}
}
