package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestInitiativeRegisteredJoinedAndFunded: on a phone a resident registers
// an initiative and asks for money from the buurtbudget, a second resident
// joins it, and an officer of Utrecht grants the request, which the owner
// then sees. axe-core checks every initiative page on the way, the form
// with errors included.
func TestInitiativeRegisteredJoinedAndFunded(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "initiatiefnemer@example.nl")
	s.CreateUser(t, "buurvrouw@example.nl")
	officerOf(t, s, "subsidie@example.nl", "GM0344")

	owner := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, owner, s.URL, "initiatiefnemer@example.nl")
	// Several municipalities have neighbourhoods, so the form asks first.
	if h1 := open(t, owner, s.URL+"/initiatieven/nieuw"); h1 != "Initiatief aanmelden" {
		t.Fatalf("chooser h1 %q", h1)
	}
	testkit.AssertAccessible(t, owner)
	do(t, owner, "choose Utrecht", chromedp.SetValue("#veld-gemeente", "GM0344", chromedp.ByQuery))
	click(t, owner, `form[action="/initiatieven/nieuw"] button[type="submit"]`)
	if !exists(t, owner, `input[name="buurt"][value="BU03440112"]`) {
		t.Fatalf("form for Utrecht lacks Oog in Al (at %s)", location(t, owner))
	}
	testkit.AssertAccessible(t, owner)

	// An empty submit shows the errors next to the fields.
	fill(t, owner, "titel", "")
	click(t, owner, `form[action="/initiatieven/nieuw"] button[type="submit"]`)
	txt := bodyText(t, owner)
	if !exists(t, owner, `[data-testid="error-summary"]`) || !strings.Contains(txt, "Kies minstens één buurt.") || !strings.Contains(txt, "Kies minstens één thema.") {
		t.Fatal("no errors after an empty submit")
	}
	testkit.AssertAccessible(t, owner)

	fill(t, owner, "titel", "Moestuin aan de Kromme Rijn")
	fill(t, owner, "samenvatting", "Samen groente kweken langs het water.")
	fill(t, owner, "beschrijving", "Iedereen is welkom, ook zonder ervaring.")
	do(t, owner, "open the district and tick Oog in Al",
		chromedp.Evaluate(`document.querySelector('#buurt-BU03440112').closest('details').open = true`, new(bool)),
		chromedp.Click(`#buurt-BU03440112`, chromedp.ByQuery, chromedp.NodeVisible),
		chromedp.Click(`input[name="thema"][value="openbare-ruimte"]`, chromedp.ByQuery, chromedp.NodeVisible),
		chromedp.Click(`#veld-behoefte-vrijwilligers`, chromedp.ByQuery, chromedp.NodeVisible),
	)
	fill(t, owner, "behoefte_geld", "Zaden en gereedschap")
	click(t, owner, `form[action="/initiatieven/nieuw"] button[type="submit"]`)
	initiativePath := location(t, owner)
	if !strings.HasPrefix(initiativePath, "/initiatieven/") || heading(t, owner) != "Moestuin aan de Kromme Rijn" {
		t.Fatalf("after registering: at %s, h1 %q, %s", initiativePath, heading(t, owner), bodyText(t, owner))
	}
	if txt := bodyText(t, owner); !strings.Contains(txt, "Je initiatief staat op Buurtkracht") || !strings.Contains(txt, "Zaden en gereedschap") {
		t.Fatal("new initiative page lacks the confirmation or the need")
	}
	testkit.AssertAccessible(t, owner)

	// The owner finds the municipality's fund in the potjeswijzer and applies.
	if _, err := s.DB.Exec(context.Background(), `
		INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, opens_on, closes_on, budget_cents)
		SELECT 'Buurtbudget Utrecht', id, id, current_date - 30, current_date + 60, 500000 FROM municipalities WHERE code = 'GM0344'`); err != nil {
		t.Fatal(err)
	}
	click(t, owner, `a[href="`+initiativePath+`/potjes"]`)
	testkit.AssertAccessible(t, owner)
	click(t, owner, `a[href$="/aanvraag"]`)
	testkit.AssertAccessible(t, owner)
	fill(t, owner, "regel_wat_1", "Zaden")
	fill(t, owner, "regel_bedrag_1", "-5")
	click(t, owner, `form[action$="/aanvraag"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, owner), "Vul een bedrag in euro") {
		t.Fatal("negative amount not refused")
	}
	testkit.AssertAccessible(t, owner)
	fill(t, owner, "regel_bedrag_1", "250")
	fill(t, owner, "regel_wat_2", "Aarde")
	fill(t, owner, "regel_bedrag_2", "500")
	fill(t, owner, "regel_wat_3", "Gereedschap")
	fill(t, owner, "regel_bedrag_3", "500,50")
	fill(t, owner, "doel", "Zaden, aarde en gereedschap")
	fill(t, owner, "effect", "Buren kweken samen groente.")
	click(t, owner, `form[action$="/aanvraag"] button[type="submit"]`)
	if txt := bodyText(t, owner); !strings.Contains(txt, "Je aanvraag is ingediend") || !strings.Contains(txt, "€ 1.250,50") {
		t.Fatal("request not confirmed to the owner")
	}
	open(t, owner, s.URL+initiativePath+"/bewerken")
	testkit.AssertAccessible(t, owner)

	// A neighbour finds it by searching a word form and joins.
	neighbour := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, neighbour, s.URL, "buurvrouw@example.nl")
	open(t, neighbour, s.URL+"/initiatieven?zoek=moestuinen")
	if !strings.Contains(bodyText(t, neighbour), "Moestuin aan de Kromme Rijn") {
		t.Fatal("search for moestuinen misses the garden")
	}
	testkit.AssertAccessible(t, neighbour)
	click(t, neighbour, `a[href="`+initiativePath+`"]`)
	if txt := bodyText(t, neighbour); strings.Contains(txt, "1.250,50") || !strings.Contains(txt, "1 aanvraag wacht") {
		t.Fatal("a neighbour sees the pending amount, or is not told a request waits")
	}
	testkit.AssertAccessible(t, neighbour)
	click(t, neighbour, `form[action$="/meedoen"] button[type="submit"]`)
	if txt := bodyText(t, neighbour); !strings.Contains(txt, "Je doet mee.") || !strings.Contains(txt, "1 persoon doet mee") {
		t.Fatal("joining not confirmed")
	}
	testkit.AssertAccessible(t, neighbour)

	// The officer of Utrecht grants the request, after confirming.
	officer := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, officer, s.URL, "subsidie@example.nl")
	open(t, officer, s.URL+"/aanvragen")
	if !strings.Contains(bodyText(t, officer), "€ 1.250,50") {
		t.Fatal("queue lacks the request")
	}
	testkit.AssertAccessible(t, officer)
	click(t, officer, `a[href^="/aanvragen/"]`)
	testkit.AssertAccessible(t, officer)
	click(t, officer, `form[action^="/aanvragen/"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, officer), "Kies een besluit.") {
		t.Fatal("empty decision not refused")
	}
	testkit.AssertAccessible(t, officer)
	do(t, officer, "grant", chromedp.Click(`input[name="besluit"][value="volledig"]`, chromedp.ByQuery, chromedp.NodeVisible))
	fill(t, officer, "motivering", "Een mooi plan voor het groen in West.")
	click(t, officer, `form[action^="/aanvragen/"] button[type="submit"]`)
	if txt := bodyText(t, officer); !strings.Contains(txt, "€ 1.250,50") || !strings.Contains(txt, "daarna € 3.749,50") {
		t.Fatal("confirmation lacks the amount or the remaining budget")
	}
	testkit.AssertAccessible(t, officer)
	click(t, officer, `button[value="bevestigen"]`)
	if txt := bodyText(t, officer); !strings.Contains(txt, "Het besluit is opgeslagen") || !strings.Contains(txt, "Toegekend") {
		t.Fatal("decision not confirmed")
	}
	testkit.AssertAccessible(t, officer)

	// The owner sees the decision and who joined.
	open(t, owner, s.URL+initiativePath)
	txt = bodyText(t, owner)
	// The owner sees who joined by name; no address is shown to another resident.
	for _, want := range []string{"Toegekend", "Een mooi plan voor het groen in West.", "buurvrouw"} {
		if !strings.Contains(txt, want) {
			t.Errorf("owner's page lacks %q", want)
		}
	}
	testkit.AssertAccessible(t, owner)

	// Visitors without an account see the list and the page, at desktop size.
	visitor := testkit.NewTab(t, testkit.Desktop)
	open(t, visitor, s.URL+"/initiatieven?gemeente=GM0344&status=idee")
	if !strings.Contains(bodyText(t, visitor), "1 initiatief gevonden") {
		t.Error("filtered list for visitors lacks the result count")
	}
	testkit.AssertAccessible(t, visitor)
	open(t, visitor, s.URL+initiativePath)
	if txt := bodyText(t, visitor); strings.Contains(txt, "buurvrouw@example.nl") || !strings.Contains(txt, "Log in") {
		t.Error("visitor sees who joined, or is not asked to log in")
	}
	testkit.AssertAccessible(t, visitor)
}

// TestInitiativeModerationAccessible: a resident reports an initiative, an
// administrator reads the report in the moderation list and hides it; the
// owner sees why. axe-core checks each page.
func TestInitiativeModerationAccessible(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "eigenaar@example.nl")
	s.CreateUser(t, "melder@example.nl")
	s.CreateUser(t, "moderator@example.nl", role.Admin)
	if _, err := s.DB.Exec(context.Background(), `
		WITH i AS (
			INSERT INTO initiatives (title, summary, municipality_id, themes, form, status, contact_preference, visibility, created_by)
			SELECT 'Ruilwinkel Oog in Al', 'Spullen ruilen in plaats van kopen.', m.id, '{elkaar-helpen}', 'informal', 'actief', 'platform', 'public', a.id
			FROM municipalities m, accounts a WHERE m.code = 'GM0344' AND a.email = 'eigenaar@example.nl' RETURNING id, created_by),
		o AS (INSERT INTO initiative_owners (initiative_id, account_id) SELECT id, created_by FROM i)
		INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id)
		SELECT i.id, n.id FROM i, neighbourhoods n WHERE n.code = 'BU03440112'`); err != nil {
		t.Fatal(err)
	}
	reporter := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, reporter, s.URL, "melder@example.nl")
	open(t, reporter, s.URL+"/initiatieven?zoek=ruilwinkel")
	click(t, reporter, `[data-testid="initiative"] a`)
	initiativePath := location(t, reporter)
	do(t, reporter, "open the report form", chromedp.Click(`.bk-report summary`, chromedp.ByQuery, chromedp.NodeVisible))
	testkit.AssertAccessible(t, reporter)
	fill(t, reporter, "melding", "Hier wordt reclame gemaakt voor een winkel.")
	click(t, reporter, `form[action*="/melden#"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, reporter), "Een beheerder bekijkt je melding.") {
		t.Fatal("report not confirmed")
	}

	admin := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, admin, s.URL, "moderator@example.nl")
	open(t, admin, s.URL+"/beheer/initiatieven")
	testkit.AssertAccessible(t, admin)
	click(t, admin, `[data-testid="moderation"] a`)
	if !strings.Contains(bodyText(t, admin), "Hier wordt reclame gemaakt voor een winkel.") {
		t.Fatal("admin does not see the report")
	}
	testkit.AssertAccessible(t, admin)
	fill(t, admin, "reden", "Reclame voor een winkel past niet bij een bewonersinitiatief.")
	click(t, admin, `form[action*="/verbergen#"] button[type="submit"]`)
	testkit.AssertAccessible(t, admin)

	owner := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, owner, s.URL, "eigenaar@example.nl")
	open(t, owner, s.URL+initiativePath)
	if !strings.Contains(bodyText(t, owner), "Reclame voor een winkel past niet bij een bewonersinitiatief.") {
		t.Fatal("owner does not see why it was hidden")
	}
	testkit.AssertAccessible(t, owner)
}
