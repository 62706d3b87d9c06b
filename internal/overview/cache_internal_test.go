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
