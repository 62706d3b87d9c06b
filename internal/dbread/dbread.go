// Package dbread sends reads that may be a few seconds old to an optional
// streaming replica (DATABASE_READ_URL), and everything else to the primary.
//
// A Router holds both pools. A background check measures, every couple of
// seconds, whether the replica answers, is a standby, and how far its replay
// lags behind; only while it is healthy does Reader hand it out. A replica
// that is down at start-up, stops answering, is promoted or lags more than
// the limit costs the platform nothing but speed: reads go to the primary
// until it is healthy again. A request marked httpx.FreshReads (its client
// wrote a moment ago, or it writes itself) always reads the primary, so a
// writer sees their own write on the page after it.
package dbread

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// Defaults of Options.
const (
	DefaultMaxLag   = 30 * time.Second
	DefaultInterval = 2 * time.Second
)

// Options tunes Open. The zero value gives the defaults.
type Options struct {
	MaxLag   time.Duration // the replica is left alone beyond this lag (0: DefaultMaxLag)
	Interval time.Duration // time between checks (0: DefaultInterval)
	Logger   *slog.Logger  // state changes are logged here (nil: slog.Default())
}

// State says why the replica is or is not used.
type State int

// The states of a configured replica. Only Healthy sends reads to it.
const (
	Unchecked   State = iota // not checked yet (just started)
	Healthy                  // answers, is a standby, lags at most MaxLag
	Unreachable              // does not answer (down, wrong URL, refused)
	NotStandby               // answers but is not in recovery (promoted, or a primary)
	Lagging                  // lags more than MaxLag, or its lag cannot be told
)

// Status is the outcome of the latest check.
type Status struct {
	Configured bool          // a replica is set at all
	State      State         // meaningful when Configured
	Lag        time.Duration // replay lag; valid when LagKnown
	LagKnown   bool
	MaxLag     time.Duration
	Checked    time.Time // when the check ran (zero: not yet)
}

// Router picks the pool a read goes to. Its zero value is not usable: make
// one with New (primary only) or Open.
type Router struct {
	primary *pgxpool.Pool
	replica *pgxpool.Pool // nil: no replica configured
	maxLag  time.Duration
	every   time.Duration
	log     *slog.Logger

	status atomic.Pointer[Status]
	stop   context.CancelFunc
	done   chan struct{}
	close  sync.Once
}

// New returns a router without a replica: every read goes to primary.
func New(primary *pgxpool.Pool) *Router {
	r := &Router{primary: primary}
	r.status.Store(&Status{})
	return r
}

// Open returns a router that reads from the replica at url while it is
// healthy. It fails only when url cannot be parsed: a replica that does not
// answer yet is checked again in the background, and reads use the primary
// meanwhile. Close stops the check and closes the replica's pool (the
// primary's belongs to the caller).
func Open(ctx context.Context, primary *pgxpool.Pool, url string, o Options) (*Router, error) {
	if o.MaxLag <= 0 {
		o.MaxLag = DefaultMaxLag
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	// pgxpool connects lazily, so this does not wait for the replica.
	replica, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dbread: %w", err)
	}
	r := &Router{primary: primary, replica: replica, maxLag: o.MaxLag, every: o.Interval, log: o.Logger,
		done: make(chan struct{})}
	r.status.Store(&Status{Configured: true, State: Unchecked, MaxLag: o.MaxLag})
	cctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	r.stop = stop
	go r.watch(cctx)
	return r, nil
}

// Primary is the pool every write, and every read that must be current,
// goes to.
func (r *Router) Primary() *pgxpool.Pool { return r.primary }

// Reader returns the pool for a read that may lag a little: the replica
// while it is healthy and the request is not marked httpx.FreshReads, else
// the primary. Never use it in a transaction or for a write.
func (r *Router) Reader(ctx context.Context) *pgxpool.Pool {
	if r.replica == nil || httpx.FreshReads(ctx) || r.status.Load().State != Healthy {
		return r.primary
	}
	return r.replica
}

// Status returns the outcome of the latest check.
func (r *Router) Status() Status { return *r.status.Load() }

// Close stops the background check and closes the replica's pool.
func (r *Router) Close() {
	if r.replica == nil {
		return
	}
	r.close.Do(func() {
		r.stop()
		<-r.done
		r.replica.Close()
	})
}

// watch checks the replica at once and then every interval until ctx ends.
func (r *Router) watch(ctx context.Context) {
	defer close(r.done)
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		r.checkOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkOnce measures the replica and records the result, logging a change
// of state once rather than on every request that falls back.
func (r *Router) checkOnce(ctx context.Context) {
	next, err := r.measure(ctx)
	if ctx.Err() != nil {
		return // stopping: a cancelled query says nothing about the replica
	}
	prev := r.status.Swap(&next)
	if prev.State == next.State {
		return
	}
	if next.State == Healthy {
		r.log.Info("read replica in use", "lag", next.Lag.String())
		return
	}
	attrs := []any{"state", next.Describe()}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	r.log.Warn("read replica not in use, reading from the primary", attrs...)
}

// measure asks the replica whether it is a standby and how far behind it
// is. A standby that has replayed all the WAL it received while its WAL
// receiver runs is caught up: lag 0. The time since the last replayed
// commit would otherwise grow without end while the primary is idle. When
// it is behind, the lag is the age of the last commit it replayed.
func (r *Router) measure(ctx context.Context) (Status, error) {
	s := Status{Configured: true, MaxLag: r.maxLag}
	qctx, cancel := context.WithTimeout(ctx, max(r.every, 2*time.Second))
	defer cancel()
	var (
		inRecovery, caughtUp bool
		lagSeconds           *float64
	)
	err := r.replica.QueryRow(qctx, `
		SELECT pg_is_in_recovery(),
		       coalesce(pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn()
		                AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver), false),
		       extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8`).
		Scan(&inRecovery, &caughtUp, &lagSeconds)
	s.Checked = time.Now()
	switch {
	case err != nil:
		s.State = Unreachable
	case !inRecovery:
		s.State = NotStandby
		err = errors.New("not in recovery")
	case caughtUp:
		s.State, s.LagKnown = Healthy, true
	case lagSeconds == nil:
		s.State = Lagging // nothing replayed since it started: unknown
	default:
		s.Lag, s.LagKnown = time.Duration(max(*lagSeconds, 0)*float64(time.Second)), true
		s.State = Healthy
		if s.Lag > r.maxLag {
			s.State = Lagging
		}
	}
	return s, err
}

// Describe says in one line (Dutch, for /readyz) which database reads come
// from and why; "" when no replica is configured.
func (s Status) Describe() string {
	const fallback = "lezen van de primaire database"
	switch {
	case !s.Configured:
		return ""
	case s.State == Healthy:
		return "leesreplica: ok (achterstand " + seconds(s.Lag) + ")"
	case s.State == Unchecked:
		return "leesreplica: nog niet gecontroleerd, " + fallback
	case s.State == Unreachable:
		return "leesreplica: onbereikbaar, " + fallback
	case s.State == NotStandby:
		return "leesreplica: geen standby (niet in herstelmodus), " + fallback
	case !s.LagKnown:
		return "leesreplica: niet in gebruik, " + fallback + " (achterstand onbekend)"
	default:
		return "leesreplica: niet in gebruik, " + fallback + " (achterstand " + seconds(s.Lag) + " > " + seconds(s.MaxLag) + ")"
	}
}

// seconds writes d in seconds, rounded up to 10 ms below ten seconds and to
// 100 ms above: never less than it is, so a lag just over the limit does
// not read as equal to it.
func seconds(d time.Duration) string {
	unit := 10 * time.Millisecond
	if d >= 10*time.Second {
		unit = 100 * time.Millisecond
	}
	if r := d % unit; r != 0 {
		d += unit - r
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}
