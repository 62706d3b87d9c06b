package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestNeighbourhoodSearchAndMap finds a Frisian neighbourhood without
// typing its accent, opens its page, checks the map's accessible name and
// follows a map link with the keyboard, at phone and desktop size.
func TestNeighbourhoodSearchAndMap(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			open(t, ctx, s.URL+"/buurten")
			fill(t, ctx, "q", "munein")
			click(t, ctx, `form[role="search"] button[type="submit"]`)
			if loc := location(t, ctx); !strings.HasPrefix(loc, "/buurten?q=munein") {
				t.Fatalf("search went to %s", loc)
			}
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `main a[href="/buurten/BU07370200"]`)
			if h1 := heading(t, ctx); h1 != "Mûnein" {
				t.Fatalf("h1 %q", h1)
			}
			var name string
			if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => {
				const s = document.querySelector('svg.bk-map');
				return s ? document.getElementById(s.getAttribute('aria-labelledby')).textContent : '';
			})()`, &name)); err != nil {
				t.Fatal(err)
			}
			if name != "Kaart van Mûnein in Wijk 02 Mûnein" {
				t.Errorf("map name %q", name)
			}
			if !strings.Contains(bodyText(t, ctx), "Bron: CBS, Kadaster (PDOK)") {
				t.Error("no attribution on the page")
			}
			testkit.AssertAccessible(t, ctx)

			// The other neighbourhoods on the map are keyboard links.
			var href string
			if err := chromedp.Run(ctx,
				chromedp.Evaluate(`window.__bkOld = true`, nil),
				chromedp.Focus(`svg.bk-map a`, chromedp.ByQuery),
				chromedp.Evaluate(`document.activeElement.getAttribute('href')`, &href),
				chromedp.KeyEvent(kb.Enter),
			); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(href, "/buurten/BU0737") {
				t.Fatalf("focused map link %q", href)
			}
			deadline := time.Now().Add(15 * time.Second)
			for location(t, ctx) != href {
				if time.Now().After(deadline) {
					t.Fatalf("Enter on the map link did not open %s (at %s)", href, location(t, ctx))
				}
				time.Sleep(50 * time.Millisecond)
			}
			if err := chromedp.Run(ctx, chromedp.WaitReady("main#inhoud", chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			if h1 := heading(t, ctx); h1 == "" || h1 == "Mûnein" {
				t.Errorf("after the map link: h1 %q", h1)
			}
		})
	}
}
