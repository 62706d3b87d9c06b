package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// ErrNotFound: no such notification for this person.
var ErrNotFound = fault.Wrap(fault.ErrNotFound, "notify: not found")

// Store owns the SQL of notifications and preferences.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Item is a notification on the person's own list.
type Item struct {
	Notification
	Read bool
}

// PageSize is how many notifications the list shows at once.
const PageSize = 50

// List returns account's notifications newest first, PageSize at most,
// older than the one with id before (0: from the newest); more reports
// whether older ones exist.
func (s *Store) List(ctx context.Context, account, before int64) (items []Item, more bool, err error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, category, link, body, created_at, read_at IS NOT NULL FROM notifications
		WHERE recipient_id = $1 AND ($2::bigint = 0 OR (created_at, id) < (SELECT created_at, id FROM notifications WHERE id = $2 AND recipient_id = $1))
		ORDER BY created_at DESC, id DESC
		LIMIT $3`, account, before, PageSize+1)
	if err != nil {
		return nil, false, fmt.Errorf("notify: list for %d: %w", account, err)
	}
	items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) {
		var it Item
		err := r.Scan(&it.ID, &it.Category, &it.Link, &it.Text, &it.CreatedAt, &it.Read)
		return it, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("notify: list for %d: %w", account, err)
	}
	if len(items) > PageSize {
		items, more = items[:PageSize], true
	}
	return items, more, nil
}

// Open marks one of account's notifications read and returns its link.
func (s *Store) Open(ctx context.Context, account, id int64) (string, error) {
	var link string
	err := s.db.QueryRow(ctx, `
		UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_id = $2
		RETURNING link`, id, account).Scan(&link)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("notify: open %d: %w", id, err)
	}
	return link, nil
}

// ReadAll marks every notification of account read.
func (s *Store) ReadAll(ctx context.Context, account int64) error {
	if _, err := s.db.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL`, account); err != nil {
		return fmt.Errorf("notify: read all for %d: %w", account, err)
	}
	return nil
}

// Preferences returns account's mode for every category (defaults filled in).
func (s *Store) Preferences(ctx context.Context, account int64) (map[Category]Mode, error) {
	out := make(map[Category]Mode, len(Categories))
	for _, c := range Categories {
		out[c] = DefaultMode(c)
	}
	rows, err := s.db.Query(ctx, `SELECT category, mode FROM notification_preferences WHERE account_id = $1`, account)
	if err != nil {
		return nil, fmt.Errorf("notify: preferences of %d: %w", account, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Category
		var m Mode
		if err := rows.Scan(&c, &m); err != nil {
			return nil, fmt.Errorf("notify: preferences of %d: %w", account, err)
		}
		out[c] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notify: preferences of %d: %w", account, err)
	}
	return out, nil
}

// SetPreferences stores modes for account in one statement.
func (s *Store) SetPreferences(ctx context.Context, account int64, modes map[Category]Mode) error {
	cats := make([]string, 0, len(modes))
	ms := make([]string, 0, len(modes))
	for c, m := range modes {
		cats, ms = append(cats, string(c)), append(ms, string(m))
	}
	if _, err := s.db.Exec(ctx, `
		INSERT INTO notification_preferences (account_id, category, mode)
		SELECT $1, unnest($2::text[]), unnest($3::text[])
		ON CONFLICT (account_id, category) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()`, account, cats, ms); err != nil {
		return fmt.Errorf("notify: set preferences of %d: %w", account, err)
	}
	return nil
}

// Unsubscribe stops mail for account: of category c, or (c empty) of every
// category whose current mode is mode. It returns the categories changed.
func (s *Store) Unsubscribe(ctx context.Context, account int64, c Category, mode Mode) ([]Category, error) {
	prefs, err := s.Preferences(ctx, account)
	if err != nil {
		return nil, err
	}
	change := map[Category]Mode{}
	for cat, m := range prefs {
		if (c != "" && cat == c) || (c == "" && m == mode) {
			change[cat] = Platform
		}
	}
	if len(change) == 0 {
		return nil, nil
	}
	if err := s.SetPreferences(ctx, account, change); err != nil {
		return nil, err
	}
	var out []Category
	for _, cat := range Categories {
		if _, ok := change[cat]; ok {
			out = append(out, cat)
		}
	}
	return out, nil
}

// Purge deletes notifications created before cut and delivery keys older
// than a month (a retry never comes that late).
func Purge(ctx context.Context, db *pgxpool.Pool, cut time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM notifications WHERE created_at < $1`, cut)
	if err != nil {
		return 0, fmt.Errorf("notify: purge: %w", err)
	}
	tag2, err := db.Exec(ctx, `DELETE FROM mail_deliveries WHERE sent_at < now() - interval '31 days'`)
	if err != nil {
		return 0, fmt.Errorf("notify: purge deliveries: %w", err)
	}
	return tag.RowsAffected() + tag2.RowsAffected(), nil
}

// QueueState is the health of the job queue for the administrators' page.
type QueueState struct {
	Counts   map[string]int // by River job state
	Failures []Failure      // newest first
	Oldest   *time.Time     // oldest job still waiting to run
}

// Failure is a job that failed at least once: retrying or given up.
type Failure struct {
	ID        int64
	Kind      string
	State     string
	Attempt   int
	Max       int
	At        time.Time
	LastError string
}

// Queue reads the queue's health from River's table.
func (s *Store) Queue(ctx context.Context) (QueueState, error) {
	q := QueueState{Counts: map[string]int{}}
	rows, err := s.db.Query(ctx, `SELECT state::text, count(*) FROM river_job GROUP BY state`)
	if err != nil {
		return q, fmt.Errorf("notify: queue counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return q, fmt.Errorf("notify: queue counts: %w", err)
		}
		q.Counts[st] = n
	}
	if err := rows.Err(); err != nil {
		return q, fmt.Errorf("notify: queue counts: %w", err)
	}
	if err := s.db.QueryRow(ctx, `SELECT min(scheduled_at) FROM river_job WHERE state IN ('available', 'retryable', 'scheduled')`).Scan(&q.Oldest); err != nil {
		return q, fmt.Errorf("notify: queue oldest: %w", err)
	}
	// The last error of each job that failed; River keeps them in order in errors[].
	rows2, err := s.db.Query(ctx, `
		SELECT id, kind, state::text, attempt, max_attempts, COALESCE(attempted_at, created_at),
		       COALESCE(errors[array_length(errors, 1)]->>'error', '')
		FROM river_job WHERE state IN ('retryable', 'discarded') OR (state = 'available' AND errors IS NOT NULL)
		ORDER BY COALESCE(attempted_at, created_at) DESC LIMIT 50`)
	if err != nil {
		return q, fmt.Errorf("notify: queue failures: %w", err)
	}
	q.Failures, err = pgx.CollectRows(rows2, pgx.RowToStructByPos[Failure])
	if err != nil {
		return q, fmt.Errorf("notify: queue failures: %w", err)
	}
	return q, nil
}
