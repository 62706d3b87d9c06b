package activity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/strategy"
)

// Store owns the SQL of activities. Every method that reads or writes on a
// worker's behalf takes the worker's work areas and applies them in SQL.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Area is a neighbourhood a worker may record activities in.
type Area struct {
	ID   int64
	Code string
	Name string
}

// Areas returns the neighbourhoods among ids, by name.
func (s *Store) Areas(ctx context.Context, ids []int64) ([]Area, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, code, name FROM neighbourhoods WHERE id = ANY($1::bigint[]) ORDER BY name, id`, ids)
	if err != nil {
		return nil, fmt.Errorf("activity: areas: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Area])
	if err != nil {
		return nil, fmt.Errorf("activity: areas: %w", err)
	}
	return out, nil
}

// InitiativeOption is an initiative a worker can name as organiser.
type InitiativeOption struct {
	ID    int64
	Title string
}

// Initiatives returns the visible initiatives active in any of areas.
func (s *Store) Initiatives(ctx context.Context, areas []int64) ([]InitiativeOption, error) {
	rows, err := s.db.Query(ctx, `
		SELECT i.id, i.title
		FROM initiatives i
		WHERE i.hidden_at IS NULL
		  AND EXISTS (SELECT 1 FROM initiative_neighbourhoods n
		              WHERE n.initiative_id = i.id AND n.neighbourhood_id = ANY($1::bigint[]))
		ORDER BY lower(i.title), i.id
		LIMIT 500`, areas)
	if err != nil {
		return nil, fmt.Errorf("activity: initiatives: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[InitiativeOption])
	if err != nil {
		return nil, fmt.Errorf("activity: initiatives: %w", err)
	}
	return out, nil
}

// Create stores a new activity by author, only when its neighbourhood lies
// in areas (ErrForbidden otherwise). A form sent twice with the same token
// returns the first activity's id with ErrDuplicate.
func (s *Store) Create(ctx context.Context, author int64, areas []int64, in Input) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO activities (title, date, neighbourhood_id, worker_organised, initiative_id, strategy,
			                        participant_count, partners, outcome, note, note_written_at, created_by, idempotency_key)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10 <> '' THEN now() END, $11, $12
			WHERE $3 = ANY($13::bigint[])
			ON CONFLICT (created_by, idempotency_key) DO NOTHING
			RETURNING id`,
			in.Title, in.Date, in.NeighbourhoodID, in.WorkerOrganised, in.InitiativeID, in.Strategy,
			in.ParticipantCount, nonNil(in.Partners), in.Outcome, in.Note, author, in.Token, areas).Scan(&id)
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		// Nothing inserted: a replayed form, or a neighbourhood outside the areas.
		err = tx.QueryRow(ctx, `SELECT id FROM activities WHERE created_by = $1 AND idempotency_key = $2`,
			author, in.Token).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return err
		}
		return ErrDuplicate
	})
	if err != nil && !errors.Is(err, ErrDuplicate) && !errors.Is(err, ErrForbidden) {
		return 0, fmt.Errorf("activity: create by %d: %w", author, err)
	}
	return id, err
}

// Update changes an activity, only when viewer wrote it and both its current
// and its new neighbourhood lie in areas. It returns ErrNotFound when the
// activity is not visible in areas, ErrForbidden when it is someone else's.
func (s *Store) Update(ctx context.Context, id, viewer int64, areas []int64, in Input) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE activities SET
				title = $4, date = $5, neighbourhood_id = $6, worker_organised = $7, initiative_id = $8,
				strategy = $9, participant_count = $10, partners = $11, outcome = $12,
				note_written_at = CASE WHEN $13 = '' THEN NULL
				                       WHEN note IS DISTINCT FROM $13 THEN now() ELSE note_written_at END,
				note = $13, updated_at = now()
			WHERE id = $1 AND created_by = $2 AND neighbourhood_id = ANY($3::bigint[]) AND $6 = ANY($3::bigint[])`,
			id, viewer, areas, in.Title, in.Date, in.NeighbourhoodID, in.WorkerOrganised, in.InitiativeID,
			in.Strategy, in.ParticipantCount, nonNil(in.Partners), in.Outcome, in.Note)
		if err != nil {
			return fmt.Errorf("activity: update %d: %w", id, err)
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		return s.whyNot(ctx, tx, id, areas)
	})
}

// whyNot tells ErrNotFound (not visible to the worker) from ErrForbidden
// (visible, but someone else's) after a scoped write changed nothing.
func (s *Store) whyNot(ctx context.Context, q pgx.Tx, id int64, areas []int64) error {
	var ok bool
	err := q.QueryRow(ctx, `SELECT true FROM activities WHERE id = $1 AND neighbourhood_id = ANY($2::bigint[])`,
		id, areas).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("activity: check %d: %w", id, err)
	}
	return ErrForbidden
}

// selectActivity reads every column; the note only for $viewer, its author.
const selectActivity = `
	SELECT a.id, a.title, a.date, a.neighbourhood_id, n.name, n.code, a.worker_organised, a.initiative_id,
	       COALESCE(i.title, ''), a.strategy, a.participant_count, a.partners, a.outcome,
	       CASE WHEN a.created_by = $1 THEN a.note ELSE '' END,
	       CASE WHEN a.created_by = $1 THEN a.note_written_at END,
	       CASE WHEN a.created_by = $1 OR a.story_shared_at IS NOT NULL THEN a.story ELSE '' END,
	       a.story_shared_at, COALESCE(a.created_by, 0), COALESCE(u.display_name, ''), a.created_at, a.updated_at
	FROM activities a
	JOIN neighbourhoods n ON n.id = a.neighbourhood_id
	LEFT JOIN initiatives i ON i.id = a.initiative_id
	LEFT JOIN accounts u ON u.id = a.created_by`

func scanActivity(row pgx.Row) (Activity, error) {
	var a Activity
	err := row.Scan(&a.ID, &a.Title, &a.Date, &a.NeighbourhoodID, &a.NeighbourhoodName, &a.NeighbourhoodCode,
		&a.WorkerOrganised, &a.InitiativeID, &a.InitiativeTitle, &a.Strategy, &a.ParticipantCount, &a.Partners,
		&a.Outcome, &a.Note, &a.NoteWrittenAt, &a.Story, &a.StorySharedAt, &a.CreatedBy, &a.AuthorName,
		&a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// Get returns an activity in one of areas, as viewer sees it: the private
// note only when viewer wrote it.
func (s *Store) Get(ctx context.Context, id, viewer int64, areas []int64) (Activity, error) {
	a, err := scanActivity(s.db.QueryRow(ctx, selectActivity+`
		WHERE a.id = $2 AND a.neighbourhood_id = ANY($3::bigint[])`, viewer, id, areas))
	if errors.Is(err, pgx.ErrNoRows) {
		return Activity{}, ErrNotFound
	}
	if err != nil {
		return Activity{}, fmt.Errorf("activity: get %d: %w", id, err)
	}
	return a, nil
}

// List returns one page of activities in areas matching f, newest first, and
// whether another page follows.
func (s *Store) List(ctx context.Context, viewer int64, areas []int64, f Filter) ([]Activity, bool, error) {
	page := max(f.Page, 1)
	rows, err := s.db.Query(ctx, selectActivity+`
		WHERE a.neighbourhood_id = ANY($2::bigint[])
		  AND ($3::bigint = 0 OR a.neighbourhood_id = $3)
		  AND ($4 = '' OR a.strategy = $4)
		  AND ($5::date IS NULL OR a.date >= $5)
		  AND ($6::date IS NULL OR a.date <= $6)
		ORDER BY a.date DESC, a.id DESC
		LIMIT $7 OFFSET $8`,
		viewer, areas, f.NeighbourhoodID, f.Strategy, f.From, f.To, pageSize+1, (page-1)*pageSize)
	if err != nil {
		return nil, false, fmt.Errorf("activity: list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Activity, error) { return scanActivity(r) })
	if err != nil {
		return nil, false, fmt.Errorf("activity: list: %w", err)
	}
	more := len(out) > pageSize
	if more {
		out = out[:pageSize]
	}
	return out, more, nil
}

// ShareStory saves story as the shared, anonymised copy of the note.
func (s *Store) ShareStory(ctx context.Context, id, viewer int64, areas []int64, story string) error {
	return s.setStory(ctx, id, viewer, areas, `story = $4, story_shared_at = now()`, story)
}

// WithdrawStory stops sharing the story and removes its text.
func (s *Store) WithdrawStory(ctx context.Context, id, viewer int64, areas []int64) error {
	return s.setStory(ctx, id, viewer, areas, `story = '', story_shared_at = NULL`)
}

func (s *Store) setStory(ctx context.Context, id, viewer int64, areas []int64, set string, args ...any) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE activities SET `+set+`, updated_at = now()
			WHERE id = $1 AND created_by = $2 AND neighbourhood_id = ANY($3::bigint[])`,
			append([]any{id, viewer, areas}, args...)...)
		if err != nil {
			return fmt.Errorf("activity: story of %d: %w", id, err)
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		return s.whyNot(ctx, tx, id, areas)
	})
}

// EraseNotesBefore empties private notes written before cutoff (the notes
// retention rule) and returns how many it erased. Stories stay: they are the
// anonymised copies the worker chose to share.
func (s *Store) EraseNotesBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `
		UPDATE activities SET note = '', note_written_at = NULL
		WHERE note <> '' AND note_written_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("activity: erase notes before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	return tag.RowsAffected(), nil
}

// Public is what anyone may see of an activity on a neighbourhood page.
type Public struct {
	Title            string
	Date             time.Time
	Strategy         strategy.Strategy
	ParticipantCount int
	Outcome          string
}

// ForNeighbourhood returns the latest activities of a neighbourhood, public
// fields only, and how many there are in all.
func (s *Store) ForNeighbourhood(ctx context.Context, neighbourhoodID int64, limit int) ([]Public, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM activities WHERE neighbourhood_id = $1`, neighbourhoodID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("activity: count for neighbourhood %d: %w", neighbourhoodID, err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT title, date, strategy, participant_count, outcome
		FROM activities WHERE neighbourhood_id = $1
		ORDER BY date DESC, id DESC LIMIT $2`, neighbourhoodID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("activity: for neighbourhood %d: %w", neighbourhoodID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Public])
	if err != nil {
		return nil, 0, fmt.Errorf("activity: for neighbourhood %d: %w", neighbourhoodID, err)
	}
	return out, total, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
