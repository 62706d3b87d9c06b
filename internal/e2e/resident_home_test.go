package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestResidentHomeOnPhone is issue 11's walk on a phone: a resident of Oog
// in Al logs in and lands on her own neighbourhood, where what's on comes
// before the map and the figures; she opens an event from "Wat is er te
// doen", signs up, and asks her neighbours for a hand from the same page.
// Every page on the way passes axe-core.
func TestResidentHomeOnPhone(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	const home = "BU03440112"
	a := s.CreateUser(t, "lotte@example.nl")
	workerIn(t, s, "thuiswerker@example.nl", home)
	ctx := context.Background()
	if _, err := s.DB.Exec(ctx, `UPDATE accounts SET display_name = 'Lotte Jansen',
		home_neighbourhood_id = (SELECT id FROM neighbourhoods WHERE code = $2) WHERE id = $1`, a.ID, home); err != nil {
		t.Fatal(err)
	}
	var event int64
	if err := s.DB.QueryRow(ctx, `
		INSERT INTO events (title, theme, starts_at, ends_at, place_text, visibility, capacity, created_by)
		SELECT 'Soep op het plein', 'ontmoeting', now() + interval '3 days', now() + interval '3 days 2 hours',
		       'Het plein', 'public', 20, id FROM accounts WHERE email = 'thuiswerker@example.nl'
		RETURNING id`).Scan(&event); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `INSERT INTO event_neighbourhoods (event_id, neighbourhood_id)
		SELECT $1, id FROM neighbourhoods WHERE code = $2`, event, home); err != nil {
		t.Fatal(err)
	}

	tab := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, tab, s.URL, "lotte@example.nl")
	if got := location(t, tab); got != "/buurten/"+home {
		t.Fatalf("after login at %s, want her neighbourhood /buurten/%s", got, home)
	}
	testkit.AssertAccessible(t, tab)

	// On a phone the hub's sections come first: the agenda above the help
	// section, both above the figures and the map.
	var order []string
	do(t, tab, "read the section order", chromedp.Evaluate(`Array.from(document.querySelectorAll(
		'[data-testid="agenda-section"], [data-testid="help-section"], [data-testid="workers-section"], [data-testid="figures-section"], section[aria-labelledby="kaart-kop"]'))
		.map(e => e.dataset.testid || 'map')`, &order))
	want := []string{"agenda-section", "help-section", "workers-section", "figures-section", "map"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("section order on the neighbourhood page: %v, want %v", order, want)
	}
	var agendaTop float64
	do(t, tab, "measure the agenda", chromedp.Evaluate(
		`document.querySelector('[data-testid="agenda-section"]').getBoundingClientRect().top + window.scrollY`, &agendaTop))
	if agendaTop > 1200 {
		t.Errorf("'Wat is er te doen' starts %.0f px down on a phone; it should be near the top", agendaTop)
	}

	click(t, tab, `[data-testid="agenda-section"] a[href^="/bijeenkomsten/"]`)
	if h := heading(t, tab); h != "Soep op het plein" {
		t.Fatalf("event page h1 %q at %s", h, location(t, tab))
	}
	testkit.AssertAccessible(t, tab)
	click(t, tab, `form[action$="/aanmelden"] button[type="submit"]`)
	if !exists(t, tab, `[data-testid="signup-status"]`) || !strings.Contains(bodyText(t, tab), "Je bent aangemeld.") {
		t.Fatalf("not signed up: %s", bodyText(t, tab))
	}
	testkit.AssertAccessible(t, tab)

	open(t, tab, s.URL+"/buurten/"+home)
	click(t, tab, `[data-testid="help-section"] a[href="/burenhulp/nieuw"]`)
	if h := heading(t, tab); h != "Hulp vragen" {
		t.Fatalf("help form h1 %q", h)
	}
	testkit.AssertAccessible(t, tab)
	do(t, tab, "choose a category", chromedp.SetValue("#veld-categorie", "klusje", chromedp.ByQuery))
	fill(t, tab, "tekst", "Wie helpt me zaterdag een kast in elkaar te zetten?")
	click(t, tab, `form[action="/burenhulp/nieuw"] button[type="submit"]`)
	if !strings.HasPrefix(location(t, tab), "/burenhulp/") || !strings.Contains(bodyText(t, tab), "kast in elkaar") {
		t.Fatalf("after asking: at %s: %s", location(t, tab), bodyText(t, tab))
	}
	testkit.AssertAccessible(t, tab)

	var signups int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM event_signups WHERE event_id = $1 AND account_id = $2 AND NOT waiting`,
		event, a.ID).Scan(&signups); err != nil || signups != 1 {
		t.Fatalf("sign-ups in the database: %d (%v)", signups, err)
	}
}
