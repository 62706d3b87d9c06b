// Package backup dumps the platform's database with pg_dump and restores it
// with pg_restore, so an administrator has one command for each.
package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// tool finds a PostgreSQL client program: on PATH, else in the usual Debian
// and Homebrew locations (pg_dump is often not on PATH on Debian servers).
func tool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin/" + name, "/opt/homebrew/opt/postgresql@*/bin/" + name, "/usr/local/opt/postgresql@*/bin/" + name} {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return m[len(m)-1], nil
		}
	}
	return "", fmt.Errorf("backup: %s not found; install the PostgreSQL client (Debian: apt-get install -y postgresql-client)", name)
}

// Dump writes the whole database at url to path in pg_dump's custom format
// (compressed, restorable table by table).
func Dump(ctx context.Context, url, path string) error {
	bin, err := tool("pg_dump")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("backup: create folder: %w", err)
	}
	return run(ctx, bin, "--format=custom", "--no-owner", "--no-privileges", "--file="+path, "--dbname="+postgres.WithoutPoolParams(url))
}

// Restore loads the dump at path into the database at url. Existing objects
// of the dump are dropped first, so restoring over a damaged database works;
// the whole restore is one transaction.
func Restore(ctx context.Context, url, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	bin, err := tool("pg_restore")
	if err != nil {
		return err
	}
	return run(ctx, bin, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname="+postgres.WithoutPoolParams(url), path)
}

func run(ctx context.Context, bin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && msg != "" {
			return fmt.Errorf("backup: %s: %s", filepath.Base(bin), msg)
		}
		return fmt.Errorf("backup: %s: %w", filepath.Base(bin), err)
	}
	return nil
}
