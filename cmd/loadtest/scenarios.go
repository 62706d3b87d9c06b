package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/pgcluster"
)

// env is what the scenarios share: the private database, the binary, the
// running server and the simulated accounts.
type env struct {
	o        options
	out      io.Writer
	cluster  *pgcluster.Cluster
	bin      string
	dir      string
	srvEnv   []string
	srv      *server // instance A; replaced by the restart scenario
	extra    []*server
	accts    []acct
	users    []*user
	fx       fixtures
	overview bool
	runs     int
}

// result is one scenario's figures and goals.
type result struct {
	name   string
	rec    *recorder
	checks []check
	notes  []string
}

func (r result) passed() bool {
	for _, c := range r.checks {
		if !c.ok {
			return false
		}
	}
	return true
}

// fault is what a scenario does to the platform while the users click. It
// runs from lead after the scenario's start; its checks join the scenario's.
type fault func(ctx context.Context, rec *recorder) ([]check, []string)

// load runs the users against bases for dur, with an optional fault,
// then checks errors, the ledger and the server logs.
func (e *env) load(ctx context.Context, name string, bases []string, dur time.Duration, f fault) result {
	e.runs++
	res := result{name: name, rec: newRecorder()}
	loadBefore := loadAverage()
	logs := map[string]int64{}
	for _, s := range append([]*server{e.srv}, e.extra...) {
		logs[s.logPath] = logSize(s.logPath)
	}
	cpuStart := e.cpu()
	led := newLedger()
	w := &workload{users: e.users, fx: e.fx, bases: bases, think: [2]time.Duration{e.o.thinkMin, e.o.thinkMax},
		rec: res.rec, ledger: led, overview: e.overview,
		runID: fmt.Sprintf("Loadtest %s %d", time.Now().Format("150405"), e.runs)}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { w.run(stop); close(done) }()

	type faultResult struct {
		checks []check
		notes  []string
	}
	fr := make(chan faultResult, 1)
	if f != nil {
		go func() {
			if !sleepCtx(ctx, e.o.lead) {
				fr <- faultResult{}
				return
			}
			c, n := f(ctx, res.rec)
			fr <- faultResult{c, n}
		}()
	} else {
		fr <- faultResult{}
	}
	sleepCtx(ctx, dur)
	close(stop)
	<-done
	res.rec.finish()
	got := <-fr
	res.checks = append(res.checks, got.checks...)
	res.notes = append(res.notes, got.notes...)
	res.notes = append(res.notes, fmt.Sprintf("machine load average (1 min) at start %s, at end %s", loadBefore, loadAverage()))
	if srvCPU, pgCPU := e.cpuSince(cpuStart); srvCPU > 0 {
		t := res.rec.totals()
		el := res.rec.elapsed().Seconds()
		res.notes = append(res.notes, fmt.Sprintf("CPU: server %.1fs (%.2f cores, %.1f ms/request), PostgreSQL %.1fs (%.2f cores)",
			srvCPU.Seconds(), srvCPU.Seconds()/el, float64(srvCPU.Microseconds())/1000/float64(max(1, t.n)), pgCPU.Seconds(), pgCPU.Seconds()/el))
	}

	t := res.rec.totals()
	res.checks = append(res.checks, check{"no errors (unexpected status, transport error)", t.errs == 0,
		fmt.Sprintf("%d errors in %d requests", t.errs, t.n)})
	vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	lr, err := led.verify(vctx, e.cluster.URL, w.runID)
	if err != nil {
		res.checks = append(res.checks, check{"acknowledged writes in the database once", false, err.Error()})
	} else {
		res.checks = append(res.checks, check{"acknowledged writes in the database once", lr.ok() && lr.acked > 0, lr.String()})
	}
	for path, off := range logs {
		panics, e5xx, first := logProblems(path, off)
		res.checks = append(res.checks, check{"server log: no panic, no 5xx but 503", panics == 0 && e5xx == 0,
			fmt.Sprintf("%s: %d panics, %d other 5xx %s", shortPath(path), panics, e5xx, first)})
	}
	return res
}

// cpuMark is the CPU time used so far by the servers and by PostgreSQL.
type cpuMark struct {
	servers map[int]time.Duration
	pg      time.Duration
}

func (e *env) cpu() cpuMark {
	m := cpuMark{servers: map[int]time.Duration{}}
	for _, s := range append([]*server{e.srv}, e.extra...) {
		m.servers[s.cmd.Process.Pid] = cpuTime(s.cmd.Process.Pid, false)
	}
	if pid := postmasterPID(e.cluster.Dir); pid > 0 {
		m.pg = cpuTime(pid, true)
	}
	return m
}

// cpuSince returns the CPU time the servers (also ones started meanwhile)
// and PostgreSQL used since m. PostgreSQL's figure counts live processes
// only, so it is low after an outage.
func (e *env) cpuSince(m cpuMark) (servers, pg time.Duration) {
	now := e.cpu()
	for pid, d := range now.servers {
		servers += d - m.servers[pid]
	}
	return servers, max(0, now.pg-m.pg)
}

func shortPath(p string) string { return p[strings.LastIndex(p, "/")+1:] }

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// logins logs every simulated user in, -login-concurrency at a time. The
// sessions serve every scenario after it.
func (e *env) logins(ctx context.Context) result {
	res := result{name: "logins", rec: newRecorder()}
	w := &workload{users: e.users, fx: e.fx, bases: []string{e.srv.base}, rec: res.rec}
	w.loginAll(e.o.loginConcurrency)
	res.rec.finish()
	in := 0
	for _, u := range e.users {
		if u.logged {
			in++
		}
	}
	t := res.rec.totals()
	res.checks = append(res.checks, check{"every simulated user logged in", in == len(e.users) && t.errs == 0,
		fmt.Sprintf("%d of %d in %s (%.1f logins/s, %d at a time)", in, len(e.users), res.rec.elapsed().Round(100*time.Millisecond), t.rps, e.o.loginConcurrency)})
	return res
}

// scenarioLoad: the mixed workload, no faults; goals on errors and p99.
func (e *env) scenarioLoad(ctx context.Context) result {
	res := e.load(ctx, "load", []string{e.srv.base}, e.o.duration, nil)
	t := res.rec.totals()
	res.checks = append(res.checks, check{fmt.Sprintf("p99 of all requests < %s", e.o.p99), t.p99 > 0 && t.p99 < e.o.p99,
		fmt.Sprintf("p99 %s, p95 %s, p50 %s, %.1f req/s", ms(t.p99), ms(t.p95), ms(t.p50), t.rps)})
	kind, worst := res.rec.worstP99(50)
	res.checks = append(res.checks, check{fmt.Sprintf("p99 of every request kind < %s", e.o.p99), worst < e.o.p99,
		fmt.Sprintf("slowest: %s p99 %s", kind, ms(worst))})
	return res
}

// scenarioOutage stops PostgreSQL while the users click, starts it again
// and measures how the platform answers meanwhile and how fast it recovers.
func (e *env) scenarioOutage(ctx context.Context) result {
	base := e.srv.base
	// Long enough to see the users served again after the recovery allowance.
	dur := max(e.o.faultDuration, e.o.lead+e.o.outage+e.o.recovery+time.Second)
	var down, back time.Time
	res := e.load(ctx, "outage", []string{base}, dur, func(ctx context.Context, rec *recorder) ([]check, []string) {
		probe, err := loggedInClient(base, e.accts[0].email)
		if err != nil {
			return []check{{"probe logs in before the outage", false, err.Error()}}, nil
		}
		rec.openWindow()
		t0 := time.Now()
		down = t0
		fmt.Fprintf(e.out, "  %s stopping PostgreSQL\n", t0.Format("15:04:05.000"))
		if err := e.cluster.Stop(ctx); err != nil {
			return []check{{"stop PostgreSQL", false, err.Error()}}, nil
		}
		stopped := time.Since(t0)
		// While it is down: a page must answer 503 quickly.
		var slowest time.Duration
		statuses := map[int]int{}
		downUntil := time.Now().Add(e.o.outage)
		for time.Now().Before(downUntil) {
			s := time.Now()
			st := probeStatus(probe, base+"/account")
			slowest = max(slowest, time.Since(s))
			statuses[st]++
			sleepCtx(ctx, 200*time.Millisecond)
		}
		if err := e.cluster.Start(ctx); err != nil {
			return []check{{"start PostgreSQL again", false, err.Error()}}, nil
		}
		back = time.Now()
		fmt.Fprintf(e.out, "  %s PostgreSQL is back\n", back.Format("15:04:05.000"))
		recovery := time.Duration(-1)
		for time.Since(back) < 30*time.Second {
			if probeStatus(probe, base+"/account") == http.StatusOK {
				recovery = time.Since(back)
				break
			}
			sleepCtx(ctx, 20*time.Millisecond)
		}
		// Requests may still find the pool reconnecting for up to -recovery.
		rec.closeWindowAt(back.Add(e.o.recovery))
		only503 := len(statuses) == 1 && statuses[http.StatusServiceUnavailable] > 0
		return []check{
				{"during the outage pages answer 503", only503, fmt.Sprintf("probe statuses %v", statuses)},
				{"probe during the outage answered within 2 s", slowest < 2*time.Second, fmt.Sprintf("slowest %s", ms(slowest))},
				{fmt.Sprintf("serving again within %s of PostgreSQL's return", e.o.recovery), recovery >= 0 && recovery <= e.o.recovery,
					fmt.Sprintf("recovery %s, same process (pid %d)", ms(recovery), e.srv.cmd.Process.Pid)},
			}, []string{fmt.Sprintf("PostgreSQL stopped (pg_ctl stop -m fast, %s) for %s", ms(stopped), e.o.outage),
				fmt.Sprintf("recovery after PostgreSQL was back: %s", ms(recovery))}
	})
	if !back.IsZero() {
		// Every request sent while PostgreSQL was down, by any user.
		slow, desc := res.rec.slowestStarted(down, back)
		res.checks = append([]check{{"requests sent during the outage answered within 2 s", slow < 2*time.Second,
			fmt.Sprintf("slowest %s: %s", ms(slow), desc)}}, res.checks...)
	}
	return res
}

// scenarioRestart sends SIGTERM to the server while the users click and
// starts a new process on the same port.
func (e *env) scenarioRestart(ctx context.Context) result {
	var tTerm time.Time
	res := e.load(ctx, "restart", []string{e.srv.base}, e.o.faultDuration, func(ctx context.Context, rec *recorder) ([]check, []string) {
		old := e.srv
		// Send the signal while requests are on their way, if any come within 3 s.
		for deadline := time.Now().Add(3 * time.Second); rec.inflight.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		rec.openWindow()
		tTerm = time.Now()
		took, exitErr := old.terminate(30 * time.Second)
		next, err := startServer(ctx, "buurtkracht A", e.bin, e.srvEnv, old.port, old.logPath)
		if err != nil {
			return []check{{"server starts again", false, err.Error()}}, nil
		}
		e.srv = next
		down := time.Since(tTerm)
		rec.closeWindowAt(time.Now().Add(time.Second))
		return []check{
			{"SIGTERM: clean exit within the grace period", exitErr == nil && took < 10*time.Second,
				fmt.Sprintf("exit %v after %s", exitErr, ms(took))},
		}, []string{fmt.Sprintf("SIGTERM to exit: %s; new process serving %s after SIGTERM", ms(took), ms(down))}
	})
	if !tTerm.IsZero() {
		n, bad := res.rec.inFlightAt(tTerm)
		res.checks = append([]check{{"requests in flight at SIGTERM complete", bad == 0,
			fmt.Sprintf("%d in flight, %d failed", n, bad)}}, res.checks...)
	}
	return res
}

// scenarioTwoInstances runs a second server on the same database: a session
// from one is valid on the other, a logout on one ends it on both, and the
// users alternate between the two under load.
func (e *env) scenarioTwoInstances(ctx context.Context) result {
	b, err := startServer(ctx, "buurtkracht B", e.bin, e.srvEnv, 0, e.dir+"/server-b.log")
	if err != nil {
		return result{name: "two-instances", rec: newRecorder(), checks: []check{{"second server starts", false, err.Error()}}}
	}
	e.extra = append(e.extra, b)
	defer func() {
		_, _ = b.terminate(30 * time.Second)
		e.extra = e.extra[:len(e.extra)-1]
	}()
	checks := sessionShared(e.srv.base, b.base, e.accts[0].email)
	res := e.load(ctx, "two-instances", []string{e.srv.base, b.base}, e.o.faultDuration, nil)
	res.checks = append(checks, res.checks...)
	res.notes = append(res.notes, fmt.Sprintf("instances %s and %s; every user alternates between them per request", e.srv.base, b.base))
	return res
}

// sessionShared logs in on a, uses the session on b, logs out on b and
// replays the old cookie on both.
func sessionShared(a, b, email string) []check {
	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, url, cookie string, form url.Values) (int, string, string, error) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, url, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, "", "", err
		}
		defer res.Body.Close()
		bb, _ := io.ReadAll(res.Body)
		for _, c := range res.Cookies() {
			// "__Host-buurtkracht_sessie" when the target runs over https.
			if strings.HasSuffix(c.Name, "buurtkracht_sessie") && c.Value != "" {
				cookie = c.Name + "=" + c.Value
			}
		}
		if res.StatusCode == http.StatusSeeOther {
			return res.StatusCode, cookie, res.Header.Get("Location"), nil
		}
		return res.StatusCode, cookie, string(bb), nil
	}
	st, cookie, loc, err := send("POST", a+"/inloggen", "", url.Values{"email": {email}, "password": {demoPassword}})
	if err != nil || st != http.StatusSeeOther || cookie == "" {
		return []check{{"log in on instance A", false, fmt.Sprintf("status %d %s %v", st, loc, err)}}
	}
	var checks []check
	st, _, body, err := send("GET", b+"/account", cookie, nil)
	checks = append(checks, check{"session from instance A valid on instance B", err == nil && st == http.StatusOK && strings.Contains(body, email),
		fmt.Sprintf("GET B/account: %d", st)})
	st, _, _, err = send("POST", b+"/uitloggen", cookie, url.Values{})
	lo := err == nil && st == http.StatusSeeOther
	stA, _, locA, errA := send("GET", a+"/account", cookie, nil)
	stB, _, locB, errB := send("GET", b+"/account", cookie, nil)
	checks = append(checks, check{"logout on instance B ends the session on A and B", lo && errA == nil && errB == nil &&
		stA == http.StatusSeeOther && strings.HasPrefix(locA, "/inloggen") && stB == http.StatusSeeOther && strings.HasPrefix(locB, "/inloggen"),
		fmt.Sprintf("logout %d; old cookie then: A %d %s, B %d %s", st, stA, locA, stB, locB)})
	return checks
}

// loggedInClient returns a client with a session on base.
func loggedInClient(base, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/inloggen", url.Values{"email": {email}, "password": {demoPassword}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || strings.HasPrefix(res.Header.Get("Location"), "/inloggen") {
		return nil, fmt.Errorf("login: status %d", res.StatusCode)
	}
	return c, nil
}

// probeStatus GETs url and returns the status, 0 on a transport error.
func probeStatus(c *http.Client, url string) int {
	res, err := c.Get(url)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}
