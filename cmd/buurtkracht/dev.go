package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/devdb"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

func init() {
	commands["dev"] = command{
		summary: "ontwikkelserver met demogegevens, zonder configuratie (wat `make run` start)",
		usage: "dev [--no-demo]\n\n" +
			"  Zoekt een database: DATABASE_URL als die gezet is; anders PostgreSQL op 127.0.0.1:5432\n" +
			"  (gebruiker postgres); anders een eigen cluster in DATA_DIR/postgres (standaard .data/postgres),\n" +
			"  gestart met de lokaal geïnstalleerde PostgreSQL-programma's en weer gestopt bij het afsluiten.\n" +
			"  Maakt daarna de database aan als die ontbreekt, past de migraties toe, laadt de demogegevens\n" +
			"  (één keer; een tweede keer voegt niets toe) en start de webserver op ADDR (standaard :8080).\n\n" +
			"  --no-demo   geen demogegevens laden\n\n" +
			"  Wordt geweigerd als APP_ENV=production: gebruik daar `serve`.",
		run: func(ctx context.Context, e *env, args []string) error { return dev(ctx, e, args, nil) },
	}
}

// dev is `make run`: find or start a database, prepare it, load the demo and
// serve until ctx ends. ready (tests) is called once the server listens.
func dev(ctx context.Context, e *env, args []string, ready func(addr string)) (err error) {
	fs := newFlagSet("dev", e.stderr)
	noDemo := fs.Bool("no-demo", false, "geen demogegevens laden")
	if fs.Parse(args) != nil || fs.NArg() != 0 {
		return errUsage
	}
	if e.cfg.Production() {
		return errors.New("dev is voor ontwikkeling en demo's; gebruik `buurtkracht serve` als APP_ENV=production")
	}

	db, err := devdb.Find(ctx, devdb.Options{
		EnvURL:   e.cfg.DatabaseURL,
		LocalURL: config.DefaultDatabaseURL,
		DataDir:  e.cfg.DataDir,
		Out:      e.stdout,
	})
	if err != nil {
		return err
	}
	defer func() {
		if !db.Started() {
			return
		}
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if serr := db.Stop(sctx); serr != nil {
			err = errors.Join(err, serr)
		} else {
			fmt.Fprintln(e.stdout, "Eigen PostgreSQL-cluster gestopt.")
		}
	}()
	url := db.URL
	fmt.Fprintf(e.stdout, "Database: %s (%s)\n", redactURL(url), sourceLabel(db.Source))
	// DATABASE_DIRECT_URL belongs with DATABASE_URL: a local or private
	// cluster found instead is used directly, for everything.
	if db.Source != devdb.FromEnv {
		e.cfg.DatabaseURL, e.cfg.DatabaseDirectURL = url, ""
	}
	direct := e.directURL() // migrations hold a session-level advisory lock

	if err := postgres.EnsureDatabase(ctx, direct); err != nil {
		return fmt.Errorf("database %s: %w\n(controleer DATABASE_URL, of laat die leeg)", redactURL(direct), err)
	}
	if err := postgres.MigrateUp(direct); err != nil {
		return fmt.Errorf("database %s: migraties: %w", redactURL(direct), err)
	}
	pool, err := postgres.Open(ctx, url, postgres.ThroughPooler(e.cfg.BehindPooler()))
	if err != nil {
		return err
	}
	defer pool.Close()
	if !*noDemo {
		if err := demo.Seed(ctx, pool, e.cfg, e.stdout); err != nil {
			return err
		}
	}

	a := app.New(e.cfg, pool, app.Options{})
	return a.Serve(ctx, func(addr string) {
		printWelcome(e, addr, !*noDemo)
		if ready != nil {
			ready(addr)
		}
	})
}

func sourceLabel(s devdb.Source) string {
	switch s {
	case devdb.FromEnv:
		return "uit DATABASE_URL"
	case devdb.FromLocal:
		return "lokale PostgreSQL"
	default:
		return "eigen cluster"
	}
}

// printWelcome tells the developer where the platform runs and how to log in.
func printWelcome(e *env, addr string, withDemo bool) {
	// BASE_URL is the public address; on a developer's machine it may name
	// another port than the one we got (ADDR=:0, or ADDR changed alone).
	url := e.cfg.BaseURL
	if u, err := neturl.Parse(url); err == nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") {
		if _, port, err := net.SplitHostPort(addr); err == nil && port != u.Port() {
			url = u.Scheme + "://" + net.JoinHostPort(u.Hostname(), port)
		}
	}
	w := e.stdout
	fmt.Fprintf(w, "\nBuurtkracht draait op %s\n", url)
	if withDemo {
		fmt.Fprintf(w, "\nDemo-accounts (wachtwoord: %s):\n", e.cfg.DemoPassword)
		for _, a := range demo.Accounts {
			fmt.Fprintf(w, "  %-13s %-34s %s\n", a.Role, a.Email, a.About)
		}
	}
	fmt.Fprintln(w, "\nStoppen: Ctrl+C")
}
