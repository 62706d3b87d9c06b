package account

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// Show is the "my account" page: the viewer's own data, a link to change
// the password and the sections other features add.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	return h.show(w, r, http.StatusOK, httpx.PageFor(r, "Mijn account"))
}

// show renders the account page with status and chrome p (a refused
// request shows it with its notice).
func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, p layout.Page) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	prof, err := h.store.Profile(ctx, v.ID)
	if err != nil {
		return err
	}
	var pending *EmailChange
	if c, ok, err := h.store.PendingEmailChange(ctx, v.ID); err != nil {
		return err
	} else if ok {
		pending = &c
	}
	sections := make([]templ.Component, 0, len(h.Sections))
	for _, s := range h.Sections {
		c, err := s.AccountSection(ctx, v)
		if err != nil {
			return err
		}
		if c != nil {
			sections = append(sections, c)
		}
	}
	return httpx.Render(w, r, status, AccountPage(p, prof, pending, sections))
}

// ChangePassword shows the password form.
func (h *Handler) ChangePassword(w http.ResponseWriter, r *http.Request) error {
	return httpx.Render(w, r, http.StatusOK, PasswordPage(httpx.PageFor(r, "Wachtwoord wijzigen"), nil))
}

// DoChangePassword checks the current password, sets the new one, keeps this
// session valid and ends every other session of the account.
func (h *Handler) DoChangePassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	title := "Wachtwoord wijzigen"
	// Wrong current passwords count as failed logins: a stolen session must
	// not become a way to guess the password.
	key := strings.ToLower(v.Email)
	ok, retry, err := h.Limits.LoginAccount.Check(ctx, key)
	if err != nil {
		return err
	}
	if !ok {
		return httpx.Render(w, r, http.StatusTooManyRequests, PasswordPage(limitedPage(w, r, title, "pogingen met een verkeerd wachtwoord", retry), nil))
	}
	errs := validate.Errors{}
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("new_password")
	acc, err := h.store.ByID(ctx, v.ID)
	if err != nil {
		return err
	}
	if current == "" {
		errs.Add("current_password", msgCurrentRequired)
	} else if ok, _ := CheckPassword(acc.PasswordHash, current); !ok {
		if err := h.Limits.LoginAccount.Add(ctx, key); err != nil {
			return err
		}
		errs.Add("current_password", msgCurrentWrong)
	}
	if next == "" {
		errs.Add("new_password", msgPasswordRequired)
	} else if msg := PasswordProblem(next, acc.Email, acc.DisplayName); msg != "" {
		errs.Add("new_password", msg)
	} else if next == current {
		errs.Add("new_password", msgSamePassword)
	}
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, PasswordPage(httpx.PageFor(r, title), errs))
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	changed, err := h.store.SetPassword(ctx, v.ID, hash)
	if err != nil {
		return err
	}
	// A fresh token for this session, stamped with the new password time;
	// sessions elsewhere still carry the old time and end at their next request.
	if err := StartSession(r, h.sessions, v.ID, changed); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgPasswordChanged)
	return httpx.Redirect(w, r, "/account")
}
