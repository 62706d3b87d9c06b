package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// failingWriter is a connection that broke: every write fails.
type failingWriter struct {
	http.ResponseWriter
	err error
}

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

// TestClientGoneLoggedOnceAtInfo: when the client went away (closed the
// tab, or too slow for the write timeout), whatever the handler then runs
// into is logged once, on the request line at INFO, with no ERROR or WARN
// line. A real failure while the client waits is still an ERROR.
func TestClientGoneLoggedOnceAtInfo(t *testing.T) {
	writeTimeout := &net.OpError{Op: "write", Net: "tcp", Err: os.ErrDeadlineExceeded}
	brokenPipe := &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
	tests := []struct {
		name     string
		gone     bool  // the client left before the handler ended
		writeErr error // writes to the client fail with this
		handler  httpx.HandlerFunc
		level    string // of the one line about the request
	}{
		{"context cancelled", true, nil, func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("signal: list: %w", r.Context().Err())
		}, "INFO"},
		{"database call cut off by the cancel", true, nil, func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("initiative: get: %w", &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed})
		}, "INFO"},
		{"own deadline after the client left", true, nil, func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("overview: %w", context.DeadlineExceeded)
		}, "INFO"},
		{"not found for a client that left", true, nil, func(w http.ResponseWriter, r *http.Request) error {
			return httpx.ErrNotFound // the error page's template stops at the done context
		}, "INFO"},
		{"write timeout returned by a streaming handler", true, writeTimeout, func(w http.ResponseWriter, r *http.Request) error {
			_, err := w.Write([]byte("Naam;Aantal\r\n"))
			return err
		}, "INFO"},
		{"broken pipe returned by a streaming handler", true, brokenPipe, func(w http.ResponseWriter, r *http.Request) error {
			_, err := w.Write([]byte("Naam;Aantal\r\n"))
			return err
		}, "INFO"},
		{"page written to a client that left", true, brokenPipe, func(w http.ResponseWriter, r *http.Request) error {
			return httpx.JSON(w, http.StatusOK, map[string]string{"a": "b"})
		}, "INFO"},
		{"a real failure, client waiting", false, nil, func(w http.ResponseWriter, r *http.Request) error {
			return errors.New("store: kapot")
		}, "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := captureLogs(t)
			h := requestID(logRequests(recoverPanics(httpx.Handle(tt.handler))))
			ctx, cancel := context.WithCancel(context.Background())
			if tt.gone {
				cancel() // as net/http does when the connection drops or a write fails
			} else {
				defer cancel()
			}
			req := httptest.NewRequest(http.MethodGet, "/overzicht", nil).WithContext(ctx)
			var w http.ResponseWriter = httptest.NewRecorder()
			if tt.writeErr != nil {
				w = failingWriter{w, tt.writeErr}
			}
			h.ServeHTTP(w, req)

			lines := logLines(t, logs)
			var request, loud int
			for _, l := range lines {
				if l["msg"] == "request" {
					request++
					if l["level"] != tt.level && !(tt.level == "ERROR" && l["level"] == "WARN") {
						t.Errorf("request line at %v, want %s: %v", l["level"], tt.level, l)
					}
					if tt.gone && l["client_gone"] != true {
						t.Errorf("request line does not say the client went away: %v", l)
					}
				} else if l["level"] == "ERROR" || l["level"] == "WARN" {
					loud++
				}
			}
			if request != 1 {
				t.Errorf("%d request lines, want 1:\n%s", request, logs)
			}
			if tt.gone && loud != 0 {
				t.Errorf("a client going away logged %d WARN/ERROR lines:\n%s", loud, logs)
			}
			if !tt.gone && loud != 1 {
				t.Errorf("a real failure logged %d WARN/ERROR lines, want 1:\n%s", loud, logs)
			}
		})
	}
}
