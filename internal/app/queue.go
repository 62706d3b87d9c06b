package app

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// newQueue builds the River client that works the jobs. Behind a
// transaction pooler it gets a small pool of its own on the direct URL:
// River's notifier holds one connection for LISTEN, which a pooler would
// hand to others between statements, losing the notifications. We chose
// that over River's poll-only mode, which would run everything through the
// pooler, because LISTEN lets a worker pick up a new job (and notice a
// leader that resigned) at once rather than after the next poll; it costs
// at most queuePoolSize+1 connections per instance past the pooler. The
// workers themselves and every insert of a job still use the main pool:
// jobs are inserted inside the feature's transaction (notify.Send), and
// their NOTIFY reaches the listener when that transaction commits,
// whichever server connection the pooler gave it.
func (a *App) newQueue(ctx context.Context, o notify.QueueOptions) (*river.Client[pgx.Tx], error) {
	db := a.db
	if a.cfg.BehindPooler() {
		pool, err := postgres.Open(ctx, a.cfg.DatabaseDirectURL, postgres.MaxConns(queuePoolSize))
		if err != nil {
			return nil, fmt.Errorf("app: job queue pool: %w", err)
		}
		a.queueDB, db = pool, pool
	}
	return notify.NewQueue(db, a.notices, o)
}

// queuePoolSize bounds the queue's own pool, for the producer's fetches,
// the completer and the leader's maintenance; River's listener takes one
// more connection out of it for good (pgxpool's Hijack), so an instance
// holds at most four direct connections.
const queuePoolSize = 3
