package overview

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
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

// cache is a small concurrency-safe cache of values that expire. Concurrent
// misses for one key share one load: the heavy queries behind the overview
// run once however many requests ask for the same figures at the same
// moment. Keys never name a viewer: a cache holds results the caller has
// already checked the viewer's scope for.
type cache[V any] struct {
	limit int // entries at most; a full cache starts afresh

	mu      sync.Mutex
	entries map[string]cacheEntry[V]
	loads   singleflight.Group
}

type cacheEntry[V any] struct {
	v       V
	expires time.Time
}

func newCache[V any](limit int) *cache[V] { return &cache[V]{limit: limit} }

// get returns the value stored for key with its expiry, or loads it. load
// returns the value with its own expiry, so a value derived from other
// cached values passes on theirs and is no staler than its sources (see
// ttl for plain values). A value that has already expired, or an error, is
// not stored.
//
// The load runs on a context that is not cancelled with ctx: requests that
// wait for the same load must not all fail because the first one went away.
func (c *cache[V]) get(ctx context.Context, key string, load func(context.Context) (V, time.Time, error)) (V, time.Time, error) {
	if e, ok := c.lookup(key); ok {
		return e.v, e.expires, nil
	}
	res, err, _ := c.loads.Do(key, func() (any, error) {
		// A load that finished between lookup and Do has stored its value.
		if e, ok := c.lookup(key); ok {
			return e, nil
		}
		v, expires, err := load(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		e := cacheEntry[V]{v: v, expires: expires}
		c.store(key, e)
		return e, nil
	})
	if err != nil {
		var zero V
		return zero, time.Time{}, err
	}
	e := res.(cacheEntry[V])
	return e.v, e.expires, nil
}

func (c *cache[V]) lookup(key string) (cacheEntry[V], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e, ok && time.Now().Before(e.expires)
}

func (c *cache[V]) store(key string, e cacheEntry[V]) {
	if !time.Now().Before(e.expires) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= c.limit {
		// Simple bound: start afresh rather than track recency.
		c.entries = map[string]cacheEntry[V]{}
	}
	c.entries[key] = e
}

// ttl turns load into a loader for cache.get whose values live for d. The
// expiry counts from the start of the load, so a value is never older than
// d when it is served; d 0 or less caches nothing.
func ttl[V any](d time.Duration, load func(context.Context) (V, error)) func(context.Context) (V, time.Time, error) {
	return func(ctx context.Context) (V, time.Time, error) {
		start := time.Now()
		v, err := load(ctx)
		return v, start.Add(d), err
	}
}
