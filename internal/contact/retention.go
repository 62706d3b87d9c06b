package contact

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// RunRetention erases expired private notes now and then every interval
// until ctx ends. It logs how many notes it erased, never their text.
func RunRetention(ctx context.Context, db *pgxpool.Pool, retention, interval time.Duration) {
	run := func() {
		n, err := EraseExpiredNotes(ctx, db, retention)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.WarnContext(ctx, "note retention failed", "err", err)
		case n > 0:
			slog.InfoContext(ctx, "note retention: private notes erased", "count", n, "retention", retention.String())
		}
	}
	run()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			run()
		}
	}
}
