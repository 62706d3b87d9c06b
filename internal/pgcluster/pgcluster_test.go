package pgcluster_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/pgcluster"
)

// TestStopStartClose: the cluster answers, refuses while stopped, answers on
// the same URL after Start, and leaves nothing behind after Close.
func TestStopStartClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := pgcluster.New(ctx, pgcluster.Options{Database: "probe"})
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip("PostgreSQL binaries not installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)

	ping := func() error {
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		conn, err := pgx.Connect(cctx, c.URL)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		var db string
		if err := conn.QueryRow(cctx, `SELECT current_database()`).Scan(&db); err != nil {
			return err
		}
		if db != "probe" {
			t.Errorf("connected to %q, want probe", db)
		}
		return nil
	}
	if err := ping(); err != nil {
		t.Fatalf("fresh cluster: %v", err)
	}
	url := c.URL
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ping(); err == nil {
		t.Fatal("stopped cluster still answers")
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if c.URL != url {
		t.Errorf("URL changed over a restart: %s -> %s", url, c.URL)
	}
	if err := ping(); err != nil {
		t.Fatalf("after Start: %v", err)
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Close left %s behind (%v)", c.Dir, err)
	}
}
