package initiative

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the SQL of initiatives and funding requests.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

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
		codes[k], details[k] = n.Code, n.Details
	}
	_, err := tx.Exec(ctx, `INSERT INTO initiative_needs (initiative_id, need, details) SELECT $1, unnest($2::text[]), unnest($3::text[])`, id, codes, details)
	return err
}

// Create stores a new initiative with by as its first owner. A second submit
// with the same idempotency key returns the first one's id and created=false.
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
		err = tx.QueryRow(ctx, `
			INSERT INTO initiatives (title, summary, description, municipality_id, themes, form, status,
			                         contact_preference, contact_details, visibility, created_by, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT ON CONSTRAINT initiatives_idempotency_key DO NOTHING
			RETURNING id`,
			in.Title, in.Summary, in.Description, muni, in.Themes, in.Form, in.Status,
			in.ContactPreference, in.ContactDetails, in.Visibility, by, in.Key).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return tx.QueryRow(ctx, `SELECT id FROM initiatives WHERE created_by = $1 AND idempotency_key = $2`, by, in.Key).Scan(&id)
		}
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
func lockOwned(ctx context.Context, tx pgx.Tx, id, by int64, admin bool) (status string, version int, municipality int64, err error) {
	err = tx.QueryRow(ctx, `
		SELECT i.status, i.version, i.municipality_id FROM initiatives i
		WHERE i.id = $1 AND ($3 OR EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $2))
		FOR UPDATE`, id, by, admin).Scan(&status, &version, &municipality)
	if errors.Is(err, pgx.ErrNoRows) {
		err = ErrNotFound
	}
	return status, version, municipality, err
}

// Relation reports whether account owns the initiative, joined it, and has
// an open invitation to become co-owner, in one query.
func (s *Store) Relation(ctx context.Context, id, account int64) (owner, supporter, invited bool, err error) {
	err = s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM initiative_owners WHERE initiative_id = $1 AND account_id = $2),
		       EXISTS (SELECT 1 FROM initiative_supporters WHERE initiative_id = $1 AND account_id = $2),
		       EXISTS (SELECT 1 FROM initiative_invitations v JOIN accounts a ON a.id = $2 WHERE v.initiative_id = $1 AND `+invitedAccount+`)`,
		id, account).Scan(&owner, &supporter, &invited)
	if err != nil {
		return false, false, false, fmt.Errorf("initiative: relation to %d: %w", id, err)
	}
	return owner, supporter, invited, nil
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
func (s *Store) SetStatus(ctx context.Context, id int64, to, note string, by int64, admin bool) error {
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
func (s *Store) Offer(ctx context.Context, id, account int64, need, message string) error {
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

// Report records a user's report for the moderators; a second report by the
// same user replaces the reason.
func (s *Store) Report(ctx context.Context, id, account int64, reason string) error {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO initiative_reports (initiative_id, reporter_id, reason) SELECT $1, $2, $3 WHERE `+visibleToMember+`
		ON CONFLICT ON CONSTRAINT initiative_reports_once DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
		id, account, reason)
	if err != nil {
		return fmt.Errorf("initiative: report %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// SetHidden hides (reason non-empty) or shows an initiative; administrators
// only, recorded in the audit log. The owners hear of a change, with the
// reason for hiding.
func (s *Store) SetHidden(ctx context.Context, id int64, hide bool, reason string, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var wasHidden bool
		var oldReason string
		err := tx.QueryRow(ctx, `SELECT hidden_at IS NOT NULL, hidden_reason FROM initiatives WHERE id = $1 FOR UPDATE`, id).Scan(&wasHidden, &oldReason)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		action := "initiative.unhide"
		if hide {
			action = "initiative.hide"
			_, err = tx.Exec(ctx, `UPDATE initiatives SET hidden_at = now(), hidden_reason = $2, hidden_by = $3 WHERE id = $1`, id, reason, by)
		} else {
			_, err = tx.Exec(ctx, `UPDATE initiatives SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL WHERE id = $1`, id)
		}
		if err != nil {
			return err
		}
		if hide {
			// Reports are handled by hiding.
			if _, err := tx.Exec(ctx, `DELETE FROM initiative_reports WHERE initiative_id = $1`, id); err != nil {
				return err
			}
		}
		if err := audit.RecordTx(ctx, tx, by, action, "initiative", id, reason); err != nil {
			return err
		}
		e := event{initiative: id, actor: by, who: toOwners, category: notify.Decisions, link: initiativeURL(id)}
		switch {
		case hide && (!wasHidden || oldReason != reason):
			e.text = func(a audience) string { return noteHidden(a.title, reason) }
		case !hide && wasHidden:
			e.text = func(a audience) string { return noteShown(a.title) }
		default:
			return nil // no change the owners need to hear of
		}
		return e.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("initiative: set hidden %d: %w", id, err)
	}
	return err
}

// Detail is what the initiative page shows besides the initiative itself.
// Private parts are loaded only when the caller may see them.
type Detail struct {
	Owners     []Person
	Supporters []Person // owners and administrators only
	Offers     []Offer  // owners and administrators only
	OfferCount int
	Updates    []Update
	History    []StatusChange
	Funding    []FundingRequest // owners and administrators: all; others: decided only, see below
	Pending    int              // number of pending requests (shown to others without amounts)
	Reports    []Report         // administrators only
}

// LoadDetail loads owners, updates, history, funding requests and, when
// private is true, supporters and offers; reports when admin is true.
// It runs a fixed number of queries.
func (s *Store) LoadDetail(ctx context.Context, id int64, private, admin bool) (Detail, error) {
	var d Detail
	wrap := func(err error) (Detail, error) { return Detail{}, fmt.Errorf("initiative: detail %d: %w", id, err) }
	rows, err := s.db.Query(ctx, `
		SELECT a.id, a.display_name, o.added_at FROM initiative_owners o JOIN accounts a ON a.id = o.account_id
		WHERE o.initiative_id = $1 ORDER BY o.added_at, a.id`, id)
	if err != nil {
		return wrap(err)
	}
	if d.Owners, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Person]); err != nil {
		return wrap(err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT u.id, COALESCE(a.display_name, 'Oud-eigenaar'), u.body, u.created_at
		FROM initiative_updates u LEFT JOIN accounts a ON a.id = u.author_id
		WHERE u.initiative_id = $1 ORDER BY u.created_at DESC, u.id DESC LIMIT 50`, id)
	if err != nil {
		return wrap(err)
	}
	if d.Updates, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Update]); err != nil {
		return wrap(err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT COALESCE(h.from_status, ''), h.to_status, h.note, COALESCE(a.display_name, ''), h.changed_at
		FROM initiative_status_history h LEFT JOIN accounts a ON a.id = h.changed_by
		WHERE h.initiative_id = $1 ORDER BY h.changed_at DESC, h.id DESC`, id)
	if err != nil {
		return wrap(err)
	}
	if d.History, err = pgx.CollectRows(rows, pgx.RowToStructByPos[StatusChange]); err != nil {
		return wrap(err)
	}
	// Others see decided requests only; amounts of pending ones stay private.
	rows, err = s.db.Query(ctx, selectFunding+`
		WHERE f.initiative_id = $1 AND ($2 OR f.status <> 'ingediend')
		ORDER BY f.created_at DESC, f.id DESC`, id, private)
	if err != nil {
		return wrap(err)
	}
	if d.Funding, err = pgx.CollectRows(rows, scanFunding); err != nil {
		return wrap(err)
	}
	if err := s.db.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM funding_requests WHERE initiative_id = $1 AND status = 'ingediend'),
		       (SELECT count(*) FROM initiative_offers WHERE initiative_id = $1)`, id).Scan(&d.Pending, &d.OfferCount); err != nil {
		return wrap(err)
	}
	if private {
		rows, err = s.db.Query(ctx, `
			SELECT a.id, a.display_name, s.joined_at FROM initiative_supporters s JOIN accounts a ON a.id = s.account_id
			WHERE s.initiative_id = $1 ORDER BY s.joined_at, a.id`, id)
		if err != nil {
			return wrap(err)
		}
		if d.Supporters, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Person]); err != nil {
			return wrap(err)
		}
		rows, err = s.db.Query(ctx, `
			SELECT o.id, a.id, a.display_name, o.created_at, o.need, o.message, o.created_at
			FROM initiative_offers o JOIN accounts a ON a.id = o.account_id
			WHERE o.initiative_id = $1 ORDER BY o.created_at DESC, o.id DESC`, id)
		if err != nil {
			return wrap(err)
		}
		if d.Offers, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Offer, error) {
			var o Offer
			err := row.Scan(&o.ID, &o.From.ID, &o.From.Name, &o.From.Since, &o.Need, &o.Message, &o.CreatedAt)
			return o, err
		}); err != nil {
			return wrap(err)
		}
	}
	if admin {
		rows, err = s.db.Query(ctx, `
			SELECT COALESCE(a.display_name, '(verwijderd account)'), r.reason, r.created_at
			FROM initiative_reports r LEFT JOIN accounts a ON a.id = r.reporter_id
			WHERE r.initiative_id = $1 ORDER BY r.created_at DESC`, id)
		if err != nil {
			return wrap(err)
		}
		if d.Reports, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Report]); err != nil {
			return wrap(err)
		}
	}
	return d, nil
}

// ListResult is one page of initiatives and the total number that match.
type ListResult struct {
	Items []Initiative
	Total int
}

// where builds the WHERE clause of a list query from a filter. Only fixed SQL
// fragments are added; every value is a parameter.
func where(f Filter, members bool, args *[]any) string {
	arg := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	conds := []string{"i.hidden_at IS NULL"}
	if !members {
		conds = append(conds, "i.visibility = 'public'")
	}
	if f.Query != "" {
		conds = append(conds, "i.search @@ websearch_to_tsquery('dutch', "+arg(f.Query)+")")
	}
	if f.Municipality != "" {
		conds = append(conds, "m.code = "+arg(f.Municipality))
	}
	if f.District != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM initiative_neighbourhoods x JOIN neighbourhoods b ON b.id = x.neighbourhood_id
			JOIN districts d ON d.id = b.district_id WHERE x.initiative_id = i.id AND d.code = `+arg(f.District)+`)`)
	}
	if f.Neighbourhood != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM initiative_neighbourhoods x JOIN neighbourhoods b ON b.id = x.neighbourhood_id
			WHERE x.initiative_id = i.id AND b.code = `+arg(f.Neighbourhood)+`)`)
	}
	if f.neighbourhoodID != 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM initiative_neighbourhoods x WHERE x.initiative_id = i.id AND x.neighbourhood_id = `+arg(f.neighbourhoodID)+`)`)
	}
	if f.Theme != "" {
		conds = append(conds, "i.themes @> ARRAY["+arg(f.Theme)+"]::text[]")
	}
	if f.Status != "" {
		conds = append(conds, "i.status = "+arg(f.Status))
	}
	if f.Need != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM initiative_needs x WHERE x.initiative_id = i.id AND x.need = "+arg(f.Need)+")")
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// List returns one page (1-based) of listable initiatives: not hidden, and
// public unless members is true (a logged-in viewer). It runs four queries
// whatever the page size: count, page, neighbourhoods, needs.
func (s *Store) List(ctx context.Context, f Filter, members bool, page, size int) (ListResult, error) {
	var res ListResult
	var args []any
	w := where(f, members, &args)
	from := ` FROM initiatives i JOIN municipalities m ON m.id = i.municipality_id`
	if err := s.db.QueryRow(ctx, `SELECT count(*)`+from+w, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("initiative: count: %w", err)
	}
	if res.Total == 0 || (page-1)*size >= res.Total {
		return res, nil
	}
	order := " ORDER BY i.id DESC"
	if f.Query != "" { // the query is always the first parameter
		order = " ORDER BY ts_rank(i.search, websearch_to_tsquery('dutch', $1)) DESC, i.id DESC"
	}
	args = append(args, size, (page-1)*size)
	rows, err := s.db.Query(ctx, selectInitiative+w+order+fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return res, fmt.Errorf("initiative: list: %w", err)
	}
	if res.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Initiative, error) { return scanInitiative(r) }); err != nil {
		return res, fmt.Errorf("initiative: list: %w", err)
	}
	return res, s.attach(ctx, s.db, res.Items)
}

// ListAfter returns up to size public, visible initiatives with an id below
// after (0: from the newest), newest first, for the open data API's cursor.
func (s *Store) ListAfter(ctx context.Context, f Filter, after int64, size int) ([]Initiative, error) {
	var args []any
	w := where(f, false, &args)
	if after > 0 {
		args = append(args, after)
		w += fmt.Sprintf(" AND i.id < $%d", len(args))
	}
	args = append(args, size)
	rows, err := s.db.Query(ctx, selectInitiative+w+fmt.Sprintf(" ORDER BY i.id DESC LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("initiative: list after %d: %w", after, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Initiative, error) { return scanInitiative(r) })
	if err != nil {
		return nil, fmt.Errorf("initiative: list after %d: %w", after, err)
	}
	return items, s.attach(ctx, s.db, items)
}

// Municipality is a municipality as offered in a form.
type Municipality struct {
	ID   int64
	Code string
	Name string
}

// Municipalities returns every municipality that has neighbourhoods, by name.
func (s *Store) Municipalities(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name FROM municipalities m
		WHERE EXISTS (SELECT 1 FROM neighbourhoods b WHERE b.municipality_id = m.id)
		ORDER BY m.name`)
	if err != nil {
		return nil, fmt.Errorf("initiative: municipalities: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
}

// ListedMunicipalities returns the municipalities that have listable initiatives.
func (s *Store) ListedMunicipalities(ctx context.Context, members bool) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name FROM municipalities m
		WHERE EXISTS (SELECT 1 FROM initiatives i WHERE i.municipality_id = m.id AND i.hidden_at IS NULL AND ($1 OR i.visibility = 'public'))
		ORDER BY m.name`, members)
	if err != nil {
		return nil, fmt.Errorf("initiative: listed municipalities: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
}

// Places returns the neighbourhoods of a municipality (by code) with their
// districts, ordered by district and name.
func (s *Store) Places(ctx context.Context, municipality string) ([]Place, error) {
	rows, err := s.db.Query(ctx, `
		SELECT b.id, b.code, b.name, d.code, d.name
		FROM neighbourhoods b JOIN districts d ON d.id = b.district_id JOIN municipalities m ON m.id = b.municipality_id
		WHERE m.code = $1 ORDER BY d.name, d.code, b.name`, municipality)
	if err != nil {
		return nil, fmt.Errorf("initiative: places in %s: %w", municipality, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Place])
}

const selectFunding = `
	SELECT f.id, f.initiative_id, i.title, f.amount_cents, f.purpose, f.budget, f.status,
	       COALESCE(r.display_name, 'een voormalig bewoner'), f.created_at, COALESCE(d.display_name, 'een voormalige medewerker'), f.decided_at, f.reason
	FROM funding_requests f
	JOIN initiatives i ON i.id = f.initiative_id
	LEFT JOIN accounts r ON r.id = f.created_by
	LEFT JOIN accounts d ON d.id = f.decided_by`

func scanFunding(row pgx.CollectableRow) (FundingRequest, error) {
	var f FundingRequest
	err := row.Scan(&f.ID, &f.InitiativeID, &f.InitiativeTitle, &f.AmountCents, &f.Purpose, &f.Budget, &f.Status,
		&f.RequestedBy, &f.CreatedAt, &f.DecidedBy, &f.DecidedAt, &f.Reason)
	return f, err
}

// RequestFunding files a funding request for an initiative that by owns and
// tells the officers of its municipality. A resubmitted form (same key)
// files nothing new.
func (s *Store) RequestFunding(ctx context.Context, id int64, amount int64, purpose, budget, key string, by int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, _, err := lockOwned(ctx, tx, id, by, false); err != nil {
			return err
		}
		var request int64
		err := tx.QueryRow(ctx, `
			INSERT INTO funding_requests (initiative_id, amount_cents, purpose, budget, created_by, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT ON CONSTRAINT funding_requests_idempotency_key DO NOTHING
			RETURNING id`, id, amount, purpose, budget, by, key).Scan(&request)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // filed before
		}
		if err != nil {
			return fmt.Errorf("initiative: request funding %d: %w", id, err)
		}
		err = event{initiative: id, actor: by, who: toOfficers, category: notify.Decisions, link: requestURL(request),
			text: func(a audience) string { return noteFundingRequest(a.title, amount, purpose) }}.send(ctx, tx)
		if err != nil {
			return fmt.Errorf("initiative: request funding %d: %w", id, err)
		}
		return nil
	})
}

// FundingQueue returns the funding requests of initiatives in a
// municipality: every pending one (oldest first: the work to do, never cut
// off) and the newest decisions, at most decidedLimit; more reports whether
// there are older decisions than those.
//
// Pending requests that viewer may not decide on (their own, or of an
// initiative they own) come back with Conflicted set.
func (s *Store) FundingQueue(ctx context.Context, municipality, viewer int64, decidedLimit int) (pending, decided []FundingRequest, more bool, err error) {
	rows, err := s.db.Query(ctx, selectFunding+`
		WHERE i.municipality_id = $1 AND f.status = 'ingediend'
		ORDER BY f.created_at, f.id`, municipality)
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding queue %d: %w", municipality, err)
	}
	if pending, err = pgx.CollectRows(rows, scanFunding); err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding queue %d: %w", municipality, err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT f.id FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
		WHERE i.municipality_id = $1 AND f.status = 'ingediend' AND `+conflictedOn("$2"), municipality, viewer)
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding conflicts %d: %w", municipality, err)
	}
	conflicted, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding conflicts %d: %w", municipality, err)
	}
	for k := range pending {
		pending[k].Conflicted = slices.Contains(conflicted, pending[k].ID)
	}
	rows, err = s.db.Query(ctx, selectFunding+`
		WHERE i.municipality_id = $1 AND f.status <> 'ingediend'
		ORDER BY f.decided_at DESC, f.id DESC
		LIMIT $2`, municipality, decidedLimit+1)
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding decisions %d: %w", municipality, err)
	}
	if decided, err = pgx.CollectRows(rows, scanFunding); err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding decisions %d: %w", municipality, err)
	}
	if len(decided) > decidedLimit {
		decided, more = decided[:decidedLimit], true
	}
	return pending, decided, more, nil
}

// FundingRequest returns one request, only when its initiative lies in
// municipality; otherwise ErrNotFound.
func (s *Store) FundingRequest(ctx context.Context, id, municipality int64) (FundingRequest, error) {
	rows, err := s.db.Query(ctx, selectFunding+` WHERE f.id = $1 AND i.municipality_id = $2`, id, municipality)
	if err != nil {
		return FundingRequest{}, fmt.Errorf("initiative: funding request %d: %w", id, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, scanFunding)
	if errors.Is(err, pgx.ErrNoRows) {
		return FundingRequest{}, ErrNotFound
	}
	if err != nil {
		return FundingRequest{}, fmt.Errorf("initiative: funding request %d: %w", id, err)
	}
	return f, nil
}

// conflictedOn is the SQL condition that account (given as the parameter
// named) may not decide on funding request "f": they submitted it, or they
// own the initiative it is for. An officer may also hold the resident role,
// so without this they could grant money to themselves.
func conflictedOn(param string) string {
	return `(f.created_by IS NOT DISTINCT FROM ` + param + ` OR EXISTS (
		SELECT 1 FROM initiative_owners o WHERE o.initiative_id = f.initiative_id AND o.account_id = ` + param + `))`
}

// Decide records an officer's decision on a pending request of their own
// municipality. The scope and the conflict of interest are part of the
// UPDATE, so a decision by someone who submitted the request or owns the
// initiative (perhaps since a moment ago) cannot be stored. It returns
// ErrNotFound for a request elsewhere, ErrAlreadyDecided for one decided
// before and ErrConflictOfInterest when by may not decide on it.
func (s *Store) Decide(ctx context.Context, id, municipality int64, status, reason string, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var initiative, amount int64
		err := tx.QueryRow(ctx, `
			UPDATE funding_requests f SET status = $3, reason = $4, decided_by = $5, decided_at = now()
			FROM initiatives i
			WHERE f.id = $1 AND i.id = f.initiative_id AND i.municipality_id = $2 AND f.status = 'ingediend'
			  AND NOT `+conflictedOn("$5")+`
			RETURNING f.initiative_id, f.amount_cents`,
			id, municipality, status, reason, by).Scan(&initiative, &amount)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if errors.Is(err, pgx.ErrNoRows) {
			// Say why nothing matched; the UPDATE above already refused.
			var pending, conflicted bool
			err := tx.QueryRow(ctx, `
				SELECT f.status = 'ingediend', `+conflictedOn("$3")+`
				FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
				WHERE f.id = $1 AND i.municipality_id = $2`, id, municipality, by).Scan(&pending, &conflicted)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return ErrNotFound
			case err != nil:
				return err
			case !pending:
				return ErrAlreadyDecided
			case conflicted:
				return ErrConflictOfInterest
			}
			return fmt.Errorf("pending request %d matched no row", id)
		}
		if err := audit.RecordTx(ctx, tx, by, "funding.decide", "funding_request", id, status); err != nil {
			return err
		}
		return event{initiative: initiative, actor: by, who: toOwners, category: notify.Decisions, link: initiativeURL(initiative) + "#buurtbudget",
			text: func(a audience) string { return noteDecision(a.title, status, amount, reason) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrAlreadyDecided) && !errors.Is(err, ErrConflictOfInterest) {
		return fmt.Errorf("initiative: decide %d: %w", id, err)
	}
	return err
}

// maxDecidersNamed is how many other officers the decision page names.
const maxDecidersNamed = 10

// Deciders says whether account may not decide on request id of
// municipality (conflicted) and who else there may: the names of up to
// maxDecidersNamed other officers of the municipality without a conflict,
// and how many there are in all.
func (s *Store) Deciders(ctx context.Context, id, municipality, account int64) (conflicted bool, names []string, total int, err error) {
	err = s.db.QueryRow(ctx, `
		WITH others AS (
			SELECT a.id, a.display_name FROM funding_requests f, accounts a
			WHERE f.id = $1 AND a.roles @> ARRAY['officer']::text[] AND a.municipality_id = $2 AND a.id <> $3
			  AND NOT `+conflictedOn("a.id")+`)
		SELECT `+conflictedOn("$3")+`,
		       ARRAY(SELECT display_name FROM others ORDER BY display_name, id LIMIT $4),
		       (SELECT count(*) FROM others)
		FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
		WHERE f.id = $1 AND i.municipality_id = $2`, id, municipality, account, maxDecidersNamed).Scan(&conflicted, &names, &total)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil, 0, ErrNotFound
	}
	if err != nil {
		return false, nil, 0, fmt.Errorf("initiative: deciders of %d: %w", id, err)
	}
	return conflicted, names, total, nil
}

// ModerationItem is an initiative that needs a moderator's attention:
// reported, hidden, or both.
type ModerationItem struct {
	ID           int64
	Title        string
	Reports      int
	LastReport   *time.Time
	HiddenAt     *time.Time
	HiddenReason string
}

// Moderation lists reported initiatives (most recent report first), then
// hidden ones (most recently hidden first), in one query.
func (s *Store) Moderation(ctx context.Context, limit int) ([]ModerationItem, bool, error) {
	rows, err := s.db.Query(ctx, `
		WITH reported AS (
			SELECT initiative_id, count(*) AS n, max(created_at) AS last FROM initiative_reports GROUP BY initiative_id)
		SELECT i.id, i.title, COALESCE(r.n, 0), r.last, i.hidden_at, i.hidden_reason
		FROM initiatives i LEFT JOIN reported r ON r.initiative_id = i.id
		WHERE r.initiative_id IS NOT NULL OR i.hidden_at IS NOT NULL
		ORDER BY r.last DESC NULLS LAST, i.hidden_at DESC, i.id DESC
		LIMIT $1`, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("initiative: moderation list: %w", err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ModerationItem])
	if err != nil {
		return nil, false, fmt.Errorf("initiative: moderation list: %w", err)
	}
	if len(items) > limit {
		return items[:limit], true, nil
	}
	return items, false, nil
}

// Mine is an initiative on its owner's or supporter's account page.
type Mine struct {
	ID     int64
	Title  string
	Status string
	Owner  bool
	Hidden bool
}

// Mine lists the initiatives account owns or joined, owned ones first.
func (s *Store) Mine(ctx context.Context, account int64) ([]Mine, error) {
	rows, err := s.db.Query(ctx, `
		SELECT i.id, i.title, i.status, o.account_id IS NOT NULL, i.hidden_at IS NOT NULL
		FROM initiatives i
		LEFT JOIN initiative_owners o ON o.initiative_id = i.id AND o.account_id = $1
		LEFT JOIN initiative_supporters s ON s.initiative_id = i.id AND s.account_id = $1
		WHERE (o.account_id IS NOT NULL OR (s.account_id IS NOT NULL AND i.hidden_at IS NULL))
		ORDER BY o.account_id IS NULL, i.updated_at DESC, i.id DESC
		LIMIT 100`, account)
	if err != nil {
		return nil, fmt.Errorf("initiative: mine %d: %w", account, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Mine])
}
