// Package pooler runs a throw-away PgBouncer in transaction pooling mode in
// front of a PostgreSQL server, so tests can run the platform through a
// pooler as a large deployment does. The configuration it writes is the one
// README's "PgBouncer" section describes, with trust authentication instead
// of passwords.
package pooler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/devdb"
)

// ErrNoBinary means PgBouncer is not installed (Debian: apt-get install pgbouncer).
var ErrNoBinary = errors.New("pooler: pgbouncer not found (apt-get install pgbouncer, or set PGBOUNCER)")

// Options say what the pooler stands in front of.
type Options struct {
	Server   string // host:port of PostgreSQL; default 127.0.0.1:5432
	User     string // the one user clients log in as (trust); default postgres
	Password string // the user's password on the server, if it asks for one
	PoolSize int    // server connections per database and user (default_pool_size); default 2
	Binary   string // default $PGBOUNCER, /usr/sbin/pgbouncer, then pgbouncer in PATH
}

// Bouncer is a running PgBouncer.
type Bouncer struct {
	Addr string // host:port it listens on
	user string
	dir  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
	log  *syncBuffer
}

// Binary returns the path of pgbouncer, or "" when it is not installed.
func Binary() string {
	if p := os.Getenv("PGBOUNCER"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/sbin/pgbouncer"); err == nil {
		return "/usr/sbin/pgbouncer"
	}
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p
	}
	return ""
}

// config is the pgbouncer.ini: one wildcard database entry sends every
// database name to the same name on the server, so a test database made
// after the start is reachable at once.
func config(o Options, host, port string, listen int, authFile string) string {
	return fmt.Sprintf(`[databases]
* = host=%s port=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
logfile =
pidfile =
auth_type = trust
auth_file = %s
admin_users = %s
pool_mode = transaction
default_pool_size = %d
max_client_conn = 500
; No ignore_startup_parameters: pgx sends only user, database and what the
; URL's query adds, and this proves the platform needs nothing else.
; PgBouncer takes application_name, client_encoding, DateStyle, TimeZone and
; standard_conforming_strings and refuses other startup parameters (such as
; search_path or statement_timeout in the URL) unless listed there.
`, host, port, listen, authFile, o.User, o.PoolSize)
}

// Start writes a configuration into a fresh directory and starts PgBouncer
// on a free port of 127.0.0.1. It returns once PgBouncer accepts
// connections; the process ends with Stop or when ctx ends.
func Start(ctx context.Context, o Options) (*Bouncer, error) {
	if o.Server == "" {
		o.Server = "127.0.0.1:5432"
	}
	if o.User == "" {
		o.User = "postgres"
	}
	if o.PoolSize == 0 {
		o.PoolSize = 2
	}
	if o.Binary == "" {
		o.Binary = Binary()
	}
	if o.Binary == "" {
		return nil, ErrNoBinary
	}
	host, port, err := net.SplitHostPort(o.Server)
	if err != nil {
		return nil, fmt.Errorf("pooler: server %q: %w", o.Server, err)
	}
	run, err := devdb.NewRunner()
	if err != nil {
		return nil, err
	}
	// The free port may be taken by another process before PgBouncer binds
	// it (tests start servers side by side); then try another.
	for attempt := 1; ; attempt++ {
		b, err := start(ctx, run, o, host, port)
		if errors.Is(err, errExited) && attempt < 3 {
			continue
		}
		return b, err
	}
}

// errExited: PgBouncer ended before it answered.
var errExited = errors.New("pooler: pgbouncer exited at start")

func start(ctx context.Context, run *devdb.Runner, o Options, host, port string) (*Bouncer, error) {
	// A directory of our own in the system's temporary directory, not the
	// test's: as root, PgBouncer runs as another account, which cannot
	// enter the test's private (0700) directories.
	dir, err := os.MkdirTemp("", "pgbouncer-")
	if err != nil {
		return nil, fmt.Errorf("pooler: %w", err)
	}
	listen, err := devdb.FreePort()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	auth := filepath.Join(dir, "users.txt")
	ini := filepath.Join(dir, "pgbouncer.ini")
	files := map[string]string{
		auth: authQuote(o.User) + " " + authQuote(o.Password) + "\n",
		ini:  config(o, host, port, listen, auth),
	}
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("pooler: %w", err)
		}
	}
	if err := run.Own(dir, true); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	b := &Bouncer{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(listen)), user: o.User, dir: dir,
		done: make(chan struct{}), log: &syncBuffer{}}
	b.cmd = run.Command(ctx, o.Binary, ini)
	b.cmd.Stdout, b.cmd.Stderr = b.log, b.log
	if err := b.cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("pooler: start %s: %w", o.Binary, err)
	}
	go func() {
		b.err = b.cmd.Wait()
		close(b.done)
	}()
	if err := b.waitReady(ctx, 10*time.Second); err != nil {
		_ = b.Stop()
		return nil, err
	}
	return b, nil
}

// authQuote quotes s for PgBouncer's auth_file, which doubles a quote inside.
func authQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// waitReady waits until the admin console answers.
func (b *Bouncer) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-b.done:
			return fmt.Errorf("%w (%w):\n%s", errExited, b.err, b.Log())
		default:
		}
		if _, err := b.Show(ctx, "VERSION"); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("pooler: pgbouncer does not answer on %s: %w\n%s", b.Addr, err, b.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URL returns a connection URL for database through the pooler.
func (b *Bouncer) URL(database string) string {
	u := url.URL{Scheme: "postgres", User: url.User(b.user), Host: b.Addr, Path: "/" + database, RawQuery: "sslmode=disable"}
	return u.String()
}

// Show runs SHOW what on the admin console and returns its rows, each a
// map from column name to the value as text.
func (b *Bouncer) Show(ctx context.Context, what string) ([]map[string]string, error) {
	return b.Admin(ctx, "SHOW "+what)
}

// Admin runs one command on the admin console (SHOW POOLS, PAUSE db,
// RESUME db) and returns the rows it answers, as Show does.
func (b *Bouncer) Admin(ctx context.Context, command string) ([]map[string]string, error) {
	cfg, err := pgx.ParseConfig(b.URL("pgbouncer"))
	if err != nil {
		return nil, err
	}
	// The admin console speaks only the simple query protocol.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.ConnectTimeout = 2 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pooler: admin console: %w", err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, command)
	if err != nil {
		return nil, fmt.Errorf("pooler: %s: %w", command, err)
	}
	defer rows.Close()
	var out []map[string]string
	for rows.Next() {
		row := map[string]string{}
		for i, f := range rows.FieldDescriptions() {
			row[f.Name] = string(rows.RawValues()[i])
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pooler: %s: %w", command, err)
	}
	return out, nil
}

// Log returns what PgBouncer wrote so far.
func (b *Bouncer) Log() string { return b.log.String() }

// Stop ends PgBouncer at once (SIGTERM: close every connection) and removes
// its directory.
func (b *Bouncer) Stop() error {
	defer os.RemoveAll(b.dir)
	select {
	case <-b.done:
		return nil
	default:
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.done
	}
	return nil
}

// syncBuffer is a bytes.Buffer that the process's output and Log may use
// at the same time.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
