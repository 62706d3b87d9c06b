package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// Outcomes of ConfirmEmailChange other than success. Both answer with the
// page for a link that does not work; neither says anything about another
// account.
var (
	// ErrChangeInvalid: no waiting change of this link (replaced by a newer
	// request, confirmed already, or ended by a new password), or its new
	// address was taken by another account in the meantime.
	ErrChangeInvalid = fault.Wrap(fault.ErrNotFound, "account: e-mail change invalid")
	// ErrChangeExpired: the change waited longer than its link works.
	ErrChangeExpired = fault.Wrap(fault.ErrGone, "account: e-mail change expired")
)

// keepEmailChanges is how long a change row stays after it was asked for:
// the notice to the old address reads it, and the privacy export shows it.
const keepEmailChanges = 8 * 24 * time.Hour

// EmailChange is a change of address waiting for its confirmation.
type EmailChange struct {
	NewEmail  string
	ExpiresAt time.Time
}

// RequestEmailChange records that account id wants newEmail as its address
// and queues the mails in the same transaction: the notice to the current
// address, and the link to the new one — or, when the new address belongs
// to another account, a notice to that account instead. The row is written
// either way, so the requester's pages look the same whether the address
// was free or taken. An earlier waiting change of the account is replaced
// (its link stops working). The audit entry names no address.
func (s *Store) RequestEmailChange(ctx context.Context, id int64, newEmail string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM email_changes WHERE account_id = $1 OR requested_at < now() - $2::interval`,
			id, keepEmailChanges); err != nil {
			return err
		}
		var changeID int64
		var taken bool
		err := tx.QueryRow(ctx, `
			INSERT INTO email_changes (account_id, old_email, new_email, expires_at)
			SELECT a.id, a.email, $2, now() + $3::interval FROM accounts a WHERE a.id = $1
			RETURNING id, EXISTS (SELECT 1 FROM accounts o WHERE o.email = $2 AND o.id <> $1)`,
			id, newEmail, notify.EmailChangeValidity).Scan(&changeID, &taken)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := notify.QueueEmailChange(ctx, tx, changeID, taken); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, id, "account.email_change", "account", id,
			"wijziging van het e-mailadres gevraagd; bevestigingslink naar het nieuwe adres gestuurd")
	})
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("account: request e-mail change of %d: %w", id, err)
	}
	return nil
}

// CancelEmailChange withdraws account id's waiting change: its link stops
// working and the old address stays. Nothing waiting is no error (a second
// click, or a change confirmed meanwhile, changes nothing).
func (s *Store) CancelEmailChange(ctx context.Context, id int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM email_changes WHERE account_id = $1 AND confirmed_at IS NULL`, id)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return audit.RecordTx(ctx, tx, id, "account.email_change_cancel", "account", id, "wijziging van het e-mailadres ingetrokken")
	})
	if err != nil {
		return fmt.Errorf("account: cancel e-mail change of %d: %w", id, err)
	}
	return nil
}

// PendingEmailChange returns account id's change that still waits for its
// confirmation; ok is false when there is none.
func (s *Store) PendingEmailChange(ctx context.Context, id int64) (EmailChange, bool, error) {
	var c EmailChange
	err := s.db.QueryRow(ctx, `SELECT new_email::text, expires_at FROM email_changes
		WHERE account_id = $1 AND confirmed_at IS NULL AND expires_at > now()`, id).Scan(&c.NewEmail, &c.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return EmailChange{}, false, nil
	}
	if err != nil {
		return EmailChange{}, false, fmt.Errorf("account: pending e-mail change of %d: %w", id, err)
	}
	return c, true, nil
}

// WaitingEmailChange reports whether change of account still waits: it
// exists, is unconfirmed and unexpired (else ErrChangeInvalid or
// ErrChangeExpired). The confirmation page asks it before showing its button.
func (s *Store) WaitingEmailChange(ctx context.Context, changeID, accountID int64) error {
	var expired bool
	err := s.db.QueryRow(ctx, `SELECT expires_at <= now() FROM email_changes
		WHERE id = $1 AND account_id = $2 AND confirmed_at IS NULL`, changeID, accountID).Scan(&expired)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ErrChangeInvalid
	case err != nil:
		return fmt.Errorf("account: e-mail change %d: %w", changeID, err)
	case expired:
		return ErrChangeExpired
	}
	return nil
}

// ConfirmEmailChange gives account its new address (confirmed: the link
// proved the mailbox) and marks the change confirmed, in one transaction
// with its audit entry. A change that no longer waits gives
// ErrChangeInvalid or ErrChangeExpired; so does a new address that another
// account took meanwhile (the account keeps its old one).
func (s *Store) ConfirmEmailChange(ctx context.Context, changeID, accountID int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var newEmail string
		var expired bool
		err := tx.QueryRow(ctx, `SELECT new_email::text, expires_at <= now() FROM email_changes
			WHERE id = $1 AND account_id = $2 AND confirmed_at IS NULL FOR UPDATE`, changeID, accountID).Scan(&newEmail, &expired)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return ErrChangeInvalid
		case err != nil:
			return err
		case expired:
			return ErrChangeExpired
		}
		// A savepoint: a taken address must not end the transaction.
		err = pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
			_, err := sp.Exec(ctx, `UPDATE accounts SET email = $2, email_confirmed_at = COALESCE(email_confirmed_at, now()) WHERE id = $1`,
				accountID, newEmail)
			return err
		})
		if postgres.IsUniqueViolation(err, "accounts_email_key") {
			return ErrChangeInvalid // the change stays unconfirmed until it expires
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE email_changes SET confirmed_at = now() WHERE id = $1`, changeID); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, accountID, "account.email", "account", accountID, "e-mailadres gewijzigd na bevestiging via het nieuwe adres")
	})
	if errors.Is(err, ErrChangeInvalid) || errors.Is(err, ErrChangeExpired) {
		return err
	}
	if err != nil {
		return fmt.Errorf("account: confirm e-mail change %d: %w", changeID, err)
	}
	return nil
}

// endEmailChanges drops account's waiting change of address, in the
// caller's transaction: a new password (changed or reset) means the
// account may have been in someone else's hands, and a change they asked
// for must not go through.
func endEmailChanges(ctx context.Context, tx pgx.Tx, accountID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM email_changes WHERE account_id = $1 AND confirmed_at IS NULL`, accountID); err != nil {
		return fmt.Errorf("end e-mail changes of %d: %w", accountID, err)
	}
	return nil
}
