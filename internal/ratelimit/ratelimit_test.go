package ratelimit_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func allow(t *testing.T, l *ratelimit.Limiter, key string) (bool, time.Duration) {
	t.Helper()
	ok, retry, err := l.Allow(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return ok, retry
}

func check(t *testing.T, l *ratelimit.Limiter, key string) (bool, time.Duration) {
	t.Helper()
	ok, retry, err := l.Check(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return ok, retry
}

func TestAllowWindowAndRetryAfter(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	l := ratelimit.New(testkit.NewPool(t), "login-ip", 3, 15*time.Minute, ratelimit.WithClock(clock.Now))
	for i := range 3 {
		if ok, _ := allow(t, l, "a"); !ok {
			t.Fatalf("event %d refused", i+1)
		}
		clock.Advance(time.Minute)
	}
	ok, retry := allow(t, l, "a")
	if ok || retry != 12*time.Minute {
		t.Fatalf("4th event: ok=%v retry=%v, want refused with 12m", ok, retry)
	}
	// Refused events do not count: the window still ends at the same time.
	clock.Advance(6 * time.Minute)
	if ok, retry := allow(t, l, "a"); ok || retry != 6*time.Minute {
		t.Fatalf("5th event: ok=%v retry=%v, want refused with 6m", ok, retry)
	}
	if ok, _ := allow(t, l, "b"); !ok {
		t.Fatal("another key is limited too")
	}
	clock.Advance(6 * time.Minute)
	if ok, _ := allow(t, l, "a"); !ok {
		t.Fatal("still refused after the window passed")
	}
}

func TestCheckAddReset(t *testing.T) {
	t.Parallel()
	l := ratelimit.New(testkit.NewPool(t), "login-account", 2, time.Hour)
	ctx := context.Background()
	if ok, _ := check(t, l, "x"); !ok {
		t.Fatal("fresh key refused")
	}
	for range 2 {
		if err := l.Add(ctx, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if ok, retry := check(t, l, "x"); ok || retry <= 59*time.Minute {
		t.Fatalf("after 2 failures: ok=%v retry=%v", ok, retry)
	}
	if err := l.Reset(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := check(t, l, "x"); !ok {
		t.Fatal("refused after reset")
	}
}

// Two instances of the platform (two pools, two limiters of the same name)
// share one allowance; limiters of different names do not.
func TestSharedAcrossInstancesSeparateAcrossLimits(t *testing.T) {
	t.Parallel()
	url := testkit.NewDB(t)
	pools := make([]*pgxpool.Pool, 2)
	for i := range pools {
		p, err := pgxpool.New(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		pools[i] = p
	}
	a := ratelimit.New(pools[0], "login-ip", 2, time.Hour)
	b := ratelimit.New(pools[1], "login-ip", 2, time.Hour)
	other := ratelimit.New(pools[1], "register-ip", 2, time.Hour)
	allow(t, a, "203.0.113.7")
	allow(t, b, "203.0.113.7")
	if ok, _ := allow(t, a, "203.0.113.7"); ok {
		t.Error("third event allowed: the instances count apart")
	}
	if ok, _ := allow(t, other, "203.0.113.7"); !ok {
		t.Error("another limit's events counted for this one")
	}
}

func TestConcurrentUseCountsExactly(t *testing.T) {
	t.Parallel()
	l := ratelimit.New(testkit.NewPool(t), "flood", 100, time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 20 {
		wg.Go(func() {
			for range 20 {
				ok, _, err := l.Allow(context.Background(), "shared")
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("%d of 400 concurrent events allowed, want exactly 100", allowed)
	}
}

func TestSweepAndHashedKeys(t *testing.T) {
	t.Parallel()
	pool := testkit.NewPool(t)
	clock := &fakeClock{t: time.Now()}
	short := ratelimit.New(pool, "short", 5, time.Minute, ratelimit.WithClock(clock.Now))
	long := ratelimit.New(pool, "long", 5, time.Hour, ratelimit.WithClock(clock.Now))
	for _, k := range []string{"bea@example.nl", "203.0.113.7", "2001:db8::/64"} {
		allow(t, short, k)
		allow(t, long, k)
	}
	var readable int
	if err := pool.QueryRow(context.Background(),
		`SELECT count(*) FROM rate_limits WHERE position(convert_to('bea@example.nl', 'UTF8') IN key) > 0`).Scan(&readable); err != nil {
		t.Fatal(err)
	}
	if readable != 0 {
		t.Error("an e-mail address is stored readably")
	}
	n, err := ratelimit.Sweep(context.Background(), pool, clock.Now().Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var left int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM rate_limits`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if n != 3 || left != 3 {
		t.Errorf("swept %d, %d left; want the 3 ended windows gone and the 3 open ones kept", n, left)
	}
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct{ remote, xff, want string }{
		{"203.0.113.7:5123", "", "203.0.113.7"},
		{"203.0.113.7:5123", "198.51.100.1", "203.0.113.7"},
		{"[2001:db8:1:2:3:4:5:6]:443", "", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", "", "2001:db8:1:2::/64"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := ratelimit.ClientIP(r); got != tt.want {
			t.Errorf("ClientIP(%s) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]int{0: 1, 1500 * time.Millisecond: 2, 15 * time.Minute: 900} {
		if got := ratelimit.RetryAfterSeconds(d); got != want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", d, got, want)
		}
	}
}
