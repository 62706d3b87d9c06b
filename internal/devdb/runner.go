package devdb

import (
	"context"
	"os/exec"
)

// Runner runs programs that refuse to run as root, PostgreSQL's and
// PgBouncer's: as root it runs them as an unprivileged account (postgres,
// else nobody), otherwise as ourselves. internal/pooler starts PgBouncer
// with it the way this package starts initdb and pg_ctl.
type Runner struct{ r *runner }

// NewRunner picks the account to run as.
func NewRunner() (*Runner, error) {
	r, err := newRunner("")
	if err != nil {
		return nil, err
	}
	return &Runner{r: r}, nil
}

// Command returns the command for the program at path (absolute), run as
// the runner's account in its own process group, from directory /.
func (r *Runner) Command(ctx context.Context, path string, args ...string) *exec.Cmd {
	return r.r.cmd(ctx, path, args...)
}

// Own makes path (with recursive, everything in it) belong to the runner's
// account, and checks that account can reach it; as a plain user it does
// nothing.
func (r *Runner) Own(path string, recursive bool) error { return r.r.own(path, recursive) }
