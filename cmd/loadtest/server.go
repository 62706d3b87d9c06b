package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/devdb"
)

// buildServer compiles cmd/buurtkracht into dir and returns the binary's path.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "buurtkracht")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/buurtkracht")
	cmd.Dir = moduleRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/buurtkracht: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if d == filepath.Dir(d) {
			return dir
		}
	}
}

// server is one platform process (`buurtkracht serve`).
type server struct {
	name    string
	base    string // http://127.0.0.1:port
	port    int
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
}

// serverEnv is the environment of every server process: the private
// database and rate limits raised so that the simulated users, who all come
// from 127.0.0.1, are not refused as an attack. The pool size is the
// platform's own (postgres.Open); a pool_max_conns in DATABASE_URL would
// also reach the migrations, which PostgreSQL refuses.
func serverEnv(url string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		// Settings of the developer's shell must not leak into the measured server.
		if k, _, _ := strings.Cut(kv, "="); k == "DATABASE_URL" || k == "ADDR" || k == "BASE_URL" || k == "APP_ENV" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"APP_ENV=test",
		"DATABASE_URL="+url,
		"LOG_LEVEL=info",
		"LOGIN_LIMIT_PER_IP=1000000",
		"LOGIN_LIMIT_PER_ACCOUNT=1000",
		"REGISTER_LIMIT_PER_IP=1000000",
		"DEMO_PASSWORD="+demoPassword,
		"SHUTDOWN_TIMEOUT=10s",
		// Simulated officers log in with a password only: the load of the
		// second step is not what this test measures.
		"REQUIRE_2FA_ROLES=geen",
	)
}

// startServer runs the binary on port and waits until /readyz answers 200.
func startServer(ctx context.Context, name, bin string, env []string, port int, logPath string) (*server, error) {
	if port == 0 {
		var err error
		if port, err = devdb.FreePort(); err != nil {
			return nil, err
		}
	}
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(slices.Clip(env), "ADDR=127.0.0.1:"+strconv.Itoa(port), "BASE_URL="+base)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group: a Ctrl-C of the load test must not reach it
	// before the load test stops it in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, base: base, port: port, logPath: logPath, cmd: cmd, exited: make(chan struct{})}
	go func() {
		s.exitErr = cmd.Wait()
		logf.Close()
		close(s.exited)
	}()
	deadline := time.Now().Add(30 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for {
		res, err := client.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("%s exited at start: %w (log: %s)", name, s.exitErr, logPath)
		case <-ctx.Done():
			s.kill()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.kill()
			return nil, fmt.Errorf("%s not ready after 30s (log: %s)", name, logPath)
		}
	}
}

// terminate sends SIGTERM and waits for the process to exit; it returns how
// long the shutdown took and the exit error (nil for a clean exit).
func (s *server) terminate(timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return 0, err
	}
	select {
	case <-s.exited:
		return time.Since(start), s.exitErr
	case <-time.After(timeout):
		s.kill()
		return time.Since(start), fmt.Errorf("%s still running %s after SIGTERM; killed", s.name, timeout)
	}
}

// kill ends the process at once (cleanup only).
func (s *server) kill() {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// logSize is where a log file ends now, to scan only what a scenario added.
func logSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// logProblems scans a server log from offset for panics and 5xx answers
// other than 503.
func logProblems(path string, offset int64) (panics, errors5xx int, first string) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, ""
	}
	defer f.Close()
	if _, err := f.Seek(offset, 0); err != nil {
		return 0, 0, ""
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.Contains(line, `"msg":"panic"`) || strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "goroutine "):
			panics++
		case strings.Contains(line, `"status":5`) && !strings.Contains(line, `"status":503`):
			errors5xx++
		default:
			continue
		}
		if first == "" {
			first = line
			if len(first) > 300 {
				first = first[:300]
			}
		}
	}
	return panics, errors5xx, first
}
