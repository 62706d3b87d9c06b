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
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// ViewerLoader loads the viewer of an account (account.Store does).
type ViewerLoader interface {
	Viewer(ctx context.Context, id int64) (*httpx.Viewer, time.Time, error)
}

// PasswordVerifier checks an account's password (account.Store does).
type PasswordVerifier interface {
	VerifyPassword(ctx context.Context, id int64, password string) (bool, error)
}

// Handler serves the token section of /account, its two POST routes and
// the Bearer middleware of the API.
type Handler struct {
	Store     *Store
	Sessions  *scs.SessionManager
	Viewers   ViewerLoader
	Passwords PasswordVerifier
	// Attempts counts wrong passwords per e-mail address. The app passes
	// the login limiter, so guesses here and at login add up: a stolen
	// session must not become a way to guess the password.
	Attempts *ratelimit.Limiter
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
	tokens, err := h.Store.List(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	secret := ""
	if h.Sessions.Exists(ctx, sessionNewToken) {
		secret = h.Sessions.PopString(ctx, sessionNewToken)
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
	ok, retry, err := h.Attempts.Check(ctx, key)
	if err != nil {
		return err
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
		p := httpx.PageFor(r, "API-token maken")
		p.Flash, p.FlashError = msgTooMany(retry), true
		return h.renderForm(w, r, http.StatusTooManyRequests, p, f, nil)
	}
	if password := r.PostForm.Get(fieldPassword); password == "" {
		errs.Add(fieldPassword, msgPasswordRequired)
	} else {
		ok, err := h.Passwords.VerifyPassword(ctx, v.ID, password)
		if err != nil {
			return err
		}
		if !ok {
			if err := h.Attempts.Add(ctx, key); err != nil {
				return err
			}
			errs.Add(fieldPassword, msgPasswordWrong)
		}
	}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, httpx.PageFor(r, "API-token maken"), f, errs)
	}
	if err := h.Attempts.Reset(ctx, key); err != nil {
		return err
	}
	_, secret, err := h.Store.Create(ctx, v.ID, f.Name, days)
	if err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionNewToken, secret)
	httpx.Flash(h.Sessions, r, flashCreated)
	return httpx.Redirect(w, r, "/account#api-tokens")
}

// renderForm shows the token form on a page of its own, with the viewer's
// tokens, when the input was refused.
func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, p layout.Page, f Form, errs validate.Errors) error {
	tokens, err := h.Store.List(r.Context(), httpx.ViewerFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, status, FormPage(p, SectionView{Tokens: tokens, Now: time.Now()}, f, errs))
}

// Revoke ends one of the viewer's own tokens.
func (h *Handler) Revoke(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return httpx.ErrNotFound
	}
	if err := h.Store.Revoke(r.Context(), v.ID, id); errors.Is(err, ErrNotFound) {
		return httpx.ErrNotFound
	} else if err != nil {
		return err
	}
	httpx.Flash(h.Sessions, r, flashRevoked)
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
		id, err := h.Store.Use(ctx, strings.TrimSpace(secret))
		if errors.Is(err, ErrInvalid) {
			unauthorized(w, msgBadToken)
			return
		}
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		v, _, err := h.Viewers.Viewer(ctx, id)
		if errors.Is(err, account.ErrNotFound) {
			unauthorized(w, msgBadToken)
			return
		}
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(httpx.WithViewer(ctx, v)))
	})
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="buurtkracht"`)
	_ = httpx.JSON(w, http.StatusUnauthorized, map[string]string{"error": msg})
}
