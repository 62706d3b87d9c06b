package dbread_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/dbread"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/pgcluster"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestStreamingReplica runs the platform on a private primary with a real
// streaming replica made by pg_basebackup -R, and shows through its pages
// where reads come from: a write on the primary reaches anonymous readers
// once the replica replayed it, and not while its replay is paused (so those
// reads did come from the replica), whereas the writer sees it at once. A
// platform with a 1 s lag limit leaves the paused replica for the primary,
// and both leave it when it stops; /readyz says so and stays 200. When the
// replica is back and current, reads go to it again.
//
// Two platforms share the primary's pool and the replica: "patient" with the
// default limit of 30 s, "strict" with 1 s. They differ only in that limit.
func TestStreamingReplica(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	started := time.Now()

	primary, err := pgcluster.New(ctx, pgcluster.Options{Database: "buurtkracht"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = primary.Close(context.Background()) })
	if err := postgres.MigrateUp(primary.URL); err != nil {
		t.Fatal(err)
	}
	replica, err := pgcluster.NewReplica(ctx, primary, pgcluster.Options{})
	if err != nil {
		t.Fatalf("replica: %v\n(primary log: %s)", err, primary.LogFile())
	}
	t.Cleanup(func() { _ = replica.Close(context.Background()) })
	t.Logf("primary and replica ready after %s", time.Since(started).Round(100*time.Millisecond))

	pool, err := postgres.Open(ctx, primary.URL+"&pool_max_conns=10")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	replicaConn := connect(t, replica.URL)

	patient := openRouter(t, pool, replica.URL, 0)
	strict := openRouter(t, pool, replica.URL, time.Second)
	p := serve(t, pool, patient)
	s := serve(t, pool, strict)

	// The municipality the initiatives belong to, and a resident who writes.
	geo := testkit.NewGeo(t, pool)
	geo.Municipality("GM0344", "Utrecht")
	geo.Neighbourhood("BU03440301", "Oudwijk")
	p.CreateUser(t, "anna@example.org")

	// A replica URL that is down at start-up, or that names a primary,
	// opens all the same and leaves every read on the primary.
	dead := openRouter(t, pool, deadURL(t), 0)
	notStandby := openRouter(t, pool, primary.URL, 0)
	waitState(t, dead, dbread.Unreachable, "router on a port where nothing listens")
	waitState(t, notStandby, dbread.NotStandby, "router on the primary's URL")
	if dead.Reader(ctx) != pool || notStandby.Reader(ctx) != pool || dbread.New(pool).Reader(ctx) != pool {
		t.Error("a router without a usable replica hands out another pool than the primary")
	}

	waitState(t, patient, dbread.Healthy, "patient router on the fresh replica")
	waitState(t, strict, dbread.Healthy, "strict router on the fresh replica")
	readyz(t, p, "database: ok\nleesreplica: ok (achterstand ")

	anna := p.Login(t, "anna@example.org") // a POST: her reads are fresh from now on
	anon := p.Client(t)
	anonStrict := s.Client(t)

	// 1. A write reaches the anonymous reader through the replica.
	first := createInitiative(t, anna, "Moestuin Oudwijk")
	eventually(t, "anonymous list shows the first initiative", func() (bool, string) {
		res := anon.Get("/initiatieven")
		return res.StatusCode == http.StatusOK && strings.Contains(res.Body, "Moestuin Oudwijk"), status(res)
	})
	if res := anon.Get(apiItem(first)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Moestuin Oudwijk") {
		t.Errorf("open-data item of the first initiative: %s", status(res))
	}

	// 2. Replay paused: the replica stops at the first initiative.
	pauseReplay(t, replicaConn)
	second := createInitiative(t, anna, "Buurtkeuken Wittevrouwen")
	if st := patient.Status(); st.State != dbread.Healthy {
		t.Fatalf("patient router left the replica too early: %s", st.Describe())
	}
	// The writer sees her write, on the page after the POST and on others.
	if res := anna.Get("/initiatieven"); !strings.Contains(res.Body, "Buurtkeuken Wittevrouwen") {
		t.Errorf("the writer does not see her own new initiative in the list: %s", status(res))
	}
	// Anonymous readers of the same platform read the paused replica: they
	// see the first initiative but not yet the second, list and API alike.
	for range 3 {
		res := anon.Get("/initiatieven")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Moestuin Oudwijk") {
			t.Fatalf("anonymous list during the pause: %s", status(res))
		}
		if strings.Contains(res.Body, "Buurtkeuken Wittevrouwen") {
			t.Fatal("anonymous list shows the second initiative while the replica's replay is paused: it did not read from the replica")
		}
		if res := anon.Get(apiItem(second)); res.StatusCode != http.StatusNotFound {
			t.Fatalf("open-data item of the second initiative during the pause: %s, want 404 from the replica", status(res))
		}
		time.Sleep(150 * time.Millisecond)
	}
	if st := patient.Status(); st.State != dbread.Healthy {
		t.Fatalf("patient router left the replica during the pause: %s", st.Describe())
	}
	// A request marked fresh (a POST, or a client that just wrote) gets
	// the primary from the router itself.
	if patient.Reader(ctx) == pool || patient.Reader(httpx.WithFreshReads(ctx)) != pool {
		t.Error("Reader: want the replica for a plain read and the primary for a fresh one")
	}

	// 3. The strict platform leaves the lagging replica for the primary
	// once the lag passes 1 s, and says so; the patient one stays.
	waitState(t, strict, dbread.Lagging, "strict router leaves the paused replica")
	body := readyz(t, s, "database: ok\nleesreplica: niet in gebruik, lezen van de primaire database (achterstand ")
	if !strings.Contains(body, " > 1s)") {
		t.Errorf("strict /readyz does not name the limit: %q", body)
	}
	if res := anonStrict.Get("/initiatieven"); !strings.Contains(res.Body, "Buurtkeuken Wittevrouwen") {
		t.Errorf("strict platform's anonymous list after the fallback lacks the second initiative: %s", status(res))
	}
	if res := anonStrict.Get(apiItem(second)); res.StatusCode != http.StatusOK {
		t.Errorf("strict platform's open-data item after the fallback: %s", status(res))
	}
	if res := anon.Get("/initiatieven"); strings.Contains(res.Body, "Buurtkeuken Wittevrouwen") {
		t.Error("patient platform left the replica although its lag is within 30 s")
	}
	readyz(t, p, "leesreplica: ok (achterstand ")

	// 4. Replay resumed: the replica catches up and the strict platform
	// goes back to it.
	exec(t, replicaConn, `SELECT pg_wal_replay_resume()`)
	waitState(t, strict, dbread.Healthy, "strict router back on the caught-up replica")
	eventually(t, "patient platform's anonymous list shows the second initiative", func() (bool, string) {
		res := anon.Get("/initiatieven")
		return strings.Contains(res.Body, "Buurtkeuken Wittevrouwen"), status(res)
	})

	// 5. The replica stops: both platforms read the primary, /readyz says
	// so and stays 200.
	if err := replica.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	waitState(t, patient, dbread.Unreachable, "patient router notices the replica is down")
	waitState(t, strict, dbread.Unreachable, "strict router notices the replica is down")
	readyz(t, p, "database: ok\nleesreplica: onbereikbaar, lezen van de primaire database")
	third := createInitiative(t, anna, "Speeltuin Abstede")
	if res := anon.Get("/initiatieven"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Speeltuin Abstede") {
		t.Errorf("anonymous list with the replica down: %s", status(res))
	}
	if res := anon.Get(apiItem(third)); res.StatusCode != http.StatusOK {
		t.Errorf("open-data item with the replica down: %s", status(res))
	}

	// 6. The replica is back: once it streams and has caught up, reads go
	// to it again, which its paused replay shows once more.
	if err := replica.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitState(t, patient, dbread.Healthy, "patient router back on the restarted replica")
	readyz(t, p, "leesreplica: ok (achterstand ")
	replicaConn = connect(t, replica.URL)
	eventually(t, "restarted replica has the third initiative", func() (bool, string) {
		res := anon.Get("/initiatieven")
		return strings.Contains(res.Body, "Speeltuin Abstede"), status(res)
	})
	pauseReplay(t, replicaConn)
	createInitiative(t, anna, "Repaircafé Oudwijk")
	if res := anon.Get("/initiatieven"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Repaircafé Oudwijk") {
		t.Errorf("after the restart, anonymous reads do not come from the replica: %s", status(res))
	}
	if res := anna.Get("/initiatieven"); !strings.Contains(res.Body, "Repaircafé Oudwijk") {
		t.Errorf("after the restart, the writer does not see her write: %s", status(res))
	}
	exec(t, replicaConn, `SELECT pg_wal_replay_resume()`)
	t.Logf("whole test %s", time.Since(started).Round(100*time.Millisecond))
}

// deadURL points at a port where nothing listens.
func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(port) + "/buurtkracht?sslmode=disable"
}

// openRouter opens a router on the replica that checks it every 100 ms.
func openRouter(t *testing.T, pool *pgxpool.Pool, replicaURL string, maxLag time.Duration) *dbread.Router {
	t.Helper()
	r, err := dbread.Open(t.Context(), pool, replicaURL+"&pool_max_conns=4",
		dbread.Options{MaxLag: maxLag, Interval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// serve runs the platform on pool with reads routed by r.
func serve(t *testing.T, pool *pgxpool.Pool, r *dbread.Router) *testkit.Server {
	t.Helper()
	cfg := testkit.TestConfig()
	cfg.DatabaseReadMaxLag = r.Status().MaxLag
	a := app.New(cfg, pool, app.Options{Mailer: &testkit.MailBox{}, Reads: r})
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &testkit.Server{URL: ts.URL, DB: pool, App: a, Cfg: cfg}
}

var reKey = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)

// createInitiative registers a public initiative through the form, as a
// resident does, and returns its id.
func createInitiative(t *testing.T, c *testkit.Client, title string) int64 {
	t.Helper()
	form := c.Get("/initiatieven/nieuw?gemeente=GM0344")
	m := reKey.FindStringSubmatch(form.Body)
	if form.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create form: %s", status(form))
	}
	res := c.PostForm("/initiatieven/nieuw", url.Values{
		"gemeente": {"GM0344"}, "sleutel": {m[1]}, "titel": {title},
		"samenvatting": {"Een initiatief om te zien waar de lijst vandaan leest."},
		"buurt":        {"BU03440301"}, "thema": {"ontmoeting"}, "vorm": {"informal"}, "status": {"idee"},
		"contact": {"email"}, "contactgegevens": {"anna@example.org"}, "zichtbaarheid": {"public"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create %q: %s", title, status(res))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Location(), "/initiatieven/"), 10, 64)
	if err != nil {
		t.Fatalf("create %q: redirect to %q", title, res.Location())
	}
	return id
}

func apiItem(id int64) string { return "/api/v1/initiatives/" + strconv.FormatInt(id, 10) }

// readyz fetches /readyz, which must answer 200 with a body starting with
// want (the database line) or containing it.
func readyz(t *testing.T, s *testkit.Server, want string) string {
	t.Helper()
	res := s.Client(t).Get("/readyz")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, want) {
		t.Errorf("/readyz = %d %q, want 200 with %q", res.StatusCode, res.Body, want)
	}
	return res.Body
}

// pauseReplay pauses WAL replay on the replica and waits until it has
// really stopped, so that a write made afterwards cannot reach it.
func pauseReplay(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	exec(t, conn, `SELECT pg_wal_replay_pause()`)
	eventually(t, "replay paused", func() (bool, string) {
		var state string
		err := conn.QueryRow(t.Context(), `SELECT pg_get_wal_replay_pause_state()`).Scan(&state)
		return err == nil && state == "paused", fmt.Sprint(state, err)
	})
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	var conn *pgx.Conn
	eventually(t, "connect to "+url, func() (bool, string) {
		var err error
		conn, err = pgx.Connect(t.Context(), url)
		return err == nil, fmt.Sprint(err)
	})
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func exec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// waitState waits until the router's check reports want.
func waitState(t *testing.T, r *dbread.Router, want dbread.State, what string) {
	t.Helper()
	eventually(t, what, func() (bool, string) {
		st := r.Status()
		return st.State == want, st.Describe()
	})
}

// eventually polls cond until it holds, failing the test after 20 s with
// cond's last word on what it saw.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s; last: %s", what, saw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func status(res testkit.Response) string {
	body := res.Body
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	return strconv.Itoa(res.StatusCode) + " " + body
}
