package event

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// The writes of sign-ups, cancellations and reminders. Every one that can
// change who has a place locks the event row first (FOR UPDATE, or
// event_fill), so places are counted by one transaction at a time.

// fill moves the waiting list of event id up into free places and tells
// those who moved up; the event row is locked (event_fill).
func fill(ctx context.Context, tx pgx.Tx, id int64, title string) error {
	rows, err := tx.Query(ctx, `SELECT event_fill($1)`, id)
	if err != nil {
		return err
	}
	promoted, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	return notify.Send(ctx, tx, notify.Note{Category: notify.Agenda, Link: Path(id), Text: notePromoted(title)}, promoted)
}

// organisers returns the organisers of event id: its creator and the
// owners of its initiative.
func organisers(ctx context.Context, tx pgx.Tx, id int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT e.created_by FROM events e WHERE e.id = $1 AND e.created_by IS NOT NULL
		UNION SELECT o.account_id FROM events e JOIN initiative_owners o ON o.initiative_id = e.initiative_id WHERE e.id = $1`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// SignUp signs account up for event id: a place while there is one, else a
// place on the waiting list. The event row is locked first, so two people
// taking the last place at once get one place and one waiting-list place.
// already is true when the person had signed up before (nothing changes).
func (s *Store) SignUp(ctx context.Context, id, account int64, now time.Time) (st Status, already bool, err error) {
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var title, name string
		var capacity, taken int
		var cancelled bool
		var starts time.Time
		err := tx.QueryRow(ctx, `
			SELECT e.title, COALESCE(e.capacity, 0), e.cancelled_at IS NOT NULL, e.starts_at,
			       (SELECT display_name FROM accounts WHERE id = $1)
			FROM events e WHERE e.id = $2 AND e.hidden_at IS NULL FOR UPDATE OF e`, account, id).Scan(&title, &capacity, &cancelled, &starts, &name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var waiting bool
		err = tx.QueryRow(ctx, `SELECT waiting FROM event_signups WHERE event_id = $1 AND account_id = $2`, id, account).Scan(&waiting)
		if err == nil {
			already = true
			st = SignedUp
			if waiting {
				st = OnWaitingList
			}
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		switch {
		case cancelled:
			return ErrCancelled
		case !starts.After(now):
			return ErrStarted
		}
		if capacity > 0 {
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM event_signups WHERE event_id = $1 AND NOT waiting`, id).Scan(&taken); err != nil {
				return err
			}
		}
		waiting = capacity > 0 && taken >= capacity
		if _, err := tx.Exec(ctx, `INSERT INTO event_signups (event_id, account_id, waiting) VALUES ($1, $2, $3)`, id, account, waiting); err != nil {
			return err
		}
		st = SignedUp
		if waiting {
			st = OnWaitingList
		}
		to, err := organisers(ctx, tx, id)
		if err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.SignUps, Link: Path(id), Text: noteSignedUp(title, name, waiting), Actor: account}, to)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrCancelled) && !errors.Is(err, ErrStarted) {
		return 0, false, fmt.Errorf("event: sign up for %d: %w", id, err)
	}
	return st, already, err
}

// Withdraw cancels account's sign-up for event id. A freed place goes to
// the first on the waiting list, in the same transaction. signed is false
// when there was no sign-up.
func (s *Store) Withdraw(ctx context.Context, id, account int64) (signed bool, err error) {
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `SELECT title FROM events WHERE id = $1 FOR UPDATE`, id).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var waiting bool
		err = tx.QueryRow(ctx, `DELETE FROM event_signups WHERE event_id = $1 AND account_id = $2 RETURNING waiting`, id, account).Scan(&waiting)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		signed = true
		if waiting {
			return nil
		}
		return fill(ctx, tx, id, title)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return false, fmt.Errorf("event: withdraw from %d: %w", id, err)
	}
	return signed, err
}

// Cancel cancels event id, organised by by, with a message to everyone
// signed up (and on the waiting list).
func (s *Store) Cancel(ctx context.Context, id, by int64, message string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `
			UPDATE events e SET cancelled_at = now(), cancel_message = $3, sequence = sequence + 1, updated_at = now()
			WHERE e.id = $2 AND `+organiserSQL+` AND e.cancelled_at IS NULL
			RETURNING e.title`, by, id, message).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT account_id FROM event_signups WHERE event_id = $1`, id)
		if err != nil {
			return err
		}
		to, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Agenda, Link: Path(id), Text: noteCancelled(title, message), Actor: by}, to)
	})
	if err != nil && !errors.Is(err, ErrForbidden) {
		return fmt.Errorf("event: cancel %d: %w", id, err)
	}
	return err
}

// SignUps lists who signed up for event id, display names only, for its
// organisers (organiser checked in the SQL: others get ErrForbidden).
func (s *Store) SignUps(ctx context.Context, id, organiser int64) ([]SignUp, error) {
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM events e WHERE e.id = $2 AND `+organiserSQL+`)`, organiser, id).Scan(&ok); err != nil {
		return nil, fmt.Errorf("event: sign-ups of %d: %w", id, err)
	}
	if !ok {
		return nil, ErrForbidden
	}
	rows, err := s.db.Query(ctx, `
		SELECT a.display_name, s.waiting, s.created_at FROM event_signups s JOIN accounts a ON a.id = s.account_id
		WHERE s.event_id = $1 ORDER BY s.waiting, s.created_at, s.account_id`, id)
	if err != nil {
		return nil, fmt.Errorf("event: sign-ups of %d: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SignUp])
	if err != nil {
		return nil, fmt.Errorf("event: sign-ups of %d: %w", id, err)
	}
	return out, nil
}

// RemindWindow is how long before an event its reminder goes out.
const RemindWindow = 24 * time.Hour

// SendReminders notifies the people signed up for every event that starts
// within RemindWindow of now and was not reminded yet, once per event
// (reminded_at is set in the same transaction; SKIP LOCKED lets two
// instances share the work). It returns how many events it reminded.
func (s *Store) SendReminders(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT id, title, starts_at FROM events
			WHERE reminded_at IS NULL AND cancelled_at IS NULL AND hidden_at IS NULL
			  AND starts_at > $1 AND starts_at <= $2
			ORDER BY starts_at, id LIMIT 200
			FOR UPDATE SKIP LOCKED`, now, now.Add(RemindWindow))
		if err != nil {
			return err
		}
		type due struct {
			ID     int64
			Title  string
			Starts time.Time
		}
		list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[due])
		if err != nil {
			return err
		}
		for _, d := range list {
			rows, err := tx.Query(ctx, `
				WITH r AS (UPDATE events SET reminded_at = $2 WHERE id = $1)
				SELECT account_id FROM event_signups WHERE event_id = $1 AND NOT waiting`, d.ID, now)
			if err != nil {
				return err
			}
			to, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			if err := notify.Send(ctx, tx, notify.Note{Category: notify.Agenda, Link: Path(d.ID), Text: noteReminder(d.Title, d.Starts)}, to); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("event: reminders: %w", err)
	}
	return n, nil
}

// LeaveAll removes every sign-up of account, inside the caller's
// transaction: the deletion of the account (internal/privacy). A place it
// held goes to the first on the waiting list, who hears of it as after a
// cancellation.
func (s *Store) LeaveAll(ctx context.Context, tx pgx.Tx, account int64) error {
	rows, err := tx.Query(ctx, `
		WITH gone AS (DELETE FROM event_signups WHERE account_id = $1 RETURNING event_id, waiting)
		SELECT e.id, e.title FROM events e
		WHERE e.id IN (SELECT event_id FROM gone WHERE NOT waiting)
		ORDER BY e.id`, account)
	if err != nil {
		return fmt.Errorf("event: leave all of %d: %w", account, err)
	}
	type held struct {
		ID    int64
		Title string
	}
	places, err := pgx.CollectRows(rows, pgx.RowToStructByPos[held])
	if err != nil {
		return fmt.Errorf("event: leave all of %d: %w", account, err)
	}
	for _, p := range places {
		if err := fill(ctx, tx, p.ID, p.Title); err != nil {
			return fmt.Errorf("event: leave %d: %w", p.ID, err)
		}
	}
	return nil
}
