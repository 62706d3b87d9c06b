package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Funds of the demo (issue 12) beside the municipality's buurtbudget (made
// with the initiatives): a housing corporation's leefbaarheidsbudget for
// Wijk 01 West, whose staff member has a demo account, and a charitable
// fund with a residents' jury; applications to them in every state. The
// file sorts after initiatives.go, so its step runs after the initiatives.
func init() {
	register(step{name: "funds", run: seedFunds})
}

// FunderEmail is the demo account of the housing corporation's staff
// member, who decides on its fund (a resident with a funder_staff row).
const FunderEmail = "corporatie@demo.buurtkracht.nl"

// Demo funder organisations (made-up names).
const (
	demoCorporation = "Woonstichting De Bouwsteen (demo)"
	demoCharity     = "Stichting Het Goede Buurtfonds (demo)"
)

type demoApplication struct {
	key, initiative, fund, purpose, impact string
	lines                                  [][2]any // what, cents
	own                                    int64
	status                                 string // ingediend, toegekend, afgewezen
	granted                                int64
	conditions, reason                     string
}

var demoApplications = []demoApplication{
	{key: "6d656f75-0000-4000-8000-0000000000a1", initiative: "Buurtkamer Halve Maan", fund: "Leefbaarheidsbudget West",
		purpose: "Huur en inrichting van de buurtkamer", impact: "Een plek waar buren drie ochtenden per week binnenlopen.",
		lines: [][2]any{{"Huur, drie maanden", int64(90000)}, {"Koffie, thee en kopjes", int64(15000)}}, own: 15000, status: "ingediend"},
	{key: "6d656f75-0000-4000-8000-0000000000a2", initiative: "Moestuin Oog in Al", fund: "Het Goede Buurtfonds",
		purpose: "Een kas voor de winter", impact: "Ook in de winter samen tuinieren; de school doet mee.",
		lines: [][2]any{{"Kas van polycarbonaat", int64(120000)}, {"Fundering en bouten", int64(30000)}}, own: 30000, status: "toegekend",
		granted: 80000, conditions: "Vraag twee offertes op voor de kas.", reason: "De jury vindt het een sterk plan; de fundering betaalt de gemeente al."},
	{key: "6d656f75-0000-4000-8000-0000000000a3", initiative: "Repair Café De Spaak", fund: "Leefbaarheidsbudget West",
		purpose: "Een aanhanger voor het gereedschap", impact: "Het repair café kan ook in andere buurten staan.",
		lines: [][2]any{{"Aanhanger", int64(90000)}}, own: 10000, status: "afgewezen",
		reason: "De aanhanger staat niet in onze wijken; vraag het bij het buurtbudget van de gemeente."},
}

func seedFunds(ctx context.Context, tx pgx.Tx, d *Data) error {
	if _, err := tx.Exec(ctx, `
		INSERT INTO organisations (name, kind, funder_since) VALUES ($1, 'woningcorporatie', now()), ($2, 'fonds', now())
		ON CONFLICT (name) DO NOTHING`, demoCorporation, demoCharity); err != nil {
		return fmt.Errorf("funds: organisations: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO accounts (email, display_name, password_hash, roles, email_confirmed_at)
		SELECT $1, 'Sanne van de corporatie', password_hash, ARRAY[$2]::text[], now() FROM accounts WHERE email = $3
		ON CONFLICT (email) DO NOTHING`, FunderEmail, role.Resident, ResidentEmail); err != nil {
		return fmt.Errorf("funds: account: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO funder_staff (account_id, organisation_id, added_by)
		SELECT a.id, o.id, $3 FROM accounts a, organisations o WHERE a.email = $1 AND o.name = $2
		ON CONFLICT DO NOTHING`, FunderEmail, demoCorporation, d.Accounts[role.Admin]); err != nil {
		return fmt.Errorf("funds: staff: %w", err)
	}
	year := d.Now.Year()
	for _, f := range []struct {
		name, description, org, mode string
		budget, max                  int64
		supporters, own              int
		themes                       []string
		district                     bool
	}{
		{"Leefbaarheidsbudget West", "Geld van de woonstichting voor plannen die het wonen in Wijk 01 West prettiger maken.", demoCorporation, "funder",
			1500000, 250000, 1, 10, []string{"ontmoeting", "wonen", "openbare-ruimte"}, true},
		{"Het Goede Buurtfonds", "Een fonds voor kleine plannen van bewoners in heel Utrecht. Een jury van bewoners beslist.", demoCharity, "jury",
			2500000, 250000, 2, 20, nil, false},
	} {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO funds (name, description, funder_organisation_id, scope_municipality_id, period_label, opens_on, closes_on,
			                   budget_cents, max_per_request_cents, min_supporters, own_contribution_pct, decision_mode, created_by)
			SELECT $1, $2, o.id, $3, $4, make_date($5, 1, 1), make_date($5, 12, 31), $6, $7, $8, $9, $10, $11
			FROM organisations o WHERE o.name = $12 AND NOT EXISTS (SELECT 1 FROM funds WHERE name = $1)
			RETURNING id`, f.name, f.description, d.UtrechtID, fmt.Sprint(year), year, f.budget, f.max, f.supporters, f.own, f.mode,
			d.Accounts[role.Admin], f.org).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("funds: %s: %w", f.name, err)
		}
		for _, th := range f.themes {
			if _, err := tx.Exec(ctx, `INSERT INTO fund_themes (fund_id, theme) VALUES ($1, $2)`, id, th); err != nil {
				return fmt.Errorf("funds: %s: theme: %w", f.name, err)
			}
		}
		if f.district {
			if _, err := tx.Exec(ctx, `INSERT INTO fund_areas (fund_id, district_id) SELECT $1, district_id FROM neighbourhoods WHERE id = $2`, id, d.HomeID); err != nil {
				return fmt.Errorf("funds: %s: area: %w", f.name, err)
			}
		}
	}
	for k, a := range demoApplications {
		var total int64
		budget := ""
		for _, l := range a.lines {
			total += l[1].(int64)
			budget += fmt.Sprintf("%s: € %d,00\n", l[0], l[1].(int64)/100)
		}
		created := d.Now.Add(-time.Duration(10-k) * 24 * time.Hour)
		var decidedAt, decidedBy, granted any
		if a.status != "ingediend" {
			decidedAt = created.Add(3 * 24 * time.Hour)
		}
		if a.status == "toegekend" {
			granted = a.granted
		}
		if a.status == "afgewezen" {
			decidedBy = "staff"
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, own_contribution_cents, purpose, budget, impact, status,
			                              created_by, created_at, idempotency_key, decided_at, decided_by, granted_cents, conditions, reason)
			SELECT i.id, f.id, $3, $4, $5, $6, $7, $8, i.created_by, $9, $10, $11,
			       CASE WHEN $12::text = 'staff' THEN (SELECT id FROM accounts WHERE email = $16) END, $13, $14, $15
			FROM initiatives i, funds f WHERE i.title = $1 AND f.name = $2
			ON CONFLICT ON CONSTRAINT funding_requests_idempotency_key DO NOTHING
			RETURNING id`, a.initiative, a.fund, total-a.own, a.own, a.purpose, budget, a.impact, a.status, created, a.key,
			decidedAt, decidedBy, granted, a.conditions, a.reason, FunderEmail).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("funds: application %s: %w", a.key, err)
		}
		for p, l := range a.lines {
			if _, err := tx.Exec(ctx, `INSERT INTO funding_request_lines (request_id, position, what, amount_cents) VALUES ($1, $2, $3, $4)`,
				id, p+1, l[0], l[1]); err != nil {
				return fmt.Errorf("funds: application %s: line: %w", a.key, err)
			}
		}
	}
	return nil
}
