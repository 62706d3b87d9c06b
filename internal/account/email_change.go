package account

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// Changing the e-mail address. The form asks for the new address and the
// current password (as changing the password does: a session left open
// must not be enough to take the account over). The change waits in
// email_changes; a link goes to the NEW address, a notice to the old one,
// and the account keeps its old address until the link is followed.
// An address that belongs to another account gets the same answer as a
// free one (its owner gets a notice instead of a link), so the form tells
// nobody which addresses have an account.

const emailTitle = "E-mailadres wijzigen"

// EmailForm is the input of the e-mail form kept when it is shown again;
// the password never is.
type EmailForm struct {
	Email string
}

// EmailView is the e-mail form with what it shows around the fields.
type EmailView struct {
	Form    EmailForm
	Current string       // the address the account has now
	Pending *EmailChange // a change still waiting, nil when none
}

// ChangeEmail shows the form for a new e-mail address.
func (h *Handler) ChangeEmail(w http.ResponseWriter, r *http.Request) error {
	return h.renderEmail(w, r, http.StatusOK, httpx.PageFor(r, emailTitle), EmailForm{}, nil)
}

func (h *Handler) renderEmail(w http.ResponseWriter, r *http.Request, status int, p layout.Page, f EmailForm, errs validate.Errors) error {
	v := httpx.ViewerFrom(r.Context())
	ev := EmailView{Form: f, Current: v.Email}
	c, ok, err := h.store.PendingEmailChange(r.Context(), v.ID)
	if err != nil {
		return err
	}
	if ok {
		ev.Pending = &c
	}
	return httpx.Render(w, r, status, EmailPage(p, ev, errs))
}

// DoChangeEmail checks the form and the password, records the change and
// queues its mails (RequestEmailChange), then tells the viewer to look in
// the new mailbox. Wrong passwords count as failed logins, as on the
// password form; requests are limited per account, so the form cannot
// flood anyone's inbox.
func (h *Handler) DoChangeEmail(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	key := strings.ToLower(v.Email)
	ok, retry, err := h.Limits.LoginAccount.Check(ctx, key)
	if err != nil {
		return err
	}
	errs := validate.Errors{}
	f := EmailForm{Email: strings.TrimSpace(r.PostForm.Get("email"))}
	if !ok {
		return h.renderEmail(w, r, http.StatusTooManyRequests, limitedPage(w, r, emailTitle, "pogingen met een verkeerd wachtwoord", retry), f, nil)
	}
	if f.Email == "" {
		errs.Add("email", msgNewEmailRequired)
	}
	f.Email = errs.Email("email", f.Email)
	if errs.Valid() && strings.EqualFold(f.Email, v.Email) {
		errs.Add("email", msgSameEmail)
	}
	password := r.PostForm.Get("current_password")
	if password == "" {
		errs.Add("current_password", msgCurrentRequired)
	} else {
		acc, err := h.store.ByID(ctx, v.ID)
		if err != nil {
			return err
		}
		if ok, _ := CheckPassword(acc.PasswordHash, password); !ok {
			if err := h.Limits.LoginAccount.Add(ctx, key); err != nil {
				return err
			}
			errs.Add("current_password", msgCurrentWrong)
		}
	}
	if !errs.Valid() {
		return h.renderEmail(w, r, http.StatusUnprocessableEntity, httpx.PageFor(r, emailTitle), f, errs)
	}
	ok, retry, err = h.Limits.EmailChange.Allow(ctx, strconv.FormatInt(v.ID, 10))
	if err != nil {
		return err
	}
	if !ok {
		return h.renderEmail(w, r, http.StatusTooManyRequests, limitedPage(w, r, emailTitle, "wijzigingen van je e-mailadres", retry), f, nil)
	}
	if err := h.store.RequestEmailChange(ctx, v.ID, f.Email); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, fmt.Sprintf(msgEmailChangeSent, f.Email, v.Email))
	return httpx.Redirect(w, r, "/account")
}

// CancelEmailChange withdraws the viewer's waiting change of address.
func (h *Handler) CancelEmailChange(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := h.store.CancelEmailChange(r.Context(), v.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, fmt.Sprintf(msgEmailChangeCancelled, v.Email))
	return httpx.Redirect(w, r, "/account")
}

// emailChangeTarget checks a link's token and the change it names.
func (h *Handler) emailChangeTarget(r *http.Request, token string) (changeID, accountID int64, err error) {
	changeID, accountID, err = notify.VerifyEmailChange(r.Context(), h.signer, token, time.Now())
	if err != nil {
		return 0, 0, err
	}
	return changeID, accountID, h.store.WaitingEmailChange(r.Context(), changeID, accountID)
}

// EmailChangeForm shows the button that confirms the new address of the
// link; it needs no session (the link may be opened on another device).
// A GET changes nothing, so mail scanners that open links change nobody's
// address.
func (h *Handler) EmailChangeForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("t")
	if _, _, err := h.emailChangeTarget(r, token); err != nil {
		return h.emailChangeBadLink(w, r, err)
	}
	return httpx.Render(w, r, http.StatusOK, EmailChangeConfirmPage(httpx.PageFor(r, "Nieuw e-mailadres bevestigen"), token))
}

// ConfirmEmailChange gives the account the new address of the link. The
// link proved the new mailbox; the password was asked when the change was.
func (h *Handler) ConfirmEmailChange(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	changeID, accountID, err := notify.VerifyEmailChange(ctx, h.signer, r.PostForm.Get("t"), time.Now())
	if err != nil {
		return h.emailChangeBadLink(w, r, err)
	}
	if err := h.store.ConfirmEmailChange(ctx, changeID, accountID); err != nil {
		return h.emailChangeBadLink(w, r, err)
	}
	if v := httpx.ViewerFrom(ctx); v != nil && v.ID == accountID {
		httpx.Flash(h.sessions, r, msgEmailChanged)
		return httpx.Redirect(w, r, "/account")
	}
	return httpx.Render(w, r, http.StatusOK, EmailChangedPage(httpx.PageFor(r, "Je e-mailadres is gewijzigd")))
}

// emailChangeBadLink answers a link that does not work with one page,
// whatever the reason: 410 when it expired, 404 otherwise. Other errors
// go on to the 500 page.
func (h *Handler) emailChangeBadLink(w http.ResponseWriter, r *http.Request, err error) error {
	expired := errors.Is(err, ErrChangeExpired) || errors.Is(err, signedlink.ErrExpired)
	if !expired && !errors.Is(err, ErrChangeInvalid) && !errors.Is(err, signedlink.ErrInvalid) {
		return err
	}
	status := http.StatusNotFound
	if expired {
		status = http.StatusGone
	}
	return httpx.Render(w, r, status, EmailChangeBadLinkPage(httpx.PageFor(r, "Deze link werkt niet"), expired))
}
