package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// newServerWithCBS starts the platform with the embedded CBS data imported,
// so there are neighbourhoods to find and maps to draw.
func newServerWithCBS(t *testing.T) *testkit.Server {
	t.Helper()
	s := testkit.NewServer(t)
	if _, err := neighbourhood.Import(context.Background(), s.DB, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatalf("import CBS data: %v", err)
	}
	return s
}

// TestPublicPagesAccessible opens every page an anonymous visitor of the
// foundation can reach, at both sizes, and has axe-core check each one.
func TestPublicPagesAccessible(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	pages := []struct{ path, h1 string }{
		{"/", ""},
		{"/over", ""},
		{"/inloggen", "Inloggen"},
		{"/registreren", ""},
		{"/wachtwoord-vergeten", ""},
		{"/wachtwoord-herstellen?token=ongeldig", ""},
		{"/email-bevestigen?t=ongeldig", "Deze link werkt niet"},
		{"/buurten", "Buurten"},
		{"/buurten?gemeente=GM0344", "Buurten in Utrecht"},
		{"/buurten?q=oog+in", "Buurten"},
		{"/buurten/BU03440112", "Oog in Al"},
		{"/bestaat-niet", "Pagina niet gevonden"},
		{"/buurten/BU99999999", "Pagina niet gevonden"},
	}
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			for _, p := range pages {
				h1 := open(t, ctx, s.URL+p.path)
				if h1 == "" || (p.h1 != "" && h1 != p.h1) {
					t.Errorf("%s: h1 %q, want %q", p.path, h1, p.h1)
				}
				testkit.AssertAccessible(t, ctx)
			}
		})
	}
}

// confirmLink waits for the confirmation mail to email (the job queue must
// run) and returns its link on s.
func confirmLink(t *testing.T, s *testkit.Server, email string) string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, m := range s.Mail.Messages() {
			if link := confirmLinkRE.FindString(m.Body); m.To == email && link != "" {
				return s.URL + strings.TrimPrefix(link, s.Cfg.BaseURL)
			}
		}
	}
	t.Fatalf("no confirmation mail to %s", email)
	return ""
}

var confirmLinkRE = regexp.MustCompile(`http://localhost:8080/email-bevestigen\?t=[A-Za-z0-9_.-]+`)

// TestResidentJourney is the foundation's browser test: a new resident
// registers, is asked to check the mail, follows the link in it (which logs
// this browser in), posts, logs out, logs in again, finds a neighbourhood
// and sees its map, at phone and desktop size, with every page (also a form
// with errors) passing axe-core.
func TestResidentJourney(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	// The confirmation mail goes through the job queue into s.Mail.
	if err := s.App.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			email := fmt.Sprintf("nieuw-%s@example.nl", v)

			// Register; first with errors, which must be accessible too.
			open(t, ctx, s.URL+"/registreren")
			click(t, ctx, `main form button[type="submit"]`)
			if !exists(t, ctx, "#veld-email[aria-invalid='true'], .utrecht-form-field-error-message") {
				t.Fatalf("empty registration shows no field errors:\n%s", bodyText(t, ctx))
			}
			testkit.AssertAccessible(t, ctx)
			fill(t, ctx, "email", email)
			fill(t, ctx, "name", "Sanne "+v.String())
			fill(t, ctx, "password", testkit.Password)
			click(t, ctx, `main form button[type="submit"]`)
			// The same page whether or not the address had an account:
			// check your e-mail; nobody is logged in yet.
			if got := location(t, ctx); got != "/registreren/verstuurd" {
				t.Fatalf("after registering: at %s, want /registreren/verstuurd\n%s", got, bodyText(t, ctx))
			}
			if h1 := heading(t, ctx); h1 != "Kijk in je e-mail" || !strings.Contains(bodyText(t, ctx), email) {
				t.Errorf("after registering: h1 %q, or the page does not name %s", h1, email)
			}
			testkit.AssertAccessible(t, ctx)

			// Follow the link in the mail, in this browser, as the person would:
			// confirming logs the new account in.
			if h1 := open(t, ctx, confirmLink(t, s, email)); h1 != "E-mailadres bevestigen" {
				t.Fatalf("confirmation link: h1 %q", h1)
			}
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `main form[action="/email-bevestigen"] button[type="submit"]`)
			if got := location(t, ctx); got != "/account" {
				t.Fatalf("after confirming: at %s, want /account\n%s", got, bodyText(t, ctx))
			}
			if text := bodyText(t, ctx); !strings.Contains(text, "Je e-mailadres is bevestigd en je bent ingelogd.") || !strings.Contains(text, email) {
				t.Errorf("account page after confirming:\n%s", text)
			}
			testkit.AssertAccessible(t, ctx)
			if h1 := open(t, ctx, s.URL+"/initiatieven/nieuw"); h1 != "Initiatief aanmelden" {
				t.Errorf("confirmed on /initiatieven/nieuw: h1 %q", h1)
			}

			open(t, ctx, s.URL+"/account/wachtwoord")
			testkit.AssertAccessible(t, ctx)

			// Log out through the header button, then log in again.
			click(t, ctx, `form[action="/uitloggen"] button`)
			if exists(t, ctx, `form[action="/uitloggen"]`) {
				t.Fatal("still logged in after Uitloggen")
			}
			testkit.BrowserLogin(t, ctx, s.URL, email)

			// A resident in the administration gets the Dutch 403 page.
			if h1 := open(t, ctx, s.URL+"/beheer"); h1 != "Geen toegang" {
				t.Errorf("resident on /beheer: h1 %q, want Geen toegang", h1)
			}
			testkit.AssertAccessible(t, ctx)

			// Find Oog in Al and open its page.
			open(t, ctx, s.URL+"/buurten")
			fill(t, ctx, "q", "oog in al")
			click(t, ctx, `form[role="search"] button[type="submit"]`)
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `main a[href="/buurten/BU03440112"]`)
			if got := location(t, ctx); got != "/buurten/BU03440112" {
				t.Fatalf("after clicking the result: at %s", got)
			}
			if h1 := heading(t, ctx); h1 != "Oog in Al" {
				t.Fatalf("neighbourhood page h1 %q", h1)
			}
			// A map is one image (role=img) or, when its areas are links, a
			// group; either way it has a title naming it.
			if !exists(t, ctx, `main svg.bk-map[role="img"][aria-labelledby] > title, main svg.bk-map[role="group"][aria-labelledby] > title`) {
				t.Error("no SVG map with a role and a title")
			}
			if !strings.Contains(bodyText(t, ctx), "Bron: CBS, Kadaster (PDOK)") {
				t.Error("map without the CBS/PDOK attribution")
			}
			testkit.AssertAccessible(t, ctx)
		})
	}
}

// TestAdminPagesAccessible checks the administration pages as an administrator.
func TestAdminPagesAccessible(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "beheerder@example.nl", role.Admin)
	resident := s.CreateUser(t, "bewoner@example.nl")
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			testkit.BrowserLogin(t, ctx, s.URL, "beheerder@example.nl")
			for _, path := range []string{
				"/beheer",
				"/beheer/accounts",
				"/beheer/accounts?q=bewoner",
				fmt.Sprintf("/beheer/accounts/%d", resident.ID),
				"/beheer/organisaties",
				"/beheer/audit",
				"/account",
			} {
				if h1 := open(t, ctx, s.URL+path); h1 == "" || h1 == "Pagina niet gevonden" || h1 == "Geen toegang" {
					t.Errorf("%s: h1 %q", path, h1)
					continue
				}
				testkit.AssertAccessible(t, ctx)
			}
		})
	}
}
