// Command bench measures the server time of the municipality overview and
// other pages on the national-scale synthetic data set. Run it
// with `make bench`.
//
// It uses its own database (BENCH_DATABASE_URL, default buurtkracht_bench on
// the local server), migrates it, loads `seed synthetic` when it is not
// there yet, and starts the whole platform in-process behind a timing
// middleware: the figures are server time (from the request reaching the
// router to the handler's return), not client latency. Next to the
// platform's pages it serves a bare baseline (one indexed query through a
// trivial templ component, on the same pool) and reports every page's
// throughput as a ratio of that baseline.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/synth"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

const defaultURL = "postgres://postgres@127.0.0.1:5432/buurtkracht_bench?sslmode=disable"

type baselineRow struct{ Code, Name string }

// recorder collects server times of the scenario that is running.
type recorder struct {
	mu    sync.Mutex
	times []time.Duration
	on    atomic.Bool
}

func (r *recorder) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, req)
		if r.on.Load() && req.Header.Get("X-Bench") == "1" {
			d := time.Since(start)
			r.mu.Lock()
			r.times = append(r.times, d)
			r.mu.Unlock()
		}
	})
}

func (r *recorder) start() {
	r.mu.Lock()
	r.times = r.times[:0]
	r.mu.Unlock()
	r.on.Store(true)
}

func (r *recorder) stop() []time.Duration {
	r.on.Store(false)
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.times)
	slices.Sort(out)
	return out
}

type discardMail struct{}

func (discardMail) Send(context.Context, mail.Message) error { return nil }

func main() {
	duration := flag.Duration("duration", 10*time.Second, "measuring time per page")
	concurrency := flag.Int("c", 8, "concurrent clients")
	flag.Parse()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	if err := run(*duration, *concurrency); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, concurrency int) error {
	ctx := context.Background()
	dbURL := os.Getenv("BENCH_DATABASE_URL")
	if dbURL == "" {
		dbURL = defaultURL
	}
	if err := postgres.EnsureDatabase(ctx, dbURL); err != nil {
		return err
	}
	if err := postgres.MigrateUp(dbURL); err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	seeded, err := synth.Seeded(ctx, pool)
	if err != nil {
		return err
	}
	if !seeded {
		fmt.Println("Synthetische gegevens laden (eenmalig)...")
		sum, err := synth.Generate(ctx, pool, synth.Defaults(), os.Stdout)
		if err != nil {
			return err
		}
		fmt.Printf("Geladen in %.1f s.\n", sum.Took.Seconds())
	}
	var contacts, nbs int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM neighbourhoods)`).Scan(&contacts, &nbs); err != nil {
		return err
	}

	cfg := config.Config{Env: "development", Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", LogLevel: "error",
		SessionIdle: time.Hour, SessionLifetime: 2 * time.Hour,
		// Load test: the limits must not be what is measured.
		LoginLimitPerIP: 1_000_000, LoginLimitPerAccount: 1_000_000, RegisterLimitPerIP: 1_000_000,
		DemoPassword: "bench", NotesRetention: 365 * 24 * time.Hour, ShutdownGrace: 2 * time.Second,
		MailFrom: "Buurtkracht <noreply@example.nl>"}
	a := app.New(cfg, pool, app.Options{Mailer: discardMail{}})
	defer a.Close()

	rec := &recorder{}
	mux := http.NewServeMux()
	mux.Handle("GET /bench/basislijn", baseline(pool))
	mux.Handle("/", a.Handler())
	srv := httptest.NewServer(rec.middleware(mux))
	defer srv.Close()

	// Subjects: Utrecht, its busiest neighbourhood, a worker of Utrecht with a work area.
	var utrechtID int64
	var busiest, area string
	if err := pool.QueryRow(ctx, `SELECT id FROM municipalities WHERE code = $1`, synth.LargeCode).Scan(&utrechtID); err != nil {
		return err
	}
	if err := pool.QueryRow(ctx, `
		SELECT n.code FROM neighbourhood_month_contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
		 WHERE n.municipality_id = $1 GROUP BY n.code ORDER BY sum(c.contacts) DESC LIMIT 1`, utrechtID).Scan(&busiest); err != nil {
		return err
	}
	if err := pool.QueryRow(ctx, `
		SELECT n.code FROM account_work_areas w JOIN accounts a ON a.id = w.account_id JOIN neighbourhoods n ON n.id = w.neighbourhood_id
		 WHERE a.email = $1 ORDER BY n.code LIMIT 1`, synth.WorkerEmail(1)).Scan(&area); err != nil {
		return err
	}
	var utrechtContacts int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id WHERE n.municipality_id = $1`, utrechtID).Scan(&utrechtContacts); err != nil {
		return err
	}

	officers, err := logins(srv.URL, synth.OfficerEmail, concurrency)
	if err != nil {
		return err
	}
	workers, err := logins(srv.URL, synth.WorkerEmail(1), concurrency)
	if err != nil {
		return err
	}
	now := time.Now()
	// The overview allows whole months, quarters and years only: bench the
	// current year.
	year := strconv.Itoa(now.Year())
	var seq atomic.Int64
	runID := time.Now().UnixNano()
	get := func(path string) func(c *http.Client) (*http.Request, int) {
		return func(*http.Client) (*http.Request, int) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			return req, http.StatusOK
		}
	}
	type scenario struct {
		name    string
		clients []*http.Client
		req     func(c *http.Client) (*http.Request, int)
	}
	scenarios := []scenario{
		{"basislijn (1 query, templ)", officers, get("/bench/basislijn")},
		{"overzicht Utrecht, heel jaar", officers, get("/overzicht?gemeente=GM0344&jaar=" + year + "&deel=jaar")},
		{"buurt " + busiest + ", heel jaar", officers, get("/overzicht/buurten/" + busiest + "?jaar=" + year + "&deel=jaar")},
		{"initiatieven, filter thema+status", officers, get("/initiatieven?thema=wonen&status=actief")},
		{"straatcontact vastleggen (POST)", workers, func(*http.Client) (*http.Request, int) {
			// Unique client ids, recognisable for the clean-up below.
			n := seq.Add(1)
			form := url.Values{"client_id": {fmt.Sprintf("b0000000-0000-4000-8000-%06x%06x", runID&0xffffff, n&0xffffff)},
				"occurred_at": {time.Now().In(dutch.Amsterdam).Format("2006-01-02T15:04")}, "neighbourhood": {area},
				"place_type": {"straat"}, "people_count": {"2"}, "themes": {"wonen"}, "strategy": {string(strategy.Bonding)},
				"energy": {"wil een moestuin"}, "follow_up": {"geen"}}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/contacten", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req, http.StatusSeeOther
		}},
		{"overzicht als JSON (API)", officers, get("/api/v1/municipalities/GM0344/overview?from=" + year + "-01-01&to=" + year + "-12-31")},
	}

	fmt.Printf("\nDataset: %d buurten, %d straatcontacten (Utrecht %d). %d gelijktijdige clients, %s per pagina, servertijd.\n\n",
		nbs, contacts, utrechtContacts, concurrency, duration)
	fmt.Printf("%-36s %8s %9s %8s %8s %8s %10s %7s %8s %6s\n", "pagina", "verzoek", "verz./s", "p50 ms", "p95 ms", "p99 ms", "t.o.v. basis", "fouten", "gzip kB", "kB")
	var baseRate float64
	for i, sc := range scenarios {
		// Warm up (plans, caches, connections).
		load(sc.clients, sc.req, time.Second, nil)
		var prof *os.File
		if path := os.Getenv("BENCH_CPUPROFILE"); path != "" && i == profileScenario() {
			if prof, err = os.Create(path); err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(prof); err != nil {
				return err
			}
		}
		rec.start()
		n, failures, took := load(sc.clients, sc.req, duration, rec)
		times := rec.stop()
		if prof != nil {
			pprof.StopCPUProfile()
			prof.Close()
		}
		rate := float64(n) / took.Seconds()
		raw := rawSize(sc.clients[0], sc.req)
		if i == 0 {
			baseRate = rate
		}
		fmt.Printf("%-36s %8d %9.0f %8.1f %8.1f %8.1f %9.0f%% %7d %8.1f %6.0f\n", sc.name, n, rate,
			ms(pct(times, 50)), ms(pct(times, 95)), ms(pct(times, 99)), rate/baseRate*100, failures, float64(size.Load())/1024, float64(raw)/1024)
	}
	// The POSTs added contacts; remove them so runs stay comparable (the triggers keep the aggregates right).
	if _, err := pool.Exec(ctx, `DELETE FROM contacts WHERE client_id::text LIKE 'b0000000-0000-4000-8000-%'`); err != nil {
		return err
	}
	return nil
}

// profileScenario is the scenario BENCH_CPUPROFILE profiles (BENCH_PROFILE_SCENARIO, default 1: the overview).
func profileScenario() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_PROFILE_SCENARIO")); err == nil {
		return n
	}
	return 1
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// load runs one client per goroutine for d and counts the answers (and the
// unexpected ones).
func load(clients []*http.Client, req func(*http.Client) (*http.Request, int), d time.Duration, rec *recorder) (n, failures int64, took time.Duration) {
	size.Store(0)
	var wg sync.WaitGroup
	var count, bad atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				r, want := req(c)
				r.Header.Set("X-Bench", "1")
				// Like a browser, but the transport leaves the body compressed
				// (it is discarded), so clients cost the server process less CPU.
				r.Header.Set("Accept-Encoding", "gzip")
				res, err := c.Do(r)
				if err != nil {
					bad.Add(1)
					continue
				}
				nb, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				count.Add(1)
				size.Store(nb)
				if res.StatusCode != want {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return count.Load(), bad.Load(), time.Since(start)
}

// rawSize is the uncompressed size of one answer.
func rawSize(c *http.Client, req func(*http.Client) (*http.Request, int)) int64 {
	r, _ := req(c)
	r.Header.Set("Accept-Encoding", "identity")
	res, err := c.Do(r)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	return n
}

// size is the (compressed) body size of the last answer.
var size atomic.Int64

// logins returns n clients logged in as email.
func logins(base, email string, n int) ([]*http.Client, error) {
	out := make([]*http.Client, n)
	for i := range out {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.PostForm(base+"/inloggen", url.Values{"email": {email}, "password": {synth.Password}})
		if err != nil {
			return nil, err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			return nil, fmt.Errorf("login %s: status %d", email, res.StatusCode)
		}
		out[i] = c
	}
	return out, nil
}

// baseline is the bare page: one indexed query (Utrecht's first twenty
// neighbourhoods) through a trivial templ component.
func baseline(pool *pgxpool.Pool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), `
			SELECT code, name FROM neighbourhoods
			 WHERE municipality_id = (SELECT id FROM municipalities WHERE code = 'GM0344') ORDER BY code LIMIT 20`)
		if err != nil {
			http.Error(w, "database", http.StatusInternalServerError)
			return
		}
		list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[baselineRow])
		if err != nil {
			http.Error(w, "database", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = baselinePage(list).Render(r.Context(), w)
	})
}
