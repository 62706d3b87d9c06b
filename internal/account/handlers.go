package account

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves login, logout, registration and the account pages.
type Handler struct {
	Store    *Store
	Sessions *scs.SessionManager
}

// LoginForm is the login form's input, kept when it is shown again.
type LoginForm struct {
	Email string
	Next  string
}

// Login shows the login form.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) != nil {
		return httpx.Redirect(w, r, httpx.SafeNext(r.URL.Query().Get("volgende"), "/account"))
	}
	f := LoginForm{Next: httpx.SafeNext(r.URL.Query().Get("volgende"), "")}
	return httpx.Render(w, r, http.StatusOK, LoginPage(httpx.PageFor(r, "Inloggen"), f, nil))
}

// msgBadLogin is the one message for every failed login, so the page never
// tells whether an address has an account.
const msgBadLogin = "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."

// DoLogin checks the credentials and starts a fresh session.
func (h *Handler) DoLogin(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	f := LoginForm{Next: httpx.SafeNext(r.PostForm.Get("volgende"), "")}
	f.Email = errs.Email("email", r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	errs.Check(password != "", "password", "Vul je wachtwoord in.")
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, LoginPage(httpx.PageFor(r, "Inloggen"), f, errs))
	}
	acc, err := h.Store.ByEmail(r.Context(), f.Email)
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
	if err != nil || !ok {
		errs.Add("email", msgBadLogin)
		return httpx.Render(w, r, http.StatusUnprocessableEntity, LoginPage(httpx.PageFor(r, "Inloggen"), f, errs))
	}
	if err := StartSession(r, h.Sessions, acc.ID, acc.PasswordChangedAt); err != nil {
		return err
	}
	if err := h.Store.TouchLogin(r.Context(), acc.ID); err != nil {
		return err
	}
	httpx.Flash(h.Sessions, r, "Je bent ingelogd. Welkom, "+acc.DisplayName+".")
	return httpx.Redirect(w, r, httpx.SafeNext(f.Next, "/account"))
}

// Logout ends the session.
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) error {
	if err := EndSession(r, h.Sessions); err != nil {
		return err
	}
	return httpx.Redirect(w, r, "/")
}
