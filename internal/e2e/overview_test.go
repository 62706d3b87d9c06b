package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestOfficerOverview: an officer of Utrecht opens the overview, colours the
// map by open signals, drills into a neighbourhood from the map and
// downloads the table as CSV. axe-core checks every page on the way.
func TestOfficerOverview(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	officerOf(t, s, "overzicht@example.nl", "GM0344")
	workerIn(t, s, "werker-overzicht@example.nl", "BU03440112")
	if _, err := s.DB.Exec(context.Background(), `
		-- The story (g = 1) and the signal are dated now: the overview opens on
		-- the current year, so they show in the first days of January too.
		INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy, energy, story, story_shared_at, client_id)
		SELECT (SELECT id FROM accounts WHERE email = 'werker-overzicht@example.nl'), now() - (g - 1) * interval '3 days',
		       (SELECT id FROM neighbourhoods WHERE code = 'BU03440112'), 'straat', 1 + g % 4, ARRAY['wonen'],
		       (ARRAY['bonding', 'bridging', 'linking'])[1 + g % 3], 'wil een moestuin',
		       CASE WHEN g = 1 THEN 'Een buurman vertelde over de moestuin.' END, CASE WHEN g = 1 THEN now() END, gen_random_uuid()
		  FROM generate_series(1, 12) g;
		INSERT INTO signals (neighbourhood_id, title, theme, addressed_to, raised_as, idempotency_key)
		VALUES ((SELECT id FROM neighbourhoods WHERE code = 'BU03440112'), 'Speeltuin kapot', 'openbare-ruimte', 'gemeente', 'resident', gen_random_uuid())`); err != nil {
		t.Fatal(err)
	}

	tab := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, tab, s.URL, "overzicht@example.nl")
	if h1 := open(t, tab, s.URL+"/overzicht"); h1 != "Overzicht Utrecht" {
		t.Fatalf("h1 %q", h1)
	}
	if !exists(t, tab, `[data-testid="overview-map"][data-metric="contacten"]`) || !exists(t, tab, `tr[data-code="BU03440112"]`) {
		t.Fatal("no map or no row for Oog in Al")
	}
	testkit.AssertAccessible(t, tab)

	// Colour the map by open signals.
	do(t, tab, "choose metric", chromedp.Click(`#veld-kaart-signalen`, chromedp.ByQuery))
	click(t, tab, `[data-testid="map-submit"]`)
	if !exists(t, tab, `[data-testid="overview-map"][data-metric="signalen"]`) {
		t.Fatalf("map not coloured by signals (at %s)", location(t, tab))
	}
	if !strings.Contains(location(t, tab), "kaart=signalen") {
		t.Errorf("metric not in the URL: %s", location(t, tab))
	}
	testkit.AssertAccessible(t, tab)

	// Drill into Oog in Al from the map.
	click(t, tab, `svg.bk-map a[href*="BU03440112"]`)
	if h1 := heading(t, tab); h1 != "Oog in Al" {
		t.Fatalf("drill-down h1 %q (at %s)", h1, location(t, tab))
	}
	if text := bodyText(t, tab); !strings.Contains(text, "Een buurman vertelde over de moestuin.") || !strings.Contains(text, "Speeltuin kapot") {
		t.Error("drill-down lacks the story or the signal")
	}
	testkit.AssertAccessible(t, tab)

	// Back to the overview, download the CSV (fetched with the page's session).
	click(t, tab, `.bk-back a`)
	var csv struct {
		Status      int    `json:"status"`
		Disposition string `json:"disposition"`
		Head        []int  `json:"head"`
		Text        string `json:"text"`
	}
	if err := chromedp.Run(tab, chromedp.Evaluate(`
		fetch(document.querySelector('[data-testid="csv-link"]').href).then(async r => {
			const b = new Uint8Array(await r.arrayBuffer());
			return {status: r.status, disposition: r.headers.get('content-disposition'), head: Array.from(b.slice(0, 3)),
			        text: new TextDecoder().decode(b)};
		})`, &csv, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
		t.Fatal(err)
	}
	if csv.Status != 200 || !strings.HasPrefix(csv.Disposition, "attachment") || len(csv.Head) != 3 || csv.Head[0] != 0xEF {
		t.Errorf("CSV download: status %d, disposition %q, first bytes %v", csv.Status, csv.Disposition, csv.Head)
	}
	if !strings.Contains(csv.Text, "Niveau;Code;Naam") || !strings.Contains(csv.Text, "BU03440112;Oog in Al") {
		t.Errorf("CSV content: %.200q", csv.Text)
	}

	// Compare two neighbourhoods ticked in the table.
	do(t, tab, "tick two neighbourhoods",
		chromedp.Click(`#vergelijk-BU03440112`, chromedp.ByQuery), chromedp.Click(`#vergelijk-BU03440111`, chromedp.ByQuery))
	click(t, tab, `form[action="/overzicht/vergelijk"] button[type="submit"]`)
	if h1 := heading(t, tab); h1 != "Buurten vergelijken" || !exists(t, tab, `[data-testid="compare-table"] th[data-code="BU03440111"]`) {
		t.Fatalf("compare page: h1 %q at %s", h1, location(t, tab))
	}
	testkit.AssertAccessible(t, tab)
}
