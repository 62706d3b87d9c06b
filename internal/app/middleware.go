package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

type reqIDKey struct{}

// requestID gives every request an id, echoed in X-Request-Id and added to
// every log line of the request.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), reqIDKey{}, id)))
	})
}

// ContextHandler adds the request id of the context to every log record.
type ContextHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h ContextHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id, ok := ctx.Value(reqIDKey{}).(string); ok {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

// WithAttrs implements slog.Handler.
func (h ContextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return ContextHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h ContextHandler) WithGroup(name string) slog.Handler {
	return ContextHandler{h.Handler.WithGroup(name)}
}

type statusRecorder struct {
	http.ResponseWriter
	status   int
	bytes    int
	writeErr error // the first failed write: the client went away or was too slow
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	if err != nil && s.writeErr == nil {
		s.writeErr = err
	}
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs one line per request: method, path (never the query,
// which may hold tokens), status, size and duration.
//
// A client that went away (closed the tab, or too slow to take the answer
// within the server's write timeout) is noted on this line, at INFO, and
// nowhere else (httpx.Error stays silent about it): it is not our fault and
// needs nobody's attention, but a rising count of them is worth seeing.
// Nothing sent counts as 499, nginx's "client closed request".
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		gone := rec.writeErr != nil || r.Context().Err() != nil
		if strings.HasPrefix(r.URL.Path, "/static/") && rec.status < 400 {
			return
		}
		level := slog.LevelInfo
		if rec.status >= 500 && !gone {
			level = slog.LevelWarn
		}
		status := rec.status
		attrs := []any{"method", r.Method, "path", r.URL.Path}
		if gone {
			if status == 0 {
				status = statusClientClosed
			}
			reason := context.Cause(r.Context())
			if rec.writeErr != nil {
				reason = rec.writeErr
			}
			attrs = append(attrs, "client_gone", true, "reason", fmt.Sprint(reason))
		}
		attrs = append(attrs, "status", status, "bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000)
		slog.Log(r.Context(), level, "request", attrs...)
	})
}

// statusClientClosed is logged for a request whose client left before any
// answer was sent (nginx's 499); it is never sent.
const statusClientClosed = 499

// recoverPanics turns a panic into a logged 500 page instead of a dropped connection.
func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				slog.ErrorContext(r.Context(), "panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()))
				httpx.Error(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy forbids inline script and style, framing, plugins
// and foreign form targets. Maps are inline SVG with presentation attributes.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the strict headers every response carries, and
// Strict-Transport-Security on those to requests that came over HTTPS
// (isHTTPS): RFC 6797 §7.2 forbids it over plain HTTP, where browsers ignore
// it anyway. BASE_URL alone does not turn it on: behind a TLS-terminating
// proxy, the proxy must be in TRUSTED_PROXIES and send X-Forwarded-Proto.
func securityHeaders() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if isHTTPS(r) {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// oneCacheControl makes every response carry at most one Cache-Control
// header. Several layers have a say: noStore, the static files, handlers,
// and scs, which adds `no-cache="Set-Cookie"` whenever it sends the session
// cookie. Two headers are legal HTTP but ambiguous to read and to test, so
// just before the header goes out they become one: no-store wins outright
// (it already keeps the cookie out of every cache), else the values are
// joined in order.
func oneCacheControl(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &cacheControlWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		cw.merge() // a handler that wrote nothing: the server sends the headers after this
	})
}

type cacheControlWriter struct {
	http.ResponseWriter
	merged bool
}

func (c *cacheControlWriter) merge() {
	if c.merged {
		return
	}
	c.merged = true
	h := c.ResponseWriter.Header()
	values := h.Values("Cache-Control")
	if len(values) < 2 {
		return
	}
	for _, v := range values {
		for _, d := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(d), "no-store") {
				h.Set("Cache-Control", "no-store")
				return
			}
		}
	}
	h.Set("Cache-Control", strings.Join(values, ", "))
}

func (c *cacheControlWriter) WriteHeader(code int) {
	if code >= 200 { // 1xx answers come before the real headers
		c.merge()
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *cacheControlWriter) Write(b []byte) (int, error) {
	c.merge()
	return c.ResponseWriter.Write(b)
}

// Flush lets streamed answers through (http.ResponseController finds it).
func (c *cacheControlWriter) Flush() {
	c.merge()
	_ = http.NewResponseController(c.ResponseWriter).Flush()
}

func (c *cacheControlWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// noStore keeps pages with personal data out of shared caches.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if w.Header().Get("Cache-Control") == "" {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies: forms here are small, and a huge body
// should not tie up memory.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// pageChrome builds the layout.Page every handler starts from: user, navigation
// for their roles, the current path and a pending flash message.
func (a *App) pageChrome(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		v := httpx.ViewerFrom(ctx)
		p := layout.Page{Path: r.URL.Path, Nav: navFor(v)}
		if v != nil {
			p.User = &layout.User{ID: v.ID, Name: v.Name, Roles: v.Roles, Unread: v.Unread}
		}
		// Pop only when present: popping marks the session modified, and an
		// anonymous GET must not write a session row.
		if a.sessions.Exists(ctx, httpx.FlashKey) {
			p.Flash = a.sessions.PopString(ctx, httpx.FlashKey)
		}
		if a.sessions.Exists(ctx, httpx.FlashErrorKey) {
			p.Flash = a.sessions.PopString(ctx, httpx.FlashErrorKey)
			p.FlashError = true
		}
		next.ServeHTTP(w, r.WithContext(httpx.WithPage(ctx, p)))
	})
}
