package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/devdb"
)

// TestOutageAndTwoInstances runs the real thing briefly: a private
// PostgreSQL, the platform as a separate process, a few users; PostgreSQL
// stops for 1.5 s under load (503s only, quick, recovery within 2 s, every
// acknowledged write stored once), then a second instance shares sessions
// and logouts with the first. `make loadtest` runs the long version.
func TestOutageAndTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and two server processes")
	}
	if devdb.FindBinDir() == "" {
		t.Skip("PostgreSQL binaries (initdb, pg_ctl) not installed")
	}
	t.Parallel()
	o := options{
		scenarios: []string{"outage", "two-instances"},
		users:     8, loginConcurrency: 2, lead: time.Second,
		faultDuration: 2 * time.Second, outage: 1500 * time.Millisecond, recovery: 2 * time.Second,
		thinkMin: 50 * time.Millisecond, thinkMax: 200 * time.Millisecond, p99: 250 * time.Millisecond,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, o, &out)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	// run fails on any missed goal; these make sure the goals were measured at all.
	for _, want := range []string{
		"[PASS] during the outage pages answer 503",
		"[PASS] serving again within 2s of PostgreSQL's return",
		"[PASS] session from instance A valid on instance B",
		"[PASS] logout on instance B ends the session on A and B",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out.String(), "[PASS] acknowledged writes in the database once"); n != 2 {
		t.Errorf("ledger checked in %d scenarios, want 2", n)
	}
}

// TestRecorderWindows: a 503 or a closed port counts as expected only when
// the request overlapped a fault window; otherwise it is an error.
func TestRecorderWindows(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	r := newRecorder()
	t0 := time.Now()
	r.openWindow()
	r.closeWindowAt(time.Now().Add(time.Second))
	tests := []struct {
		name    string
		start   time.Time
		d       time.Duration
		status  int
		err     error
		problem string
		want    outcome
	}{
		{"success", t0, 5 * time.Millisecond, 200, nil, "", outOK},
		{"503 inside the window", t0.Add(100 * time.Millisecond), time.Millisecond, 503, nil, "status 503", outFault},
		{"in flight when the window opened", t0.Add(-50 * time.Millisecond), 100 * time.Millisecond, 503, nil, "status 503", outFault},
		{"refused inside the window", t0.Add(200 * time.Millisecond), time.Millisecond, 0, refused, "transport", outFault},
		{"503 after the window", t0.Add(2 * time.Second), time.Millisecond, 503, nil, "status 503", outFailed},
		{"500 inside the window", t0.Add(100 * time.Millisecond), time.Millisecond, 500, nil, "status 500", outFailed},
		{"reset inside the window", t0.Add(100 * time.Millisecond), time.Millisecond, 0, io.ErrUnexpectedEOF, "transport", outFailed},
	}
	for _, tt := range tests {
		if got := r.add("GET /", tt.start, tt.d, tt.status, tt.err, tt.problem); got != tt.want {
			t.Errorf("%s: outcome %d, want %d", tt.name, got, tt.want)
		}
	}
	if tot := r.totals(); tot.n != len(tests) || tot.errs != 3 || tot.faults != 3 {
		t.Errorf("totals %+v", tot)
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 95: 95 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := pct(d, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if pct(nil, 99) != 0 {
		t.Error("empty set")
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"-scenario", "outage,restart", "-users", "10"}, false},
		{[]string{"-scenario", "chaos"}, true},
		{[]string{"-users", "0"}, true},
		{[]string{"-think-min", "3s", "-think-max", "1s"}, true},
		{[]string{"extra"}, true},
	}
	for _, tt := range tests {
		o, err := parseFlags(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err %v", tt.args, err)
		}
		if err == nil && len(o.scenarios) == 0 {
			t.Errorf("%v: no scenarios", tt.args)
		}
	}
}
