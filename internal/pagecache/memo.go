package pagecache

import (
	"context"
	"sync"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// Memo keeps values computed for logged-in pages (a list's rows, a page's
// rendered middle part) for a few seconds, shared by every viewer whose key
// is the same: the key must hold everything the value depends on, such as
// the viewer's role or municipality. A request marked httpx.FreshReads
// computes afresh (and refreshes the entry for the others), so a writer
// always sees their own write; others see it within the TTL.
type Memo[V any] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu sync.Mutex
	m  map[string]memoEntry[V]
}

type memoEntry[V any] struct {
	v       V
	expires time.Time
}

// NewMemo returns a memo keeping at most max values for ttl each; ttl <= 0
// computes every time.
func NewMemo[V any](ttl time.Duration, max int) *Memo[V] {
	return &Memo[V]{ttl: ttl, max: max, now: time.Now, m: map[string]memoEntry[V]{}}
}

// Get returns the value for key, computing it when there is no fresh one.
// Errors are not kept.
func (m *Memo[V]) Get(ctx context.Context, key string, compute func() (V, error)) (V, error) {
	if m == nil || m.ttl <= 0 {
		return compute()
	}
	if !httpx.FreshReads(ctx) {
		m.mu.Lock()
		e, ok := m.m[key]
		m.mu.Unlock()
		if ok && m.now().Before(e.expires) {
			return e.v, nil
		}
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if len(m.m) >= m.max {
		for k, e := range m.m {
			if !now.Before(e.expires) {
				delete(m.m, k)
			}
		}
	}
	if _, ok := m.m[key]; ok || len(m.m) < m.max {
		m.m[key] = memoEntry[V]{v: v, expires: now.Add(m.ttl)}
	}
	return v, nil
}
