package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/config"
)

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	serve := func(status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		return ":" + port // as ADDR is usually given: all interfaces
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name string
		addr string
		ok   bool
	}{
		{"healthy", serve(http.StatusOK), true},
		{"unhealthy", serve(http.StatusServiceUnavailable), false},
		{"nothing listens", closed, false},
		{"bad ADDR", "geen-adres", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{cfg: config.Config{Addr: tt.addr}, stdout: io.Discard, stderr: io.Discard}
			err := healthcheck(context.Background(), e, nil)
			if (err == nil) != tt.ok {
				t.Fatalf("healthcheck(%s) = %v, want ok=%v", tt.addr, err, tt.ok)
			}
		})
	}
}

func TestHealthzURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080/healthz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/healthz",
		"[::]:8080":      "http://127.0.0.1:8080/healthz",
		"10.1.2.3:8080":  "http://10.1.2.3:8080/healthz",
		"localhost:8081": "http://127.0.0.1:8081/healthz",
	} {
		if got, err := healthzURL(addr); err != nil || got != want {
			t.Errorf("healthzURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}
