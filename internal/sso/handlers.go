package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/oauth2"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Paths of the sign-on flow.
const (
	StartPath    = "/inloggen/organisatie"
	CallbackPath = "/inloggen/organisatie/terug"
)

// Completer finishes a login whose identity is established; the account
// handler does it (a fresh session, the cookie, the landing page).
// CompleteIdentified first asks for the platform's second factor where one
// is required; FinishLoginFactorByProvider skips it, for a provider trusted to have asked
// for one itself.
type Completer interface {
	CompleteIdentified(w http.ResponseWriter, r *http.Request, acc account.Account, remember bool, next, method string) error
	FinishLoginFactorByProvider(w http.ResponseWriter, r *http.Request, acc account.Account, remember bool, next string) error
}

// Handler serves the sign-on flow, the providers' admin pages and the
// guard on the password form.
type Handler struct {
	store      *Store
	accounts   *account.Store
	login      Completer
	sessions   *scs.SessionManager
	audit      *audit.Log
	secrets    Secrets
	baseURL    string
	production bool
	// client makes the calls to the providers (discovery, keys, tokens).
	client *http.Client
	// Now is the clock of ID token checks; tests move it.
	Now func() time.Time

	mu        sync.Mutex
	discovery map[string]discovered
}

type discovered struct {
	provider *oidc.Provider
	at       time.Time
}

// discoveryTTL is how long a provider's discovery document is reused; its
// keys are refreshed by go-oidc when an unknown key id appears.
const discoveryTTL = time.Hour

// flowTTL is how long a started sign-on may take at the provider.
const flowTTL = 10 * time.Minute

// NewHandler returns the handler. The secret key comes from cfg
// (SSO_SECRET_KEY); a key that does not parse is refused by config
// validation, so here it only leaves sealing off.
func NewHandler(cfg config.Config, store *Store, accounts *account.Store, login Completer, sm *scs.SessionManager, log *audit.Log) *Handler {
	secrets, err := NewSecrets(cfg.SSOSecretKey, nil)
	if err != nil {
		slog.Error("sso: secret key unusable; encrypted secrets cannot be used", "error", err)
	}
	return &Handler{store: store, accounts: accounts, login: login, sessions: sm, audit: log, secrets: secrets,
		baseURL: cfg.BaseURL, production: cfg.Production(), client: &http.Client{Timeout: 10 * time.Second},
		Now: time.Now, discovery: map[string]discovered{}}
}

func (h *Handler) redirectURI() string { return h.baseURL + CallbackPath }

// StartForm is the sign-on form's input.
type StartForm struct {
	Email    string
	Next     string
	Remember bool
}

// Choice is a provider on the sign-on page.
type Choice struct {
	ID   int64
	Name string
}

// Start shows the sign-on form: a work address, or one of the providers.
func (h *Handler) Start(w http.ResponseWriter, r *http.Request) error {
	next := httpx.SafeNext(r.URL.Query().Get("volgende"), "")
	if httpx.ViewerFrom(r.Context()) != nil {
		return httpx.Redirect(w, r, httpx.SafeNext(next, "/account"))
	}
	return h.renderStart(w, r, http.StatusOK, StartForm{Next: next}, nil)
}

func (h *Handler) renderStart(w http.ResponseWriter, r *http.Request, status int, f StartForm, errs validate.Errors) error {
	list, err := h.store.List(r.Context())
	if err != nil {
		return err
	}
	choices := make([]Choice, 0, len(list))
	for _, p := range list {
		choices = append(choices, Choice{ID: p.ID, Name: p.DisplayName})
	}
	return httpx.Render(w, r, status, StartPage(httpx.PageFor(r, "Inloggen met je organisatie"), f, choices, errs))
}

// flow is what the browser's session keeps between Begin and Callback.
type flow struct {
	Provider int64     `json:"p"`
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"`
	Next     string    `json:"x"`
	Remember bool      `json:"r"`
	Started  time.Time `json:"t"`
}

const flowKey = "sso.flow"

// Begin picks the provider (by the chosen one, or by the address's domain)
// and sends the browser there with state, nonce and a PKCE challenge.
func (h *Handler) Begin(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	f := StartForm{Next: httpx.SafeNext(r.PostForm.Get("volgende"), ""), Remember: r.PostForm.Get("onthouden") == "ja"}
	var p Provider
	var err error
	if chosen := r.PostForm.Get("aanbieder"); chosen != "" {
		id, perr := strconv.ParseInt(chosen, 10, 64)
		if perr != nil {
			return httpx.ErrBadRequest
		}
		p, err = h.store.ByID(ctx, id)
	} else {
		errs := validate.Errors{}
		f.Email = errs.Email("email", r.PostForm.Get("email"))
		if !errs.Valid() {
			return h.renderStart(w, r, http.StatusUnprocessableEntity, f, errs)
		}
		p, err = h.store.ByDomain(ctx, DomainOf(f.Email))
		if errors.Is(err, ErrNotFound) {
			errs.Add("email", "Je organisatie heeft hier geen eigen inlogdienst. Log in met je e-mailadres en wachtwoord.")
			return h.renderStart(w, r, http.StatusUnprocessableEntity, f, errs)
		}
	}
	if err != nil {
		return err
	}
	cfg, _, err := h.oauthConfig(ctx, p)
	if err != nil {
		slog.WarnContext(ctx, "sso: provider unavailable", "provider", p.ID, "issuer", p.Issuer, "error", err)
		return h.problem(w, r, http.StatusBadGateway, problemUnavailable(p.DisplayName))
	}
	fl := flow{Provider: p.ID, State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: f.Next, Remember: f.Remember, Started: time.Now()}
	b, err := json.Marshal(fl)
	if err != nil {
		return err
	}
	// One sign-on at a time per browser: a new start replaces the old.
	h.sessions.Put(ctx, flowKey, string(b))
	opts := []oauth2.AuthCodeOption{oidc.Nonce(fl.Nonce), oauth2.S256ChallengeOption(fl.Verifier)}
	if f.Email != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", f.Email))
	}
	return httpx.Redirect(w, r, cfg.AuthCodeURL(fl.State, opts...))
}

// Callback finishes the sign-on: state, code exchange with the PKCE
// verifier, the ID token (signature, issuer, audience, expiry, nonce), a
// verified address in one of the provider's domains, and an account with
// that address. Only then is the person logged in.
func (h *Handler) Callback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	// The flow is used once, whatever happens next.
	raw := h.sessions.PopString(ctx, flowKey)
	var fl flow
	if raw == "" || json.Unmarshal([]byte(raw), &fl) != nil || time.Since(fl.Started) > flowTTL {
		return h.problem(w, r, http.StatusBadRequest, problemExpired)
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(fl.State)) != 1 {
		slog.WarnContext(ctx, "sso: state mismatch", "provider", fl.Provider)
		return h.problem(w, r, http.StatusBadRequest, problemExpired)
	}
	p, err := h.store.ByID(ctx, fl.Provider)
	if errors.Is(err, ErrNotFound) {
		return h.problem(w, r, http.StatusBadRequest, problemExpired)
	}
	if err != nil {
		return err
	}
	if e := q.Get("error"); e != "" {
		slog.InfoContext(ctx, "sso: provider answered with an error", "provider", p.ID, "error", e)
		return h.problem(w, r, http.StatusForbidden, problemDeclined(p.DisplayName))
	}
	id, err := h.identify(ctx, p, fl, q.Get("code"))
	if err != nil {
		slog.WarnContext(ctx, "sso: sign-on refused", "provider", p.ID, "error", err)
		var pr refusal
		if errors.As(err, &pr) {
			return h.problem(w, r, http.StatusForbidden, pr.page)
		}
		return h.problem(w, r, http.StatusBadGateway, problemUnavailable(p.DisplayName))
	}
	acc, err := h.accounts.ByEmail(ctx, id.Email)
	if errors.Is(err, account.ErrNotFound) {
		return h.problem(w, r, http.StatusForbidden, problemNoAccount(p.DisplayName))
	}
	if err != nil {
		return err
	}
	if acc.EmailConfirmedAt == nil {
		// The organisation vouches for the address; no confirmation mail needed.
		if _, err := h.accounts.ConfirmEmail(ctx, acc.ID, acc.Email); err != nil {
			return err
		}
	}
	mfa := p.TrustMFA && MFAAsserted(id.AMR)
	if err := h.audit.Record(ctx, acc.ID, "sso.login", "account", acc.ID,
		fmt.Sprintf("inlogdienst=%d mfa_bij_organisatie=%t", p.ID, mfa)); err != nil {
		return err
	}
	if mfa {
		return h.login.FinishLoginFactorByProvider(w, r, acc, fl.Remember, fl.Next)
	}
	return h.login.CompleteIdentified(w, r, acc, fl.Remember, fl.Next, "sso")
}

// identity is what a verified sign-on says about the person.
type identity struct {
	Email string
	AMR   []string
}

// refusal is a sign-on the provider completed but the platform refuses,
// with the page that says why.
type refusal struct {
	reason string
	page   Problem
}

func (e refusal) Error() string { return e.reason }

func (h *Handler) identify(ctx context.Context, p Provider, fl flow, code string) (identity, error) {
	if code == "" {
		return identity{}, refusal{"no code", problemExpired}
	}
	cfg, op, err := h.oauthConfig(ctx, p)
	if err != nil {
		return identity{}, err
	}
	ctx = oidc.ClientContext(ctx, h.client)
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(fl.Verifier))
	if err != nil {
		return identity{}, refusal{"code exchange: " + err.Error(), problemInvalid(p.DisplayName)}
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return identity{}, refusal{"no id_token in the token response", problemInvalid(p.DisplayName)}
	}
	idt, err := op.VerifierContext(ctx, &oidc.Config{ClientID: p.ClientID, Now: h.Now}).Verify(ctx, rawID)
	if err != nil {
		return identity{}, refusal{"id token: " + err.Error(), problemInvalid(p.DisplayName)}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(fl.Nonce)) != 1 {
		return identity{}, refusal{"id token: nonce mismatch", problemInvalid(p.DisplayName)}
	}
	var claims struct {
		Email         string   `json:"email"`
		EmailVerified any      `json:"email_verified"`
		AMR           []string `json:"amr"`
	}
	if err := idt.Claims(&claims); err != nil {
		return identity{}, refusal{"id token claims: " + err.Error(), problemInvalid(p.DisplayName)}
	}
	verified := claims.EmailVerified == true || claims.EmailVerified == "true"
	if claims.Email == "" {
		// Providers that follow OpenID Connect strictly give the address
		// from the userinfo endpoint only; it must be about the same person.
		info, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return identity{}, fmt.Errorf("userinfo: %w", err)
		}
		if info.Subject != idt.Subject {
			return identity{}, refusal{"userinfo subject differs from the id token's", problemInvalid(p.DisplayName)}
		}
		claims.Email, verified = info.Email, info.EmailVerified
	}
	email := strings.TrimSpace(claims.Email)
	switch {
	case email == "":
		return identity{}, refusal{"no e-mail address", problemNoEmail(p.DisplayName)}
	case !verified:
		return identity{}, refusal{"e-mail address not verified", problemNoEmail(p.DisplayName)}
	case !slices.Contains(p.Domains, DomainOf(email)):
		return identity{}, refusal{"e-mail domain not allowed", problemDomain(p.DisplayName)}
	}
	return identity{Email: email, AMR: claims.AMR}, nil
}

// oauthConfig returns the OAuth 2.0 settings of p, from its (cached)
// discovery document and its opened secret.
func (h *Handler) oauthConfig(ctx context.Context, p Provider) (*oauth2.Config, *oidc.Provider, error) {
	op, err := h.discover(ctx, p.Issuer)
	if err != nil {
		return nil, nil, err
	}
	secret, err := h.secrets.Open(p.ClientSecret)
	if err != nil {
		return nil, nil, err
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: secret, Endpoint: op.Endpoint(), RedirectURL: h.redirectURI(),
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}, op, nil
}

func (h *Handler) discover(ctx context.Context, issuer string) (*oidc.Provider, error) {
	h.mu.Lock()
	d, ok := h.discovery[issuer]
	h.mu.Unlock()
	if ok && time.Since(d.at) < discoveryTTL {
		return d.provider, nil
	}
	// The provider keeps this context for fetching keys later: it must
	// outlive the request, and carry the client with its timeout.
	op, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), h.client), issuer)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.discovery[issuer] = discovered{provider: op, at: time.Now()}
	h.mu.Unlock()
	return op, nil
}

// forget drops a cached discovery document after the settings changed.
func (h *Handler) forget(issuer string) {
	h.mu.Lock()
	delete(h.discovery, issuer)
	h.mu.Unlock()
}

// GuardPasswordLogin refuses the password form for addresses in a domain
// whose provider does not allow passwords. It answers by the domain alone,
// before any password or account is looked at, so it tells nothing about
// which addresses have an account.
func (h *Handler) GuardPasswordLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			next.ServeHTTP(w, r)
			return
		}
		email := strings.TrimSpace(r.PostForm.Get("email"))
		domain := DomainOf(email)
		if domain == "" {
			next.ServeHTTP(w, r)
			return
		}
		refused, err := h.store.PasswordRefused(r.Context(), domain)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		if !refused {
			next.ServeHTTP(w, r)
			return
		}
		errs := validate.Errors{}
		errs.Add("email", "Met een e-mailadres van "+domain+" log je in via je eigen organisatie. Kies hieronder ‘Inloggen met je organisatie’.")
		f := account.LoginForm{Email: email, Next: httpx.SafeNext(r.PostForm.Get("volgende"), ""), Remember: r.PostForm.Get("onthouden") == "ja"}
		if err := httpx.Render(w, r, http.StatusUnprocessableEntity, account.LoginPage(httpx.PageFor(r, "Inloggen"), f, errs)); err != nil {
			httpx.Error(w, r, err)
		}
	})
}

func (h *Handler) problem(w http.ResponseWriter, r *http.Request, status int, p Problem) error {
	return httpx.Render(w, r, status, ProblemPage(httpx.PageFor(r, p.Title), p))
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// isOwnerGone reports a foreign key violation: the organisation or
// municipality was deleted while the form was open.
func isOwnerGone(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23503"
}
