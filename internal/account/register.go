package account

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// RegisterForm is the registration input kept when the form is shown again.
// The password is never sent back.
type RegisterForm struct {
	Email         string
	Name          string
	Neighbourhood string // neighbourhood id as posted, "" for none
}

// Register shows the registration form.
func (h *Handler) Register(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) != nil {
		return httpx.Redirect(w, r, "/account")
	}
	return h.renderRegister(w, r, http.StatusOK, httpx.PageFor(r, "Account aanmaken"), RegisterForm{}, nil)
}

func (h *Handler) renderRegister(w http.ResponseWriter, r *http.Request, status int, p layout.Page, f RegisterForm, errs validate.Errors) error {
	places, err := h.Store.Neighbourhoods(r.Context())
	if err != nil {
		return err
	}
	opts := make([]ui.Option, len(places))
	for i, pl := range places {
		opts[i] = ui.Option{Value: strconv.FormatInt(pl.ID, 10), Label: pl.Name, Group: pl.Municipality}
	}
	return httpx.Render(w, r, status, RegisterPage(p, f, opts, errs))
}

// DoRegister creates a resident account, logs it in and has a confirmation
// link mailed; until it is followed the account can read and join but not post.
func (h *Handler) DoRegister(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) != nil {
		return httpx.Redirect(w, r, "/account")
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	errs := validate.Errors{}
	f := RegisterForm{Neighbourhood: r.PostForm.Get("buurt")}
	f.Email = errs.Email("email", r.PostForm.Get("email"))
	f.Name = errs.Text("name", r.PostForm.Get("name"), false, 100, false)
	ok, retry, err := h.Limits.RegisterIP.Allow(ctx, ratelimit.ClientIP(r))
	if err != nil {
		return err
	}
	if !ok {
		return h.renderRegister(w, r, http.StatusTooManyRequests, limitedPage(w, r, "Account aanmaken", "aanmeldingen vanaf dit internetadres", retry), f, nil)
	}
	if r.PostForm.Get("website") != "" {
		// Only bots fill the hidden field; answer as if all went well.
		slog.InfoContext(ctx, "registration refused: honeypot filled")
		return httpx.Redirect(w, r, "/")
	}
	if f.Name == "" {
		errs.Add("name", msgNameRequired) // no-op when the name already has a problem
	}
	password := r.PostForm.Get("password")
	if password == "" {
		errs.Add("password", msgPasswordRequired)
	} else if msg := PasswordProblem(password, f.Email, f.Name); msg != "" {
		errs.Add("password", msg)
	}
	var home *int64
	if f.Neighbourhood != "" {
		id, err := strconv.ParseInt(f.Neighbourhood, 10, 64)
		ok := err == nil && id > 0
		if ok {
			if ok, err = h.Store.NeighbourhoodExists(ctx, id); err != nil {
				return err
			}
		}
		if ok {
			home = &id
		} else {
			errs.Add("buurt", msgNoNeighbourhood)
			f.Neighbourhood = ""
		}
	}
	if !errs.Valid() {
		return h.renderRegister(w, r, http.StatusUnprocessableEntity, httpx.PageFor(r, "Account aanmaken"), f, errs)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	// Unconfirmed, with the confirmation mail queued in the same transaction.
	acc, err := h.Store.Register(ctx, NewAccount{Email: f.Email, DisplayName: f.Name, PasswordHash: hash, HomeNeighbourhoodID: home})
	if errors.Is(err, ErrDuplicateEmail) {
		errs.Add("email", msgDuplicateEmail)
		return h.renderRegister(w, r, http.StatusUnprocessableEntity, httpx.PageFor(r, "Account aanmaken"), f, errs)
	}
	if err != nil {
		return err
	}
	if err := StartSession(r, h.Sessions, acc.ID, acc.PasswordChangedAt); err != nil {
		return err
	}
	if err := h.Store.TouchLogin(ctx, acc.ID); err != nil {
		return err
	}
	httpx.Flash(h.Sessions, r, msgRegistered)
	return httpx.Redirect(w, r, "/account")
}
