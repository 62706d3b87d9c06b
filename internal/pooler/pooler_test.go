package pooler_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/pooler"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// poolSize is PgBouncer's default_pool_size: the server connections it may
// open for the platform's database, far fewer than the platform's pool.
const (
	poolSize  = 2
	appPool   = 20
	appName   = "buurtkracht-via-pgbouncer"
	workers   = 20
	perWorker = 5
)

// The whole platform through PgBouncer in transaction pooling mode, with
// the direct URL beside it for the job queue: pages, a login whose session
// lives in PostgreSQL, a write read back, an e-mail sent by the job queue,
// a rate limit that trips, and a burst of concurrent requests that share
// two server connections. The same steps through pgx's default query mode
// (named prepared statements) fail, which the end of the test shows.
func TestPlatformThroughPgBouncer(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// The database first, so it is dropped after PgBouncer let go of it
	// (cleanups run last-registered first).
	direct := testkit.NewDB(t)
	dcfg, err := pgx.ParseConfig(direct)
	if err != nil {
		t.Fatal(err)
	}
	server := testkit.ServerConfig()
	b, err := pooler.Start(ctx, pooler.Options{Server: net.JoinHostPort(server.Host, server.Port),
		User: dcfg.User, Password: dcfg.Password, PoolSize: poolSize})
	if err != nil {
		t.Fatal(err) // no skip: .ci/run installs pgbouncer
	}
	t.Cleanup(func() { _ = b.Stop() })
	pooled := b.URL(dcfg.Database) + "&application_name=" + appName

	smtp := smtptest.Start(t)
	cfg := testkit.TestConfig()
	cfg.DatabaseURL, cfg.DatabaseDirectURL = pooled, direct
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS = smtp.Host, smtp.Port, "none"
	if !cfg.BehindPooler() {
		t.Fatal("a direct URL beside DATABASE_URL does not count as a pooler")
	}
	pool, err := postgres.Open(ctx, pooled+"&pool_max_conns="+strconv.Itoa(appPool), postgres.ThroughPooler(cfg.BehindPooler()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if m := pool.Config().ConnConfig.DefaultQueryExecMode; m != pgx.QueryExecModeCacheDescribe {
		t.Fatalf("query mode through the pooler: %v, want cache_describe", m)
	}
	// A poll interval far beyond the wait for the e-mail below: the worker
	// must hear of the job through LISTEN on its direct connection, from a
	// NOTIFY sent in a transaction that went through the pooler.
	queue := testkit.QueueOptions()
	queue.PollInterval = time.Minute
	a := app.New(cfg, pool, app.Options{Queue: queue})
	if err := a.StartJobs(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	s := &testkit.Server{URL: ts.URL, DB: pool, App: a, Cfg: cfg}

	// Anonymous pages.
	anon := s.Client(t)
	for _, p := range []string{"/", "/buurten", "/initiatieven", "/api/v1/initiatives"} {
		if res := anon.Get(p); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
	}

	// Login: the session is written to and read from PostgreSQL.
	geo := testkit.NewGeo(t, pool)
	geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034403", "Oost")
	geo.Neighbourhood("BU03440301", "Oudwijk")
	s.CreateUser(t, "anna@example.nl")
	s.CreateUser(t, "cees@example.nl")
	s.CreateUser(t, "dirk@example.nl")
	anna := s.Login(t, "anna@example.nl")

	// A write, read back by its writer and by a visitor.
	id := createInitiative(t, anna)
	for _, c := range []*testkit.Client{anna, anon} {
		res := c.Get(fmt.Sprintf("/initiatieven/%d", id))
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Moestuin Oudwijk") {
			t.Fatalf("initiative %d: %d", id, res.StatusCode)
		}
	}

	// The job queue: an offer of help is mailed to the owner at once.
	start := time.Now()
	cees := s.Login(t, "cees@example.nl")
	res := cees.PostForm(fmt.Sprintf("/initiatieven/%d/aanbod", id), url.Values{"hulp": {"vrijwilligers"}, "hulp_bericht": {"Ik kan zaterdag helpen."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("offer: %d", res.StatusCode)
	}
	mails := smtp.WaitFor(t, 1, 20*time.Second)
	if len(mails) != 1 || mails[0].To[0] != "anna@example.nl" || !strings.Contains(mails[0].Text, "Moestuin Oudwijk") {
		t.Fatalf("mails %+v", mails)
	}
	t.Logf("offer mailed %v after the request", time.Since(start).Round(time.Millisecond))

	// A rate limit: five wrong passwords, then even the right one is refused.
	dirk := s.Client(t)
	for i := range 5 {
		if res := dirk.PostForm("/inloggen", url.Values{"email": {"dirk@example.nl"}, "password": {"fout-" + strconv.Itoa(i)}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password %d: %d", i+1, res.StatusCode)
		}
	}
	if res := dirk.PostForm("/inloggen", url.Values{"email": {"dirk@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: %d, want 429", res.StatusCode)
	}

	// A burst: concurrent visitors and Anna's session, far more at once
	// than PgBouncer has server connections.
	before := stats(t, b, dcfg.Database)
	paths := []string{"/", "/initiatieven", fmt.Sprintf("/initiatieven/%d", id), "/api/v1/initiatives", "/buurten"}
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			hc := anon.HTTP
			if w%2 == 0 {
				hc = anna.HTTP // a logged-in page view reads the session
			}
			for r := range perWorker {
				p := paths[(w+r)%len(paths)]
				res, err := hc.Get(ts.URL + p)
				if err != nil {
					errs <- err
					continue
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("GET %s: %d", p, res.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	after := stats(t, b, dcfg.Database)

	// What proves the pooling: many client connections, at most poolSize
	// server connections, as PgBouncer and PostgreSQL both see them.
	servers := rowsFor(t, b, "SERVERS", dcfg.Database)
	clients := rowsFor(t, b, "CLIENTS", dcfg.Database)
	if servers == 0 || servers > poolSize {
		t.Errorf("%d server connections for the platform, want 1..%d", servers, poolSize)
	}
	if clients <= 2*poolSize {
		t.Errorf("only %d client connections: the burst did not need more than the pooler's %d", clients, poolSize)
	}
	var backends int
	dp := testkit.OpenPool(t, direct, 1)
	if err := dp.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, appName).Scan(&backends); err != nil {
		t.Fatal(err)
	}
	if backends == 0 || backends > poolSize {
		t.Errorf("PostgreSQL has %d backends of the platform, want 1..%d", backends, poolSize)
	}
	// The job queue's own connections, straight to PostgreSQL: a few, not
	// one per request (this test's own query is left out).
	var queueConns int
	if err := dp.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name <> $1 AND pid <> pg_backend_pid()`, appName).Scan(&queueConns); err != nil {
		t.Fatal(err)
	}
	if queueConns == 0 || queueConns > 4 {
		t.Errorf("%d direct connections of the job queue, want 1..4", queueConns)
	}
	xacts := after["total_xact_count"] - before["total_xact_count"]
	if xacts < workers*perWorker {
		t.Errorf("%d transactions through the pooler during the burst, want at least %d", xacts, workers*perWorker)
	}
	if after["total_wait_time"] <= before["total_wait_time"] {
		t.Error("no client ever waited for a server connection: the burst was not pooled")
	}
	t.Logf("burst: %d requests, %d transactions, %d client and %d server connections, %d backends (and %d of the job queue), clients waited %v in all",
		workers*perWorker, xacts, clients, servers, backends, queueConns, time.Duration(after["total_wait_time"]-before["total_wait_time"])*time.Microsecond)

	// The platform's query mode survives two clients taking turns on one
	// server connection; pgx's default mode does not.
	if err := takeTurns(ctx, pool); err != nil {
		t.Errorf("the platform's pool through the pooler: %v", err)
	}
	def, err := postgres.Open(ctx, pooled)
	if err != nil {
		t.Fatal(err)
	}
	defer def.Close()
	var pgErr *pgconn.PgError
	if err := takeTurns(ctx, def); !errors.As(err, &pgErr) || (pgErr.Code != "42P05" && pgErr.Code != "26000") {
		t.Errorf("the default query mode through the pooler: %v, want a prepared statement error", err)
	}
}

// takeTurns runs one query on two connections of pool in turn, as two
// requests would. Through a transaction pooler both land on the same
// server connection (it hands out the most recently used one).
func takeTurns(ctx context.Context, pool *pgxpool.Pool) error {
	c1, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c1.Release()
	c2, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c2.Release()
	for i, c := range []*pgxpool.Conn{c1, c2, c1, c2} {
		var n int
		if err := c.QueryRow(ctx, `SELECT count(*)::int + $1 FROM accounts`, i).Scan(&n); err != nil {
			return fmt.Errorf("turn %d: %w", i+1, err)
		}
	}
	return nil
}

var reKey = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)

// createInitiative registers an initiative through the form and returns its id.
func createInitiative(t *testing.T, c *testkit.Client) int64 {
	t.Helper()
	res := c.Get("/initiatieven/nieuw?gemeente=GM0344")
	m := reKey.FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create form: %d", res.StatusCode)
	}
	res = c.PostForm("/initiatieven/nieuw", url.Values{
		"gemeente": {"GM0344"}, "sleutel": {m[1]}, "titel": {"Moestuin Oudwijk"},
		"samenvatting": {"Samen groente kweken op het braakliggende veldje."}, "beschrijving": {"Iedereen is welkom."},
		"buurt": {"BU03440301"}, "thema": {"ontmoeting"}, "vorm": {"informal"}, "status": {"idee"},
		"behoefte": {"vrijwilligers"}, "contact": {"platform"}, "zichtbaarheid": {"public"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Location(), "/initiatieven/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", res.Location())
	}
	return id
}

// stats returns PgBouncer's counters (SHOW STATS) for database.
func stats(t *testing.T, b *pooler.Bouncer, database string) map[string]int64 {
	t.Helper()
	rows, err := b.Show(t.Context(), "STATS")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r["database"] != database {
			continue
		}
		out := map[string]int64{}
		for k, v := range r {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				out[k] = n
			}
		}
		return out
	}
	t.Fatalf("no statistics for %s", database)
	return nil
}

// rowsFor counts the rows of SHOW what (SERVERS, CLIENTS) for database.
func rowsFor(t *testing.T, b *pooler.Bouncer, what, database string) int {
	t.Helper()
	rows, err := b.Show(t.Context(), what)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r["database"] == database {
			n++
		}
	}
	return n
}

// A PgBouncer that dies at start is reported with its exit, not waited for.
func TestStartReportsExit(t *testing.T) {
	t.Parallel()
	start := time.Now()
	_, err := pooler.Start(t.Context(), pooler.Options{Binary: "/bin/false"})
	if err == nil || !strings.Contains(err.Error(), "exited at start") {
		t.Fatalf("start of /bin/false: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to notice", d)
	}
}
