package httpx_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

func TestClientGone(t *testing.T) {
	t.Parallel()
	writeTimeout := &net.OpError{Op: "write", Net: "tcp", Err: os.ErrDeadlineExceeded}
	brokenPipe := &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
	reset := &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}
	tests := []struct {
		name string
		done bool // the request's context ended (client gone, or a write failed)
		err  error
		want bool
	}{
		{"cancelled", true, fmt.Errorf("x: %w", context.Canceled), true},
		{"deadline", true, fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"write timeout", true, writeTimeout, true},
		{"broken pipe", true, brokenPipe, true},
		{"connection reset", true, reset, true},
		{"closed connection", true, fmt.Errorf("x: %w", net.ErrClosed), true},
		{"a bug while the client left", true, errors.New("nil map"), false},
		{"not found", true, httpx.ErrNotFound, false},
		{"client still there: cancelled", false, context.Canceled, false},
		{"client still there: database reset", false, reset, false},
		{"no error", true, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.done {
				cancel()
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
			if got := httpx.ClientGone(r, tt.err); got != tt.want {
				t.Errorf("ClientGone = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path   string
		err    error
		status int
		want   string
	}{
		{"/over", httpx.ErrMethodNotAllowed, http.StatusMethodNotAllowed, "Dit kan niet op deze pagina"},
		{"/api/v1/initiatives/", httpx.ErrMethodNotAllowed, http.StatusMethodNotAllowed, `{"error":`},
		{"/x", httpx.ErrNotFound, http.StatusNotFound, "Pagina niet gevonden"},
		{"/x", httpx.ErrForbidden, http.StatusForbidden, "Geen toegang"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.err.Error(), func(t *testing.T) {
			rec := httptest.NewRecorder()
			httpx.Error(rec, httptest.NewRequest(http.MethodPost, tt.path, nil), tt.err)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("status %d, body lacks %q:\n%s", rec.Code, tt.want, rec.Body)
			}
		})
	}
	// HEAD is sent to the login page like GET, with where it was going.
	rec := httptest.NewRecorder()
	httpx.RedirectToLogin(rec, httptest.NewRequest(http.MethodHead, "/account", nil))
	if loc := rec.Header().Get("Location"); loc != "/inloggen?volgende=%2Faccount" {
		t.Errorf("HEAD to the login page: Location %q", loc)
	}
}
