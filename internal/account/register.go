package account

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
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
	opts, err := h.neighbourhoodOptions(r.Context())
	if err != nil {
		return err
	}
	return httpx.Render(w, r, status, RegisterPage(p, f, opts, errs))
}

// DoRegister creates a resident account and has a confirmation link
// mailed. The answer is the same whether or not the address already has an
// account, so the form cannot be used to find out who is a member: the
// visitor always goes on to "check your e-mail", nobody is logged in yet,
// and the password is hashed either way so the answer takes as long. The
// owner of an address that is taken gets a mail saying someone tried,
// instead of a second account. The new account logs in once its address is
// confirmed (Confirm, in this browser) or with its password afterwards.
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
	f.Name = errs.Text("name", r.PostForm.Get("name"), validate.Rule{Max: 100})
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
	home, err := h.parseHome(ctx, &f.Neighbourhood, errs)
	if err != nil {
		return err
	}
	if !errs.Valid() {
		return h.renderRegister(w, r, http.StatusUnprocessableEntity, httpx.PageFor(r, "Account aanmaken"), f, errs)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	// Unconfirmed, with the confirmation mail queued in the same
	// transaction; or, for a taken address, the notice to its owner.
	acc, err := h.store.Register(ctx, NewAccount{Email: f.Email, DisplayName: f.Name, PasswordHash: hash, HomeNeighbourhoodID: home})
	taken := errors.Is(err, ErrDuplicateEmail)
	if err != nil && !taken {
		return err
	}
	// A fresh session either way (its cookie looks the same), holding the
	// address for the next page and, for a new account only, the id that
	// lets this browser log in once the address is confirmed.
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionRegistered, f.Email)
	if !taken {
		h.sessions.Put(ctx, sessionPending, acc.ID)
	}
	return httpx.Redirect(w, r, "/registreren/verstuurd")
}

// Registered is the page after the registration form: check your e-mail.
// It names the address typed in this browser, when there is one.
func (h *Handler) Registered(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := ""
	if h.sessions.Exists(ctx, sessionRegistered) {
		email = h.sessions.GetString(ctx, sessionRegistered)
	}
	return httpx.Render(w, r, http.StatusOK, RegisteredPage(httpx.PageFor(r, "Kijk in je e-mail"), email))
}
