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
// change only with a CBS import).
const (
	TableTTL  = 15 * time.Second
	ShapesTTL = 10 * time.Minute
	maxCached = 2000 // tables, drill-downs, outlines
	maxMaps   = 200  // drawn maps are up to ~35 kB each
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
	if ttl <= 0 {
		return compute(ctx)
	}
	now := time.Now()
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.v, nil
	}
	c.mu.Unlock()
	v, err := compute(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= limit {
		// Simple bound: start afresh rather than track recency.
		c.entries = map[string]cacheEntry[V]{}
	}
	c.entries[key] = cacheEntry[V]{v: v, expires: now.Add(ttl)}
	return v, nil
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
