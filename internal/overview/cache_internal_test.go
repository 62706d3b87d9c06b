package overview

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestTTLCache(t *testing.T) {
	t.Parallel()
	var c ttlCache[int]
	ctx := context.Background()
	calls := 0
	compute := func(context.Context) (int, error) { calls++; return calls, nil }
	a, _ := c.get(ctx, "k", time.Hour, 10, compute)
	b, _ := c.get(ctx, "k", time.Hour, 10, compute)
	if a != 1 || b != 1 || calls != 1 {
		t.Errorf("cached value not reused: %d %d after %d calls", a, b, calls)
	}
	if v, _ := c.get(ctx, "k", 0, 10, compute); v != 2 {
		t.Errorf("ttl 0 must compute afresh, got %d", v)
	}
	if v, _ := c.get(ctx, "kort", time.Nanosecond, 10, compute); v != 3 {
		t.Errorf("got %d", v)
	}
	time.Sleep(time.Millisecond)
	if v, _ := c.get(ctx, "kort", time.Nanosecond, 10, compute); v != 4 {
		t.Errorf("expired entry reused: %d", v)
	}
	boom := errors.New("boom")
	if _, err := c.get(ctx, "fout", time.Hour, 10, func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("error %v", err)
	}
	if v, _ := c.get(ctx, "fout", time.Hour, 10, compute); v != 5 {
		t.Errorf("an error was cached: %d", v)
	}
	for i := range 25 {
		_, _ = c.get(ctx, fmt.Sprint(i), time.Hour, 10, compute)
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

// A derived value stored with getExpiring lives exactly as long as the
// expiry its computation returns, and getUntil reports the entry's expiry.
func TestTTLCacheExpiring(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var src ttlCache[int]
	_, exp, _ := src.getUntil(ctx, "k", time.Hour, 10, func(context.Context) (int, error) { return 1, nil })
	if d := time.Until(exp); d <= 0 || d > time.Hour {
		t.Fatalf("expiry %v from now", d)
	}
	if _, again, _ := src.getUntil(ctx, "k", time.Hour, 10, func(context.Context) (int, error) { return 2, nil }); !again.Equal(exp) {
		t.Errorf("cached entry reports expiry %v, stored %v", again, exp)
	}
	var derived ttlCache[string]
	calls := 0
	compute := func(expires time.Time) func(context.Context) (string, time.Time, error) {
		return func(context.Context) (string, time.Time, error) { calls++; return fmt.Sprint(calls), expires, nil }
	}
	soon := time.Now().Add(5 * time.Millisecond)
	v1, _, _ := derived.getExpiring(ctx, "d", 10, compute(soon))
	v2, _, _ := derived.getExpiring(ctx, "d", 10, compute(soon))
	if v1 != "1" || v2 != "1" {
		t.Errorf("not reused before its expiry: %s %s", v1, v2)
	}
	time.Sleep(10 * time.Millisecond)
	if v, _, _ := derived.getExpiring(ctx, "d", 10, compute(time.Now().Add(-time.Second))); v != "2" {
		t.Errorf("reused after its expiry: %s", v)
	}
	if e := derived.entries["d"]; e.v == "2" {
		t.Error("an already expired value was stored")
	}
}
