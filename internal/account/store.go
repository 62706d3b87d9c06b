package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/role"
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
	Roles               []role.Role // empty means resident
	HomeNeighbourhoodID *int64
	// Confirmed accounts (administrators', the CLI's, the demo's) need no
	// confirmation mail; registration leaves this false.
	Confirmed bool
}

const accountColumns = `id, email::text, display_name, password_hash, roles, home_neighbourhood_id,
	organisation_id, municipality_id, created_at, last_login_at, password_changed_at, email_confirmed_at`

func scanAccount(row pgx.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.Roles, &a.HomeNeighbourhoodID,
		&a.OrganisationID, &a.MunicipalityID, &a.CreatedAt, &a.LastLoginAt, &a.PasswordChangedAt, &a.EmailConfirmedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	return a, err
}

// Create inserts an account. A taken e-mail address (case-insensitive) gives
// ErrDuplicateEmail.
func (s *Store) Create(ctx context.Context, n NewAccount) (Account, error) {
	return create(ctx, s.db, n)
}

// Register inserts an account and, unless it is confirmed already, queues
// the mail with its confirmation link in the same transaction: an account
// without its mail, or a mail for an account that was never made, cannot
// happen. A taken address gives ErrDuplicateEmail, and queues the notice to
// its owner in the same way.
func (s *Store) Register(ctx context.Context, n NewAccount) (Account, error) {
	var a Account
	taken := false
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// A savepoint: the failed insert must not end the transaction
		// that queues the notice.
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
			var err error
			a, err = create(ctx, sp, n)
			return err
		})
		if errors.Is(err, ErrDuplicateEmail) {
			taken = true
			var owner int64
			err := tx.QueryRow(ctx, `SELECT id FROM accounts WHERE email = $1`, n.Email).Scan(&owner)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // deleted meanwhile: nobody to tell
			}
			if err != nil {
				return fmt.Errorf("account: owner of a taken address: %w", err)
			}
			return notify.QueueRegisterNotice(ctx, tx, owner)
		}
		if err != nil || n.Confirmed {
			return err
		}
		return notify.QueueConfirmation(ctx, tx, a.ID)
	})
	if err != nil {
		return Account{}, err
	}
	if taken {
		return Account{}, ErrDuplicateEmail
	}
	return a, nil
}

// QueueConfirmation queues a new confirmation mail for id.
func (s *Store) QueueConfirmation(ctx context.Context, id int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error { return notify.QueueConfirmation(ctx, tx, id) })
}

// ConfirmEmail marks id's address confirmed, provided it still is email (a
// link for an earlier address confirms nothing). Confirming twice keeps the
// first moment. It reports whether the address matched.
func (s *Store) ConfirmEmail(ctx context.Context, id int64, email string) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE accounts SET email_confirmed_at = COALESCE(email_confirmed_at, now())
		WHERE id = $1 AND email = $2`, id, email)
	if err != nil {
		return false, fmt.Errorf("account: confirm email of %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// queryRower is a pool or a transaction.
type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func create(ctx context.Context, db queryRower, n NewAccount) (Account, error) {
	roles := n.Roles
	if len(roles) == 0 {
		roles = []role.Role{role.Resident}
	}
	a, err := scanAccount(db.QueryRow(ctx, `
		INSERT INTO accounts (email, display_name, password_hash, roles, home_neighbourhood_id, email_confirmed_at)
		VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END)
		RETURNING `+accountColumns,
		n.Email, n.DisplayName, n.PasswordHash, roles, n.HomeNeighbourhoodID, n.Confirmed))
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

// Session is what every request needs to know about the logged-in
// account: who it is, what it may do, and the moment its password last
// changed (a session from before that is no longer valid).
type Session struct {
	ID                int64
	Name              string
	Email             string
	Roles             []role.Role
	MunicipalityID    *int64
	OrganisationID    *int64
	WorkAreas         []int64 // neighbourhood ids
	EmailConfirmed    bool
	Unread            int // unread notifications
	PasswordChangedAt time.Time
	HomeCode          string // CBS code of the home neighbourhood, "" when none
}

// Session loads the session data of account id in one query: it runs on
// every request.
func (s *Store) Session(ctx context.Context, id int64) (Session, error) {
	ses := Session{ID: id}
	err := s.db.QueryRow(ctx, `
		SELECT a.display_name, a.email::text, a.roles, a.municipality_id, a.organisation_id, a.password_changed_at,
		       COALESCE(array_agg(w.neighbourhood_id ORDER BY w.neighbourhood_id) FILTER (WHERE w.neighbourhood_id IS NOT NULL), '{}'),
		       a.email_confirmed_at IS NOT NULL,
		       (SELECT count(*) FROM notifications n WHERE n.recipient_id = a.id AND n.read_at IS NULL),
		       COALESCE(h.code, '')
		FROM accounts a
		LEFT JOIN account_work_areas w ON w.account_id = a.id
		LEFT JOIN neighbourhoods h ON h.id = a.home_neighbourhood_id
		WHERE a.id = $1 AND a.suspended_at IS NULL
		GROUP BY a.id, h.code`, id).Scan(&ses.Name, &ses.Email, &ses.Roles, &ses.MunicipalityID, &ses.OrganisationID,
		&ses.PasswordChangedAt, &ses.WorkAreas, &ses.EmailConfirmed, &ses.Unread, &ses.HomeCode)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("account: session of %d: %w", id, err)
	}
	return ses, nil
}

// Suspension returns why account id is suspended, and whether it is; a
// suspended account may not log in (FinishLogin) and its sessions count as
// logged out (Session).
func (s *Store) Suspension(ctx context.Context, id int64) (string, bool, error) {
	var reason string
	var suspended bool
	err := s.db.QueryRow(ctx, `SELECT suspended_reason, suspended_at IS NOT NULL FROM accounts WHERE id = $1`, id).Scan(&reason, &suspended)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, ErrNotFound
	}
	if err != nil {
		return "", false, fmt.Errorf("account: suspension of %d: %w", id, err)
	}
	return reason, suspended, nil
}

// TouchLogin records a successful login.
func (s *Store) TouchLogin(ctx context.Context, id int64) error {
	if _, err := s.db.Exec(ctx, `UPDATE accounts SET last_login_at = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("account: touch login %d: %w", id, err)
	}
	return nil
}

// SetPassword replaces the password hash; sessions started before now end,
// and so do the account's API tokens (endAPITokens) and a change of e-mail
// address still waiting (endEmailChanges), in the same transaction.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) (time.Time, error) {
	var changed time.Time
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE accounts SET password_hash = $2, password_changed_at = clock_timestamp()
			WHERE id = $1 RETURNING password_changed_at`, id, hash).Scan(&changed)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := endEmailChanges(ctx, tx, id); err != nil {
			return err
		}
		return endAPITokens(ctx, tx, id)
	})
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, err
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("account: set password %d: %w", id, err)
	}
	return changed, nil
}

// VerifyPassword reports whether password is id's password. Other features
// ask for it before something weighty (an API token).
func (s *Store) VerifyPassword(ctx context.Context, id int64, password string) (bool, error) {
	acc, err := s.ByID(ctx, id)
	if err != nil {
		return false, err
	}
	ok, err := CheckPassword(acc.PasswordHash, password)
	if errors.Is(err, errBadHash) {
		return false, nil // an unreadable hash matches nothing
	}
	return ok, err
}

// endAPITokens revokes every live API token of the account. A token is a
// password that never asks again: when the password changes or is reset,
// or the person loses a role, the tokens made under the old state must stop
// too. It writes the apitoken feature's table directly (apitoken imports
// this package, not the other way round) so it runs in the caller's
// transaction.
func endAPITokens(ctx context.Context, tx pgx.Tx, accountID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now()
		WHERE account_id = $1 AND revoked_at IS NULL`, accountID); err != nil {
		return fmt.Errorf("end api tokens of %d: %w", accountID, err)
	}
	return nil
}

// Place is a neighbourhood as the account pages show it.
type Place struct {
	ID           int64
	Code         string
	Name         string
	District     string
	Municipality string
}

// Neighbourhoods lists every neighbourhood with its municipality, ordered for
// a select grouped by municipality. The table may be empty.
func (s *Store) Neighbourhoods(ctx context.Context) ([]Place, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.code, n.name, d.name, m.name
		FROM neighbourhoods n
		JOIN districts d ON d.id = n.district_id
		JOIN municipalities m ON m.id = n.municipality_id
		ORDER BY m.name, n.name, n.code`)
	if err != nil {
		return nil, fmt.Errorf("account: neighbourhoods: %w", err)
	}
	return collectPlaces(rows)
}

func collectPlaces(rows pgx.Rows) ([]Place, error) {
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Place, error) {
		var p Place
		err := row.Scan(&p.ID, &p.Code, &p.Name, &p.District, &p.Municipality)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("account: places: %w", err)
	}
	return ps, nil
}

// NeighbourhoodExists reports whether id is a neighbourhood.
func (s *Store) NeighbourhoodExists(ctx context.Context, id int64) (bool, error) {
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM neighbourhoods WHERE id = $1)`, id).Scan(&ok); err != nil {
		return false, fmt.Errorf("account: neighbourhood %d exists: %w", id, err)
	}
	return ok, nil
}

// Profile is an account with the names of everything it points to.
type Profile struct {
	Account
	HomeNeighbourhood string // "" when none
	HomeCode          string // CBS code of the home neighbourhood, "" when none
	Organisation      string
	Municipality      string
	MunicipalityCode  string
	WorkAreas         []Place
	SuspendedAt       *time.Time // nil unless suspended
	SuspendedReason   string
}

// Profile loads an account with the names of its home neighbourhood,
// organisation, municipality and work areas (two queries).
func (s *Store) Profile(ctx context.Context, id int64) (Profile, error) {
	var p Profile
	a := &p.Account
	err := s.db.QueryRow(ctx, `
		SELECT a.id, a.email::text, a.display_name, a.password_hash, a.roles, a.home_neighbourhood_id,
		       a.organisation_id, a.municipality_id, a.created_at, a.last_login_at, a.password_changed_at, a.email_confirmed_at,
		       COALESCE(h.name || ' (' || hm.name || ')', ''), COALESCE(o.name, ''), COALESCE(m.name, ''), COALESCE(m.code, ''),
		       a.suspended_at, a.suspended_reason, COALESCE(h.code, '')
		FROM accounts a
		LEFT JOIN neighbourhoods h ON h.id = a.home_neighbourhood_id
		LEFT JOIN municipalities hm ON hm.id = h.municipality_id
		LEFT JOIN organisations o ON o.id = a.organisation_id
		LEFT JOIN municipalities m ON m.id = a.municipality_id
		WHERE a.id = $1`, id).Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.Roles, &a.HomeNeighbourhoodID,
		&a.OrganisationID, &a.MunicipalityID, &a.CreatedAt, &a.LastLoginAt, &a.PasswordChangedAt, &a.EmailConfirmedAt,
		&p.HomeNeighbourhood, &p.Organisation, &p.Municipality, &p.MunicipalityCode, &p.SuspendedAt, &p.SuspendedReason, &p.HomeCode)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, fmt.Errorf("account: profile %d: %w", id, err)
	}
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.code, n.name, d.name, m.name
		FROM account_work_areas w
		JOIN neighbourhoods n ON n.id = w.neighbourhood_id
		JOIN districts d ON d.id = n.district_id
		JOIN municipalities m ON m.id = n.municipality_id
		WHERE w.account_id = $1
		ORDER BY m.name, n.name`, id)
	if err != nil {
		return Profile{}, fmt.Errorf("account: work areas of %d: %w", id, err)
	}
	if p.WorkAreas, err = collectPlaces(rows); err != nil {
		return Profile{}, err
	}
	return p, nil
}

// CreateReset stores the hash of a new password-reset token and clears
// tokens that expired more than a day ago.
func (s *Store) CreateReset(ctx context.Context, accountID int64, tokenHash []byte, expires time.Time) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM password_resets WHERE expires_at < now() - interval '1 day'`); err != nil {
			return fmt.Errorf("account: clean resets: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO password_resets (token_hash, account_id, expires_at) VALUES ($1, $2, $3)`,
			tokenHash, accountID, expires); err != nil {
			return fmt.Errorf("account: create reset for %d: %w", accountID, err)
		}
		return nil
	})
}

// ResetAccount returns the account of an unused, unexpired reset token, or
// ErrTokenInvalid.
func (s *Store) ResetAccount(ctx context.Context, tokenHash []byte) (Account, error) {
	a, err := scanAccount(s.db.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE id = (SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now())`, tokenHash))
	if errors.Is(err, ErrNotFound) {
		return Account{}, ErrTokenInvalid
	}
	if err != nil {
		return Account{}, fmt.Errorf("account: reset account: %w", err)
	}
	return a, nil
}

// UseReset spends a reset token and sets the new password hash in one
// transaction. The account's other open tokens are spent too, every session
// and API token of the account ends (password_changed_at moves on), and the
// address counts as confirmed: the link in the mail proved it is theirs.
func (s *Store) UseReset(ctx context.Context, tokenHash []byte, passwordHash string) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE password_resets SET used_at = now()
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING account_id`, tokenHash).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrTokenInvalid
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = now() WHERE account_id = $1 AND used_at IS NULL`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = $2, password_changed_at = clock_timestamp(),
			email_confirmed_at = COALESCE(email_confirmed_at, now()) WHERE id = $1`, id, passwordHash); err != nil {
			return err
		}
		if err := endEmailChanges(ctx, tx, id); err != nil {
			return err
		}
		return endAPITokens(ctx, tx, id)
	})
	if errors.Is(err, ErrTokenInvalid) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("account: use reset: %w", err)
	}
	return id, nil
}
