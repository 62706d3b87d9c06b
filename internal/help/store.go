package help

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the SQL of help requests and offers. Who may see what is
// decided in the SQL (visibleSQL), never only in the handler.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Conversations starts the conversation of an answer inside the answer's
// transaction (message.Store.StartHelp): the conversation id, or the Dutch
// reason it was refused.
type Conversations interface {
	StartHelp(ctx context.Context, tx pgx.Tx, requestID, sender int64, body, key string) (int64, string, error)
}

// Scope is who asks, as the SQL applies it.
type Scope struct {
	AccountID int64
	// Member: a logged-in person who sees the requests near their home
	// (a municipality officer without another role does not).
	Member bool
	Areas  []int64 // a worker's work areas
	Admin  bool
}

// todaySQL is the current date in Dutch time.
const todaySQL = `(now() AT TIME ZONE 'Europe/Amsterdam')::date`

// statusSQL computes the status: open past its last day is expired.
const statusSQL = `CASE WHEN h.status = 'open' AND h.ends_on < ` + todaySQL + ` THEN 'verlopen' ELSE h.status END`

// openSQL is true for what the lists show: open, current and not hidden.
const openSQL = `(h.status = 'open' AND h.ends_on >= ` + todaySQL + ` AND h.hidden_at IS NULL)`

// visibleSQL says whether the scope ($1 account, $2 member, $3 work areas,
// $4 admin) may see help request h: its author and administrators always;
// members whose home is its neighbourhood or a neighbouring one, and
// workers of its neighbourhood, while it is not hidden.
const visibleSQL = `(h.author_id = $1 OR $4::boolean OR (h.hidden_at IS NULL AND (
	($2::boolean AND h.neighbourhood_id IN (SELECT neighbourhood_id FROM nearby_neighbourhoods(
		(SELECT home_neighbourhood_id FROM accounts WHERE id = $1))))
	OR h.neighbourhood_id = ANY($3::bigint[]))))`

// selectSQL reads a Request; the author's first name only leaves the
// database ($1 is the viewer, for "answered by me").
const selectSQL = `
	SELECT h.id, h.kind, h.category, h.body, h.neighbourhood_id, n.code, n.name, h.author_id,
	       split_part(btrim(a.display_name), ' ', 1), h.starts_on, h.ends_on, ` + statusSQL + `, h.created_at,
	       (SELECT count(*)::int FROM help_responses x WHERE x.help_request_id = h.id),
	       EXISTS (SELECT 1 FROM help_responses x WHERE x.help_request_id = h.id AND x.responder_id = $1),
	       h.hidden_reason, h.hidden_at IS NOT NULL
	FROM help_requests h
	JOIN neighbourhoods n ON n.id = h.neighbourhood_id
	JOIN accounts a ON a.id = h.author_id`

func (sc Scope) args() []any {
	areas := sc.Areas
	if areas == nil {
		areas = []int64{}
	}
	return []any{sc.AccountID, sc.Member, areas, sc.Admin}
}

func collect(rows pgx.Rows, err error) ([]Request, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Request, error) {
		var r Request
		err := row.Scan(&r.ID, &r.Kind, &r.Category, &r.Body, &r.NeighbourhoodID, &r.NeighbourhoodCode, &r.NeighbourhoodName,
			&r.AuthorID, &r.FirstName, &r.StartsOn, &r.EndsOn, &r.Status, &r.CreatedAt, &r.Responses, &r.Responded,
			&r.HiddenReason, &r.Hidden)
		r.FirstName = FirstName(r.FirstName)
		return r, err
	})
}

// Get returns help request id when the scope may see it.
func (s *Store) Get(ctx context.Context, id int64, sc Scope) (Request, error) {
	out, err := collect(s.db.Query(ctx, selectSQL+` WHERE h.id = $5 AND `+visibleSQL, append(sc.args(), id)...))
	if err != nil {
		return Request{}, fmt.Errorf("help: get %d: %w", id, err)
	}
	if len(out) == 0 {
		return Request{}, ErrNotFound
	}
	return out[0], nil
}

// Near returns the open requests and offers the scope sees as a member
// near neighbourhood nb (0: near their home), the newest first, at most
// limit, the viewer's own left out.
func (s *Store) Near(ctx context.Context, sc Scope, nb int64, limit int) ([]Request, error) {
	out, err := collect(s.db.Query(ctx, selectSQL+`
		WHERE `+openSQL+` AND h.author_id <> $1 AND $2::boolean
		  AND h.neighbourhood_id IN (SELECT neighbourhood_id FROM nearby_neighbourhoods(
		      (SELECT home_neighbourhood_id FROM accounts WHERE id = $1)))
		  AND ($3::bigint = 0 OR h.neighbourhood_id IN (SELECT neighbourhood_id FROM nearby_neighbourhoods($3)))
		ORDER BY h.created_at DESC, h.id DESC LIMIT $4`, sc.AccountID, sc.Member, nb, limit))
	if err != nil {
		return nil, fmt.Errorf("help: near %d for %d: %w", nb, sc.AccountID, err)
	}
	return out, nil
}

// Mine returns everything author asked or offered, open first, then the newest.
func (s *Store) Mine(ctx context.Context, author int64) ([]Request, error) {
	out, err := collect(s.db.Query(ctx, selectSQL+`
		WHERE h.author_id = $1
		ORDER BY `+openSQL+` DESC, h.created_at DESC, h.id DESC LIMIT 100`, author))
	if err != nil {
		return nil, fmt.Errorf("help: mine %d: %w", author, err)
	}
	return out, nil
}

// InAreas returns the open requests and offers of a worker's work areas:
// those nobody answered first (the oldest of them first, they waited
// longest), then the answered ones, newest first.
func (s *Store) InAreas(ctx context.Context, viewer int64, areas []int64) ([]Request, error) {
	if len(areas) == 0 {
		return nil, nil
	}
	out, err := collect(s.db.Query(ctx, selectSQL+`
		WHERE `+openSQL+` AND h.neighbourhood_id = ANY($2::bigint[])
		ORDER BY h.answered_at IS NOT NULL, CASE WHEN h.answered_at IS NULL THEN h.created_at END ASC,
		         h.created_at DESC, h.id DESC
		LIMIT 200`, viewer, areas))
	if err != nil {
		return nil, fmt.Errorf("help: work areas of %d: %w", viewer, err)
	}
	return out, nil
}

// Choice is a neighbourhood the author may choose.
type Choice struct {
	ID   int64
	Name string
}

// Choices returns account's home neighbourhood and the neighbouring ones,
// nearest first; none when they have no home.
func (s *Store) Choices(ctx context.Context, account int64) ([]Choice, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.name FROM nearby_neighbourhoods((SELECT home_neighbourhood_id FROM accounts WHERE id = $1)) x
		JOIN neighbourhoods n ON n.id = x.neighbourhood_id ORDER BY x.distance_rank`, account)
	if err != nil {
		return nil, fmt.Errorf("help: choices of %d: %w", account, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Choice])
}

// Create stores author's request or offer and returns its id; a form sent
// twice (the same key) returns the first one.
func (s *Store) Create(ctx context.Context, author int64, in Input) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO help_requests (kind, category, body, neighbourhood_id, author_id, starts_on, ends_on, idempotency_key)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8
			WHERE $4 IN (SELECT neighbourhood_id FROM nearby_neighbourhoods(
				(SELECT home_neighbourhood_id FROM accounts WHERE id = $5)))
			ON CONFLICT ON CONSTRAINT help_requests_idempotency_key DO NOTHING RETURNING id)
		SELECT id FROM ins
		UNION ALL SELECT id FROM help_requests WHERE author_id = $5 AND idempotency_key = $8
		LIMIT 1`,
		in.Kind, in.Category, in.Body, in.NeighbourhoodID, author, in.StartsOn, in.EndsOn, in.Key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound // the neighbourhood is not (or no longer) near the home
	}
	if err != nil {
		return 0, fmt.Errorf("help: create by %d: %w", author, err)
	}
	return id, nil
}

// errRefused rolls an answer back that the messages refused.
var errRefused = errors.New("help: message refused")

// Respond records sc's answer to request id and starts the conversation
// with its author (body is the first message), in one transaction with the
// author's notification. Only someone who may see the request, while it is
// open, and not its author. It returns the conversation, or the Dutch
// reason the message was refused (nothing is then stored).
func (s *Store) Respond(ctx context.Context, id int64, sc Scope, body, key string, conv Conversations) (int64, string, error) {
	var out int64
	var refused string
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var kind Kind
		var cat Category
		var author int64
		var open bool
		err := tx.QueryRow(ctx, `
			SELECT h.kind, h.category, h.author_id, `+openSQL+` FROM help_requests h
			WHERE h.id = $5 AND `+visibleSQL+` FOR UPDATE OF h`, append(sc.args(), id)...).Scan(&kind, &cat, &author, &open)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && author == sc.AccountID {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !open {
			return ErrClosed
		}
		tag, err := tx.Exec(ctx, `INSERT INTO help_responses (help_request_id, responder_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			id, sc.AccountID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE help_requests SET answered_at = COALESCE(answered_at, now()) WHERE id = $1`, id); err != nil {
			return err
		}
		if out, refused, err = conv.StartHelp(ctx, tx, id, sc.AccountID, body, key); err != nil {
			return err
		}
		if refused != "" {
			return errRefused
		}
		if tag.RowsAffected() == 0 {
			return nil // answered before: the message went to the conversation
		}
		var name string
		if err := tx.QueryRow(ctx, `SELECT split_part(btrim(display_name), ' ', 1) FROM accounts WHERE id = $1`, sc.AccountID).Scan(&name); err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Offers, Link: "/berichten/" + strconv.FormatInt(out, 10),
			Text: noteResponded(FirstName(name), kind, cat), Actor: sc.AccountID}, []int64{author})
	})
	switch {
	case errors.Is(err, errRefused):
		return 0, refused, nil
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrClosed):
		return 0, "", err
	case err != nil:
		return 0, "", fmt.Errorf("help: respond to %d by %d: %w", id, sc.AccountID, err)
	}
	return out, "", nil
}

// Close marks author's open request helped or withdrawn. One that is no
// longer open (expired included) is ErrClosed; someone else's ErrNotFound.
func (s *Store) Close(ctx context.Context, id, author int64, to Status) error {
	if to != Helped && to != Withdrawn {
		return fmt.Errorf("help: close %d to %q", id, to)
	}
	var open bool
	err := s.db.QueryRow(ctx, `
		WITH upd AS (
			UPDATE help_requests h SET status = $3, closed_at = now()
			WHERE h.id = $1 AND h.author_id = $2 AND h.status = 'open' AND h.ends_on >= `+todaySQL+` RETURNING id)
		SELECT EXISTS (SELECT 1 FROM upd) FROM help_requests WHERE id = $1 AND author_id = $2`, id, author, to).Scan(&open)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("help: close %d: %w", id, err)
	}
	if !open {
		return ErrClosed
	}
	return nil
}

// Conversation returns the conversation viewer holds about request id (as
// its responder), 0 when none.
func (s *Store) Conversation(ctx context.Context, id, viewer int64) (int64, error) {
	var conv int64
	err := s.db.QueryRow(ctx, `
		SELECT c.id FROM conversations c
		JOIN conversation_participants p ON p.conversation_id = c.id AND p.account_id = $2
		WHERE c.subject_kind = 'burenhulp' AND c.help_request_id = $1 AND c.party_id = $2`, id, viewer).Scan(&conv)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("help: conversation about %d: %w", id, err)
	}
	return conv, nil
}
