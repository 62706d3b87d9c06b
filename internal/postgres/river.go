package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// River's tables (the durable job queue behind e-mail notifications) are
// created by River's own migrator, not copied into migrations/: River owns
// their shape and upgrades them itself, and it records its versions in
// river_migration, apart from golang-migrate's schema_migrations.

// RiverUp applies River's migrations to the database at url.
func RiverUp(ctx context.Context, url string) error {
	return riverMigrate(ctx, url, rivermigrate.DirectionUp, nil)
}

// RiverDown removes River's tables from the database at url.
func RiverDown(ctx context.Context, url string) error {
	return riverMigrate(ctx, url, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1})
}

func riverMigrate(ctx context.Context, url string, dir rivermigrate.Direction, opts *rivermigrate.MigrateOpts) error {
	pool, err := Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.Default()})
	if err != nil {
		return fmt.Errorf("postgres: river migrator: %w", err)
	}
	if dir == rivermigrate.DirectionDown {
		// Nothing to remove on a database that never had River.
		if existing, err := m.ExistingVersions(ctx); err == nil && len(existing) == 0 {
			return nil
		}
	}
	if _, err := m.Migrate(ctx, dir, opts); err != nil {
		return fmt.Errorf("postgres: river migrate %s: %w", dir, err)
	}
	return nil
}

// RiverVersion is the newest River schema version this build knows; it is
// part of the test template's hash, so a River upgrade rebuilds the template.
func RiverVersion() int {
	m, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		return 0
	}
	all := m.AllVersions()
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].Version
}
