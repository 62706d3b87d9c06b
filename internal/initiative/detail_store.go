package initiative

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

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

// Detail is what the initiative page shows besides the initiative itself.
// Private parts are loaded only when the caller may see them.
type Detail struct {
	Owners      []Person
	Supporters  []Person     // owners and administrators only
	Offers      []Offer      // owners and administrators only
	Invitations []Invitation // open invitations to become co-owner: owners and administrators only
	OfferCount  int
	Updates     []Update
	History     []StatusChange
	Funding     []FundingRequest // owners: all, with motivations; others: grants only (fund and amount)
	Pending     int              // number of pending requests (shown to others without amounts)
	Reports     []Report         // administrators only
}

// LoadDetail loads owners, updates, history, funding requests and, when
// private is true, supporters, offers and open invitations; reports when
// admin is true. Updates an administrator hid are left out except for
// their author (viewer) and administrators. The queries depend on nothing but the initiative, so they
// go to the server together: one round trip.
func (s *Store) LoadDetail(ctx context.Context, id int64, private, admin bool, viewer int64) (Detail, error) {
	var d Detail
	b := &pgx.Batch{}
	b.Queue(`
		SELECT a.id, a.display_name, o.added_at FROM initiative_owners o JOIN accounts a ON a.id = o.account_id
		WHERE o.initiative_id = $1 ORDER BY o.added_at, a.id`, id).Query(collectInto(&d.Owners, pgx.RowToStructByPos[Person]))
	b.Queue(`
		SELECT u.id, COALESCE(a.display_name, 'Oud-eigenaar'), u.body, u.created_at, COALESCE(u.author_id, 0), u.hidden_at, u.hidden_reason
		FROM initiative_updates u LEFT JOIN accounts a ON a.id = u.author_id
		WHERE u.initiative_id = $1 AND (u.hidden_at IS NULL OR $2 OR ($3::bigint <> 0 AND u.author_id = $3))
		ORDER BY u.created_at DESC, u.id DESC LIMIT 50`, id, admin, viewer).Query(collectInto(&d.Updates, pgx.RowToStructByPos[Update]))
	b.Queue(`
		SELECT COALESCE(h.from_status, ''), h.to_status, h.note, COALESCE(a.display_name, ''), h.changed_at
		FROM initiative_status_history h LEFT JOIN accounts a ON a.id = h.changed_by
		WHERE h.initiative_id = $1 ORDER BY h.changed_at DESC, h.id DESC`, id).Query(collectInto(&d.History, pgx.RowToStructByPos[StatusChange]))
	// Owners see every application with its motivation; everyone else
	// only grants: fund and amount (open data), never refusals or why.
	b.Queue(`
		WITH me AS (SELECT EXISTS (SELECT 1 FROM initiative_owners WHERE initiative_id = $1 AND account_id = $2) AS owner)
		SELECT f.id, f.initiative_id, fu.name, f.amount_cents, COALESCE(f.granted_cents, 0), f.purpose, f.status, f.created_at,
		       f.decided_at, CASE WHEN me.owner THEN f.reason ELSE '' END, CASE WHEN me.owner THEN f.conditions ELSE '' END,
		       fu.decision_mode IN ('advice', 'jury'),
		       me.owner AND EXISTS (SELECT 1 FROM funding_payouts p WHERE p.request_id = f.id),
		       me.owner AND EXISTS (SELECT 1 FROM funding_accounts a WHERE a.request_id = f.id)
		FROM funding_requests f JOIN funds fu ON fu.id = f.fund_id, me
		WHERE f.initiative_id = $1 AND (me.owner OR f.status = 'toegekend')
		ORDER BY f.created_at DESC, f.id DESC`, id, viewer).Query(collectInto(&d.Funding, pgx.RowToStructByPos[FundingRequest]))
	b.Queue(`
		SELECT (SELECT count(*) FROM funding_requests WHERE initiative_id = $1 AND status = 'ingediend'),
		       (SELECT count(*) FROM initiative_offers WHERE initiative_id = $1)`, id).QueryRow(func(row pgx.Row) error {
		return row.Scan(&d.Pending, &d.OfferCount)
	})
	if private {
		b.Queue(`
			SELECT a.id, a.display_name, s.joined_at FROM initiative_supporters s JOIN accounts a ON a.id = s.account_id
			WHERE s.initiative_id = $1 ORDER BY s.joined_at, a.id`, id).Query(collectInto(&d.Supporters, pgx.RowToStructByPos[Person]))
		b.Queue(`
			SELECT o.id, a.id, a.display_name, o.created_at, o.need, o.message, o.created_at
			FROM initiative_offers o JOIN accounts a ON a.id = o.account_id
			WHERE o.initiative_id = $1 ORDER BY o.created_at DESC, o.id DESC`, id).Query(collectInto(&d.Offers, func(row pgx.CollectableRow) (Offer, error) {
			var o Offer
			err := row.Scan(&o.ID, &o.From.ID, &o.From.Name, &o.From.Since, &o.Need, &o.Message, &o.CreatedAt)
			return o, err
		}))
		b.Queue(selectPendingInvitations, id).Query(collectInto(&d.Invitations, pgx.RowToStructByPos[Invitation]))
	}
	if admin {
		b.Queue(`
			SELECT COALESCE(a.display_name, '(verwijderd account)'), r.reason, r.created_at
			FROM initiative_reports r LEFT JOIN accounts a ON a.id = r.reporter_id
			WHERE r.initiative_id = $1 ORDER BY r.created_at DESC`, id).Query(collectInto(&d.Reports, pgx.RowToStructByPos[Report]))
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return Detail{}, fmt.Errorf("initiative: detail %d: %w", id, err)
	}
	return d, nil
}

// collectInto is a batch callback that collects the rows of a query into *dst.
func collectInto[T any](dst *[]T, fn pgx.RowToFunc[T]) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var err error
		*dst, err = pgx.CollectRows(rows, fn)
		return err
	}
}
