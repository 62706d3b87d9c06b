package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// requestRow is a funding request as the schema before funds holds it.
type requestRow struct {
	ID           int64
	InitiativeID int64
	AmountCents  int64
	Purpose      string
	Budget       string
	Status       string
	CreatedBy    *int64
	DecidedBy    *int64
	Reason       string
	Key          *string
}

func requestRows(t *testing.T, db *pgx.Conn) []requestRow {
	t.Helper()
	rows, err := db.Query(context.Background(), `
		SELECT id, initiative_id, amount_cents, purpose, budget, status, created_by, decided_by, reason, idempotency_key::text
		FROM funding_requests ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[requestRow])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Migration 000095 turns the funding requests of before into applications
// to a default fund of each municipality (granted_cents set for grants,
// nothing lost), and its down migration gives back the requests unchanged.
func TestFundsMigrationMovesRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.NewEmptyDB(t)
	m, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.To(94); err != nil {
		t.Fatalf("up to 94: %v", err)
	}
	db, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	if _, err := db.Exec(ctx, `
		WITH m AS (INSERT INTO municipalities (code, name) VALUES ('GM0344', 'Utrecht'), ('GM0363', 'Amsterdam'), ('GM0599', 'Rotterdam') RETURNING id, code),
		a AS (INSERT INTO accounts (email, display_name, password_hash, roles)
		      VALUES ('anna@example.nl', 'Anna', 'x', '{resident}'), ('olga@example.nl', 'Olga', 'x', '{officer}') RETURNING id, email),
		i AS (INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		      SELECT 'Moestuin ' || m.code, 'Samen tuinieren', m.id, 'informal', 'actief', 'platform', 'public', (SELECT id FROM a WHERE email = 'anna@example.nl')
		      FROM m WHERE m.code <> 'GM0599' RETURNING id, municipality_id)
		INSERT INTO funding_requests (initiative_id, amount_cents, purpose, budget, status, created_by, created_at, idempotency_key, decided_by, decided_at, reason)
		SELECT i.id, x.cents, x.purpose, 'Zaden 100', x.status, (SELECT id FROM a WHERE email = 'anna@example.nl'), x.created::timestamptz,
		       gen_random_uuid(), CASE WHEN x.status <> 'ingediend' THEN (SELECT id FROM a WHERE email = 'olga@example.nl') END,
		       CASE WHEN x.status <> 'ingediend' THEN now() END, x.reason
		FROM i, (VALUES (25000, 'Zaden', 'ingediend', '2026-03-02', ''), (50000, 'Schoppen', 'toegekend', '2026-02-01', 'Goed plan'),
		                (10000000, 'Een kas', 'afgewezen', '2026-04-01', 'Te duur')) x(cents, purpose, status, created, reason)`); err != nil {
		t.Fatalf("requests at 94: %v", err)
	}
	before := requestRows(t, db)
	if len(before) != 6 {
		t.Fatalf("%d requests before", len(before))
	}

	if err := m.To(95); err != nil {
		t.Fatalf("up to 95: %v", err)
	}
	type fundRow struct {
		Municipality string
		Name         string
		Opens        string
		Budget       int64
		Requests     int
		Granted      int64
		Pending      int
	}
	rows, err := db.Query(ctx, `
		SELECT m.code, d.name, d.opens_on::text, d.budget_cents,
		       (SELECT count(*)::int FROM funding_requests f WHERE f.fund_id = d.id),
		       (SELECT COALESCE(sum(granted_cents), 0)::bigint FROM funding_requests f WHERE f.fund_id = d.id),
		       (SELECT count(*)::int FROM funding_requests f WHERE f.fund_id = d.id AND f.status = 'ingediend')
		FROM funds d JOIN municipalities m ON m.id = d.scope_municipality_id
		WHERE d.is_default AND d.funder_municipality_id = m.id AND d.decision_mode = 'funder'
		ORDER BY m.code`)
	if err != nil {
		t.Fatal(err)
	}
	funds, err := pgx.CollectRows(rows, pgx.RowToStructByPos[fundRow])
	if err != nil {
		t.Fatal(err)
	}
	want := []fundRow{
		{"GM0344", "Buurtbudget Utrecht", "2026-02-01", 10075000, 3, 50000, 1},
		{"GM0363", "Buurtbudget Amsterdam", "2026-02-01", 10075000, 3, 50000, 1},
	}
	if len(funds) != len(want) {
		t.Fatalf("default funds %+v, want %+v", funds, want)
	}
	for k := range want {
		if funds[k] != want[k] {
			t.Errorf("default fund %+v, want %+v", funds[k], want[k])
		}
	}
	// Only grants carry granted_cents, and it is what was asked.
	var wrong int
	if err := db.QueryRow(ctx, `
		SELECT count(*) FROM funding_requests
		WHERE fund_id IS NULL OR (status = 'toegekend') <> (granted_cents IS NOT NULL)
		   OR (granted_cents IS NOT NULL AND granted_cents <> amount_cents)`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d requests with a wrong fund or grant", wrong)
	}
	if after := requestRows(t, db); len(after) != len(before) {
		t.Errorf("%d requests after up, %d before", len(after), len(before))
	}

	if err := m.To(94); err != nil {
		t.Fatalf("down to 94: %v", err)
	}
	after := requestRows(t, db)
	if len(after) != len(before) {
		t.Fatalf("%d requests after down, %d before", len(after), len(before))
	}
	for k := range before {
		b, a := before[k], after[k]
		if b.ID != a.ID || b.InitiativeID != a.InitiativeID || b.AmountCents != a.AmountCents || b.Purpose != a.Purpose ||
			b.Budget != a.Budget || b.Status != a.Status || *b.CreatedBy != *a.CreatedBy || (b.DecidedBy == nil) != (a.DecidedBy == nil) ||
			b.Reason != a.Reason || *b.Key != *a.Key {
			t.Errorf("request changed by up and down:\n%+v\n%+v", b, a)
		}
	}
	var tables int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name IN ('funds', 'funder_staff', 'funding_request_lines')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d fund tables left after down", tables)
	}
}
