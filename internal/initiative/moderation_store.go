package initiative

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Report records a user's report for the moderators; a second report by the
// same user replaces the reason.
func (s *Store) Report(ctx context.Context, id, account int64, reason string) error {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO initiative_reports (initiative_id, reporter_id, reason) SELECT $1, $2, $3 WHERE `+visibleToMember+`
		ON CONFLICT ON CONSTRAINT initiative_reports_once DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
		id, account, reason)
	if err != nil {
		return fmt.Errorf("initiative: report %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// SetHidden hides (reason non-empty) or shows an initiative; administrators
// only, recorded in the audit log. The owners hear of a change, with the
// reason for hiding.
func (s *Store) SetHidden(ctx context.Context, id int64, hide bool, reason string, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var wasHidden bool
		var oldReason string
		err := tx.QueryRow(ctx, `SELECT hidden_at IS NOT NULL, hidden_reason FROM initiatives WHERE id = $1 FOR UPDATE`, id).Scan(&wasHidden, &oldReason)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		action := "initiative.unhide"
		if hide {
			action = "initiative.hide"
			_, err = tx.Exec(ctx, `UPDATE initiatives SET hidden_at = now(), hidden_reason = $2, hidden_by = $3 WHERE id = $1`, id, reason, by)
		} else {
			_, err = tx.Exec(ctx, `UPDATE initiatives SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL WHERE id = $1`, id)
		}
		if err != nil {
			return err
		}
		if hide {
			// Reports are handled by hiding.
			if _, err := tx.Exec(ctx, `DELETE FROM initiative_reports WHERE initiative_id = $1`, id); err != nil {
				return err
			}
		}
		if err := audit.RecordTx(ctx, tx, by, action, "initiative", id, reason); err != nil {
			return err
		}
		e := event{initiative: id, actor: by, who: toOwners, category: notify.Decisions, link: initiativeURL(id)}
		switch {
		case hide && (!wasHidden || oldReason != reason):
			e.text = func(a audience) string { return noteHidden(a.title, reason) }
		case !hide && wasHidden:
			e.text = func(a audience) string { return noteShown(a.title) }
		default:
			return nil // no change the owners need to hear of
		}
		return e.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("initiative: set hidden %d: %w", id, err)
	}
	return err
}

// ModerationItem is an initiative that needs a moderator's attention:
// reported, hidden, or both.
type ModerationItem struct {
	ID           int64
	Title        string
	Reports      int
	LastReport   *time.Time
	HiddenAt     *time.Time
	HiddenReason string
}

// Moderation lists reported initiatives (most recent report first), then
// hidden ones (most recently hidden first), in one query.
func (s *Store) Moderation(ctx context.Context, limit int) ([]ModerationItem, bool, error) {
	rows, err := s.db.Query(ctx, `
		WITH reported AS (
			SELECT initiative_id, count(*) AS n, max(created_at) AS last FROM initiative_reports GROUP BY initiative_id)
		SELECT i.id, i.title, COALESCE(r.n, 0), r.last, i.hidden_at, i.hidden_reason
		FROM initiatives i LEFT JOIN reported r ON r.initiative_id = i.id
		WHERE r.initiative_id IS NOT NULL OR i.hidden_at IS NOT NULL
		ORDER BY r.last DESC NULLS LAST, i.hidden_at DESC, i.id DESC
		LIMIT $1`, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("initiative: moderation list: %w", err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ModerationItem])
	if err != nil {
		return nil, false, fmt.Errorf("initiative: moderation list: %w", err)
	}
	if len(items) > limit {
		return items[:limit], true, nil
	}
	return items, false, nil
}
