// Command buurtkracht is the whole platform in one binary: the web server and
// the commands to migrate, import, seed and bootstrap accounts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// command is one subcommand. run gets the arguments after the command name.
type command struct {
	summary string
	usage   string
	run     func(ctx context.Context, env *env, args []string) error
}

// commands is filled by the init functions of this package's files.
var commands = map[string]command{}

// env is what every command needs: settings and where to write.
type env struct {
	cfg    config.Config
	stdout io.Writer
	stderr io.Writer
}

// errUsage makes main print the command's usage and exit with status 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printHelp(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name := args[0]
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "buurtkracht: onbekend commando %q\n\n", name)
		printHelp(stderr)
		return 2
	}
	for _, a := range args[1:] {
		if a == "-h" || a == "--help" {
			fmt.Fprintf(stdout, "%s\n\nGebruik: buurtkracht %s\n", cmd.summary, cmd.usage)
			return 0
		}
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintf(stderr, "buurtkracht: configuratie: %v\n", err)
		return 1
	}
	setupLogging(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = cmd.run(ctx, &env{cfg: cfg, stdout: stdout, stderr: stderr}, args[1:])
	switch {
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "Gebruik: buurtkracht %s\n", cmd.usage)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "buurtkracht %s: %v\n", name, err)
		return 1
	}
	return 0
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "buurtkracht: platform voor samenlevingsopbouw.")
	fmt.Fprintln(w, "\nGebruik: buurtkracht <commando> [opties]   (buurtkracht <commando> --help voor details)")
	fmt.Fprintln(w, "\nCommando's:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nConfiguratie gaat via omgevingsvariabelen; zie README.md.")
}

func setupLogging(cfg config.Config, w io.Writer) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	var h slog.Handler
	if cfg.Env == "development" {
		h = slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
	} else {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	}
	slog.SetDefault(slog.New(app.ContextHandler{Handler: h}))
}

// databaseURL returns DATABASE_URL or the default local database.
func (e *env) databaseURL() string {
	if e.cfg.DatabaseURL != "" {
		return e.cfg.DatabaseURL
	}
	return config.DefaultDatabaseURL
}

// directURL returns DATABASE_DIRECT_URL, or databaseURL when that is empty:
// a connection straight to PostgreSQL, past any pooler. Migrations take
// golang-migrate's session-level advisory lock and pg_dump sets session
// settings, so they need it; the one-off commands (migrate, seed, import,
// user, backup) use it for all their work. Only serve's requests and jobs
// go through DATABASE_URL.
func (e *env) directURL() string {
	if e.cfg.DatabaseDirectURL != "" {
		return e.cfg.DatabaseDirectURL
	}
	return e.databaseURL()
}

// openMigrated brings the database up to date and opens a pool on it (both
// on the direct URL: this is for the one-off commands).
func (e *env) openMigrated(ctx context.Context) (*pgxpool.Pool, error) {
	url := e.directURL()
	if err := postgres.MigrateUp(url); err != nil {
		return nil, fmt.Errorf("database %s: %w", redactURL(url), err)
	}
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", redactURL(url), err)
	}
	return pool, nil
}

// newFlagSet returns a flag set that reports errors as usage errors.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// redactURL hides a password in a database URL before printing it.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	cred := u[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return u[:scheme+3] + cred[:i] + ":***" + u[at:]
	}
	return u
}
