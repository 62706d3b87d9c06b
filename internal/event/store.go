package event

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the agenda's SQL. Who may see an event is decided in the SQL
// (visibleSQL); who may change it too (organiserSQL).
type Store struct {
	db *pgxpool.Pool
}

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// selectEvent reads an event (alias e) with its place, initiative,
// neighbourhoods and sign-up counts, in the order scanEvent expects.
const selectEvent = `
	SELECT e.id, e.title, e.description, e.theme, e.starts_at, e.ends_at, e.place_text,
	       COALESCE(a.id, 0), COALESCE(a.name, ''), e.visibility, COALESCE(e.capacity, 0),
	       COALESCE(e.initiative_id, 0), COALESCE(i.title, ''), COALESCE(e.created_by, 0), e.sequence,
	       e.cancelled_at, e.cancel_message, e.created_at, e.updated_at, e.hidden_at, e.hidden_reason,
	       COALESCE((SELECT json_agg(json_build_object('ID', n.id, 'Code', n.code, 'Name', n.name) ORDER BY n.name, n.id)
	                 FROM event_neighbourhoods en JOIN neighbourhoods n ON n.id = en.neighbourhood_id
	                 WHERE en.event_id = e.id), '[]'),
	       (SELECT count(*) FROM event_signups s WHERE s.event_id = e.id AND NOT s.waiting),
	       (SELECT count(*) FROM event_signups s WHERE s.event_id = e.id AND s.waiting)
	FROM events e
	LEFT JOIN assets a ON a.id = e.asset_id AND NOT a.hidden
	LEFT JOIN initiatives i ON i.id = e.initiative_id`

func scanEvent(row pgx.Row) (Event, error) {
	var e Event
	var vis string
	err := row.Scan(&e.ID, &e.Title, &e.Description, &e.Theme, &e.StartsAt, &e.EndsAt, &e.PlaceText,
		&e.AssetID, &e.AssetName, &vis, &e.Capacity, &e.InitiativeID, &e.InitiativeTitle, &e.CreatedBy, &e.Sequence,
		&e.CancelledAt, &e.CancelMessage, &e.CreatedAt, &e.UpdatedAt, &e.HiddenAt, &e.HiddenReason,
		&e.Neighbourhoods, &e.SignedUp, &e.Waiting)
	e.Visibility = Visibility(vis)
	return e, err
}

// organiserSQL says whether account $1 organises event e: its creator, or
// an owner of its initiative.
const organiserSQL = `(COALESCE(e.created_by = $1, false) OR EXISTS (SELECT 1 FROM initiative_owners o
	WHERE o.initiative_id = e.initiative_id AND o.account_id = $1))`

// visibleSQL says whether viewer $1 (0: anonymous; $2: administrator) may
// see event e: members-only events need a login, hidden ones are for the
// organisers and administrators.
const visibleSQL = `(e.visibility = 'public' OR $1::bigint > 0)
	AND (e.hidden_at IS NULL OR $2::boolean OR ` + organiserSQL + `)`

// Access is what the viewer is to one event.
type Access struct {
	Organiser bool
	Status    Status
	// LogsActivity: a worker of one of its neighbourhoods, who may turn the
	// event into an activity once it is over.
	LogsActivity bool
}

// Get returns event id as v may see it, with v's access.
func (s *Store) Get(ctx context.Context, id int64, v Viewer) (Event, Access, error) {
	e, err := scanEvent(s.db.QueryRow(ctx, selectEvent+` WHERE e.id = $3 AND `+visibleSQL, v.ID, v.Admin, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Event{}, Access{}, ErrNotFound
	}
	if err != nil {
		return Event{}, Access{}, fmt.Errorf("event: get %d: %w", id, err)
	}
	var a Access
	if v.ID == 0 {
		return e, a, nil
	}
	var waiting *bool
	err = s.db.QueryRow(ctx, `
		SELECT `+organiserSQL+`,
		       (SELECT s.waiting FROM event_signups s WHERE s.event_id = e.id AND s.account_id = $1),
		       EXISTS (SELECT 1 FROM event_neighbourhoods en WHERE en.event_id = e.id AND en.neighbourhood_id = ANY($3::bigint[]))
		FROM events e WHERE e.id = $2`, v.ID, id, v.WorkAreas).Scan(&a.Organiser, &waiting, &a.LogsActivity)
	if err != nil {
		return Event{}, Access{}, fmt.Errorf("event: access %d: %w", id, err)
	}
	switch {
	case waiting == nil:
	case *waiting:
		a.Status = OnWaitingList
	default:
		a.Status = SignedUp
	}
	return e, a, nil
}

// Area is where an agenda looks: one neighbourhood, district or
// municipality, or everywhere (all zero).
type Area struct {
	NeighbourhoodID int64
	DistrictID      int64
	MunicipalityID  int64
}

// Filter narrows an agenda.
type Filter struct {
	Area         Area
	InitiativeID int64
	Theme        string
	From         time.Time // events ending after this moment
	To           time.Time // and starting before it (zero: no end)
	PublicOnly   bool      // the iCalendar feeds
	Limit        int
}

// List returns the events of the filter that v may see, the soonest first,
// and whether there are more. Hidden events are left out (their organisers
// find them on their own pages); cancelled ones stay, marked.
func (s *Store) List(ctx context.Context, v Viewer, f Filter) ([]Event, bool, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var to *time.Time
	if !f.To.IsZero() {
		to = &f.To
	}
	rows, err := s.db.Query(ctx, selectEvent+`
		WHERE e.hidden_at IS NULL AND (e.visibility = 'public' OR ($1::bigint > 0 AND NOT $2::boolean))
		  AND e.ends_at > $3 AND ($4::timestamptz IS NULL OR e.starts_at < $4)
		  AND ($5 = '' OR e.theme = $5)
		  AND ($6::bigint = 0 OR e.initiative_id = $6)
		  AND ($7::bigint = 0 AND $8::bigint = 0 AND $9::bigint = 0 OR EXISTS (
		      SELECT 1 FROM event_neighbourhoods en JOIN neighbourhoods n ON n.id = en.neighbourhood_id
		      WHERE en.event_id = e.id AND (n.id = $7 OR n.district_id = $8 OR n.municipality_id = $9)))
		ORDER BY e.starts_at, e.id
		LIMIT $10`, v.ID, f.PublicOnly, f.From, to, f.Theme, f.InitiativeID,
		f.Area.NeighbourhoodID, f.Area.DistrictID, f.Area.MunicipalityID, f.Limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("event: list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) { return scanEvent(r) })
	if err != nil {
		return nil, false, fmt.Errorf("event: list: %w", err)
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

// Choices returns what viewer may choose in the event form: a worker's
// work areas, the initiatives they own (with their neighbourhoods) or, for
// a worker, that lie in their work areas, and the meeting places there.
func (s *Store) Choices(ctx context.Context, viewerID int64, worker bool, workAreas []int64) (Choices, error) {
	c := Choices{Worker: worker}
	if !worker {
		workAreas = []int64{}
	}
	rows, err := s.db.Query(ctx, `SELECT id, name FROM neighbourhoods WHERE id = ANY($1::bigint[]) ORDER BY name, id`, workAreas)
	if err != nil {
		return c, fmt.Errorf("event: work areas: %w", err)
	}
	if c.WorkAreas, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Option]); err != nil {
		return c, fmt.Errorf("event: work areas: %w", err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT i.id, i.title, EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $1),
		       COALESCE((SELECT json_agg(json_build_object('ID', n.id, 'Label', n.name) ORDER BY n.name, n.id)
		                 FROM initiative_neighbourhoods x JOIN neighbourhoods n ON n.id = x.neighbourhood_id
		                 WHERE x.initiative_id = i.id), '[]')
		FROM initiatives i
		WHERE i.hidden_at IS NULL AND i.status <> 'gestopt'
		  AND (EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $1)
		    OR EXISTS (SELECT 1 FROM initiative_neighbourhoods x WHERE x.initiative_id = i.id AND x.neighbourhood_id = ANY($2::bigint[])))
		ORDER BY i.title, i.id
		LIMIT 200`, viewerID, workAreas)
	if err != nil {
		return c, fmt.Errorf("event: initiatives: %w", err)
	}
	if c.Initiatives, err = pgx.CollectRows(rows, pgx.RowToStructByPos[InitiativeChoice]); err != nil {
		return c, fmt.Errorf("event: initiatives: %w", err)
	}
	var areas []int64
	for _, o := range c.NeighbourhoodOptions() {
		areas = append(areas, o.ID)
	}
	rows, err = s.db.Query(ctx, `
		SELECT a.id, a.name || ' (' || n.name || ')' FROM assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id
		WHERE a.kind = 'plek' AND NOT a.hidden AND a.neighbourhood_id = ANY($1::bigint[])
		ORDER BY a.name, a.id LIMIT 300`, areas)
	if err != nil {
		return c, fmt.Errorf("event: places: %w", err)
	}
	if c.Places, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Option]); err != nil {
		return c, fmt.Errorf("event: places: %w", err)
	}
	return c, nil
}

// Create stores a new event by account by and returns its id; created is
// false when the form's key was used before (the earlier event's id).
func (s *Store) Create(ctx context.Context, in Input, by int64) (id int64, created bool, err error) {
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO events (title, description, theme, starts_at, ends_at, place_text, asset_id, visibility,
			                    capacity, initiative_id, created_by, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, 0::bigint), $8, NULLIF($9, 0), NULLIF($10, 0::bigint), $11, $12)
			ON CONFLICT (idempotency_key) DO NOTHING
			RETURNING id`, in.Title, in.Description, in.Theme, in.StartsAt, in.EndsAt, in.PlaceText, in.AssetID,
			string(in.Visibility), in.Capacity, in.InitiativeID, by, in.Token).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return tx.QueryRow(ctx, `SELECT id FROM events WHERE idempotency_key = $1 AND created_by = $2`, in.Token, by).Scan(&id)
		}
		if err != nil {
			return err
		}
		created = true
		_, err = tx.Exec(ctx, `INSERT INTO event_neighbourhoods (event_id, neighbourhood_id) SELECT $1, unnest($2::bigint[])`, id, in.NeighbourhoodIDs)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, ErrNotFound // the key belongs to someone else's form
	}
	if err != nil {
		return 0, false, fmt.Errorf("event: create: %w", err)
	}
	return id, created, nil
}

// Update changes event id, organised by by; calendars see a higher
// SEQUENCE. More places move the waiting list up (the people who move up
// are notified); fewer places than are taken is refused.
func (s *Store) Update(ctx context.Context, id int64, in Input, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var taken int
		var title, place string
		var starts, ends time.Time
		var asset int64
		err := tx.QueryRow(ctx, `
			SELECT e.title, e.starts_at, e.ends_at, e.place_text, COALESCE(e.asset_id, 0),
			       (SELECT count(*) FROM event_signups s WHERE s.event_id = e.id AND NOT s.waiting)
			FROM events e WHERE e.id = $2 AND `+organiserSQL+` AND e.cancelled_at IS NULL FOR UPDATE OF e`, by, id).Scan(&title, &starts, &ends, &place, &asset, &taken)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return err
		}
		if in.Capacity > 0 && in.Capacity < taken {
			return ErrCapacityBelow
		}
		if _, err := tx.Exec(ctx, `
			UPDATE events SET title = $2, description = $3, theme = $4, starts_at = $5, ends_at = $6, place_text = $7,
			       asset_id = NULLIF($8, 0::bigint), visibility = $9, capacity = NULLIF($10, 0), initiative_id = NULLIF($11, 0::bigint),
			       sequence = sequence + 1, updated_at = now(),
			       -- a new start time deserves a new reminder
			       reminded_at = CASE WHEN starts_at = $5 THEN reminded_at END
			WHERE id = $1`, id, in.Title, in.Description, in.Theme, in.StartsAt, in.EndsAt, in.PlaceText, in.AssetID,
			string(in.Visibility), in.Capacity, in.InitiativeID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_neighbourhoods WHERE event_id = $1 AND NOT neighbourhood_id = ANY($2::bigint[])`, id, in.NeighbourhoodIDs); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO event_neighbourhoods (event_id, neighbourhood_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, id, in.NeighbourhoodIDs); err != nil {
			return err
		}
		if err := fill(ctx, tx, id, in.Title); err != nil {
			return err
		}
		if starts.Equal(in.StartsAt) && ends.Equal(in.EndsAt) && place == in.PlaceText && asset == in.AssetID {
			return nil
		}
		// A new time or place is news for everyone signed up.
		rows, err := tx.Query(ctx, `SELECT account_id FROM event_signups WHERE event_id = $1`, id)
		if err != nil {
			return err
		}
		to, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Agenda, Link: Path(id), Text: noteChanged(in.Title, in.StartsAt), Actor: by}, to)
	})
	if err != nil && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrCapacityBelow) {
		return fmt.Errorf("event: update %d: %w", id, err)
	}
	return err
}

// Place names an agenda's area: a neighbourhood, district or municipality.
type Place struct {
	Kind string // "buurt", "wijk", "gemeente"
	ID   int64
	Code string
	Name string
	// Of is the larger area it lies in ("Wijk 01 West, gemeente Utrecht"), "" for a municipality.
	Of string
	// Up are the larger areas' agendas, nearest first (district, municipality).
	Up []Link
}

// Link is a labelled local path.
type Link struct {
	Href, Label string
}

// PlaceByCode finds the neighbourhood, district or municipality of a CBS code.
func (s *Store) PlaceByCode(ctx context.Context, kind, code string) (Place, error) {
	var q string
	switch kind {
	case "buurt":
		q = `SELECT n.id, n.code, n.name, d.name || ', gemeente ' || m.name,
			json_build_array(json_build_object('Href', '/agenda?wijk=' || d.code, 'Label', d.name),
			                 json_build_object('Href', '/agenda?gemeente=' || m.code, 'Label', 'Gemeente ' || m.name))
			FROM neighbourhoods n JOIN districts d ON d.id = n.district_id JOIN municipalities m ON m.id = n.municipality_id WHERE n.code = $1`
	case "wijk":
		q = `SELECT d.id, d.code, d.name, 'gemeente ' || m.name,
			json_build_array(json_build_object('Href', '/agenda?gemeente=' || m.code, 'Label', 'Gemeente ' || m.name))
			FROM districts d JOIN municipalities m ON m.id = d.municipality_id WHERE d.code = $1`
	case "gemeente":
		q = `SELECT id, code, name, '', json_build_array(json_build_object('Href', '/agenda', 'Label', 'Overal'))
			FROM municipalities WHERE code = $1`
	default:
		return Place{}, ErrNotFound
	}
	p := Place{Kind: kind}
	err := s.db.QueryRow(ctx, q, code).Scan(&p.ID, &p.Code, &p.Name, &p.Of, &p.Up)
	if errors.Is(err, pgx.ErrNoRows) {
		return Place{}, ErrNotFound
	}
	if err != nil {
		return Place{}, fmt.Errorf("event: place %s: %w", code, err)
	}
	return p, nil
}

// NeighbourhoodCode returns the CBS code of neighbourhood id.
func (s *Store) NeighbourhoodCode(ctx context.Context, id int64) (string, error) {
	var code string
	if err := s.db.QueryRow(ctx, `SELECT code FROM neighbourhoods WHERE id = $1`, id).Scan(&code); err != nil {
		return "", fmt.Errorf("event: neighbourhood %d: %w", id, err)
	}
	return code, nil
}

// InitiativeVisible returns the title of initiative id when anyone may see
// it (public, not hidden): its feed is for anyone. Else ErrNotFound.
func (s *Store) InitiativeVisible(ctx context.Context, id int64) (string, error) {
	var title string
	err := s.db.QueryRow(ctx, `SELECT title FROM initiatives WHERE id = $1 AND hidden_at IS NULL AND visibility = 'public'`, id).Scan(&title)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("event: initiative %d: %w", id, err)
	}
	return title, nil
}

// Path is the local path of event id's page.
func Path(id int64) string { return "/bijeenkomsten/" + strconv.FormatInt(id, 10) }

// Mine returns the upcoming events account signed up for, soonest first,
// with the account's status in each.
func (s *Store) Mine(ctx context.Context, account int64, now time.Time) ([]Event, []Status, error) {
	rows, err := s.db.Query(ctx, selectEvent+`
		JOIN event_signups me ON me.event_id = e.id AND me.account_id = $1
		WHERE e.hidden_at IS NULL AND e.ends_at > $2
		ORDER BY e.starts_at, e.id LIMIT 50`, account, now)
	if err != nil {
		return nil, nil, fmt.Errorf("event: mine: %w", err)
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) { return scanEvent(r) })
	if err != nil {
		return nil, nil, fmt.Errorf("event: mine: %w", err)
	}
	statuses := make([]Status, len(events))
	if len(events) == 0 {
		return events, statuses, nil
	}
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	rows, err = s.db.Query(ctx, `SELECT event_id, waiting FROM event_signups WHERE account_id = $1 AND event_id = ANY($2::bigint[])`, account, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("event: mine: %w", err)
	}
	waiting := map[int64]bool{}
	var id int64
	var w bool
	if _, err := pgx.ForEachRow(rows, []any{&id, &w}, func() error { waiting[id] = w; return nil }); err != nil {
		return nil, nil, fmt.Errorf("event: mine: %w", err)
	}
	for i, e := range events {
		statuses[i] = SignedUp
		if waiting[e.ID] {
			statuses[i] = OnWaitingList
		}
	}
	return events, statuses, nil
}

// MembersOnly reports whether event id exists, is not hidden and is for
// members only: an anonymous visitor is then asked to log in.
func (s *Store) MembersOnly(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND visibility = 'members' AND hidden_at IS NULL)`, id).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("event: members only %d: %w", id, err)
	}
	return ok, nil
}
