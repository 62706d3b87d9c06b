package apitoken

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// ViewerLoader loads the viewer of an account (account.Store does).
type ViewerLoader interface {
	Viewer(ctx context.Context, id int64) (*httpx.Viewer, time.Time, error)
}

// Handler serves the token section of /account, its two POST routes and
// the Bearer middleware of the API.
type Handler struct {
	Store    *Store
	Sessions *scs.SessionManager
	Viewers  ViewerLoader
}

// sessionNewToken holds a just-created secret until the account page shows
// it, once.
const sessionNewToken = "apitoken.new"

// AccountSection implements account.Section: workers see their tokens,
// a newly created secret (once) and the form to make another.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if !v.Has(account.Worker) {
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
	return Section(SectionView{Tokens: tokens, NewSecret: secret}, "", nil), nil
}

// Create makes a named token and shows it once on /account.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	name := errs.Text("token_name", r.PostForm.Get("token_name"), true, MaxName, false)
	if !errs.Valid() {
		tokens, err := h.Store.List(r.Context(), v.ID)
		if err != nil {
			return err
		}
		p := httpx.PageFor(r, "API-token maken")
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(p, SectionView{Tokens: tokens}, r.PostForm.Get("token_name"), errs))
	}
	_, secret, err := h.Store.Create(r.Context(), v.ID, name)
	if err != nil {
		return err
	}
	h.Sessions.Put(r.Context(), sessionNewToken, secret)
	httpx.Flash(h.Sessions, r, flashCreated)
	return httpx.Redirect(w, r, "/account#api-tokens")
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
// the request's viewer. Requests without a valid token get a JSON 401; the
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
