package fund_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// world is a small platform: Utrecht with an initiative in Oudwijk that
// asks for money, its owner and two supporters, deciders of every kind,
// and funds that fit it and that do not.
type world struct {
	s          *testkit.Server
	initiative int64
	// Funds: the municipality's buurtbudget (budget € 1.000, at most € 600,
	// one supporter, 10% own contribution), the housing corporation's fund
	// for Oost on the theme ontmoeting, one closed, one on another theme,
	// one of another municipality.
	muni, corp, closed, sport, amsterdam int64
	clients                              map[string]*testkit.Client
}

func exec(t testing.TB, s *testkit.Server, sql string, args ...any) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func scalar[T any](t testing.TB, s *testkit.Server, sql string, args ...any) T {
	t.Helper()
	var v T
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&v); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return v
}

func newWorld(t testing.TB) *world {
	t.Helper()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	utrecht := g.Municipality("GM0344", "Utrecht")
	amsterdam := g.Municipality("GM0363", "Amsterdam")
	oudwijk := g.Neighbourhood("BU03440301", "Oudwijk")
	g.Neighbourhood("BU03440101", "Domplein")
	g.Neighbourhood("BU03630000", "Kop Zeedijk")
	w := &world{s: s, clients: map[string]*testkit.Client{}}
	for _, u := range []struct {
		email string
		roles []role.Role
	}{
		{"owner@example.org", nil}, {"bram@example.org", nil}, {"carla@example.org", nil}, {"resident@example.org", nil},
		{"worker@example.org", []role.Role{role.Worker}}, {"admin@example.org", []role.Role{role.Admin}},
		{"officer@example.org", []role.Role{role.Officer}}, {"colleague@example.org", []role.Role{role.Officer}},
		{"officer-elsewhere@example.org", []role.Role{role.Officer}},
		{"staff@example.org", nil}, {"staff-other@example.org", nil},
	} {
		s.CreateUser(t, u.email, u.roles...)
	}
	exec(t, s, `UPDATE accounts SET municipality_id = $1 WHERE email IN ('officer@example.org', 'colleague@example.org')`, utrecht)
	exec(t, s, `UPDATE accounts SET municipality_id = $1 WHERE email = 'officer-elsewhere@example.org'`, amsterdam)
	exec(t, s, `INSERT INTO organisations (name, kind, funder_since) VALUES ('Woonstad', 'woningcorporatie', now()), ('Fonds Goed', 'fonds', now())`)
	exec(t, s, `INSERT INTO funder_staff (account_id, organisation_id)
		SELECT a.id, o.id FROM accounts a, organisations o
		WHERE (a.email, o.name) IN (('staff@example.org', 'Woonstad'), ('staff-other@example.org', 'Fonds Goed'))`)
	w.initiative = scalar[int64](t, s, `
		WITH i AS (INSERT INTO initiatives (title, summary, description, municipality_id, themes, form, status, contact_preference, visibility, created_by)
		           SELECT 'Moestuin Oudwijk', 'Samen groente kweken.', 'Met vijf buren op het veldje achter de school.', $1, '{ontmoeting}', 'informal', 'actief', 'platform', 'public', id
		           FROM accounts WHERE email = 'owner@example.org' RETURNING id, created_by),
		o AS (INSERT INTO initiative_owners (initiative_id, account_id) SELECT id, created_by FROM i),
		n AS (INSERT INTO initiative_needs (initiative_id, need) SELECT id, 'geld' FROM i),
		sp AS (INSERT INTO initiative_supporters (initiative_id, account_id) SELECT i.id, a.id FROM i, accounts a WHERE a.email IN ('bram@example.org', 'carla@example.org')),
		nb AS (INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) SELECT id, $2 FROM i)
		SELECT id FROM i`, utrecht, oudwijk)
	fund := func(name, funder string, scope int64, opens, closes string, budget, max int64, extra string) int64 {
		t.Helper()
		id := scalar[int64](t, s, `
			INSERT INTO funds (name, funder_municipality_id, funder_organisation_id, scope_municipality_id, opens_on, closes_on,
			                   budget_cents, max_per_request_cents, min_supporters, own_contribution_pct)
			VALUES ($1, CASE WHEN $2 = '' THEN $3::bigint END, (SELECT id FROM organisations WHERE name = $2), $3,
			        current_date + $4::interval, current_date + $5::interval, $6, NULLIF($7, 0), 1, 10) RETURNING id`,
			name, funder, scope, opens, closes, budget, max)
		if extra != "" {
			exec(t, s, extra, id)
		}
		return id
	}
	w.muni = fund("Buurtbudget Utrecht", "", utrecht, "-30 days", "60 days", 100000, 60000, "")
	w.corp = fund("Leefbaarheidsbudget Oost", "Woonstad", utrecht, "-30 days", "60 days", 500000, 0,
		`WITH a AS (INSERT INTO fund_areas (fund_id, district_id) SELECT $1, id FROM districts WHERE code = 'WK034403')
		 INSERT INTO fund_themes (fund_id, theme) VALUES ($1, 'ontmoeting')`)
	w.closed = fund("Zomerfonds", "Fonds Goed", utrecht, "-90 days", "-1 day", 100000, 0, "")
	w.sport = fund("Sportfonds", "Fonds Goed", utrecht, "-30 days", "60 days", 100000, 0, `INSERT INTO fund_themes (fund_id, theme) VALUES ($1, 'sport')`)
	w.amsterdam = fund("Buurtbudget Amsterdam", "", amsterdam, "-30 days", "60 days", 100000, 0, "")
	for _, who := range []string{"owner", "bram", "resident", "worker", "admin", "officer", "colleague", "officer-elsewhere", "staff", "staff-other"} {
		w.clients[who] = s.Login(t, who+"@example.org")
	}
	w.clients["anonymous"] = s.Client(t)
	return w
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func applyPath(initiative, fund int64) string {
	return "/initiatieven/" + itoa(initiative) + "/potjes/" + itoa(fund) + "/aanvraag"
}

// applyForm is a valid application: € 500 + € 150 of lines, € 100 own.
func applyForm(key string) url.Values {
	return url.Values{"sleutel": {key}, "regel_wat_1": {"Zaden en aarde"}, "regel_bedrag_1": {"€ 500"},
		"regel_wat_2": {"Gereedschap"}, "regel_bedrag_2": {"150,-"}, "regel_wat_3": {""}, "regel_bedrag_3": {""},
		"eigen": {"100"}, "doel": {"Een moestuin voor de buurt"}, "effect": {"Buren ontmoeten elkaar."}}
}

// apply files an application of the world's initiative to fund and
// returns its id.
func (w *world) apply(t testing.TB, fund int64, form url.Values) int64 {
	t.Helper()
	res := w.clients["owner"].PostForm(applyPath(w.initiative, fund), form)
	if res.StatusCode != 303 {
		t.Fatalf("apply to %d: %d\n%s", fund, res.StatusCode, errorsIn(res.Body))
	}
	return scalar[int64](t, w.s, `SELECT max(id) FROM funding_requests WHERE fund_id = $1`, fund)
}

// errorsIn returns the error messages of a page, for failure messages.
func errorsIn(body string) string {
	var out []string
	for _, part := range strings.Split(body, `utrecht-form-field-error-message"`)[1:] {
		out = append(out, strings.SplitN(strings.SplitN(part, ">", 2)[1], "<", 2)[0])
	}
	return strings.Join(out, " | ")
}
