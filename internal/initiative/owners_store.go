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

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Co-ownership by consent. An owner invites by e-mail address; the person
// becomes an owner only by accepting. Invitations are stored whether or not
// the address has an account, keyed by a hash of the address, so the owners
// see the same thing either way and learn nothing about who has an account.
// Owners step down or remove each other, but an initiative always keeps at
// least one owner.

// emailHash is the SQL for the SHA-256 of a lower-cased e-mail address (an
// SQL expression of type text); an invitation and an account match when
// their hashes do.
func emailHash(expr string) string {
	return `sha256(convert_to(lower(` + expr + `), 'UTF8'))`
}

// invitedAccount is the SQL condition that invitation "v" is pending for
// the account "a": its address matches, it has not expired, and the address
// is confirmed (someone who registered with another person's address
// cannot take their invitation).
var invitedAccount = `v.email_hash = ` + emailHash("a.email::text") + ` AND v.expires_at > now() AND a.email_confirmed_at IS NOT NULL`

// Invitation is an open invitation to become co-owner.
type Invitation struct {
	ID              int64
	InitiativeID    int64
	InitiativeTitle string
	Hint            string // what the owners see of the address: "b…@example.org"
	InvitedBy       string
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// EmailHint is how owners recognise an invitation without the address
// being shown in full to everyone who manages the initiative: its first
// character and its domain.
func EmailHint(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return "…"
	}
	first := []rune(email[:at])[0]
	return string(first) + "…" + email[at:]
}

// Invite invites the person with address email to become co-owner, on
// behalf of by (an owner, or an administrator when admin is true; audited
// when by is not an owner). It does the same work whether or not an
// account has that address; only an account with a confirmed address, not
// yet an owner, is notified. Inviting again while an invitation is open
// changes nothing and notifies nobody again.
func (s *Store) Invite(ctx context.Context, id int64, email string, by int64, admin, audited bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, _, err := lockOwned(ctx, tx, id, by, admin); err != nil {
			return err
		}
		// Expired invitations are no longer anyone's business.
		if _, err := tx.Exec(ctx, `DELETE FROM initiative_invitations WHERE expires_at <= now()`); err != nil {
			return err
		}
		var open int
		var again bool
		if err := tx.QueryRow(ctx, `
			SELECT count(*), COALESCE(bool_or(email_hash = `+emailHash("$2::text")+`), false)
			FROM initiative_invitations WHERE initiative_id = $1`, id, email).Scan(&open, &again); err != nil {
			return err
		}
		if open >= MaxPendingInvitations && !again {
			return ErrTooManyInvitations
		}
		var invitation int64
		err := tx.QueryRow(ctx, `
			INSERT INTO initiative_invitations (initiative_id, email_hash, email_hint, invited_by, expires_at)
			VALUES ($1, `+emailHash("$2::text")+`, $3, $4, now() + make_interval(days => $5))
			ON CONFLICT ON CONSTRAINT initiative_invitations_once DO NOTHING
			RETURNING id`, id, email, EmailHint(email), by, InvitationDays).Scan(&invitation)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		fresh := err == nil
		// The invitee, looked up whether or not the invitation is new, so
		// the work does not depend on it.
		var invitee int64
		err = tx.QueryRow(ctx, `
			SELECT a.id FROM accounts a
			WHERE a.email = $2 AND a.email_confirmed_at IS NOT NULL
			  AND NOT EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = $1 AND o.account_id = a.id)`,
			id, email).Scan(&invitee)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if audited && fresh {
			if err := audit.RecordTx(ctx, tx, by, "initiative.owner_invite", "initiative", id, EmailHint(email)); err != nil {
				return err
			}
		}
		if !fresh || invitee == 0 {
			return nil
		}
		return event{initiative: id, actor: by, who: toAccount, whoArg: invitee, category: notify.SignUps, link: initiativeURL(id) + "#uitnodiging",
			text: func(a audience) string { return noteInvited(a.actor, a.title) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrTooManyInvitations) {
		return fmt.Errorf("initiative: invite to %d: %w", id, err)
	}
	return err
}

// Withdraw deletes an open invitation of initiative id, on behalf of by (an
// owner, or an administrator when admin is true; audited when by is not an
// owner).
func (s *Store) Withdraw(ctx context.Context, id, invitation, by int64, admin, audited bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, _, err := lockOwned(ctx, tx, id, by, admin); err != nil {
			return err
		}
		var hint string
		err := tx.QueryRow(ctx, `DELETE FROM initiative_invitations WHERE id = $1 AND initiative_id = $2 RETURNING email_hint`, invitation, id).Scan(&hint)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoInvitation
		}
		if err != nil {
			return err
		}
		if audited {
			return audit.RecordTx(ctx, tx, by, "initiative.invitation_withdraw", "initiative", id, hint)
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoInvitation) {
		return fmt.Errorf("initiative: withdraw invitation %d of %d: %w", invitation, id, err)
	}
	return err
}

// Accept makes account a co-owner of initiative id when it has an open
// invitation there, and tells the other owners. The initiative row is
// locked first, as by every change of owners, so an acceptance and a
// removal never interleave.
func (s *Store) Accept(ctx context.Context, id, account int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var hidden bool
		err := tx.QueryRow(ctx, `SELECT hidden_at IS NOT NULL FROM initiatives WHERE id = $1 FOR UPDATE`, id).Scan(&hidden)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && hidden) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var invitedBy *int64
		err = tx.QueryRow(ctx, `
			DELETE FROM initiative_invitations v USING accounts a
			WHERE v.initiative_id = $1 AND a.id = $2 AND `+invitedAccount+`
			RETURNING v.invited_by`, id, account).Scan(&invitedBy)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoInvitation
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO initiative_owners (initiative_id, account_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, id, account, invitedBy)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil // an owner already
		}
		return event{initiative: id, actor: account, who: toOwners, category: notify.SignUps, link: initiativeURL(id) + "#eigenaren",
			text: func(a audience) string { return noteAccepted(a.actor, a.title) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoInvitation) {
		return fmt.Errorf("initiative: accept invitation to %d: %w", id, err)
	}
	return err
}

// Decline deletes account's open invitation to initiative id. The owners
// are not told: the invitation is simply no longer open.
func (s *Store) Decline(ctx context.Context, id, account int64) error {
	tag, err := s.db.Exec(ctx, `
		DELETE FROM initiative_invitations v USING accounts a
		WHERE v.initiative_id = $1 AND a.id = $2 AND `+invitedAccount, id, account)
	if err != nil {
		return fmt.Errorf("initiative: decline invitation to %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNoInvitation
	}
	return nil
}

// RemoveOwner takes owner off initiative id, on behalf of by: the owner
// themself (stepping down), another owner, or an administrator when admin
// is true (audited when by is not an owner). The last owner cannot go
// (ErrLastOwner). The initiative row is locked first and the owners' rows
// are read (and locked) after it, so two removals at the same moment are
// done one after the other and the second sees the first: they can never
// leave the initiative without owner. The remaining owners and the person
// removed are told.
func (s *Store) RemoveOwner(ctx context.Context, id, owner, by int64, admin, audited bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, _, err := lockOwned(ctx, tx, id, by, admin); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT account_id FROM initiative_owners WHERE initiative_id = $1 ORDER BY account_id FOR UPDATE`, id)
		if err != nil {
			return err
		}
		owners, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		switch {
		case !admin && !slices.Contains(owners, by):
			return ErrNotFound // removed a moment ago: no longer allowed to manage
		case !slices.Contains(owners, owner):
			return ErrNotOwner
		case len(owners) <= 1:
			return ErrLastOwner
		}
		var name string
		if err := tx.QueryRow(ctx, `
			WITH gone AS (DELETE FROM initiative_owners WHERE initiative_id = $1 AND account_id = $2 RETURNING account_id)
			SELECT a.display_name FROM gone JOIN accounts a ON a.id = gone.account_id`, id, owner).Scan(&name); err != nil {
			return err
		}
		if audited {
			if err := audit.RecordTx(ctx, tx, by, "initiative.owner_remove", "initiative", id, "account "+strconv.FormatInt(owner, 10)); err != nil {
				return err
			}
		}
		self := owner == by
		if !self {
			err := event{initiative: id, actor: by, who: toAccount, whoArg: owner, category: notify.SignUps, link: initiativeURL(id),
				text: func(a audience) string { return noteRemoved(a.actor, a.title) }}.send(ctx, tx)
			if err != nil {
				return err
			}
		}
		return event{initiative: id, actor: by, who: toOwners, category: notify.SignUps, link: initiativeURL(id) + "#eigenaren",
			text: func(a audience) string { return noteOwnerLeft(a.actor, name, a.title, self) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNotOwner) && !errors.Is(err, ErrLastOwner) {
		return fmt.Errorf("initiative: remove owner %d of %d: %w", owner, id, err)
	}
	return err
}

// selectPendingInvitations lists the open invitations of initiative $1,
// for the people who manage it, oldest first (part of LoadDetail).
const selectPendingInvitations = `
	SELECT v.id, v.initiative_id, i.title, v.email_hint, COALESCE(a.display_name, 'een oud-eigenaar'), v.created_at, v.expires_at
	FROM initiative_invitations v
	JOIN initiatives i ON i.id = v.initiative_id
	LEFT JOIN accounts a ON a.id = v.invited_by
	WHERE v.initiative_id = $1 AND v.expires_at > now()
	ORDER BY v.created_at, v.id`

// InvitationsFor lists account's open invitations, newest first: to one
// initiative, or to all (initiative 0). Invitations to initiatives the
// account owns already, or that are hidden, are left out.
func (s *Store) InvitationsFor(ctx context.Context, account, initiative int64) ([]Invitation, error) {
	rows, err := s.db.Query(ctx, `
		SELECT v.id, v.initiative_id, i.title, v.email_hint, COALESCE(b.display_name, 'een oud-eigenaar'), v.created_at, v.expires_at
		FROM accounts a
		JOIN initiative_invitations v ON `+invitedAccount+`
		JOIN initiatives i ON i.id = v.initiative_id AND i.hidden_at IS NULL
		LEFT JOIN accounts b ON b.id = v.invited_by
		WHERE a.id = $1 AND ($2 = 0 OR v.initiative_id = $2)
		  AND NOT EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = v.initiative_id AND o.account_id = a.id)
		ORDER BY v.created_at DESC, v.id DESC
		LIMIT 50`, account, initiative)
	if err != nil {
		return nil, fmt.Errorf("initiative: invitations for %d: %w", account, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Invitation])
}
