package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestOrganisationSignOnPages: an administrator sets up an organisation's
// sign-on (a form error first), then a visitor finds it from the login page
// and a stale return shows the Dutch problem page. Every page passes axe.
func TestOrganisationSignOnPages(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var org int64
	if err := s.DB.QueryRow(context.Background(),
		`INSERT INTO organisations (name, kind) VALUES ('Welzijn Midden', 'welzijn') RETURNING id`).Scan(&org); err != nil {
		t.Fatal(err)
	}
	s.CreateUser(t, "beheer@example.nl", role.Admin)

	tab := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, tab, s.URL, "beheer@example.nl")
	open(t, tab, s.URL+"/beheer")
	click(t, tab, `a[href="/beheer/inloggen-organisaties"]`)
	testkit.AssertAccessible(t, tab)
	click(t, tab, `a[href="/beheer/inloggen-organisaties/nieuw"]`)
	testkit.AssertAccessible(t, tab)
	click(t, tab, `form.bk-form button[type="submit"]`)
	if !strings.Contains(bodyText(t, tab), "Kies de organisatie of gemeente") {
		t.Fatal("empty form: no error next to the owner field")
	}
	testkit.AssertAccessible(t, tab)

	do(t, tab, "choose owner", chromedp.SetValue("#veld-eigenaar", "organisatie-"+strconv.FormatInt(org, 10), chromedp.ByQuery))
	fill(t, tab, "naam", "Welzijn Midden")
	fill(t, tab, "issuer", "https://login.welzijn.nl")
	fill(t, tab, "client_id", "buurtkracht")
	fill(t, tab, "client_secret", "env:SSO_SECRET_WELZIJN")
	fill(t, tab, "domeinen", "welzijn.nl")
	click(t, tab, `form.bk-form button[type="submit"]`)
	if text := bodyText(t, tab); !strings.Contains(text, "is opgeslagen") || !strings.Contains(text, "omgevingsvariabele SSO_SECRET_WELZIJN") {
		t.Fatalf("after saving: %s", text)
	}
	testkit.AssertAccessible(t, tab)

	visitor := testkit.NewTab(t, testkit.Phone)
	open(t, visitor, s.URL+"/inloggen")
	click(t, visitor, `a[href="/inloggen/organisatie"]`)
	if !strings.Contains(bodyText(t, visitor), "Inloggen met Welzijn Midden") {
		t.Fatal("the sign-on page does not offer the organisation")
	}
	testkit.AssertAccessible(t, visitor)
	open(t, visitor, s.URL+"/inloggen/organisatie/terug?state=x&code=y")
	if heading(t, visitor) != "Inloggen is niet gelukt" {
		t.Fatalf("stale return: heading %q", heading(t, visitor))
	}
	testkit.AssertAccessible(t, visitor)
}
