package overview

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Cache durations. The overview table of a municipality is recomputed at
// most every TableTTL (figures on the page are at most that old; the
// aggregates underneath are always current), outlines every ShapesTTL (they
// change only with a CBS import). The rendered map-and-table part of the
// overview page is kept until the table it was drawn from expires, so it is
// never older than TableTTL either; the municipality choice of a scope is
// kept for TableTTL, a municipality's districts for ShapesTTL.
const (
	TableTTL  = 15 * time.Second
	ShapesTTL = 10 * time.Minute
	maxCached = 2000 // tables, drill-downs, outlines
	maxMaps   = 200  // drawn maps are up to ~35 kB each
	maxBodies = 64   // rendered overview sections are up to ~250 kB each
)

// ttlCache is a small concurrency-safe cache with an expiry per entry. It
// holds results the handler has already checked the viewer's scope for;
// keys never include the viewer.
type ttlCache[V any] struct {
	mu      sync.Mutex
	entries map[string]cacheEntry[V]
}

type cacheEntry[V any] struct {
	v       V
	expires time.Time
}

// get returns the cached value for key, or computes and stores it. ttl 0
// disables caching; limit bounds the entries (a full cache starts afresh).
func (c *ttlCache[V]) get(ctx context.Context, key string, ttl time.Duration, limit int, compute func(context.Context) (V, error)) (V, error) {
	v, _, err := c.getUntil(ctx, key, ttl, limit, compute)
	return v, err
}

// getUntil is get that also returns when the value expires. The expiry
// counts from the start of the computation, so a value is never older than
// ttl when it is served.
func (c *ttlCache[V]) getUntil(ctx context.Context, key string, ttl time.Duration, limit int, compute func(context.Context) (V, error)) (V, time.Time, error) {
	now := time.Now()
	if ttl <= 0 {
		v, err := compute(ctx)
		return v, now, err
	}
	return c.getExpiring(ctx, key, limit, func(ctx context.Context) (V, time.Time, error) {
		v, err := compute(ctx)
		return v, now.Add(ttl), err
	})
}

// getExpiring returns the cached value for key, or computes it together with
// its own expiry and stores it until then. A value derived from other cached
// values passes on their expiry, so derived values are no staler than their
// sources.
func (c *ttlCache[V]) getExpiring(ctx context.Context, key string, limit int, compute func(context.Context) (V, time.Time, error)) (V, time.Time, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && time.Now().Before(e.expires) {
		c.mu.Unlock()
		return e.v, e.expires, nil
	}
	c.mu.Unlock()
	v, expires, err := compute(ctx)
	if err != nil || !time.Now().Before(expires) {
		return v, expires, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= limit {
		// Simple bound: start afresh rather than track recency.
		c.entries = map[string]cacheEntry[V]{}
	}
	c.entries[key] = cacheEntry[V]{v: v, expires: expires}
	return v, expires, nil
}

func tableKey(f TableFilter) string {
	return fmt.Sprintf("%d|%s|%s|%s|%s", f.MunicipalityID, f.District, strings.Join(f.Codes, ","),
		f.Period.From.Format("2006-01"), f.Period.To.Format("2006-01"))
}

// cloneTable copies the rows so a caller's sort does not reorder the cached ones.
func cloneTable(t Table) Table {
	t.Rows = append([]Row(nil), t.Rows...)
	t.Districts = append([]Row(nil), t.Districts...)
	return t
}
