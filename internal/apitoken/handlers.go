package apitoken

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// Accounts is what the tokens need of the accounts (account.Store has it):
// the account behind a token, and a check of the password before one is made.
type Accounts interface {
	Session(ctx context.Context, id int64) (account.Session, error)
	VerifyPassword(ctx context.Context, id int64, password string) (bool, error)
}

// Handler serves the token section of /account, its two POST routes and
// the Bearer middleware of the API.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	accounts Accounts
	// attempts counts wrong passwords per e-mail address. The app passes
	// the login limiter, so guesses here and at login add up: a stolen
	// session must not become a way to guess the password.
	attempts *ratelimit.Limiter
}

// NewHandler returns the handler; attempts is the login limiter per e-mail
// address (see Handler).
func NewHandler(store *Store, sm *scs.SessionManager, accounts Accounts, attempts *ratelimit.Limiter) *Handler {
	return &Handler{store: store, sessions: sm, accounts: accounts, attempts: attempts}
}

// Form is the input of the new-token form, kept when it is shown again.
// The password is never sent back.
type Form struct {
	Name string
	Days string // one of Lifetimes, as posted
}

// Form field names.
const (
	fieldName     = "token_name"
	fieldDays     = "token_days"
	fieldPassword = "token_password"
)

// sessionNewToken holds a just-created secret until the account page shows
// it, once.
const sessionNewToken = "apitoken.new"

// AccountSection implements account.Section: workers see their tokens,
// a newly created secret (once) and the form to make another.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if !v.Has(role.Worker) {
		return nil, nil
	}
	tokens, err := h.store.List(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	secret := ""
	if h.sessions.Exists(ctx, sessionNewToken) {
		secret = h.sessions.PopString(ctx, sessionNewToken)
	}
	return Section(SectionView{Tokens: tokens, NewSecret: secret, Now: time.Now()}, Form{Days: strconv.Itoa(DefaultLifetime)}, nil), nil
}

// Create makes a named token with the chosen lifetime and shows it once on
// /account. It asks for the password first: whoever holds only a session
// (a borrowed or stolen browser) cannot mint a token that outlives it.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	f := Form{Days: r.PostForm.Get(fieldDays)}
	f.Name = errs.Text(fieldName, r.PostForm.Get(fieldName), validate.Rule{Required: true, Max: MaxName})
	days, err := strconv.Atoi(f.Days)
	if err != nil || !slices.Contains(Lifetimes, days) {
		errs.Add(fieldDays, msgPickLifetime)
		f.Days = strconv.Itoa(DefaultLifetime)
	}
	key := strings.ToLower(v.Email)
	ok, retry, err := h.attempts.Check(ctx, key)
	if err != nil {
		return err
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
		p := httpx.PageFor(r, "API-token maken")
		p.Flash, p.FlashError = account.MsgTooManyPasswords(retry), true
		return h.renderForm(w, r, http.StatusTooManyRequests, p, f, nil)
	}
	if password := r.PostForm.Get(fieldPassword); password == "" {
		errs.Add(fieldPassword, msgPasswordRequired)
	} else {
		ok, err := h.accounts.VerifyPassword(ctx, v.ID, password)
		if err != nil {
			return err
		}
		if !ok {
			if err := h.attempts.Add(ctx, key); err != nil {
				return err
			}
			errs.Add(fieldPassword, msgPasswordWrong)
		}
	}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, httpx.PageFor(r, "API-token maken"), f, errs)
	}
	if err := h.attempts.Reset(ctx, key); err != nil {
		return err
	}
	_, secret, err := h.store.Create(ctx, v.ID, f.Name, days)
	if err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionNewToken, secret)
	httpx.Flash(h.sessions, r, flashCreated)
	return httpx.Redirect(w, r, "/account#api-tokens")
}

// renderForm shows the token form on a page of its own, with the viewer's
// tokens, when the input was refused.
func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, p layout.Page, f Form, errs validate.Errors) error {
	tokens, err := h.store.List(r.Context(), httpx.ViewerFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, status, FormPage(p, SectionView{Tokens: tokens, Now: time.Now()}, f, errs))
}

// Revoke ends one of the viewer's own tokens.
func (h *Handler) Revoke(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.store.Revoke(r.Context(), v.ID, id); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashRevoked)
	return httpx.Redirect(w, r, "/account#api-tokens")
}

// Authenticate makes the account of a valid "Authorization: Bearer" token
// the request's viewer. Requests without a live token (none, unknown,
// expired or revoked) get a JSON 401, the same for each of these; the
// route's role check follows separately.
func (h *Handler) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			unauthorized(w, msgNoToken)
			return
		}
		id, err := h.store.Use(ctx, strings.TrimSpace(secret))
		if errors.Is(err, ErrInvalid) {
			unauthorized(w, msgBadToken)
			return
		}
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		ses, err := h.accounts.Session(ctx, id)
		if errors.Is(err, account.ErrNotFound) {
			unauthorized(w, msgBadToken)
			return
		}
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(httpx.WithViewer(ctx, ses.Viewer())))
	})
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="buurtkracht"`)
	_ = httpx.JSON(w, http.StatusUnauthorized, map[string]string{"error": msg})
}
