package devdb_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/devdb"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// localURL is the shared test server, as testkit finds it.
func localURL() string {
	c := testkit.ServerConfig()
	return "postgres://" + c.User + "@" + net.JoinHostPort(c.Host, c.Port) + "/buurtkracht?sslmode=disable"
}

// deadURL points at a port where nothing listens.
func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(port) + "/buurtkracht?sslmode=disable"
}

// dataDir returns a fresh directory an unprivileged account can reach (the
// test's own temp dirs are closed to others), removed at test end.
func dataDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "devdb-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestFindOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	empty := t.TempDir() // holds no PostgreSQL binaries
	tests := []struct {
		name    string
		opts    devdb.Options
		want    devdb.Source
		wantURL string
		wantErr error
	}{
		{"DATABASE_URL wins, even when unreachable",
			devdb.Options{EnvURL: "postgres://x@db.invalid:1/y", LocalURL: localURL(), BinDir: empty},
			devdb.FromEnv, "postgres://x@db.invalid:1/y", nil},
		{"local server when DATABASE_URL is empty",
			devdb.Options{LocalURL: localURL(), BinDir: empty},
			devdb.FromLocal, localURL(), nil},
		{"no server and no binaries: the friendly error",
			devdb.Options{LocalURL: deadURL(t), BinDir: empty, DataDir: t.TempDir()},
			"", "", devdb.ErrNoPostgres},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := devdb.Find(ctx, tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			defer func() { _ = db.Stop(ctx) }()
			if db.Source != tt.want || db.URL != tt.wantURL {
				t.Fatalf("Find = %s %s, want %s %s", db.Source, db.URL, tt.want, tt.wantURL)
			}
		})
	}
}

func TestNoPostgresMessageGivesTheCommands(t *testing.T) {
	t.Parallel()
	msg := devdb.ErrNoPostgres.Error()
	for _, want := range []string{"docker compose up -d db", "sudo apt-get install -y postgresql", "brew install postgresql@15", "DATABASE_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestFindBinDir(t *testing.T) {
	t.Parallel()
	dir := devdb.FindBinDir()
	if dir == "" {
		t.Fatal("no PostgreSQL binaries found; this machine and CI have them (see README)")
	}
	for _, name := range []string{"initdb", "pg_ctl"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPrivateCluster creates a real cluster, writes to it, stops it, and
// starts it again to see the data kept: what `make run` does on a machine
// without a PostgreSQL service.
func TestPrivateCluster(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := dataDir(t)
	var out strings.Builder
	opts := devdb.Options{LocalURL: deadURL(t), DataDir: base, Port: freePort(t), Out: &out}

	db, err := devdb.Find(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Stop(context.Background()) })
	if db.Source != devdb.FromPrivate || !strings.Contains(db.URL, "127.0.0.1:"+strconv.Itoa(opts.Port)) {
		t.Fatalf("Find = %s %s", db.Source, db.URL)
	}
	if !strings.Contains(out.String(), "aanmaken") {
		t.Errorf("first run did not say it creates the cluster: %q", out.String())
	}
	exec(t, ctx, db.URL, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('ja')`)

	// The cluster listens on 127.0.0.1 only and without a socket.
	conf, err := os.ReadFile(filepath.Join(db.Dir, "postgresql.conf"))
	if err != nil || !strings.Contains(string(conf), "listen_addresses = '127.0.0.1'") {
		t.Errorf("postgresql.conf does not pin listen_addresses (err %v)", err)
	}

	// A second Find while it runs reuses it and leaves it running.
	again, err := devdb.Find(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !db.Started() || again.Started() {
		t.Errorf("Started: first %v, reused %v; want true, false", db.Started(), again.Started())
	}
	if again.URL != db.URL {
		t.Errorf("second Find while running: %s, want %s", again.URL, db.URL)
	}
	if err := again.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if !devdb.Answers(ctx, db.URL) {
		t.Fatal("stopping the reused handle stopped the cluster it did not start")
	}

	if err := db.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if devdb.Answers(ctx, db.URL) {
		t.Fatal("cluster still answers after Stop")
	}

	// Next run: the same cluster comes back with its data.
	out.Reset()
	db2, err := devdb.Find(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db2.Stop(context.Background()) })
	if strings.Contains(out.String(), "aanmaken") {
		t.Errorf("second run created the cluster again: %q", out.String())
	}
	var v string
	conn := connect(t, ctx, db2.URL)
	if err := conn.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != "ja" {
		t.Fatalf("data not kept: %q, %v", v, err)
	}
	conn.Close(ctx)
	if err := db2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	port, err := devdb.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

func connect(t *testing.T, ctx context.Context, url string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = "postgres" // the cluster is new; the app database is made by EnsureDatabase
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func exec(t *testing.T, ctx context.Context, url, sql string) {
	t.Helper()
	conn := connect(t, ctx, url)
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

// TestPrivateClusterUnreachableDir: as root the cluster runs as another
// user, who cannot enter a directory closed to others; Find says so and
// how to choose another place, instead of failing inside initdb.
func TestPrivateClusterUnreachableDir(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to another user")
	}
	closed := t.TempDir() // 0700, owned by root
	_, err := devdb.Find(context.Background(), devdb.Options{LocalURL: deadURL(t), DataDir: filepath.Join(closed, "data")})
	if err == nil || !strings.Contains(err.Error(), "DATA_DIR=") {
		t.Fatalf("Find in a closed directory = %v, want advice to set DATA_DIR", err)
	}
}
