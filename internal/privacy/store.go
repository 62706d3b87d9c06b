package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Store reads and deletes everything that belongs to one account.
type Store struct {
	db     *pgxpool.Pool
	events EventLeaver
}

// EventLeaver takes an account off every event it signed up for, inside the
// deletion's transaction, moving the waiting lists up and telling those who
// got a place (internal/event implements it).
type EventLeaver interface {
	LeaveAll(ctx context.Context, tx pgx.Tx, account int64) error
}

// NewStore returns a Store on db; events handles the sign-ups of a deleted
// account.
func NewStore(db *pgxpool.Pool, events EventLeaver) *Store { return &Store{db: db, events: events} }

// Export collects everything about account id. The queries run as one
// batch in a read-only, repeatable-read transaction, so the parts agree
// with each other even while the person keeps using the platform.
func (s *Store) Export(ctx context.Context, id int64) (Export, error) {
	e := Export{Format: Format, About: msgExportAbout}
	parts := []struct {
		sql string
		dst *json.RawMessage
	}{
		{exportAccount, &e.Account},
		{exportInitiativesOwned, &e.InitiativesOwned},
		{exportInitiativesSupported, &e.InitiativesSupported},
		{exportInitiativeInvitations, &e.InitiativeInvitations},
		{exportOffers, &e.Offers},
		{exportUpdatesWritten, &e.UpdatesWritten},
		{exportReports, &e.Reports},
		{exportFundingDecisions, &e.FundingDecisions},
		{exportFunderStaff, &e.FunderStaff},
		{exportAssets, &e.Assets},
		{exportSignalsRaised, &e.SignalsRaised},
		{exportSignalResponsesWritten, &e.SignalResponsesWritten},
		{exportSignalsRecognised, &e.SignalsRecognised},
		{exportSignalsFollowed, &e.SignalsFollowed},
		{exportContacts, &e.Contacts},
		{exportActivities, &e.Activities},
		{exportEventsOrganised, &e.EventsOrganised},
		{exportEventSignUps, &e.EventSignUps},
		{exportMessagesSent, &e.MessagesSent},
		{exportMessageReports, &e.MessageReports},
		{exportContentReports, &e.ContentReports},
		{exportHelpRequests, &e.HelpRequests},
		{exportHelpAnswered, &e.HelpAnswered},
		{exportTwoFactor, &e.TwoFactor},
		{exportSessions, &e.Sessions},
		{exportAPITokens, &e.APITokens},
		{exportPasswordResets, &e.PasswordResets},
		{exportAuditAboutYou, &e.AuditAboutYou},
		{exportAuditByYou, &e.AuditByYou},
		{exportPhotosUploaded, &e.PhotosUploaded},
		{exportFundingAdvice, &e.FundingAdvice},
		{exportFundingAccounts, &e.FundingAccounts},
	}
	err := pgx.BeginTxFunc(ctx, s.db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT now()`).Scan(&e.GeneratedAt); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, p := range parts {
			b.Queue(p.sql, id)
		}
		res := tx.SendBatch(ctx, b)
		for _, p := range parts {
			var raw []byte
			if err := res.QueryRow().Scan(&raw); err != nil {
				_ = res.Close()
				return err
			}
			*p.dst = raw
		}
		return res.Close()
	})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return Export{}, ErrNotFound
	case err != nil:
		return Export{}, fmt.Errorf("privacy: export %d: %w", id, err)
	}
	return e, nil
}

// Preview says what deleting account id would do, in one query.
func (s *Store) Preview(ctx context.Context, id int64) (Preview, error) {
	var p Preview
	var roles []string
	var otherAdmins int
	err := s.db.QueryRow(ctx, `
		WITH owned AS (
			SELECT i.id, i.title,
			       EXISTS (SELECT 1 FROM initiative_owners c WHERE c.initiative_id = i.id AND c.account_id <> $1) AS shared
			FROM initiative_owners o JOIN initiatives i ON i.id = o.initiative_id
			WHERE o.account_id = $1)
		SELECT a.roles,
		       COALESCE((SELECT array_agg(title ORDER BY id) FROM owned WHERE shared), '{}'),
		       COALESCE((SELECT array_agg(title ORDER BY id) FROM owned WHERE NOT shared), '{}'),
		       (SELECT count(*) FROM initiative_supporters WHERE account_id = $1),
		       (SELECT count(*) FROM initiative_offers WHERE account_id = $1),
		       (SELECT count(*) FROM assets WHERE created_by = $1 AND kind = 'talent'),
		       (SELECT count(*) FROM assets WHERE created_by = $1 AND kind <> 'talent'),
		       (SELECT count(*) FROM signals WHERE raised_by = $1),
		       (SELECT count(*) FROM contacts WHERE worker_id = $1),
		       (SELECT count(*) FROM activities WHERE created_by = $1),
		       (SELECT count(*) FROM api_tokens WHERE account_id = $1),
		       (SELECT count(*) FROM event_signups WHERE account_id = $1),
		       (SELECT count(*) FROM events WHERE created_by = $1),
		       (SELECT count(*) FROM accounts WHERE 'admin' = ANY(roles) AND id <> $1),
		       (SELECT count(*) FROM photos WHERE uploaded_by = $1),
		       (SELECT count(*) FROM help_requests WHERE author_id = $1)
		FROM accounts a WHERE a.id = $1`, id).Scan(&roles, &p.PassedOn, &p.Anonymous, &p.Supports, &p.Offers,
		&p.Talents, &p.Assets, &p.Signals, &p.Contacts, &p.Activities, &p.Tokens, &p.SignUps, &p.Events, &otherAdmins, &p.Photos, &p.Help)
	if errors.Is(err, pgx.ErrNoRows) {
		return Preview{}, ErrNotFound
	}
	if err != nil {
		return Preview{}, fmt.Errorf("privacy: preview %d: %w", id, err)
	}
	p.IsAdmin = slices.Contains(roles, "admin")
	p.IsWorker = slices.Contains(roles, "worker")
	p.LastAdmin = p.IsAdmin && otherAdmins == 0
	return p, nil
}

// Delete removes account id in one transaction. What the person made for
// the neighbourhood stays, without their name; what is about them alone
// goes:
//   - each initiative they own stays with its longest-standing remaining
//     co-owner (who also becomes its creator), or is left without owner, shown
//     as by "een voormalig bewoner", its contact details erased;
//   - their support, offers of help, invitations to become co-owner,
//     talents, password resets and API tokens are deleted, and so are
//     their help requests and offers between neighbours and their answers
//     to others' (ON DELETE CASCADE; the conversations stay as above);
//   - the private notes of their street contacts and activities (and an
//     activity story they never shared) are erased; the entries stay as
//     anonymous counts;
//   - photos they uploaded belong to their initiative or place and stay
//     there (ON DELETE SET NULL drops the uploader; they hold no metadata);
//   - signals, responses, updates, status changes, reports, funding
//     requests and decisions, places, messages to other members and audit
//     entries stay: the foreign keys (ON DELETE SET NULL) drop the link to
//     the account; their places in conversations and their blocks go with
//     it (CASCADE), and a conversation nobody takes part in any more goes
//     too (a trigger).
//
// An administrator who is the only one left gets ErrLastAdmin.
func (s *Store) Delete(ctx context.Context, id int64) (Result, error) {
	var res Result
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// Lock the account and every administrator in one order, so two
		// administrators deleting themselves at once cannot both succeed
		// (nor deadlock).
		rows, err := tx.Query(ctx, `SELECT id, 'admin' = ANY(roles) FROM accounts WHERE id = $1 OR 'admin' = ANY(roles) ORDER BY id FOR UPDATE`, id)
		if err != nil {
			return err
		}
		found, isAdmin, admins := false, false, 0
		var rowID int64
		var admin bool
		if _, err := pgx.ForEachRow(rows, []any{&rowID, &admin}, func() error {
			if rowID == id {
				found, isAdmin = true, admin
			}
			if admin {
				admins++
			}
			return nil
		}); err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		if isAdmin && admins == 1 {
			return ErrLastAdmin
		}

		// Lock the owned initiatives (in id order) before choosing heirs, so
		// two co-owners leaving at the same moment cannot each count on the
		// other.
		if _, err := tx.Exec(ctx, `SELECT id FROM initiatives WHERE id IN (SELECT initiative_id FROM initiative_owners WHERE account_id = $1) ORDER BY id FOR UPDATE`, id); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `
			SELECT o.initiative_id, heir.account_id
			FROM initiative_owners o
			LEFT JOIN LATERAL (
				SELECT c.account_id FROM initiative_owners c
				WHERE c.initiative_id = o.initiative_id AND c.account_id <> $1
				ORDER BY c.added_at, c.account_id LIMIT 1) heir ON true
			WHERE o.account_id = $1`, id)
		if err != nil {
			return err
		}
		var passed, heirs, orphaned []int64
		var initiative int64
		var heir *int64
		if _, err := pgx.ForEachRow(rows, []any{&initiative, &heir}, func() error {
			if heir != nil {
				passed, heirs = append(passed, initiative), append(heirs, *heir)
			} else {
				orphaned = append(orphaned, initiative)
			}
			return nil
		}); err != nil {
			return err
		}
		res.PassedOn, res.Anonymous = len(passed), len(orphaned)
		// The heir becomes the creator where the leaver was; the creation's
		// idempotency key has done its work and could clash with the heir's own.
		if _, err := tx.Exec(ctx, `
			UPDATE initiatives i SET created_by = h.heir, idempotency_key = NULL
			FROM unnest($2::bigint[], $3::bigint[]) AS h(id, heir)
			WHERE i.id = h.id AND i.created_by = $1`, id, passed, heirs); err != nil {
			return err
		}
		// Without an owner nobody answers the contact details, and they are
		// most likely the leaver's own phone number or address.
		if _, err := tx.Exec(ctx, `
			UPDATE initiatives SET contact_details = '', contact_preference = 'platform', version = version + 1, updated_at = now()
			WHERE id = ANY($1::bigint[])`, orphaned); err != nil {
			return err
		}

		steps := []string{
			`DELETE FROM initiative_owners WHERE account_id = $1`,
			`DELETE FROM initiative_supporters WHERE account_id = $1`,
			// Invitations to their address: they keep no account id, only its hash.
			`DELETE FROM initiative_invitations
			 WHERE email_hash = (SELECT sha256(convert_to(lower(email::text), 'UTF8')) FROM accounts WHERE id = $1)`,
			`DELETE FROM initiative_offers WHERE account_id = $1`,
			`DELETE FROM assets WHERE created_by = $1 AND kind = 'talent'`,
			`UPDATE contacts SET note = NULL, note_erased_at = now() WHERE worker_id = $1 AND note IS NOT NULL`,
			`UPDATE activities SET note = '', note_written_at = NULL,
			        story = CASE WHEN story_shared_at IS NULL THEN '' ELSE story END
			 WHERE created_by = $1 AND (note <> '' OR (story <> '' AND story_shared_at IS NULL))`,
			`DELETE FROM password_resets WHERE account_id = $1`,
			`DELETE FROM api_tokens WHERE account_id = $1`,
		}
		for _, q := range steps {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return err
			}
		}
		// Their sign-ups go; a place they held goes to the first on the
		// waiting list, who is told (as after a cancellation). Events they
		// published stay for the neighbourhood, without their name.
		if err := s.events.LeaveAll(ctx, tx, id); err != nil {
			return err
		}
		// The deletion itself is on the trail; its actor becomes NULL with the account.
		detail := fmt.Sprintf("account verwijderd door de gebruiker; %d initiatieven overgedragen, %d zonder eigenaar", res.PassedOn, res.Anonymous)
		if err := audit.RecordTx(ctx, tx, id, "account.delete", "account", id, detail); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, id)
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrLastAdmin):
		return Result{}, err
	case err != nil:
		return Result{}, fmt.Errorf("privacy: delete %d: %w", id, err)
	}
	return res, nil
}

// PasswordHash returns the account's password hash, to check the password
// the person typed to confirm the deletion.
func (s *Store) PasswordHash(ctx context.Context, id int64) (string, error) {
	var hash string
	err := s.db.QueryRow(ctx, `SELECT password_hash FROM accounts WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("privacy: password of %d: %w", id, err)
	}
	return hash, nil
}

// filename is the download's name, dated in the Netherlands.
func filename(t time.Time) string {
	return "buurtkracht-gegevens-" + t.In(dutch.Amsterdam).Format("2006-01-02") + ".json"
}
