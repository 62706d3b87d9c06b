package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// demoPassword is the password of the demo accounts and of every simulated
// user (they copy the demo resident's password hash).
const demoPassword = "loadtest-demo-wachtwoord"

// role of a simulated user.
type role string

const (
	resident role = "resident"
	worker   role = "worker"
	officer  role = "officer"
)

// acct is one simulated user's login.
type acct struct {
	email string
	role  role
}

// fixtures are what the simulated users click on, read from the database.
type fixtures struct {
	municipality   string   // CBS code of the municipality the users live in
	neighbourhoods []string // its neighbourhood codes
	workAreas      []string // the simulated workers' work areas (the demo worker's)
	initiatives    []int64  // public, visible initiatives
	themes         []string
}

// prepare migrates the database, loads the demo data and creates the
// simulated accounts: residents of Utrecht, community workers with the demo
// worker's work areas, officers of Utrecht.
func prepare(ctx context.Context, dbURL string, users int, log io.Writer) ([]acct, fixtures, error) {
	var fx fixtures
	start := time.Now()
	if err := postgres.MigrateUp(dbURL); err != nil {
		return nil, fx, err
	}
	pool, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return nil, fx, err
	}
	defer pool.Close()
	cfg := config.Config{Env: "test", DemoPassword: demoPassword}
	if err := demo.Seed(ctx, pool, cfg, io.Discard); err != nil {
		return nil, fx, fmt.Errorf("demo seed: %w", err)
	}
	nRes, nWork, nOff := split(users)
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		create := func(prefix, template string, roles []string, n int) error {
			_, err := tx.Exec(ctx, `
				INSERT INTO accounts (email, display_name, password_hash, roles, home_neighbourhood_id, organisation_id, municipality_id, email_confirmed_at)
				SELECT $1 || lpad(g::text, 4, '0') || '@example.nl', $1 || ' ' || g, t.password_hash, $3,
				       t.home_neighbourhood_id, t.organisation_id, t.municipality_id, now()
				FROM generate_series(1, $4::int) g, accounts t WHERE t.email = $2
				ON CONFLICT (email) DO NOTHING`, prefix, template, roles, n)
			if err != nil {
				return fmt.Errorf("create %s accounts: %w", prefix, err)
			}
			return nil
		}
		if err := create("lt-bewoner-", demo.ResidentEmail, []string{"resident"}, nRes); err != nil {
			return err
		}
		if err := create("lt-opbouwwerker-", demo.WorkerEmail, []string{"resident", "worker"}, nWork); err != nil {
			return err
		}
		if err := create("lt-gemeente-", demo.OfficerEmail, []string{"resident", "officer"}, nOff); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO account_work_areas (account_id, neighbourhood_id)
			SELECT a.id, w.neighbourhood_id
			FROM accounts a, account_work_areas w JOIN accounts t ON t.id = w.account_id AND t.email = $1
			WHERE a.email LIKE 'lt-opbouwwerker-%'
			ON CONFLICT DO NOTHING`, demo.WorkerEmail)
		return err
	})
	if err != nil {
		return nil, fx, err
	}
	// Planner statistics for the freshly loaded tables, as a database in
	// use has them (autovacuum would only get to it after a minute or so).
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		return nil, fx, fmt.Errorf("analyze: %w", err)
	}
	if fx, err = readFixtures(ctx, pool); err != nil {
		return nil, fx, err
	}
	var accts []acct
	add := func(prefix string, r role, n int) {
		for i := 1; i <= n; i++ {
			accts = append(accts, acct{email: fmt.Sprintf("%s%04d@example.nl", prefix, i), role: r})
		}
	}
	add("lt-bewoner-", resident, nRes)
	add("lt-opbouwwerker-", worker, nWork)
	add("lt-gemeente-", officer, nOff)
	fmt.Fprintf(log, "Database: migrated, demo data and %d accounts (%d residents, %d workers, %d officers) in %s\n",
		len(accts), nRes, nWork, nOff, time.Since(start).Round(10*time.Millisecond))
	return accts, fx, nil
}

// split divides the users: 70% residents, 25% community workers, the rest
// officers, at least one of each.
func split(users int) (res, work, off int) {
	work = max(1, users/4)
	off = max(1, users*5/100)
	res = max(1, users-work-off)
	return res, work, off
}

func readFixtures(ctx context.Context, pool *pgxpool.Pool) (fixtures, error) {
	fx := fixtures{municipality: demo.UtrechtCode}
	rows, err := pool.Query(ctx, `
		SELECT n.code FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id
		WHERE m.code = $1 ORDER BY n.code`, fx.municipality)
	if err != nil {
		return fx, err
	}
	if fx.neighbourhoods, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return fx, err
	}
	rows, err = pool.Query(ctx, `
		SELECT n.code FROM account_work_areas w JOIN accounts a ON a.id = w.account_id
		JOIN neighbourhoods n ON n.id = w.neighbourhood_id WHERE a.email = $1 ORDER BY n.code`, demo.WorkerEmail)
	if err != nil {
		return fx, err
	}
	if fx.workAreas, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return fx, err
	}
	rows, err = pool.Query(ctx, `SELECT id FROM initiatives WHERE hidden_at IS NULL AND visibility = 'public' ORDER BY id`)
	if err != nil {
		return fx, err
	}
	if fx.initiatives, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return fx, err
	}
	rows, err = pool.Query(ctx, `SELECT DISTINCT unnest(themes) FROM initiatives ORDER BY 1`)
	if err != nil {
		return fx, err
	}
	if fx.themes, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return fx, err
	}
	if len(fx.neighbourhoods) == 0 || len(fx.workAreas) == 0 || len(fx.initiatives) == 0 || len(fx.themes) == 0 {
		return fx, fmt.Errorf("demo data incomplete: %d neighbourhoods, %d work areas, %d initiatives, %d themes",
			len(fx.neighbourhoods), len(fx.workAreas), len(fx.initiatives), len(fx.themes))
	}
	return fx, nil
}
