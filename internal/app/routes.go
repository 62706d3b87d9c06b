package app

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/moderation"
	"github.com/buurtkracht/buurtkracht/internal/photo"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/sso"
	"github.com/buurtkracht/buurtkracht/internal/statement"
	"github.com/buurtkracht/buurtkracht/web/static"
)

// Handler returns the platform's one router. Every route sits in a group that
// says who may use it: anyone, any logged-in user, or named roles. The
// authorisation test walks this router, so a route added without a rule fails it.
func (a *App) Handler() http.Handler {
	h := httpx.Handle
	f := a.features

	r := chi.NewRouter()
	// HEAD goes wherever GET goes, through the same role checks (net/http
	// drops the body); OPTIONS answers 204 with Allow on every existing
	// path; a wrong method gets 405 with Allow (below). methods.go.
	methods := &methodTable{router: r}
	r.Use(behindProxies(a.cfg.TrustedProxies), requestID, logRequests, recoverPanics, securityHeaders(), oneCacheControl,
		answerOptions(methods), headAsGet(methods), readYourWrites(a.freshWindow(), a.cfg.SecureCookies))

	// Anyone, without a session: probes and static files.
	r.Get("/healthz", a.healthz)
	r.Get("/readyz", a.readyz)
	// RFC 9116: where to report a vulnerability; served without session or database.
	r.Get(statement.SecurityTxtPath, f.statements.SecurityTxt)
	r.Get("/static/*", static.Handler().ServeHTTP)
	// The offline worker of the quick-log page (no personal data; its scope is /contacten/).
	r.Get("/contacten/sw.js", contact.ServiceWorker)

	// Field apps: a worker's personal API token (Bearer), no session, no cookies.
	r.Route("/api/v1/contacts", func(r chi.Router) {
		r.Use(limitBody(64<<10), noStore, f.tokens.Authenticate, account.RequireRole(role.Worker))
		r.Get("/", h(f.contacts.ListJSON))
		r.Post("/", h(f.contacts.CreateJSON))
	})

	// Open data: public initiatives, public fields only; no session, no login.
	r.Route("/api/v1/initiatives", func(r chi.Router) {
		r.Use(a.pages.Handler, noStore, middleware.Compress(1, "application/json"))
		r.Get("/", h(f.initiatives.APIList))
		r.Get("/{id:[0-9]+}", h(f.initiatives.APIShow))
	})

	csrf := http.NewCrossOriginProtection()
	denyCrossOrigin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.Error(w, r, httpx.ErrForbidden)
	})
	csrf.SetDenyHandler(denyCrossOrigin)

	// Everything else runs with CSRF protection, a session and the viewer.
	// sameSchemeOrigin first: CrossOriginProtection's Origin fallback ignores the scheme (csrf.go).
	// Compress skips any response that already has a Content-Encoding: the
	// overview pages send bytes gzipped ahead of time (internal/gzipsplice),
	// which compressed a second time would reach the browser as gzip data.
	// sessionChain is that chain with a body limit: 1 MB for every form, more
	// only for photo uploads.
	sessionChain := func(bodyLimit int64) chi.Middlewares {
		return chi.Chain(sameSchemeOrigin(strings.HasPrefix(a.cfg.BaseURL, "https://"), denyCrossOrigin), csrf.Handler,
			limitBody(bodyLimit), middleware.Compress(1, "text/html", "application/json", "text/csv"),
			noStore, a.store.Track, a.sessions.LoadAndSave, account.LoadViewer(a.sessions, a.accounts),
			// "Mijn sessies" notes each session's use; a role that needs a second
			// factor reaches only its enrolment until there is one.
			f.mfa.TrackSession, f.mfa.RequireEnrolment, a.pageChrome)
	}
	withSession := sessionChain(1 << 20)
	notFound := withSession.HandlerFunc(h(func(w http.ResponseWriter, r *http.Request) error { return httpx.ErrNotFound }))
	r.NotFound(notFound.ServeHTTP)
	r.MethodNotAllowed(withSession.HandlerFunc(h(methodNotAllowed(methods))).ServeHTTP)

	// Photo uploads: the session chain with a 10 MB (+ form) body limit
	// instead of 1 MB; logged-in owners with a confirmed address (the
	// subject's owners, checked in the SQL).
	r.Group(func(r chi.Router) {
		r.Use(sessionChain(photo.MaxUpload)...)
		r.Use(account.RequireLogin, account.RequireConfirmed)
		r.Post("/initiatieven/{id:[0-9]+}/fotos", h(f.photos.Upload(photo.Initiative)))
		r.Post("/hulpbronnen/{id:[0-9]+}/fotos", h(f.photos.Upload(photo.Place)))
		r.Post("/bijeenkomsten/{id:[0-9]+}/fotos", h(f.photos.Upload(photo.Event)))
	})

	// Public pages, the ones crawlers, residents and open-data clients hit
	// most: an anonymous visitor without a session may get them from the
	// page cache (internal/pagecache), which sits outside the session chain
	// so that a cached answer costs no database work at all. Logged-in
	// viewers, and anyone who wrote something a moment ago, always get a
	// fresh render; what each viewer may see is decided in the handlers and
	// the SQL as everywhere else.
	r.Group(func(r chi.Router) {
		r.Use(a.pages.Handler)
		r.Use(withSession...)
		r.Get("/", h(f.home.Index))
		r.Get("/over", h(f.home.About))
		// The statements in every page's footer (internal/statement).
		r.Get(statement.AccessibilityPath, h(f.statements.Accessibility))
		r.Get(statement.PrivacyPath, h(f.statements.Privacy))
		r.Get(statement.SecurityPath, h(f.statements.Security))
		// Neighbourhoods: search, a municipality's list and the public neighbourhood page.
		r.Get("/buurten", h(f.neighbourhoods.Index))
		r.Get("/buurten/{code}", h(f.neighbourhoods.Show))
		// Funds: names, rules and granted amounts are open data.
		r.Get("/fondsen", h(f.funds.List))
		r.Get("/fondsen/{id:[0-9]+}", h(f.funds.Show))
		// Initiatives: hidden ones only for owners/admins, members-only ones
		// only for logged-in users (checked per initiative in the handler).
		r.Get("/initiatieven", h(f.initiatives.List))
		r.Get("/initiatieven/{id:[0-9]+}", h(f.initiatives.Show))
		// The agenda: public events to anyone, members-only ones to
		// logged-in users (in the SQL); the iCalendar feeds hold public
		// events only, an event's .ics follows its page.
		r.Get("/agenda", h(f.events.Agenda))
		r.Get("/buurten/{code}/agenda", h(f.events.NeighbourhoodAgenda))
		r.Get("/buurten/{code}/agenda.ics", h(f.events.NeighbourhoodFeed))
		r.Get("/initiatieven/{id:[0-9]+}/agenda.ics", h(f.events.InitiativeFeed))
		r.Get("/bijeenkomsten/{id:[0-9]+}", h(f.events.Show))
		r.Get("/bijeenkomsten/{id:[0-9]+}/agenda.ics", h(f.events.ICS))
	})

	r.Group(func(r chi.Router) {
		r.Use(withSession...)

		// Anyone, including anonymous visitors.
		r.Group(func(r chi.Router) {
			r.Get("/inloggen", h(f.account.Login))
			// The second step of a login with a second factor: the session
			// holds the identified account, not logged in, for a few minutes.
			r.Get(mfa.SecondStepPath, h(f.mfa.SecondStep))
			r.Post(mfa.SecondStepPath, h(f.mfa.DoSecondStep))
			// Passkey login: passwordless, or as the second step of a waiting
			// login (the options are JSON for web/static/js/passkey.js).
			r.Post(mfa.PasskeyLoginOptions, h(f.mfa.LoginOptions))
			r.Post(mfa.PasskeyLoginPath, h(f.mfa.PasskeyLogin))
			// Accounts in a domain whose organisation signs them in itself
			// get no password login (decided by the domain alone).
			r.With(f.sso.GuardPasswordLogin).Post("/inloggen", h(f.account.DoLogin))
			// Sign-on with the organisation's OpenID Provider (internal/sso).
			r.Get(sso.StartPath, h(f.sso.Start))
			r.Post(sso.StartPath, h(f.sso.Begin))
			r.Get(sso.CallbackPath, h(f.sso.Callback))
			r.Get("/registreren", h(f.account.Register))
			r.Post("/registreren", h(f.account.DoRegister))
			r.Get("/registreren/verstuurd", h(f.account.Registered))
			r.Get("/wachtwoord-vergeten", h(f.account.Forgot))
			r.Post("/wachtwoord-vergeten", h(f.account.DoForgot))
			r.Get("/wachtwoord-herstellen", h(f.account.Reset))
			r.Post("/wachtwoord-herstellen", h(f.account.DoReset))
			// One-click unsubscribe from an e-mail: the signed link is the
			// authorisation (no session needed; RFC 8058 POSTs come from mail programs).
			r.Get("/afmelden", h(f.notices.UnsubscribeForm))
			r.Post("/afmelden", h(f.notices.Unsubscribe))
			// Confirming an e-mail address: the signed link is the authorisation
			// (no session needed); the GET only asks, the POST confirms.
			r.Get("/email-bevestigen", h(f.account.ConfirmForm))
			r.Post("/email-bevestigen", h(f.account.Confirm))
			// Confirming a new address after a change of e-mail address: the
			// signed link is the authorisation, as above.
			r.Get("/email-wijzigen", h(f.account.EmailChangeForm))
			r.Post("/email-wijzigen", h(f.account.ConfirmEmailChange))
			// A signal: public ones to anyone; others to the raiser, workers of the
			// area, officers of the municipality and admins (scope in the SQL).
			r.Get("/signalen/{id:[0-9]+}", h(f.signals.Show))
			// Who can help: talents only for logged-in viewers (also in the SQL).
			r.Get("/buurten/{code}/wie-kan-helpen", h(f.assets.List))
			// Photos follow their subject's visibility (in the SQL); a public
			// photo's bytes are cached for a year (the hash is in the URL).
			r.Get("/initiatieven/{id:[0-9]+}/fotos", h(f.photos.Page(photo.Initiative)))
			r.Get("/hulpbronnen/{id:[0-9]+}/fotos", h(f.photos.Page(photo.Place)))
			r.Get("/bijeenkomsten/{id:[0-9]+}/fotos", h(f.photos.Page(photo.Event)))
			r.Get("/fotos/{id:[0-9]+}/{file}", h(f.photos.Serve))
			// Residents' advice on an application: public for funds that ask
			// it (public initiatives; members-only ones for logged-in users,
			// in the SQL).
			r.Get("/aanvragen/{id:[0-9]+}/advies", h(f.advice.Show))
		})

		// Any logged-in user.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireLogin)
			// Signals: own, in the worker's areas, in the officer's municipality.
			r.Get("/signalen", h(f.signals.List))
			// A signal's conversation: the raiser replies (raiser checked in the
			// SQL); whoever may see it recognises and follows it (its read rule in
			// the SQL; a signal one may not see answers 404).
			r.With(account.RequireConfirmed).Post("/signalen/{id:[0-9]+}/antwoord", h(f.signals.Reply))
			r.Post("/signalen/{id:[0-9]+}/herkennen", h(f.signals.Recognise))
			r.Post("/signalen/{id:[0-9]+}/volgen", h(f.signals.Follow))
			r.Post("/uitloggen", h(f.account.Logout))
			r.Get("/account", h(f.account.Show))
			// Own notifications and e-mail preferences only (recipient in the SQL).
			r.Get("/meldingen", h(f.notices.List))
			r.Post("/meldingen/alles-gelezen", h(f.notices.ReadAll))
			r.Post("/meldingen/{id:[0-9]+}/openen", h(f.notices.Open))
			r.Get("/account/meldingen", h(f.notices.Preferences))
			r.Post("/account/meldingen", h(f.notices.SavePreferences))
			// Messages: the viewer's own conversations only; every store method
			// checks participation in the SQL (404 for anyone else, admins too).
			// Sending needs a confirmed address (explained on the page itself).
			r.Get("/berichten", h(f.messages.List))
			r.Get("/berichten/nieuw", h(f.messages.New))
			r.Post("/berichten/nieuw", h(f.messages.Create))
			r.Get("/berichten/{id:[0-9]+}", h(f.messages.Show))
			r.Post("/berichten/{id:[0-9]+}", h(f.messages.Reply))
			r.Post("/berichten/{id:[0-9]+}/blokkeren", h(f.messages.Block))
			r.Post("/berichten/{id:[0-9]+}/deblokkeren", h(f.messages.Unblock))
			r.Get("/berichten/{id:[0-9]+}/berichten/{messageID:[0-9]+}/melden", h(f.messages.ReportForm))
			r.Post("/berichten/{id:[0-9]+}/berichten/{messageID:[0-9]+}/melden", h(f.messages.Report))
			// Own second factor and own sessions only (account in the SQL).
			r.Get(mfa.SettingsPath, h(f.mfa.Settings))
			r.Get(mfa.SetupPath, h(f.mfa.Setup))
			r.Post(mfa.SetupPath, h(f.mfa.Confirm))
			r.Get(mfa.QRPath, h(f.mfa.QR))
			r.Post(mfa.SettingsPath+"/herstelcodes", h(f.mfa.NewCodes))
			r.Post(mfa.SettingsPath+"/uitzetten", h(f.mfa.Disable))
			r.Post(mfa.PasskeyOptionsPath, h(f.mfa.RegisterOptions))
			r.Post(mfa.PasskeysPath, h(f.mfa.AddPasskey))
			r.Post(mfa.PasskeysPath+"/{id:[0-9]+}/verwijderen", h(f.mfa.RemovePasskey))
			r.Get(mfa.SessionsPath, h(f.mfa.Sessions))
			r.Post(mfa.SessionsPath+"/{id:[0-9]+}/beeindigen", h(f.mfa.EndSession))
			r.Post(mfa.SessionsPath+"/andere-beeindigen", h(f.mfa.EndOthers))
			// Own name and home neighbourhood only (the viewer's id in the SQL).
			r.Get("/account/profiel", h(f.account.EditProfile))
			r.Post("/account/profiel", h(f.account.SaveProfile))
			// Own address only; the new one counts once the link mailed to it is followed.
			r.Get("/account/email", h(f.account.ChangeEmail))
			r.Post("/account/email", h(f.account.DoChangeEmail))
			r.Post("/account/email/intrekken", h(f.account.CancelEmailChange))
			r.Get("/account/wachtwoord", h(f.account.ChangePassword))
			r.Post("/account/wachtwoord", h(f.account.DoChangePassword))
			// A new confirmation mail for the viewer's own address (rate-limited).
			r.Post("/account/bevestiging-opnieuw", h(f.account.ResendConfirmation))
			// Own data only: the JSON download and deleting the account.
			r.Get("/account/gegevens.json", h(f.privacy.Download))
			r.Get("/account/verwijderen", h(f.privacy.DeleteForm))
			r.Post("/account/verwijderen", h(f.privacy.Delete))
			// Own talents and assets; edit and delete only by owner or admin (checked in the SQL).
			r.Get("/mijn/talenten", h(f.assets.Mine))
			r.Get("/hulpbronnen/{id:[0-9]+}/bewerken", h(f.assets.Edit))
			r.Post("/hulpbronnen/{id:[0-9]+}/bewerken", h(f.assets.Update))
			r.Post("/hulpbronnen/{id:[0-9]+}/verwijderen", h(f.assets.Delete))
			// Initiatives: join, offer help, report (any logged-in user; offering
			// help is seen by the owners, so it needs a confirmed address).
			r.Post("/initiatieven/{id:[0-9]+}/meedoen", h(f.initiatives.Support))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/aanbod", h(f.initiatives.Offer))
			r.Post("/initiatieven/{id:[0-9]+}/melden", h(f.initiatives.Report))
			// Reporting a signal, an initiative's update or an asset: only what
			// the viewer can see and did not write (checked in the SQL).
			r.Get("/signalen/{id:[0-9]+}/melden", h(f.moderation.ReportForm(moderation.Signal)))
			r.Post("/signalen/{id:[0-9]+}/melden", h(f.moderation.Report(moderation.Signal)))
			r.Get("/initiatieven/berichten/{id:[0-9]+}/melden", h(f.moderation.ReportForm(moderation.Update)))
			r.Post("/initiatieven/berichten/{id:[0-9]+}/melden", h(f.moderation.Report(moderation.Update)))
			r.Get("/hulpbronnen/{id:[0-9]+}/melden", h(f.moderation.ReportForm(moderation.Asset)))
			r.Get("/bijeenkomsten/{id:[0-9]+}/melden", h(f.moderation.ReportForm(moderation.Event)))
			r.Post("/bijeenkomsten/{id:[0-9]+}/melden", h(f.moderation.Report(moderation.Event)))
			// Signing up for an event one can see, and cancelling (the waiting
			// list moves up in the same transaction).
			r.Post("/bijeenkomsten/{id:[0-9]+}/aanmelden", h(f.events.SignUp))
			r.Post("/bijeenkomsten/{id:[0-9]+}/afmelden", h(f.events.Withdraw))
			r.Post("/hulpbronnen/{id:[0-9]+}/melden", h(f.moderation.Report(moderation.Asset)))
			// Help between neighbours: members see what is asked and offered
			// near their home (nearby neighbourhoods, in the SQL), the author
			// their own; answering starts a conversation, so it needs a
			// confirmed address; only the author closes (in the SQL).
			// Reporting: first whether the viewer may see it at all.
			r.Get("/burenhulp", h(f.help.List))
			r.Get("/burenhulp/{id:[0-9]+}", h(f.help.Show))
			r.With(account.RequireConfirmed).Post("/burenhulp/{id:[0-9]+}/reageren", h(f.help.Respond))
			r.Post("/burenhulp/{id:[0-9]+}/geholpen", h(f.help.Helped))
			r.Post("/burenhulp/{id:[0-9]+}/intrekken", h(f.help.Withdraw))
			r.With(f.help.RequireVisible).Get("/burenhulp/{id:[0-9]+}/melden", h(f.moderation.ReportForm(moderation.Help)))
			r.With(f.help.RequireVisible).Post("/burenhulp/{id:[0-9]+}/melden", h(f.moderation.Report(moderation.Help)))
			r.Get("/fotos/{id:[0-9]+}/melden", h(f.moderation.ReportForm(moderation.Photo)))
			r.Post("/fotos/{id:[0-9]+}/melden", h(f.moderation.Report(moderation.Photo)))
			// Removing a photo: the owners of its subject and administrators (in the SQL).
			r.Post("/fotos/{id:[0-9]+}/verwijderen", h(f.photos.Remove))
			// Initiatives: owners and administrators only (ownership also checked in the SQL).
			r.Get("/initiatieven/{id:[0-9]+}/bewerken", h(f.initiatives.Edit))
			r.Post("/initiatieven/{id:[0-9]+}/bewerken", h(f.initiatives.Save))
			r.Post("/initiatieven/{id:[0-9]+}/status", h(f.initiatives.SetStatus))
			// Co-owners by consent: owners (and administrators) invite, withdraw
			// an invitation and remove an owner, never the last one (in the SQL);
			// the invited person accepts or declines (their invitation is found by
			// their confirmed address, in the SQL). Inviting and accepting are seen
			// by others, so they need a confirmed address.
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/eigenaren", h(f.initiatives.Invite))
			r.Post("/initiatieven/{id:[0-9]+}/eigenaren/verwijderen", h(f.initiatives.RemoveOwner))
			r.Post("/initiatieven/{id:[0-9]+}/uitnodiging/intrekken", h(f.initiatives.WithdrawInvitation))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/uitnodiging/aannemen", h(f.initiatives.AcceptInvitation))
			r.Post("/initiatieven/{id:[0-9]+}/uitnodiging/weigeren", h(f.initiatives.DeclineInvitation))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/berichten", h(f.initiatives.PostUpdate))
			r.Post("/initiatieven/{id:[0-9]+}/stoppen", h(f.initiatives.Stop))
			// The funding finder and applications to a fund: owners only (in
			// the SQL), applying with a confirmed address.
			r.Get("/initiatieven/{id:[0-9]+}/potjes", h(f.funds.Finder))
			r.With(account.RequireConfirmed).Get("/initiatieven/{id:[0-9]+}/potjes/{fund:[0-9]+}/aanvraag", h(f.funds.NewApplication))
			r.With(account.RequireConfirmed).Post("/initiatieven/{id:[0-9]+}/potjes/{fund:[0-9]+}/aanvraag", h(f.funds.Apply))
			// Deciding on applications: officers on their municipality's funds,
			// funder staff (funder_staff) on their organisation's; the scope and
			// the conflict of interest are in the SQL, others get 403.
			r.Get("/aanvragen", h(f.funds.Queue))
			// Managing funds: officers their municipality's, funder staff their
			// organisation's (never another funder's; scope in the SQL).
			r.Get("/fondsen/beheer", h(f.funds.Manage))
			r.Get("/fondsen/nieuw", h(f.funds.NewFund))
			r.Post("/fondsen/nieuw", h(f.funds.CreateFund))
			r.Get("/fondsen/{id:[0-9]+}/bewerken", h(f.funds.EditFund))
			r.Post("/fondsen/{id:[0-9]+}/bewerken", h(f.funds.UpdateFund))
			r.Get("/aanvragen/{id:[0-9]+}", h(f.funds.ShowRequest))
			r.Post("/aanvragen/{id:[0-9]+}", h(f.funds.Decide))
			// Advice: residents of the fund's area with a confirmed address,
			// once, not on their own application nor as its decider (in the SQL).
			r.With(account.RequireConfirmed).Post("/aanvragen/{id:[0-9]+}/advies", h(f.advice.Give))
			// Payouts: recorded by the funder's staff (officers of the funding
			// municipality, funder_staff of the funding organisation), seen by
			// them and the owners; the account: given by the owners, read by
			// them and the staff. Anyone else gets 404 (scope in the SQL).
			r.Get("/aanvragen/{id:[0-9]+}/uitbetalingen", h(f.followUp.Payouts))
			r.Post("/aanvragen/{id:[0-9]+}/uitbetalingen", h(f.followUp.RecordPayout))
			r.Get("/aanvragen/{id:[0-9]+}/verantwoording", h(f.followUp.Account))
			r.With(account.RequireConfirmed).Post("/aanvragen/{id:[0-9]+}/verantwoording", h(f.followUp.GiveAccount))
			// Fund dashboards: the fund's staff and officers of its
			// municipality (aggregates); the CSV per application: staff only.
			r.Get("/fondsoverzicht", h(f.followUp.Funds))
			r.Get("/fondsoverzicht/{id:[0-9]+}", h(f.followUp.Dashboard))
			r.Get("/fondsoverzicht/{id:[0-9]+}/aanvragen.csv", h(f.followUp.DashboardCSV))
		})

		// Residents and workers register initiatives, once their address is confirmed.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker), account.RequireConfirmed)
			r.Get("/initiatieven/nieuw", h(f.initiatives.New))
			r.Post("/initiatieven/nieuw", h(f.initiatives.Create))
		})

		// Initiative owners (for their initiative) and workers (in their work
		// areas) publish events, once their address is confirmed; only the
		// organisers change or cancel one (checked in the SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker), account.RequireConfirmed)
			r.Get("/bijeenkomsten/nieuw", h(f.events.New))
			r.Post("/bijeenkomsten/nieuw", h(f.events.Create))
			r.Get("/bijeenkomsten/{id:[0-9]+}/bewerken", h(f.events.Edit))
			r.Post("/bijeenkomsten/{id:[0-9]+}/bewerken", h(f.events.Update))
			r.Post("/bijeenkomsten/{id:[0-9]+}/annuleren", h(f.events.CancelEvent))
		})

		// Residents ask for and offer help in their own neighbourhood, once
		// their address is confirmed (the neighbourhood checked in the SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident), account.RequireConfirmed)
			r.Get("/burenhulp/nieuw", h(f.help.New))
			r.Post("/burenhulp/nieuw", h(f.help.Create))
		})

		// Residents and workers (and administrators) add assets and talents,
		// once their address is confirmed.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker, role.Admin), account.RequireConfirmed)
			r.Get("/hulpbronnen/nieuw", h(f.assets.New))
			r.Post("/hulpbronnen/nieuw", h(f.assets.Create))
		})

		// Residents and workers raise signals, in any neighbourhood, once their
		// address is confirmed.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Resident, role.Worker), account.RequireConfirmed)
			r.Get("/signalen/nieuw", h(f.signals.New))
			r.Post("/signalen/nieuw", h(f.signals.Create))
		})

		// Officers of the signal's municipality and workers of its area respond (scope in the SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Officer, role.Worker))
			r.Post("/signalen/{id:[0-9]+}/reactie", h(f.signals.Respond))
		})

		// Community workers: activities in their own work areas (scope also in SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Worker))
			r.Get("/activiteiten", h(f.activities.List))
			r.Get("/activiteiten/nieuw", h(f.activities.New))
			r.Post("/activiteiten/nieuw", h(f.activities.Create))
			r.Get("/activiteiten/{id:[0-9]+}", h(f.activities.Show))
			r.Get("/activiteiten/{id:[0-9]+}/bewerken", h(f.activities.Edit))
			r.Post("/activiteiten/{id:[0-9]+}/bewerken", h(f.activities.Update))
			r.Get("/activiteiten/{id:[0-9]+}/verhaal", h(f.activities.Story))
			r.Post("/activiteiten/{id:[0-9]+}/verhaal", h(f.activities.SaveStory))
		})

		// Community workers: street contacts in their own work areas, own
		// entries only, colleagues' without notes (scope also in SQL).
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Worker))
			r.Get("/contacten", h(f.contacts.List))
			r.Post("/contacten", h(f.contacts.Create))
			r.Get("/contacten/nieuw", h(f.contacts.New))
			r.Post("/contacten/sync", h(f.contacts.CreateJSON))
			r.Get("/contacten/team", h(f.contacts.Team))
			// Help asked and offered in the worker's own areas (scope in the SQL).
			r.Get("/burenhulp/werkgebied", h(f.help.Areas))
			r.Post("/contacten/{id:[0-9]+}/ongedaan-maken", h(f.contacts.Undo))
			r.Get("/contacten/{id:[0-9]+}/bewerken", h(f.contacts.Edit))
			r.Post("/contacten/{id:[0-9]+}/bewerken", h(f.contacts.Update))
			r.Post("/contacten/{id:[0-9]+}/verwijderen", h(f.contacts.Delete))
			r.Get("/contacten/{id:[0-9]+}/verhaal", h(f.contacts.Story))
			r.Post("/contacten/{id:[0-9]+}/verhaal", h(f.contacts.ShareStory))
			r.Post("/contacten/{id:[0-9]+}/verhaal/intrekken", h(f.contacts.WithdrawStory))
			// Personal API tokens (shown on /account).
			r.Post("/account/tokens", h(f.tokens.Create))
			r.Post("/account/tokens/{id:[0-9]+}/intrekken", h(f.tokens.Revoke))
		})

		// Overviews: officers (own municipality), workers (their work areas'
		// municipalities), administrators (any); scope also in the SQL.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Officer, role.Worker, role.Admin))
			r.Get("/overzicht", h(f.overviews.Index))
			r.Get("/overzicht/export.csv", h(f.overviews.ExportCSV))
			r.Get("/overzicht/vergelijk", h(f.overviews.Compare))
			r.Get("/overzicht/buurten/{code}", h(f.overviews.Neighbourhood))
			r.Get("/overzicht/buurten/{code}/export.csv", h(f.overviews.DrillCSV))
		})
		// The overview as JSON: by session, or by a personal API token
		// (Bearer); JSON 401/403 from the /api/ path.
		r.Group(func(r chi.Router) {
			r.Use(bearerIfPresent(f.tokens.Authenticate), account.RequireRole(role.Officer, role.Worker, role.Admin))
			r.Get("/api/v1/municipalities/{gm_code}/overview", h(f.overviews.APIOverview))
		})

		// Administrators.
		r.Group(func(r chi.Router) {
			r.Use(account.RequireRole(role.Admin))
			r.Get("/beheer", h(f.account.AdminHome))
			r.Get("/beheer/accounts", h(f.account.AdminAccounts))
			r.Get("/beheer/accounts/{id:[0-9]+}", h(f.account.AdminAccount))
			r.Post("/beheer/accounts/{id:[0-9]+}/rollen", h(f.account.AdminAssign))
			r.Get("/beheer/organisaties", h(f.account.AdminOrganisations))
			// Funders (issue 12): organisations with funds, and their staff.
			r.Get("/beheer/financiers", h(f.funds.Funders))
			r.Post("/beheer/financiers", h(f.funds.RegisterFunder))
			r.Post("/beheer/financiers/{id:[0-9]+}/medewerkers", h(f.funds.AddStaff))
			r.Post("/beheer/financiers/{id:[0-9]+}/medewerkers/verwijderen", h(f.funds.RemoveStaff))
			r.Post("/beheer/organisaties", h(f.account.AdminCreateOrganisation))
			r.Get("/beheer/audit", h(f.account.AdminAudit))
			// The organisations' sign-on providers; every change is audited.
			r.Get(sso.AdminPath, h(f.sso.AdminList))
			r.Get(sso.AdminPath+"/nieuw", h(f.sso.AdminNew))
			r.Post(sso.AdminPath+"/nieuw", h(f.sso.AdminCreate))
			r.Get(sso.AdminPath+"/{id:[0-9]+}", h(f.sso.AdminEdit))
			r.Post(sso.AdminPath+"/{id:[0-9]+}", h(f.sso.AdminUpdate))
			r.Post(sso.AdminPath+"/{id:[0-9]+}/verwijderen", h(f.sso.AdminDelete))
			r.Get("/beheer/wachtrij", h(f.notices.Queue))
			// Reported messages only; never a whole conversation (audited).
			r.Get("/beheer/berichten", h(f.messages.Reports))
			// A worker's contacts without notes; every opening is audited.
			r.Get("/beheer/accounts/{id:[0-9]+}/contacten", h(f.contacts.AdminList))
			r.Get("/hulpbronnen/{id:[0-9]+}/verbergen", h(f.assets.HideForm))
			r.Post("/hulpbronnen/{id:[0-9]+}/verbergen", h(f.assets.Hide))
			r.Post("/hulpbronnen/{id:[0-9]+}/tonen", h(f.assets.Show))
			r.Get("/beheer/initiatieven", h(f.initiatives.Moderation))
			r.Post("/initiatieven/{id:[0-9]+}/verbergen", h(f.initiatives.Hide))
			r.Post("/initiatieven/{id:[0-9]+}/zichtbaar", h(f.initiatives.Unhide))
			// One queue of every report; hiding, showing, dismissing (audited).
			r.Get("/beheer/moderatie", h(f.moderation.Queue))
			r.Get("/beheer/moderatie/verbergen", h(f.moderation.HideForm))
			r.Post("/beheer/moderatie/verbergen", h(f.moderation.Hide))
			r.Post("/beheer/moderatie/tonen", h(f.moderation.Show))
			r.Post("/beheer/moderatie/afwijzen", h(f.moderation.Dismiss))
			// Suspension: never oneself or the last administrator (in the SQL).
			r.Get("/beheer/accounts/{id:[0-9]+}/schorsen", h(f.moderation.SuspendForm))
			r.Post("/beheer/accounts/{id:[0-9]+}/schorsen", h(f.moderation.Suspend))
			r.Post("/beheer/accounts/{id:[0-9]+}/schorsing-opheffen", h(f.moderation.Lift))
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
