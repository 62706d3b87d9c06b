package signal

import (
	"context"
	"errors"
	"fmt"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store owns the SQL of signals and their responses. Who may see or answer
// a signal is decided in the queries, from a Scope.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Municipality is a municipality that has neighbourhoods, as offered in the
// first step of the form.
type Municipality struct {
	ID   int64
	Code string
	Name string
	// Others says whether other municipalities have neighbourhoods too, so
	// the form offers "Andere gemeente kiezen".
	Others bool
}

// NeighbourhoodOption is a neighbourhood offered in the form.
type NeighbourhoodOption struct {
	ID       int64
	Code     string
	Name     string
	District string
}

// Municipalities returns every municipality that has neighbourhoods, by
// name: the first step of the form (about 350 at national scale).
func (s *Store) Municipalities(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name, false FROM municipalities m
		WHERE EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = m.id)
		ORDER BY m.name, m.code`)
	if err != nil {
		return nil, fmt.Errorf("signal: municipalities: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
	if err != nil {
		return nil, fmt.Errorf("signal: municipalities: %w", err)
	}
	for k := range out {
		out[k].Others = len(out) > 1
	}
	return out, nil
}

// selectMunicipality reads a Municipality; "others" stops at the first
// neighbourhood of another municipality, so it costs next to nothing.
const selectMunicipality = `
	SELECT m.id, m.code, m.name, EXISTS (SELECT 1 FROM neighbourhoods o WHERE o.municipality_id <> m.id)
	FROM municipalities m`

func scanMunicipality(row pgx.Row) (Municipality, error) {
	var m Municipality
	err := row.Scan(&m.ID, &m.Code, &m.Name, &m.Others)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}

// MunicipalityByCode returns the municipality with CBS code code if it has
// neighbourhoods, else ErrNotFound.
func (s *Store) MunicipalityByCode(ctx context.Context, code string) (Municipality, error) {
	m, err := scanMunicipality(s.db.QueryRow(ctx, selectMunicipality+`
		WHERE m.code = $1 AND EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = m.id)`, code))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return m, fmt.Errorf("signal: municipality %s: %w", code, err)
	}
	return m, err
}

// NeighbourhoodByCode returns the id and municipality of the neighbourhood
// with CBS code code, or ErrNotFound.
func (s *Store) NeighbourhoodByCode(ctx context.Context, code string) (int64, Municipality, error) {
	var id int64
	var m Municipality
	err := s.db.QueryRow(ctx, `
		SELECT n.id, m.id, m.code, m.name, EXISTS (SELECT 1 FROM neighbourhoods o WHERE o.municipality_id <> m.id)
		FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id
		WHERE n.code = $1`, code).Scan(&id, &m.ID, &m.Code, &m.Name, &m.Others)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, m, ErrNotFound
	}
	if err != nil {
		return 0, m, fmt.Errorf("signal: neighbourhood %s: %w", code, err)
	}
	return id, m, nil
}

// AreasMunicipality returns the one municipality the neighbourhoods areas
// (a worker's work areas) lie in; ErrNotFound when they lie in none or in
// several.
func (s *Store) AreasMunicipality(ctx context.Context, areas []int64) (Municipality, error) {
	rows, err := s.db.Query(ctx, selectMunicipality+`
		WHERE m.id IN (SELECT n.municipality_id FROM neighbourhoods n WHERE n.id = ANY($1::bigint[]))
		LIMIT 2`, areas)
	if err != nil {
		return Municipality{}, fmt.Errorf("signal: municipality of areas: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
	if err != nil {
		return Municipality{}, fmt.Errorf("signal: municipality of areas: %w", err)
	}
	if len(out) != 1 {
		return Municipality{}, ErrNotFound
	}
	return out[0], nil
}

// NeighbourhoodsIn returns the neighbourhoods of one municipality, ordered
// by district and name, for the form's grouped list.
func (s *Store) NeighbourhoodsIn(ctx context.Context, municipalityID int64) ([]NeighbourhoodOption, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.code, n.name, d.name
		FROM neighbourhoods n JOIN districts d ON d.id = n.district_id
		WHERE n.municipality_id = $1
		ORDER BY d.name, d.code, n.name, n.id`, municipalityID)
	if err != nil {
		return nil, fmt.Errorf("signal: neighbourhoods of %d: %w", municipalityID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[NeighbourhoodOption])
	if err != nil {
		return nil, fmt.Errorf("signal: neighbourhoods of %d: %w", municipalityID, err)
	}
	return out, nil
}

// Placement is where a posted neighbourhood lies, seen from the form's municipality.
type Placement int

const (
	NeighbourhoodUnknown   Placement = iota // no such neighbourhood
	NeighbourhoodElsewhere                  // in another municipality
	NeighbourhoodInside                     // in the form's municipality
)

// Place says in one query whether neighbourhood id exists and lies in
// municipality municipalityID.
func (s *Store) Place(ctx context.Context, id, municipalityID int64) (Placement, error) {
	var inside bool
	err := s.db.QueryRow(ctx, `SELECT municipality_id = $2 FROM neighbourhoods WHERE id = $1`, id, municipalityID).Scan(&inside)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return NeighbourhoodUnknown, nil
	case err != nil:
		return NeighbourhoodUnknown, fmt.Errorf("signal: place of neighbourhood %d: %w", id, err)
	case inside:
		return NeighbourhoodInside, nil
	}
	return NeighbourhoodElsewhere, nil
}

// resubmitWindow is how long the same signal sent again by the same person
// (back, then submit on a refilled form with a new key) leads to the signal
// already raised instead of a second one.
const resubmitWindow = "30 minutes"

// normalised is the SQL form of a text compared for resubmission: trimmed,
// lower case, runs of white space as one space.
func normalised(expr string) string {
	return `lower(regexp_replace(btrim(` + expr + `), '\s+', ' ', 'g'))`
}

// Create stores a new signal raised by raiser in the capacity raisedAs
// (resident or worker) and, in the same transaction, notifies the community
// workers of its neighbourhood. A form sent twice, or the same title and
// description for the same neighbourhood from the same person again within
// resubmitWindow, returns the first signal's id with ErrDuplicate.
func (s *Store) Create(ctx context.Context, raiser int64, raisedAs role.Role, in Input) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// One signal at a time per raiser, so that two resubmits of the
		// same content at once also find each other.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('signal.create:' || $1::bigint, 0))`, raiser); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			SELECT id FROM signals
			WHERE raised_by = $1
			  AND (idempotency_key = $2
			       OR (created_at > now() - $3::interval
			           AND neighbourhood_id = $6
			           AND `+normalised("title")+` = `+normalised("$4")+`
			           AND `+normalised("description")+` = `+normalised("$5")+`))
			ORDER BY idempotency_key = $2 DESC, id DESC LIMIT 1`,
			raiser, in.Token, resubmitWindow, in.Title, in.Description, in.NeighbourhoodID).Scan(&id)
		if err == nil {
			return ErrDuplicate // a replay or a resubmission: the existing signal
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO signals (neighbourhood_id, title, description, theme, addressed_to, addressed_to_other,
			                     raised_by, raised_as, is_public, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			RETURNING id`,
			in.NeighbourhoodID, in.Title, in.Description, in.Theme, in.AddressedTo, in.AddressedToOther,
			raiser, raisedAs, in.Public, in.Token).Scan(&id); err != nil {
			return err
		}
		return event{signal: id, actor: raiser, to: []string{toAreaWorkers}, text: noteRaised}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrDuplicate) {
		return 0, fmt.Errorf("signal: create by %d: %w", raiser, err)
	}
	return id, err
}

const selectSignal = `
	SELECT s.id, s.neighbourhood_id, n.code, n.name, n.municipality_id, m.name, s.title, s.description, s.theme,
	       s.addressed_to, s.addressed_to_other, COALESCE(s.raised_by, 0), s.raised_as, s.is_public, s.status,
	       s.created_at, s.updated_at, s.first_response_at,
	       (SELECT count(*) FROM signal_responses r WHERE r.signal_id = s.id),
	       (SELECT count(*) FROM signal_recognitions g WHERE g.signal_id = s.id),
	       s.hidden_at, s.hidden_reason
	FROM signals s
	JOIN neighbourhoods n ON n.id = s.neighbourhood_id
	JOIN municipalities m ON m.id = n.municipality_id`

// visible is the scope rule of reading a signal ($1 account, $2 work areas,
// $3 municipality, $4 admin): public signals, own signals, signals in the
// worker's areas, in the officer's municipality, and all for administrators.
var visible = VisibleSQL(1)

// VisibleSQL is the scope rule of reading a signal as a SQL condition, with
// the Scope's Args at $first to $first+3. The query names the signal s and
// its neighbourhood n. Exported so every page that shows signals (the
// overview's drill-down too) applies this one rule instead of a copy. A
// signal an administrator hid is for its raiser and administrators only.
func VisibleSQL(first int) string {
	return fmt.Sprintf(`((s.is_public OR ($%[1]d::bigint <> 0 AND s.raised_by = $%[1]d) OR s.neighbourhood_id = ANY($%[2]d::bigint[])
	OR ($%[3]d::bigint <> 0 AND n.municipality_id = $%[3]d) OR $%[4]d::boolean)
	AND (s.hidden_at IS NULL OR ($%[1]d::bigint <> 0 AND s.raised_by = $%[1]d) OR $%[4]d::boolean))`, first, first+1, first+2, first+3)
}

// mine is the scope rule of the list ($1 account, $2 work areas, $3
// municipality): own signals, the worker's areas and the officer's
// municipality (administrators open signals one by one); hidden signals
// only for their raiser.
const mine = `(($1::bigint <> 0 AND s.raised_by = $1) OR ((s.neighbourhood_id = ANY($2::bigint[])
	OR ($3::bigint <> 0 AND n.municipality_id = $3)) AND s.hidden_at IS NULL))`

func scanSignal(row pgx.Row) (Signal, error) {
	var x Signal
	err := row.Scan(&x.ID, &x.NeighbourhoodID, &x.NeighbourhoodCode, &x.NeighbourhoodName, &x.MunicipalityID,
		&x.MunicipalityName, &x.Title, &x.Description, &x.Theme, &x.AddressedTo, &x.AddressedToOther, &x.RaisedBy,
		&x.RaisedAs, &x.Public, &x.Status, &x.CreatedAt, &x.UpdatedAt, &x.FirstResponseAt, &x.Responses, &x.Recognitions,
		&x.HiddenAt, &x.HiddenReason)
	return x, err
}

// Args are the scope's arguments of VisibleSQL, in order.
func (sc Scope) Args() []any { return sc.args() }

func (sc Scope) args() []any {
	areas := sc.WorkAreas
	if areas == nil {
		areas = []int64{}
	}
	return []any{sc.AccountID, areas, sc.MunicipalityID, sc.Admin}
}

// Get returns a signal the scope may read: ErrNotFound when there is no such
// signal, ErrForbidden when it exists outside the scope.
func (s *Store) Get(ctx context.Context, id int64, sc Scope) (Signal, error) {
	x, err := scanSignal(s.db.QueryRow(ctx, selectSignal+` WHERE s.id = $5 AND `+visible, append(sc.args(), id)...))
	if errors.Is(err, pgx.ErrNoRows) {
		return Signal{}, s.whyNot(ctx, s.db, id)
	}
	if err != nil {
		return Signal{}, fmt.Errorf("signal: get %d: %w", id, err)
	}
	return x, nil
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) whyNot(ctx context.Context, q querier, id int64) error {
	var ok bool
	err := q.QueryRow(ctx, `SELECT true FROM signals WHERE id = $1`, id).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("signal: check %d: %w", id, err)
	}
	return ErrForbidden
}

// Responses returns the timeline of a signal, oldest first.
func (s *Store) Responses(ctx context.Context, signalID int64) ([]Response, error) {
	rows, err := s.db.Query(ctx, `
		SELECT r.id, COALESCE(a.display_name, ''), r.author_role, r.body,
		       COALESCE(r.status_from, ''), COALESCE(r.status_to, ''), r.created_at
		FROM signal_responses r LEFT JOIN accounts a ON a.id = r.author_id
		WHERE r.signal_id = $1
		ORDER BY r.created_at, r.id`, signalID)
	if err != nil {
		return nil, fmt.Errorf("signal: responses of %d: %w", signalID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Response])
	if err != nil {
		return nil, fmt.Errorf("signal: responses of %d: %w", signalID, err)
	}
	return out, nil
}

// Respond adds a response and/or status change by the scope's account, as an
// officer of the signal's municipality or else as a worker of its
// neighbourhood, and notifies the raiser and the followers in the same
// transaction. The status change is checked against the current status
// under a row lock. A replayed form returns ErrDuplicate and changes nothing.
func (s *Store) Respond(ctx context.Context, id int64, sc Scope, in ResponseInput) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var done bool
		err := tx.QueryRow(ctx, `SELECT true FROM signal_responses WHERE author_id = $1 AND idempotency_key = $2`,
			sc.AccountID, in.Token).Scan(&done)
		if err == nil {
			return ErrDuplicate
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var status Status
		var raiser int64
		var asOfficer bool
		err = tx.QueryRow(ctx, `
			SELECT s.status, COALESCE(s.raised_by, 0), ($3::bigint <> 0 AND n.municipality_id = $3)
			FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
			WHERE s.id = $1 AND (($3::bigint <> 0 AND n.municipality_id = $3) OR s.neighbourhood_id = ANY($2::bigint[]))
			FOR UPDATE OF s`, id, sc.args()[1], sc.MunicipalityID).Scan(&status, &raiser, &asOfficer)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.whyNot(ctx, tx, id)
		}
		if err != nil {
			return err
		}
		author := AuthorWorker
		if asOfficer {
			author = AuthorOfficer
		}
		var from, to *Status
		if in.Status != "" && in.Status != status {
			if !CanMove(author, status, in.Status) {
				return ErrTransition
			}
			from, to = &status, &in.Status
		}
		if in.Body == "" && to == nil {
			return ErrTransition
		}
		// A replay racing the first post waits for its lock and lands here.
		var rid int64
		err = tx.QueryRow(ctx, `
			INSERT INTO signal_responses (signal_id, author_id, author_role, body, status_from, status_to, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT ON CONSTRAINT signal_responses_idempotency_key DO NOTHING
			RETURNING id`, id, sc.AccountID, author, in.Body, from, to, in.Token).Scan(&rid)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrDuplicate
		}
		if err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, `
			UPDATE signals SET status = COALESCE($2, status), updated_at = now(),
			       first_response_at = CASE WHEN first_response_at IS NULL AND $3 THEN now() ELSE first_response_at END
			WHERE id = $1`, id, to, raiser != sc.AccountID); err != nil {
			return err
		}
		var newStatus Status
		if to != nil {
			newStatus = *to
		}
		return event{signal: id, actor: sc.AccountID, to: []string{toRaiser, toFollowers},
			text: func(a audience) string { return noteResponse(author, a.title, newStatus, in.Body) }}.send(ctx, tx)
	})
	switch {
	case err == nil, errors.Is(err, ErrDuplicate), errors.Is(err, ErrTransition), errors.Is(err, ErrNotFound), errors.Is(err, ErrForbidden):
		return err
	}
	return fmt.Errorf("signal: respond to %d: %w", id, err)
}

// ListFilter narrows the list.
type ListFilter struct {
	Status Status // "" for all
	Page   int
}

const pageSize = 50

// List returns one page of the signals in the scope (own, work areas,
// municipality), newest first, and whether another page follows.
func (s *Store) List(ctx context.Context, sc Scope, f ListFilter) ([]Signal, bool, error) {
	page := max(f.Page, 1)
	rows, err := s.db.Query(ctx, selectSignal+` WHERE `+mine+` AND ($4 = '' OR s.status = $4)
		ORDER BY s.created_at DESC, s.id DESC LIMIT $5 OFFSET $6`,
		append(sc.args()[:3], f.Status, pageSize+1, (page-1)*pageSize)...)
	if err != nil {
		return nil, false, fmt.Errorf("signal: list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Signal, error) { return scanSignal(r) })
	if err != nil {
		return nil, false, fmt.Errorf("signal: list: %w", err)
	}
	more := len(out) > pageSize
	if more {
		out = out[:pageSize]
	}
	return out, more, nil
}

// ForNeighbourhood returns the newest public signals of a neighbourhood,
// how many public signals it has in all and its CBS code (for links).
func (s *Store) ForNeighbourhood(ctx context.Context, neighbourhoodID int64, limit int) ([]Signal, int, string, error) {
	var total int
	var code string
	err := s.db.QueryRow(ctx, `
		SELECT n.code, (SELECT count(*) FROM signals s WHERE s.neighbourhood_id = n.id AND s.is_public AND s.hidden_at IS NULL)
		FROM neighbourhoods n WHERE n.id = $1`, neighbourhoodID).Scan(&code, &total)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, "", ErrNotFound
	}
	if err != nil {
		return nil, 0, "", fmt.Errorf("signal: for neighbourhood %d: %w", neighbourhoodID, err)
	}
	if total == 0 {
		return nil, 0, code, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT s.id, s.title, s.theme, s.status, s.created_at,
		       (SELECT count(*) FROM signal_recognitions g WHERE g.signal_id = s.id)
		FROM signals s
		WHERE s.neighbourhood_id = $1 AND s.is_public AND s.hidden_at IS NULL
		ORDER BY s.created_at DESC, s.id DESC LIMIT $2`, neighbourhoodID, limit)
	if err != nil {
		return nil, 0, "", fmt.Errorf("signal: for neighbourhood %d: %w", neighbourhoodID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Signal, error) {
		var x Signal
		err := r.Scan(&x.ID, &x.Title, &x.Theme, &x.Status, &x.CreatedAt, &x.Recognitions)
		return x, err
	})
	if err != nil {
		return nil, 0, "", fmt.Errorf("signal: for neighbourhood %d: %w", neighbourhoodID, err)
	}
	return out, total, code, nil
}

// Own returns the newest signals raised by account, at most limit.
func (s *Store) Own(ctx context.Context, account int64, limit int) ([]Signal, error) {
	rows, err := s.db.Query(ctx, selectSignal+` WHERE s.raised_by = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2`, account, limit)
	if err != nil {
		return nil, fmt.Errorf("signal: own of %d: %w", account, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Signal, error) { return scanSignal(r) })
	if err != nil {
		return nil, fmt.Errorf("signal: own of %d: %w", account, err)
	}
	return out, nil
}
