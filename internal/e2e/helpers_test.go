package e2e

import (
	"context"
	"strings"
	"testing"

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
