// Package pagecache keeps the public pages that anonymous visitors ask for
// in memory for a few seconds, rendered and gzipped once, so that a page
// crawlers, residents and open-data clients hit many times a second costs
// one render per TTL instead of one per request.
//
// What may be cached is decided per request and per response, erring on
// the side of not caching:
//
//   - only GET and HEAD, only routes that opt in (Cache.Handler);
//   - only requests without a session cookie: a page rendered for nobody's
//     session cannot hold anything a member may see and a visitor may not,
//     and a logged-in viewer is never served a cached page (nor is one of
//     theirs ever stored);
//   - not for requests marked httpx.FreshReads (the client wrote something a
//     moment ago), so a writer sees their own write at once;
//   - only 200 answers without Set-Cookie and without Cache-Control private.
//
// Everyone else sees a change within the TTL (PAGE_CACHE_TTL, default 10 s).
// The cache is per process: several instances each keep their own, which
// changes nothing about that bound.
package pagecache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// Limits that keep the cache from growing without bound: many distinct
// query strings (a crawler walking every filter, or someone adding random
// parameters) fill the budget, after which new pages are served uncached
// until entries expire.
const (
	maxKey     = 1024
	maxBody    = 2 << 20
	maxEntries = 4096
	maxBytes   = 96 << 20
)

// Cache is a TTL cache of rendered pages. The zero value is not usable; use New.
type Cache struct {
	ttl        time.Duration
	cookieName string
	now        func() time.Time
	maxEntries int // maxEntries, lowered in tests

	mu       sync.Mutex
	entries  map[string]*entry
	bytes    int
	inflight map[string]*call

	hits, misses, bypass atomic.Int64
}

type entry struct {
	header  http.Header // the handler's headers, minus those computed here
	body    []byte      // as rendered (an uncacheable answer has only this)
	page    gzipsplice.Compressed
	etag    string
	expires time.Time
}

func (e *entry) size() int { return e.page.Size() + 512 }

// call is a render in progress; requests for the same page wait for it
// instead of rendering it again (a page expiring under load is rendered once).
type call struct {
	done chan struct{}
	e    *entry // nil when the answer could not be cached
}

// New returns a cache keeping pages for ttl; ttl <= 0 gives a cache that
// passes every request through. sessionCookie is the name of the session
// cookie whose presence makes a request personal.
func New(ttl time.Duration, sessionCookie string) *Cache {
	return &Cache{ttl: ttl, cookieName: sessionCookie, now: time.Now, maxEntries: maxEntries,
		entries: map[string]*entry{}, inflight: map[string]*call{}}
}

// Stats are counts since start, for tests and the benchmark.
type Stats struct{ Hits, Misses, Bypassed int64 }

// Stats returns the counts so far.
func (c *Cache) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bypassed: c.bypass.Load()}
}

// eligible reports whether r may be answered from, and stored in, the cache.
func (c *Cache) eligible(r *http.Request) bool {
	if c.ttl <= 0 || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	if r.Header.Get("Authorization") != "" || httpx.FreshReads(r.Context()) {
		return false
	}
	if _, err := r.Cookie(c.cookieName); err == nil {
		return false
	}
	return len(r.URL.Path)+len(r.URL.RawQuery) < maxKey
}

// Handler serves next through the cache.
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.eligible(r) {
			c.bypass.Add(1)
			next.ServeHTTP(w, r)
			return
		}
		key := r.URL.Path + "?" + r.URL.RawQuery
		e, ok := c.lookup(r.Context(), key)
		if ok {
			c.hits.Add(1)
			c.write(w, r, e)
			return
		}
		c.misses.Add(1)
		e, ok = c.render(next, r, key)
		if !ok {
			// Not cacheable: e holds the answer as it was rendered.
			e.writeUncached(w, r)
			return
		}
		c.write(w, r, e)
	})
}

// lookup returns a fresh entry for key, waiting for a render in progress.
func (c *Cache) lookup(ctx context.Context, key string) (*entry, bool) {
	c.mu.Lock()
	if e := c.entries[key]; e != nil && c.now().Before(e.expires) {
		c.mu.Unlock()
		return e, true
	}
	cl := c.inflight[key]
	c.mu.Unlock()
	if cl == nil {
		return nil, false
	}
	select {
	case <-cl.done:
		return cl.e, cl.e != nil
	case <-ctx.Done():
		return nil, false
	}
}

// render runs next for r and stores the answer when it may be cached. It
// returns the entry and whether it was cacheable; an uncacheable answer
// comes back in the entry with its status in header ":status".
func (c *Cache) render(next http.Handler, r *http.Request, key string) (*entry, bool) {
	c.mu.Lock()
	cl := c.inflight[key]
	owner := cl == nil
	if owner {
		cl = &call{done: make(chan struct{})}
		c.inflight[key] = cl
	}
	c.mu.Unlock()
	if !owner {
		select {
		case <-cl.done:
			if cl.e != nil {
				return cl.e, true
			}
		case <-r.Context().Done():
		}
	}

	// Render as GET without gzip: the body is compressed here, once, and
	// HEAD gets the same headers as GET.
	inner := r.Clone(r.Context())
	inner.Method = http.MethodGet
	inner.Header.Del("Accept-Encoding")
	inner.Header.Del("If-None-Match")
	inner.Header.Del("If-Modified-Since")
	rec := &recorder{header: http.Header{}}
	next.ServeHTTP(rec, inner)
	e, cacheable := c.entryFrom(rec)

	if owner {
		c.mu.Lock()
		if cacheable {
			c.store(key, e)
			cl.e = e
		}
		delete(c.inflight, key)
		c.mu.Unlock()
		close(cl.done)
	}
	return e, cacheable
}

// entryFrom turns a recorded answer into an entry, reporting whether it may be cached.
func (c *Cache) entryFrom(rec *recorder) (*entry, bool) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	h := rec.header
	e := &entry{header: h, body: rec.body.Bytes()}
	cc := strings.ToLower(strings.Join(h.Values("Cache-Control"), ","))
	if status != http.StatusOK || len(h.Values("Set-Cookie")) > 0 || strings.Contains(cc, "private") ||
		h.Get("Content-Encoding") != "" || len(e.body) > maxBody {
		h.Set(":status", strconv.Itoa(status))
		return e, false
	}
	e.page = gzipsplice.Compress(e.body) // once per TTL
	sum := sha256.Sum256(e.body)
	e.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	e.expires = c.now().Add(c.ttl)
	for _, k := range []string{"Content-Length", "Content-Encoding", "Etag", "Vary"} {
		h.Del(k)
	}
	return e, true
}

// store adds e under key, making room by dropping expired entries; when the
// budget is still spent, the page is simply not kept. Callers hold c.mu.
func (c *Cache) store(key string, e *entry) {
	if old := c.entries[key]; old != nil {
		c.bytes -= old.size()
		delete(c.entries, key)
	}
	if len(c.entries) >= c.maxEntries || c.bytes+e.size() > maxBytes {
		now := c.now()
		for k, old := range c.entries {
			if !now.Before(old.expires) {
				c.bytes -= old.size()
				delete(c.entries, k)
			}
		}
	}
	if len(c.entries) >= c.maxEntries || c.bytes+e.size() > maxBytes {
		return
	}
	c.entries[key] = e
	c.bytes += e.size()
}

// write answers from a cacheable entry: gzipped when the client takes it,
// 304 when it has this version already.
func (c *Cache) write(w http.ResponseWriter, r *http.Request, e *entry) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = slices.Clone(v) // the entry is shared: a later Add must not append to it
	}
	h.Set("Etag", e.etag)
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, e.etag) {
		h.Add("Vary", "Accept-Encoding") // as the full answer would say
		w.WriteHeader(http.StatusNotModified)
		return
	}
	e.page.Write(w, r, http.StatusOK)
}

// writeUncached passes on an answer that may not be cached, as rendered.
func (e *entry) writeUncached(w http.ResponseWriter, r *http.Request) {
	status, _ := strconv.Atoi(e.header.Get(":status"))
	e.header.Del(":status")
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.body)
	}
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == etag || t == "W/"+etag || t == "*" {
			return true
		}
	}
	return false
}

// recorder captures an answer in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// Flush lets handlers that flush (templ streams) run against the recorder.
func (r *recorder) Flush() {}

// Clear drops every entry: the next request for each page renders it
// afresh. Tests use it to play the TTL passing.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]*entry{}
	c.bytes = 0
}
