package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// open navigates to url, waits for the main landmark and returns the h1.
func open(t *testing.T, ctx context.Context, url string) string {
	t.Helper()
	var h1 string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(url),
		chromedp.WaitReady("main#inhoud", chromedp.ByQuery),
		chromedp.Text("h1", &h1, chromedp.ByQuery, chromedp.NodeVisible),
	); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return strings.TrimSpace(h1)
}

// location returns the current URL's path and query.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	var loc string
	if err := chromedp.Run(ctx, chromedp.Location(&loc)); err != nil {
		t.Fatal(err)
	}
	if i := strings.Index(loc, "://"); i >= 0 {
		if j := strings.Index(loc[i+3:], "/"); j >= 0 {
			return loc[i+3+j:]
		}
	}
	return loc
}

// bodyText returns the visible text of main.
func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Text("main#inhoud", &s, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	return s
}

// runText reads the text of the whole body.
func runText(ctx context.Context, s *string) error {
	return chromedp.Run(ctx, chromedp.Text("body", s, chromedp.ByQuery))
}

// fill types value into the form field with the given name (ids are veld-<name>).
func fill(t *testing.T, ctx context.Context, name, value string) {
	t.Helper()
	sel := "#veld-" + name
	var ok bool
	if err := chromedp.Run(ctx,
		chromedp.WaitVisible(sel, chromedp.ByQuery),
		chromedp.Evaluate(`(document.querySelector(`+jsString(sel)+`).value = "") === ""`, &ok),
		chromedp.SendKeys(sel, value, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("fill %s: %v", name, err)
	}
}

// click clicks the element and waits until the next page has loaded (a
// form submit or a link).
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	var ok bool
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`window.__bkOld = true`, &ok),
		chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible),
	); err != nil {
		t.Fatalf("click %s (at %s): %v", sel, location(t, ctx), err)
	}
	// The old document disappears mid-evaluation, so errors while it
	// navigates are expected: ask again until the new one is complete.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var loaded bool
		err := chromedp.Run(ctx, chromedp.Evaluate(`window.__bkOld === undefined && document.readyState === "complete"`, &loaded))
		if err == nil && loaded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("click %s: no new page within 15s (last error: %v)", sel, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := chromedp.Run(ctx, chromedp.WaitReady("main#inhoud", chromedp.ByQuery)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// exists reports whether sel matches an element on the page.
func exists(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	var n int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll(`+jsString(sel)+`).length`, &n)); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// heading returns the page's h1.
func heading(t *testing.T, ctx context.Context) string {
	t.Helper()
	var h1 string
	if err := chromedp.Run(ctx, chromedp.Text("h1", &h1, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(h1)
}
