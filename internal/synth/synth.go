// Package synth generates a large, reproducible synthetic data set on top of
// the real CBS neighbourhoods, for load tests of the municipality overview
// at national scale: street contacts, activities, initiatives with owners,
// supporters and funding requests, and signals with responses, spread over
// a few years with realistic skew (busy and quiet workers and
// neighbourhoods, fewer contacts at weekends, in the summer holidays and
// around Christmas).
//
// Everything is set-based SQL in one transaction: generate_series for the
// rows and hashint8extended(row, seed) as a deterministic hash, so the same
// seed gives the same data (timestamps are relative to the day of the run).
// The overview's aggregate triggers are disabled during the bulk load and
// the aggregates rebuilt at the end with overview_rebuild(), in the same
// transaction, so nothing outside it ever sees them out of step.
package synth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
)

// Options size the data set.
type Options struct {
	Seed        int64
	Contacts    int
	Activities  int
	Initiatives int
	Signals     int
	Residents   int
	Years       int
	// ExtraNeighbourhoods adds synthetic districts and neighbourhoods to
	// every municipality without any, so the country has about 14,000.
	ExtraNeighbourhoods bool
	// LargeWorkers is the number of workers in Utrecht (the large municipality).
	LargeWorkers int
}

// Defaults is the national-scale data set the benchmarks use.
func Defaults() Options {
	return Options{Seed: 1, Contacts: 1_000_000, Activities: 100_000, Initiatives: 20_000, Signals: 20_000,
		Residents: 20_000, Years: 3, ExtraNeighbourhoods: true, LargeWorkers: 100}
}

// Accounts made by Generate; all have the password Password.
const (
	Password     = "synthetisch-wachtwoord"
	OfficerEmail = "gemeente@synthetisch.buurtkracht.nl"
	AdminEmail   = "beheerder@synthetisch.buurtkracht.nl"
	Domain       = "synthetisch.buurtkracht.nl"
	// LargeCode is the large municipality (Utrecht).
	LargeCode = "GM0344"
)

// WorkerEmail is the address of Utrecht's synthetic worker n (1-based).
func WorkerEmail(n int) string { return fmt.Sprintf("opbouwwerker-%s-%d@%s", LargeCode, n, Domain) }

// ErrSeeded is returned when the synthetic data is there already.
var ErrSeeded = errors.New("synth: synthetic data already loaded")

// Seeded reports whether Generate ran on this database before.
func Seeded(ctx context.Context, db *pgxpool.Pool) (bool, error) {
	var ok bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE email = $1)`, OfficerEmail).Scan(&ok)
	return ok, err
}

// Summary counts what Generate made.
type Summary struct {
	Neighbourhoods, Workers, Residents                  int64
	Contacts, Activities, Initiatives, Signals, Funding int64
	Took                                                time.Duration
}

func (o Options) validate() error {
	if o.Contacts < 0 || o.Activities < 0 || o.Initiatives < 0 || o.Signals < 0 || o.Residents < 1 || o.Years < 1 || o.Years > 10 || o.LargeWorkers < 1 {
		return errors.New("synth: counts must be positive (residents ≥ 1, years 1–10, workers ≥ 1)")
	}
	return nil
}

// Generate loads the data set. The embedded CBS data is imported first
// (idempotent). It refuses a database it already seeded.
func Generate(ctx context.Context, db *pgxpool.Pool, o Options, out io.Writer) (Summary, error) {
	start := time.Now()
	if err := o.validate(); err != nil {
		return Summary{}, err
	}
	if _, err := neighbourhood.Import(ctx, db, neighbourhood.EmbeddedFiles()); err != nil {
		return Summary{}, fmt.Errorf("synth: import CBS data: %w", err)
	}
	if seeded, err := Seeded(ctx, db); err != nil {
		return Summary{}, fmt.Errorf("synth: %w", err)
	} else if seeded {
		return Summary{}, ErrSeeded
	}
	hash, err := account.HashPassword(Password)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		total := "" // the workers' total weight, once known
		step := func(name, sql string, args ...any) (int64, error) {
			t := time.Now()
			if strings.Contains(sql, "{{W}}") {
				if total == "" {
					var w int64
					if err := tx.QueryRow(ctx, `SELECT max(hi) FROM syn_workers`).Scan(&w); err != nil {
						return 0, fmt.Errorf("synth: total weight: %w", err)
					}
					total = strconv.FormatInt(w, 10)
				}
				sql = strings.ReplaceAll(sql, "{{W}}", total)
			}
			tag, err := tx.Exec(ctx, sql, args...)
			if err != nil {
				return 0, fmt.Errorf("synth: %s: %w", name, err)
			}
			fmt.Fprintf(out, "  %-34s %9d rijen  %6.1f s\n", name, tag.RowsAffected(), time.Since(t).Seconds())
			return tag.RowsAffected(), nil
		}
		// The hash: deterministic from the seed, row number and a salt per
		// column. A plain SQL body, so the planner inlines it (a RETURN body
		// would cost a function call per use: minutes for a million rows).
		if _, err := tx.Exec(ctx, fmt.Sprintf(`
			CREATE FUNCTION pg_temp.h(g BIGINT, salt INTEGER) RETURNS BIGINT
			LANGUAGE sql IMMUTABLE PARALLEL SAFE
			AS 'SELECT abs(hashint8extended(g, %d + salt * 7919::bigint) %% 1000000007)'`, o.Seed)); err != nil {
			return fmt.Errorf("synth: hash function: %w", err)
		}
		for _, s := range []string{
			`ALTER TABLE contacts DISABLE TRIGGER overview_contacts`,
			`ALTER TABLE activities DISABLE TRIGGER overview_activities`,
			`ALTER TABLE signals DISABLE TRIGGER overview_signals`,
			`ALTER TABLE initiatives DISABLE TRIGGER overview_initiatives_update`,
			`ALTER TABLE initiative_neighbourhoods DISABLE TRIGGER overview_initiative_neighbourhoods`,
			`ALTER TABLE initiative_owners DISABLE TRIGGER overview_initiative_owners`,
			`ALTER TABLE initiative_supporters DISABLE TRIGGER overview_initiative_supporters`,
		} {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("synth: %s: %w", s, err)
			}
		}
		for _, st := range steps(o, hash) {
			n, err := step(st.name, st.sql, st.args...)
			if err != nil {
				return err
			}
			if st.count != nil {
				*st.count(&sum) = n
			}
		}
		for _, s := range []string{
			`ALTER TABLE contacts ENABLE TRIGGER overview_contacts`,
			`ALTER TABLE activities ENABLE TRIGGER overview_activities`,
			`ALTER TABLE signals ENABLE TRIGGER overview_signals`,
			`ALTER TABLE initiatives ENABLE TRIGGER overview_initiatives_update`,
			`ALTER TABLE initiative_neighbourhoods ENABLE TRIGGER overview_initiative_neighbourhoods`,
			`ALTER TABLE initiative_owners ENABLE TRIGGER overview_initiative_owners`,
			`ALTER TABLE initiative_supporters ENABLE TRIGGER overview_initiative_supporters`,
		} {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("synth: %s: %w", s, err)
			}
		}
		if _, err := step("overzicht-aggregaten herbouwen", `SELECT overview_rebuild()`); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return Summary{}, err
	}
	t := time.Now()
	for _, table := range []string{"contacts", "activities", "signals", "signal_responses", "initiatives", "initiative_neighbourhoods",
		"initiative_supporters", "funding_requests", "accounts", "account_work_areas", "neighbourhoods", "districts",
		"neighbourhood_month_contacts", "neighbourhood_month_contact_themes", "neighbourhood_month_activities",
		"neighbourhood_month_signals", "neighbourhood_month_initiatives"} {
		// VACUUM as well: a bulk-loaded table has no visibility map yet, so
		// index-only scans would still visit the heap until autovacuum came by.
		if _, err := db.Exec(ctx, "VACUUM (ANALYZE) "+table); err != nil {
			return Summary{}, fmt.Errorf("synth: vacuum %s: %w", table, err)
		}
	}
	fmt.Fprintf(out, "  %-34s %15s  %6.1f s\n", "VACUUM (ANALYZE)", "", time.Since(t).Seconds())
	if err := db.QueryRow(ctx, `SELECT count(*) FROM neighbourhoods`).Scan(&sum.Neighbourhoods); err != nil {
		return Summary{}, err
	}
	sum.Took = time.Since(start)
	return sum, nil
}

type step struct {
	name  string
	sql   string
	args  []any
	count func(*Summary) *int64
}
