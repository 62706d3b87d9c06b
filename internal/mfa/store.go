package mfa

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
)

// Store keeps the TOTP enrolments, recovery codes and session metadata.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Status is what the settings page shows of an account's second factor.
type Status struct {
	Enabled      bool
	Since        time.Time
	RecoveryLeft int // unused recovery codes
}

// Status returns the account's second-factor status.
func (s *Store) Status(ctx context.Context, accountID int64) (Status, error) {
	var st Status
	err := s.db.QueryRow(ctx, `
		SELECT t.enabled_at, (SELECT count(*) FROM mfa_recovery_codes c WHERE c.account_id = t.account_id AND c.used_at IS NULL)
		FROM mfa_totp t WHERE t.account_id = $1`, accountID).Scan(&st.Since, &st.RecoveryLeft)
	if errors.Is(err, pgx.ErrNoRows) {
		return Status{}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("mfa: status of %d: %w", accountID, err)
	}
	st.Enabled = true
	return st, nil
}

// Enabled reports whether the account has a second factor (app or passkey).
func (s *Store) Enabled(ctx context.Context, accountID int64) (bool, error) {
	var on bool
	// A passkey is a second factor as much as the authenticator app.
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mfa_totp WHERE account_id = $1)
		OR EXISTS (SELECT 1 FROM passkeys WHERE account_id = $1)`, accountID).Scan(&on); err != nil {
		return false, fmt.Errorf("mfa: enabled %d: %w", accountID, err)
	}
	return on, nil
}

// Enable stores the sealed secret, with step (the step of the code that
// confirmed it) as used, and the recovery codes' hashes, and audits it.
func (s *Store) Enable(ctx context.Context, accountID int64, sealed []byte, step int64, codeHashes [][]byte) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO mfa_totp (account_id, secret_sealed, last_step) VALUES ($1, $2, $3)
			ON CONFLICT (account_id) DO NOTHING`, accountID, sealed, step)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrAlreadyEnabled
		}
		if err := insertCodes(ctx, tx, accountID, codeHashes); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, accountID, "mfa.enable", "account", accountID, "tweestapsverificatie aangezet (app)")
	})
	if err != nil && !errors.Is(err, ErrAlreadyEnabled) {
		return fmt.Errorf("mfa: enable %d: %w", accountID, err)
	}
	return err
}

func insertCodes(ctx context.Context, tx pgx.Tx, accountID int64, hashes [][]byte) error {
	_, err := tx.Exec(ctx, `INSERT INTO mfa_recovery_codes (account_id, code_hash) SELECT $1, unnest($2::bytea[])`, accountID, hashes)
	return err
}

// ReplaceRecoveryCodes drops the account's recovery codes, used or not, for
// new ones, and audits it.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, accountID int64, hashes [][]byte) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var on bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mfa_totp WHERE account_id = $1 FOR UPDATE)`, accountID).Scan(&on); err != nil {
			return err
		}
		if !on {
			return ErrNotEnabled
		}
		if _, err := tx.Exec(ctx, `DELETE FROM mfa_recovery_codes WHERE account_id = $1`, accountID); err != nil {
			return err
		}
		if err := insertCodes(ctx, tx, accountID, hashes); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, accountID, "mfa.recovery_codes", "account", accountID, "nieuwe herstelcodes gemaakt; de oude werken niet meer")
	})
	if err != nil && !errors.Is(err, ErrNotEnabled) {
		return fmt.Errorf("mfa: replace recovery codes of %d: %w", accountID, err)
	}
	return err
}

// Disable removes the second factor and its recovery codes, and audits it.
func (s *Store) Disable(ctx context.Context, accountID int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM mfa_totp WHERE account_id = $1`, accountID)
		if err != nil {
			return fmt.Errorf("mfa: disable %d: %w", accountID, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotEnabled
		}
		return audit.RecordTx(ctx, tx, accountID, "mfa.disable", "account", accountID, "tweestapsverificatie uitgezet")
	})
}

// Secret returns the account's sealed secret.
func (s *Store) Secret(ctx context.Context, accountID int64) ([]byte, error) {
	var sealed []byte
	err := s.db.QueryRow(ctx, `SELECT secret_sealed FROM mfa_totp WHERE account_id = $1`, accountID).Scan(&sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotEnabled
	}
	if err != nil {
		return nil, fmt.Errorf("mfa: secret of %d: %w", accountID, err)
	}
	return sealed, nil
}

// UseStep marks step as used and reports whether it was still free: a
// step at or before the last one used is refused, so a code (and any older
// one) works once, also when two requests race.
func (s *Store) UseStep(ctx context.Context, accountID, step int64) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE mfa_totp SET last_step = $2 WHERE account_id = $1 AND last_step < $2`, accountID, step)
	if err != nil {
		return false, fmt.Errorf("mfa: use step of %d: %w", accountID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// UseRecoveryCode marks the code with hash as used and reports whether it
// existed unused.
func (s *Store) UseRecoveryCode(ctx context.Context, accountID int64, hash []byte) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE mfa_recovery_codes SET used_at = now()
		WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL`, accountID, hash)
	if err != nil {
		return false, fmt.Errorf("mfa: use recovery code of %d: %w", accountID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Failure audits a wrong second step; detail says which kind of code, never the code.
func (s *Store) Failure(ctx context.Context, accountID int64, detail string) error {
	return audit.RecordTx(ctx, s.db, accountID, "mfa.failure", "account", accountID, detail)
}

// SessionInfo is one session of an account as "Mijn sessies" shows it.
type SessionInfo struct {
	ID       int64
	Device   string
	Place    string
	Started  time.Time
	LastSeen time.Time
	Current  bool
}

// TouchSession records that the session with tokenHash of accountID was
// used now, from device and place. It records nothing while the session is
// not stored yet (the request that logged in), and reports whether it did.
func (s *Store) TouchSession(ctx context.Context, tokenHash []byte, accountID int64, device, place string) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO session_meta (token_hash, account_id, device, place)
		SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM sessions WHERE token_hash = $1)
		ON CONFLICT (token_hash) DO UPDATE SET last_seen_at = now(), device = EXCLUDED.device, place = EXCLUDED.place
		WHERE session_meta.account_id = EXCLUDED.account_id`, tokenHash, accountID, device, place)
	if err != nil {
		return false, fmt.Errorf("mfa: touch session of %d: %w", accountID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Sessions lists the account's live sessions, the current one (currentHash) first.
func (s *Store) Sessions(ctx context.Context, accountID int64, currentHash []byte) ([]SessionInfo, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.device, m.place, m.created_at AS started, m.last_seen_at AS last_seen, m.token_hash = $2 AS current
		FROM session_meta m JOIN sessions s ON s.token_hash = m.token_hash
		WHERE m.account_id = $1 AND s.expiry > now()
		ORDER BY current DESC, m.last_seen_at DESC, m.id DESC`, accountID, currentHash)
	if err != nil {
		return nil, fmt.Errorf("mfa: sessions of %d: %w", accountID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[SessionInfo])
	if err != nil {
		return nil, fmt.Errorf("mfa: sessions of %d: %w", accountID, err)
	}
	return out, nil
}

// EndSession ends the account's session id (not the current one: that is
// logging out). The session row goes, so its browser is logged out at its
// next request; its metadata goes with it.
func (s *Store) EndSession(ctx context.Context, accountID, id int64, currentHash []byte) error {
	tag, err := s.db.Exec(ctx, `
		DELETE FROM sessions s USING session_meta m
		WHERE m.token_hash = s.token_hash AND m.id = $2 AND m.account_id = $1 AND m.token_hash <> $3`, accountID, id, currentHash)
	if err != nil {
		return fmt.Errorf("mfa: end session %d of %d: %w", id, accountID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNoSession
	}
	return nil
}

// EndOtherSessions ends every session of the account but the current one
// and returns how many it ended.
func (s *Store) EndOtherSessions(ctx context.Context, accountID int64, currentHash []byte) (int64, error) {
	tag, err := s.db.Exec(ctx, `
		DELETE FROM sessions s USING session_meta m
		WHERE m.token_hash = s.token_hash AND m.account_id = $1 AND m.token_hash <> $2`, accountID, currentHash)
	if err != nil {
		return 0, fmt.Errorf("mfa: end other sessions of %d: %w", accountID, err)
	}
	return tag.RowsAffected(), nil
}
