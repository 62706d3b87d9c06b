package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/devdb"
	"github.com/buurtkracht/buurtkracht/internal/pooler"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/migrations"
)

// `serve` with DATABASE_URL through PgBouncer and DATABASE_DIRECT_URL
// beside it, on an empty database: the migrations (golang-migrate's
// session-level advisory lock, River's tables) go to the direct URL. To
// show it, PgBouncer holds every query of the database (PAUSE) until the
// schema is complete; migrations sent through it would wait there and the
// test time out. Then the server answers through the pooler.
func TestServeMigratesDirectly(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	direct := testkit.NewEmptyDB(t)
	dcfg, err := pgx.ParseConfig(direct)
	if err != nil {
		t.Fatal(err)
	}
	server := testkit.ServerConfig()
	b, err := pooler.Start(ctx, pooler.Options{Server: net.JoinHostPort(server.Host, server.Port), User: dcfg.User, Password: dcfg.Password})
	if err != nil {
		t.Fatal(err) // no skip: .ci/run installs pgbouncer
	}
	t.Cleanup(func() { _ = b.Stop() })
	pooled := b.URL(dcfg.Database)
	// PgBouncer learns of the database at its first client; then pause it.
	probe, err := pgx.Connect(ctx, pooled)
	if err != nil {
		t.Fatal(err)
	}
	_ = probe.Close(ctx)
	if _, err := b.Admin(ctx, "PAUSE "+dcfg.Database); err != nil {
		t.Fatal(err)
	}

	port, err := devdb.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cfg := testkit.TestConfig()
	cfg.Addr = "127.0.0.1:" + strconv.Itoa(port)
	cfg.DatabaseURL, cfg.DatabaseDirectURL = pooled, direct
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(sctx, &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard}, nil) }()
	defer func() {
		stop()
		// A migration stuck in the paused pooler (the failure this test
		// looks for) does not see ctx; let it through so serve can end.
		_, _ = b.Admin(context.Background(), "RESUME "+dcfg.Database)
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	want := latestMigration(t)
	var version int
	var dirty, river bool
	for deadline := time.Now().Add(migrateWait); ; time.Sleep(100 * time.Millisecond) {
		conn, err := pgx.Connect(ctx, direct)
		if err != nil {
			t.Fatal(err)
		}
		err = conn.QueryRow(ctx, `SELECT version, dirty, to_regclass('river_job') IS NOT NULL FROM schema_migrations`).Scan(&version, &dirty, &river)
		_ = conn.Close(ctx)
		if err == nil && version == want && !dirty && river {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended while the pooler was paused: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("schema at %d (dirty %v, river %v) after %v, want %d: did the migrations go through the paused pooler?",
				version, dirty, river, migrateWait, want)
		}
	}
	if _, err := b.Admin(ctx, "RESUME "+dcfg.Database); err != nil {
		t.Fatal(err)
	}

	base := "http://" + cfg.Addr
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz not 200 through the pooler")
		}
	}
	res, err := http.Get(base + "/initiatieven")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /initiatieven: %d", res.StatusCode)
	}
	if n := clientsOf(t, b, dcfg.Database); n == 0 {
		t.Error("the server's requests did not go through the pooler")
	}
}

// migrateWait bounds the wait for the migrations on a busy test machine.
var migrateWait = 60 * time.Second

// latestMigration is the number of the newest embedded migration.
func latestMigration(t *testing.T) int {
	t.Helper()
	names, err := fs.Glob(migrations.FS, "*.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	latest := 0
	for _, n := range names {
		v, err := strconv.Atoi(strings.SplitN(n, "_", 2)[0])
		if err != nil {
			t.Fatalf("migration %s: %v", n, err)
		}
		latest = max(latest, v)
	}
	return latest
}

// clientsOf counts PgBouncer's client connections to database.
func clientsOf(t *testing.T, b *pooler.Bouncer, database string) int {
	t.Helper()
	rows, err := b.Show(t.Context(), "CLIENTS")
	if err != nil {
		t.Fatal(fmt.Errorf("show clients: %w", err))
	}
	n := 0
	for _, r := range rows {
		if r["database"] == database {
			n++
		}
	}
	return n
}
