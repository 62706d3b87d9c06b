package mfa

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Errors of the passkey store.
var (
	ErrNoPasskey      = fault.Wrap(fault.ErrNotFound, "mfa: no such passkey")
	ErrPasskeyChanged = fault.Wrap(fault.ErrConflict, "mfa: passkey used concurrently")
)

// Passkey is one registered passkey of an account.
type Passkey struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	Credential webauthn.Credential
}

// PasskeyHandle returns the account's WebAuthn user handle, making a random
// one on first use: the authenticator stores it, so it must say nothing of
// the person (not the e-mail address, not the database id).
func (s *Store) PasskeyHandle(ctx context.Context, accountID int64) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("mfa: random user handle: %w", err)
	}
	var handle []byte
	err := s.db.QueryRow(ctx, `
		WITH ins AS (INSERT INTO passkey_handles (account_id, handle) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING RETURNING handle)
		SELECT handle FROM ins UNION ALL SELECT handle FROM passkey_handles WHERE account_id = $1 LIMIT 1`, accountID, fresh).Scan(&handle)
	if err != nil {
		return nil, fmt.Errorf("mfa: user handle of %d: %w", accountID, err)
	}
	return handle, nil
}

// AccountByHandle returns the account with the user handle, or ErrNoPasskey.
func (s *Store) AccountByHandle(ctx context.Context, handle []byte) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `SELECT account_id FROM passkey_handles WHERE handle = $1`, handle).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNoPasskey
	}
	if err != nil {
		return 0, fmt.Errorf("mfa: account by handle: %w", err)
	}
	return id, nil
}

// Passkeys returns the account's passkeys, oldest first.
func (s *Store) Passkeys(ctx context.Context, accountID int64) ([]Passkey, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, name, created_at, last_used_at, credential_id, public_key, sign_count, transports, aaguid,
			attestation_type, user_present, user_verified, backup_eligible, backup_state
		FROM passkeys WHERE account_id = $1 ORDER BY created_at, id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("mfa: passkeys of %d: %w", accountID, err)
	}
	defer rows.Close()
	var out []Passkey
	for rows.Next() {
		var p Passkey
		var count int64
		var transports []string
		c := &p.Credential
		if err := rows.Scan(&p.ID, &p.Name, &p.CreatedAt, &p.LastUsedAt, &c.ID, &c.PublicKey, &count, &transports,
			&c.Authenticator.AAGUID, &c.AttestationType, &c.Flags.UserPresent, &c.Flags.UserVerified,
			&c.Flags.BackupEligible, &c.Flags.BackupState); err != nil {
			return nil, fmt.Errorf("mfa: passkeys of %d: %w", accountID, err)
		}
		c.Authenticator.SignCount = uint32(count) //nolint:gosec // stored from a uint32
		for _, t := range transports {
			c.Transport = append(c.Transport, protocol.AuthenticatorTransport(t))
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mfa: passkeys of %d: %w", accountID, err)
	}
	return out, nil
}

// HasPasskeys reports whether the account has a passkey.
func (s *Store) HasPasskeys(ctx context.Context, accountID int64) (bool, error) {
	var on bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM passkeys WHERE account_id = $1)`, accountID).Scan(&on); err != nil {
		return false, fmt.Errorf("mfa: has passkeys %d: %w", accountID, err)
	}
	return on, nil
}

// AddPasskey stores a registered credential under name and audits it.
func (s *Store) AddPasskey(ctx context.Context, accountID int64, name string, c *webauthn.Credential) error {
	transports := make([]string, 0, len(c.Transport))
	for _, t := range c.Transport {
		transports = append(transports, string(t))
	}
	aaguid := c.Authenticator.AAGUID
	if aaguid == nil {
		aaguid = []byte{}
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO passkeys (account_id, name, credential_id, public_key, sign_count, transports, aaguid, attestation_type,
				user_present, user_verified, backup_eligible, backup_state)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			accountID, name, c.ID, c.PublicKey, int64(c.Authenticator.SignCount), transports, aaguid, c.AttestationType,
			c.Flags.UserPresent, c.Flags.UserVerified, c.Flags.BackupEligible, c.Flags.BackupState).Scan(&id)
		if err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, accountID, "mfa.passkey_add", "account", accountID, fmt.Sprintf("passkey %q toegevoegd", name))
	})
	if err != nil {
		return fmt.Errorf("mfa: add passkey of %d: %w", accountID, err)
	}
	return nil
}

// RemovePasskey removes the account's passkey id and audits it. keepOne
// refuses to remove the last second factor (fault.ErrConflict) of a person
// whose role requires one and who has no authenticator app.
func (s *Store) RemovePasskey(ctx context.Context, accountID, id int64, keepOne bool) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM passkeys WHERE id = $1 AND account_id = $2 RETURNING name`, id, accountID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoPasskey
		}
		if err != nil {
			return fmt.Errorf("mfa: remove passkey %d of %d: %w", id, accountID, err)
		}
		if keepOne {
			var left bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM passkeys WHERE account_id = $1)
				OR EXISTS (SELECT 1 FROM mfa_totp WHERE account_id = $1)`, accountID).Scan(&left); err != nil {
				return err
			}
			if !left {
				return ErrLastFactor
			}
		}
		return audit.RecordTx(ctx, tx, accountID, "mfa.passkey_remove", "account", accountID, fmt.Sprintf("passkey %q verwijderd", name))
	})
}

// ErrLastFactor refuses removing the last second factor where it is required.
var ErrLastFactor = fault.Wrap(fault.ErrConflict, "mfa: last second factor of a role that requires one")

// UsePasskey records a successful assertion: the new signature counter and
// flags, and the time. It only writes when the counter is still the one
// the check saw (prev), so two racing uses of a cloned key cannot both pass.
func (s *Store) UsePasskey(ctx context.Context, accountID int64, c *webauthn.Credential, prev uint32) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE passkeys SET sign_count = $3, user_verified = user_verified OR $4, backup_state = $5, last_used_at = now()
		WHERE account_id = $1 AND credential_id = $2 AND sign_count = $6`,
		accountID, c.ID, int64(c.Authenticator.SignCount), c.Flags.UserVerified, c.Flags.BackupState, int64(prev))
	if err != nil {
		return fmt.Errorf("mfa: use passkey of %d: %w", accountID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrPasskeyChanged
	}
	return nil
}

// PasskeyFailure audits a failed passkey ceremony; accountID 0 when no
// account is known (a passwordless login with an unknown passkey).
func (s *Store) PasskeyFailure(ctx context.Context, accountID int64, detail string) error {
	var actor *int64
	if accountID != 0 {
		actor = &accountID
	}
	_, err := s.db.Exec(ctx, `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail)
		VALUES ($1, 'mfa.passkey_failure', 'account', $1, $2)`, actor, detail)
	if err != nil {
		return fmt.Errorf("mfa: audit passkey failure: %w", err)
	}
	return nil
}
