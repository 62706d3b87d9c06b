package postgres_test

import (
	"context"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/migrations"
)

// TestMigrationsUpDownUp applies every migration, reverts them all and applies
// them again on an empty database, so each down migration really undoes its up.
func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	url := testkit.NewEmptyDB(t)
	m, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	entries, err := migrations.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	ups := 0
	for _, e := range entries {
		if len(e.Name()) > 7 && e.Name()[len(e.Name())-7:] == ".up.sql" {
			ups++
		}
	}
	if ups == 0 {
		t.Fatal("no migrations embedded")
	}

	if err := m.Up(); err != nil {
		t.Fatalf("up: %v", err)
	}
	v, dirty, err := m.Version()
	if err != nil || dirty || v == 0 {
		t.Fatalf("after up: version %d dirty %v err %v", v, dirty, err)
	}
	if err := m.Down(0); err != nil {
		t.Fatalf("down: %v", err)
	}
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var tables int
	if err := pool.QueryRow(context.Background(),
		`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("after down to zero, %d tables remain", tables)
	}
	if err := m.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	v2, _, _ := m.Version()
	if v2 != v {
		t.Fatalf("version after second up = %d, want %d", v2, v)
	}
}

func TestMigrateURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://postgres@127.0.0.1:5432/bk?sslmode=disable":                "pgx5://postgres@127.0.0.1:5432/bk?sslmode=disable",
		"postgresql://u:p@h/bk":                                                "pgx5://u:p@h/bk",
		"postgres://u@h/bk?pool_max_conns=20&sslmode=disable&pool_min_conns=2": "pgx5://u@h/bk?sslmode=disable",
		"pgx5://u@h/bk": "pgx5://u@h/bk",
	} {
		if got := postgres.MigrateURL(in); got != want {
			t.Errorf("MigrateURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMigrateWithPoolParameters: a DATABASE_URL tuned for the pool still migrates.
func TestMigrateWithPoolParameters(t *testing.T) {
	t.Parallel()
	url := testkit.NewEmptyDB(t) + "&pool_max_conns=4"
	if err := postgres.MigrateUp(url); err != nil {
		t.Fatal(err)
	}
}
