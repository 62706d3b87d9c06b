package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/dbread"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

func init() {
	commands["serve"] = command{
		summary: "start de webserver (past eerst ontbrekende migraties toe)",
		usage:   "serve",
		run:     serve,
	}
}

func serve(ctx context.Context, e *env, args []string) error {
	if len(args) != 0 {
		return errUsage
	}
	// Migrations go straight to PostgreSQL: golang-migrate's advisory lock
	// is held by a session, which a transaction pooler does not keep.
	direct := e.directURL()
	if err := postgres.MigrateUp(direct); err != nil {
		return fmt.Errorf("database %s: %w", redactURL(direct), err)
	}
	return serveOn(ctx, e, e.databaseURL(), nil)
}

// serveOn runs the web server on an already migrated database until ctx ends.
func serveOn(ctx context.Context, e *env, url string, ready func(addr string)) error {
	pool, err := postgres.Open(ctx, url, postgres.ThroughPooler(e.cfg.BehindPooler()))
	if err != nil {
		return err
	}
	defer pool.Close()
	var opts app.Options
	if e.cfg.DatabaseReadURL != "" {
		// A replica that is down now is checked again in the background;
		// reads use the primary meanwhile.
		reads, err := dbread.Open(ctx, pool, e.cfg.DatabaseReadURL, dbread.Options{MaxLag: e.cfg.DatabaseReadMaxLag})
		if err != nil {
			return fmt.Errorf("DATABASE_READ_URL: %w", err)
		}
		defer reads.Close()
		opts.Reads = reads
	}
	a := app.New(e.cfg, pool, opts)
	if ready == nil {
		ready = func(addr string) { slog.Info("listening", "addr", addr, "url", e.cfg.BaseURL) }
	}
	return a.Serve(ctx, ready)
}
