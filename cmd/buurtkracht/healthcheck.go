package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

func init() {
	commands["healthcheck"] = command{
		summary: "controleer of de server op deze machine antwoordt (voor de container-healthcheck)",
		usage:   "healthcheck\n\n  Vraagt GET /healthz op de poort van ADDR (standaard :8080) van deze machine.\n  Exitcode 0: de server antwoordt met 200; 1: niet.",
		run:     healthcheck,
	}
}

// healthcheck lets a container without a shell or curl (distroless) check
// itself: the same binary asks its own server for /healthz.
func healthcheck(ctx context.Context, e *env, args []string) error {
	if len(args) != 0 {
		return errUsage
	}
	url, err := healthzURL(e.cfg.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", url, res.StatusCode)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// healthzURL turns a listen address into the URL to check: a wildcard or
// empty host means this machine's loopback address.
func healthzURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("ADDR %q: %w", addr, err)
	}
	switch host {
	case "", "0.0.0.0", "::", "localhost":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
