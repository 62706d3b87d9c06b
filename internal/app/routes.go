package app

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/home"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/web/static"
)

// Handler returns the platform's one router. Every route sits in a group that
// says who may use it: anyone, any logged-in user, or named roles. The
// authorisation test walks this router, so a route added without a rule fails it.
func (a *App) Handler() http.Handler {
	h := httpx.Handle
	home := home.Handler{}
	acc := account.NewHandler(a.cfg, a.accounts, a.sessions, a.mailer, audit.New(a.db))

	r := chi.NewRouter()
	r.Use(requestID, logRequests, recoverPanics, securityHeaders(a.cfg.SecureCookies))

	// Anyone, without a session: probes and assets.
	r.Get("/healthz", a.healthz)
	r.Get("/readyz", a.readyz)
	r.Handle("/static/*", static.Handler())

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.Error(w, r, httpx.ErrForbidden)
	}))

	// Everything else runs with CSRF protection, a session and the viewer.
	withSession := chi.Chain(csrf.Handler, limitBody(1<<20), middleware.Compress(5, "text/html", "application/json", "text/csv"),
		noStore, a.sessions.LoadAndSave, account.LoadViewer(a.sessions, a.accounts), a.pageChrome)
	notFound := withSession.HandlerFunc(h(func(w http.ResponseWriter, r *http.Request) error { return httpx.ErrNotFound }))
	r.NotFound(notFound.ServeHTTP)
	r.MethodNotAllowed(notFound.ServeHTTP)

	r.Group(func(r chi.Router) {
		r.Use(withSession...)

		// Anyone, including anonymous visitors.
		r.Group(func(r chi.Router) {
			r.Get("/", h(home.Index))
			r.Get("/over", h(home.About))
			r.Get("/inloggen", h(acc.Login))
			r.Post("/inloggen", h(acc.DoLogin))
		})

		// Any logged-in user.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireLogin)
			r.Post("/uitloggen", h(acc.Logout))
		})

		// Administrators.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(account.Admin))
		})
	})
	return r
}
