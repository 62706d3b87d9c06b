package account

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves login, logout, registration, password reset, the account
// pages and the administrators' account management.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	mailer   mail.Sender
	audit    *audit.Log
	baseURL  string // public URL of the platform, for links in e-mails
	// signer checks the links in confirmation mails (made by notify).
	signer *signedlink.Signer
	// Limits are the rate limits of the account forms; other features'
	// password checks count with Limits.LoginAccount.
	Limits *Limits
	// Sections are the blocks other features add to /account, in order.
	Sections []Section
	// SecondFactor, when set, may hold a login back after the first way in
	// (password, organisation's sign-on) until a second factor is shown
	// (internal/mfa). Nil: the first way in is enough.
	SecondFactor SecondFactor
}

// SecondFactor decides, once a person is identified, whether they must
// still pass a second step. Hold either answers the request itself (parks
// the identified account in a logged-out session and redirects to the
// second step) and returns true, or returns false and leaves the login to
// FinishLogin. method names the first way in ("password", "sso"), for the
// audit trail.
type SecondFactor interface {
	Hold(w http.ResponseWriter, r *http.Request, acc Account, remember bool, next, method string) (bool, error)
}

// Section is a block another feature adds to the "my account" page, such as
// the contacts feature's API tokens. It renders a <section> with an h2.
type Section interface {
	AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error)
}

// NewHandler returns a handler with rate limits from cfg; signer checks the
// links in confirmation mails. Sections are added by the app afterwards.
func NewHandler(cfg config.Config, store *Store, sm *scs.SessionManager, mailer mail.Sender, log *audit.Log, signer *signedlink.Signer) *Handler {
	return &Handler{store: store, sessions: sm, mailer: mailer, audit: log, baseURL: cfg.BaseURL,
		Limits: NewLimits(cfg, store.db), signer: signer}
}

// LoginForm is the login form's input, kept when it is shown again.
type LoginForm struct {
	Email    string
	Next     string
	Remember bool // "ingelogd blijven": a cookie that outlives the browser
}

// Login shows the login form.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) error {
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		return httpx.Redirect(w, r, httpx.SafeNext(r.URL.Query().Get("volgende"), Landing(v.Roles, v.HomeNeighbourhood)))
	}
	f := LoginForm{Next: httpx.SafeNext(r.URL.Query().Get("volgende"), "")}
	return httpx.Render(w, r, http.StatusOK, LoginPage(httpx.PageFor(r, "Inloggen"), f, nil))
}

// DoLogin checks the credentials and starts a fresh session.
func (h *Handler) DoLogin(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	f := LoginForm{Next: httpx.SafeNext(r.PostForm.Get("volgende"), ""), Remember: r.PostForm.Get("onthouden") == "ja"}
	f.Email = errs.Email("email", r.PostForm.Get("email"))
	ok, retry, err := h.Limits.LoginIP.Allow(r.Context(), ratelimit.ClientIP(r))
	if err != nil {
		return err
	}
	if !ok {
		p := limitedPage(w, r, "Inloggen", "inlogpogingen", retry)
		return httpx.Render(w, r, http.StatusTooManyRequests, LoginPage(p, f, nil))
	}
	password := r.PostForm.Get("password")
	errs.Check(password != "", "password", "Vul je wachtwoord in.")
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, LoginPage(httpx.PageFor(r, "Inloggen"), f, errs))
	}
	// Failed attempts count per address, whether or not it has an account,
	// so the limit itself tells nothing about which addresses exist.
	accountKey := strings.ToLower(f.Email)
	ok, retry, err = h.Limits.LoginAccount.Check(r.Context(), accountKey)
	if err != nil {
		return err
	}
	if !ok {
		p := limitedPage(w, r, "Inloggen", "mislukte inlogpogingen voor dit e-mailadres", retry)
		return httpx.Render(w, r, http.StatusTooManyRequests, LoginPage(p, f, nil))
	}
	acc, err := h.store.ByEmail(r.Context(), f.Email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	hash := acc.PasswordHash
	if errors.Is(err, ErrNotFound) {
		hash = dummyHash() // same work for unknown addresses: no timing oracle
	}
	ok, cerr := CheckPassword(hash, password)
	if cerr != nil {
		slog.ErrorContext(r.Context(), "stored password hash unreadable", "account_id", acc.ID)
	}
	// An account whose address is not confirmed yet cannot log in with its
	// password, and hears the same as for a wrong one (and it counts as a
	// failure): otherwise registering an address and then logging in would
	// tell whether it had an account before. Its browser logs in on
	// confirming (Confirm); a password reset confirms the address too.
	if err != nil || !ok || acc.EmailConfirmedAt == nil {
		if err := h.Limits.LoginAccount.Add(r.Context(), accountKey); err != nil {
			return err
		}
		errs.Add("email", msgBadLogin)
		return httpx.Render(w, r, http.StatusUnprocessableEntity, LoginPage(httpx.PageFor(r, "Inloggen"), f, errs))
	}
	if err := h.Limits.LoginAccount.Reset(r.Context(), accountKey); err != nil {
		return err
	}
	return h.CompleteIdentified(w, r, acc, f.Remember, f.Next, "password")
}

// CompleteIdentified is where every first way in (password, the
// organisation's sign-on) ends: the second step when SecondFactor holds the
// login back, else FinishLogin.
func (h *Handler) CompleteIdentified(w http.ResponseWriter, r *http.Request, acc Account, remember bool, next, method string) error {
	// A login of its own proves nothing of an earlier sign-on's second factor.
	h.sessions.Remove(r.Context(), sessionFactorByProvider)
	if h.SecondFactor != nil {
		held, err := h.SecondFactor.Hold(w, r, acc, remember, next, method)
		if err != nil || held {
			return err
		}
	}
	return h.FinishLogin(w, r, acc, remember, next)
}

// FinishLoginFactorByProvider logs acc in after an organisation's sign-on
// whose ID token says a second factor was used, from a provider the
// administrators trust to ask for one: the platform's own second factor is
// then neither asked nor, for roles that require one, enrolment forced in
// this session (FactorByProvider).
func (h *Handler) FinishLoginFactorByProvider(w http.ResponseWriter, r *http.Request, acc Account, remember bool, next string) error {
	h.sessions.Put(r.Context(), sessionFactorByProvider, acc.ID)
	return h.FinishLogin(w, r, acc, remember, next)
}

// FinishLogin logs acc in once its identity is established (by password,
// or by another way in such as the organisation's sign-on): a fresh
// session token, the cookie's lifetime, the last-login time, and on to
// next (a local path) or the account's Landing.
func (h *Handler) FinishLogin(w http.ResponseWriter, r *http.Request, acc Account, remember bool, next string) error {
	if refused, err := h.refuseSuspended(w, r, acc, next); refused || err != nil {
		return err
	}
	if err := StartSession(r, h.sessions, acc.ID, acc.PasswordChangedAt); err != nil {
		return err
	}
	// The cookie is a session cookie (gone when the browser closes) unless
	// the person asks to stay logged in; set either way, since the session
	// may carry an earlier choice.
	h.sessions.RememberMe(r.Context(), remember)
	if err := h.store.TouchLogin(r.Context(), acc.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, "Je bent ingelogd. Welkom, "+acc.DisplayName+".")
	if next = httpx.SafeNext(next, ""); next != "" {
		return httpx.Redirect(w, r, next)
	}
	landing, err := h.landing(r.Context(), acc)
	if err != nil {
		return err
	}
	return httpx.Redirect(w, r, landing)
}

// landing is Landing for acc, reading the code of its home neighbourhood
// only when it has one.
func (h *Handler) landing(ctx context.Context, acc Account) (string, error) {
	if acc.HomeNeighbourhoodID == nil {
		return Landing(acc.Roles, ""), nil
	}
	code, err := h.store.HomeCode(ctx, acc.ID)
	if err != nil {
		return "", err
	}
	return Landing(acc.Roles, code), nil
}

// Logout ends the session.
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) error {
	if err := EndSession(r, h.sessions); err != nil {
		return err
	}
	// Drop cached pages (the offline quick-log page holds the worker's name
	// and areas); IndexedDB is kept, so contacts still waiting to be sent
	// after a dead zone are not lost.
	w.Header().Set("Clear-Site-Data", `"cache"`)
	return httpx.Redirect(w, r, "/")
}
