package e2e

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestMyNeighbourhoodHeaderOnNarrowScreen: a resident with a home
// neighbourhood logs in at 320 CSS pixels, lands on that neighbourhood's
// page, finds "Mijn buurt" in the header, and the header's links (one more
// than before) still take at most three rows, without horizontal scrolling.
func TestMyNeighbourhoodHeaderOnNarrowScreen(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	home := g.Neighbourhood("BU03440201", "Lombok-Oost")
	west := g.Neighbourhood("BU03440202", "Lombok-West")
	acc := s.CreateUser(t, "lombok@example.nl")
	if _, err := s.DB.Exec(t.Context(), `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = $1`, acc.ID, home); err != nil {
		t.Fatal(err)
	}
	ctx := testkit.NewTab(t, testkit.Narrow)
	testkit.BrowserLogin(t, ctx, s.URL, "lombok@example.nl")
	if got := location(t, ctx); got != "/buurten/BU03440201" {
		t.Fatalf("after login: at %s, want the home neighbourhood", got)
	}
	if !exists(t, ctx, `.bk-nav a[data-testid="nav-buurten-BU03440201"][aria-current="page"]`) {
		t.Error("the header has no current 'Mijn buurt' link")
	}
	if exists(t, ctx, `.bk-nav a[data-testid="nav-buurten"][aria-current="page"]`) {
		t.Error("'Buurten' is marked current next to 'Mijn buurt'")
	}
	var rows, scroll, width int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`new Set([...document.querySelectorAll('.bk-nav li')].map(li => Math.round(li.getBoundingClientRect().top))).size`, &rows),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &width)); err != nil {
		t.Fatal(err)
	}
	t.Logf("navigation rows at 320 px: %d", rows)
	if rows > 3 {
		t.Errorf("the navigation takes %d rows at 320 px, want at most 3", rows)
	}
	if scroll > width {
		t.Errorf("the page scrolls sideways: %d > %d", scroll, width)
	}
	testkit.AssertAccessible(t, ctx)

	// Moving house, in the browser: the same picker as at registration.
	if h1 := open(t, ctx, s.URL+"/account/profiel"); h1 != "Naam en buurt wijzigen" {
		t.Fatalf("profile form: h1 %q", h1)
	}
	testkit.AssertAccessible(t, ctx)
	noSideways(t, ctx)
	if err := chromedp.Run(ctx, chromedp.SetValue("#veld-buurt", strconv.FormatInt(west, 10), chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	fill(t, ctx, "name", "")
	click(t, ctx, `main form[action="/account/profiel"] button[type="submit"]`)
	if !exists(t, ctx, `#veld-name[aria-invalid="true"]`) || !exists(t, ctx, `[data-testid="error-summary"]`) {
		t.Fatalf("empty name: no accessible error\n%s", bodyText(t, ctx))
	}
	testkit.AssertAccessible(t, ctx)
	fill(t, ctx, "name", "Lombokker")
	click(t, ctx, `main form[action="/account/profiel"] button[type="submit"]`)
	if !exists(t, ctx, `.bk-nav a[data-testid="nav-buurten-BU03440202"]`) {
		t.Errorf("after moving, the header does not link to the new neighbourhood\n%s", bodyText(t, ctx))
	}

	// The e-mail form, refused empty.
	open(t, ctx, s.URL+"/account/email")
	noSideways(t, ctx)
	click(t, ctx, `main form[action="/account/email"] button[type="submit"]`)
	if !exists(t, ctx, `#veld-email[aria-invalid="true"]`) || !exists(t, ctx, `#veld-current_password[aria-invalid="true"]`) {
		t.Fatalf("empty e-mail form: no accessible errors\n%s", bodyText(t, ctx))
	}
	testkit.AssertAccessible(t, ctx)
}

// noSideways fails when the page scrolls sideways.
func noSideways(t *testing.T, ctx context.Context) {
	t.Helper()
	var scroll, width int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &width)); err != nil {
		t.Fatal(err)
	}
	if scroll > width {
		t.Errorf("%s scrolls sideways: %d > %d", location(t, ctx), scroll, width)
	}
}
