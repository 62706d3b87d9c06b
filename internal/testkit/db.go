// Package testkit gives tests a real, isolated PostgreSQL database built from
// the real migrations, a running server and a headless browser.
package testkit

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // pgtestdb talks database/sql with driver "pgx"
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/golangmigrator"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/migrations"
)

// ServerConfig says where the test PostgreSQL runs. TEST_DATABASE_HOST and
// TEST_DATABASE_PORT override the default 127.0.0.1:5432 (user postgres).
func ServerConfig() pgtestdb.Config {
	host := envOr("TEST_DATABASE_HOST", "127.0.0.1")
	port := envOr("TEST_DATABASE_PORT", "5432")
	return pgtestdb.Config{
		DriverName: "pgx",
		User:       envOr("TEST_DATABASE_USER", "postgres"),
		Password:   os.Getenv("TEST_DATABASE_PASSWORD"),
		Host:       host,
		Port:       port,
		Options:    "sslmode=disable",
	}
}

var migrator = withRiver{golangmigrator.New(".", golangmigrator.WithFS(migrations.FS))}

// withRiver runs our migrations and then River's (the job queue's tables),
// so every test database holds both, as a migrated production one does.
type withRiver struct{ ours pgtestdb.Migrator }

func (m withRiver) Hash() (string, error) {
	h, err := m.ours.Hash()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-river%d", h, postgres.RiverVersion()), nil
}

func (m withRiver) Migrate(ctx context.Context, db *sql.DB, cfg pgtestdb.Config) error {
	if err := m.ours.Migrate(ctx, db, cfg); err != nil {
		return err
	}
	return postgres.RiverUp(ctx, cfg.URL())
}

// NewDB returns the URL of a fresh database that holds every migration. It is
// cloned from a template migrated once per migration set and dropped when the
// test ends, so tests run in parallel without seeing each other's rows.
func NewDB(t testing.TB) string {
	t.Helper()
	cfg := pgtestdb.Custom(t, ServerConfig(), migrator)
	return cfg.URL()
}

// NewPool returns a pool on a fresh database (see NewDB), closed at the end
// of the test. Four connections per test platform: a few dozen tests run at
// once against one PostgreSQL with 100 connection slots.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return OpenPool(t, NewDB(t), 4)
}

// OpenPool opens a pool of at most size connections on the database at url
// (from NewDB), closed at the end of the test. Two pools on one URL are two
// instances of the platform sharing a database.
func OpenPool(t testing.TB, url string, size int) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Open(context.Background(), fmt.Sprintf("%s&pool_max_conns=%d", url, size))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// NewEmptyDB returns the URL of a database without any migration applied, for
// tests of the migrations themselves.
func NewEmptyDB(t testing.TB) string {
	t.Helper()
	cfg := pgtestdb.Custom(t, ServerConfig(), pgtestdb.NoopMigrator{})
	return cfg.URL()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
