package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// ResetValidity is how long a reset link works.
const ResetValidity = time.Hour

// newResetToken returns a random token for the link and the SHA-256 hash that
// is stored: a leaked database does not reveal working links.
func newResetToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Forgot shows the form to request a reset link.
func (h *Handler) Forgot(w http.ResponseWriter, r *http.Request) error {
	return httpx.Render(w, r, http.StatusOK, ForgotPage(httpx.PageFor(r, "Wachtwoord vergeten"), "", nil))
}

// DoForgot sends a reset link when the address has an account. The answer is
// the same either way, so the form cannot be used to find out who has one.
func (h *Handler) DoForgot(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	title := "Wachtwoord vergeten"
	errs := validate.Errors{}
	email := errs.Email("email", r.PostForm.Get("email"))
	ok, retry, err := h.Limits.ResetIP.Allow(ctx, ratelimit.ClientIP(r))
	if err != nil {
		return err
	}
	if !ok {
		return httpx.Render(w, r, http.StatusTooManyRequests, ForgotPage(limitedPage(w, r, title, "aanvragen vanaf dit internetadres", retry), email, nil))
	}
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, ForgotPage(httpx.PageFor(r, title), email, errs))
	}
	// Beyond a few mails per hour to one address we quietly send no more.
	ok, _, err = h.Limits.ResetAccount.Allow(ctx, strings.ToLower(email))
	if err != nil {
		return err
	}
	if ok {
		// In the background: the answer must not take longer for an
		// existing address than for an unknown one, and a slow mail server
		// must not hold up the page.
		go func() {
			bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if err := h.sendReset(bctx, email); err != nil {
				slog.ErrorContext(bctx, "password reset not sent", "err", err)
			}
		}()
	}
	httpx.Flash(h.sessions, r, msgResetSent)
	return httpx.Redirect(w, r, "/wachtwoord-vergeten")
}

// sendReset stores a token for email's account (if any) and mails the link.
func (h *Handler) sendReset(ctx context.Context, email string) error {
	acc, err := h.store.ByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	token, hash, err := newResetToken()
	if err != nil {
		return err
	}
	if err := h.store.CreateReset(ctx, acc.ID, hash, time.Now().Add(ResetValidity)); err != nil {
		return err
	}
	msg := mail.Message{
		To:      acc.Email,
		Subject: msgResetMailSubject,
		Body:    resetMailBody(acc.DisplayName, h.baseURL+"/wachtwoord-herstellen?token="+url.QueryEscape(token)),
	}
	if err := h.mailer.Send(ctx, msg); err != nil {
		return fmt.Errorf("account: reset mail for %d: %w", acc.ID, err)
	}
	return nil
}

// Reset shows the form to choose a new password, when the link still works.
func (h *Handler) Reset(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if _, err := h.store.ResetAccount(r.Context(), hashToken(token)); err != nil {
		return h.resetInvalid(w, r, err)
	}
	return httpx.Render(w, r, http.StatusOK, ResetPage(httpx.PageFor(r, "Nieuw wachtwoord kiezen"), token, nil))
}

func (h *Handler) resetInvalid(w http.ResponseWriter, r *http.Request, err error) error {
	if !errors.Is(err, ErrTokenInvalid) {
		return err
	}
	return httpx.Render(w, r, http.StatusGone, ResetInvalidPage(httpx.PageFor(r, "Deze link werkt niet meer")))
}

// DoReset spends the token, sets the new password and ends every session
// and API token of the account, including this session; the user then logs
// in again. The address counts as confirmed from now on (UseReset).
func (h *Handler) DoReset(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	token := r.PostForm.Get("token")
	hash := hashToken(token)
	acc, err := h.store.ResetAccount(ctx, hash)
	if err != nil {
		return h.resetInvalid(w, r, err)
	}
	errs := validate.Errors{}
	password := r.PostForm.Get("password")
	if password == "" {
		errs.Add("password", msgPasswordRequired)
	} else if msg := PasswordProblem(password, acc.Email, acc.DisplayName); msg != "" {
		errs.Add("password", msg)
	}
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, ResetPage(httpx.PageFor(r, "Nieuw wachtwoord kiezen"), token, errs))
	}
	pwHash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := h.store.UseReset(ctx, hash, pwHash); err != nil {
		return h.resetInvalid(w, r, err)
	}
	if err := h.Limits.LoginAccount.Reset(ctx, strings.ToLower(acc.Email)); err != nil {
		return err
	}
	// Whoever is logged in on this browser is logged out; the flash goes
	// into a fresh, anonymous session.
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Remove(ctx, sessionUserID)
	h.sessions.Remove(ctx, sessionPwChanged)
	h.sessions.RememberMe(ctx, false) // an anonymous session needs no lasting cookie
	httpx.Flash(h.sessions, r, msgResetDone)
	return httpx.Redirect(w, r, "/inloggen")
}
