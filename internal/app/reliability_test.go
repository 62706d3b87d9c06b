package app_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// outage makes the database unavailable to the app and brings it back.
type outage interface {
	url(dbURL string) string // the URL the app should use
	start(t *testing.T)
	end(t *testing.T)
}

// refusing stops the database accepting connections and ends the open ones,
// as PostgreSQL does during a restart or maintenance.
type refusing struct{ dbURL string }

func (o *refusing) url(dbURL string) string { o.dbURL = dbURL; return dbURL }

func (o *refusing) admin(t *testing.T, sql string) {
	t.Helper()
	cfg, err := pgx.ParseConfig(o.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := cfg.Database
	sc := testkit.ServerConfig()
	sc.Database = "postgres"
	conn, err := pgx.Connect(context.Background(), sc.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var args []any
	if strings.Contains(sql, "$1") {
		args = append(args, name)
	}
	if _, err := conn.Exec(context.Background(), strings.ReplaceAll(sql, "$DB", pgx.Identifier{name}.Sanitize()), args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func (o *refusing) start(t *testing.T) {
	o.admin(t, `ALTER DATABASE $DB ALLOW_CONNECTIONS false`)
	o.admin(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`)
}

func (o *refusing) end(t *testing.T) { o.admin(t, `ALTER DATABASE $DB ALLOW_CONNECTIONS true`) }

// unreachable puts a TCP proxy between app and database and pulls it, as
// when the database host or the network goes away.
type unreachable struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func (o *unreachable) url(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		panic(err)
	}
	o.target = u.Host
	o.addr = "127.0.0.1:0"
	o.listen()
	u.Host = o.addr
	return u.String()
}

func (o *unreachable) listen() {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		panic(err)
	}
	o.mu.Lock()
	o.ln, o.addr = ln, ln.Addr().String()
	o.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", o.target)
			if err != nil {
				c.Close()
				continue
			}
			o.mu.Lock()
			o.conns = append(o.conns, c, d)
			o.mu.Unlock()
			go func() { _, _ = io.Copy(d, c); d.Close() }()
			go func() { _, _ = io.Copy(c, d); c.Close() }()
		}
	}()
}

func (o *unreachable) start(t *testing.T) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ln.Close()
	for _, c := range o.conns {
		c.Close()
	}
	o.conns = nil
}

func (o *unreachable) end(t *testing.T) { o.listen() }

// TestDatabaseOutage: while the database is away, pages answer quickly with
// the friendly 503 page and /readyz says 503; when it is back, the same
// process serves again, with the session intact.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]outage{"refuses connections": &refusing{}, "unreachable": &unreachable{}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			pool, err := postgres.Open(ctx, o.url(testkit.NewDB(t)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pool.Close)
			cfg := testkit.TestConfig()
			a := app.New(cfg, pool, app.Options{Mailer: &testkit.MailBox{}})
			ts := httptest.NewServer(a.Handler())
			t.Cleanup(func() { ts.Close(); a.Close() })
			s := &testkit.Server{URL: ts.URL, DB: pool, App: a, Cfg: cfg}
			s.CreateUser(t, "bewoner@example.nl")
			c := s.Login(t, "bewoner@example.nl")
			if res := c.Get("/"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Ingelogd als") {
				t.Fatalf("before the outage: %d", res.StatusCode)
			}

			o.start(t)
			for _, path := range []string{"/", "/", "/over"} {
				start := time.Now()
				res := c.Get(path)
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("GET %s took %s during the outage; want < 2s", path, took)
				}
				if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.Body, "Even niet beschikbaar") {
					t.Fatalf("GET %s during the outage: %d\n%s", path, res.StatusCode, res.Body)
				}
				if res.Header.Get("Retry-After") == "" {
					t.Error("503 without Retry-After")
				}
				if strings.Contains(res.Body, "SQLSTATE") || strings.Contains(res.Body, "goroutine") {
					t.Errorf("503 page leaks internals:\n%s", res.Body)
				}
			}
			anon := s.Client(t)
			if res := anon.PostForm("/inloggen", url.Values{"email": {"bewoner@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("login during the outage: %d, want 503", res.StatusCode)
			}
			if res := anon.Get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("/readyz during the outage: %d, want 503", res.StatusCode)
			}
			if res := anon.Get("/healthz"); res.StatusCode != http.StatusOK {
				t.Errorf("/healthz during the outage: %d, want 200 (the process is up)", res.StatusCode)
			}

			o.end(t)
			deadline := time.Now().Add(5 * time.Second)
			for {
				res := c.Get("/")
				if res.StatusCode == http.StatusOK {
					if !strings.Contains(res.Body, "Ingelogd als") {
						t.Error("session lost over the outage")
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("not serving 5s after the database came back: %d", res.StatusCode)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if res := anon.Get("/readyz"); res.StatusCode != http.StatusOK {
				t.Errorf("/readyz after the outage: %d", res.StatusCode)
			}
		})
	}
}

// TestGracefulShutdown cancels Serve while a request waits on the database:
// the server stops accepting new connections, the request still gets its
// full answer, and Serve returns cleanly.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "wacht@example.nl")
	cfg := s.Cfg
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownGrace = 10 * time.Second
	a := app.New(cfg, s.DB, app.Options{Mailer: s.Mail})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, func(addr string) { addrc <- addr }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-served:
		t.Fatal(err)
	}

	// Hold a lock that the login query must wait for.
	tx, err := s.DB.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(context.Background(), `LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	type result struct {
		status int
		err    error
	}
	resc := make(chan result, 1)
	go func() {
		res, err := client.PostForm("http://"+addr+"/inloggen", url.Values{"email": {"wacht@example.nl"}, "password": {testkit.Password}})
		if err != nil {
			resc <- result{err: err}
			return
		}
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
		resc <- result{res.StatusCode, err}
	}()
	waitFor(t, "the login to wait on the lock", func() bool {
		var n int
		_ = s.DB.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		return n > 0
	})

	cancel() // SIGTERM
	waitFor(t, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return false
		}
		return true
	})
	select {
	case r := <-resc:
		t.Fatalf("in-flight request ended before the database answered: %+v", r)
	case err := <-served:
		t.Fatalf("Serve returned while a request was in flight: %v", err)
	case <-time.After(200 * time.Millisecond):
	}

	if err := tx.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := <-resc
	if r.err != nil || r.status != http.StatusSeeOther {
		t.Fatalf("in-flight login: status %d, err %v; want a full 303", r.status, r.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the last request finished")
	}
}

// TestShutdownGraceIsBounded: a request that outlives the grace period does
// not keep the process alive.
func TestShutdownGraceIsBounded(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	cfg := s.Cfg
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownGrace = 300 * time.Millisecond
	a := app.New(cfg, s.DB, app.Options{Mailer: s.Mail})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, func(addr string) { addrc <- addr }) }()
	addr := <-addrc

	tx, err := s.DB.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(context.Background(), `LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	go func() {
		res, err := http.PostForm("http://"+addr+"/inloggen", url.Values{"email": {"x@example.nl"}, "password": {"x"}})
		if err == nil {
			res.Body.Close()
		}
	}()
	waitFor(t, "the login to wait on the lock", func() bool {
		var n int
		_ = s.DB.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		return n > 0
	})
	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("Serve returned after %s; grace is 300ms", took)
		}
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Serve = %v, want the shutdown deadline reported", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve still running 5s after cancel with a 300ms grace")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRequestIDOnEveryResponse: the router gives each response its own id,
// also error pages and probes, so a user's report can be found in the logs.
func TestRequestIDOnEveryResponse(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	seen := map[string]string{}
	for _, path := range []string{"/", "/", "/bestaat-niet", "/healthz", "/static/css/app.css"} {
		id := c.Get(path).Header.Get("X-Request-Id")
		if len(id) != 16 {
			t.Errorf("GET %s: X-Request-Id %q", path, id)
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("GET %s reused the request id of GET %s", path, prev)
		}
		seen[id] = path
	}
}
