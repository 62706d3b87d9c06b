// Command loadtest proves the platform under load and faults, on this
// machine only (all traffic goes to 127.0.0.1). It starts its own
// PostgreSQL cluster in a temporary directory, loads the demo data plus
// simulated accounts, builds and runs `buurtkracht serve` as a separate
// process, and then runs the scenarios:
//
//	load           residents, community workers and officers click for -duration
//	outage         PostgreSQL is stopped for -outage while they click
//	restart        the server gets SIGTERM while they click and is started again
//	two-instances  two server processes share the database and the sessions
//
// It prints a table per scenario and exits 1 when a goal is missed.
//
//	go run ./cmd/loadtest -users 200 -duration 60s -scenario all
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/pgcluster"
)

// options are the command-line flags.
type options struct {
	scenarios        []string
	users            int
	duration         time.Duration // the load scenario
	faultDuration    time.Duration // the fault scenarios
	loginConcurrency int           // logins at a time before the scenarios
	lead             time.Duration // time after a fault scenario's start before the fault
	outage           time.Duration
	recovery         time.Duration // goal: serving again this soon after the database is back
	thinkMin         time.Duration
	thinkMax         time.Duration
	p99              time.Duration
	keep             bool
}

var allScenarios = []string{"load", "outage", "restart", "two-instances"}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, o, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scen := fs.String("scenario", "all", "comma-separated: "+strings.Join(allScenarios, ", ")+", or all")
	fs.IntVar(&o.users, "users", 200, "concurrent simulated users (70% residents, 25% community workers, 5% officers)")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "length of the load scenario")
	fs.DurationVar(&o.faultDuration, "fault-duration", 30*time.Second, "length of the outage, restart and two-instances scenarios")
	fs.IntVar(&o.loginConcurrency, "login-concurrency", 2, "users logging in at the same time, once, before the scenarios")
	fs.DurationVar(&o.lead, "lead", 5*time.Second, "time after a fault scenario's start before the fault")
	fs.DurationVar(&o.outage, "outage", 10*time.Second, "how long PostgreSQL stays down in the outage scenario")
	fs.DurationVar(&o.recovery, "recovery", 5*time.Second, "goal: pages served again this soon after PostgreSQL is back")
	fs.DurationVar(&o.thinkMin, "think-min", time.Second, "shortest pause of a user between two clicks")
	fs.DurationVar(&o.thinkMax, "think-max", 3*time.Second, "longest pause of a user between two clicks")
	fs.DurationVar(&o.p99, "p99", 250*time.Millisecond, "goal: p99 latency of the load scenario must be below this")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (database, server logs) afterwards")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "loadtest: unexpected argument %q\n", fs.Arg(0))
		return o, errors.New("usage")
	}
	if *scen == "all" {
		o.scenarios = allScenarios
	} else {
		for _, s := range strings.Split(*scen, ",") {
			s = strings.TrimSpace(s)
			found := false
			for _, k := range allScenarios {
				found = found || s == k
			}
			if !found {
				fmt.Fprintf(stderr, "loadtest: unknown scenario %q\n", s)
				return o, errors.New("usage")
			}
			o.scenarios = append(o.scenarios, s)
		}
	}
	if o.users < 1 || o.thinkMax < o.thinkMin || o.outage <= 0 || o.recovery <= 0 || o.loginConcurrency < 1 {
		fmt.Fprintln(stderr, "loadtest: -users must be at least 1, -think-max at least -think-min, -outage and -recovery positive")
		return o, errors.New("usage")
	}
	return o, nil
}

// run sets everything up, runs the scenarios and prints the summary. It
// returns an error when a goal is missed or the setup fails.
func run(ctx context.Context, o options, out io.Writer) (err error) {
	begin := time.Now()
	e := &env{o: o, out: out}
	fmt.Fprintf(out, "Buurtkracht load test: %d users, think time %s-%s, scenarios %s (GOMAXPROCS %d)\n",
		o.users, o.thinkMin, o.thinkMax, strings.Join(o.scenarios, ", "), runtime.GOMAXPROCS(0))

	if e.dir, err = os.MkdirTemp("", "buurtkracht-loadtest-"); err != nil {
		return err
	}
	if err := os.Chmod(e.dir, 0o755); err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintln(out, "Kept:", e.dir)
		} else {
			_ = os.RemoveAll(e.dir)
		}
	}()
	binc := make(chan error, 1)
	go func() {
		var err error
		e.bin, err = buildServer(ctx, e.dir)
		binc <- err
	}()
	t := time.Now()
	e.cluster, err = pgcluster.New(ctx, pgcluster.Options{Database: "buurtkracht", BaseDir: e.dir})
	if err != nil {
		return errors.Join(err, <-binc)
	}
	defer func() {
		if err := e.cluster.Close(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintln(out, "loadtest: stop PostgreSQL:", err)
		}
	}()
	fmt.Fprintf(out, "PostgreSQL: private cluster on 127.0.0.1:%d (%s) started in %s\n", e.cluster.Port, e.cluster.Dir, time.Since(t).Round(10*time.Millisecond))
	if e.accts, e.fx, err = prepare(ctx, e.cluster.URL, o.users, out); err != nil {
		return errors.Join(err, <-binc)
	}
	if err := <-binc; err != nil {
		return err
	}
	e.srvEnv = serverEnv(e.cluster.URL)
	e.srv, err = startServer(ctx, "buurtkracht A", e.bin, e.srvEnv, 0, e.dir+"/server-a.log")
	if err != nil {
		return err
	}
	defer func() {
		e.srv.kill()
		for _, s := range e.extra {
			s.kill()
		}
	}()
	e.overview = officerOverview(e)
	fmt.Fprintf(out, "Server: %s (pid %d, log %s); officers' /overzicht: %v\n", e.srv.base, e.srv.cmd.Process.Pid, e.srv.logPath, e.overview)

	var results []result
	e.users = newUsers(e.accts)
	fmt.Fprintf(out, "\n== logins ...\n")
	lr := e.logins(ctx)
	printResult(out, lr)
	results = append(results, lr)
	for _, name := range o.scenarios {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(out, "\n== %s ...\n", name)
		var r result
		switch name {
		case "load":
			r = e.scenarioLoad(ctx)
		case "outage":
			r = e.scenarioOutage(ctx)
		case "restart":
			r = e.scenarioRestart(ctx)
		case "two-instances":
			r = e.scenarioTwoInstances(ctx)
		}
		printResult(out, r)
		results = append(results, r)
	}

	fmt.Fprintf(out, "\n== Summary (%d users, think %s-%s, total %s, load average now %s)\n", o.users, o.thinkMin, o.thinkMax, time.Since(begin).Round(time.Second), loadAverage())
	fmt.Fprintf(out, "  %-14s %-6s %8s %7s %8s %8s %8s %7s %7s\n", "scenario", "result", "requests", "req/s", "p50", "p95", "p99", "errors", "503*")
	failedN := 0
	for _, r := range results {
		t := r.rec.totals()
		verdict := "PASS"
		if !r.passed() {
			verdict = "FAIL"
			failedN++
		}
		fmt.Fprintf(out, "  %-14s %-6s %8d %7.1f %8s %8s %8s %7d %7d\n", r.name, verdict, t.n, t.rps, ms(t.p50), ms(t.p95), ms(t.p99), t.errs, t.faults)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failedN > 0 {
		return fmt.Errorf("%d of %d scenarios missed a goal", failedN, len(results))
	}
	return nil
}

func printResult(out io.Writer, r result) {
	fmt.Fprintf(out, "-- %s: %s\n", r.name, r.rec.elapsed().Round(100*time.Millisecond))
	r.rec.print(out)
	fmt.Fprintln(out, "  "+r.rec.timeline(5*time.Second))
	for _, n := range r.notes {
		fmt.Fprintln(out, "  note:", n)
	}
	printChecks(out, r.checks)
}

// officerOverview reports whether /overzicht exists for officers (the
// municipality's overview); the officers open it when it does.
func officerOverview(e *env) bool {
	for _, a := range e.accts {
		if a.role != officer {
			continue
		}
		c, err := loggedInClient(e.srv.base, a.email)
		if err != nil {
			return false
		}
		return probeStatus(c, e.srv.base+"/overzicht") == http.StatusOK
	}
	return false
}
