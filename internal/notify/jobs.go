package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// MailArgs is the job that mails one notification at once.
type MailArgs struct {
	NotificationID int64 `json:"notification_id"`
}

// Kind implements river.JobArgs.
func (MailArgs) Kind() string { return "notify_mail" }

// InsertOpts makes a second job for the same notification a no-op.
func (MailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// DigestArgs is the job that mails one person's digest for one period.
type DigestArgs struct {
	AccountID int64  `json:"account_id"`
	Mode      Mode   `json:"mode"` // Daily or Weekly
	Slot      string `json:"slot"` // the date the period ends, e.g. "2026-12-06"
}

// Kind implements river.JobArgs.
func (DigestArgs) Kind() string { return "notify_digest" }

// InsertOpts: the planner runs every few minutes on every instance; one job
// per person and period survives.
func (DigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// PlanArgs is the periodic job that queues the digests that are due.
type PlanArgs struct{}

// Kind implements river.JobArgs.
func (PlanArgs) Kind() string { return "notify_plan_digests" }

// InsertOpts: one planner at a time is enough.
func (PlanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// maxAttempts: River backs off attempt⁴ seconds, so eight attempts span about
// an hour and a half of SMTP trouble before a mail ends as a visible failure.
const maxAttempts = 8

// Digests go out at this local time (Europe/Amsterdam); weekly ones on Monday.
const (
	DigestHour   = 7
	DigestMinute = 30
)

// Slots returns the end of the current daily and weekly digest periods at
// now: the latest 07:30 Dutch time, and the latest Monday 07:30.
func Slots(now time.Time) (daily, weekly time.Time) {
	l := now.In(dutch.Amsterdam)
	daily = time.Date(l.Year(), l.Month(), l.Day(), DigestHour, DigestMinute, 0, 0, dutch.Amsterdam)
	if daily.After(l) {
		daily = daily.AddDate(0, 0, -1)
	}
	back := (int(daily.Weekday()) + 6) % 7 // days since Monday
	weekly = daily.AddDate(0, 0, -back)
	return daily, weekly
}

// Mailer is what the workers need to send and link.
type Mailer struct {
	DB      *pgxpool.Pool
	Sender  mail.Sender
	Signer  *signedlink.Signer
	BaseURL string
	Now     func() time.Time // for tests; time.Now when nil
}

func (m *Mailer) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// QueueOptions tune the job queue (tests shorten the timeouts).
type QueueOptions struct {
	Workers      int           // concurrent jobs; default 4
	JobTimeout   time.Duration // default 1 minute
	RescueAfter  time.Duration // a job running this long is taken as crashed; default 5 minutes
	PollInterval time.Duration // default 1 s
	PlanEvery    time.Duration // how often the digest planner runs; default 5 minutes
	Logger       *slog.Logger
}

// NewQueue returns the River client that works the notification jobs. It
// inserts jobs too, but features use Send, which needs no client.
func NewQueue(db *pgxpool.Pool, m *Mailer, o QueueOptions) (*river.Client[pgx.Tx], error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &mailWorker{m: m})
	river.AddWorker(workers, &digestWorker{m: m})
	river.AddWorker(workers, &planWorker{m: m})
	river.AddWorker(workers, &confirmWorker{m: m})
	river.AddWorker(workers, newRegisterNoticeWorker(m))
	river.AddWorker(workers, newEmailChangeWorker(m))
	cfg := &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: or(o.Workers, 4)}},
		Workers:              workers,
		JobTimeout:           or(o.JobTimeout, time.Minute),
		RescueStuckJobsAfter: or(o.RescueAfter, 5*time.Minute),
		FetchPollInterval:    or(o.PollInterval, time.Second),
		Logger:               o.Logger,
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(or(o.PlanEvery, 5*time.Minute)),
			func() (river.JobArgs, *river.InsertOpts) { return PlanArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})},
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c, err := river.NewClient(riverpgxv5.New(db), cfg)
	if err != nil {
		return nil, fmt.Errorf("notify: river client: %w", err)
	}
	return c, nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	m *Mailer
}

// Work mails one notification. The delivery key is written and the job
// completed in one transaction after the SMTP server accepted the mail; a
// retry after a crash finds the key (or the mailed_at) and sends nothing.
func (w *mailWorker) Work(ctx context.Context, job *river.Job[MailArgs]) error {
	return pgx.BeginFunc(ctx, w.m.DB, func(tx pgx.Tx) error {
		var r recipient
		var n Notification
		var mailed *time.Time
		var mode Mode
		err := tx.QueryRow(ctx, `
			SELECT n.id, n.category, n.link, n.body, n.created_at, n.mailed_at,
			       a.id, a.email::text, a.display_name, a.email_confirmed_at IS NOT NULL,
			       COALESCE(p.mode, `+defaultModeSQL("n.category")+`)
			FROM notifications n
			JOIN accounts a ON a.id = n.recipient_id
			LEFT JOIN notification_preferences p ON p.account_id = n.recipient_id AND p.category = n.category
			WHERE n.id = $1
			FOR UPDATE OF n`, job.Args.NotificationID).Scan(&n.ID, &n.Category, &n.Link, &n.Text, &n.CreatedAt, &mailed,
			&r.ID, &r.Email, &r.Name, &r.Confirmed, &mode)
		if errors.Is(err, pgx.ErrNoRows) {
			// Purged, or the account is gone: nothing to send.
			return complete(ctx, tx, job)
		}
		if err != nil {
			return fmt.Errorf("notify: load notification %d: %w", job.Args.NotificationID, err)
		}
		// The person may have changed their mind, or lost their confirmation,
		// since the job was queued; a digest picks it up if they chose one.
		if mailed != nil || !r.Confirmed || mode != Direct {
			return complete(ctx, tx, job)
		}
		key := "n-" + strconv.FormatInt(n.ID, 10)
		msg, err := w.m.single(ctx, r, n, key)
		if err != nil {
			return err
		}
		return w.m.deliver(ctx, tx, key, msg, []int64{n.ID}, jobOf[MailArgs]{job})
	})
}

type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	m *Mailer
}

// Work mails one digest: every notification of the person's categories in
// this mode that is neither mailed nor read and older than the slot's end.
// Nothing of that kind means no mail.
func (w *digestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	a := job.Args
	end, err := slotEnd(a.Slot)
	if err != nil {
		return fmt.Errorf("notify: digest slot %q: %w", a.Slot, err)
	}
	return pgx.BeginFunc(ctx, w.m.DB, func(tx pgx.Tx) error {
		var r recipient
		err := tx.QueryRow(ctx, `SELECT id, email::text, display_name, email_confirmed_at IS NOT NULL FROM accounts WHERE id = $1`,
			a.AccountID).Scan(&r.ID, &r.Email, &r.Name, &r.Confirmed)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !r.Confirmed) {
			return complete(ctx, tx, job)
		}
		if err != nil {
			return fmt.Errorf("notify: digest recipient %d: %w", a.AccountID, err)
		}
		rows, err := tx.Query(ctx, `
			SELECT n.id, n.category, n.link, n.body, n.created_at FROM notifications n
			LEFT JOIN notification_preferences p ON p.account_id = n.recipient_id AND p.category = n.category
			WHERE n.recipient_id = $1 AND n.mailed_at IS NULL AND n.read_at IS NULL AND n.created_at < $2
			  AND `+effectiveModeSQL+` = $3
			ORDER BY n.created_at, n.id
			FOR UPDATE OF n`, a.AccountID, end, a.Mode)
		if err != nil {
			return fmt.Errorf("notify: digest of %d: %w", a.AccountID, err)
		}
		notes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Notification])
		if err != nil {
			return fmt.Errorf("notify: digest of %d: %w", a.AccountID, err)
		}
		if len(notes) == 0 {
			return complete(ctx, tx, job)
		}
		key := fmt.Sprintf("d-%d-%s-%s", a.AccountID, a.Mode, a.Slot)
		msg, err := w.m.digest(ctx, r, a.Mode, notes, key)
		if err != nil {
			return err
		}
		ids := make([]int64, len(notes))
		for i, n := range notes {
			ids[i] = n.ID
		}
		return w.m.deliver(ctx, tx, key, msg, ids, jobOf[DigestArgs]{job})
	})
}

// effectiveModeSQL is a notification's mode for mail: the person's choice or
// the default, with digest-only notifications of a direct category going in
// the daily digest.
var effectiveModeSQL = `(CASE WHEN n.digest_only AND COALESCE(p.mode, ` + defaultModeSQL("n.category") + `) = 'direct' THEN 'dagelijks'
	ELSE COALESCE(p.mode, ` + defaultModeSQL("n.category") + `) END)`

func slotEnd(slot string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, slot, dutch.Amsterdam)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), DigestHour, DigestMinute, 0, 0, dutch.Amsterdam), nil
}

type planWorker struct {
	river.WorkerDefaults[PlanArgs]
	m *Mailer
}

// Work queues the digests that are due now.
func (w *planWorker) Work(ctx context.Context, _ *river.Job[PlanArgs]) error {
	_, err := w.m.PlanDigests(ctx, w.m.now())
	return err
}

// PlanDigests queues a digest job for every confirmed person with unmailed,
// unread notifications in a digest mode from before the current slot. Jobs
// are unique per person, mode and slot, so planning twice (or on two
// instances) queues each digest once. It returns how many it queued.
func (m *Mailer) PlanDigests(ctx context.Context, now time.Time) (int, error) {
	daily, weekly := Slots(now)
	var queued int
	err := pgx.BeginFunc(ctx, m.DB, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT DISTINCT n.recipient_id, `+effectiveModeSQL+` AS mode
			FROM notifications n
			JOIN accounts a ON a.id = n.recipient_id AND a.email_confirmed_at IS NOT NULL
			LEFT JOIN notification_preferences p ON p.account_id = n.recipient_id AND p.category = n.category
			WHERE n.mailed_at IS NULL AND n.read_at IS NULL
			  AND ((`+effectiveModeSQL+` = 'dagelijks' AND n.created_at < $1)
			    OR (`+effectiveModeSQL+` = 'wekelijks' AND n.created_at < $2))`, daily, weekly)
		if err != nil {
			return err
		}
		type due struct {
			Account int64
			Mode    Mode
		}
		list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[due])
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return nil
		}
		params := make([]river.InsertManyParams, len(list))
		for i, d := range list {
			slot := daily
			if d.Mode == Weekly {
				slot = weekly
			}
			params[i] = river.InsertManyParams{Args: DigestArgs{AccountID: d.Account, Mode: d.Mode, Slot: slot.Format(time.DateOnly)}}
		}
		res, err := inserter().InsertManyTx(ctx, tx, params)
		for _, r := range res {
			if !r.UniqueSkippedAsDuplicate {
				queued++
			}
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("notify: plan digests: %w", err)
	}
	return queued, nil
}

// deliver sends msg unless its key was delivered before, then records the
// key, marks the notifications mailed and completes the job, all in tx.
func (m *Mailer) deliver(ctx context.Context, tx pgx.Tx, key string, msg mail.Message, ids []int64, job jobRow) error {
	var sent bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mail_deliveries WHERE key = $1)`, key).Scan(&sent); err != nil {
		return fmt.Errorf("notify: delivery %s: %w", key, err)
	}
	if !sent {
		if err := m.Sender.Send(ctx, msg); err != nil {
			return fmt.Errorf("notify: send %s: %w", key, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO mail_deliveries (key) VALUES ($1) ON CONFLICT DO NOTHING`, key); err != nil {
			return fmt.Errorf("notify: record delivery %s: %w", key, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE notifications SET mailed_at = now() WHERE id = ANY($1) AND mailed_at IS NULL`, ids); err != nil {
		return fmt.Errorf("notify: mark mailed %s: %w", key, err)
	}
	return job.completeTx(ctx, tx)
}

// jobRow lets deliver complete a job of any argument type.
type jobRow interface {
	completeTx(ctx context.Context, tx pgx.Tx) error
}

type jobOf[T river.JobArgs] struct{ j *river.Job[T] }

func (j jobOf[T]) completeTx(ctx context.Context, tx pgx.Tx) error {
	_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, j.j)
	return err
}

func complete[T river.JobArgs](ctx context.Context, tx pgx.Tx, j *river.Job[T]) error {
	return jobOf[T]{j}.completeTx(ctx, tx)
}
