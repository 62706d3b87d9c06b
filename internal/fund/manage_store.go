package fund

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/fault"
)

var (
	// ErrBadArea: a district or neighbourhood code outside the fund's municipality.
	ErrBadArea = fault.Wrap(fault.ErrInvalid, "fund: area outside the municipality")
	// ErrBudgetBelowGranted: the budget would be less than was granted already.
	ErrBudgetBelowGranted = fault.Wrap(fault.ErrConflict, "fund: budget below what was granted")
	// ErrNoAccount: no account has that address.
	ErrNoAccount = fault.Wrap(fault.ErrNotFound, "fund: no account with that address")
)

// FundInput is a checked fund form.
type FundInput struct {
	Name, Description, PeriodLabel string
	Municipality                   int64 // scope; for officers their own
	OpensOn                        time.Time
	ClosesOn                       *time.Time
	BudgetCents, MaxCents          int64 // MaxCents 0: none
	MinSupporters, OwnPct          int
	Cofinancing, Receipts          bool
	Mode                           Mode
	AdviceDays, AccountDueDays     int
	Themes                         []string
	Areas                          []string // WK and BU codes
}

// ManagedFunds lists the funds sc manages.
func (s *Store) ManagedFunds(ctx context.Context, sc Scope) ([]Fund, error) {
	rows, err := s.db.Query(ctx, selectFund+` WHERE `+inScope("$1", "$2")+` ORDER BY d.opens_on DESC, d.name`, sc.Municipality, sc.Organisation)
	if err != nil {
		return nil, fmt.Errorf("fund: managed: %w", err)
	}
	fs, err := pgx.CollectRows(rows, scanFund)
	if err != nil {
		return nil, fmt.Errorf("fund: managed: %w", err)
	}
	return fs, nil
}

// ManagedFund returns a fund sc manages, with its area codes; ErrOutOfScope
// for any other.
func (s *Store) ManagedFund(ctx context.Context, id int64, sc Scope) (Fund, []string, error) {
	rows, err := s.db.Query(ctx, selectFund+` WHERE d.id = $1 AND `+inScope("$2", "$3"), id, sc.Municipality, sc.Organisation)
	if err != nil {
		return Fund{}, nil, fmt.Errorf("fund: managed %d: %w", id, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, scanFund)
	if errors.Is(err, pgx.ErrNoRows) {
		return Fund{}, nil, ErrOutOfScope
	}
	if err != nil {
		return Fund{}, nil, fmt.Errorf("fund: managed %d: %w", id, err)
	}
	var codes []string
	err = s.db.QueryRow(ctx, `
		SELECT ARRAY(SELECT COALESCE(di.code, nb.code) FROM fund_areas fa LEFT JOIN districts di ON di.id = fa.district_id
		             LEFT JOIN neighbourhoods nb ON nb.id = fa.neighbourhood_id WHERE fa.fund_id = $1 ORDER BY 1)`, id).Scan(&codes)
	if err != nil {
		return Fund{}, nil, fmt.Errorf("fund: areas of %d: %w", id, err)
	}
	return f, codes, nil
}

// MunicipalityID returns the id of a municipality by its GM code.
func (s *Store) MunicipalityID(ctx context.Context, code string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `SELECT id FROM municipalities WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}

// SaveFund creates (id 0) or updates a fund that sc manages: an officer's
// fund is the municipality's, funder staff's their organisation's. The
// fund row is locked, so its budget never drops below what was granted.
func (s *Store) SaveFund(ctx context.Context, id int64, sc Scope, in FundInput, by int64) (int64, error) {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		args := []any{in.Name, in.Description, in.PeriodLabel, in.Municipality, in.OpensOn, in.ClosesOn, in.BudgetCents,
			nullIfZero(in.MaxCents), in.MinSupporters, in.OwnPct, in.Cofinancing, in.Mode, in.AdviceDays, in.AccountDueDays, in.Receipts}
		if id == 0 {
			var muni, org any
			if sc.Municipality != 0 {
				muni, in.Municipality = sc.Municipality, sc.Municipality
				args[3] = sc.Municipality
			} else {
				org = sc.Organisation
			}
			if err := tx.QueryRow(ctx, `
				INSERT INTO funds (name, description, period_label, scope_municipality_id, opens_on, closes_on, budget_cents,
				                   max_per_request_cents, min_supporters, own_contribution_pct, cofinancing_allowed, decision_mode,
				                   advice_days, account_due_days, receipts_required, funder_municipality_id, funder_organisation_id, created_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
				append(args, muni, org, by)...).Scan(&id); err != nil {
				return err
			}
		} else {
			var granted, muni int64
			err := tx.QueryRow(ctx, `
				SELECT (SELECT COALESCE(sum(granted_cents), 0)::bigint FROM funding_requests WHERE fund_id = d.id AND status = 'toegekend'),
				       d.scope_municipality_id
				FROM funds d WHERE d.id = $1 AND `+inScope("$2", "$3")+` FOR UPDATE`, id, sc.Municipality, sc.Organisation).Scan(&granted, &muni)
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrOutOfScope
			}
			if err != nil {
				return err
			}
			if in.BudgetCents < granted {
				return ErrBudgetBelowGranted
			}
			if sc.Municipality != 0 || in.Municipality == 0 {
				in.Municipality = muni
			}
			args[3] = in.Municipality
			// A municipality's own fund stays in the municipality.
			if _, err := tx.Exec(ctx, `
				UPDATE funds SET name = $1, description = $2, period_label = $3,
				       scope_municipality_id = CASE WHEN funder_municipality_id IS NULL THEN $4 ELSE scope_municipality_id END,
				       opens_on = $5, closes_on = $6, budget_cents = $7, max_per_request_cents = $8, min_supporters = $9,
				       own_contribution_pct = $10, cofinancing_allowed = $11, decision_mode = $12, advice_days = $13,
				       account_due_days = $14, receipts_required = $15, updated_at = now()
				WHERE id = $16`, append(args, id)...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM fund_themes WHERE fund_id = $1`, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM fund_areas WHERE fund_id = $1`, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO fund_themes (fund_id, theme) SELECT $1, unnest($2::text[])`, id, in.Themes); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO fund_areas (fund_id, district_id, neighbourhood_id)
			SELECT $1, di.id, nb.id FROM unnest($2::text[]) c(code)
			LEFT JOIN districts di ON di.code = c.code AND di.municipality_id = (SELECT scope_municipality_id FROM funds WHERE id = $1)
			LEFT JOIN neighbourhoods nb ON nb.code = c.code AND nb.municipality_id = (SELECT scope_municipality_id FROM funds WHERE id = $1)
			WHERE di.id IS NOT NULL OR nb.id IS NOT NULL`, id, in.Areas)
		if err != nil {
			return err
		}
		if int(tag.RowsAffected()) != len(in.Areas) {
			return ErrBadArea
		}
		return audit.RecordTx(ctx, tx, by, "fund.save", "fund", id, in.Name)
	})
	if err != nil && !errors.Is(err, ErrOutOfScope) && !errors.Is(err, ErrBudgetBelowGranted) && !errors.Is(err, ErrBadArea) {
		return 0, fmt.Errorf("fund: save %d: %w", id, err)
	}
	return id, err
}

func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// Funder is an organisation as the administrators' funder page shows it.
type Funder struct {
	ID     int64
	Name   string
	Kind   string
	Funder bool // registered as a funder
	Staff  []StaffMember
}

// StaffMember is one account of a funder's staff.
type StaffMember struct {
	AccountID int64
	Name      string
	Email     string
}

// Funders lists every organisation with, for funders, their staff.
func (s *Store) Funders(ctx context.Context) ([]Funder, error) {
	rows, err := s.db.Query(ctx, `
		SELECT o.id, o.name, o.kind, o.funder_since IS NOT NULL,
		       COALESCE((SELECT json_agg(json_build_object('AccountID', a.id, 'Name', a.display_name, 'Email', a.email) ORDER BY a.display_name)
		                 FROM funder_staff st JOIN accounts a ON a.id = st.account_id WHERE st.organisation_id = o.id), '[]')
		FROM organisations o ORDER BY o.funder_since IS NULL, o.name`)
	if err != nil {
		return nil, fmt.Errorf("fund: funders: %w", err)
	}
	fs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Funder, error) {
		var f Funder
		err := row.Scan(&f.ID, &f.Name, &f.Kind, &f.Funder, &f.Staff)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("fund: funders: %w", err)
	}
	return fs, nil
}

// RegisterFunder marks an organisation as a funder (an administrator's act, audited).
func (s *Store) RegisterFunder(ctx context.Context, org, by int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE organisations SET funder_since = COALESCE(funder_since, now()) WHERE id = $1`, org)
		if err != nil {
			return fmt.Errorf("fund: register funder %d: %w", org, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return audit.RecordTx(ctx, tx, by, "funder.register", "organisation", org, "")
	})
}

// AddStaff makes the account with email staff of funder org (one funder
// per account: adding moves them).
func (s *Store) AddStaff(ctx context.Context, org int64, email string, by int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var account int64
		err := tx.QueryRow(ctx, `SELECT id FROM accounts WHERE email = $1`, email).Scan(&account)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoAccount
		}
		if err != nil {
			return fmt.Errorf("fund: add staff: %w", err)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO funder_staff (account_id, organisation_id, added_by)
			SELECT $1, id, $3 FROM organisations WHERE id = $2 AND funder_since IS NOT NULL
			ON CONFLICT (account_id) DO UPDATE SET organisation_id = EXCLUDED.organisation_id, added_by = EXCLUDED.added_by, added_at = now()`,
			account, org, by)
		if err != nil {
			return fmt.Errorf("fund: add staff: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return audit.RecordTx(ctx, tx, by, "funder.staff_add", "account", account, fmt.Sprint(org))
	})
}

// RemoveStaff ends an account's membership of funder org's staff.
func (s *Store) RemoveStaff(ctx context.Context, org, account, by int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM funder_staff WHERE organisation_id = $1 AND account_id = $2`, org, account); err != nil {
			return fmt.Errorf("fund: remove staff: %w", err)
		}
		return audit.RecordTx(ctx, tx, by, "funder.staff_remove", "account", account, fmt.Sprint(org))
	})
}
