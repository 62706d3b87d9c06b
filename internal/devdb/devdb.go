// Package devdb finds a PostgreSQL server for `buurtkracht dev` (what
// `make run` calls), so a developer needs no configuration: DATABASE_URL when
// set, else a server on 127.0.0.1:5432 (user postgres), else a private
// cluster under the data directory started from the locally installed
// PostgreSQL binaries. Only when none of these is possible does it stop, with
// the exact commands that get a PostgreSQL.
package devdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultPort is where a private cluster listens when the port is free.
const DefaultPort = 54329

// Source says where the database came from.
type Source string

// The three places Find looks, in this order.
const (
	FromEnv     Source = "DATABASE_URL"
	FromLocal   Source = "local"
	FromPrivate Source = "private"
)

// Options tells Find where to look. The zero value of each field has a
// sensible default except EnvURL, which is empty when DATABASE_URL is unset.
type Options struct {
	EnvURL   string    // DATABASE_URL; used as is when not empty
	LocalURL string    // the local server to try next (config.DefaultDatabaseURL)
	DataDir  string    // the private cluster lives in DataDir/postgres (default ".data")
	Port     int       // port of the private cluster (default DefaultPort, or a free one)
	Database string    // database name in the private cluster (default "buurtkracht")
	BinDir   string    // PostgreSQL binaries; default: pg_config --bindir, /usr/lib/postgresql/*/bin, PATH
	Out      io.Writer // progress messages (default io.Discard)
	// Primary, when set, makes StartPrivate create a missing cluster as a
	// streaming replica of the server at this URL (pg_basebackup -R)
	// instead of an empty one with initdb. The primary must allow
	// replication connections, as a cluster made here does.
	Primary string
}

// DB is the database Find settled on.
type DB struct {
	URL    string
	Source Source
	// Dir is the private cluster's data directory (FromPrivate only).
	Dir string

	stop func(context.Context) error
}

// Started reports whether this process started the private cluster, so
// that Stop will stop it.
func (d *DB) Started() bool { return d != nil && d.stop != nil }

// Stop stops a private cluster this process started. It does nothing for
// other sources, or when the cluster was already running before.
func (d *DB) Stop(ctx context.Context) error {
	if d == nil || d.stop == nil {
		return nil
	}
	stop := d.stop
	d.stop = nil
	return stop(ctx)
}

// ErrNoPostgres is returned when no server answers and no PostgreSQL
// binaries are installed. Its text tells the developer what to run.
var ErrNoPostgres = errors.New(`geen PostgreSQL gevonden.

Buurtkracht heeft PostgreSQL nodig. Er draait er geen op 127.0.0.1:5432 en er zijn
geen PostgreSQL-programma's (initdb, pg_ctl) geïnstalleerd. Kies één van deze:

  docker compose up -d db                 # PostgreSQL in Docker, daarna opnieuw: make run
  sudo apt-get install -y postgresql      # Debian/Ubuntu
  brew install postgresql@15              # macOS (Homebrew)

Of wijs een bestaande database aan:
  DATABASE_URL=postgres://gebruiker:wachtwoord@host:5432/buurtkracht make run`)

// Find returns the first usable database in the order DATABASE_URL, local
// server, private cluster. A private cluster is created on first use and
// reused afterwards; call Stop on the result when the server stops.
func Find(ctx context.Context, o Options) (*DB, error) {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.EnvURL != "" {
		return &DB{URL: o.EnvURL, Source: FromEnv}, nil
	}
	if o.LocalURL != "" && Answers(ctx, o.LocalURL) {
		return &DB{URL: o.LocalURL, Source: FromLocal}, nil
	}
	bin := o.BinDir
	if bin == "" {
		bin = FindBinDir()
	}
	if bin == "" || !hasBinaries(bin) {
		return nil, ErrNoPostgres
	}
	return StartPrivate(ctx, bin, o)
}

// Answers reports whether the server of url accepts a connection within a
// second. It connects to the maintenance database "postgres", since the
// application database may not exist yet.
func Answers(ctx context.Context, url string) bool {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return false
	}
	cfg.Database = "postgres"
	cfg.ConnectTimeout = time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false
	}
	_ = conn.Close(ctx)
	return true
}

// FindBinDir returns the directory holding initdb and pg_ctl, or "" when
// PostgreSQL is not installed. It asks pg_config first, then looks in
// Debian's /usr/lib/postgresql/<version>/bin (newest first), then in PATH.
func FindBinDir() string {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); hasBinaries(dir) {
			return dir
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	for _, dir := range dirs {
		if hasBinaries(dir) {
			return dir
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err = filepath.EvalSymlinks(p); err == nil && hasBinaries(filepath.Dir(p)) {
			return filepath.Dir(p)
		}
	}
	return ""
}

// majorOf reads the version out of /usr/lib/postgresql/<version>/bin.
func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// StartPrivate starts (creating it first when needed) the cluster in
// o.DataDir/postgres with the binaries in binDir. It listens on 127.0.0.1
// only, without a unix socket, and trusts local connections: it is a
// development database, never a production one.
func StartPrivate(ctx context.Context, binDir string, o Options) (*DB, error) {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.DataDir == "" {
		o.DataDir = ".data"
	}
	if o.Database == "" {
		o.Database = "buurtkracht"
	}
	base, err := filepath.Abs(o.DataDir)
	if err != nil {
		return nil, fmt.Errorf("devdb: data dir: %w", err)
	}
	dir := filepath.Join(base, "postgres")
	logFile := filepath.Join(base, "postgres.log")
	run, err := newRunner(binDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("devdb: create %s: %w", base, err)
	}
	if err := run.own(base, false); err != nil {
		return nil, err
	}

	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if o.Primary != "" {
			fmt.Fprintf(o.Out, "Leesreplica aanmaken in %s ...\n", dir)
			err = baseBackup(ctx, run, dir, o.Primary)
		} else {
			fmt.Fprintf(o.Out, "Eigen PostgreSQL-cluster aanmaken in %s ...\n", dir)
			err = initCluster(ctx, run, dir)
		}
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("devdb: %w", err)
	}

	db := &DB{Source: FromPrivate, Dir: dir}
	// A cluster left running (by an earlier run that was killed, or a second
	// `make run`) is used as it is and left running.
	if port, ok := runningPort(ctx, run, dir); ok {
		db.URL = clusterURL(port, o.Database)
		fmt.Fprintf(o.Out, "Eigen PostgreSQL-cluster draait al op 127.0.0.1:%d.\n", port)
		return db, nil
	}

	port := o.Port
	if port == 0 {
		port = DefaultPort
		if !portFree(port) {
			if port, err = FreePort(); err != nil {
				return nil, err
			}
		}
	}
	if err := run.touch(logFile); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "Eigen PostgreSQL-cluster starten op 127.0.0.1:%d (log: %s) ...\n", port, logFile)
	if out, err := run.cmd(ctx, "pg_ctl", "start", "-w", "-t", "30", "-D", dir, "-l", logFile,
		"-o", "-p "+strconv.Itoa(port)).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("devdb: start cluster in %s: %w\n%s%s", dir, err, out, tail(logFile, 10))
	}
	db.URL = clusterURL(port, o.Database)
	db.stop = func(ctx context.Context) error {
		if out, err := run.cmd(ctx, "pg_ctl", "stop", "-w", "-m", "fast", "-D", dir).CombinedOutput(); err != nil {
			return fmt.Errorf("devdb: stop cluster: %w\n%s", err, out)
		}
		return nil
	}
	return db, nil
}

// initCluster runs initdb with a superuser "postgres", trust authentication
// and UTF-8, then pins the listen settings in postgresql.conf.
func initCluster(ctx context.Context, run *runner, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("devdb: create %s: %w", dir, err)
	}
	if err := run.own(dir, true); err != nil {
		return err
	}
	out, err := run.cmd(ctx, "initdb", "-D", dir, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-instructions").CombinedOutput()
	if err != nil {
		// Leave no half-made cluster behind: the next run would take it as ready.
		_ = os.RemoveAll(dir)
		return fmt.Errorf("devdb: initdb in %s: %w\n%s", dir, err, out)
	}
	conf := "\n# Added by buurtkracht dev: a private development cluster.\n" +
		"listen_addresses = '127.0.0.1'\n" +
		"unix_socket_directories = ''\n" +
		"max_connections = 50\n" +
		"shared_buffers = 64MB\n"
	f, err := os.OpenFile(filepath.Join(dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("devdb: configure cluster: %w", err)
	}
	if _, err := f.WriteString(conf); err != nil {
		f.Close()
		return fmt.Errorf("devdb: configure cluster: %w", err)
	}
	return f.Close()
}

// baseBackup copies the primary's cluster into dir with pg_basebackup, the
// WAL it needs streamed alongside, and -R: the copy starts as a hot standby
// that follows the primary (standby.signal and primary_conninfo). The
// postgresql.conf comes along, so it listens like the primary, on the port
// StartPrivate gives it. A fast checkpoint and no fsync keep it quick: it is
// a development or test replica that is thrown away, never a production one.
func baseBackup(ctx context.Context, run *runner, dir, primary string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("devdb: create %s: %w", dir, err)
	}
	if err := run.own(dir, true); err != nil {
		return err
	}
	out, err := run.cmd(ctx, "pg_basebackup", "-D", dir, "-d", primary, "-R", "-X", "stream",
		"--checkpoint=fast", "--no-sync").CombinedOutput()
	if err != nil {
		// Leave no half-made copy behind: the next run would take it as ready.
		_ = os.RemoveAll(dir)
		return fmt.Errorf("devdb: pg_basebackup into %s: %w\n%s", dir, err, out)
	}
	return nil
}

// runningPort reports whether the cluster in dir runs, and on which port,
// from pg_ctl status and the fourth line of postmaster.pid.
func runningPort(ctx context.Context, run *runner, dir string) (int, bool) {
	if err := run.cmd(ctx, "pg_ctl", "status", "-D", dir).Run(); err != nil {
		return 0, false
	}
	f, err := os.Open(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if i == 4 {
			port, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
			return port, err == nil
		}
	}
	return 0, false
}

func clusterURL(port int, database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, database)
}

func portFree(port int) bool {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = ln.Close()
	return true
}

// FreePort asks the kernel for a TCP port on 127.0.0.1 that nobody listens
// on now, for a private PostgreSQL or a test server. Another process may
// take it before it is used.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("devdb: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the last n lines of a log file, to explain a failed start.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "laatste regels van " + path + ":\n" + strings.Join(lines, "\n") + "\n"
}

// runner runs the PostgreSQL programs, which refuse to run as root: as root
// it runs them as an unprivileged account (postgres, else nobody) that owns
// the cluster's files.
type runner struct {
	binDir string
	as     *user.User // nil: run as the current user
}

func newRunner(binDir string) (*runner, error) {
	r := &runner{binDir: binDir}
	if os.Geteuid() != 0 {
		return r, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		if u, err := user.Lookup(name); err == nil {
			r.as = u
			return r, nil
		}
	}
	return nil, errors.New("devdb: PostgreSQL weigert als root te draaien en er is geen gebruiker postgres of nobody; " +
		"start `make run` als gewone gebruiker of zet DATABASE_URL")
}

func (r *runner) cmd(ctx context.Context, name string, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, filepath.Join(r.binDir, name), args...)
	// pg_ctl start leaves the server running after the command returns; it
	// must not be killed with our context, nor get our terminal's signals.
	if name == "pg_ctl" {
		c = exec.Command(filepath.Join(r.binDir, name), args...)
	}
	c.Dir = "/" // the unprivileged account may not be able to enter our working directory
	c.Env = append(os.Environ(), "LC_ALL=C")
	setProcAttr(c, r.as)
	return c
}

// own makes path (and with recursive, everything in it) belong to the
// unprivileged account, and checks that account can reach it.
func (r *runner) own(path string, recursive bool) error {
	if r.as == nil {
		return nil
	}
	uid, _ := strconv.Atoi(r.as.Uid)
	gid, _ := strconv.Atoi(r.as.Gid)
	chown := func(p string) error { return os.Lchown(p, uid, gid) }
	var err error
	if recursive {
		err = filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			return chown(p)
		})
	} else {
		err = chown(path)
	}
	if err != nil {
		return fmt.Errorf("devdb: give %s to user %s: %w", path, r.as.Username, err)
	}
	// Every parent must be searchable by that account.
	for p := filepath.Dir(path); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 && !ownedBy(fi, uid) {
			return fmt.Errorf("PostgreSQL draait hier als gebruiker %s (niet als root), maar die kan %s niet bereiken: "+
				"map %s is afgesloten voor anderen.\nKies een andere plek, bijvoorbeeld: DATA_DIR=/var/tmp/buurtkracht make run\n"+
				"of wijs een database aan met DATABASE_URL", r.as.Username, path, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func (r *runner) touch(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("devdb: create %s: %w", path, err)
	}
	f.Close()
	return r.own(path, false)
}
