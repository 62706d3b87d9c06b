package initiative

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the SQL of initiatives. Its methods are split by concern:
// this file has the initiative itself and the writes of its owners and
// members; list_store.go the searches and lists, detail_store.go what the
// initiative page loads (its applications to funds among them; applying
// and deciding are internal/fund's), moderation_store.go reports and
// hiding, owners_store.go co-ownership.
type Store struct {
	db    *pgxpool.Pool
	reads func(context.Context) *pgxpool.Pool // see ReadFrom
}

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// ReadFrom lets the public lists and the open-data API read from the pool
// reads picks for the request: a read replica while it is current (see
// internal/dbread). Everything else keeps using the primary.
func (s *Store) ReadFrom(reads func(context.Context) *pgxpool.Pool) { s.reads = reads }

// forReads returns the store on the pool for reads that may lag a few
// seconds behind the primary, for one request's plain reads: never for a
// write, a transaction, or a page its viewer must see their own change on
// (those requests carry httpx.FreshReads and get the primary anyway).
func (s *Store) forReads(ctx context.Context) *Store {
	if s.reads == nil {
		return s
	}
	c := *s
	c.db = s.reads(ctx)
	return &c
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

const selectInitiative = `
	SELECT i.id, i.title, i.summary, i.description, i.municipality_id, m.code, m.name, i.themes, i.form, i.status,
	       i.contact_preference, i.contact_details, i.visibility, i.version, i.hidden_at, i.hidden_reason,
	       i.created_at, i.updated_at,
	       (SELECT count(*) FROM initiative_supporters s WHERE s.initiative_id = i.id)
	FROM initiatives i JOIN municipalities m ON m.id = i.municipality_id`

func scanInitiative(row pgx.Row) (Initiative, error) {
	var i Initiative
	err := row.Scan(&i.ID, &i.Title, &i.Summary, &i.Description, &i.MunicipalityID, &i.MunicipalityCode, &i.MunicipalityName,
		&i.Themes, &i.Form, &i.Status, &i.ContactPreference, &i.ContactDetails, &i.Visibility, &i.Version,
		&i.HiddenAt, &i.HiddenReason, &i.CreatedAt, &i.UpdatedAt, &i.Supporters)
	return i, err
}

// Get returns one initiative with its neighbourhoods and needs, hidden or not;
// the handler decides who may see it.
func (s *Store) Get(ctx context.Context, id int64) (Initiative, error) {
	i, err := scanInitiative(s.db.QueryRow(ctx, selectInitiative+` WHERE i.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Initiative{}, ErrNotFound
	}
	if err != nil {
		return Initiative{}, fmt.Errorf("initiative: get %d: %w", id, err)
	}
	list := []Initiative{i}
	if err := s.attach(ctx, s.db, list); err != nil {
		return Initiative{}, err
	}
	return list[0], nil
}

// attach loads the neighbourhoods and needs of a page of initiatives in two
// queries, whatever the page size.
func (s *Store) attach(ctx context.Context, q querier, list []Initiative) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	at := make(map[int64]int, len(list))
	for k, i := range list {
		ids[k] = i.ID
		at[i.ID] = k
	}
	rows, err := q.Query(ctx, `
		SELECT x.initiative_id, b.id, b.code, b.name, d.code, d.name
		FROM initiative_neighbourhoods x
		JOIN neighbourhoods b ON b.id = x.neighbourhood_id
		JOIN districts d ON d.id = b.district_id
		WHERE x.initiative_id = ANY($1)
		ORDER BY b.name`, ids)
	if err != nil {
		return fmt.Errorf("initiative: load neighbourhoods: %w", err)
	}
	var iid int64
	var p Place
	if _, err := pgx.ForEachRow(rows, []any{&iid, &p.ID, &p.Code, &p.Name, &p.DistrictCode, &p.DistrictName}, func() error {
		list[at[iid]].Neighbourhoods = append(list[at[iid]].Neighbourhoods, p)
		return nil
	}); err != nil {
		return fmt.Errorf("initiative: load neighbourhoods: %w", err)
	}
	rows, err = q.Query(ctx, `
		SELECT initiative_id, need, details FROM initiative_needs
		WHERE initiative_id = ANY($1)
		ORDER BY array_position(ARRAY['ruimte','geld','vrijwilligers','kennis','materiaal'], need)`, ids)
	if err != nil {
		return fmt.Errorf("initiative: load needs: %w", err)
	}
	var n Need
	if _, err := pgx.ForEachRow(rows, []any{&iid, &n.Code, &n.Details}, func() error {
		list[at[iid]].Needs = append(list[at[iid]].Needs, n)
		return nil
	}); err != nil {
		return fmt.Errorf("initiative: load needs: %w", err)
	}
	return nil
}

// placeIDs resolves neighbourhood codes within a municipality. It fails with
// ErrBadPlaces when a code is unknown there.
func placeIDs(ctx context.Context, tx pgx.Tx, municipalityID int64, codes []string) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM neighbourhoods WHERE code = ANY($1) AND municipality_id = $2`, codes, municipalityID)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	if len(ids) != len(codes) || len(ids) == 0 {
		return nil, ErrBadPlaces
	}
	return ids, nil
}

func writeChildren(ctx context.Context, tx pgx.Tx, id int64, places []int64, needs []Need) error {
	if _, err := tx.Exec(ctx, `DELETE FROM initiative_neighbourhoods WHERE initiative_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) SELECT $1, unnest($2::bigint[])`, id, places); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM initiative_needs WHERE initiative_id = $1`, id); err != nil {
		return err
	}
	codes := make([]string, len(needs))
	details := make([]string, len(needs))
	for k, n := range needs {
		codes[k], details[k] = string(n.Code), n.Details
	}
	_, err := tx.Exec(ctx, `INSERT INTO initiative_needs (initiative_id, need, details) SELECT $1, unnest($2::text[]), unnest($3::text[])`, id, codes, details)
	return err
}

// resubmitWindow is how long the same content sent again by the same
// person (back, then submit on a refilled form with a new key) leads to the
// initiative already made instead of a second one.
const resubmitWindow = "30 minutes"

// normalised is the SQL form of a text compared for resubmission: trimmed,
// lower case, runs of white space as one space.
func normalised(expr string) string {
	return `lower(regexp_replace(btrim(` + expr + `), '\s+', ' ', 'g'))`
}

// Create stores a new initiative with by as its first owner. A second submit
// with the same idempotency key, or the same title and texts from the same
// person within resubmitWindow, returns the first one's id and created=false.
func (s *Store) Create(ctx context.Context, in Input, by int64) (id int64, created bool, err error) {
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var muni int64
		if err := tx.QueryRow(ctx, `SELECT id FROM municipalities WHERE code = $1`, in.Municipality).Scan(&muni); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrBadPlaces
			}
			return err
		}
		places, err := placeIDs(ctx, tx, muni, in.Neighbourhoods)
		if err != nil {
			return err
		}
		// One create at a time per author, so that two resubmits of the
		// same content at once also find each other.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('initiative.create:' || $1::bigint, 0))`, by); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			SELECT id FROM initiatives
			WHERE created_by = $1
			  AND (idempotency_key = $2
			       OR (created_at > now() - $3::interval
			           AND `+normalised("title")+` = `+normalised("$4")+`
			           AND `+normalised("summary")+` = `+normalised("$5")+`
			           AND `+normalised("description")+` = `+normalised("$6")+`))
			ORDER BY idempotency_key = $2 DESC, id DESC LIMIT 1`,
			by, in.Key, resubmitWindow, in.Title, in.Summary, in.Description).Scan(&id)
		if err == nil {
			return nil // a replay or a resubmission: the existing initiative
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO initiatives (title, summary, description, municipality_id, themes, form, status,
			                         contact_preference, contact_details, visibility, created_by, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			RETURNING id`,
			in.Title, in.Summary, in.Description, muni, in.Themes, in.Form, in.Status,
			in.ContactPreference, in.ContactDetails, in.Visibility, by, in.Key).Scan(&id)
		if err != nil {
			return err
		}
		created = true
		if err := writeChildren(ctx, tx, id, places, in.NeedList()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO initiative_owners (initiative_id, account_id, added_by) VALUES ($1, $2, $2)`, id, by); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO initiative_status_history (initiative_id, from_status, to_status, changed_by) VALUES ($1, NULL, $2, $3)`, id, in.Status, by); err != nil {
			return err
		}
		// Community workers of its neighbourhoods hear of it in their digest.
		return event{initiative: id, actor: by, who: toAreaWorkers, category: notify.Initiatives, link: initiativeURL(id), digestOnly: true,
			text: func(a audience) string { return noteCreated(a.actor, a.title) }}.send(ctx, tx)
	})
	if err != nil {
		if errors.Is(err, ErrBadPlaces) {
			return 0, false, err
		}
		return 0, false, fmt.Errorf("initiative: create: %w", err)
	}
	return id, created, nil
}

// lockOwned locks an initiative that by owns (or any, for an administrator)
// and returns its status and version. Others get ErrNotFound: the ownership
// check lives in the SQL.
func lockOwned(ctx context.Context, tx pgx.Tx, id, by int64, admin bool) (status Status, version int, municipality int64, err error) {
	err = tx.QueryRow(ctx, `
		SELECT i.status, i.version, i.municipality_id FROM initiatives i
		WHERE i.id = $1 AND ($3 OR EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $2))
		FOR UPDATE`, id, by, admin).Scan(&status, &version, &municipality)
	if errors.Is(err, pgx.ErrNoRows) {
		err = ErrNotFound
	}
	return status, version, municipality, err
}

// Audit records that a professional or administrator opened people's data
// (supporters, offers, a funding request).
func (s *Store) Audit(ctx context.Context, actor int64, action, subjectType string, subjectID int64) error {
	return audit.RecordTx(ctx, s.db, actor, action, subjectType, subjectID, "")
}

// Update saves an edit when in.Version is still the stored version;
// otherwise it returns ErrConflict and changes nothing.
func (s *Store) Update(ctx context.Context, id int64, in Input, by int64, admin bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		status, version, muni, err := lockOwned(ctx, tx, id, by, admin)
		if err != nil {
			return err
		}
		if version != in.Version {
			return ErrConflict
		}
		places, err := placeIDs(ctx, tx, muni, in.Neighbourhoods)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE initiatives SET title = $2, summary = $3, description = $4, themes = $5, form = $6, status = $7,
			       contact_preference = $8, contact_details = $9, visibility = $10, version = version + 1, updated_at = now()
			WHERE id = $1`,
			id, in.Title, in.Summary, in.Description, in.Themes, in.Form, in.Status,
			in.ContactPreference, in.ContactDetails, in.Visibility); err != nil {
			return err
		}
		if err := writeChildren(ctx, tx, id, places, in.NeedList()); err != nil {
			return err
		}
		if status != in.Status {
			_, err = tx.Exec(ctx, `INSERT INTO initiative_status_history (initiative_id, from_status, to_status, changed_by) VALUES ($1, $2, $3, $4)`, id, status, in.Status, by)
		}
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrBadPlaces) {
		return fmt.Errorf("initiative: update %d: %w", id, err)
	}
	return err
}

// SetStatus changes the status and records it in the history with a note.
func (s *Store) SetStatus(ctx context.Context, id int64, to Status, note string, by int64, admin bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		from, _, _, err := lockOwned(ctx, tx, id, by, admin)
		if err != nil {
			return err
		}
		if from == to && note == "" {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE initiatives SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, id, to); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO initiative_status_history (initiative_id, from_status, to_status, note, changed_by) VALUES ($1, $2, $3, $4, $5)`, id, from, to, note, by)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("initiative: set status %d: %w", id, err)
	}
	return err
}

// PostUpdate adds a short post by an owner; a resubmitted form adds nothing.
func (s *Store) PostUpdate(ctx context.Context, id int64, body, key string, by int64, admin bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, _, err := lockOwned(ctx, tx, id, by, admin); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO initiative_updates (initiative_id, author_id, body, idempotency_key) VALUES ($1, $2, $3, $4)
			ON CONFLICT ON CONSTRAINT initiative_updates_idempotency_key DO NOTHING`, id, by, body, key)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil // the same form again: nothing new to tell
		}
		if _, err := tx.Exec(ctx, `UPDATE initiatives SET updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return event{initiative: id, actor: by, who: toSupporters, category: notify.Initiatives, link: initiativeURL(id) + "#berichten",
			text: func(a audience) string { return noteUpdate(a.actor, a.title, body) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("initiative: post update %d: %w", id, err)
	}
	return err
}

// visibleTo is the SQL condition for an initiative a logged-in user may act
// on (join, offer help, report): not hidden.
const visibleToMember = `EXISTS (SELECT 1 FROM initiatives i WHERE i.id = $1 AND i.hidden_at IS NULL)`

// SetSupport adds (join) or removes account as a supporter. Both are
// idempotent, so a double click does not toggle twice. A new supporter is
// announced to the owners, once.
func (s *Store) SetSupport(ctx context.Context, id, account int64, join bool) error {
	if !join {
		if _, err := s.db.Exec(ctx, `DELETE FROM initiative_supporters WHERE initiative_id = $1 AND account_id = $2`, id, account); err != nil {
			return fmt.Errorf("initiative: leave %d: %w", id, err)
		}
		return nil
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO initiative_supporters (initiative_id, account_id) SELECT $1, $2 WHERE `+visibleToMember+`
			ON CONFLICT DO NOTHING`, id, account)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT `+visibleToMember, id).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return ErrNotFound
			}
			return nil // joined before: nothing new to tell
		}
		return event{initiative: id, actor: account, who: toOwners, category: notify.SignUps, link: initiativeURL(id),
			text: func(a audience) string { return noteJoined(a.actor, a.title) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("initiative: support %d: %w", id, err)
	}
	return err
}

// Offer records account's offer to help with need and tells the owners; a
// second offer for the same need replaces the message (and tells them again
// only when the message changed, so a resubmitted form is not news).
func (s *Store) Offer(ctx context.Context, id, account int64, need NeedCode, message string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// xmax is 0 for a row this statement inserted, not for one it updated.
		var inserted bool
		err := tx.QueryRow(ctx, `
			INSERT INTO initiative_offers (initiative_id, account_id, need, message) SELECT $1, $2, $3, $4 WHERE `+visibleToMember+`
			ON CONFLICT ON CONSTRAINT initiative_offers_once DO UPDATE SET message = EXCLUDED.message, created_at = now()
			WHERE initiative_offers.message <> EXCLUDED.message
			RETURNING xmax = 0`,
			id, account, need, message).Scan(&inserted)
		if errors.Is(err, pgx.ErrNoRows) {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT `+visibleToMember, id).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return ErrNotFound
			}
			return nil // the same offer again
		}
		if err != nil {
			return err
		}
		return event{initiative: id, actor: account, who: toOwners, category: notify.Offers, link: initiativeURL(id),
			text: func(a audience) string { return noteOffer(a.actor, a.title, need, !inserted) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("initiative: offer %d: %w", id, err)
	}
	return err
}
