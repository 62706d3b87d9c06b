package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// tick clicks a checkbox (no page load follows).
func tick(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible)); err != nil {
		t.Fatalf("tick %s: %v", sel, err)
	}
}

// choose selects the option with the given visible label in a select.
func choose(t *testing.T, ctx context.Context, sel, label string) {
	t.Helper()
	var ok bool
	js := `(() => { const s = document.querySelector(` + jsString(sel) + `);
		const o = [...s.options].find(o => o.textContent.trim() === ` + jsString(label) + `);
		if (!o) return false; s.value = o.value; return true; })()`
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &ok)); err != nil || !ok {
		t.Fatalf("choose %q in %s: %v (found %v)", label, sel, err, ok)
	}
}

// TestAdminMakesWorkerInBrowser is the demo story in a real browser: the
// administrator opens a resident, ticks "opbouwwerker", lists Utrecht's
// neighbourhoods, ticks one and saves; the work area then shows on the page.
// The refused save, the draft and the result all pass axe-core.
func TestAdminMakesWorkerInBrowser(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "beheerder@example.nl", role.Admin)
	residents := map[string]account.Account{}
	for _, v := range testkit.Viewports {
		residents[v.String()] = s.CreateUser(t, fmt.Sprintf("bewoner-%s@example.nl", v))
	}
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			testkit.BrowserLogin(t, ctx, s.URL, "beheerder@example.nl")
			resident := residents[v.String()]
			open(t, ctx, fmt.Sprintf("%s/beheer/accounts/%d", s.URL, resident.ID))

			// The role alone is refused: a worker needs a work area.
			tick(t, ctx, `input[name="rollen"][value="worker"]`)
			click(t, ctx, `main form .bk-actions button[type="submit"]`)
			if !strings.Contains(bodyText(t, ctx), "Kies minstens één buurt als werkgebied") {
				t.Fatalf("no work-area error:\n%s", bodyText(t, ctx))
			}
			testkit.AssertAccessible(t, ctx)

			// List Utrecht's neighbourhoods; the ticked role stays ticked.
			choose(t, ctx, "#veld-toon_gemeente", "Utrecht (GM0344)")
			click(t, ctx, `button[name="toon"]`)
			if !exists(t, ctx, `input[name="rollen"][value="worker"]:checked`) {
				t.Error("ticked role lost when listing neighbourhoods")
			}
			testkit.AssertAccessible(t, ctx)
			var id string
			if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const l = [...document.querySelectorAll('.bk-district label')].find(l => l.textContent.includes('Oog in Al')); return l ? l.htmlFor : ''; })()`, &id)); err != nil || id == "" {
				t.Fatalf("Oog in Al not offered: %v", err)
			}
			tick(t, ctx, "#"+id)
			click(t, ctx, `main form .bk-actions button[type="submit"]`)
			text := bodyText(t, ctx)
			if !strings.Contains(text, "zijn opgeslagen") || !strings.Contains(text, "Oog in Al") || !strings.Contains(text, "opbouwwerker") {
				t.Fatalf("after saving:\n%s", text)
			}
			testkit.AssertAccessible(t, ctx)
			if os.Getenv("BK_SCREENSHOTS") != "" {
				var png []byte
				if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err == nil {
					_ = os.WriteFile(os.Getenv("BK_SCREENSHOTS")+"/beheer-account-"+v.String()+".png", png, 0o644)
				}
			}
		})
	}
}
