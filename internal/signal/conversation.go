package signal

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/theme"
)

// A signal is a conversation: the raiser replies on the timeline, other
// people say "Dit herken ik" and follow it. Each action applies the read
// rule of Get (visible) in its own SQL, so nobody acts on a signal they
// may not see.

// Reply adds the raiser's reply to the timeline (never a status change) and
// notifies, in the same transaction, the community workers of the
// neighbourhood, the officers who responded before and the followers. Only
// the raiser may reply (ErrForbidden for others); a replayed form returns
// ErrDuplicate and changes nothing.
func (s *Store) Reply(ctx context.Context, id int64, sc Scope, in ReplyInput) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var ok bool
		err := tx.QueryRow(ctx, `SELECT true FROM signals WHERE id = $1 AND $2::bigint <> 0 AND raised_by = $2`,
			id, sc.AccountID).Scan(&ok)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.whyNot(ctx, tx, id)
		}
		if err != nil {
			return err
		}
		var rid int64
		err = tx.QueryRow(ctx, `
			INSERT INTO signal_responses (signal_id, author_id, author_role, body, idempotency_key)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT ON CONSTRAINT signal_responses_idempotency_key DO NOTHING
			RETURNING id`, id, sc.AccountID, AuthorRaiser, in.Body, in.Token).Scan(&rid)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrDuplicate
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE signals SET updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return event{signal: id, actor: sc.AccountID, to: []string{toAreaWorkers, toOfficersWhoResponded, toFollowers},
			text: func(a audience) string { return noteReply(a.title, in.Body) }}.send(ctx, tx)
	})
	switch {
	case err == nil, errors.Is(err, ErrDuplicate), errors.Is(err, ErrNotFound), errors.Is(err, ErrForbidden):
		return err
	}
	return fmt.Errorf("signal: reply to %d: %w", id, err)
}

// Recognise records (on) or withdraws (off) that the scope's account
// recognises the signal. Both are idempotent: a second click changes
// nothing. The raiser gets ErrOwnSignal; a signal outside the scope
// ErrNotFound or ErrForbidden.
func (s *Store) Recognise(ctx context.Context, id int64, sc Scope, on bool) error {
	return s.mark(ctx, "signal_recognitions", id, sc, on)
}

// Follow starts (on) or stops (off) following the signal for the scope's
// account, idempotently; the raiser follows their own signal anyway and gets
// ErrOwnSignal.
func (s *Store) Follow(ctx context.Context, id int64, sc Scope, on bool) error {
	return s.mark(ctx, "signal_followers", id, sc, on)
}

// mark adds or removes the (signal, account) row of table, after checking
// in SQL that the account may see the signal and did not raise it. An
// administrator opens a private signal only to look into it (audited), so
// the administrator's reach does not count here: they recognise and follow
// public signals and those of their other roles, as anyone.
func (s *Store) mark(ctx context.Context, table string, id int64, sc Scope, on bool) error {
	if sc.AccountID == 0 {
		return ErrForbidden
	}
	sc.Admin = false
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var raiser int64
		err := tx.QueryRow(ctx, `
			SELECT COALESCE(s.raised_by, 0) FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
			WHERE s.id = $5 AND `+visible+` FOR SHARE OF s`, append(sc.args(), id)...).Scan(&raiser)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.whyNot(ctx, tx, id)
		}
		if err != nil {
			return err
		}
		if raiser == sc.AccountID {
			return ErrOwnSignal
		}
		if on {
			_, err = tx.Exec(ctx, `INSERT INTO `+table+` (signal_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, sc.AccountID)
		} else {
			_, err = tx.Exec(ctx, `DELETE FROM `+table+` WHERE signal_id = $1 AND account_id = $2`, id, sc.AccountID)
		}
		return err
	})
	switch {
	case err == nil, errors.Is(err, ErrOwnSignal), errors.Is(err, ErrNotFound), errors.Is(err, ErrForbidden):
		return err
	}
	return fmt.Errorf("signal: %s of %d by %d: %w", table, id, sc.AccountID, err)
}

// Standing is where one account stands towards a signal.
type Standing struct {
	Recognised bool
	Following  bool
}

// StandingOf returns whether account recognises and follows signal id.
func (s *Store) StandingOf(ctx context.Context, id, account int64) (Standing, error) {
	var st Standing
	if account == 0 {
		return st, nil
	}
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM signal_recognitions WHERE signal_id = $1 AND account_id = $2),
		       EXISTS (SELECT 1 FROM signal_followers WHERE signal_id = $1 AND account_id = $2)`,
		id, account).Scan(&st.Recognised, &st.Following)
	if err != nil {
		return st, fmt.Errorf("signal: standing of %d on %d: %w", account, id, err)
	}
	return st, nil
}

// Draft is what a signal raised from a street contact starts with.
type Draft struct {
	NeighbourhoodCode string
	Description       string // the contact's concern
	Theme             string // the contact's first theme, "" when it has none
}

// ContactDraft returns the draft for one of worker's own street contacts
// (the follow-up "signaal afgeven"), or ErrNotFound. The contact's private
// note is never copied; its concern is what the worker heard.
func (s *Store) ContactDraft(ctx context.Context, worker, contact int64) (Draft, error) {
	var d Draft
	var themes []string
	err := s.db.QueryRow(ctx, `
		SELECT n.code, c.concern, c.themes FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
		WHERE c.id = $1 AND c.worker_id = $2`, contact, worker).Scan(&d.NeighbourhoodCode, &d.Description, &themes)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("signal: draft from contact %d: %w", contact, err)
	}
	for _, t := range themes {
		if theme.Valid(t) {
			d.Theme = t
			break
		}
	}
	return d, nil
}
