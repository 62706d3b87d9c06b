package contact

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Store holds the SQL of street contacts. Every query carries its access
// scope: a worker's own contacts by worker_id, the team view by the worker's
// work areas, and the private note is selected only for its author.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Area is a neighbourhood a worker works in.
type Area struct {
	ID   int64
	Code string
	Name string
}

// Initiative is an initiative a contact may be linked to.
type Initiative struct {
	ID    int64
	Title string
}

// ownColumns selects a contact including its private note: only for queries
// scoped to the author (worker_id = the viewer).
const ownColumns = `c.id, COALESCE(c.worker_id, 0), COALESCE(a.display_name, ''), c.occurred_at, c.neighbourhood_id, n.code, n.name,
	c.place_type, c.people_count, c.themes, c.strategy, c.energy, c.concern, c.note, c.note_erased_at, c.follow_up,
	c.initiative_id, c.referral, c.story, c.story_shared_at, c.client_id::text, c.created_at, c.updated_at`

// sharedColumns is ownColumns without the private note, for colleagues and
// administrators: the note never leaves the database for them.
const sharedColumns = `c.id, COALESCE(c.worker_id, 0), COALESCE(a.display_name, ''), c.occurred_at, c.neighbourhood_id, n.code, n.name,
	c.place_type, c.people_count, c.themes, c.strategy, c.energy, c.concern, NULL::text, c.note_erased_at, c.follow_up,
	c.initiative_id, c.referral, c.story, c.story_shared_at, c.client_id::text, c.created_at, c.updated_at`

const fromContacts = ` FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id LEFT JOIN accounts a ON a.id = c.worker_id `

// targets are the scan destinations of ownColumns and sharedColumns, in order.
func (c *Contact) targets() []any {
	return []any{&c.ID, &c.WorkerID, &c.WorkerName, &c.OccurredAt, &c.NeighbourhoodID, &c.NeighbourhoodCode, &c.NeighbourhoodName,
		&c.PlaceType, &c.PeopleCount, &c.Themes, &c.Strategy, &c.Energy, &c.Concern, &c.Note, &c.NoteErasedAt, &c.FollowUp,
		&c.InitiativeID, &c.Referral, &c.Story, &c.StorySharedAt, &c.ClientID, &c.CreatedAt, &c.UpdatedAt}
}

func scanContact(row pgx.CollectableRow) (Contact, error) {
	var c Contact
	err := row.Scan(c.targets()...)
	return c, err
}

// WorkAreas returns the neighbourhoods the worker works in, by name.
func (s *Store) WorkAreas(ctx context.Context, workerID int64) ([]Area, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.code, n.name FROM account_work_areas w JOIN neighbourhoods n ON n.id = w.neighbourhood_id
		WHERE w.account_id = $1 ORDER BY n.name, n.code`, workerID)
	if err != nil {
		return nil, fmt.Errorf("contact: work areas of %d: %w", workerID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Area, error) {
		var a Area
		err := row.Scan(&a.ID, &a.Code, &a.Name)
		return a, err
	})
}

// Initiatives returns the visible, running initiatives in the given
// neighbourhoods, for the follow-up "link to an initiative".
func (s *Store) Initiatives(ctx context.Context, areas []int64) ([]Initiative, error) {
	rows, err := s.db.Query(ctx, `
		SELECT i.id, i.title FROM initiatives i
		WHERE i.hidden_at IS NULL AND i.status <> 'gestopt'
		  AND EXISTS (SELECT 1 FROM initiative_neighbourhoods x WHERE x.initiative_id = i.id AND x.neighbourhood_id = ANY($1::bigint[]))
		ORDER BY i.title LIMIT 200`, areas)
	if err != nil {
		return nil, fmt.Errorf("contact: initiatives: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Initiative, error) {
		var i Initiative
		err := row.Scan(&i.ID, &i.Title)
		return i, err
	})
}

// LastChoice returns the neighbourhood code and place type of the worker's
// most recently logged contact ("" when none).
func (s *Store) LastChoice(ctx context.Context, workerID int64) (code, place string, err error) {
	err = s.db.QueryRow(ctx, `
		SELECT n.code, c.place_type FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
		WHERE c.worker_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 1`, workerID).Scan(&code, &place)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("contact: last choice of %d: %w", workerID, err)
	}
	return code, place, nil
}

// initiativeClause keeps a linked initiative only when it is visible and lies
// in one of the worker's areas.
const initiativeClause = `(SELECT i.id FROM initiatives i WHERE i.id = $12 AND i.hidden_at IS NULL
		AND EXISTS (SELECT 1 FROM initiative_neighbourhoods x JOIN account_work_areas w ON w.neighbourhood_id = x.neighbourhood_id
		            WHERE x.initiative_id = i.id AND w.account_id = $1))`

// Create stores a new contact for workerID. The neighbourhood must be one of
// the worker's work areas (checked here in SQL, not only in the handler).
// A second call with the same client id returns the first contact with
// created false: replays of an offline queue never duplicate.
func (s *Store) Create(ctx context.Context, workerID int64, in Input) (Contact, bool, error) {
	// One statement, so one round trip and its own transaction (the
	// aggregate trigger runs inside it): insert, and read the new row back
	// with the names the confirmation shows. Workers post this form many
	// times a day, often several at once in one neighbourhood.
	rows, err := s.db.Query(ctx, `
		WITH c AS (
			INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy,
			                      energy, concern, note, follow_up, initiative_id, referral, client_id)
			SELECT $1, $2, n.id, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), $11, `+initiativeClause+`, $13, $14
			FROM neighbourhoods n JOIN account_work_areas w ON w.neighbourhood_id = n.id AND w.account_id = $1
			WHERE n.code = $3
			ON CONFLICT (worker_id, client_id) DO NOTHING
			RETURNING *)
		SELECT `+ownColumns+` FROM c JOIN neighbourhoods n ON n.id = c.neighbourhood_id LEFT JOIN accounts a ON a.id = c.worker_id`,
		workerID, in.OccurredAt, in.NeighbourhoodCode, in.PlaceType, in.PeopleCount, in.Themes, in.Strategy,
		in.Energy, in.Concern, in.Note, in.FollowUp, in.InitiativeID, in.Referral, in.ClientID)
	if err != nil {
		return Contact{}, false, fmt.Errorf("contact: create for %d: %w", workerID, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanContact)
	if err == nil {
		return c, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return Contact{}, false, fmt.Errorf("contact: create for %d: %w", workerID, err)
	}
	// Nothing inserted: either this client id was seen before (a double
	// submit: the first contact is the answer), or the neighbourhood is
	// outside the worker's areas.
	var id int64
	err = s.db.QueryRow(ctx, `SELECT id FROM contacts WHERE worker_id = $1 AND client_id = $2`, workerID, in.ClientID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Contact{}, false, ErrOutsideArea
	}
	if err != nil {
		return Contact{}, false, fmt.Errorf("contact: create for %d: %w", workerID, err)
	}
	c, err = s.Own(ctx, workerID, id)
	return c, false, err
}

// Own returns one of the worker's own contacts, note included.
func (s *Store) Own(ctx context.Context, workerID, id int64) (Contact, error) {
	rows, err := s.db.Query(ctx, `SELECT `+ownColumns+fromContacts+`WHERE c.id = $1 AND c.worker_id = $2`, id, workerID)
	if err != nil {
		return Contact{}, fmt.Errorf("contact: get %d: %w", id, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanContact)
	if errors.Is(err, pgx.ErrNoRows) {
		return Contact{}, ErrNotFound
	}
	if err != nil {
		return Contact{}, fmt.Errorf("contact: get %d: %w", id, err)
	}
	return c, nil
}

// Update changes one of the worker's own contacts. The new neighbourhood
// must again be one of the worker's areas.
func (s *Store) Update(ctx context.Context, workerID, id int64, in Input) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE contacts c SET occurred_at = $2, neighbourhood_id = n.id, place_type = $4, people_count = $5, themes = $6,
		       strategy = $7, energy = $8, concern = $9,
		       note = NULLIF($10, ''),
		       follow_up = $11, initiative_id = `+initiativeClause+`, referral = $13, updated_at = now()
		FROM neighbourhoods n JOIN account_work_areas w ON w.neighbourhood_id = n.id AND w.account_id = $1
		WHERE c.id = $14 AND c.worker_id = $1 AND n.code = $3`,
		workerID, in.OccurredAt, in.NeighbourhoodCode, in.PlaceType, in.PeopleCount, in.Themes, in.Strategy,
		in.Energy, in.Concern, in.Note, in.FollowUp, in.InitiativeID, in.Referral, id)
	if err != nil {
		return fmt.Errorf("contact: update %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.Own(ctx, workerID, id); err != nil {
			return err
		}
		return ErrOutsideArea
	}
	return nil
}

// Delete removes one of the worker's own contacts.
func (s *Store) Delete(ctx context.Context, workerID, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM contacts WHERE id = $1 AND worker_id = $2`, id, workerID)
	if err != nil {
		return fmt.Errorf("contact: delete %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// Undo removes a contact the worker saved less than UndoWindow ago.
func (s *Store) Undo(ctx context.Context, workerID, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM contacts WHERE id = $1 AND worker_id = $2 AND created_at > now() - make_interval(secs => $3)`,
		id, workerID, UndoWindow.Seconds())
	if err != nil {
		return fmt.Errorf("contact: undo %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.Own(ctx, workerID, id); err != nil {
			return err
		}
		return ErrUndoExpired
	}
	return nil
}

// Filter narrows a list of contacts. Empty fields do not filter.
type Filter struct {
	NeighbourhoodCode string
	Strategy          strategy.Strategy
	Theme             string
	From, To          *time.Time // To is exclusive
	Limit, Offset     int
}

const filterClause = ` AND ($2 = '' OR n.code = $2) AND ($3 = '' OR c.strategy = $3) AND ($4 = '' OR c.themes @> ARRAY[$4]::text[])
	AND ($5::timestamptz IS NULL OR c.occurred_at >= $5) AND ($6::timestamptz IS NULL OR c.occurred_at < $6) `

// Page is one page of a list, with the total number of matching contacts.
type Page struct {
	Contacts []Contact
	Total    int
}

func (s *Store) list(ctx context.Context, query string, scope any, f Filter, extra ...any) (Page, error) {
	args := append([]any{scope, f.NeighbourhoodCode, f.Strategy, f.Theme, f.From, f.To, f.Limit, f.Offset}, extra...)
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return Page{}, err
	}
	var p Page
	p.Contacts, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Contact, error) {
		var c Contact
		err := row.Scan(append(c.targets(), &p.Total)...)
		return c, err
	})
	return p, err
}

// Mine lists the worker's own contacts, newest first, notes included.
func (s *Store) Mine(ctx context.Context, workerID int64, f Filter) (Page, error) {
	p, err := s.list(ctx, `SELECT `+ownColumns+`, count(*) OVER ()`+fromContacts+`WHERE c.worker_id = $1`+filterClause+
		`ORDER BY c.occurred_at DESC, c.id DESC LIMIT $7 OFFSET $8`, workerID, f)
	if err != nil {
		return Page{}, fmt.Errorf("contact: list of %d: %w", workerID, err)
	}
	return p, nil
}

// Team lists colleagues' contacts in the worker's areas, without notes.
func (s *Store) Team(ctx context.Context, workerID int64, areas []int64, f Filter) (Page, error) {
	p, err := s.list(ctx, `SELECT `+sharedColumns+`, count(*) OVER ()`+fromContacts+
		`WHERE c.neighbourhood_id = ANY($1::bigint[]) AND c.worker_id IS DISTINCT FROM $9`+filterClause+
		`ORDER BY c.occurred_at DESC, c.id DESC LIMIT $7 OFFSET $8`, areas, f, workerID)
	if err != nil {
		return Page{}, fmt.Errorf("contact: team of %d: %w", workerID, err)
	}
	return p, nil
}

// OfWorker lists a worker's contacts for an administrator, without notes.
func (s *Store) OfWorker(ctx context.Context, workerID int64, f Filter) (Page, error) {
	p, err := s.list(ctx, `SELECT `+sharedColumns+`, count(*) OVER ()`+fromContacts+`WHERE c.worker_id = $1`+filterClause+
		`ORDER BY c.occurred_at DESC, c.id DESC LIMIT $7 OFFSET $8`, workerID, f)
	if err != nil {
		return Page{}, fmt.Errorf("contact: list of worker %d: %w", workerID, err)
	}
	return p, nil
}

// Between returns the worker's own contacts with from <= occurred_at < to,
// oldest first, notes included (the API).
func (s *Store) Between(ctx context.Context, workerID int64, from, to time.Time) ([]Contact, error) {
	rows, err := s.db.Query(ctx, `SELECT `+ownColumns+fromContacts+`
		WHERE c.worker_id = $1 AND c.occurred_at >= $2 AND c.occurred_at < $3
		ORDER BY c.occurred_at, c.id LIMIT 5000`, workerID, from, to)
	if err != nil {
		return nil, fmt.Errorf("contact: between for %d: %w", workerID, err)
	}
	out, err := pgx.CollectRows(rows, scanContact)
	if err != nil {
		return nil, fmt.Errorf("contact: between for %d: %w", workerID, err)
	}
	return out, nil
}

// DayCounts counts the worker's contacts per local calendar day in
// [from, to), keyed by "2006-01-02".
func (s *Store) DayCounts(ctx context.Context, workerID int64, from, to time.Time) (map[string]int, error) {
	rows, err := s.db.Query(ctx, `
		SELECT to_char(c.occurred_at AT TIME ZONE $4, 'YYYY-MM-DD'), count(*)
		FROM contacts c WHERE c.worker_id = $1 AND c.occurred_at >= $2 AND c.occurred_at < $3
		GROUP BY 1`, workerID, from, to, dutch.Amsterdam.String())
	if err != nil {
		return nil, fmt.Errorf("contact: day counts of %d: %w", workerID, err)
	}
	out := map[string]int{}
	var day string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&day, &n}, func() error { out[day] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("contact: day counts of %d: %w", workerID, err)
	}
	return out, nil
}

// ShareStory stores the anonymised story of one of the worker's contacts.
func (s *Store) ShareStory(ctx context.Context, workerID, id int64, story string) error {
	tag, err := s.db.Exec(ctx, `UPDATE contacts SET story = $3, story_shared_at = now(), updated_at = now()
		WHERE id = $1 AND worker_id = $2`, id, workerID, story)
	if err != nil {
		return fmt.Errorf("contact: share story %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// WithdrawStory stops sharing the story of one of the worker's contacts.
func (s *Store) WithdrawStory(ctx context.Context, workerID, id int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE contacts SET story = NULL, story_shared_at = NULL, updated_at = now()
		WHERE id = $1 AND worker_id = $2`, id, workerID)
	if err != nil {
		return fmt.Errorf("contact: withdraw story %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// WorkerName returns the display name of an account that holds the worker
// role, for the administrator's view.
func (s *Store) WorkerName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.QueryRow(ctx, `SELECT display_name FROM accounts WHERE id = $1 AND 'worker' = ANY(roles)`, id).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("contact: worker %d: %w", id, err)
	}
	return name, nil
}

// EraseExpiredNotes erases private notes of contacts that happened longer
// than retention ago: the note becomes NULL and note_erased_at is set.
// Nothing else of the contact changes (not even updated_at).
func EraseExpiredNotes(ctx context.Context, db *pgxpool.Pool, retention time.Duration) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE contacts SET note = NULL, note_erased_at = now()
		WHERE note IS NOT NULL AND occurred_at < now() - make_interval(secs => $1)`, retention.Seconds())
	if err != nil {
		return 0, fmt.Errorf("contact: erase notes older than %s: %w", retention, err)
	}
	return tag.RowsAffected(), nil
}
