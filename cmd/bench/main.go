// Command bench measures the platform's pages on the national-scale
// synthetic data set, each next to a bare baseline page measured in the same
// run. Run it with `make bench`.
//
// It uses its own database (BENCH_DATABASE_URL, default buurtkracht_bench on
// the local server), migrates it and loads `seed synthetic` when it is not
// there yet. Then it measures in two ways (-mode picks one or both):
//
//   - in-process: the platform runs inside this program behind a timing
//     middleware, so the figures are server time (from the request reaching
//     the router to the handler's return). The baseline is a route of its
//     own: one indexed query through a trivial templ component, on the same
//     pool.
//   - external: the real binary (go build ./cmd/buurtkracht) runs as a
//     separate process and is driven over TCP by a load generator here, with
//     keep-alive connections and gzip accepted, so the figures are client
//     latency. The baseline is a separate process too: this program started
//     again as a bare chi + pgx + html/template server doing the same one
//     query.
//
// Every table gives each page's throughput as a percentage of its baseline
// and whether the page meets its goal of issue 15.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/synth"
)

const defaultURL = "postgres://postgres@127.0.0.1:5432/buurtkracht_bench?sslmode=disable"

// baselineFlag starts this program as the external mode's bare baseline
// server; it is for the bench itself and left out of -h.
const baselineFlag = "baseline-server"

type options struct {
	mode        string
	duration    time.Duration
	warmup      time.Duration
	concurrency int    // in-process clients
	conns       int    // external connections
	binary      string // external: a built buurtkracht binary instead of go build
}

func main() {
	var o options
	flag.StringVar(&o.mode, "mode", "both", "what to measure: in-process, external or both")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "measuring time per page (each mode)")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "warm-up time per page before measuring")
	flag.IntVar(&o.concurrency, "c", 8, "in-process: concurrent clients")
	flag.IntVar(&o.conns, "conns", 16, "external: concurrent keep-alive connections")
	flag.StringVar(&o.binary, "binary", "", "external: run this buurtkracht binary instead of building ./cmd/buurtkracht")
	baselineAddr := flag.String(baselineFlag, "", "")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintln(out, "Usage: go run ./cmd/bench [flags]")
		flag.VisitAll(func(f *flag.Flag) {
			if f.Name != baselineFlag {
				fmt.Fprintf(out, "  -%s %s (default %q)\n", f.Name, f.Usage, f.DefValue)
			}
		})
	}
	flag.Parse()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	if *baselineAddr != "" {
		err = serveBaseline(ctx, *baselineAddr, os.Getenv("DATABASE_URL"))
	} else {
		err = run(ctx, o)
	}
	stop()
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "bench: afgebroken")
		os.Exit(130)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	inProcess, external := o.mode == "both" || o.mode == "in-process", o.mode == "both" || o.mode == "external"
	if !inProcess && !external {
		return fmt.Errorf("-mode %q: kies in-process, external of both", o.mode)
	}
	if o.duration <= 0 || o.concurrency < 1 || o.conns < 1 {
		return errors.New("-duration, -c en -conns moeten groter dan nul zijn")
	}
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
	s, err := findSubjects(ctx, pool)
	if err != nil {
		return err
	}
	// The POSTs add contacts; remove them even when the run is interrupted.
	defer func() {
		if err := deletePosted(context.Background(), pool); err != nil {
			fmt.Fprintln(os.Stderr, "bench: opruimen:", err)
		}
	}()
	var contacts, nbs, utrechtContacts int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM neighbourhoods),
		(SELECT count(*) FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id WHERE n.municipality_id = $1)`,
		s.utrechtID).Scan(&contacts, &nbs, &utrechtContacts); err != nil {
		return err
	}
	fmt.Printf("Machine: %s\n", machine(ctx, pool))
	fmt.Printf("Dataset: %d buurten, %d straatcontacten (Utrecht %d).\n", nbs, contacts, utrechtContacts)
	fmt.Printf("Doel: openbare pagina's >= %.0f%% van de basislijn en p95 < %s, ingelogde pagina's >= %.0f%%.\n",
		publicGoalRatio, publicGoalP95, memberGoalRatio)
	fmt.Println("verz./s telt alleen antwoorden met de verwachte status; fouten zijn andere statussen en mislukte verzoeken.")
	if inProcess {
		if err := runInProcess(ctx, pool, s, o); err != nil {
			return err
		}
	}
	if external {
		if err := runExternal(ctx, dbURL, s, o); err != nil {
			return err
		}
	}
	return nil
}

// machine describes what the figures were measured on.
func machine(ctx context.Context, pool *pgxpool.Pool) string {
	cpu := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	pg := "onbekend"
	_ = pool.QueryRow(ctx, `SHOW server_version`).Scan(&pg)
	return fmt.Sprintf("%s, %d kernen, %s %s/%s, PostgreSQL %s", cpu, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, pg)
}

// loadAverage is the machine's load average, printed with every table:
// the ratios depend on how busy the machine is.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "onbekend"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "onbekend"
	}
	return strings.Join(f[:3], " ")
}

// measure checks and measures every page (baseline first) and prints a row
// per page. With rec, the latencies are the server times rec recorded
// instead of the client's.
func measure(ctx context.Context, out io.Writer, base string, pages []page, clients map[who][]*http.Client, o options, rec *recorder) error {
	printHead(out)
	var baseRate float64
	var failed []string
	met := 0
	for i, p := range pages {
		cs := clients[p.who]
		raw, checkErr := check(ctx, cs[0], base, p)
		if checkErr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed = append(failed, fmt.Sprintf("%s: %v", p.name, checkErr))
		}
		// Warm up (plans, caches, connections).
		load(ctx, cs, base, p, o.warmup)
		stopProfile, err := startProfile(rec != nil, i, p)
		if err != nil {
			return err
		}
		if rec != nil {
			rec.start()
		}
		r := load(ctx, cs, base, p, o.duration)
		if rec != nil {
			r.lat = rec.stop()
		}
		stopProfile()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p.class == classBaseline {
			baseRate = r.rate()
		}
		if printRow(out, p, r, baseRate, raw, checkErr) == "ok" {
			met++
		}
	}
	for _, f := range failed {
		fmt.Fprintln(out, "controle mislukt:", f)
	}
	fmt.Fprintf(out, "Doel gehaald: %d van %d pagina's.\n", met, len(pages)-1)
	return nil
}

// startProfile starts the CPU profile BENCH_CPUPROFILE asks for when page i
// is the one BENCH_PROFILE_SCENARIO names (a key such as "drill-down" or an
// index; default the overview). Only the in-process mode runs the platform in
// this process, so only it can be profiled here.
func startProfile(inProcess bool, i int, p page) (stop func(), err error) {
	path := os.Getenv("BENCH_CPUPROFILE")
	want := os.Getenv("BENCH_PROFILE_SCENARIO")
	if want == "" {
		want = "overzicht"
	}
	if !inProcess || path == "" || (want != p.key && want != strconv.Itoa(i)) {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

type baselineRow struct{ Code, Name string }

// recorder collects server times of the page that is being measured.
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

// stop returns the recorded times, sorted.
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

// runInProcess measures the platform running inside this program (server
// time).
func runInProcess(ctx context.Context, pool *pgxpool.Pool, s subjects, o options) error {
	cfg := config.Config{Env: "development", Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", LogLevel: "error",
		SessionIdle: time.Hour, SessionLifetime: 2 * time.Hour,
		// Load test: the limits must not be what is measured.
		LoginLimitPerIP: 1_000_000, LoginLimitPerAccount: 1_000_000, RegisterLimitPerIP: 1_000_000,
		DemoPassword: "bench", NotesRetention: 365 * 24 * time.Hour, ShutdownGrace: 2 * time.Second,
		MailFrom: "Buurtkracht <noreply@example.nl>", PageCacheTTL: pageCacheTTL()}
	a := app.New(cfg, pool, app.Options{Mailer: discardMail{}})
	defer a.Close()

	rec := &recorder{}
	mux := http.NewServeMux()
	mux.Handle("GET /bench/basislijn", baseline(pool))
	mux.Handle("/", a.Handler())
	srv := httptest.NewServer(rec.middleware(mux))
	defer srv.Close()

	officers, err := logins(ctx, srv.URL, synth.OfficerEmail, synth.Password, o.concurrency)
	if err != nil {
		return err
	}
	workers, err := logins(ctx, srv.URL, synth.WorkerEmail(1), synth.Password, o.concurrency)
	if err != nil {
		return err
	}
	clients := map[who][]*http.Client{anonymous: anonymousClients(o.concurrency), officer: officers, worker: workers}
	pages := append([]page{{"basislijn", "basislijn (1 query, templ)", classBaseline, anonymous, get("/bench/basislijn"),
		[]string{"<li>BU0344"}}}, benchPages(s)...)
	fmt.Printf("\nIn-process: servertijd (middleware om de router), %d gelijktijdige clients, %s per pagina; belasting %s.\n\n",
		o.concurrency, o.duration, loadAverage())
	return measure(ctx, os.Stdout, srv.URL, pages, clients, o, rec)
}

// baseline is the in-process bare page: one indexed query through a trivial
// templ component.
func baseline(pool *pgxpool.Pool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), baselineQuery)
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

// pageCacheTTL is the page cache's lifetime for the in-process platform: the
// server's default (10 s), or PAGE_CACHE_TTL as the external server reads it
// (PAGE_CACHE_TTL=0 measures both modes without the cache).
func pageCacheTTL() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("PAGE_CACHE_TTL")); err == nil {
		return d
	}
	return 10 * time.Second
}
