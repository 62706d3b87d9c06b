package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// noScriptTab is a tab in which the platform's own scripts never load, as on
// a phone with JavaScript switched off or a connection that dropped the
// script. The test helpers still run through DevTools.
func noScriptTab(t *testing.T, v testkit.Viewport) context.Context {
	t.Helper()
	ctx := testkit.NewTab(t, v)
	do(t, ctx, "block the platform's scripts", network.Enable(), network.SetBlockedURLs().WithURLPatterns([]*network.BlockPattern{
		{URLPattern: "*://*:*/static/js/*", Block: true},
		{URLPattern: "*://*:*/contacten/sw.js", Block: true},
	}))
	return ctx
}

// TestCoreFlowsWithoutJavaScript: JavaScript only enhances. Without the
// platform's scripts a worker still logs a street contact, a resident still
// raises a signal and registers an initiative, and an officer still
// recolours the map and drills down.
func TestCoreFlowsWithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	workerIn(t, s, "zonderjs-werker@example.nl", "BU03440112")
	officerOf(t, s, "zonderjs-gemeente@example.nl", "GM0344")
	s.CreateUser(t, "zonderjs-bewoner@example.nl")

	t.Run("worker logs a contact", func(t *testing.T) {
		t.Parallel()
		ctx := noScriptTab(t, testkit.Phone)
		testkit.BrowserLogin(t, ctx, s.URL, "zonderjs-werker@example.nl")
		open(t, ctx, s.URL+"/contacten/nieuw")
		click(t, ctx, `form[data-contact-form] button[type="submit"]`)
		if !exists(t, ctx, `[data-testid="error-summary"]`) {
			t.Fatal("no error summary after an empty save")
		}
		do(t, ctx, "choose neighbourhood and place",
			chromedp.SetValue("#veld-neighbourhood", "BU03440112", chromedp.ByQuery),
			chromedp.SetValue("#veld-place_type", "straat", chromedp.ByQuery))
		tap(t, ctx, `label[for="veld-strategy-2"]`)
		click(t, ctx, `form[data-contact-form] button[type="submit"]`)
		if !strings.Contains(bodyText(t, ctx), "Contact opgeslagen.") || !exists(t, ctx, `[data-testid="undo"]`) {
			t.Fatalf("no confirmation with undo (at %s): %s", location(t, ctx), bodyText(t, ctx))
		}
		if n := contactCount(t, s, "zonderjs-werker@example.nl"); n != 1 {
			t.Errorf("%d contacts stored, want 1", n)
		}
		// The offline script did not run: it would have opened its queue.
		var queue bool
		do(t, ctx, "look for the offline queue", chromedp.Evaluate(`indexedDB.databases().then(l => l.some(d => d.name === "buurtkracht-contacten"))`,
			&queue, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		if queue {
			t.Error("the offline queue exists: the scripts were not blocked, so this test proves nothing")
		}
	})

	t.Run("resident raises a signal", func(t *testing.T) {
		t.Parallel()
		ctx := noScriptTab(t, testkit.Phone)
		testkit.BrowserLogin(t, ctx, s.URL, "zonderjs-bewoner@example.nl")
		open(t, ctx, s.URL+"/signalen/nieuw")
		do(t, ctx, "choose Utrecht", chromedp.SetValue("#veld-gemeente", "GM0344", chromedp.ByQuery))
		click(t, ctx, `form[action="/signalen/nieuw"][method="get"] button[type="submit"]`)
		if !exists(t, ctx, `#veld-neighbourhood option[value]`) {
			t.Fatalf("no neighbourhood list after choosing the municipality (at %s)", location(t, ctx))
		}
		var oog string
		do(t, ctx, "find Oog in Al", chromedp.AttributeValue(`//select[@id="veld-neighbourhood"]//option[normalize-space(.)="Oog in Al"]`, "value", &oog, nil, chromedp.BySearch))
		do(t, ctx, "fill the signal",
			chromedp.SetValue("#veld-neighbourhood", oog, chromedp.ByQuery),
			chromedp.SetValue("#veld-theme", "openbare-ruimte", chromedp.ByQuery))
		fill(t, ctx, "title", "Losliggende stoeptegels bij de school")
		click(t, ctx, `form[action="/signalen/nieuw"][method="post"] button[type="submit"]`)
		if h1 := heading(t, ctx); h1 != "Losliggende stoeptegels bij de school" {
			t.Fatalf("after raising: h1 %q at %s", h1, location(t, ctx))
		}
	})

	t.Run("resident registers an initiative", func(t *testing.T) {
		t.Parallel()
		ctx := noScriptTab(t, testkit.Phone)
		testkit.BrowserLogin(t, ctx, s.URL, "zonderjs-bewoner@example.nl")
		open(t, ctx, s.URL+"/initiatieven/nieuw")
		do(t, ctx, "choose Utrecht", chromedp.SetValue("#veld-gemeente", "GM0344", chromedp.ByQuery))
		click(t, ctx, `form[action="/initiatieven/nieuw"] button[type="submit"]`)
		fill(t, ctx, "titel", "Buurtbieb zonder script")
		fill(t, ctx, "samenvatting", "Een kast met boeken bij de bushalte.")
		do(t, ctx, "open the district and tick Oog in Al, a theme",
			chromedp.Click(`//details[.//input[@id="buurt-BU03440112"]]/summary`, chromedp.BySearch),
			chromedp.Click(`#buurt-BU03440112`, chromedp.ByQuery, chromedp.NodeVisible),
			chromedp.Click(`input[name="thema"][value="ontmoeting"]`, chromedp.ByQuery, chromedp.NodeVisible))
		click(t, ctx, `form[action="/initiatieven/nieuw"] button[type="submit"]`)
		if h1 := heading(t, ctx); h1 != "Buurtbieb zonder script" {
			t.Fatalf("after registering: h1 %q at %s: %s", h1, location(t, ctx), bodyText(t, ctx))
		}
	})

	t.Run("officer recolours the map and drills down", func(t *testing.T) {
		t.Parallel()
		ctx := noScriptTab(t, testkit.Desktop)
		testkit.BrowserLogin(t, ctx, s.URL, "zonderjs-gemeente@example.nl")
		open(t, ctx, s.URL+"/overzicht")
		do(t, ctx, "choose open signals", chromedp.Click(`#veld-kaart-signalen`, chromedp.ByQuery))
		click(t, ctx, `[data-testid="map-submit"]`)
		if !exists(t, ctx, `[data-testid="overview-map"][data-metric="signalen"]`) {
			t.Fatalf("map not recoloured (at %s)", location(t, ctx))
		}
		click(t, ctx, `svg.bk-map a[href*="BU03440112"]`)
		if h1 := heading(t, ctx); h1 != "Oog in Al" {
			t.Fatalf("drill-down h1 %q (at %s)", h1, location(t, ctx))
		}
	})
}
