package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves the download, the deletion pages and the section of
// /account. Every route is for the logged-in viewer's own account only.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	// attempts counts wrong passwords per e-mail address. The app passes
	// the login limiter, so guesses here and at login add up.
	attempts *ratelimit.Limiter
}

// NewHandler returns the handler; attempts is the login limiter per e-mail
// address (see Handler).
func NewHandler(store *Store, sm *scs.SessionManager, attempts *ratelimit.Limiter) *Handler {
	return &Handler{store: store, sessions: sm, attempts: attempts}
}

// Form field names of the deletion form.
const (
	fieldPassword = "password"
	fieldConfirm  = "confirm"
	confirmYes    = "ja"
)

// AccountSection implements account.Section: the links to download the
// data and to delete the account.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	return Section(), nil
}

// Download sends everything about the viewer as a JSON file.
func (h *Handler) Download(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	e, err := h.store.Export(r.Context(), v.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename(e.GeneratedAt)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// DeleteForm explains what deleting the account does and asks for the
// password and a confirmation.
func (h *Handler) DeleteForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderDelete(w, r, http.StatusOK, nil, "")
}

// Delete checks the password and confirmation, deletes the account in one
// transaction, ends the session and goes to the home page.
func (h *Handler) Delete(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	key := strings.ToLower(v.Email)
	if h.attempts != nil {
		ok, retry, err := h.attempts.Check(ctx, key)
		if err != nil {
			return err
		}
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
			return h.renderDelete(w, r, http.StatusTooManyRequests, nil, account.MsgTooManyPasswords(retry))
		}
	}
	errs := validate.Errors{}
	password := r.PostForm.Get(fieldPassword)
	if password == "" {
		errs.Add(fieldPassword, msgPasswordRequired)
	} else {
		hash, err := h.store.PasswordHash(ctx, v.ID)
		if err != nil {
			return err
		}
		if ok, _ := account.CheckPassword(hash, password); !ok {
			if h.attempts != nil {
				if err := h.attempts.Add(ctx, key); err != nil {
					return err
				}
			}
			errs.Add(fieldPassword, msgPasswordWrong)
		}
	}
	errs.Check(r.PostForm.Get(fieldConfirm) == confirmYes, fieldConfirm, msgConfirmRequired)
	if !errs.Valid() {
		return h.renderDelete(w, r, http.StatusUnprocessableEntity, errs, "")
	}
	_, err := h.store.Delete(ctx, v.ID)
	if errors.Is(err, ErrLastAdmin) {
		return h.renderDelete(w, r, http.StatusConflict, nil, "")
	}
	if err != nil {
		return err
	}
	if h.attempts != nil {
		if err := h.attempts.Reset(ctx, key); err != nil {
			return err
		}
	}
	if err := account.EndSession(r, h.sessions); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgDeleted)
	return httpx.Redirect(w, r, "/")
}

func (h *Handler) renderDelete(w http.ResponseWriter, r *http.Request, status int, errs validate.Errors, limited string) error {
	v := httpx.ViewerFrom(r.Context())
	p, err := h.store.Preview(r.Context(), v.ID)
	if err != nil {
		return err
	}
	page := httpx.PageFor(r, "Account verwijderen")
	if limited != "" {
		page.Flash = limited
		page.FlashError = true
	}
	return httpx.Render(w, r, status, DeletePage(page, p, errs))
}
