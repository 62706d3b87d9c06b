package testkit

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultFund returns the default fund (buurtbudget) of the municipality
// of initiative, making it when missing, for tests that insert funding
// requests (applications) directly: every request belongs to a fund.
func DefaultFund(t testing.TB, db *pgxpool.Pool, initiative int64) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Exec(ctx, `
		INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, period_label, opens_on, budget_cents, is_default)
		SELECT 'Buurtbudget ' || m.name, m.id, m.id, 'doorlopend', DATE '2000-01-01', 100000000000, true
		FROM initiatives i JOIN municipalities m ON m.id = i.municipality_id WHERE i.id = $1
		ON CONFLICT (scope_municipality_id) WHERE is_default DO NOTHING`, initiative); err != nil {
		t.Fatalf("testkit: default fund of initiative %d: %v", initiative, err)
	}
	var id int64
	if err := db.QueryRow(ctx, `
		SELECT d.id FROM funds d JOIN initiatives i ON i.municipality_id = d.scope_municipality_id
		WHERE i.id = $1 AND d.is_default`, initiative).Scan(&id); err != nil {
		t.Fatalf("testkit: default fund of initiative %d: %v", initiative, err)
	}
	return id
}
