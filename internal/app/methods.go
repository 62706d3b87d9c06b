package app

import (
	"net/http"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// methodTable tells which methods the router serves on a path: for the
// Allow header of OPTIONS and 405 answers, and to send HEAD the way of GET.
//
// It asks a flat copy of the router (every route of chi.Walk, subrouters
// included, on one tree with no-op handlers), built on first use, when the
// router is complete. The router itself cannot answer: chi.Match says yes
// to every method on the path where a subrouter is mounted
// ("/api/v1/initiatives/"), since the mount point takes any method.
type methodTable struct {
	router chi.Routes
	once   sync.Once
	flat   *chi.Mux
}

func (m *methodTable) has(method, path string) bool {
	m.once.Do(func() {
		m.flat = chi.NewRouter()
		noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
		_ = chi.Walk(m.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			m.flat.Method(method, route, noop)
			return nil
		})
	})
	// Match records its findings in the routing context: a fresh one each time.
	return m.flat.Match(chi.NewRouteContext(), method, path)
}

// probedMethods are the methods routes are made for, in the order the Allow
// header lists them.
var probedMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowed lists the methods served on path, for the Allow header; nil when
// no route has the path. HEAD is listed with GET (headAsGet), and OPTIONS
// on every existing path (answerOptions).
func (m *methodTable) allowed(path string) []string {
	var out []string
	get := false
	for _, method := range probedMethods {
		if method == http.MethodHead && get || m.has(method, path) {
			out = append(out, method)
			get = get || method == http.MethodGet
		}
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, http.MethodOptions)
}

// routingPath is the path chi routes on.
func routingPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	if r.URL.Path == "" {
		return "/"
	}
	return r.URL.Path
}

// headAsGet routes a HEAD request as GET (unless a route takes HEAD
// itself), through the same middleware and role checks; net/http drops the
// body of a HEAD answer, so the headers and status are GET's. chi's
// middleware.GetHead does the same, but asks chi.Match, which is wrong at
// a subrouter's mount point (see methodTable).
func headAsGet(m *methodTable) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead && !m.has(http.MethodHead, routingPath(r)) {
				if rctx := chi.RouteContext(r.Context()); rctx != nil {
					rctx.RouteMethod = http.MethodGet
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// answerOptions answers OPTIONS on an existing path with 204 and the Allow
// header. No CORS: the platform serves no other origins, so there is no
// preflight to grant. An OPTIONS on a path that does not exist goes on to
// the router's 404.
func answerOptions(m *methodTable) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			allow := m.allowed(routingPath(r))
			if allow == nil {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Allow", strings.Join(allow, ", "))
			w.WriteHeader(http.StatusNoContent)
		})
	}
}

// methodNotAllowed answers a known path asked with a method it does not
// take: 405 with the Allow header and the Dutch error page (JSON under
// /api/). chi's own 405 handler sets Allow, but chi gives a custom one
// (needed for the page) no method list. A method chi does not know, on a
// path nobody serves, is a plain 404.
func methodNotAllowed(m *methodTable) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		allow := m.allowed(routingPath(r))
		if allow == nil {
			return httpx.ErrNotFound
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return httpx.ErrMethodNotAllowed
	}
}
