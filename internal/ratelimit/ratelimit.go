// Package ratelimit counts events per key (an IP address, an e-mail address)
// and says when a key has used up its allowance. It guards the login,
// registration and password-reset forms against guessing and floods.
//
// Each key gets a fixed window that starts at its first event; when the window
// has passed, the count starts again. The counts live in PostgreSQL (table
// rate_limits), so every instance of the platform shares one allowance, and
// a restart forgets nothing. A key is stored only as a SHA-256 hash.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Limiter allows limit events per key per window.
type Limiter struct {
	db     *pgxpool.Pool
	name   string // which limit: keeps equal keys of different limits apart
	limit  int
	window time.Duration
	now    func() time.Time
}

// Option adjusts a Limiter.
type Option func(*Limiter)

// WithClock replaces time.Now, for tests. The clock, not the database's,
// decides when windows start and end; instances keep their clocks in step (NTP).
func WithClock(now func() time.Time) Option {
	return func(l *Limiter) { l.now = now }
}

// New returns the limiter name of limit events per key per window. A limit
// below 1 is treated as 1.
func New(db *pgxpool.Pool, name string, limit int, window time.Duration, opts ...Option) *Limiter {
	l := &Limiter{db: db, name: name, limit: max(limit, 1), window: window, now: time.Now}
	for _, o := range opts {
		o(l)
	}
	return l
}

func (l *Limiter) hash(key string) []byte {
	h := sha256.New()
	h.Write([]byte(l.name))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return h.Sum(nil)
}

// count adds one event for key in one statement, so concurrent requests on
// any instance count exactly. A key whose window has ended starts afresh.
// With capped, the count stops at limit+1: refused events are not counted,
// so waiting out the window is always enough.
func (l *Limiter) count(ctx context.Context, key string, capped bool) (int, time.Time, error) {
	now := l.now()
	ceiling := int32(1 << 30)
	if capped {
		ceiling = int32(l.limit + 1)
	}
	var n int
	var expires time.Time
	err := l.db.QueryRow(ctx, `
		INSERT INTO rate_limits AS r (key, count, expires_at) VALUES ($1, 1, $3)
		ON CONFLICT (key) DO UPDATE SET
		    count      = CASE WHEN r.expires_at <= $2 THEN 1 ELSE least(r.count + 1, $4) END,
		    expires_at = CASE WHEN r.expires_at <= $2 THEN EXCLUDED.expires_at ELSE r.expires_at END
		RETURNING count, expires_at`,
		l.hash(key), now, now.Add(l.window), ceiling).Scan(&n, &expires)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("ratelimit %s: count: %w", l.name, err)
	}
	return n, expires, nil
}

// Allow counts one event for key. It reports whether the event is within
// the limit and, when it is not, how long until the key may try again.
func (l *Limiter) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	n, expires, err := l.count(ctx, key, true)
	if err != nil {
		return false, 0, err
	}
	if n > l.limit {
		return false, retryAfter(expires, l.now()), nil
	}
	return true, 0, nil
}

// Check reports whether key is still within its limit without counting an
// event, and how long until it may try again when it is not. Use it with Add
// to count only failures (such as wrong passwords).
func (l *Limiter) Check(ctx context.Context, key string) (bool, time.Duration, error) {
	now := l.now()
	var n int
	var expires time.Time
	err := l.db.QueryRow(ctx, `SELECT count, expires_at FROM rate_limits WHERE key = $1 AND expires_at > $2`,
		l.hash(key), now).Scan(&n, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return true, 0, nil
	}
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit %s: check: %w", l.name, err)
	}
	if n >= l.limit {
		return false, retryAfter(expires, now), nil
	}
	return true, 0, nil
}

// Add counts one event for key, also beyond the limit.
func (l *Limiter) Add(ctx context.Context, key string) error {
	_, _, err := l.count(ctx, key, false)
	return err
}

// Reset forgets key, for instance after a successful login.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if _, err := l.db.Exec(ctx, `DELETE FROM rate_limits WHERE key = $1`, l.hash(key)); err != nil {
		return fmt.Errorf("ratelimit %s: reset: %w", l.name, err)
	}
	return nil
}

// Sweep deletes the counters whose window ended before now, so a flood of
// distinct keys leaves nothing behind once its windows have passed.
func Sweep(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM rate_limits WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("ratelimit: sweep: %w", err)
	}
	return tag.RowsAffected(), nil
}

func retryAfter(expires, now time.Time) time.Duration {
	return max(expires.Sub(now), time.Second)
}

// ClientIP returns the client's address (r.RemoteAddr) as a limiter key. It
// reads no X-Forwarded-For itself, which any client can set; behind trusted
// proxies (TRUSTED_PROXIES) the app has already put the forwarded client
// address in RemoteAddr. IPv6 addresses are cut to their /64 network: one
// household or phone usually holds a whole /64 and could otherwise hop
// between addresses.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// RetryAfterSeconds formats d for the Retry-After header: whole seconds,
// rounded up.
func RetryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
