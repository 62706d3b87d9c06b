package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers pgx5://
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"github.com/buurtkracht/buurtkracht/migrations"
)

// Migrator applies the embedded migrations. golang-migrate takes an advisory
// lock, so several instances starting at once do not race.
type Migrator struct {
	m   *migrate.Migrate
	url string
}

// NewMigrator connects to the database at url (postgres:// or postgresql://).
func NewMigrator(url string) (*Migrator, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("postgres: read migrations: %w", err)
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, MigrateURL(url))
	if err != nil {
		return nil, fmt.Errorf("postgres: connect for migrations: %w", err)
	}
	return &Migrator{m: m, url: url}, nil
}

// MigrateURL turns a postgres:// URL into the pgx5:// scheme golang-migrate's
// pgx/v5 driver expects, and drops pgxpool's own parameters (pool_max_conns
// and friends), which the migration connection would send to the server as
// unknown settings.
func MigrateURL(raw string) string {
	for _, p := range []string{"postgresql://", "postgres://"} {
		if rest, ok := strings.CutPrefix(raw, p); ok {
			raw = "pgx5://" + rest
			break
		}
	}
	return WithoutPoolParams(raw)
}

// WithoutPoolParams drops pgxpool's own parameters (pool_max_conns and
// friends) from a database URL: the pool understands them, but a plain
// connection sends them to the server as unknown settings, and pg_dump and
// pg_restore refuse them.
func WithoutPoolParams(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	changed := false
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
		return u.String()
	}
	return raw
}

// Up applies all pending migrations, ours and then River's.
func (m *Migrator) Up() error {
	if err := ignoreNoChange(m.m.Up()); err != nil {
		return err
	}
	return RiverUp(context.Background(), m.url)
}

// Down reverts n of our migrations, or all of them and River's tables when n <= 0.
func (m *Migrator) Down(n int) error {
	if n <= 0 {
		if err := RiverDown(context.Background(), m.url); err != nil {
			return err
		}
		return ignoreNoChange(m.m.Down())
	}
	return ignoreNoChange(m.m.Steps(-n))
}

// Version returns the current version and whether the last migration failed halfway.
func (m *Migrator) Version() (version uint, dirty bool, err error) {
	v, d, err := m.m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	return v, d, err
}

// Close releases the migrator's connections.
func (m *Migrator) Close() error {
	srcErr, dbErr := m.m.Close()
	return errors.Join(srcErr, dbErr)
}

func ignoreNoChange(err error) error {
	if errors.Is(err, migrate.ErrNoChange) {
		return nil
	}
	return err
}

// MigrateUp is a shortcut that applies all migrations and closes the migrator.
func MigrateUp(url string) error {
	m, err := NewMigrator(url)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(); err != nil {
		return fmt.Errorf("postgres: migrate up: %w", err)
	}
	return nil
}

// To migrates up or down to version (tests of one migration's data move).
func (m *Migrator) To(version uint) error {
	return ignoreNoChange(m.m.Migrate(version))
}
