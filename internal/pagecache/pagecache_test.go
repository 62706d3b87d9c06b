package pagecache

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// page is a handler that counts its renders and writes a body naming the count.
type page struct {
	renders atomic.Int64
	header  http.Header
	status  int
	gate    chan struct{} // when set, renders wait for it
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.renders.Add(1)
	if p.gate != nil {
		<-p.gate
	}
	for k, v := range p.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Header.Get("Accept-Encoding") != "" {
		w.Header().Set("X-Saw-Encoding", "yes") // the handler must render without gzip
	}
	if p.status != 0 {
		w.WriteHeader(p.status)
	}
	_, _ = io.WriteString(w, "<p>render "+strconv.FormatInt(n, 10)+"</p>")
}

func get(t *testing.T, h http.Handler, method, target string, mod func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	if mod != nil {
		mod(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func body(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if w.Header().Get("Content-Encoding") != "gzip" {
		return w.Body.String()
	}
	zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return string(b)
}

// TestWhatIsCached asks a page twice under each condition and says whether
// the second answer came from the cache (the same render).
func TestWhatIsCached(t *testing.T) {
	fresh := func(r *http.Request) { *r = *r.WithContext(httpx.WithFreshReads(r.Context())) }
	cases := []struct {
		name   string
		method string
		mod    func(*http.Request)
		header http.Header
		status int
		cached bool
	}{
		{name: "anonymous GET", method: http.MethodGet, cached: true},
		{name: "anonymous HEAD", method: http.MethodHead, cached: true},
		{name: "other cookie", method: http.MethodGet, mod: func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "taal", Value: "nl"}) }, cached: true},
		{name: "session cookie", method: http.MethodGet, mod: func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "sessie", Value: "x"}) }},
		{name: "bearer token", method: http.MethodGet, mod: func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }},
		{name: "fresh reads after a write", method: http.MethodGet, mod: fresh},
		{name: "POST", method: http.MethodPost},
		{name: "answer sets a cookie", method: http.MethodGet, header: http.Header{"Set-Cookie": {"a=b"}}},
		{name: "answer is private", method: http.MethodGet, header: http.Header{"Cache-Control": {"private, max-age=60"}}},
		{name: "not found", method: http.MethodGet, status: http.StatusNotFound},
		{name: "outage", method: http.MethodGet, status: http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &page{header: tc.header, status: tc.status}
			h := New(time.Minute, "sessie").Handler(p)
			first := get(t, h, tc.method, "/initiatieven?thema=wonen", tc.mod)
			second := get(t, h, tc.method, "/initiatieven?thema=wonen", tc.mod)
			if got := p.renders.Load(); (got == 1) != tc.cached {
				t.Errorf("%d renders for two requests; cached: want %v", got, tc.cached)
			}
			want := tc.status
			if want == 0 {
				want = http.StatusOK
			}
			if first.Code != want || second.Code != want {
				t.Errorf("status %d then %d, want %d", first.Code, second.Code, want)
			}
			if tc.method == http.MethodHead && (first.Body.Len() != 0 || second.Body.Len() != 0) {
				t.Errorf("HEAD answered with a body")
			}
		})
	}
}

// TestCachedAnswer checks the answer itself: the same bytes with and
// without gzip, a query string that is part of the key, the TTL, and 304
// for a client that has the version.
func TestCachedAnswer(t *testing.T) {
	p := &page{}
	c := New(time.Minute, "sessie")
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	h := c.Handler(p)
	gz := func(r *http.Request) { r.Header.Set("Accept-Encoding", "gzip, deflate, br") }

	a := get(t, h, http.MethodGet, "/buurten", gz)
	if a.Header().Get("Content-Encoding") != "gzip" || body(t, a) != "<p>render 1</p>" || a.Header().Get("X-Saw-Encoding") != "" {
		t.Fatalf("first answer: encoding %q, body %q, handler saw Accept-Encoding %q",
			a.Header().Get("Content-Encoding"), body(t, a), a.Header().Get("X-Saw-Encoding"))
	}
	plain := get(t, h, http.MethodGet, "/buurten", nil)
	if plain.Header().Get("Content-Encoding") != "" || plain.Body.String() != "<p>render 1</p>" {
		t.Errorf("answer without gzip: %q %q", plain.Header().Get("Content-Encoding"), plain.Body.String())
	}
	if n, _ := strconv.Atoi(plain.Header().Get("Content-Length")); n != plain.Body.Len() {
		t.Errorf("Content-Length %d for %d bytes", n, plain.Body.Len())
	}
	if got := body(t, get(t, h, http.MethodGet, "/buurten?gemeente=GM0344", gz)); got != "<p>render 2</p>" {
		t.Errorf("another query string shared the entry: %q", got)
	}
	etag := a.Header().Get("Etag")
	if nm := get(t, h, http.MethodGet, "/buurten", func(r *http.Request) { r.Header.Set("If-None-Match", etag) }); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("If-None-Match with the current ETag: %d, %d bytes", nm.Code, nm.Body.Len())
	}
	if nm := get(t, h, http.MethodGet, "/buurten", func(r *http.Request) { r.Header.Set("If-None-Match", `"oud"`) }); nm.Code != http.StatusOK {
		t.Errorf("If-None-Match with an old ETag: %d", nm.Code)
	}
	now = now.Add(59 * time.Second)
	if got := body(t, get(t, h, http.MethodGet, "/buurten", nil)); got != "<p>render 1</p>" {
		t.Errorf("within the TTL: %q", got)
	}
	now = now.Add(time.Second)
	if got := body(t, get(t, h, http.MethodGet, "/buurten", nil)); got != "<p>render 3</p>" {
		t.Errorf("after the TTL: %q", got)
	}
}

// TestOffPassesThrough: a TTL of 0 turns the cache off.
func TestOffPassesThrough(t *testing.T) {
	p := &page{}
	h := New(0, "sessie").Handler(p)
	get(t, h, http.MethodGet, "/", nil)
	get(t, h, http.MethodGet, "/", nil)
	if p.renders.Load() != 2 {
		t.Errorf("%d renders with the cache off", p.renders.Load())
	}
}

// TestOneRenderForMany: requests for a page that is being rendered wait for
// that render instead of starting their own.
func TestOneRenderForMany(t *testing.T) {
	p := &page{gate: make(chan struct{})}
	c := New(time.Minute, "sessie")
	h := c.Handler(p)
	var wg sync.WaitGroup
	bodies := make([]string, 20)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = get(t, h, http.MethodGet, "/agenda", nil).Body.String()
		}()
	}
	// Let the first render finish once the others are waiting (or rendering).
	deadline := time.Now().Add(5 * time.Second)
	for c.Stats().Misses+c.Stats().Hits < 20 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(p.gate)
	wg.Wait()
	if n := p.renders.Load(); n != 1 {
		t.Errorf("%d renders for 20 simultaneous requests", n)
	}
	for i, b := range bodies {
		if b != "<p>render 1</p>" {
			t.Errorf("request %d got %q", i, b)
		}
	}
}

// TestBudget: past the entry limit new pages are served but not kept, and
// expired entries make room again.
func TestBudget(t *testing.T) {
	p := &page{}
	c := New(time.Minute, "sessie")
	c.maxEntries = 50
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	h := c.Handler(p)
	for i := range c.maxEntries + 10 {
		get(t, h, http.MethodGet, "/buurten?p="+strconv.Itoa(i), nil)
	}
	if len(c.entries) != c.maxEntries {
		t.Fatalf("%d entries, limit %d", len(c.entries), c.maxEntries)
	}
	if p.renders.Load() != int64(c.maxEntries+10) {
		t.Errorf("%d renders for %d pages", p.renders.Load(), c.maxEntries+10)
	}
	now = now.Add(2 * time.Minute)
	get(t, h, http.MethodGet, "/buurten?p=nieuw", nil)
	if len(c.entries) != 1 || c.bytes != c.entries["/buurten?p=nieuw"].size() {
		t.Errorf("after expiry: %d entries, %d bytes", len(c.entries), c.bytes)
	}
}
