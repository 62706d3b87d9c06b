package account

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
)

// Confirming an e-mail address. Registration queues a mail (notify makes
// the signed link when it sends); the link opens ConfirmForm, whose button
// posts to Confirm. Until then RequireConfirmed keeps the account from
// posting anything others see.

// confirmTarget returns the account a confirmation token is for, provided
// the token is genuine, unexpired and made for the address the account has
// now. Any other case is signedlink.ErrInvalid or ErrExpired.
func (h *Handler) confirmTarget(ctx context.Context, token string) (Account, error) {
	id, payload, err := notify.VerifyConfirmation(ctx, h.signer, token, time.Now())
	if err != nil {
		return Account{}, err
	}
	acc, err := h.store.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Account{}, signedlink.ErrInvalid
	}
	if err != nil {
		return Account{}, err
	}
	if notify.ConfirmPayload(acc.ID, acc.Email) != payload {
		return Account{}, signedlink.ErrInvalid // mailed to an address the account no longer has
	}
	return acc, nil
}

// ConfirmForm shows the button that confirms the address of the link; it
// needs no session.
func (h *Handler) ConfirmForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("t")
	acc, err := h.confirmTarget(r.Context(), token)
	if err != nil {
		return h.confirmBadLink(w, r, err)
	}
	if acc.EmailConfirmedAt != nil {
		return h.confirmed(w, r)
	}
	return httpx.Render(w, r, http.StatusOK, ConfirmPage(httpx.PageFor(r, "E-mailadres bevestigen"), token))
}

// Confirm confirms the address of the link; it needs no session.
// Confirming twice is harmless. In the browser that registered the account
// (its id is in the session) the account is logged in as well: that browser
// knew the password, and the link shows the mail arrived. Anywhere else the
// person logs in with the password, so a link sent to someone else's
// address logs nobody into an account they did not make.
func (h *Handler) Confirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	acc, err := h.confirmTarget(ctx, r.PostForm.Get("t"))
	if err != nil {
		return h.confirmBadLink(w, r, err)
	}
	// The update checks the address again: it may have changed since.
	ok, err := h.store.ConfirmEmail(ctx, acc.ID, acc.Email)
	if err != nil {
		return err
	}
	if !ok {
		return h.confirmBadLink(w, r, signedlink.ErrInvalid)
	}
	if httpx.ViewerFrom(ctx) == nil && h.sessions.GetInt64(ctx, sessionPending) == acc.ID {
		if err := StartSession(r, h.sessions, acc.ID, acc.PasswordChangedAt); err != nil {
			return err
		}
		if err := h.store.TouchLogin(ctx, acc.ID); err != nil {
			return err
		}
		httpx.Flash(h.sessions, r, msgConfirmedLoggedIn)
		landing, err := h.landing(ctx, acc)
		if err != nil {
			return err
		}
		return httpx.Redirect(w, r, landing)
	}
	return h.confirmed(w, r)
}

func (h *Handler) confirmed(w http.ResponseWriter, r *http.Request) error {
	loggedIn := httpx.ViewerFrom(r.Context()) != nil
	return httpx.Render(w, r, http.StatusOK, ConfirmedPage(httpx.PageFor(r, "Je e-mailadres is bevestigd"), loggedIn))
}

// confirmBadLink answers a tampered, expired or outdated link with one
// Dutch page (404, or 410 when expired); other errors go on to the 500 page.
func (h *Handler) confirmBadLink(w http.ResponseWriter, r *http.Request, err error) error {
	status, expired, ok := signedlink.Refusal(err)
	if !ok {
		return err
	}
	return httpx.Render(w, r, status, ConfirmBadLinkPage(httpx.PageFor(r, "Deze link werkt niet"), expired))
}

// ResendConfirmation queues a new confirmation mail for the viewer, a few
// per hour at most.
func (h *Handler) ResendConfirmation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if v.EmailConfirmed {
		httpx.Flash(h.sessions, r, msgAlreadyConfirmed)
		return httpx.Redirect(w, r, "/account")
	}
	ok, retry, err := h.Limits.ConfirmMail.Allow(ctx, strconv.FormatInt(v.ID, 10))
	if err != nil {
		return err
	}
	if !ok {
		return h.show(w, r, http.StatusTooManyRequests, limitedPage(w, r, "Mijn account", "bevestigingsmails", retry))
	}
	if err := h.store.QueueConfirmation(ctx, v.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, fmt.Sprintf(msgConfirmResent, v.Email))
	return httpx.Redirect(w, r, "/account")
}

// RequireConfirmed lets through viewers with a confirmed e-mail address.
// Others may read and join, but not post what others see or send messages:
// they get a page (403) that says why and offers a new link. Anonymous
// visitors go to the login page. Put it after the route's role check.
func RequireConfirmed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := httpx.ViewerFrom(r.Context())
		if v == nil {
			httpx.RedirectToLogin(w, r)
			return
		}
		if !v.EmailConfirmed {
			p := httpx.PageFor(r, "Bevestig eerst je e-mailadres")
			if err := httpx.Render(w, r, http.StatusForbidden, UnconfirmedPage(p, v.Email)); err != nil {
				httpx.Error(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}
