package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/activity"
	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
)

// job is periodic housekeeping of the server process. run returns how many
// rows it changed.
type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) (int64, error)
}

// jobs are the app's housekeeping jobs. Every instance runs them; they are
// idempotent statements, so two instances doing the same sweep is harmless.
func (a *App) jobs() []job {
	retention := a.cfg.NotesRetention
	return []job{
		// Private notes are kept no longer than NOTES_RETENTION: at
		// start, so a server that was down for a while catches up, then hourly.
		{"erase expired contact notes", time.Hour, func(ctx context.Context) (int64, error) {
			return contact.EraseExpiredNotes(ctx, a.db, retention)
		}},
		{"erase expired activity notes", time.Hour, func(ctx context.Context) (int64, error) {
			return activity.NewStore(a.db).EraseNotesBefore(ctx, time.Now().Add(-retention))
		}},
		{"delete expired sessions", 10 * time.Minute, a.store.Sweep},
		// Notifications are kept NOTIFICATIONS_RETENTION (default 180 days).
		{"purge old notifications", time.Hour, func(ctx context.Context) (int64, error) {
			return notify.Purge(ctx, a.db, time.Now().Add(-a.cfg.NotificationsRetention))
		}},
		// Reminders a day before an event, once per event (internal/event).
		{"send event reminders", 10 * time.Minute, a.features.events.SendReminders},
		// Overdue accounts of granted applications: one reminder each (internal/fund).
		{"remind overdue funding accounts", time.Hour, a.features.followUp.RemindOverdue},
		{"delete ended rate limit windows", 15 * time.Minute, func(ctx context.Context) (int64, error) {
			return ratelimit.Sweep(ctx, a.db, time.Now())
		}},
	}
}

// runEvery runs j at once and then every j.every until ctx ends. It logs
// how many rows a run changed, never what they held.
func runEvery(ctx context.Context, j job) {
	t := time.NewTicker(j.every)
	defer t.Stop()
	for {
		n, err := j.run(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.WarnContext(ctx, "background job failed", "job", j.name, "err", err)
		case n > 0:
			slog.InfoContext(ctx, "background job", "job", j.name, "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
