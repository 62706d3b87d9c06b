package app

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/activity"
	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/asset"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/home"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/message"
	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/overview"
	"github.com/buurtkracht/buurtkracht/internal/privacy"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/statement"
	"github.com/buurtkracht/buurtkracht/web/static"
)

// Handler returns the platform's one router. Every route sits in a group that
// says who may use it: anyone, any logged-in user, or named roles. The
// authorisation test walks this router, so a route added without a rule fails it.
func (a *App) Handler() http.Handler {
	h := httpx.Handle
	home := home.Handler{}
	activities := &activity.Handler{Store: activity.NewStore(a.db), Sessions: a.sessions}
	signals := &signal.Handler{Store: signal.NewStore(a.db), Sessions: a.sessions, Audit: audit.New(a.db)}
	acc := account.NewHandler(a.cfg, a.accounts, a.sessions, a.mailer, audit.New(a.db))
	acc.Signer = a.signer // checks the links in confirmation mails
	assets := asset.NewHandler(a.db, a.sessions)
	acc.Sections = append(acc.Sections, assets)

	contacts := &contact.Handler{Store: contact.NewStore(a.db), Sessions: a.sessions, Audit: audit.New(a.db)}
	// Making a token asks for the password; wrong ones count with login's.
	tokens := &apitoken.Handler{Store: apitoken.NewStore(a.db), Sessions: a.sessions, Viewers: a.accounts,
		Passwords: a.accounts, Attempts: acc.Limits.LoginAccount}
	acc.Sections = append(acc.Sections, tokens)
	acc.Sections = append(acc.Sections, signals)
	initiatives := &initiative.Handler{Store: initiative.NewStore(a.db), Sessions: a.sessions, Help: assets, BaseURL: a.cfg.BaseURL}
	acc.Sections = append(acc.Sections, initiatives)
	// Download and delete one's own data; wrong passwords count with login's.
	privacyH := &privacy.Handler{Store: privacy.NewStore(a.db), Sessions: a.sessions, Attempts: acc.Limits.LoginAccount}
	acc.Sections = append(acc.Sections, privacyH)
	// The neighbourhood page shows the features' sections in this order.
	buurten := &neighbourhood.Handler{Store: neighbourhood.NewStore(a.db),
		Sections: []neighbourhood.Section{initiatives, assets, activities, signals}}

	// Notifications, e-mail preferences and unsubscribe links (issue 10).
	notices := &notify.Handler{Store: notify.NewStore(a.db), Sessions: a.sessions, Signer: a.signer}
	acc.Sections = append(acc.Sections, notices)

	// Messages between members (issue 11): participants only (in the SQL).
	messages := message.NewHandler(a.db, a.sessions)

	// Municipality overviews (issue 5): a cross-feature read with its own SQL.
	overviews := &overview.Handler{Store: overview.NewStore(a.db), Audit: audit.New(a.db)}

	// Accessibility, privacy and security statements: their figures come
	// from the settings and from the periods these features fix in code.
	statements := statement.New(a.cfg, statement.Fixed{ResetLink: account.ResetValidity, ConfirmLink: notify.ConfirmValidity,
		InvitationDays: initiative.InvitationDays, TokenMaxDays: slices.Max(apitoken.Lifetimes)})

	r := chi.NewRouter()
	// HEAD goes wherever GET goes, through the same role checks (net/http
	// drops the body); OPTIONS answers 204 with Allow on every existing
	// path; a wrong method gets 405 with Allow (below). methods.go.
	methods := &methodTable{router: r}
	r.Use(behindProxies(a.cfg.TrustedProxies), requestID, logRequests, recoverPanics, securityHeaders(), oneCacheControl,
		answerOptions(methods), headAsGet(methods))

	// Anyone, without a session: probes and assets.
	r.Get("/healthz", a.healthz)
	r.Get("/readyz", a.readyz)
	// RFC 9116: where to report a vulnerability; served without session or database.
	r.Get(statement.SecurityTxtPath, statements.SecurityTxt)
	r.Get("/static/*", static.Handler().ServeHTTP)
	// The offline worker of the quick-log page (no personal data; its scope is /contacten/).
	r.Get("/contacten/sw.js", contact.ServiceWorker)

	// Field apps: a worker's personal API token (Bearer), no session, no cookies.
	r.Route("/api/v1/contacts", func(r chi.Router) {
		r.Use(limitBody(64<<10), noStore, tokens.Authenticate, account.RequireRole(role.Worker))
		r.Get("/", h(contacts.ListJSON))
		r.Post("/", h(contacts.CreateJSON))
	})

	// Open data: public initiatives, public fields only; no session, no login.
	r.Route("/api/v1/initiatives", func(r chi.Router) {
		r.Use(noStore, middleware.Compress(1, "application/json"))
		r.Get("/", h(initiatives.APIList))
		r.Get("/{id}", h(initiatives.APIShow))
	})

	csrf := http.NewCrossOriginProtection()
	denyCrossOrigin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.Error(w, r, httpx.ErrForbidden)
	})
	csrf.SetDenyHandler(denyCrossOrigin)

	// Everything else runs with CSRF protection, a session and the viewer.
	// sameSchemeOrigin first: CrossOriginProtection's Origin fallback ignores the scheme (csrf.go).
	withSession := chi.Chain(sameSchemeOrigin(strings.HasPrefix(a.cfg.BaseURL, "https://"), denyCrossOrigin), csrf.Handler,
		limitBody(1<<20), middleware.Compress(1, "text/html", "application/json", "text/csv"),
		noStore, a.store.Track, a.sessions.LoadAndSave, account.LoadViewer(a.sessions, a.accounts), a.pageChrome)
	notFound := withSession.HandlerFunc(h(func(w http.ResponseWriter, r *http.Request) error { return httpx.ErrNotFound }))
	r.NotFound(notFound.ServeHTTP)
	r.MethodNotAllowed(withSession.HandlerFunc(h(methodNotAllowed(methods))).ServeHTTP)

	r.Group(func(r chi.Router) {
		r.Use(withSession...)

		// Anyone, including anonymous visitors.
		r.Group(func(r chi.Router) {
			r.Get("/", h(home.Index))
			r.Get("/over", h(home.About))
			// The statements in every page's footer (internal/statement).
			r.Get(statement.AccessibilityPath, h(statements.Accessibility))
			r.Get(statement.PrivacyPath, h(statements.Privacy))
			r.Get(statement.SecurityPath, h(statements.Security))
			r.Get("/inloggen", h(acc.Login))
			r.Post("/inloggen", h(acc.DoLogin))
			r.Get("/registreren", h(acc.Register))
			r.Post("/registreren", h(acc.DoRegister))
			r.Get("/registreren/verstuurd", h(acc.Registered))
			r.Get("/wachtwoord-vergeten", h(acc.Forgot))
			r.Post("/wachtwoord-vergeten", h(acc.DoForgot))
			r.Get("/wachtwoord-herstellen", h(acc.Reset))
			r.Post("/wachtwoord-herstellen", h(acc.DoReset))
			// One-click unsubscribe from an e-mail: the signed link is the
			// authorisation (no session needed; RFC 8058 POSTs come from mail programs).
			r.Get("/afmelden", h(notices.UnsubscribeForm))
			r.Post("/afmelden", h(notices.Unsubscribe))
			// Confirming an e-mail address: the signed link is the authorisation
			// (no session needed); the GET only asks, the POST confirms.
			r.Get("/email-bevestigen", h(acc.ConfirmForm))
			r.Post("/email-bevestigen", h(acc.Confirm))
			// Neighbourhoods: search, a municipality's list and the public neighbourhood page.
			r.Get("/buurten", h(buurten.Index))
			r.Get("/buurten/{code}", h(buurten.Show))
			// A signal: public ones to anyone; others to the raiser, workers of the
			// area, officers of the municipality and admins (scope in the SQL).
			r.Get("/signalen/{id:[0-9]+}", h(signals.Show))
			// Who can help: talents only for logged-in viewers (also in the SQL).
			r.Get("/buurten/{code}/wie-kan-helpen", h(assets.List))
			// Initiatives: hidden ones only for owners/admins, members-only ones
			// only for logged-in users (checked per initiative in the handler).
			r.Get("/initiatieven", h(initiatives.List))
			r.Get("/initiatieven/{id:[0-9]+}", h(initiatives.Show))
		})

		// Any logged-in user.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireLogin)
			// Signals: own, in the worker's areas, in the officer's municipality.
			r.Get("/signalen", h(signals.List))
			// A signal's conversation: the raiser replies (raiser checked in the
			// SQL); whoever may see it recognises and follows it (its read rule in
			// the SQL; a signal one may not see answers 404).
			r.With(account.RequireConfirmed).Post("/signalen/{id:[0-9]+}/antwoord", h(signals.Reply))
			r.Post("/signalen/{id:[0-9]+}/herkennen", h(signals.Recognise))
			r.Post("/signalen/{id:[0-9]+}/volgen", h(signals.Follow))
			r.Post("/uitloggen", h(acc.Logout))
			r.Get("/account", h(acc.Show))
			// Own notifications and e-mail preferences only (recipient in the SQL).
			r.Get("/meldingen", h(notices.List))
			r.Post("/meldingen/alles-gelezen", h(notices.ReadAll))
			r.Post("/meldingen/{id:[0-9]+}/openen", h(notices.Open))
			r.Get("/account/meldingen", h(notices.Preferences))
			r.Post("/account/meldingen", h(notices.SavePreferences))
			// Messages: the viewer's own conversations only; every store method
			// checks participation in the SQL (404 for anyone else, admins too).
			// Sending needs a confirmed address (explained on the page itself).
			r.Get("/berichten", h(messages.List))
			r.Get("/berichten/nieuw", h(messages.New))
			r.Post("/berichten/nieuw", h(messages.Create))
			r.Get("/berichten/{id:[0-9]+}", h(messages.Show))
			r.Post("/berichten/{id:[0-9]+}", h(messages.Reply))
			r.Post("/berichten/{id:[0-9]+}/blokkeren", h(messages.Block))
			r.Post("/berichten/{id:[0-9]+}/deblokkeren", h(messages.Unblock))
			r.Get("/berichten/{id:[0-9]+}/berichten/{messageID}/melden", h(messages.ReportForm))
			r.Post("/berichten/{id:[0-9]+}/berichten/{messageID}/melden", h(messages.Report))
			r.Get("/account/wachtwoord", h(acc.ChangePassword))
			r.Post("/account/wachtwoord", h(acc.DoChangePassword))
			// A new confirmation mail for the viewer's own address (rate-limited).
			r.Post("/account/bevestiging-opnieuw", h(acc.ResendConfirmation))
			// Own data only: the JSON download and deleting the account.
			r.Get("/account/gegevens.json", h(privacyH.Download))
			r.Get("/account/verwijderen", h(privacyH.DeleteForm))
			r.Post("/account/verwijderen", h(privacyH.Delete))
			// Own talents and assets; edit and delete only by owner or admin (checked in the SQL).
			r.Get("/mijn/talenten", h(assets.Mine))
			r.Get("/hulpbronnen/{id}/bewerken", h(assets.Edit))
			r.Post("/hulpbronnen/{id}/bewerken", h(assets.Update))
			r.Post("/hulpbronnen/{id}/verwijderen", h(assets.Delete))
			// Initiatives: join, offer help, report (any logged-in user; offering
			// help is seen by the owners, so it needs a confirmed address).
			r.Post("/initiatieven/{id:[0-9]+}/meedoen", h(initiatives.Support))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/aanbod", h(initiatives.Offer))
			r.Post("/initiatieven/{id:[0-9]+}/melden", h(initiatives.Report))
			// Initiatives: owners and administrators only (ownership also checked in the SQL).
			r.Get("/initiatieven/{id:[0-9]+}/bewerken", h(initiatives.Edit))
			r.Post("/initiatieven/{id:[0-9]+}/bewerken", h(initiatives.Save))
			r.Post("/initiatieven/{id:[0-9]+}/status", h(initiatives.SetStatus))
			// Co-owners by consent: owners (and administrators) invite, withdraw
			// an invitation and remove an owner, never the last one (in the SQL);
			// the invited person accepts or declines (their invitation is found by
			// their confirmed address, in the SQL). Inviting and accepting are seen
			// by others, so they need a confirmed address.
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/eigenaren", h(initiatives.Invite))
			r.Post("/initiatieven/{id:[0-9]+}/eigenaren/verwijderen", h(initiatives.RemoveOwner))
			r.Post("/initiatieven/{id:[0-9]+}/uitnodiging/intrekken", h(initiatives.WithdrawInvitation))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/uitnodiging/aannemen", h(initiatives.AcceptInvitation))
			r.Post("/initiatieven/{id:[0-9]+}/uitnodiging/weigeren", h(initiatives.DeclineInvitation))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/berichten", h(initiatives.PostUpdate))
			r.Post("/initiatieven/{id:[0-9]+}/stoppen", h(initiatives.Stop))
			// Funding requests: owners only (also in the SQL), with a confirmed address.
			r.With(account.RequireConfirmed).Get("/initiatieven/{id:[0-9]+}/aanvraag", h(initiatives.NewFunding))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/aanvraag", h(initiatives.CreateFunding))
		})

		// Residents and workers register initiatives, once their address is confirmed.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker), account.RequireConfirmed)
			r.Get("/initiatieven/nieuw", h(initiatives.New))
			r.Post("/initiatieven/nieuw", h(initiatives.Create))
		})

		// Municipality officers: funding requests of their own municipality (scope in the SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Officer))
			r.Get("/gemeente/aanvragen", h(initiatives.Queue))
			r.Get("/gemeente/aanvragen/{id:[0-9]+}", h(initiatives.ShowRequest))
			r.Post("/gemeente/aanvragen/{id:[0-9]+}", h(initiatives.Decide))
		})

		// Residents and workers (and administrators) add assets and talents,
		// once their address is confirmed.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker, role.Admin), account.RequireConfirmed)
			r.Get("/hulpbronnen/nieuw", h(assets.New))
			r.Post("/hulpbronnen/nieuw", h(assets.Create))
		})

		// Residents and workers raise signals, in any neighbourhood, once their
		// address is confirmed.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker), account.RequireConfirmed)
			r.Get("/signalen/nieuw", h(signals.New))
			r.Post("/signalen/nieuw", h(signals.Create))
		})

		// Officers of the signal's municipality and workers of its area respond (scope in the SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Officer, role.Worker))
			r.Post("/signalen/{id:[0-9]+}/reactie", h(signals.Respond))
		})

		// Community workers: activities in their own work areas (scope also in SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Worker))
			r.Get("/activiteiten", h(activities.List))
			r.Get("/activiteiten/nieuw", h(activities.New))
			r.Post("/activiteiten/nieuw", h(activities.Create))
			r.Get("/activiteiten/{id}", h(activities.Show))
			r.Get("/activiteiten/{id}/bewerken", h(activities.Edit))
			r.Post("/activiteiten/{id}/bewerken", h(activities.Update))
			r.Get("/activiteiten/{id}/verhaal", h(activities.Story))
			r.Post("/activiteiten/{id}/verhaal", h(activities.SaveStory))
		})

		// Community workers: street contacts in their own work areas, own
		// entries only, colleagues' without notes (scope also in SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Worker))
			r.Get("/contacten", h(contacts.List))
			r.Post("/contacten", h(contacts.Create))
			r.Get("/contacten/nieuw", h(contacts.New))
			r.Post("/contacten/sync", h(contacts.CreateJSON))
			r.Get("/contacten/team", h(contacts.Team))
			r.Post("/contacten/{id}/ongedaan-maken", h(contacts.Undo))
			r.Get("/contacten/{id}/bewerken", h(contacts.Edit))
			r.Post("/contacten/{id}/bewerken", h(contacts.Update))
			r.Post("/contacten/{id}/verwijderen", h(contacts.Delete))
			r.Get("/contacten/{id}/verhaal", h(contacts.Story))
			r.Post("/contacten/{id}/verhaal", h(contacts.ShareStory))
			r.Post("/contacten/{id}/verhaal/intrekken", h(contacts.WithdrawStory))
			// Personal API tokens (shown on /account).
			r.Post("/account/tokens", h(tokens.Create))
			r.Post("/account/tokens/{id}/intrekken", h(tokens.Revoke))
		})

		// Overviews: officers (own municipality), workers (their work areas'
		// municipalities), administrators (any); scope also in the SQL.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Officer, role.Worker, role.Admin))
			r.Get("/overzicht", h(overviews.Index))
			r.Get("/overzicht/export.csv", h(overviews.ExportCSV))
			r.Get("/overzicht/vergelijk", h(overviews.Compare))
			r.Get("/overzicht/buurten/{code}", h(overviews.Neighbourhood))
			r.Get("/overzicht/buurten/{code}/export.csv", h(overviews.DrillCSV))
		})
		// The overview as JSON: by session, or by a personal API token
		// (Bearer); JSON 401/403 from the /api/ path.
		r.Group(func(r chi.Router) {
			r.Use(bearerIfPresent(tokens.Authenticate), account.RequireRole(role.Officer, role.Worker, role.Admin))
			r.Get("/api/v1/municipalities/{gm_code}/overview", h(overviews.APIOverview))
		})

		// Administrators.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Admin))
			r.Get("/beheer", h(acc.AdminHome))
			r.Get("/beheer/accounts", h(acc.AdminAccounts))
			r.Get("/beheer/accounts/{id}", h(acc.AdminAccount))
			r.Post("/beheer/accounts/{id}/rollen", h(acc.AdminAssign))
			r.Get("/beheer/organisaties", h(acc.AdminOrganisations))
			r.Post("/beheer/organisaties", h(acc.AdminCreateOrganisation))
			r.Get("/beheer/audit", h(acc.AdminAudit))
			r.Get("/beheer/wachtrij", h(notices.Queue))
			// Reported messages only; never a whole conversation (audited).
			r.Get("/beheer/berichten", h(messages.Reports))
			// A worker's contacts without notes; every opening is audited.
			r.Get("/beheer/accounts/{id}/contacten", h(contacts.AdminList))
			r.Get("/hulpbronnen/{id}/verbergen", h(assets.HideForm))
			r.Post("/hulpbronnen/{id}/verbergen", h(assets.Hide))
			r.Post("/hulpbronnen/{id}/tonen", h(assets.Show))
			r.Get("/beheer/initiatieven", h(initiatives.Moderation))
			r.Post("/initiatieven/{id:[0-9]+}/verbergen", h(initiatives.Hide))
			r.Post("/initiatieven/{id:[0-9]+}/zichtbaar", h(initiatives.Unhide))
		})
	})
	return r
}

// bearerIfPresent runs auth (the API token middleware) only for requests
// that carry an "Authorization: Bearer" header; others keep their session.
func bearerIfPresent(auth func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		withToken := auth(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				withToken.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
