// Package demo loads the demo data set: the CBS geography shipped in the
// binary, a welfare organisation, one account per role and whatever the
// features add through their own steps. Every run is idempotent and the seed
// refuses to run in production.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// ErrProduction is returned when Seed is asked to run with APP_ENV=production.
var ErrProduction = errors.New("demo: geweigerd: demogegevens horen niet in productie (APP_ENV=production)")

// Account is a demo login, for printing by `make run` and the CLI.
type Account struct {
	Email string
	Role  string // Dutch role name
	About string // what the account shows in the demo (Dutch)
}

// The demo accounts' e-mail addresses.
const (
	ResidentEmail = "bewoner@demo.buurtkracht.nl"
	WorkerEmail   = "opbouwwerker@demo.buurtkracht.nl"
	OfficerEmail  = "gemeente@demo.buurtkracht.nl"
	AdminEmail    = "beheerder@demo.buurtkracht.nl"
)

// Accounts lists the demo accounts, one per role. Their password is
// cfg.DemoPassword (DEMO_PASSWORD).
var Accounts = []Account{
	{Email: ResidentEmail, Role: "bewoner", About: "woont in Oog in Al (Utrecht)"},
	{Email: WorkerEmail, Role: "opbouwwerker", About: "werkgebied: wijken West en Binnenstad van Utrecht"},
	{Email: OfficerEmail, Role: "gemeente", About: "gemeente Utrecht"},
	{Email: AdminEmail, Role: "beheerder", About: "beheert buurten, organisaties en accounts"},
	{Email: FunderEmail, Role: "bewoner", About: "medewerker van een woonstichting: beheert het Leefbaarheidsbudget West"},
}

// Demo geography, from the CBS 2025 files shipped in the binary.
const (
	OrganisationName = "Buurtwerk Utrecht (demo)"
	UtrechtCode      = "GM0344"
	homeCode         = "BU03440112" // Oog in Al, Wijk 01 West
)

// workDistricts are the Utrecht districts whose neighbourhoods form the
// demo community worker's work area: Wijk 01 West and Wijk 06 Binnenstad.
var workDistricts = []string{"WK034401", "WK034406"}

// Data carries what the base step created or found, for the steps of the
// features. All ids are database ids.
type Data struct {
	Now            time.Time
	OrganisationID int64
	// Accounts by role (role.Resident, role.Worker, role.Officer, role.Admin).
	Accounts map[role.Role]int64
	// UtrechtID is the municipality GM0344; HomeID the resident's neighbourhood.
	UtrechtID int64
	HomeID    int64
	// WorkAreas are the demo worker's neighbourhoods (all in Utrecht).
	WorkAreas []int64
	// Municipalities and Neighbourhoods map every imported CBS code to its id
	// (Utrecht, Leiden and Tytsjerksteradiel have neighbourhoods).
	Municipalities map[string]int64
	Neighbourhoods map[string]int64
}

// Neighbourhood returns the id of a neighbourhood by CBS code, or an error
// naming the code (for steps that use a fixed code).
func (d *Data) Neighbourhood(code string) (int64, error) {
	id, ok := d.Neighbourhoods[code]
	if !ok {
		return 0, fmt.Errorf("demo: neighbourhood %s not imported", code)
	}
	return id, nil
}

// step is one part of the demo data. run must be idempotent on its own too;
// Seed also records finished steps by name and skips them on later runs.
type step struct {
	name string
	run  func(ctx context.Context, tx pgx.Tx, d *Data) error
}

// steps are the features' steps in registration order (file name order of
// their init functions). The base step is not among them: it always runs first.
var steps []step

// register adds a feature's step; call it from an init function in
// internal/demo/<feature>.go.
func register(s step) {
	for _, existing := range steps {
		if existing.name == s.name {
			panic("demo: step registered twice: " + s.name)
		}
	}
	steps = append(steps, s)
}

// Seed loads the demo data: the embedded CBS files (an idempotent import),
// then the base step and every registered step in one transaction. Steps
// that finished on an earlier run are skipped, so a second run adds nothing.
func Seed(ctx context.Context, pool *pgxpool.Pool, cfg config.Config, out io.Writer) error {
	if cfg.Production() {
		return ErrProduction
	}
	if cfg.DemoPassword == "" {
		return errors.New("demo: DEMO_PASSWORD is empty")
	}
	sum, err := neighbourhood.Import(ctx, pool, neighbourhood.EmbeddedFiles())
	if err != nil {
		return fmt.Errorf("demo: import CBS data: %w", err)
	}
	fmt.Fprintf(out, "CBS-gegevens: %d gemeenten, %d wijken, %d buurten nieuw (%d buurtgrenzen, %d met kerncijfers).\n",
		sum.Municipalities.Inserted, sum.Districts.Inserted, sum.Neighbourhoods.Inserted, sum.Boundaries.Inserted, sum.Figures.Inserted)

	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// Two seeds at once (two `make run`s) would race on the checks below.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('buurtkracht:demo-seed'))`); err != nil {
			return fmt.Errorf("demo: lock: %w", err)
		}
		d := &Data{Now: time.Now()}
		created, err := base(ctx, tx, cfg, d)
		if err != nil {
			return fmt.Errorf("demo: base: %w", err)
		}
		fmt.Fprintf(out, "Basis: %d nieuwe demo-accounts.\n", created)
		for _, s := range steps {
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM demo_steps WHERE name = $1)`, s.name).Scan(&done); err != nil {
				return fmt.Errorf("demo: step %s: %w", s.name, err)
			}
			if done {
				fmt.Fprintf(out, "Stap %s: al geladen.\n", s.name)
				continue
			}
			if err := s.run(ctx, tx, d); err != nil {
				return fmt.Errorf("demo: step %s: %w", s.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO demo_steps (name) VALUES ($1)`, s.name); err != nil {
				return fmt.Errorf("demo: record step %s: %w", s.name, err)
			}
			fmt.Fprintf(out, "Stap %s: geladen.\n", s.name)
		}
		return nil
	})
}

// base creates the organisation and the four accounts when missing and fills
// d. It returns how many accounts it created.
func base(ctx context.Context, tx pgx.Tx, cfg config.Config, d *Data) (int, error) {
	var err error
	if d.Municipalities, err = codeMap(ctx, tx, `SELECT code, id FROM municipalities`); err != nil {
		return 0, err
	}
	if d.Neighbourhoods, err = codeMap(ctx, tx, `SELECT code, id FROM neighbourhoods`); err != nil {
		return 0, err
	}
	var ok bool
	if d.UtrechtID, ok = d.Municipalities[UtrechtCode]; !ok {
		return 0, fmt.Errorf("municipality %s missing", UtrechtCode)
	}
	if d.HomeID, err = d.Neighbourhood(homeCode); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `
		SELECT n.id FROM neighbourhoods n JOIN districts w ON w.id = n.district_id
		WHERE w.code = ANY($1) ORDER BY n.code`, workDistricts)
	if err != nil {
		return 0, err
	}
	if d.WorkAreas, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return 0, err
	}
	if len(d.WorkAreas) == 0 {
		return 0, errors.New("no neighbourhoods in the demo work districts")
	}

	err = tx.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO organisations (name, kind) VALUES ($1, 'welzijn')
			ON CONFLICT (name) DO NOTHING RETURNING id)
		SELECT id FROM ins UNION ALL SELECT id FROM organisations WHERE name = $1
		LIMIT 1`, OrganisationName).Scan(&d.OrganisationID)
	if err != nil {
		return 0, fmt.Errorf("organisation: %w", err)
	}

	type demoAccount struct {
		email, name  string
		roles        []role.Role
		home         *int64
		organisation *int64
		municipality *int64
		workAreas    []int64
	}
	accounts := []demoAccount{
		{email: ResidentEmail, name: "Bewoner (demo)", roles: []role.Role{role.Resident}, home: &d.HomeID},
		{email: WorkerEmail, name: "Opbouwwerker (demo)", roles: []role.Role{role.Resident, role.Worker},
			organisation: &d.OrganisationID, workAreas: d.WorkAreas},
		{email: OfficerEmail, name: "Gemeente Utrecht (demo)", roles: []role.Role{role.Resident, role.Officer}, municipality: &d.UtrechtID},
		{email: AdminEmail, name: "Beheerder (demo)", roles: []role.Role{role.Resident, role.Admin}},
	}
	d.Accounts = map[role.Role]int64{}
	created := 0
	for _, a := range accounts {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM accounts WHERE email = $1`, a.email).Scan(&id)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			hash, err := account.HashPassword(cfg.DemoPassword)
			if err != nil {
				return 0, err
			}
			err = tx.QueryRow(ctx, `
				INSERT INTO accounts (email, display_name, password_hash, roles, home_neighbourhood_id, organisation_id, municipality_id, email_confirmed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
				a.email, a.name, hash, a.roles, a.home, a.organisation, a.municipality).Scan(&id)
			if err != nil {
				return 0, fmt.Errorf("account %s: %w", a.email, err)
			}
			if len(a.workAreas) > 0 {
				if _, err := tx.Exec(ctx, `
					INSERT INTO account_work_areas (account_id, neighbourhood_id)
					SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, id, a.workAreas); err != nil {
					return 0, fmt.Errorf("work areas: %w", err)
				}
			}
			created++
		case err != nil:
			return 0, fmt.Errorf("account %s: %w", a.email, err)
		}
		// The role that gives the account its place in the demo.
		d.Accounts[a.roles[len(a.roles)-1]] = id
	}
	return created, nil
}

func codeMap(ctx context.Context, tx pgx.Tx, sql string) (map[string]int64, error) {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	var code string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&code, &id}, func() error {
		m[code] = id
		return nil
	})
	return m, err
}
