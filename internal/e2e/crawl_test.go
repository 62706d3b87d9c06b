package e2e

import (
	"context"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// maxCrawlPages bounds the pages one role's crawl opens.
const maxCrawlPages = 80

// TestEveryLinkedPage logs in as each demo role (and as nobody), follows
// every link on the platform from the home page, and checks each page it
// reaches: it loads without an error status (no link to a missing,
// forbidden or failing page) and axe-core finds no WCAG 2.1 A/AA
// violation. Pages that differ only in an id or code are visited once.
// This covers every feature's pages with the demo data in them.
func TestEveryLinkedPage(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	cfg := s.Cfg
	cfg.Env = "development"
	if err := demo.Seed(context.Background(), s.DB, cfg, io.Discard); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	// Each role at the size it mostly uses: residents and community workers
	// (who log street contacts on the spot) on a phone, officers and
	// administrators at a desk. Both sizes are covered per feature elsewhere.
	roles := []struct {
		email string
		size  testkit.Viewport
	}{
		{"", testkit.Phone},
		{demo.ResidentEmail, testkit.Phone},
		{demo.WorkerEmail, testkit.Phone},
		{demo.OfficerEmail, testkit.Desktop},
		{demo.AdminEmail, testkit.Desktop},
	}
	// And every role once more at 320 CSS pixels wide, where WCAG 1.4.10
	// asks pages to reflow (a desk screen zoomed to 400% is that wide too).
	for _, r := range roles[:len(roles):len(roles)] {
		roles = append(roles, struct {
			email string
			size  testkit.Viewport
		}{r.email, testkit.Narrow})
	}
	for _, r := range roles {
		email := r.email
		name := email
		if name == "" {
			name = "anoniem"
		}
		t.Run(name+"/"+r.size.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, r.size)
			if email != "" {
				login(t, ctx, s.URL, email, cfg.DemoPassword)
			}
			crawl(t, ctx, s.URL)
		})
	}
}

// login logs in through the form with an explicit password.
func login(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/inloggen"),
		chromedp.WaitVisible("#veld-email", chromedp.ByID),
		chromedp.SendKeys("#veld-email", email, chromedp.ByID),
		chromedp.SendKeys("#veld-password", password, chromedp.ByID),
		chromedp.Submit("#veld-email", chromedp.ByID),
		chromedp.WaitReady(`form[action="/uitloggen"]`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

// pageKey maps links that show the same page template to one key: ids and
// CBS codes in the path count as one, and of the query only the parameter
// names count (another sort order or page number is the same page).
func pageKey(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return p
	}
	names := make([]string, 0, len(u.Query()))
	for name := range u.Query() {
		names = append(names, name)
	}
	sort.Strings(names)
	return digits.ReplaceAllString(u.Path, "N") + "?" + strings.Join(names, "&")
}

func crawl(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	type link struct{ path, from string }
	queue := []link{{"/", "(start)"}}
	seen := map[string]bool{}
	pages := 0
	for len(queue) > 0 && pages < maxCrawlPages {
		l := queue[0]
		queue = queue[1:]
		key := pageKey(l.path)
		if seen[key] {
			continue
		}
		seen[key] = true
		pages++

		started := time.Now()
		var status int
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+l.path),
			chromedp.WaitReady("body", chromedp.ByQuery),
			chromedp.Evaluate(`performance.getEntriesByType("navigation")[0].responseStatus`, &status),
		); err != nil {
			t.Errorf("%s (linked from %s): %v", l.path, l.from, err)
			continue
		}
		if status >= 400 {
			t.Errorf("%s (linked from %s): status %d", l.path, l.from, status)
			continue
		}
		testkit.AssertAccessible(t, ctx)
		// Reflow (WCAG 1.4.10): the page is never wider than the screen, so
		// nobody scrolls sideways to read it; wide tables scroll inside
		// their own region (or become cards on a phone).
		var widths []int
		if err := chromedp.Run(ctx, chromedp.Evaluate(`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`, &widths)); err != nil {
			t.Fatal(err)
		}
		if len(widths) == 2 && widths[0] > widths[1] {
			t.Errorf("%s (linked from %s): page is %d px wide on a %d px screen", l.path, l.from, widths[0], widths[1])
		}
		var text string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`document.body.innerText`, &text)); err != nil {
			t.Fatal(err)
		}
		for _, line := range testkit.StraySpaces(text) {
			t.Errorf("%s (linked from %s): stray space in %q", l.path, l.from, line)
		}
		if took := time.Since(started); took > 3*time.Second {
			t.Logf("slow: %s took %s", l.path, took.Round(time.Millisecond))
		}

		var hrefs []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(
			`Array.from(document.querySelectorAll('a[href]:not([download])')).map(a => a.getAttribute("href"))`, &hrefs)); err != nil {
			t.Fatal(err)
		}
		for _, h := range hrefs {
			if p, ok := crawlable(h); ok {
				queue = append(queue, link{p, l.path})
			}
		}
	}
	if pages < 5 {
		t.Errorf("crawl reached only %d pages", pages)
	}
	t.Logf("%d pages checked", pages)
}

// crawlable returns the path (with query) of a link to an HTML page of this
// site: not an asset, the JSON API, a file download, a photo or a calendar
// feed (internal/event parses its feeds with an iCalendar library).
func crawlable(href string) (string, bool) {
	u, err := url.Parse(href)
	if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	for _, prefix := range []string{"/static/", "/api/"} {
		if strings.HasPrefix(u.Path, prefix) {
			return "", false
		}
	}
	for _, ext := range []string{".json", ".csv", ".pdf", ".geojson", ".png", ".svg", ".jpg", ".ics"} {
		if strings.HasSuffix(u.Path, ext) {
			return "", false
		}
	}
	u.Fragment = ""
	return u.RequestURI(), true
}
