package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// rect is an element's box in CSS pixels, relative to the viewport.
type rect struct{ Top, Bottom, Left, Right, Height float64 }

// geometry evaluates js (which returns a JSON string) and decodes it into v.
func geometry(t *testing.T, ctx context.Context, js string, v any) {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &s)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%s: %v (%s)", js, err, s)
	}
}

// boxOf is the JavaScript for the viewport box of the first element matching sel.
func boxOf(sel string) string {
	return `JSON.stringify((r => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}))(document.querySelector(` + jsString(sel) + `).getBoundingClientRect()))`
}

// noSidewaysScroll fails when the page is wider than the screen.
func noSidewaysScroll(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	var w []int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`, &w)); err != nil {
		t.Fatal(err)
	}
	if w[0] > w[1] {
		t.Errorf("%s: page is %d px wide on a %d px screen", page, w[0], w[1])
	}
}

// TestWorkerPagesFitAPhone: at 360 and 320 px wide, a worker's pages fit
// the screen. The header takes two short rows (brand, then the menu, which
// scrolls sideways inside itself), the month calendar keeps every weekday
// and day number on one line, after saving a street contact the page opens
// at the confirmation with Opslaan in view for the next one, and the API
// token's revoke button is on screen.
func TestWorkerPagesFitAPhone(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	const email = "straatwerker@example.nl"
	workerIn(t, s, email, "BU03440112", "BU03440111")
	// maxHeader: two rows (brand and menu) with their padding; it was four
	// rows, over 250 px, before.
	const maxHeader = 110
	for _, size := range []struct{ w, h int64 }{{360, 740}, {320, 640}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx := testkit.NewTab(t, testkit.Phone)
			do(t, ctx, "phone size", chromedp.EmulateViewport(size.w, size.h, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
			testkit.BrowserLogin(t, ctx, s.URL, email)

			// The quick log: a compact header with the current menu item in view.
			open(t, ctx, s.URL+"/contacten/nieuw")
			noSidewaysScroll(t, ctx, "/contacten/nieuw")
			var header, current rect
			geometry(t, ctx, boxOf(".bk-header"), &header)
			if header.Height > maxHeader {
				t.Errorf("header is %.0f px high, want at most %d", header.Height, maxHeader)
			}
			geometry(t, ctx, boxOf(`.bk-nav [aria-current="page"]`), &current)
			if current.Left < 0 || current.Right > float64(size.w) {
				t.Errorf("current menu item off screen: %+v", current)
			}

			// After a save, the confirmation and Opslaan for the next contact are in view.
			do(t, ctx, "choose neighbourhood and place",
				chromedp.SetValue("#veld-neighbourhood", "BU03440111", chromedp.ByQuery),
				chromedp.SetValue("#veld-place_type", "schoolplein", chromedp.ByQuery))
			tap(t, ctx, `label[for="veld-strategy-0"]`)
			click(t, ctx, `form[data-contact-form] button[type="submit"]`)
			if !exists(t, ctx, `[data-testid="undo"]`) {
				t.Fatal("no confirmation after the save")
			}
			var undo, save rect
			geometry(t, ctx, boxOf(`[data-testid="undo"]`), &undo)
			geometry(t, ctx, boxOf(`form[data-contact-form] button[type="submit"]`), &save)
			if undo.Top < 0 || save.Top < 0 || save.Bottom > float64(size.h) {
				t.Errorf("after a save: confirmation at %.0f, Opslaan at %.0f–%.0f on a %d px high screen", undo.Top, save.Top, save.Bottom, size.h)
			}
			noSidewaysScroll(t, ctx, "/contacten/nieuw after a save")
			testkit.AssertAccessible(t, ctx)

			// The month calendar: weekdays and day numbers on one line each.
			open(t, ctx, s.URL+"/contacten?weergave=kalender")
			noSidewaysScroll(t, ctx, "calendar")
			var wrapped []string
			// The visible text of each: a weekday, a day number, a count (a
			// link's words for screen readers are out of sight).
			geometry(t, ctx, `JSON.stringify(Array.from(document.querySelectorAll('.bk-calendar th abbr, .bk-calendar__day, .bk-calendar td a'))
				.map(el => el.tagName === 'A' ? el.firstChild : el).filter(n => {
					const r = document.createRange(); r.selectNodeContents(n);
					return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size > 1;
				}).map(n => n.textContent.trim()))`, &wrapped)
			if len(wrapped) > 0 {
				t.Errorf("calendar text over two lines: %q", wrapped)
			}
			var cells int
			if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('.bk-calendar__day').length`, &cells)); err != nil || cells < 28 {
				t.Fatalf("calendar has %d days (%v)", cells, err)
			}
			testkit.AssertAccessible(t, ctx)

			// An API token's revoke button is on screen without scrolling the table.
			open(t, ctx, s.URL+"/account")
			fill(t, ctx, "token_name", "Veldapp "+fmt.Sprint(size.w))
			fill(t, ctx, "token_password", testkit.Password)
			click(t, ctx, `form[action="/account/tokens"] button[type="submit"]`)
			noSidewaysScroll(t, ctx, "/account")
			var revoke rect
			geometry(t, ctx, boxOf(`form[action$="/intrekken"] button`), &revoke)
			if revoke.Left < 0 || revoke.Right > float64(size.w) {
				t.Errorf("revoke button at %.0f–%.0f on a %d px wide screen", revoke.Left, revoke.Right, size.w)
			}
		})
	}
}
