// Package ratelimit counts events per key (an IP address, an e-mail address)
// in memory and says when a key has used up its allowance. It guards the
// login, registration and password-reset forms against guessing and floods.
//
// Each key gets a fixed window that starts at its first event; when the window
// has passed, the count starts again. The limiter is safe for concurrent use
// and holds at most a fixed number of keys, so a flood of distinct keys cannot
// exhaust memory. Counts live in one process: with several app instances each
// counts on its own, which multiplies the allowance by the number of instances.
package ratelimit

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the keys one limiter holds (about 100 bytes each).
const DefaultMaxKeys = 100_000

// Limiter allows limit events per key per window.
type Limiter struct {
	limit   int
	window  time.Duration
	maxKeys int
	now     func() time.Time

	mu        sync.Mutex
	keys      map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	start time.Time // first event of the current window
	count int
}

// Option adjusts a Limiter.
type Option func(*Limiter)

// WithMaxKeys bounds the number of keys held (default DefaultMaxKeys).
func WithMaxKeys(n int) Option {
	return func(l *Limiter) {
		if n > 0 {
			l.maxKeys = n
		}
	}
}

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option {
	return func(l *Limiter) { l.now = now }
}

// New returns a limiter of limit events per key per window. A limit below 1
// is treated as 1.
func New(limit int, window time.Duration, opts ...Option) *Limiter {
	l := &Limiter{limit: max(limit, 1), window: window, maxKeys: DefaultMaxKeys, now: time.Now, keys: map[string]*bucket{}}
	for _, o := range opts {
		o(l)
	}
	l.lastSweep = l.now()
	return l
}

// Allow counts one event for key. It reports whether the event is within
// the limit and, when it is not, how long until the key may try again.
// Refused events are not counted, so waiting is always enough.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.current(key, now)
	if b != nil && b.count >= l.limit {
		return false, l.retryAfter(b, now)
	}
	l.add(key, b, now)
	return true, 0
}

// Check reports whether key is still within its limit without counting an
// event, and how long until it may try again when it is not. Use it with Add
// to count only failures (such as wrong passwords).
func (l *Limiter) Check(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.current(key, now)
	if b != nil && b.count >= l.limit {
		return false, l.retryAfter(b, now)
	}
	return true, 0
}

// Add counts one event for key, also beyond the limit.
func (l *Limiter) Add(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.add(key, l.current(key, now), now)
}

// Reset forgets key, for instance after a successful login.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// Len returns the number of keys held.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// current returns key's bucket when its window is still open.
func (l *Limiter) current(key string, now time.Time) *bucket {
	b, ok := l.keys[key]
	if !ok {
		return nil
	}
	if now.Sub(b.start) >= l.window {
		delete(l.keys, key)
		return nil
	}
	return b
}

func (l *Limiter) add(key string, b *bucket, now time.Time) {
	if b != nil {
		b.count++
		return
	}
	l.makeRoom(now)
	l.keys[key] = &bucket{start: now, count: 1}
}

// makeRoom drops expired windows once per window, or whenever the map is
// full; if every window is still open, it drops an arbitrary key (Go's map
// order is randomised, so an attacker cannot aim at a particular victim).
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.keys) < l.maxKeys && now.Sub(l.lastSweep) < l.window {
		return
	}
	l.lastSweep = now
	for k, b := range l.keys {
		if now.Sub(b.start) >= l.window {
			delete(l.keys, k)
		}
	}
	for k := range l.keys {
		if len(l.keys) < l.maxKeys {
			break
		}
		delete(l.keys, k)
	}
}

func (l *Limiter) retryAfter(b *bucket, now time.Time) time.Duration {
	d := b.start.Add(l.window).Sub(now)
	if d < time.Second {
		d = time.Second
	}
	return d
}

// ClientIP returns the client's address (r.RemoteAddr) as a limiter key. It
// reads no X-Forwarded-For itself, which any client can set; behind trusted
// proxies (TRUSTED_PROXIES) the app has already put the forwarded client
// address in RemoteAddr. IPv6 addresses are cut to their /64 network: one household or phone
// usually holds a whole /64 and could otherwise hop between addresses.
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
