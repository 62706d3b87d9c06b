package overview

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestCache(t *testing.T) {
	t.Parallel()
	c := newCache[int](10)
	ctx := context.Background()
	calls := 0
	compute := func(context.Context) (int, error) { calls++; return calls, nil }
	get := func(key string, d time.Duration) int {
		v, _, err := c.get(ctx, key, ttl(d, compute))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	a, b := get("k", time.Hour), get("k", time.Hour)
	if a != 1 || b != 1 || calls != 1 {
		t.Errorf("cached value not reused: %d %d after %d calls", a, b, calls)
	}
	if v := get("nul", 0); v != 2 {
		t.Errorf("got %d", v)
	}
	if v := get("nul", 0); v != 3 {
		t.Errorf("ttl 0 must compute afresh, got %d", v)
	}
	if v := get("kort", time.Nanosecond); v != 4 {
		t.Errorf("got %d", v)
	}
	time.Sleep(time.Millisecond)
	if v := get("kort", time.Nanosecond); v != 5 {
		t.Errorf("expired entry reused: %d", v)
	}
	boom := errors.New("boom")
	if _, _, err := c.get(ctx, "fout", ttl(time.Hour, func(context.Context) (int, error) { return 0, boom })); !errors.Is(err, boom) {
		t.Errorf("error %v", err)
	}
	if v := get("fout", time.Hour); v != 6 {
		t.Errorf("an error was cached: %d", v)
	}
	for i := range 25 {
		get(fmt.Sprint(i), time.Hour)
	}
	if n := len(c.entries); n > 10 {
		t.Errorf("%d entries, limit 10", n)
	}
}

// A caller sorting its copy must not reorder the cached table.
func TestCloneTable(t *testing.T) {
	t.Parallel()
	orig := Table{Rows: []Row{{Code: "BU2", Name: "B"}, {Code: "BU1", Name: "A"}}}
	cp := cloneTable(orig)
	sortRows(cp.Rows, "naam", "op")
	if orig.Rows[0].Code != "BU2" || cp.Rows[0].Code != "BU1" {
		t.Errorf("orig %v, copy %v", orig.Rows, cp.Rows)
	}
}

// A derived value lives exactly as long as the expiry its load returns,
// and get reports the entry's expiry.
func TestCacheExpiry(t *testing.T) {
	t.Parallel()
	// In a synctest bubble the clock only moves when every goroutine waits,
	// so the expiries below cannot be overtaken by a slow (raced) run.
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		src := newCache[int](10)
		_, exp, _ := src.get(ctx, "k", ttl(time.Hour, func(context.Context) (int, error) { return 1, nil }))
		if d := time.Until(exp); d <= 0 || d > time.Hour {
			t.Fatalf("expiry %v from now", d)
		}
		if _, again, _ := src.get(ctx, "k", ttl(time.Hour, func(context.Context) (int, error) { return 2, nil })); !again.Equal(exp) {
			t.Errorf("cached entry reports expiry %v, stored %v", again, exp)
		}
		derived := newCache[string](10)
		calls := 0
		compute := func(expires time.Time) func(context.Context) (string, time.Time, error) {
			return func(context.Context) (string, time.Time, error) { calls++; return fmt.Sprint(calls), expires, nil }
		}
		soon := time.Now().Add(5 * time.Millisecond)
		v1, _, _ := derived.get(ctx, "d", compute(soon))
		v2, _, _ := derived.get(ctx, "d", compute(soon))
		if v1 != "1" || v2 != "1" {
			t.Errorf("not reused before its expiry: %s %s", v1, v2)
		}
		time.Sleep(10 * time.Millisecond)
		if v, _, _ := derived.get(ctx, "d", compute(time.Now().Add(-time.Second))); v != "2" {
			t.Errorf("reused after its expiry: %s", v)
		}
		if e := derived.entries["d"]; e.v == "2" {
			t.Error("an already expired value was stored")
		}
	})
}

// Concurrent misses for one key run the load once and all get its value;
// the first caller going away does not fail the others. synctest.Wait
// returns once every goroutine of the test is blocked: the first caller
// inside the load, the others waiting for it (or, were they not to wait,
// inside loads of their own), so the count is taken with all in place.
func TestCacheConcurrentMissesLoadOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n = 20
		c := newCache[int](10)
		release := make(chan struct{})
		var loads atomic.Int32
		load := ttl(time.Hour, func(ctx context.Context) (int, error) {
			loads.Add(1)
			<-release
			return 42, ctx.Err()
		})
		// The first caller, whose request goes away, runs the load.
		ctx, cancel := context.WithCancel(context.Background())
		got := make([]int, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		wg.Go(func() { got[0], _, errs[0] = c.get(ctx, "tabel", load) })
		synctest.Wait()
		for i := 1; i < n; i++ {
			wg.Go(func() { got[i], _, errs[i] = c.get(context.Background(), "tabel", load) })
		}
		synctest.Wait()
		if l := loads.Load(); l != 1 {
			t.Errorf("%d concurrent misses ran the load %d times, want once", n, l)
		}
		cancel()
		close(release)
		wg.Wait()
		for i := range n {
			if got[i] != 42 || errs[i] != nil {
				t.Errorf("caller %d: %d, %v", i, got[i], errs[i])
			}
		}
		if v, _, err := c.get(context.Background(), "tabel", load); v != 42 || err != nil || loads.Load() != 1 {
			t.Errorf("afterwards: %d, %v after %d loads", v, err, loads.Load())
		}
	})
}
