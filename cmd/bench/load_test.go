package main

import (
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPct(t *testing.T) {
	var sorted []time.Duration
	for i := 1; i <= 200; i++ {
		sorted = append(sorted, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[int]time.Duration{50: 100 * time.Millisecond, 95: 190 * time.Millisecond, 99: 198 * time.Millisecond, 100: 200 * time.Millisecond} {
		if got := pct(sorted, p); got != want {
			t.Errorf("p%d of 1..200 ms = %s, want %s", p, got, want)
		}
	}
	if got := pct(nil, 95); got != 0 {
		t.Errorf("p95 of nothing = %s, want 0", got)
	}
	if got := pct([]time.Duration{7 * time.Millisecond}, 50); got != 7*time.Millisecond {
		t.Errorf("p50 of one = %s, want 7ms", got)
	}
}

func TestRatioAndVerdict(t *testing.T) {
	if got := ratio(500, 2000); got != 25 {
		t.Errorf("ratio(500, 2000) = %v, want 25", got)
	}
	if got := ratio(500, 0); got != 0 {
		t.Errorf("ratio without a baseline = %v, want 0", got)
	}
	fast, slow := 9*time.Millisecond, 10*time.Millisecond
	for _, c := range []struct {
		class  class
		pct    float64
		p95    time.Duration
		errors int64
		check  error
		want   string
	}{
		{classBaseline, 100, slow, 0, nil, "-"},
		{classPublic, 50, fast, 0, nil, "ok"},
		{classPublic, 49.9, fast, 0, nil, "onder doel"},
		{classPublic, 80, slow, 0, nil, "onder doel"}, // p95 must stay under 10 ms
		{classPublic, 80, fast, 1, nil, "onder doel"}, // errors never meet a goal
		{classPublic, 80, fast, 0, errors.New("leeg"), "onder doel"},
		{classMember, 25, slow * 5, 0, nil, "ok"}, // no latency goal for logged-in pages
		{classMember, 24.9, fast, 0, nil, "onder doel"},
		{classMember, 30, fast, 3, nil, "onder doel"},
	} {
		if got := verdict(c.class, c.pct, c.p95, c.errors, c.check); got != c.want {
			t.Errorf("verdict(%v, %v%%, %s, %d errors, %v) = %q, want %q", c.class, c.pct, c.p95, c.errors, c.check, got, c.want)
		}
	}
}

// TestCheck: the content check reads through gzip and fails on a wrong
// status or missing content.
func TestCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/weg" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write([]byte("<h1>Moestuin</h1>" + strings.Repeat("x", 1000)))
		_ = zw.Close()
	}))
	defer srv.Close()
	c := newClient()
	ctx := context.Background()
	n, err := check(ctx, c, srv.URL, page{req: get("/"), want: []string{"<h1>Moestuin</h1>"}})
	if err != nil || n != 1017 {
		t.Errorf("check of a good gzipped page = %d, %v; want 1017 bytes, no error", n, err)
	}
	if _, err := check(ctx, c, srv.URL, page{req: get("/"), want: []string{"Speeltuin"}}); err == nil {
		t.Error("check passed a page without the wanted content")
	}
	if _, err := check(ctx, c, srv.URL, page{req: get("/weg")}); err == nil {
		t.Error("check passed a 404")
	}
}

// TestLoadCountsErrors: unexpected statuses are errors and are left out of
// the throughput.
func TestLoadCountsErrors(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		if n.Add(1)%2 == 0 {
			http.Error(w, "stuk", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("goed"))
	}))
	defer srv.Close()
	r := load(context.Background(), anonymousClients(2), srv.URL, page{req: get("/")}, 100*time.Millisecond)
	if r.answers < 10 || r.good+r.errors != r.answers || r.errors < r.answers/2-1 || r.errors > r.answers/2+1 {
		t.Fatalf("answers %d, good %d, errors %d: want about half errors", r.answers, r.good, r.errors)
	}
	if int64(len(r.lat)) != r.answers {
		t.Errorf("%d latencies for %d answers", len(r.lat), r.answers)
	}
	if want := float64(r.good) / r.took.Seconds(); r.rate() != want {
		t.Errorf("rate %v, want good answers per second %v", r.rate(), want)
	}
}
