package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// outcome is how one request ended.
type outcome int

const (
	outOK     outcome = iota // the expected status
	outFault                 // 503 or connection refused inside a fault window: expected
	outFailed                // anything else: counts as an error
)

// window is a period in which the platform is expected to refuse work (the
// database is down, the server restarts). A request that starts inside it
// may get a 503 or find the port closed without that counting as an error.
type window struct{ from, to time.Time }

// recorder collects every request's latency and outcome, per page kind.
type recorder struct {
	mu       sync.Mutex
	start    time.Time
	end      time.Time
	kinds    map[string]*kindStats
	examples []string // the first errors, for the report
	windows  []window
	open     *time.Time // start of a window not yet closed
	// spans of requests, to count those in flight at a moment (SIGTERM).
	spans []span
	// inflight is the number of requests sent and not yet answered.
	inflight atomic.Int64
}

type span struct {
	from, to time.Time
	out      outcome
	kind     string
	status   int
}

type kindStats struct {
	durs          []time.Duration // successful requests only
	n, errs, flts int
}

func newRecorder() *recorder {
	return &recorder{start: time.Now(), kinds: map[string]*kindStats{}}
}

// openWindow starts a fault window now.
func (r *recorder) openWindow() {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	r.open = &now
}

// closeWindowAt ends the open fault window at t.
func (r *recorder) closeWindowAt(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.open != nil {
		r.windows = append(r.windows, window{*r.open, t})
		r.open = nil
	}
}

// inWindow reports whether a request running from start to end overlapped
// a fault window (one in flight when the database went away counts too).
func (r *recorder) inWindow(start, end time.Time) bool {
	if r.open != nil && end.After(*r.open) {
		return true
	}
	for _, w := range r.windows {
		if start.Before(w.to) && end.After(w.from) {
			return true
		}
	}
	return false
}

// add records one request. problem is empty when the status was the
// expected one; otherwise it describes what went wrong.
func (r *recorder) add(kind string, start time.Time, d time.Duration, status int, err error, problem string) outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.kinds[kind]
	if k == nil {
		k = &kindStats{}
		r.kinds[kind] = k
	}
	inWin := r.inWindow(start, start.Add(d))
	out := outOK
	switch {
	case problem == "":
		k.durs = append(k.durs, d)
	case inWin && (status == 503 || isRefused(err)):
		out = outFault
		k.flts++
	default:
		out = outFailed
		k.errs++
		if len(r.examples) < 12 {
			r.examples = append(r.examples, fmt.Sprintf("%s %s: %s", start.Format("15:04:05.000"), kind, problem))
		}
	}
	k.n++
	r.spans = append(r.spans, span{start, start.Add(d), out, kind, status})
	return out
}

// finish marks the end of the measured period.
func (r *recorder) finish() {
	r.mu.Lock()
	r.end = time.Now()
	r.mu.Unlock()
}

// inFlightAt counts requests that had started before t and ended after it,
// and how many of those failed.
func (r *recorder) inFlightAt(t time.Time) (n, failedN int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.spans {
		if s.from.Before(t) && s.to.After(t) {
			n++
			if s.out == outFailed {
				failedN++
			}
		}
	}
	return n, failedN
}

// timeline returns, per step of the run, the number of requests that
// started in it and the p99 of the successful ones: where a slow tail comes from.
func (r *recorder) timeline(step time.Duration) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	buckets := map[int][]time.Duration{}
	counts := map[int]int{}
	last := 0
	for _, s := range r.spans {
		i := int(s.from.Sub(r.start) / step)
		counts[i]++
		last = max(last, i)
		if s.out == outOK {
			buckets[i] = append(buckets[i], s.to.Sub(s.from))
		}
	}
	var b strings.Builder
	for i := 0; i <= last; i++ {
		d := buckets[i]
		slices.Sort(d)
		fmt.Fprintf(&b, " %s", ms(pct(d, 99)))
	}
	return fmt.Sprintf("p99 per %s:%s", step, b.String())
}

// slowestStarted returns the longest request that started between from and
// to, described for the report.
func (r *recorder) slowestStarted(from, to time.Time) (time.Duration, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var worst time.Duration
	var desc string
	for _, s := range r.spans {
		if !s.from.Before(from) && s.from.Before(to) && s.to.Sub(s.from) > worst {
			worst = s.to.Sub(s.from)
			desc = fmt.Sprintf("%s at %s, status %d", s.kind, s.from.Format("15:04:05.000"), s.status)
		}
	}
	return worst, desc
}

// isRefused reports a closed port: nothing listened, so nothing was lost.
func isRefused(err error) bool {
	var op *net.OpError
	return err != nil && (errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &op) && op.Op == "dial"))
}

// totals sums every kind.
type totals struct {
	n, errs, faults int
	p50, p95, p99   time.Duration
	max             time.Duration
	rps             float64
}

func (r *recorder) totals() totals {
	r.mu.Lock()
	defer r.mu.Unlock()
	var t totals
	var all []time.Duration
	for _, k := range r.kinds {
		t.n += k.n
		t.errs += k.errs
		t.faults += k.flts
		all = append(all, k.durs...)
	}
	slices.Sort(all)
	t.p50, t.p95, t.p99, t.max = pct(all, 50), pct(all, 95), pct(all, 99), pct(all, 100)
	if el := r.elapsed(); el > 0 {
		t.rps = float64(t.n) / el.Seconds()
	}
	return t
}

func (r *recorder) elapsed() time.Duration {
	end := r.end
	if end.IsZero() {
		end = time.Now()
	}
	return end.Sub(r.start)
}

// worstP99 returns the page kind with the highest p99 among kinds with at
// least minN successful requests.
func (r *recorder) worstP99(minN int) (string, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var name string
	var worst time.Duration
	for kind, k := range r.kinds {
		if len(k.durs) < minN {
			continue
		}
		d := slices.Clone(k.durs)
		slices.Sort(d)
		if p := pct(d, 99); p > worst {
			name, worst = kind, p
		}
	}
	return name, worst
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

// print writes the per-kind table.
func (r *recorder) print(w io.Writer) {
	r.mu.Lock()
	names := make([]string, 0, len(r.kinds))
	for k := range r.kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	el := r.elapsed().Seconds()
	fmt.Fprintf(w, "  %-34s %7s %7s %8s %8s %8s %8s %6s %6s\n", "request", "n", "req/s", "p50", "p95", "p99", "max", "errors", "503*")
	for _, name := range names {
		k := r.kinds[name]
		d := slices.Clone(k.durs)
		slices.Sort(d)
		fmt.Fprintf(w, "  %-34s %7d %7.1f %8s %8s %8s %8s %6d %6d\n", name, k.n, float64(k.n)/el,
			ms(pct(d, 50)), ms(pct(d, 95)), ms(pct(d, 99)), ms(pct(d, 100)), k.errs, k.flts)
	}
	examples := slices.Clone(r.examples)
	r.mu.Unlock()
	t := r.totals()
	fmt.Fprintf(w, "  %-34s %7d %7.1f %8s %8s %8s %8s %6d %6d\n", "ALL", t.n, t.rps, ms(t.p50), ms(t.p95), ms(t.p99), ms(t.max), t.errs, t.faults)
	fmt.Fprintln(w, "  (* 503 or closed port during a fault window: expected, not an error; latencies are of successful requests)")
	if len(examples) > 0 {
		fmt.Fprintln(w, "  first errors:")
		for _, e := range examples {
			fmt.Fprintln(w, "   -", e)
		}
	}
}

// loadAverage is the machine's 1-minute load average (Linux), or "?"; the
// load test shares the machine, so its figures depend on what else runs.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
}

// check is one goal of a scenario.
type check struct {
	name   string
	ok     bool
	detail string
}

func printChecks(w io.Writer, checks []check) bool {
	all := true
	for _, c := range checks {
		mark := "PASS"
		if !c.ok {
			mark, all = "FAIL", false
		}
		fmt.Fprintf(w, "  [%s] %-52s %s\n", mark, c.name, strings.TrimSpace(c.detail))
	}
	return all
}
