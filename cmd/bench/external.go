package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/synth"
)

// runExternal measures the real binary as a separate process over TCP, next
// to the bare baseline server, also a separate process (client latency).
func runExternal(ctx context.Context, dbURL string, s subjects, o options) error {
	bin := o.binary
	if bin == "" {
		dir, err := os.MkdirTemp("", "bench-buurtkracht-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "buurtkracht")
		fmt.Println("\nExtern: go build ./cmd/buurtkracht ...")
		start := time.Now()
		if err := build(ctx, bin); err != nil {
			return err
		}
		fmt.Printf("Gebouwd in %.0f s.\n", time.Since(start).Seconds())
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	platform, err := startChild(ctx, "buurtkracht", bin, []string{"serve"}, append(os.Environ(),
		"DATABASE_URL="+dbURL, "ADDR=127.0.0.1:"+strconv.Itoa(port), "APP_ENV=development", "BASE_URL="+base,
		"LOG_LEVEL=error", "SHUTDOWN_TIMEOUT=2s",
		// Officers would otherwise have to use a second factor to log in.
		"REQUIRE_2FA_ROLES=geen",
		// Load test: the limits must not be what is measured.
		"LOGIN_LIMIT_PER_IP=1000000", "LOGIN_LIMIT_PER_ACCOUNT=1000000", "REGISTER_LIMIT_PER_IP=1000000"))
	if err != nil {
		return err
	}
	defer platform.stop()

	self, err := os.Executable()
	if err != nil {
		return err
	}
	bport, err := freePort()
	if err != nil {
		return err
	}
	bbase := "http://127.0.0.1:" + strconv.Itoa(bport)
	bare, err := startChild(ctx, "basislijn", self, []string{"-" + baselineFlag, "127.0.0.1:" + strconv.Itoa(bport)},
		append(os.Environ(), "DATABASE_URL="+dbURL))
	if err != nil {
		return err
	}
	defer bare.stop()

	if err := platform.waitReady(ctx, base+"/readyz"); err != nil {
		return err
	}
	if err := bare.waitReady(ctx, bbase+"/readyz"); err != nil {
		return err
	}

	officers, err := logins(ctx, base, synth.OfficerEmail, synth.Password, o.conns)
	if err != nil {
		return err
	}
	workers, err := logins(ctx, base, synth.WorkerEmail(1), synth.Password, o.conns)
	if err != nil {
		return err
	}
	clients := map[who][]*http.Client{anonymous: anonymousClients(o.conns), officer: officers, worker: workers}
	fmt.Printf("\nExtern: buurtkracht serve als eigen proces, over TCP, %d keep-alive-verbindingen, gzip geaccepteerd, "+
		"clientlatentie, %s per pagina; belasting %s.\n", o.conns, o.duration, loadAverage())
	fmt.Println("Basislijn: eigen proces, chi + pgxpool + html/template, één geïndexeerde query, zonder compressie.")
	fmt.Println()
	// The baseline has its own host; every other page goes to the platform.
	// measure takes one base URL, so the baseline's request carries its own.
	pages := append([]page{{"basislijn", "basislijn (chi + pgx + html/template)", classBaseline, anonymous,
		func(ctx context.Context, _ string) (*http.Request, int) { return get("/basislijn")(ctx, bbase) },
		[]string{"<li>BU0344"}}}, benchPages(s)...)
	err = measure(ctx, os.Stdout, base, pages, clients, o, nil)
	// A child that died during the run makes its rows worthless: say so.
	for _, c := range []*child{platform, bare} {
		if c.exited() {
			err = errors.Join(err, fmt.Errorf("%s stopte tijdens de meting: %w", c.name, c.err))
		}
	}
	return err
}

// build compiles ./cmd/buurtkracht of this module into bin.
func build(ctx context.Context, bin string) error {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return errors.New("go build: start de bench in de repository (go run ./cmd/bench), of geef -binary")
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/buurtkracht")
	cmd.Dir = filepath.Dir(gomod)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/buurtkracht: %w", err)
	}
	return nil
}

// freePort is a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// child is a server process the bench started.
type child struct {
	name   string
	cancel context.CancelFunc
	done   chan struct{} // closed when the process has exited
	err    error         // its exit error, set before done is closed
}

// startChild starts path with args and env. Cancelling ctx (Ctrl-C) or
// calling stop sends SIGTERM, and a kill follows when the process has not
// exited 5 s later.
func startChild(ctx context.Context, name, path string, args, env []string) (*child, error) {
	cctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(cctx, path, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("%s starten: %w", name, err)
	}
	c := &child{name: name, cancel: cancel, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// exited reports whether the process has ended.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// stop ends the process (SIGTERM, then a kill) and waits for it.
func (c *child) stop() {
	c.cancel()
	<-c.done
}

// waitReady polls url until it answers 200, the process exits or a minute
// has passed.
func (c *child) waitReady(ctx context.Context, url string) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("%s stopte bij het starten: %w", c.name, c.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %s niet klaar binnen een minuut", c.name, url)
		}
	}
}
