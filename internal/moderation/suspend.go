package moderation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Person is the account a suspension form is about.
type Person struct {
	ID              int64
	Name            string
	Suspended       bool
	SuspendedReason string
}

// Person returns account id.
func (s *Store) Person(ctx context.Context, id int64) (Person, error) {
	p := Person{ID: id}
	err := s.db.QueryRow(ctx, `SELECT display_name, suspended_at IS NOT NULL, suspended_reason FROM accounts WHERE id = $1`, id).
		Scan(&p.Name, &p.Suspended, &p.SuspendedReason)
	if errors.Is(err, pgx.ErrNoRows) {
		return Person{}, ErrNotFound
	}
	if err != nil {
		return Person{}, fmt.Errorf("moderation: person %d: %w", id, err)
	}
	return p, nil
}

// suspensionHides hides ($2 reason, $3 administrator) the public content of
// account $1 that is not hidden yet, marked as hidden by the suspension:
// initiatives they alone own (a co-owner's work stays), their updates,
// public signals, assets and help requests.
var suspensionHides = []string{
	`UPDATE initiatives i SET hidden_at = now(), hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE i.hidden_at IS NULL AND EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $1)
	   AND NOT EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id <> $1)`,
	`UPDATE initiative_updates SET hidden_at = now(), hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE author_id = $1 AND hidden_at IS NULL`,
	`UPDATE signals SET hidden_at = now(), hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE raised_by = $1 AND is_public AND hidden_at IS NULL`,
	`UPDATE assets SET hidden = true, hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE created_by = $1 AND NOT hidden`,
	`UPDATE help_requests SET hidden_at = now(), hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE author_id = $1 AND hidden_at IS NULL`,
	`UPDATE photos SET hidden_at = now(), hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE uploaded_by = $1 AND hidden_at IS NULL`,
	`UPDATE events SET hidden_at = now(), hidden_reason = $2, hidden_by = $3, hidden_by_suspension = true
	 WHERE created_by = $1 AND hidden_at IS NULL`,
}

// suspensionShows shows again what the suspension of account $1 hid, and
// nothing else.
var suspensionShows = []string{
	`UPDATE initiatives i SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE i.hidden_by_suspension AND EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $1)`,
	`UPDATE initiative_updates SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE author_id = $1 AND hidden_by_suspension`,
	`UPDATE signals SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE raised_by = $1 AND hidden_by_suspension`,
	`UPDATE assets SET hidden = false, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE created_by = $1 AND hidden_by_suspension`,
	`UPDATE help_requests SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE author_id = $1 AND hidden_by_suspension`,
	`UPDATE photos SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE uploaded_by = $1 AND hidden_by_suspension`,
	`UPDATE events SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL, hidden_by_suspension = false
	 WHERE created_by = $1 AND hidden_by_suspension`,
}

// Suspend suspends account id with reason, by administrator by: login is
// refused from now on, every session and API token ends, and with
// hideContent their public content is hidden too. One transaction, with
// the audit entry and the person's notification (mailed through the job
// queue). Nobody suspends themselves or the last administrator.
func (s *Store) Suspend(ctx context.Context, id, by int64, reason string, hideContent bool) error {
	if id == by {
		return ErrSelf
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// Lock the active administrators first, so two administrators
		// suspending each other at once cannot both succeed.
		admins, err := activeAdmins(ctx, tx)
		if err != nil {
			return err
		}
		var roles []role.Role
		var suspended bool
		err = tx.QueryRow(ctx, `SELECT roles, suspended_at IS NOT NULL FROM accounts WHERE id = $1 FOR UPDATE`, id).Scan(&roles, &suspended)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if suspended {
			return ErrSuspended
		}
		if slices.Contains(roles, role.Admin) && len(slices.DeleteFunc(admins, func(a int64) bool { return a == id })) == 0 {
			return ErrLastAdmin
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET suspended_at = now(), suspended_reason = $2, suspended_by = $3 WHERE id = $1`,
			id, reason, by); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL`, id); err != nil {
			return err
		}
		ended, err := s.sessions.EndAccountSessions(ctx, tx, id)
		if err != nil {
			return err
		}
		var hidden int64
		if hideContent {
			for _, q := range suspensionHides {
				tag, err := tx.Exec(ctx, q, id, reason, by)
				if err != nil {
					return err
				}
				hidden += tag.RowsAffected()
			}
		}
		detail := fmt.Sprintf("reden: %s; sessies beëindigd: %d; inhoud verborgen: %d", reason, ended, hidden)
		if err := audit.RecordTx(ctx, tx, by, "account.suspend", "account", id, detail); err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: "/inloggen", Text: noteSuspended(reason), Actor: by}, []int64{id})
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrSuspended) && !errors.Is(err, ErrLastAdmin) {
		return fmt.Errorf("moderation: suspend %d: %w", id, err)
	}
	return err
}

func activeAdmins(ctx context.Context, tx pgx.Tx) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM accounts WHERE 'admin' = ANY(roles) AND suspended_at IS NULL ORDER BY id FOR UPDATE`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Lift ends the suspension of account id: login works again and what the
// suspension hid is shown again; what was hidden for other reasons stays.
func (s *Store) Lift(ctx context.Context, id, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE accounts SET suspended_at = NULL, suspended_reason = '', suspended_by = NULL
			WHERE id = $1 AND suspended_at IS NOT NULL`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT true FROM accounts WHERE id = $1`, id).Scan(&ok); errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return ErrNotSuspended
		}
		var shown int64
		for _, q := range suspensionShows {
			tag, err := tx.Exec(ctx, q, id)
			if err != nil {
				return err
			}
			shown += tag.RowsAffected()
		}
		if err := audit.RecordTx(ctx, tx, by, "account.unsuspend", "account", id, fmt.Sprintf("inhoud weer getoond: %d", shown)); err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: "/inloggen", Text: noteLifted, Actor: by}, []int64{id})
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNotSuspended) {
		return fmt.Errorf("moderation: lift suspension of %d: %w", id, err)
	}
	return err
}
