package account

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
)

// UpdateProfile sets the display name and home neighbourhood (nil: none)
// of account id and records in the audit trail which of them changed (not
// the values: the trail is kept longer than the account). It reports
// whether anything changed; saving the same values again writes nothing.
func (s *Store) UpdateProfile(ctx context.Context, id int64, name string, home *int64) (bool, error) {
	changed := false
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var oldName string
		var oldHome *int64
		err := tx.QueryRow(ctx, `SELECT display_name, home_neighbourhood_id FROM accounts WHERE id = $1 FOR UPDATE`, id).
			Scan(&oldName, &oldHome)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var what []string
		if oldName != name {
			what = append(what, "naam")
		}
		if !sameID(oldHome, home) {
			what = append(what, "buurt")
		}
		if len(what) == 0 {
			return nil
		}
		changed = true
		if _, err := tx.Exec(ctx, `UPDATE accounts SET display_name = $2, home_neighbourhood_id = $3 WHERE id = $1`,
			id, name, home); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, id, "account.profile", "account", id, strings.Join(what, " en ")+" gewijzigd")
	})
	if errors.Is(err, ErrNotFound) {
		return false, err
	}
	if err != nil {
		return false, fmt.Errorf("account: update profile of %d: %w", id, err)
	}
	return changed, nil
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// HomeCode returns the CBS code of account id's home neighbourhood, "" when
// it has none.
func (s *Store) HomeCode(ctx context.Context, id int64) (string, error) {
	var code string
	err := s.db.QueryRow(ctx, `SELECT COALESCE(n.code, '') FROM accounts a
		LEFT JOIN neighbourhoods n ON n.id = a.home_neighbourhood_id WHERE a.id = $1`, id).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("account: home of %d: %w", id, err)
	}
	return code, nil
}
