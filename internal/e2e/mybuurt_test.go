package e2e

import (
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
}
