package moderation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the moderation SQL: reports of every kind, hiding and
// suspensions.
type Store struct {
	db       *pgxpool.Pool
	sessions SessionEnder
}

// SessionEnder ends every session of an account inside a transaction
// (account.SessionStore).
type SessionEnder interface {
	EndAccountSessions(ctx context.Context, tx pgx.Tx, id int64) (int64, error)
}

// NewStore returns a store on db; sessions ends a suspended person's sessions.
func NewStore(db *pgxpool.Pool, sessions SessionEnder) *Store {
	return &Store{db: db, sessions: sessions}
}

// excerptLen is how much of an item's text the queue and the forms show.
const excerptLen = 160

// Subject is a reported or moderated item as moderation sees it.
type Subject struct {
	Kind         Kind
	ID           int64
	Text         string  // title or body; cut with notify.Excerpt where shown
	Link         string  // local path of the page that shows it
	Authors      []int64 // who hears of hiding: owners, author, raiser, creator
	Hidden       bool
	HiddenReason string
	// Reportable: a logged-in person may report it (it is visible to them
	// and not hidden); computed with the viewer's talents flag.
	Reportable bool
}

// subjectSQL reads one subject of each kind by id ($1); $2 says whether the
// viewer may see residents' talents. Columns: text, link, authors, hidden,
// hidden reason, reportable.
var subjectSQL = map[Kind]string{
	Initiative: `
		SELECT i.title, '/initiatieven/' || i.id,
		       ARRAY(SELECT o.account_id FROM initiative_owners o WHERE o.initiative_id = i.id),
		       i.hidden_at IS NOT NULL, i.hidden_reason, i.hidden_at IS NULL AND $2::boolean IS NOT NULL
		FROM initiatives i WHERE i.id = $1`,
	Update: `
		SELECT u.body, '/initiatieven/' || u.initiative_id || '#bericht-' || u.id,
		       array_remove(ARRAY[u.author_id], NULL),
		       u.hidden_at IS NOT NULL, u.hidden_reason, u.hidden_at IS NULL AND i.hidden_at IS NULL AND $2::boolean IS NOT NULL
		FROM initiative_updates u JOIN initiatives i ON i.id = u.initiative_id WHERE u.id = $1`,
	Signal: `
		SELECT s.title, '/signalen/' || s.id, array_remove(ARRAY[s.raised_by], NULL),
		       s.hidden_at IS NOT NULL, s.hidden_reason, s.is_public AND s.hidden_at IS NULL AND $2::boolean IS NOT NULL
		FROM signals s WHERE s.id = $1`,
	Asset: `
		SELECT a.name, '/buurten/' || n.code || '/wie-kan-helpen#hulpbron-' || a.id, array_remove(ARRAY[a.created_by], NULL),
		       a.hidden, a.hidden_reason, NOT a.hidden AND (a.kind <> 'talent' OR $2::boolean)
		FROM assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id WHERE a.id = $1`,
	// Who may see a help request depends on their home neighbourhood: the
	// help routes check that before the report form (help.RequireVisible).
	Help: `
		SELECT h.body, '/burenhulp/' || h.id, ARRAY[h.author_id],
		       h.hidden_at IS NOT NULL, h.hidden_reason, h.hidden_at IS NULL AND $2::boolean IS NOT NULL
		FROM help_requests h WHERE h.id = $1`,
	// Events: the creator hears of hiding; members-only ones are reportable
	// by members ($2 is never NULL for a logged-in reporter).
	Event: `
		SELECT e.title, '/bijeenkomsten/' || e.id, array_remove(ARRAY[e.created_by], NULL),
		       e.hidden_at IS NOT NULL, e.hidden_reason, e.hidden_at IS NULL AND $2::boolean IS NOT NULL
		FROM events e WHERE e.id = $1`,
	Message: `
		SELECT m.body, '/beheer/berichten', array_remove(ARRAY[m.sender_id], NULL), false, '', false AND $2::boolean
		FROM messages m WHERE m.id = $1`,
	// A photo: its alt text; reportable while it and its subject (an
	// initiative, a place, which is never a talent, or an event) are shown.
	// Its link is the subject's photo page.
	Photo: photoSubjectSQL,
}

// photoLink is the photo page of photo p's subject, at the photo.
const photoLink = `COALESCE(CASE WHEN p.initiative_id IS NOT NULL THEN '/initiatieven/' || p.initiative_id
		WHEN p.asset_id IS NOT NULL THEN '/hulpbronnen/' || p.asset_id
		WHEN p.event_id IS NOT NULL THEN '/bijeenkomsten/' || p.event_id END || '/fotos#foto-' || p.id, '/')`

// photoSubjectSQL reads a photo as a subject (see subjectSQL).
const photoSubjectSQL = `
		SELECT p.alt_text, ` + photoLink + `, array_remove(ARRAY[p.uploaded_by], NULL),
		       p.hidden_at IS NOT NULL, p.hidden_reason,
		       p.hidden_at IS NULL AND $2::boolean IS NOT NULL
		       AND COALESCE((SELECT i.hidden_at IS NULL FROM initiatives i WHERE i.id = p.initiative_id), true)
		       AND COALESCE((SELECT NOT a.hidden FROM assets a WHERE a.id = p.asset_id), true)
		       AND COALESCE((SELECT e.hidden_at IS NULL FROM events e WHERE e.id = p.event_id), true)
		FROM photos p WHERE p.id = $1`

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func subject(ctx context.Context, q querier, k Kind, id int64, talents bool) (Subject, error) {
	query, ok := subjectSQL[k]
	if !ok {
		return Subject{}, ErrNotFound
	}
	sub := Subject{Kind: k, ID: id}
	err := q.QueryRow(ctx, query, id, talents).Scan(&sub.Text, &sub.Link, &sub.Authors, &sub.Hidden, &sub.HiddenReason, &sub.Reportable)
	if errors.Is(err, pgx.ErrNoRows) {
		return Subject{}, ErrNotFound
	}
	if err != nil {
		return Subject{}, fmt.Errorf("moderation: %s %d: %w", k, id, err)
	}
	return sub, nil
}

// Subject returns item id of kind k; talents says whether the viewer may
// see residents' talents.
func (s *Store) Subject(ctx context.Context, k Kind, id int64, talents bool) (Subject, error) {
	return subject(ctx, s.db, k, id, talents)
}

// reportColumn is the column of the reports table for each kind it holds.
var reportColumn = map[Kind]string{Signal: "signal_id", Update: "update_id", Asset: "asset_id", Help: "help_request_id", Photo: "photo_id", Event: "event_id"}

// Report records reporter's report of a signal, update or asset they can
// see, not their own. A second report by the same person replaces the
// reason: one open report per person and item.
func (s *Store) Report(ctx context.Context, k Kind, id, reporter int64, talents bool, reason string) (Subject, error) {
	col, ok := reportColumn[k]
	if !ok {
		return Subject{}, ErrNotFound
	}
	var sub Subject
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		sub, err = subject(ctx, tx, k, id, talents)
		if err != nil {
			return err
		}
		if !sub.Reportable {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, `INSERT INTO reports (`+col+`, reporter_id, reason) VALUES ($1, $2, $3)
			ON CONFLICT (`+col+`, reporter_id) WHERE `+col+` IS NOT NULL
			DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`, id, reporter, reason)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Subject{}, fmt.Errorf("moderation: report %s %d: %w", k, id, err)
	}
	return sub, err
}

// QueueItem is one reported item in the queue, its reports taken together.
type QueueItem struct {
	Subject
	Reports int
	Last    time.Time
	Reasons []string // newest first, at most three
}

// QueueSize is how many reported items the queue shows.
const QueueSize = 100

// openReports is every open report of every kind, as (kind, id, reporter,
// reason, created_at).
const openReports = `
	SELECT 'initiatief' AS kind, initiative_id AS id, reason, created_at FROM initiative_reports
	UNION ALL SELECT 'bericht', message_id, reason, created_at FROM message_reports
	UNION ALL SELECT CASE WHEN signal_id IS NOT NULL THEN 'signaal' WHEN update_id IS NOT NULL THEN 'initiatiefbericht'
	       WHEN photo_id IS NOT NULL THEN 'foto' ELSE 'hulpbron' END,
	       COALESCE(signal_id, update_id, photo_id, asset_id), reason, created_at FROM reports
	       WHERE help_request_id IS NULL AND event_id IS NULL
	UNION ALL SELECT 'burenhulp', help_request_id, reason, created_at FROM reports WHERE help_request_id IS NOT NULL
	UNION ALL SELECT 'bijeenkomst', event_id, reason, created_at FROM reports WHERE event_id IS NOT NULL`

// Queue returns the reported items, the most recently reported first, and
// how many items are reported in all.
func (s *Store) Queue(ctx context.Context) ([]QueueItem, int, error) {
	rows, err := s.db.Query(ctx, `
		WITH r AS (`+openReports+`)
		SELECT kind, id, count(*), max(created_at), (array_agg(reason ORDER BY created_at DESC))[1:3], count(*) OVER ()
		FROM r GROUP BY kind, id
		ORDER BY max(created_at) DESC, kind, id LIMIT $1`, QueueSize)
	if err != nil {
		return nil, 0, fmt.Errorf("moderation: queue: %w", err)
	}
	var items []QueueItem
	total := 0
	for rows.Next() {
		var it QueueItem
		if err := rows.Scan(&it.Kind, &it.ID, &it.Reports, &it.Last, &it.Reasons, &total); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("moderation: queue: %w", err)
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("moderation: queue: %w", err)
	}
	// One batch for the items' texts and links.
	b := &pgx.Batch{}
	for i := range items {
		it := &items[i]
		b.Queue(subjectSQL[it.Kind], it.ID, true).QueryRow(func(row pgx.Row) error {
			return row.Scan(&it.Text, &it.Link, &it.Authors, &it.Hidden, &it.HiddenReason, &it.Reportable)
		})
	}
	if len(items) > 0 {
		if err := s.db.SendBatch(ctx, b).Close(); err != nil {
			return nil, 0, fmt.Errorf("moderation: queue items: %w", err)
		}
	}
	return items, total, nil
}

// HiddenItem is an item an administrator or a suspension hid.
type HiddenItem struct {
	Kind         Kind
	ID           int64
	Text         string
	Link         string
	Reason       string
	BySuspension bool
	At           time.Time
}

// HiddenShown is how many hidden items the queue page lists.
const HiddenShown = 50

// Hidden returns the hidden items of every kind, most recently hidden first
// (assets keep no hiding time: their last change counts).
func (s *Store) Hidden(ctx context.Context) ([]HiddenItem, error) {
	rows, err := s.db.Query(ctx, `
		SELECT 'initiatief', i.id, i.title, '/initiatieven/' || i.id, i.hidden_reason, i.hidden_by_suspension, i.hidden_at
		FROM initiatives i WHERE i.hidden_at IS NOT NULL
		UNION ALL
		SELECT 'initiatiefbericht', u.id, u.body, '/initiatieven/' || u.initiative_id || '#bericht-' || u.id, u.hidden_reason, u.hidden_by_suspension, u.hidden_at
		FROM initiative_updates u WHERE u.hidden_at IS NOT NULL
		UNION ALL
		SELECT 'signaal', s.id, s.title, '/signalen/' || s.id, s.hidden_reason, s.hidden_by_suspension, s.hidden_at
		FROM signals s WHERE s.hidden_at IS NOT NULL
		UNION ALL
		SELECT 'hulpbron', a.id, a.name, '/buurten/' || n.code || '/wie-kan-helpen#hulpbron-' || a.id, a.hidden_reason, a.hidden_by_suspension, a.updated_at
		FROM assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id WHERE a.hidden
		UNION ALL
		SELECT 'burenhulp', h.id, h.body, '/burenhulp/' || h.id, h.hidden_reason, h.hidden_by_suspension, h.hidden_at
		FROM help_requests h WHERE h.hidden_at IS NOT NULL
		UNION ALL
		SELECT 'foto', p.id, p.alt_text, `+photoLink+`, p.hidden_reason, p.hidden_by_suspension, p.hidden_at
		FROM photos p WHERE p.hidden_at IS NOT NULL
		UNION ALL
		SELECT 'bijeenkomst', e.id, e.title, '/bijeenkomsten/' || e.id, e.hidden_reason, e.hidden_by_suspension, e.hidden_at
		FROM events e WHERE e.hidden_at IS NOT NULL
		ORDER BY 7 DESC, 2 DESC LIMIT $1`, HiddenShown)
	if err != nil {
		return nil, fmt.Errorf("moderation: hidden: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[HiddenItem])
	if err != nil {
		return nil, fmt.Errorf("moderation: hidden: %w", err)
	}
	return out, nil
}

// hideSQL hides ($2 reason, $3 administrator) or, with $2 empty, shows item
// $1 of each hideable kind. An item hidden by hand is no longer one the
// suspension hid: lifting the suspension leaves it hidden.
var hideSQL = map[Kind]string{
	Initiative: `UPDATE initiatives SET hidden_at = CASE WHEN $2 <> '' THEN now() END, hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
	Update: `UPDATE initiative_updates SET hidden_at = CASE WHEN $2 <> '' THEN now() END, hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
	Signal: `UPDATE signals SET hidden_at = CASE WHEN $2 <> '' THEN now() END, hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
	Asset: `UPDATE assets SET hidden = $2 <> '', hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
	Help: `UPDATE help_requests SET hidden_at = CASE WHEN $2 <> '' THEN now() END, hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
	Photo: `UPDATE photos SET hidden_at = CASE WHEN $2 <> '' THEN now() END, hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
	Event: `UPDATE events SET hidden_at = CASE WHEN $2 <> '' THEN now() END, hidden_reason = $2,
		hidden_by = CASE WHEN $2 <> '' THEN $3::bigint END, hidden_by_suspension = false WHERE id = $1`,
}

// dismissSQL deletes the open reports of item $1.
var dismissSQL = map[Kind]string{
	Initiative: `DELETE FROM initiative_reports WHERE initiative_id = $1`,
	Message:    `DELETE FROM message_reports WHERE message_id = $1`,
	Update:     `DELETE FROM reports WHERE update_id = $1`,
	Signal:     `DELETE FROM reports WHERE signal_id = $1`,
	Asset:      `DELETE FROM reports WHERE asset_id = $1`,
	Help:       `DELETE FROM reports WHERE help_request_id = $1`,
	Photo:      `DELETE FROM reports WHERE photo_id = $1`,
	Event:      `DELETE FROM reports WHERE event_id = $1`,
}

// SetHidden hides item id of kind k with reason (or shows it again when
// reason is empty), handles its reports, records it in the audit log and
// tells the authors, all in one transaction.
func (s *Store) SetHidden(ctx context.Context, k Kind, id int64, reason string, by int64) error {
	if !k.Hideable() {
		return ErrNotFound
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		sub, err := subject(ctx, tx, k, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, hideSQL[k], id, reason, by); err != nil {
			return err
		}
		action, text := "moderation.show", noteShown(k, notify.Excerpt(sub.Text, 60))
		if reason != "" {
			action, text = "moderation.hide", noteHidden(k, notify.Excerpt(sub.Text, 60), reason)
			// Hiding handles every report of the item.
			if _, err := tx.Exec(ctx, dismissSQL[k], id); err != nil {
				return err
			}
		} else if !sub.Hidden {
			return nil // visible already: nothing to tell anyone
		}
		if err := audit.RecordTx(ctx, tx, by, action, string(k), id, reason); err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: sub.Link, Text: text, Actor: by}, sub.Authors)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("moderation: set hidden %s %d: %w", k, id, err)
	}
	return err
}

// Dismiss deletes the open reports of item id of kind k: it stays as it is.
func (s *Store) Dismiss(ctx context.Context, k Kind, id, by int64) error {
	query, ok := dismissSQL[k]
	if !ok {
		return ErrNotFound
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, query, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return audit.RecordTx(ctx, tx, by, "moderation.dismiss", string(k), id, fmt.Sprintf("%d meldingen afgewezen", tag.RowsAffected()))
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("moderation: dismiss %s %d: %w", k, id, err)
	}
	return err
}

// OpenReports counts the reported items, for the administrators' home.
func (s *Store) OpenReports(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM (SELECT DISTINCT kind, id FROM (`+openReports+`) r) x`).Scan(&n); err != nil {
		return 0, fmt.Errorf("moderation: count reports: %w", err)
	}
	return n, nil
}
