package backup_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/backup"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// rowCounts returns the number of rows of every table in the public schema.
func rowCounts(t *testing.T, url string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	rows, err := pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, tb := range tables {
		var n int64
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{tb}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[tb] = n
	}
	return counts
}

func TestDumpRestoreIntoEmptyDatabase(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	// Some rows in several tables, including the append-only audit log.
	admin := s.CreateUser(t, "beheer@example.nl", "admin")
	s.CreateUser(t, "anna@example.nl")
	geo := testkit.NewGeo(t, s.DB)
	geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", "West")
	nb := geo.Neighbourhood("BU03440111", "Oog in Al")
	if _, err := s.DB.Exec(ctx, `UPDATE neighbourhoods
		SET boundary = '{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.1,52.2],[5.1,52.1]]]}' WHERE id = $1`, nb); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `INSERT INTO organisations (name, kind) VALUES ('Buurtwerk', 'welzijn')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `INSERT INTO audit_log (actor_id, action, subject_type, subject_id) VALUES ($1, 'account.view', 'account', 1)`, admin.ID); err != nil {
		t.Fatal(err)
	}
	src := s.DB.Config().ConnString()
	want := rowCounts(t, src)

	file := filepath.Join(t.TempDir(), "buurtkracht.dump")
	if err := backup.Dump(ctx, src, file); err != nil {
		t.Fatal(err)
	}
	dst := testkit.NewEmptyDB(t)
	if err := backup.Restore(ctx, dst, file); err != nil {
		t.Fatal(err)
	}
	got := rowCounts(t, dst)
	if len(got) != len(want) {
		t.Fatalf("restored %d tables, want %d", len(got), len(want))
	}
	for tb, n := range want {
		if got[tb] != n {
			t.Errorf("table %s: %d rows restored, want %d", tb, got[tb], n)
		}
	}
	if want["accounts"] != 2 || want["neighbourhoods"] != 1 || want["audit_log"] != 1 {
		t.Fatalf("fixture did not land: %v", want)
	}
	// Restoring again over the restored database (e.g. after damage) also works.
	if err := backup.Restore(ctx, dst, file); err != nil {
		t.Fatalf("second restore: %v", err)
	}
	if err := backup.Restore(ctx, dst, filepath.Join(t.TempDir(), "missing.dump")); err == nil {
		t.Fatal("restore of a missing file succeeded")
	}
}
