package fund_test

import (
	"context"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// followUpWorld is a municipality with two neighbourhoods, an initiative
// in the first with one application to a fund, and the people around it.
type followUpWorld struct {
	srv                     *testkit.Server
	municipality            int64
	home, other             int64 // neighbourhoods of the municipality
	initiative, fund, app   int64
	owner, officer          int64
	resident, neighbour     int64 // residents of home and other
	outsider, officerAway   int64 // a resident and an officer of another municipality
	ownerMail, officerMail  string
	residentMail, neighMail string
}

func followUpExec(t *testing.T, w *followUpWorld, sql string, args ...any) {
	t.Helper()
	if _, err := w.srv.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func followUpID(t *testing.T, w *followUpWorld, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := w.srv.DB.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// followUpNewWorld builds the world; mode is the fund's decision mode.
func followUpNewWorld(t *testing.T, mode string) *followUpWorld {
	t.Helper()
	w := &followUpWorld{srv: testkit.NewServer(t), ownerMail: "eigenaar@example.org", officerMail: "ambtenaar@example.org",
		residentMail: "bewoner@example.org", neighMail: "buurman@example.org"}
	geo := testkit.NewGeo(t, w.srv.DB)
	w.home = geo.Neighbourhood("BU09990101", "Thuisbuurt")
	w.other = geo.Neighbourhood("BU09990201", "Overkant")
	away := geo.Neighbourhood("BU08880101", "Elders")
	w.municipality = geo.Municipality("GM0999", "GM0999")
	w.owner = w.srv.CreateUser(t, w.ownerMail).ID
	w.officer = w.srv.CreateUser(t, w.officerMail, role.Officer).ID
	w.resident = w.srv.CreateUser(t, w.residentMail).ID
	w.neighbour = w.srv.CreateUser(t, w.neighMail).ID
	w.outsider = w.srv.CreateUser(t, "elders@example.org").ID
	w.officerAway = w.srv.CreateUser(t, "ambtenaar-elders@example.org", role.Officer).ID
	followUpExec(t, w, `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = ANY ($1::bigint[])`, []int64{w.owner, w.resident, w.officer}, w.home)
	followUpExec(t, w, `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = $1`, w.neighbour, w.other)
	followUpExec(t, w, `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = $1`, w.outsider, away)
	followUpExec(t, w, `UPDATE accounts SET municipality_id = $2 WHERE id = $1`, w.officer, w.municipality)
	followUpExec(t, w, `UPDATE accounts SET municipality_id = (SELECT municipality_id FROM neighbourhoods WHERE id = $2) WHERE id = $1`, w.officerAway, away)
	w.initiative = followUpID(t, w, `
		INSERT INTO initiatives (title, summary, municipality_id, themes, form, status, contact_preference, visibility, created_by)
		VALUES ('Moestuin aan de Singel', 'Samen groente kweken', $1, '{ontmoeting,groen}', 'informal', 'actief', 'platform', 'public', $2)
		RETURNING id`, w.municipality, w.owner)
	followUpExec(t, w, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, w.initiative, w.home)
	followUpExec(t, w, `INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2)`, w.initiative, w.owner)
	w.fund = followUpID(t, w, `
		INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, period_label, opens_on, budget_cents, decision_mode, advice_days)
		VALUES ('Buurtbudget 2026', $1, $1, '2026', '2026-01-01', 500000, $2, 14) RETURNING id`, w.municipality, mode)
	w.app = w.apply(t, 125050, "Zaden en gereedschap")
	return w
}

// apply files an application of the initiative to the fund.
func (w *followUpWorld) apply(t *testing.T, cents int64, purpose string) int64 {
	t.Helper()
	return followUpID(t, w, `
		INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by, own_contribution_cents, impact)
		VALUES ($1, $2, $3, $4, 'Zaden € 200', $5, 10000, 'Een plek om elkaar te zien') RETURNING id`,
		w.initiative, w.fund, cents, purpose, w.owner)
}

// grant grants application id for cents.
func (w *followUpWorld) grant(t *testing.T, id, cents int64) {
	t.Helper()
	followUpExec(t, w, `UPDATE funding_requests SET status = 'toegekend', granted_cents = $2, decided_at = now(),
		decided_by = $3, reason = 'Past goed bij het fonds' WHERE id = $1`, id, cents, w.officer)
}

func followUpToday() string { return time.Now().Format(time.DateOnly) }
