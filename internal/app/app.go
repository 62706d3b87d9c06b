// Package app wires the platform together: configuration, database, sessions,
// features and the one router that says who may use which route.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/dbread"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/pagecache"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
)

// App holds the dependencies every feature shares.
type App struct {
	cfg      config.Config
	db       *pgxpool.Pool
	reads    *dbread.Router // where reads that may lag go (the primary when no replica)
	sessions *scs.SessionManager
	store    *account.SessionStore
	mailer   mail.Sender
	accounts *account.Store
	signer   *signedlink.Signer
	notices  *notify.Mailer
	queue    *river.Client[pgx.Tx] // works the e-mail jobs once StartJobs ran
	queueErr error
	queueDB  *pgxpool.Pool      // the queue's own pool on DATABASE_DIRECT_URL, behind a pooler only
	stop     context.CancelFunc // stops background work started by New
	features features           // every feature's handler (wire.go)
	pages    *pagecache.Cache   // public pages for anonymous visitors (routes.go)
}

// Options lets tests replace parts of the wiring.
type Options struct {
	Mailer mail.Sender         // default: SMTP when configured, else the log
	Queue  notify.QueueOptions // job queue tuning; tests shorten its timeouts
	// Reads sends the reads that may lag a few seconds (overview, exports,
	// open data, public lists) to a read replica while it is current
	// (DATABASE_READ_URL). Nil: everything reads the primary. It belongs to
	// the caller, who closes it.
	Reads *dbread.Router
}

// New builds the app on an open pool.
func New(cfg config.Config, db *pgxpool.Pool, opts Options) *App {
	mailer := opts.Mailer
	if mailer == nil {
		if cfg.SMTPHost != "" {
			mailer = mail.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
				From: cfg.MailFrom, TLS: cfg.SMTPTLS}
		} else {
			mailer = mail.Log{Logger: slog.Default()}
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	sm := scs.New()
	// A page view moves the idle expiry in the database at most once a minute;
	// expired sessions are swept every 10 minutes (background.go).
	store := account.NewSessionStore(db, time.Minute)
	sm.Store = store
	sm.Codec = account.SessionCodec{} // gob costs ~80 µs per logged-in request (sessioncodec.go)
	sm.IdleTimeout = cfg.SessionIdle
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = account.SessionCookieName(cfg.SecureCookies)
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	// A session cookie (gone when the browser closes) unless the person
	// ticks "ingelogd blijven" at login (scs's RememberMe).
	sm.Cookie.Persist = false
	sm.ErrorFunc = httpx.Error

	a := &App{cfg: cfg, db: db, sessions: sm, store: store, mailer: mailer, accounts: account.NewStore(db), stop: stop}
	a.pages = pagecache.New(cfg.PageCacheTTL, sm.Cookie.Name)
	a.reads = opts.Reads
	if a.reads == nil {
		a.reads = dbread.New(db)
	}
	a.signer = signedlink.New(db)
	a.notices = &notify.Mailer{DB: db, Sender: mailer, Signer: a.signer, BaseURL: cfg.BaseURL}
	a.queue, a.queueErr = a.newQueue(ctx, opts.Queue)
	a.features = a.newFeatures()
	a.startBackground(ctx)
	return a
}

// StartJobs starts working the job queue (e-mail notifications and
// digests). The server does it before it listens; tests that look at mail
// call it, the rest leave the jobs waiting in the table.
func (a *App) StartJobs(ctx context.Context) error {
	if a.queueErr != nil {
		return a.queueErr
	}
	if err := a.queue.Start(ctx); err != nil {
		return fmt.Errorf("app: start job queue: %w", err)
	}
	return nil
}

// StopJobs stops the queue, letting running jobs finish within grace.
func (a *App) StopJobs(grace time.Duration) {
	if a.queue == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := a.queue.Stop(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		slog.Warn("stop job queue", "err", err)
	}
}

// KillJobs stops the queue at once, cancelling running jobs, as a crash
// would (tests of delivery after a crash).
func (a *App) KillJobs() {
	if a.queue == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = a.queue.StopAndCancel(ctx)
}

// Notices is the mailer of notifications (tests plan digests with it).
func (a *App) Notices() *notify.Mailer { return a.notices }

// startBackground starts the periodic jobs of the server process (background.go).
func (a *App) startBackground(ctx context.Context) {
	for _, j := range a.jobs() {
		go runEvery(ctx, j)
	}
}

// Close stops background work and the job queue. The pool belongs to the
// caller; the queue's own pool (behind a pooler) is closed here.
func (a *App) Close() {
	a.stop()
	a.StopJobs(a.cfg.ShutdownGrace)
	if a.queueDB != nil {
		a.queueDB.Close()
	}
}

// Serve listens on cfg.Addr until ctx is cancelled, then shuts down
// gracefully: stop accepting, let in-flight requests finish within the
// grace period.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	if err := a.StartJobs(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("app: listen on %s: %w", a.cfg.Addr, err)
	}
	// The server speaks plain HTTP, so an https site sits behind a TLS
	// proxy, whose requests count as HTTPS only when it is trusted.
	if strings.HasPrefix(a.cfg.BaseURL, "https://") && len(a.cfg.TrustedProxies) == 0 {
		slog.Warn("BASE_URL is https but TRUSTED_PROXIES is empty: requests from the TLS proxy look like plain HTTP, " +
			"so no HSTS header is sent and all visitors share the proxy's rate limits")
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down", "grace", a.cfg.ShutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	a.Close()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("app: shutdown: %w", err)
	}
	return nil
}

// healthz answers as long as the process runs.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 only when the database answers within two seconds.
// With a read replica configured, its body also says whether reads use it
// and, if not, why: the replica is an optimisation, so its state never
// turns the answer into a 503 while the primary answers.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	if replica := a.reads.Status().Describe(); replica != "" {
		_, _ = w.Write([]byte("database: ok\n" + replica + "\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// PageCacheStats reports the page cache's hits and misses (tests, benchmarks).
func (a *App) PageCacheStats() pagecache.Stats { return a.pages.Stats() }

// ExpirePageCache empties the page cache, as if its TTL had passed (tests).
func (a *App) ExpirePageCache() { a.pages.Clear() }
