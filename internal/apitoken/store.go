package apitoken

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store holds the SQL of API tokens.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Create makes a token for accountID that works for days days and returns
// the secret, which exists only in this return value.
func (s *Store) Create(ctx context.Context, accountID int64, name string, days int) (Token, string, error) {
	secret, h := newSecret()
	var t Token
	err := s.db.QueryRow(ctx, `INSERT INTO api_tokens (account_id, name, token_hash, expires_at)
		VALUES ($1, $2, $3, now() + make_interval(days => $4))
		RETURNING id, name, created_at, expires_at`, accountID, name, h, days).Scan(&t.ID, &t.Name, &t.CreatedAt, &t.ExpiresAt)
	if err != nil {
		return Token{}, "", fmt.Errorf("apitoken: create for %d: %w", accountID, err)
	}
	return t, secret, nil
}

// List returns the account's tokens, newest first.
func (s *Store) List(ctx context.Context, accountID int64) ([]Token, error) {
	rows, err := s.db.Query(ctx, `SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
		WHERE account_id = $1 ORDER BY created_at DESC, id DESC`, accountID)
	if err != nil {
		return nil, fmt.Errorf("apitoken: list for %d: %w", accountID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Token, error) {
		var t Token
		err := row.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt)
		return t, err
	})
}

// Revoke ends one of the account's own tokens; revoking twice is fine.
func (s *Store) Revoke(ctx context.Context, accountID, id int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now())
		WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return fmt.Errorf("apitoken: revoke %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// Use looks up a live token (not revoked, not expired) by its secret and
// returns its account. An expired token is ErrInvalid like an unknown one.
// It records the use at most once a minute, to keep writes down.
func (s *Store) Use(ctx context.Context, secret string) (int64, error) {
	if !wellFormed(secret) {
		return 0, ErrInvalid
	}
	var accountID int64
	err := s.db.QueryRow(ctx, `
		WITH t AS (SELECT id, account_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()),
		     touched AS (UPDATE api_tokens a SET last_used_at = now() FROM t
		                 WHERE a.id = t.id AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute'))
		SELECT account_id FROM t`, hash(secret)).Scan(&accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrInvalid
	}
	if err != nil {
		return 0, fmt.Errorf("apitoken: use: %w", err)
	}
	return accountID, nil
}
