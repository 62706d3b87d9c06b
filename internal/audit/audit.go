// Package audit records every time a professional or administrator opens
// another person's data. The table is append-only (a trigger refuses updates
// and deletes), so nobody, administrators included, can edit the trail.
package audit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Execer is what RecordTx needs: a pool, a connection or a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Entry is one line of the audit trail.
type Entry struct {
	ID          int64
	At          time.Time
	ActorID     *int64
	ActorName   string
	Action      string // e.g. "account.view", "contact.view"
	SubjectType string // e.g. "account", "contact"
	SubjectID   *int64
	Detail      string
}

// Log writes and reads the audit trail.
type Log struct {
	db *pgxpool.Pool
	// now is the clock of the in-process memory of views (tests move it).
	now func() time.Time

	mu sync.Mutex
	// viewed remembers the views this process recorded in the last
	// repeatWindow, so a reload skips the database altogether (a busy
	// drill-down is reloaded many times a minute). The database check in
	// View still covers views recorded by other instances.
	viewed map[viewKey]time.Time
}

type viewKey struct {
	actor                 int64
	action, subject, what string
	id                    int64
}

// maxViewed bounds the memory of recent views; past it, entries older than
// the window are dropped (and if all are recent, all: the database still
// deduplicates, only a round trip is spent).
const maxViewed = 10_000

// New returns a Log on db.
func New(db *pgxpool.Pool) *Log {
	return &Log{db: db, now: time.Now, viewed: map[viewKey]time.Time{}}
}

// Record appends one entry. Callers record before showing the data, and fail
// the request when recording fails: no access without a trace.
func (l *Log) Record(ctx context.Context, actorID int64, action, subjectType string, subjectID int64, detail string) error {
	return RecordTx(ctx, l.db, actorID, action, subjectType, subjectID, detail)
}

// RecordTx is Record inside a caller's transaction (or on any pgx executor).
func RecordTx(ctx context.Context, db Execer, actorID int64, action, subjectType string, subjectID int64, detail string) error {
	if _, err := db.Exec(ctx, `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5)`,
		actorID, action, subjectType, subjectID, detail); err != nil {
		return fmt.Errorf("audit: record %s %s/%d: %w", action, subjectType, subjectID, err)
	}
	return nil
}

// repeatWindow is how long a repeated view of the same page by the same
// person adds no new entry.
const repeatWindow = time.Minute

// View records that actorID opened a page showing other people's data: one
// entry per page view, never one per row shown. action names the page
// ("signal.list", "contact.team"); subjectID 0 means a list (no one
// subject); detail holds the filters used, never residents' personal data.
//
// The same view (actor, action, subject and detail) within a minute of the
// last one adds nothing: a reload, a HEAD probe or paging back and forth
// would otherwise bury the trail, and the first entry already shows the
// access. Two views at the same instant may both be recorded; that errs on
// the side of the trail. Like Record, a failure must fail the request.
func (l *Log) View(ctx context.Context, actorID int64, action, subjectType string, subjectID int64, detail string) error {
	key := viewKey{actor: actorID, action: action, subject: subjectType, id: subjectID, what: detail}
	now := l.now()
	l.mu.Lock()
	last, seen := l.viewed[key]
	l.mu.Unlock()
	if seen && now.Sub(last) < repeatWindow {
		return nil // recorded by this process less than a minute ago
	}
	var subject *int64
	if subjectID != 0 {
		subject = &subjectID
	}
	tag, err := l.db.Exec(ctx, `
		INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail)
		SELECT $1, $2, $3, $4, $5
		WHERE NOT EXISTS (
			SELECT 1 FROM audit_log
			WHERE actor_id = $1 AND action = $2 AND subject_type = $3 AND subject_id IS NOT DISTINCT FROM $4
			  AND detail = $5 AND at > now() - $6::interval)`,
		actorID, action, subjectType, subject, detail, repeatWindow)
	if err != nil {
		return fmt.Errorf("audit: view %s %s/%d: %w", action, subjectType, subjectID, err)
	}
	// Remember only a view this process wrote: when another instance wrote
	// the entry, its minute started earlier than ours would.
	if tag.RowsAffected() == 1 {
		l.remember(key, now)
	}
	return nil
}

func (l *Log) remember(key viewKey, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.viewed) >= maxViewed {
		for k, t := range l.viewed {
			if at.Sub(t) >= repeatWindow {
				delete(l.viewed, k)
			}
		}
		if len(l.viewed) >= maxViewed {
			clear(l.viewed)
		}
	}
	l.viewed[key] = at
}

// Recent returns the newest entries, newest first, optionally for one subject.
func (l *Log) Recent(ctx context.Context, limit int, subjectType string, subjectID int64) ([]Entry, error) {
	rows, err := l.db.Query(ctx, `
		SELECT l.id, l.at, l.actor_id, COALESCE(a.display_name, '(verwijderd account)'), l.action, l.subject_type, l.subject_id, l.detail
		FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id
		WHERE ($2 = '' OR (l.subject_type = $2 AND l.subject_id = $3))
		ORDER BY l.at DESC, l.id DESC
		LIMIT $1`, limit, subjectType, subjectID)
	if err != nil {
		return nil, fmt.Errorf("audit: recent: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Entry, error) {
		var e Entry
		err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID, &e.Detail)
		return e, err
	})
}
