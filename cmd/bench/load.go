package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// class says which throughput goal of issue 15 a page is held to.
type class int

const (
	classBaseline class = iota // the bare page every ratio is taken of
	classPublic                // anonymous pages: >= 50% of the baseline and p95 < 10 ms
	classMember                // logged-in pages: >= 25% of the baseline
)

// The goals of issue 15.
const (
	publicGoalRatio = 50.0
	publicGoalP95   = 10 * time.Millisecond
	memberGoalRatio = 25.0
)

// who is the kind of visitor a page is requested as.
type who int

const (
	anonymous who = iota
	officer
	worker
)

// page is one measured request, the same in both modes.
type page struct {
	key   string // short name for BENCH_PROFILE_SCENARIO
	name  string // row label
	class class
	who   who
	// req builds one request against base and says which status is right.
	req func(ctx context.Context, base string) (*http.Request, int)
	// want are strings the (uncompressed) body must contain: a 200 with an
	// empty or wrong page must not pass for a fast page.
	want []string
}

// get is a page's request builder for a plain GET of path.
func get(path string) func(context.Context, string) (*http.Request, int) {
	return func(ctx context.Context, base string) (*http.Request, int) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		return req, http.StatusOK
	}
}

// result is what one page's measured run gave.
type result struct {
	answers int64           // answers received
	good    int64           // answers with the expected status
	errors  int64           // unexpected statuses, broken bodies and failed requests
	bytes   int64           // body bytes as received (compressed when the server compressed)
	took    time.Duration   // wall time of the run
	lat     []time.Duration // sorted latencies of the answers
}

// rate is the throughput in good answers per second: an error page that is
// quick to send must not raise it.
func (r result) rate() float64 {
	if r.took <= 0 {
		return 0
	}
	return float64(r.good) / r.took.Seconds()
}

// meanBytes is the average body size as received.
func (r result) meanBytes() float64 {
	if r.answers == 0 {
		return 0
	}
	return float64(r.bytes) / float64(r.answers)
}

// newClient is one simulated browser: its own cookie jar and its own
// keep-alive connection (the goroutine using it sends one request at a time,
// so one idle connection is all it needs). Compression is left to the
// request's Accept-Encoding header, so bodies stay as the server sent them.
func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// anonymousClients returns n clients that are not logged in.
func anonymousClients(n int) []*http.Client {
	out := make([]*http.Client, n)
	for i := range out {
		out[i] = newClient()
	}
	return out
}

// logins returns n clients logged in as email, each through the login form.
func logins(ctx context.Context, base, email, password string, n int) ([]*http.Client, error) {
	out := make([]*http.Client, n)
	for i := range out {
		c := newClient()
		form := url.Values{"email": {email}, "password": {password}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/inloggen", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			return nil, fmt.Errorf("inloggen als %s: status %d", email, res.StatusCode)
		}
		out[i] = c
	}
	return out, nil
}

// check requests p once and verifies the status and the content; it returns
// the uncompressed body size.
func check(ctx context.Context, c *http.Client, base string, p page) (int64, error) {
	req, want := p.req(ctx, base)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err
	}
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return 0, fmt.Errorf("ongeldige gzip: %w", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return 0, fmt.Errorf("ongeldige gzip: %w", err)
		}
	}
	if res.StatusCode != want {
		return int64(len(body)), fmt.Errorf("status %d, verwacht %d", res.StatusCode, want)
	}
	for _, w := range p.want {
		if !bytes.Contains(body, []byte(w)) {
			return int64(len(body)), fmt.Errorf("%q staat niet in het antwoord", w)
		}
	}
	return int64(len(body)), nil
}

// load sends p's requests from every client at once, one at a time per
// client, for d (or until ctx ends), and measures each request from sending
// to the last byte of the body.
func load(ctx context.Context, clients []*http.Client, base string, p page, d time.Duration) result {
	parts := make([]result, len(clients))
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i, c := range clients {
		wg.Go(func() {
			r := &parts[i]
			for ctx.Err() == nil && time.Now().Before(deadline) {
				req, want := p.req(ctx, base)
				// The in-process recorder times only these requests.
				req.Header.Set("X-Bench", "1")
				// Like a browser; set by hand, so the transport leaves the
				// body compressed (it is counted, not read).
				req.Header.Set("Accept-Encoding", "gzip")
				t0 := time.Now()
				res, err := c.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						r.errors++
						// A server that is gone refuses at once: do not spin.
						time.Sleep(10 * time.Millisecond)
					}
					continue
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				r.lat = append(r.lat, time.Since(t0))
				r.answers++
				r.bytes += n
				if err != nil || res.StatusCode != want {
					r.errors++
				} else {
					r.good++
				}
			}
		})
	}
	wg.Wait()
	total := result{took: time.Since(start)}
	for _, r := range parts {
		total.answers += r.answers
		total.good += r.good
		total.errors += r.errors
		total.bytes += r.bytes
		total.lat = append(total.lat, r.lat...)
	}
	slices.Sort(total.lat)
	return total
}

// pct is the p-th percentile (nearest rank) of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// ratio is rate as a percentage of the baseline's rate.
func ratio(rate, baseRate float64) float64 {
	if baseRate <= 0 {
		return 0
	}
	return rate / baseRate * 100
}

// verdict says whether a page meets its goal: "ok" or "onder doel" (a page
// with errors or a failed content check never meets it), and nothing for the
// baseline.
func verdict(c class, pctOfBase float64, p95 time.Duration, errors int64, checkErr error) string {
	if c == classBaseline {
		return "-"
	}
	if errors > 0 || checkErr != nil {
		return "onder doel"
	}
	switch c {
	case classPublic:
		if pctOfBase >= publicGoalRatio && p95 < publicGoalP95 {
			return "ok"
		}
	case classMember:
		if pctOfBase >= memberGoalRatio {
			return "ok"
		}
	}
	return "onder doel"
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

const (
	headFormat = "%-40s %8s %9s %7s %7s %7s %8s %7s %8s %7s  %s\n"
	rowFormat  = "%-40s %8d %9.0f %7.1f %7.1f %7.1f %7.0f%% %7d %8.1f %7.1f  %s\n"
)

func printHead(w io.Writer) {
	fmt.Fprintf(w, headFormat, "pagina", "verzoek", "verz./s", "p50 ms", "p95 ms", "p99 ms", "% basis", "fouten", "gzip kB", "kB", "doel")
}

// printRow prints one page's figures (rawSize is its uncompressed size) and
// returns its verdict.
func printRow(w io.Writer, p page, r result, baseRate float64, rawSize int64, checkErr error) string {
	pb := ratio(r.rate(), baseRate)
	p95 := pct(r.lat, 95)
	v := verdict(p.class, pb, p95, r.errors, checkErr)
	fmt.Fprintf(w, rowFormat, p.name, r.answers, r.rate(), ms(pct(r.lat, 50)), ms(p95), ms(pct(r.lat, 99)), pb,
		r.errors, r.meanBytes()/1024, float64(rawSize)/1024, v)
	return v
}
