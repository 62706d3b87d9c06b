package app

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/activity"
	"github.com/buurtkracht/buurtkracht/internal/asset"
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
	activities := &activity.Handler{Store: activity.NewStore(a.db), Sessions: a.sessions}
	acc := account.NewHandler(a.cfg, a.accounts, a.sessions, a.mailer, audit.New(a.db))
	assets := asset.NewHandler(a.db, a.sessions)
	acc.Sections = append(acc.Sections, assets)

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
			r.Get("/registreren", h(acc.Register))
			r.Post("/registreren", h(acc.DoRegister))
			r.Get("/wachtwoord-vergeten", h(acc.Forgot))
			r.Post("/wachtwoord-vergeten", h(acc.DoForgot))
			r.Get("/wachtwoord-herstellen", h(acc.Reset))
			r.Post("/wachtwoord-herstellen", h(acc.DoReset))
			// Who can help: talents only for logged-in viewers (also in the SQL).
			r.Get("/buurten/{code}/wie-kan-helpen", h(assets.List))
		})

		// Any logged-in user.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireLogin)
			r.Post("/uitloggen", h(acc.Logout))
			r.Get("/account", h(acc.Show))
			r.Get("/account/wachtwoord", h(acc.ChangePassword))
			r.Post("/account/wachtwoord", h(acc.DoChangePassword))
			// Own talents and assets; edit and delete only by owner or admin (checked in the SQL).
			r.Get("/mijn/talenten", h(assets.Mine))
			r.Get("/hulpbronnen/{id}/bewerken", h(assets.Edit))
			r.Post("/hulpbronnen/{id}/bewerken", h(assets.Update))
			r.Post("/hulpbronnen/{id}/verwijderen", h(assets.Delete))
		})

		// Residents and workers (and administrators) add assets and talents.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(account.Resident, account.Worker, account.Admin))
			r.Get("/hulpbronnen/nieuw", h(assets.New))
			r.Post("/hulpbronnen/nieuw", h(assets.Create))
		})

		// Community workers: activities in their own work areas (scope also in SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(account.Worker))
			r.Get("/activiteiten", h(activities.List))
			r.Get("/activiteiten/nieuw", h(activities.New))
			r.Post("/activiteiten/nieuw", h(activities.Create))
			r.Get("/activiteiten/{id}", h(activities.Show))
			r.Get("/activiteiten/{id}/bewerken", h(activities.Edit))
			r.Post("/activiteiten/{id}/bewerken", h(activities.Update))
			r.Get("/activiteiten/{id}/verhaal", h(activities.Story))
			r.Post("/activiteiten/{id}/verhaal", h(activities.SaveStory))
		})

		// Administrators.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(account.Admin))
			r.Get("/hulpbronnen/{id}/verbergen", h(assets.HideForm))
			r.Post("/hulpbronnen/{id}/verbergen", h(assets.Hide))
			r.Post("/hulpbronnen/{id}/tonen", h(assets.Show))
		})
	})
	return r
}
