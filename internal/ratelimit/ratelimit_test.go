package ratelimit

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
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

func TestAllowWindowAndRetryAfter(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	l := New(3, 15*time.Minute, WithClock(clock.Now))
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("event %d refused", i+1)
		}
		clock.Advance(time.Minute)
	}
	ok, retry := l.Allow("a")
	if ok || retry != 12*time.Minute {
		t.Fatalf("4th event: ok=%v retry=%v, want refused with 12m", ok, retry)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key is limited too")
	}
	clock.Advance(12 * time.Minute)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("still refused after the window passed")
	}
}

func TestCheckAddReset(t *testing.T) {
	t.Parallel()
	l := New(2, time.Hour)
	if ok, _ := l.Check("x"); !ok {
		t.Fatal("fresh key refused")
	}
	l.Add("x")
	l.Add("x")
	if ok, retry := l.Check("x"); ok || retry <= 59*time.Minute {
		t.Fatalf("after 2 failures: ok=%v retry=%v", ok, retry)
	}
	l.Reset("x")
	if ok, _ := l.Check("x"); !ok {
		t.Fatal("refused after reset")
	}
}

func TestBoundedMemory(t *testing.T) {
	t.Parallel()
	l := New(5, time.Hour, WithMaxKeys(100))
	for i := range 10_000 {
		l.Allow(fmt.Sprint("key-", i))
		if n := l.Len(); n > 100 {
			t.Fatalf("limiter holds %d keys, max 100", n)
		}
	}
}

func TestExpiredKeysAreSwept(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Unix(0, 0)}
	l := New(1, time.Minute, WithClock(clock.Now))
	for i := range 50 {
		l.Allow(fmt.Sprint(i))
	}
	clock.Advance(2 * time.Minute)
	l.Allow("new")
	if n := l.Len(); n != 1 {
		t.Fatalf("%d keys after the window passed, want 1", n)
	}
}

func TestConcurrentUseCountsExactly(t *testing.T) {
	t.Parallel()
	l := New(100, time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 20 {
		wg.Go(func() {
			for range 20 {
				if ok, _ := l.Allow("shared"); ok {
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
		if got := ClientIP(r); got != tt.want {
			t.Errorf("ClientIP(%s) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]int{0: 1, 1500 * time.Millisecond: 2, 15 * time.Minute: 900} {
		if got := RetryAfterSeconds(d); got != want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", d, got, want)
		}
	}
}
