package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/fund"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestFundFromFinderToAccount follows one budget from idea to account, by
// links only once set up: on a phone the owner of an initiative that needs
// money finds a fund that asks residents' advice in the potjeswijzer and
// applies with budget lines and an own contribution; a resident of the
// fund's area advises; at desktop size the officer opens the application,
// sees the advice, grants after the confirmation step and records a
// payout; the owner gives the light account. axe-core checks every page.
func TestFundFromFinderToAccount(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	ctx := context.Background()
	owner := s.CreateUser(t, "eigenaar@example.nl")
	resident := s.CreateUser(t, "buurtbewoner@example.nl")
	officerOf(t, s, "potjes@example.nl", "GM0344")
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.DB.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	id := func(sql string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := s.DB.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	// Both live in Oog in Al; the initiative needs money and has a supporter.
	exec(`UPDATE accounts SET home_neighbourhood_id = (SELECT id FROM neighbourhoods WHERE code = 'BU03440112') WHERE id = ANY ($1::bigint[])`,
		[]int64{owner.ID, resident.ID})
	initiative := id(`
		INSERT INTO initiatives (title, summary, municipality_id, themes, form, status, contact_preference, visibility, created_by)
		SELECT 'Bankjes bij de Kromme Rijn', 'Samen bankjes bouwen langs het water', id, '{ontmoeting}', 'informal', 'actief', 'platform', 'public', $1
		FROM municipalities WHERE code = 'GM0344' RETURNING id`, owner.ID)
	exec(`INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) SELECT $1, id FROM neighbourhoods WHERE code = 'BU03440112'`, initiative)
	exec(`INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2)`, initiative, owner.ID)
	exec(`INSERT INTO initiative_needs (initiative_id, need, details) VALUES ($1, 'geld', 'Hout en schroeven')`, initiative)
	exec(`INSERT INTO initiative_supporters (initiative_id, account_id) VALUES ($1, $2)`, initiative, resident.ID)
	fundID := id(`
		INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, opens_on, closes_on, budget_cents,
		                   min_supporters, own_contribution_pct, decision_mode, advice_days)
		SELECT 'Bewonersbudget West', id, id, current_date - 30, current_date + 60, 500000, 1, 10, 'advice', 14
		FROM municipalities WHERE code = 'GM0344' RETURNING id`)
	initiativePath := "/initiatieven/" + strconv.FormatInt(initiative, 10)

	// The owner finds the fund and applies.
	o := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, o, s.URL, "eigenaar@example.nl")
	open(t, o, s.URL+initiativePath)
	testkit.AssertAccessible(t, o)
	click(t, o, `a[href="`+initiativePath+`/potjes"]`)
	if !strings.Contains(bodyText(t, o), "Bewonersbudget West") {
		t.Fatal("the potjeswijzer does not show the fund")
	}
	testkit.AssertAccessible(t, o)
	click(t, o, `a[href="`+initiativePath+`/potjes/`+strconv.FormatInt(fundID, 10)+`/aanvraag"]`)
	testkit.AssertAccessible(t, o)
	fill(t, o, "regel_wat_1", "Hout")
	fill(t, o, "regel_bedrag_1", "€ 900")
	fill(t, o, "regel_wat_2", "Schroeven en verf")
	fill(t, o, "regel_bedrag_2", "100")
	fill(t, o, "eigen", "50")
	fill(t, o, "doel", "Hout, schroeven en verf voor drie bankjes")
	fill(t, o, "effect", "Buren bouwen samen en hebben een plek om te zitten.")
	click(t, o, `form[action$="/aanvraag"] button[type="submit"]`)
	if !exists(t, o, `[data-testid="error-summary"]`) || !exists(t, o, `#veld-eigen-fout`) {
		t.Fatal("an own contribution under the fund's share was not refused")
	}
	testkit.AssertAccessible(t, o)
	fill(t, o, "eigen", "100")
	click(t, o, `form[action$="/aanvraag"] button[type="submit"]`)
	if txt := bodyText(t, o); !strings.HasPrefix(location(t, o), initiativePath) || !strings.Contains(txt, "€ 900,00") {
		t.Fatalf("application not filed: at %s", location(t, o))
	}
	app := id(`SELECT id FROM funding_requests WHERE initiative_id = $1`, initiative)
	if !exists(t, o, `a[href="`+fund.AdvicePath(app)+`"]`) {
		t.Fatal("the owner's application does not lead to the residents' advice")
	}
	testkit.AssertAccessible(t, o)

	// A resident of the fund's area advises, coming from the fund's page.
	r := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, r, s.URL, "buurtbewoner@example.nl")
	open(t, r, s.URL+"/fondsen/"+strconv.FormatInt(fundID, 10))
	testkit.AssertAccessible(t, r)
	click(t, r, `a[href="`+fund.AdvicePath(app)+`"]`)
	testkit.AssertAccessible(t, r)
	do(t, r, "support", chromedp.Click(`input[name="advies"][value="voor"]`, chromedp.ByQuery, chromedp.NodeVisible))
	fill(t, r, "toelichting", "Fijn, dan kan ik er ook zitten.")
	click(t, r, `form[action="`+fund.AdvicePath(app)+`"] button[type="submit"]`)
	if txt := bodyText(t, r); !strings.Contains(txt, "1 voor, 0 tegen") {
		t.Fatal("the advice is not counted")
	}
	testkit.AssertAccessible(t, r)

	// The officer sees the advice beside the application and grants.
	of := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, of, s.URL, "potjes@example.nl")
	open(t, of, s.URL+"/aanvragen")
	testkit.AssertAccessible(t, of)
	request := "/aanvragen/" + strconv.FormatInt(app, 10)
	click(t, of, `a[href="`+request+`"]`)
	if txt := bodyText(t, of); !strings.Contains(txt, "1 voor, 0 tegen") || !strings.Contains(txt, "Hout: € 900,00") {
		t.Fatal("the officer does not see the advice or the budget lines")
	}
	testkit.AssertAccessible(t, of)
	do(t, of, "grant", chromedp.Click(`input[name="besluit"][value="volledig"]`, chromedp.ByQuery, chromedp.NodeVisible))
	fill(t, of, "motivering", "Bewoners steunen het en het past bij het budget.")
	click(t, of, `form[action="`+request+`"] button[type="submit"]`)
	if txt := bodyText(t, of); !strings.Contains(txt, "€ 900,00") || !strings.Contains(txt, "daarna € 4.100,00") {
		t.Fatal("the confirmation lacks the amount or what the fund has left")
	}
	testkit.AssertAccessible(t, of)
	click(t, of, `button[value="bevestigen"]`)
	if !strings.Contains(bodyText(t, of), "Het besluit is opgeslagen") {
		t.Fatal("decision not confirmed")
	}
	testkit.AssertAccessible(t, of)
	open(t, of, s.URL+request)
	click(t, of, `a[href="`+fund.PayoutPath(app)+`"]`)
	testkit.AssertAccessible(t, of)
	fill(t, of, "bedrag", "900")
	click(t, of, `form[action="`+fund.PayoutPath(app)+`"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, of), "De uitbetaling is vastgelegd.") {
		t.Fatal("payout not recorded")
	}
	testkit.AssertAccessible(t, of)

	// The owner gives the light account from the initiative's page.
	open(t, o, s.URL+initiativePath)
	if txt := bodyText(t, o); !strings.Contains(txt, "Bewoners steunen het") {
		t.Fatal("the owner does not see the motivation")
	}
	testkit.AssertAccessible(t, o)
	click(t, o, `a[href="`+fund.AccountPath(app)+`"]`)
	testkit.AssertAccessible(t, o)
	fill(t, o, "wat", "We bouwden op een zaterdag drie bankjes.")
	fill(t, o, "wie", "Twaalf buren en vier kinderen.")
	fill(t, o, "opbrengst", "Er zitten nu elke avond mensen aan het water.")
	fill(t, o, "besteding", "Hout € 800, schroeven en verf € 100.")
	click(t, o, `form[action="`+fund.AccountPath(app)+`"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, o), "Bedankt voor je verantwoording") {
		t.Fatal("account not confirmed")
	}
	testkit.AssertAccessible(t, o)
	var accounted bool
	if err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM funding_accounts WHERE request_id = $1)`, app).Scan(&accounted); err != nil || !accounted {
		t.Fatalf("no account stored (%v)", err)
	}
}
