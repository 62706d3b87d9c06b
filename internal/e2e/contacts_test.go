package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// contactCount counts the street contacts of the account with email.
func contactCount(t *testing.T, s *testkit.Server, email string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.worker_id WHERE a.email = $1`, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// tap clicks sel without waiting for a navigation (a radio, a checkbox).
func tap(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	do(t, ctx, "tap "+sel, chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible))
}

// TestQuickLogOnPhone logs street contacts the way a worker does on the
// street: the first one chooses neighbourhood and place, the next ones
// take two taps (strategy, save) because those are remembered. Every
// contacts page passes axe-core.
func TestQuickLogOnPhone(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	const email = "straatwerker@example.nl"
	workerIn(t, s, email, "BU03440112", "BU03440111")
	ctx := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, ctx, s.URL, email)

	if h1 := open(t, ctx, s.URL+"/contacten/nieuw"); h1 != "Contact vastleggen" {
		t.Fatalf("h1 %q", h1)
	}
	testkit.AssertAccessible(t, ctx)

	// An empty save shows the errors accessibly (the script hands a refusal to the browser).
	click(t, ctx, `form[data-contact-form] button[type="submit"]`)
	if !exists(t, ctx, `[data-testid="error-summary"]`) || !strings.Contains(bodyText(t, ctx), "Kies de buurt waar het contact was.") {
		t.Fatal("no error summary after an empty save")
	}
	testkit.AssertAccessible(t, ctx)

	// First contact: neighbourhood and place (two taps each on a phone), strategy, save.
	do(t, ctx, "choose neighbourhood and place",
		chromedp.SetValue("#veld-neighbourhood", "BU03440111", chromedp.ByQuery),
		chromedp.SetValue("#veld-place_type", "schoolplein", chromedp.ByQuery))
	tap(t, ctx, `label[for="veld-strategy-0"]`)
	click(t, ctx, `form[data-contact-form] button[type="submit"]`)
	if !strings.Contains(bodyText(t, ctx), "Contact opgeslagen.") || !exists(t, ctx, `[data-testid="undo"]`) {
		t.Fatal("no confirmation with undo after the first save")
	}
	testkit.AssertAccessible(t, ctx)

	// Next contact: the defaults hold; two taps.
	start := time.Now()
	tap(t, ctx, `label[for="veld-strategy-1"]`)
	click(t, ctx, `form[data-contact-form] button[type="submit"]`)
	elapsed := time.Since(start)
	if !strings.Contains(bodyText(t, ctx), "Contact opgeslagen.") {
		t.Fatal("second save not confirmed")
	}
	var place, nb string
	if err := s.DB.QueryRow(context.Background(), `SELECT c.place_type, n.code FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
		WHERE c.strategy = 'bridging'`).Scan(&place, &nb); err != nil {
		t.Fatal(err)
	}
	if place != "schoolplein" || nb != "BU03440111" {
		t.Errorf("second contact at %s in %s; the last choice was not kept", place, nb)
	}
	t.Logf("quick log with remembered defaults: 2 taps (strategy, Opslaan), %v from tap to confirmation", elapsed.Round(time.Millisecond))

	// Undo takes the last one back.
	click(t, ctx, `[data-testid="undo"] button`)
	if n := contactCount(t, s, email); n != 1 {
		t.Errorf("%d contacts after undo, want 1", n)
	}

	// Nothing lingers in the browser's queue to be resent after the undo.
	open(t, ctx, s.URL+"/contacten/nieuw")
	var left int
	do(t, ctx, "queue size", chromedp.Evaluate(`new Promise(r => { const q = indexedDB.open("buurtkracht-contacten", 1);
		q.onsuccess = () => { const g = q.result.transaction("wachtrij").objectStore("wachtrij").count(); g.onsuccess = () => r(g.result); }; })`,
		&left, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if left != 0 || contactCount(t, s, email) != 1 {
		t.Errorf("after undo: %d queued in the browser, %d stored", left, contactCount(t, s, email))
	}

	// The other contacts pages, each checked by axe-core.
	var id int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM contacts`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	month := time.Now().Format("2006-01")
	for _, p := range []struct{ path, h1 string }{
		{"/contacten", "Mijn contacten"},
		{"/contacten?weergave=kalender&maand=" + month, "Mijn contacten"},
		{"/contacten/team", "Contacten van mijn team"},
		{fmt.Sprintf("/contacten/%d/bewerken", id), "Contact bewerken"},
		{fmt.Sprintf("/contacten/%d/verhaal", id), "Verhaal delen met de gemeente"},
		{"/account", "Mijn account"},
	} {
		if h1 := open(t, ctx, s.URL+p.path); h1 != p.h1 {
			t.Errorf("%s: h1 %q, want %q", p.path, h1, p.h1)
		}
		testkit.AssertAccessible(t, ctx)
	}
}

// setOffline switches the tab's network (and its service worker's) off or on.
func setOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	cond := &network.Conditions{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}
	do(t, ctx, fmt.Sprintf("offline=%v", offline),
		network.Enable(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := network.EmulateNetworkConditionsByRule([]*network.Conditions{cond}).WithEmulateOfflineServiceWorker(offline).Do(ctx)
			return err
		}),
		network.OverrideNetworkState(offline, 0, -1, -1))
}

func queueText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var s string
	do(t, ctx, "read queue status", chromedp.Evaluate(`document.getElementById("contact-wachtrij").textContent`, &s))
	return s
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOfflineQueue logs three contacts with the network off. They wait in
// the browser; when the network returns they are sent. The replay is cut
// off after the server stored the second contact but before its answer
// arrived; the retry then sends it again and the server, recognising its
// client id, does not store it twice: exactly three contacts in the end.
func TestOfflineQueue(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	const email = "offline@example.nl"
	workerIn(t, s, email, "BU03440112")
	ctx := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, ctx, s.URL, email)
	open(t, ctx, s.URL+"/contacten/nieuw")
	// Wait until the service worker controls the page, so the form also opens offline.
	var controlled bool
	do(t, ctx, "service worker", chromedp.Evaluate(`navigator.serviceWorker.ready.then(() => new Promise(r => {
		if (navigator.serviceWorker.controller) { r(true); return; }
		navigator.serviceWorker.addEventListener("controllerchange", () => r(true));
		setTimeout(() => r(!!navigator.serviceWorker.controller), 5000);
	}))`, &controlled, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if !controlled {
		t.Fatal("service worker does not control the quick-log page")
	}

	setOffline(t, ctx, true)
	// The page opens without a connection, from the service worker's cache.
	if h1 := open(t, ctx, s.URL+"/contacten/nieuw"); h1 != "Contact vastleggen" {
		t.Fatalf("offline h1 %q", h1)
	}
	// The first contact ever: choose the place (the only neighbourhood is preselected).
	do(t, ctx, "choose place", chromedp.SetValue("#veld-place_type", "straat", chromedp.ByQuery))
	strategies := []string{"0", "1", "2"}
	for i, st := range strategies {
		tap(t, ctx, `label[for="veld-strategy-`+st+`"]`)
		if i == 2 {
			tap(t, ctx, "details.bk-details summary")
			fill(t, ctx, "people_count", "7")
		}
		tap(t, ctx, `form[data-contact-form] button[type="submit"]`)
		want := fmt.Sprintf("%d contacten wachten op verzending.", i+1)
		if i == 0 {
			want = "1 contact wacht op verzending."
		}
		waitFor(t, "queue of "+fmt.Sprint(i+1), func() bool { return strings.Contains(queueText(t, ctx), want) })
	}
	testkit.AssertAccessible(t, ctx)
	if n := contactCount(t, s, email); n != 0 {
		t.Fatalf("%d contacts reached the server while offline", n)
	}

	// Cut the replay: the second sync request reaches the server, but its
	// answer is lost on the way back.
	var syncs atomic.Int32
	chromedp.ListenTarget(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			c := chromedp.FromContext(ctx)
			ectx := cdp.WithExecutor(ctx, c.Target)
			if syncs.Add(1) == 2 {
				_ = fetch.FailRequest(e.RequestID, network.ErrorReasonConnectionReset).Do(ectx)
				return
			}
			_ = fetch.ContinueRequest(e.RequestID).Do(ectx)
		}()
	})
	do(t, ctx, "intercept sync", fetch.Enable().WithPatterns([]*fetch.RequestPattern{
		{URLPattern: "*/contacten/sync", RequestStage: fetch.RequestStageResponse},
	}))
	setOffline(t, ctx, false)
	var done bool
	do(t, ctx, "replay", chromedp.Evaluate(`window.bkReplayContacts().then(() => true)`, &done,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	waitFor(t, "interrupted replay", func() bool { return strings.Contains(queueText(t, ctx), "2 contacten wachten") })
	if n := contactCount(t, s, email); n != 2 {
		t.Fatalf("%d contacts after the interrupted replay, want 2 (the second stored, its answer lost)", n)
	}

	// Retry: everything arrives, nothing twice.
	do(t, ctx, "retry", chromedp.Evaluate(`window.bkReplayContacts().then(() => true)`, &done,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	waitFor(t, "empty queue", func() bool { return !strings.Contains(queueText(t, ctx), "wacht") })
	if n := contactCount(t, s, email); n != 3 {
		t.Fatalf("%d contacts after the retry, want exactly 3", n)
	}
	var strategiesStored, people int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(DISTINCT strategy), max(people_count) FROM contacts`).Scan(&strategiesStored, &people); err != nil {
		t.Fatal(err)
	}
	if strategiesStored != 3 || people != 7 {
		t.Errorf("stored %d strategies, max people %d; want the three queued contacts as entered", strategiesStored, people)
	}
	if n := syncs.Load(); n < 4 {
		t.Errorf("%d sync requests, want at least 4 (3 + the retried one)", n)
	}
}

// TestQuickLogSurvivesEndedSession: the session ends while the form is open
// (the save lands on the login page); after logging in again the contact
// is sent from the browser's queue, once.
func TestQuickLogSurvivesEndedSession(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	const email = "sessie@example.nl"
	workerIn(t, s, email, "BU03440112")
	ctx := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, ctx, s.URL, email)
	open(t, ctx, s.URL+"/contacten/nieuw")
	do(t, ctx, "choose place", chromedp.SetValue("#veld-place_type", "buurthuis", chromedp.ByQuery))
	tap(t, ctx, `label[for="veld-strategy-2"]`)
	if _, err := s.DB.Exec(context.Background(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `form[data-contact-form] button[type="submit"]`)
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/inloggen") {
		t.Fatalf("after the session ended the save went to %s", loc)
	}
	if n := contactCount(t, s, email); n != 0 {
		t.Fatalf("%d contacts stored without a session", n)
	}
	testkit.BrowserLogin(t, ctx, s.URL, email)
	open(t, ctx, s.URL+"/contacten/nieuw")
	waitFor(t, "queued contact sent after login", func() bool { return contactCount(t, s, email) == 1 })
	open(t, ctx, s.URL+"/contacten/nieuw")
	time.Sleep(300 * time.Millisecond)
	if n := contactCount(t, s, email); n != 1 {
		t.Errorf("%d contacts, want 1", n)
	}
}
