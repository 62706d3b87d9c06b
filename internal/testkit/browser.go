package testkit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Viewport is the screen size a tab emulates.
type Viewport int

// The two sizes every browser test runs at.
const (
	Phone   Viewport = iota // 390×844 CSS pixels, mobile with touch
	Desktop                 // 1280×900
	// Narrow is 320×640 CSS pixels: the width WCAG 1.4.10 (reflow) asks
	// pages to work at, which is also a 1280-pixel screen zoomed to 400%.
	Narrow
)

func (v Viewport) String() string {
	switch v {
	case Phone:
		return "telefoon"
	case Narrow:
		return "smal"
	}
	return "desktop"
}

// Viewports lists both sizes, for table tests.
var Viewports = []Viewport{Phone, Desktop}

// tabTimeout bounds everything one test does in its tab: generous, since a
// long journey on a loaded 2-core machine can take minutes, yet a hung page
// still fails the test long before go test's own timeout.
const tabTimeout = 5 * time.Minute

// screenshots numbers the failure screenshots, as one test may have several tabs.
var screenshots atomic.Int32

// browser is the one headless Chromium of a test binary, started by the
// first NewTab and stopped by CloseBrowser (call it from TestMain).
var browser struct {
	once        sync.Once
	ctx         context.Context
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc
	err         error
}

// ChromiumPath is $CHROMIUM_PATH or /usr/bin/chromium.
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

func startBrowser() {
	path := ChromiumPath()
	if _, err := os.Stat(path); err != nil {
		browser.err = fmt.Errorf("chromium not found at %s (install it: apt-get install -y chromium, or set CHROMIUM_PATH): %w", path, err)
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// Without these Chromium keeps calling home on a machine without internet.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Run starts the browser; it must not carry a deadline, or the
	// browser dies with it.
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		cancelAlloc()
		browser.err = fmt.Errorf("start chromium: %w", err)
		return
	}
	browser.ctx, browser.cancel, browser.cancelAlloc = ctx, cancel, cancelAlloc
}

// CloseBrowser stops the shared Chromium, if one was started. Call it from
// the TestMain of a package with browser tests, after m.Run.
func CloseBrowser() {
	if browser.cancel != nil {
		browser.cancel()
		browser.cancelAlloc()
	}
}

// NewTab opens a tab in the shared headless Chromium at the given size and
// returns its context for chromedp.Run. Each tab has its own browser context
// (cookies, storage), so parallel tests with different logins don't mix.
// The tab closes when the test ends; everything in it must finish within
// tabTimeout.
func NewTab(t testing.TB, v Viewport) context.Context {
	t.Helper()
	browser.once.Do(startBrowser)
	if browser.err != nil {
		t.Fatal(browser.err)
	}
	tabCtx, closeTab, err := newIsolatedTab()
	if err != nil {
		t.Fatalf("open %s tab: %v", v, err)
	}
	t.Cleanup(closeTab)
	emulate := chromedp.EmulateViewport(1280, 900)
	switch v {
	case Phone:
		emulate = chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile,
			chromedp.EmulateTouch, chromedp.EmulatePortrait)
	case Narrow:
		emulate = chromedp.EmulateViewport(320, 640)
	}
	// As with the browser, the tab is created by a Run without a deadline.
	if err := chromedp.Run(tabCtx, emulate); err != nil {
		t.Fatalf("open %s tab: %v", v, err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(cancel)
	// Cleanups run last-in first-out: this one sees the tab still open.
	t.Cleanup(func() { screenshotOnFailure(t, tabCtx) })
	return ctx
}

// screenshotOnFailure saves what the tab showed when a test failed, to
// look at afterwards (the file tool shows PNGs).
func screenshotOnFailure(t testing.TB, tabCtx context.Context) {
	if !t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(tabCtx, 10*time.Second)
	defer cancel()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	path := filepath.Join(os.TempDir(), fmt.Sprintf("buurtkracht-e2e-%s-%d.png", name, screenshots.Add(1)))
	if err := os.WriteFile(path, png, 0o644); err == nil {
		t.Logf("screenshot of the failing page: %s", path)
	}
}

// newIsolatedTab opens a tab in a new browser context (its own cookies and
// storage). chromedp's WithNewBrowserContext asks for a tab without a window,
// which headless Chromium refuses ("no browser is open"), so the context and
// its window are made here and the tab is attached by id.
func newIsolatedTab() (context.Context, func(), error) {
	var bcID cdp.BrowserContextID
	var tabID target.ID
	err := chromedp.Run(browser.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		exec := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
		var err error
		if bcID, err = target.CreateBrowserContext().WithDisposeOnDetach(true).Do(exec); err != nil {
			return err
		}
		tabID, err = target.CreateTarget("about:blank").WithBrowserContextID(bcID).WithNewWindow(true).Do(exec)
		return err
	}))
	if err != nil {
		return nil, nil, err
	}
	tabCtx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithTargetID(tabID))
	closeTab := func() {
		cancel()
		_ = chromedp.Run(browser.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
			exec := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
			_ = target.CloseTarget(tabID).Do(exec)
			return target.DisposeBrowserContext(bcID).Do(exec)
		}))
	}
	return tabCtx, closeTab, nil
}

// axeSource is axe-core's script, read once from node_modules.
var axeSource = sync.OnceValues(func() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read axe-core (run `npm ci` in %s): %w", root, err)
	}
	return string(b), nil
})

// moduleRoot is the directory of go.mod, found upwards from the working
// directory (a test runs in its package directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// A11yViolation is one failed axe-core rule with the elements that fail it.
type A11yViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// CheckAccessible runs axe-core with the WCAG 2.0/2.1 level A and AA rules on
// the page open in ctx and returns the violations.
func CheckAccessible(ctx context.Context) ([]A11yViolation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	var loaded bool
	// DevTools evaluation is not subject to the page's Content-Security-Policy.
	if err := chromedp.Run(ctx, chromedp.Evaluate(src+";\ntypeof axe === 'object'", &loaded)); err != nil || !loaded {
		return nil, fmt.Errorf("inject axe-core: loaded=%v: %w", loaded, err)
	}
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})` +
		`.then(r => JSON.stringify(r.violations))`
	var out string
	if err := chromedp.Run(ctx, chromedp.Evaluate(run, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []A11yViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("read axe-core result: %w", err)
	}
	return vs, nil
}

// AssertAccessible fails the test when axe-core finds a WCAG 2.1 A or AA
// violation on the page open in ctx, listing each rule, its impact, what it
// asks and the offending elements.
func AssertAccessible(t testing.TB, ctx context.Context) {
	t.Helper()
	vs, err := CheckAccessible(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return
	}
	var loc string
	_ = chromedp.Run(ctx, chromedp.Location(&loc))
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core: %d WCAG 2.1 A/AA violation(s) on %s:", len(vs), loc)
	for _, v := range vs {
		fmt.Fprintf(&b, "\n- %s (%s): %s", v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "\n    ... and %d more", len(v.Nodes)-5)
				break
			}
			fmt.Fprintf(&b, "\n    %v", n.Target)
			if n.Summary != "" {
				fmt.Fprintf(&b, " — %s", strings.ReplaceAll(n.Summary, "\n", " "))
			}
		}
	}
	t.Error(b.String())
}

// BrowserLogin logs in as email (password Password) through the login form
// and waits until the browser has left the login page. A refused login fails
// the test within 15 seconds, showing the page's text.
func BrowserLogin(t testing.TB, ctx context.Context, baseURL, email string) {
	t.Helper()
	err := chromedp.Run(ctx,
		chromedp.Navigate(baseURL+"/inloggen"),
		chromedp.WaitVisible("#veld-email", chromedp.ByID),
		chromedp.SendKeys("#veld-email", email, chromedp.ByID),
		chromedp.SendKeys("#veld-password", Password, chromedp.ByID),
		chromedp.Submit("#veld-email", chromedp.ByID),
	)
	if err == nil {
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err = chromedp.Run(wctx, chromedp.WaitReady(`form[action="/uitloggen"]`, chromedp.ByQuery))
		cancel()
	}
	if err != nil {
		var loc, text string
		_ = chromedp.Run(ctx, chromedp.Location(&loc), chromedp.Text("main", &text, chromedp.ByQuery, chromedp.AtLeast(0)))
		t.Fatalf("browser login as %s (at %s): %v\n%s", email, loc, err, text)
	}
}
