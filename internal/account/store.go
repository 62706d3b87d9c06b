package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// Store owns the SQL of accounts, roles and password resets.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// NewAccount is what registration (or the CLI) provides.
type NewAccount struct {
	Email               string
	DisplayName         string
	PasswordHash        string
	Roles               []Role // empty means resident
	HomeNeighbourhoodID *int64
}

const accountColumns = `id, email::text, display_name, password_hash, roles, home_neighbourhood_id,
	organisation_id, municipality_id, created_at, last_login_at, password_changed_at`

func scanAccount(row pgx.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.Roles, &a.HomeNeighbourhoodID,
		&a.OrganisationID, &a.MunicipalityID, &a.CreatedAt, &a.LastLoginAt, &a.PasswordChangedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	return a, err
}

// Create inserts an account. A taken e-mail address (case-insensitive) gives
// ErrDuplicateEmail.
func (s *Store) Create(ctx context.Context, n NewAccount) (Account, error) {
	roles := n.Roles
	if len(roles) == 0 {
		roles = []Role{Resident}
	}
	a, err := scanAccount(s.db.QueryRow(ctx, `
		INSERT INTO accounts (email, display_name, password_hash, roles, home_neighbourhood_id)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING `+accountColumns,
		n.Email, n.DisplayName, n.PasswordHash, roles, n.HomeNeighbourhoodID))
	if postgres.IsUniqueViolation(err, "accounts_email_key") {
		return Account{}, ErrDuplicateEmail
	}
	if err != nil {
		return Account{}, fmt.Errorf("account: create: %w", err)
	}
	return a, nil
}

// ByEmail finds an account by e-mail address, ignoring case.
func (s *Store) ByEmail(ctx context.Context, email string) (Account, error) {
	a, err := scanAccount(s.db.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = $1`, email))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Account{}, fmt.Errorf("account: by email: %w", err)
	}
	return a, err
}

// ByID finds an account by id.
func (s *Store) ByID(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(s.db.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Account{}, fmt.Errorf("account: by id %d: %w", id, err)
	}
	return a, err
}

// Viewer loads what every request needs to know about the logged-in user, in
// one query, together with the moment the password last changed (sessions
// from before a password change are no longer valid).
func (s *Store) Viewer(ctx context.Context, id int64) (*httpx.Viewer, time.Time, error) {
	v := &httpx.Viewer{ID: id}
	var muni, org *int64
	var pwChanged time.Time
	err := s.db.QueryRow(ctx, `
		SELECT a.display_name, a.email::text, a.roles, a.municipality_id, a.organisation_id, a.password_changed_at,
		       COALESCE(array_agg(w.neighbourhood_id ORDER BY w.neighbourhood_id) FILTER (WHERE w.neighbourhood_id IS NOT NULL), '{}')
		FROM accounts a
		LEFT JOIN account_work_areas w ON w.account_id = a.id
		WHERE a.id = $1
		GROUP BY a.id`, id).Scan(&v.Name, &v.Email, &v.Roles, &muni, &org, &pwChanged, &v.WorkAreas)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("account: viewer %d: %w", id, err)
	}
	if muni != nil {
		v.MunicipalityID = *muni
	}
	if org != nil {
		v.OrganisationID = *org
	}
	return v, pwChanged, nil
}

// TouchLogin records a successful login.
func (s *Store) TouchLogin(ctx context.Context, id int64) error {
	if _, err := s.db.Exec(ctx, `UPDATE accounts SET last_login_at = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("account: touch login %d: %w", id, err)
	}
	return nil
}

// SetPassword replaces the password hash; sessions started before now end.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) (time.Time, error) {
	var changed time.Time
	err := s.db.QueryRow(ctx, `UPDATE accounts SET password_hash = $2, password_changed_at = clock_timestamp()
		WHERE id = $1 RETURNING password_changed_at`, id, hash).Scan(&changed)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, ErrNotFound
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("account: set password %d: %w", id, err)
	}
	return changed, nil
}
