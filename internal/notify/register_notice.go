package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
)

// RegisterNoticeArgs is the job that tells the owner of an address that
// someone tried to register a new account with it. Registration queues it
// in the transaction that found the address taken, so a crash cannot lose
// it, and the visitor's answer waits for no mail server.
type RegisterNoticeArgs struct {
	AccountID int64 `json:"account_id"`
}

// Kind implements river.JobArgs.
func (RegisterNoticeArgs) Kind() string { return "account_register_notice" }

// InsertOpts: not unique, every attempt is news; the worker's rate limit
// keeps the number in bounds.
func (RegisterNoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts}
}

// QueueRegisterNotice queues the notice for account inside tx.
func QueueRegisterNotice(ctx context.Context, tx pgx.Tx, accountID int64) error {
	if _, err := inserter().InsertTx(ctx, tx, RegisterNoticeArgs{AccountID: accountID}, nil); err != nil {
		return fmt.Errorf("notify: queue registration notice for %d: %w", accountID, err)
	}
	return nil
}

// Registration notices per address per hour: the owner hears of an attempt
// without a flood when someone keeps trying (the form must not become a way
// to fill someone's inbox).
const registerNoticesPerAddress = 3

type registerNoticeWorker struct {
	river.WorkerDefaults[RegisterNoticeArgs]
	m     *Mailer
	limit *ratelimit.Limiter
}

func newRegisterNoticeWorker(m *Mailer) *registerNoticeWorker {
	return &registerNoticeWorker{m: m, limit: ratelimit.New(m.DB, "register-notice", registerNoticesPerAddress, time.Hour)}
}

// Work mails the notice unless the address had its share this hour; a
// deleted account gets nothing. The limit counts on the first attempt only,
// so a retry after an SMTP failure still sends. Delivery key and lock as
// for the confirmation mail.
func (w *registerNoticeWorker) Work(ctx context.Context, job *river.Job[RegisterNoticeArgs]) error {
	key := "r-" + strconv.FormatInt(job.ID, 10)
	return pgx.BeginFunc(ctx, w.m.DB, func(tx pgx.Tx) error {
		r, err := lockRecipient(ctx, tx, key, job.Args.AccountID)
		if errors.Is(err, pgx.ErrNoRows) {
			return complete(ctx, tx, job)
		}
		if err != nil {
			return err
		}
		if job.Attempt == 1 {
			ok, _, err := w.limit.Allow(ctx, strings.ToLower(r.Email))
			if err != nil {
				return err
			}
			if !ok {
				return complete(ctx, tx, job)
			}
		}
		msg := mail.Message{
			To:      r.Email,
			Subject: msgRegisterNoticeSubject,
			Body:    registerNoticeBody(r.Name, w.m.BaseURL+"/inloggen", w.m.BaseURL+"/wachtwoord-vergeten"),
			ID:      key,
		}
		return w.m.deliver(ctx, tx, key, msg, nil, jobOf[RegisterNoticeArgs]{job})
	})
}

// lockRecipient takes the advisory lock of the mail with delivery key, so a
// rescued job cannot send next to the original, and loads the account it
// goes to (pgx.ErrNoRows when it is gone).
func lockRecipient(ctx context.Context, tx pgx.Tx, key string, accountID int64) (recipient, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "mail:"+key); err != nil {
		return recipient{}, fmt.Errorf("notify: lock %s: %w", key, err)
	}
	var r recipient
	err := tx.QueryRow(ctx, `SELECT id, email::text, display_name, email_confirmed_at IS NOT NULL FROM accounts WHERE id = $1`,
		accountID).Scan(&r.ID, &r.Email, &r.Name, &r.Confirmed)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return recipient{}, fmt.Errorf("notify: recipient %d of %s: %w", accountID, key, err)
	}
	return r, err
}
