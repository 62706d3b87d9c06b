package fund

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// FollowUpApplication is a granted (or other) application as its owners
// and the funder's staff see it after the decision.
type FollowUpApplication struct {
	ID              int64
	InitiativeID    int64
	InitiativeTitle string
	FundID          int64
	FundName        string
	Status          FollowUpStatus
	AmountCents     int64
	GrantedCents    int64
	Conditions      string
	PaidCents       int64
	LastPaidOn      *time.Time
	ReceiptsAsked   bool
	AccountDueDays  int
	Accounted       bool
	// Staff: the viewer manages the fund; Owner: the viewer owns the initiative.
	Staff, Owner bool
}

// RemainingCents is what is granted and not yet paid.
func (a FollowUpApplication) RemainingCents() int64 { return a.GrantedCents - a.PaidCents }

// AccountDue is when the account is due: the last payout plus the fund's
// days; nil before any payout.
func (a FollowUpApplication) AccountDue() *time.Time {
	if a.LastPaidOn == nil {
		return nil
	}
	d := a.LastPaidOn.AddDate(0, 0, a.AccountDueDays)
	return &d
}

// FollowUpApplication loads application id for viewer, who must manage
// its fund or own its initiative (else ErrNotFound: nobody else learns it
// exists through these pages).
func (s *FollowUpStore) FollowUpApplication(ctx context.Context, id, viewer int64) (FollowUpApplication, error) {
	var a FollowUpApplication
	err := s.db.QueryRow(ctx, `
		SELECT r.id, r.initiative_id, i.title, f.id, f.name, r.status, r.amount_cents, COALESCE(r.granted_cents, 0), r.conditions,
		       COALESCE((SELECT sum(p.amount_cents) FROM funding_payouts p WHERE p.request_id = r.id), 0)::bigint,
		       (SELECT max(p.paid_on) FROM funding_payouts p WHERE p.request_id = r.id),
		       f.receipts_required, f.account_due_days,
		       EXISTS (SELECT 1 FROM funding_accounts fa WHERE fa.request_id = r.id),
		       `+followUpStaffSQL("$2")+`,
		       EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $2)
		FROM funding_requests r
		JOIN funds f ON f.id = r.fund_id
		JOIN initiatives i ON i.id = r.initiative_id
		WHERE r.id = $1`, id, viewer).Scan(&a.ID, &a.InitiativeID, &a.InitiativeTitle, &a.FundID, &a.FundName, &a.Status,
		&a.AmountCents, &a.GrantedCents, &a.Conditions, &a.PaidCents, &a.LastPaidOn, &a.ReceiptsAsked, &a.AccountDueDays,
		&a.Accounted, &a.Staff, &a.Owner)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !a.Staff && !a.Owner) {
		return FollowUpApplication{}, fault.Wrap(fault.ErrNotFound, "fund: no such application for the viewer")
	}
	if err != nil {
		return a, fmt.Errorf("fund: follow-up application %d: %w", id, err)
	}
	return a, nil
}

// Payout is one instalment paid on an application.
type Payout struct {
	AmountCents int64
	PaidOn      time.Time
	Note        string
	RecordedBy  string
}

// Payouts lists the payouts of application id, in the order paid. The
// caller checked the viewer's access (FollowUpApplication).
func (s *FollowUpStore) Payouts(ctx context.Context, id int64) ([]Payout, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.amount_cents, p.paid_on, p.note, COALESCE(a.display_name, 'een voormalige medewerker')
		FROM funding_payouts p LEFT JOIN accounts a ON a.id = p.recorded_by
		WHERE p.request_id = $1 ORDER BY p.paid_on, p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("fund: payouts of %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Payout])
	if err != nil {
		return nil, fmt.Errorf("fund: payouts of %d: %w", id, err)
	}
	return list, nil
}

// PayoutTooMuch tells how much may still be paid when a payout would take
// the payouts above the granted amount.
type PayoutTooMuch struct{ RemainingCents int64 }

func (e PayoutTooMuch) Error() string { return payoutErrTooMuch.Error() }
func (e PayoutTooMuch) Unwrap() error { return payoutErrTooMuch }

// RecordPayout records a payout of amount on application id by viewer,
// who must manage its fund. The application's row is locked, so two
// payouts at the same moment can never together exceed what was granted
// (PayoutTooMuch). A resubmitted form (the same key) records nothing new.
// The owners hear of it.
func (s *FollowUpStore) RecordPayout(ctx context.Context, id, viewer, amount int64, paidOn time.Time, note, key string) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var granted *int64
		var initiative int64
		var title string
		err := tx.QueryRow(ctx, `
			SELECT r.granted_cents, r.initiative_id, i.title
			FROM funding_requests r JOIN funds f ON f.id = r.fund_id JOIN initiatives i ON i.id = r.initiative_id
			WHERE r.id = $1 AND `+followUpStaffSQL("$2")+`
			FOR UPDATE OF r`, id, viewer).Scan(&granted, &initiative, &title)
		if errors.Is(err, pgx.ErrNoRows) {
			return fault.Wrap(fault.ErrNotFound, "fund: payout on an application the viewer does not manage")
		}
		if err != nil {
			return fmt.Errorf("fund: payout on %d: %w", id, err)
		}
		var seen bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM funding_payouts WHERE idempotency_key = $1)`, key).Scan(&seen); err != nil {
			return fmt.Errorf("fund: payout on %d: %w", id, err)
		}
		if seen {
			return nil // the same form, sent twice
		}
		if granted == nil {
			return payoutErrNotGranted
		}
		var paid int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(sum(amount_cents), 0)::bigint FROM funding_payouts WHERE request_id = $1`, id).Scan(&paid); err != nil {
			return fmt.Errorf("fund: payout on %d: %w", id, err)
		}
		if paid+amount > *granted {
			return PayoutTooMuch{RemainingCents: *granted - paid}
		}
		var payout int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO funding_payouts (request_id, amount_cents, paid_on, note, recorded_by, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, amount, paidOn, note, viewer, key).Scan(&payout); err != nil {
			return fmt.Errorf("fund: payout on %d: %w", id, err)
		}
		if err := audit.RecordTx(ctx, tx, viewer, "funding.payout", "funding_request", id, money.Format(amount)); err != nil {
			return err
		}
		owners, err := followUpOwners(ctx, tx, initiative)
		if err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: followUpApplicationPath(id, "verantwoording"),
			Text: payoutNote(title, amount), Actor: viewer}, owners)
	})
}

func followUpOwners(ctx context.Context, tx pgx.Tx, initiative int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT account_id FROM initiative_owners WHERE initiative_id = $1`, initiative)
	if err != nil {
		return nil, fmt.Errorf("fund: owners of %d: %w", initiative, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("fund: owners of %d: %w", initiative, err)
	}
	return ids, nil
}

// AccountAnswers is the light account: three questions and what the money
// went to.
type AccountAnswers struct {
	WhatHappened string
	WhoTookPart  string
	WhatBrought  string
	SpentOn      string
	SubmittedBy  string
	SubmittedAt  time.Time
}

// Account returns the account of application id, or nil when none was
// given. The caller checked the viewer's access (FollowUpApplication).
func (s *FollowUpStore) Account(ctx context.Context, id int64) (*AccountAnswers, error) {
	var a AccountAnswers
	err := s.db.QueryRow(ctx, `
		SELECT fa.what_happened, fa.who_took_part, fa.what_brought, fa.spent_on,
		       COALESCE(ac.display_name, 'een voormalig bewoner'), fa.submitted_at
		FROM funding_accounts fa LEFT JOIN accounts ac ON ac.id = fa.submitted_by
		WHERE fa.request_id = $1`, id).Scan(&a.WhatHappened, &a.WhoTookPart, &a.WhatBrought, &a.SpentOn, &a.SubmittedBy, &a.SubmittedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fund: account of %d: %w", id, err)
	}
	return &a, nil
}

// GiveAccount stores the account of application id by viewer, an owner of
// its initiative, once the application is granted; once per application
// (accountErrTwice). The funder's staff hear of it.
func (s *FollowUpStore) GiveAccount(ctx context.Context, id, viewer int64, a AccountAnswers) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var status FollowUpStatus
		var fund int64
		var title string
		err := tx.QueryRow(ctx, `
			SELECT r.status, r.fund_id, i.title FROM funding_requests r JOIN initiatives i ON i.id = r.initiative_id
			WHERE r.id = $1 AND EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $2)
			FOR UPDATE OF r`, id, viewer).Scan(&status, &fund, &title)
		if errors.Is(err, pgx.ErrNoRows) {
			return fault.Wrap(fault.ErrNotFound, "fund: account by someone not an owner")
		}
		if err != nil {
			return fmt.Errorf("fund: account of %d: %w", id, err)
		}
		if status != FollowUpGranted {
			return accountErrNotYet
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO funding_accounts (request_id, what_happened, who_took_part, what_brought, spent_on, submitted_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id) DO NOTHING`,
			id, a.WhatHappened, a.WhoTookPart, a.WhatBrought, a.SpentOn, viewer)
		if err != nil {
			return fmt.Errorf("fund: account of %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return accountErrTwice
		}
		rows, err := tx.Query(ctx, followUpStaffRecipientsSQL, fund)
		if err != nil {
			return fmt.Errorf("fund: account of %d: %w", id, err)
		}
		staff, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("fund: account of %d: %w", id, err)
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: followUpApplicationPath(id, "verantwoording"),
			Text: accountGivenNote(title), Actor: viewer}, staff)
	})
}

// AccountRemindOverdue reminds the owners of every granted application
// whose account is overdue (the last payout plus the fund's
// account_due_days passed, no account), once per application
// (account_reminded_at). Rows another instance is reminding are skipped.
func (s *FollowUpStore) AccountRemindOverdue(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT r.id, r.initiative_id, i.title
			FROM funding_requests r
			JOIN funds f ON f.id = r.fund_id
			JOIN initiatives i ON i.id = r.initiative_id
			JOIN LATERAL (SELECT max(p.paid_on) AS last FROM funding_payouts p WHERE p.request_id = r.id) lp ON true
			WHERE r.status = 'toegekend' AND r.account_reminded_at IS NULL AND lp.last IS NOT NULL
			  AND lp.last + f.account_due_days < ($1::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date
			  AND NOT EXISTS (SELECT 1 FROM funding_accounts fa WHERE fa.request_id = r.id)
			ORDER BY r.id LIMIT 200
			FOR UPDATE OF r SKIP LOCKED`, now)
		if err != nil {
			return err
		}
		type due struct {
			ID, Initiative int64
			Title          string
		}
		list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[due])
		if err != nil {
			return err
		}
		for _, d := range list {
			if _, err := tx.Exec(ctx, `UPDATE funding_requests SET account_reminded_at = $2 WHERE id = $1`, d.ID, now); err != nil {
				return err
			}
			owners, err := followUpOwners(ctx, tx, d.Initiative)
			if err != nil {
				return err
			}
			if err := notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: followUpApplicationPath(d.ID, "verantwoording"),
				Text: accountReminderNote(d.Title)}, owners); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("fund: account reminders: %w", err)
	}
	return n, nil
}
