// Package pgcluster runs a throw-away PostgreSQL cluster that a test or the
// load test owns: created in a temporary directory, listening on a spare port
// of 127.0.0.1, stopped and started at will (to simulate a database outage)
// and removed at the end. Stopping it disturbs no other database.
//
// It builds on internal/devdb, which already knows how to create and start a
// private cluster with the locally installed PostgreSQL binaries (as an
// unprivileged account when running as root, since initdb refuses root).
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/buurtkracht/buurtkracht/internal/devdb"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// ErrNoBinaries means PostgreSQL's initdb/pg_ctl (and, for a replica,
// pg_basebackup) are not installed here.
var ErrNoBinaries = errors.New("pgcluster: PostgreSQL binaries (initdb, pg_ctl) not found")

// Options configures New. The zero value works.
type Options struct {
	Database string    // database to create (default "buurtkracht")
	BaseDir  string    // parent of the temporary directory (default os.TempDir())
	BinDir   string    // PostgreSQL binaries (default: devdb.FindBinDir())
	Out      io.Writer // progress messages (default io.Discard)
}

// Cluster is a private PostgreSQL cluster. Its URL stays the same over Stop
// and Start, so a client can reconnect after an outage.
type Cluster struct {
	URL  string // postgres:// URL of the database
	Port int
	Dir  string // temporary directory holding the cluster and its log

	opts    Options
	primary string // the primary's URL, for a replica (NewReplica)
	mu      sync.Mutex
	db      *devdb.DB // nil while stopped
}

// New creates a cluster in a fresh temporary directory, starts it on a spare
// port and creates the database. Call Close to stop and remove it.
func New(ctx context.Context, o Options) (*Cluster, error) {
	c, err := create(ctx, o, "")
	if err != nil {
		return nil, err
	}
	if err := postgres.EnsureDatabase(ctx, c.URL); err != nil {
		_ = c.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return c, nil
}

// NewReplica creates a hot standby of primary in a fresh temporary
// directory: a copy taken with pg_basebackup -R that streams the primary's
// WAL from then on and answers read-only queries on its own spare port. Its
// URL names the primary's database unless o.Database says otherwise. Stop
// and Start it to simulate a replica outage; Close removes it. The primary
// must be running.
func NewReplica(ctx context.Context, primary *Cluster, o Options) (*Cluster, error) {
	if o.Database == "" {
		o.Database = primary.opts.Database
	}
	if o.BinDir == "" {
		o.BinDir = primary.opts.BinDir
	}
	primary.mu.Lock()
	url := primary.URL
	running := primary.db != nil
	primary.mu.Unlock()
	if !running {
		return nil, errors.New("pgcluster: the primary of a replica must be running")
	}
	return create(ctx, o, url)
}

// create makes the directory, picks a port and starts the cluster: an empty
// one, or a copy of primary when that is set.
func create(ctx context.Context, o Options, primary string) (*Cluster, error) {
	if o.Database == "" {
		o.Database = "buurtkracht"
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.BinDir == "" {
		o.BinDir = devdb.FindBinDir()
	}
	if o.BinDir == "" {
		return nil, ErrNoBinaries
	}
	if primary != "" {
		if _, err := os.Stat(filepath.Join(o.BinDir, "pg_basebackup")); err != nil {
			return nil, fmt.Errorf("%w (pg_basebackup in %s)", ErrNoBinaries, o.BinDir)
		}
	}
	dir, err := os.MkdirTemp(o.BaseDir, "buurtkracht-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgcluster: temp dir: %w", err)
	}
	// The unprivileged account PostgreSQL runs as must reach the directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	port, err := devdb.FreePort()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	c := &Cluster{Port: port, Dir: dir, opts: o, primary: primary}
	if err := c.Start(ctx); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// Start starts the cluster (again) on its port. It does nothing when the
// cluster already runs.
func (c *Cluster) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db != nil {
		return nil
	}
	db, err := devdb.StartPrivate(ctx, c.opts.BinDir, devdb.Options{
		DataDir: c.Dir, Port: c.Port, Database: c.opts.Database, Out: c.opts.Out, Primary: c.primary,
	})
	if err != nil {
		return fmt.Errorf("pgcluster: start: %w", err)
	}
	c.db, c.URL = db, db.URL
	return nil
}

// Stop stops the cluster with pg_ctl's fast mode: open sessions are ended
// and the port is closed, as during a database restart or outage.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == nil {
		return nil
	}
	err := c.db.Stop(ctx)
	c.db = nil
	if err != nil {
		return fmt.Errorf("pgcluster: stop: %w", err)
	}
	return nil
}

// LogFile is PostgreSQL's server log.
func (c *Cluster) LogFile() string { return filepath.Join(c.Dir, "postgres.log") }

// Close stops the cluster and removes its directory.
func (c *Cluster) Close(ctx context.Context) error {
	err := c.Stop(ctx)
	return errors.Join(err, os.RemoveAll(c.Dir))
}
