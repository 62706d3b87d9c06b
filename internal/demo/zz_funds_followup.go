package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// What follows a decision, in the demo: a residents' fund of Utrecht West
// that asks residents' advice, with an application residents are advising
// on, a granted one that was paid and accounted for, a granted one whose
// account is overdue (the reminder job picks it up), and a granted one
// not paid yet (the officer's payout form). Named to run
// after the funds step and every other step (steps run in file name order).
func init() {
	register(step{name: "funds followup", run: seedFundsFollowUp})
}

// DemoAdviceFund is the name of the demo fund that asks residents' advice.
const DemoAdviceFund = "Bewonersfonds West"

type demoFollowUpApp struct {
	key, initiative, purpose, impact string // initiative: its idempotency key
	cents, own                       int64
	createdDays                      int   // days ago
	granted                          int64 // 0: pending
	paidDays                         int   // days ago of the payout; 0: none
	account                          bool
}

var demoFollowUpApps = []demoFollowUpApp{
	{key: "6d656f75-0000-4000-8000-0000000000b1", initiative: "6d656f75-0000-4000-8000-000000000003",
		purpose: "Naaimachine en stoffen voor de naaitafel", impact: "Buren repareren hun kleding samen in plaats van hem weg te gooien.",
		cents: 60000, own: 5000, createdDays: 3},
	{key: "6d656f75-0000-4000-8000-0000000000b2", initiative: "6d656f75-0000-4000-8000-000000000001",
		purpose: "Oogstfeest voor de hele straat", impact: "Buren die elkaar nog niet kennen, eten samen van de oogst.",
		cents: 75000, own: 10000, createdDays: 60, granted: 75000, paidDays: 40, account: true},
	{key: "6d656f75-0000-4000-8000-0000000000b3", initiative: "6d656f75-0000-4000-8000-000000000002",
		purpose: "Startbijeenkomst van het broodfonds", impact: "Zelfstandigen in West leren elkaar kennen en beginnen samen een broodfonds.",
		cents: 40000, own: 0, createdDays: 150, granted: 40000, paidDays: 120},
	{key: "6d656f75-0000-4000-8000-0000000000b4", initiative: "6d656f75-0000-4000-8000-000000000004",
		purpose: "Koffie en thee voor de eerste drie maanden", impact: "Buren lopen binnen voor een praatje, ook wie weinig mensen ziet.",
		cents: 30000, own: 0, createdDays: 20, granted: 30000},
}

func seedFundsFollowUp(ctx context.Context, tx pgx.Tx, d *Data) error {
	officer := d.Accounts[role.Officer]
	opens := d.Now.AddDate(0, 0, -200)
	var fund int64
	err := tx.QueryRow(ctx, `SELECT id FROM funds WHERE name = $1 AND scope_municipality_id = $2`, DemoAdviceFund, d.UtrechtID).Scan(&fund)
	if errors.Is(err, pgx.ErrNoRows) {
		err = tx.QueryRow(ctx, `
			INSERT INTO funds (name, description, funder_municipality_id, scope_municipality_id, period_label, opens_on, budget_cents,
			                   max_per_request_cents, decision_mode, advice_days, account_due_days, created_by)
			VALUES ($1, 'Voor plannen van bewoners in Utrecht West. Bewoners van West geven advies; daarna beslist de gemeente.',
			        $2, $2, $3, $4, 1000000, 250000, 'advice', 21, 60, $5)
			RETURNING id`, DemoAdviceFund, d.UtrechtID, fmt.Sprint(opens.Year()), opens, officer).Scan(&fund)
		if err == nil {
			_, err = tx.Exec(ctx, `INSERT INTO fund_areas (fund_id, district_id) SELECT $1, id FROM districts WHERE code = 'WK034401'`, fund)
		}
		if err == nil {
			_, err = tx.Exec(ctx, `INSERT INTO fund_themes (fund_id, theme) VALUES ($1, 'ontmoeting'), ($1, 'duurzaamheid'), ($1, 'elkaar-helpen')`, fund)
		}
	}
	if err != nil {
		return fmt.Errorf("funds followup: fund: %w", err)
	}
	for _, a := range demoFollowUpApps {
		if err := seedFollowUpApp(ctx, tx, d, fund, officer, a); err != nil {
			return fmt.Errorf("funds followup: %s: %w", a.purpose, err)
		}
	}
	return nil
}

func seedFollowUpApp(ctx context.Context, tx pgx.Tx, d *Data, fund, officer int64, a demoFollowUpApp) error {
	var initiative, owner int64
	err := tx.QueryRow(ctx, `SELECT id, created_by FROM initiatives WHERE idempotency_key = $1`, a.initiative).Scan(&initiative, &owner)
	if err != nil {
		return err
	}
	created := d.Now.AddDate(0, 0, -a.createdDays)
	status, reason, granted := "ingediend", "", any(nil)
	var decidedAt, decidedBy any
	if a.granted > 0 {
		status, reason, granted = "toegekend", "Past goed bij het fonds: het brengt buren samen.", a.granted
		decidedAt, decidedBy = created.Add(7*24*time.Hour), officer
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, status, created_by, created_at,
		                              idempotency_key, decided_by, decided_at, reason, granted_cents, own_contribution_cents, impact)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT ON CONSTRAINT funding_requests_idempotency_key DO NOTHING RETURNING id`,
		initiative, fund, a.cents, a.purpose, a.purpose+": "+fmt.Sprint(a.cents/100)+" euro", status, owner, created,
		a.key, decidedBy, decidedAt, reason, granted, a.own, a.impact).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // added by an earlier run
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO funding_request_lines (request_id, position, what, amount_cents) VALUES ($1, 1, $2, $3)`,
		id, a.purpose, a.cents+a.own); err != nil {
		return err
	}
	if a.granted == 0 {
		// Henk advised; the demo resident has not yet (and may: a
		// supporter living in West, not an owner of the repair café).
		_, err := tx.Exec(ctx, `
			INSERT INTO funding_advice (request_id, account_id, support, comment, created_at)
			SELECT $1, id, true, 'Mijn broek ligt al een jaar op de stapel: goed plan!', $2
			FROM accounts WHERE email = 'henk@demo.buurtkracht.nl'`, id, created.Add(24*time.Hour))
		return err
	}
	if a.paidDays > 0 {
		if _, err := tx.Exec(ctx, `
			INSERT INTO funding_payouts (request_id, amount_cents, paid_on, note, recorded_by, created_at)
			VALUES ($1, $2, $3::timestamptz::date, 'In één keer', $4, $3::timestamptz)`, id, a.granted, d.Now.AddDate(0, 0, -a.paidDays), officer); err != nil {
			return err
		}
	}
	if a.account {
		_, err := tx.Exec(ctx, `
			INSERT INTO funding_accounts (request_id, what_happened, who_took_part, what_brought, spent_on, submitted_by, submitted_at)
			VALUES ($1, 'Op een zaterdag in september aten we met de hele straat van de oogst, aan lange tafels op het veldje.',
			        'Zo''n zestig buren, veel kinderen, en de bewoners van het zorgcentrum om de hoek.',
			        'Buren die elkaar alleen van gezicht kenden, spreken nu af om samen te wieden.',
			        'Tafels en stoelen huren € 250\nBoodschappen € 400\nDrukwerk € 100', $2, $3)`,
			id, owner, d.Now.AddDate(0, 0, -a.paidDays+20))
		return err
	}
	return nil
}
