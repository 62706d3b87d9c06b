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
	if httpx.ViewerFrom(r.Context()) != nil {
		return httpx.Redirect(w, r, httpx.SafeNext(r.URL.Query().Get("volgende"), "/account"))
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
	if err := StartSession(r, h.sessions, acc.ID, acc.PasswordChangedAt); err != nil {
		return err
	}
	// The cookie is a session cookie (gone when the browser closes) unless
	// the person asks to stay logged in; set either way, since the session
	// may carry an earlier choice.
	h.sessions.RememberMe(r.Context(), f.Remember)
	if err := h.store.TouchLogin(r.Context(), acc.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, "Je bent ingelogd. Welkom, "+acc.DisplayName+".")
	return httpx.Redirect(w, r, httpx.SafeNext(f.Next, "/account"))
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
