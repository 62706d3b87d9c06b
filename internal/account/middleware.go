package account

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Session keys.
const (
	sessionUserID    = "userID"
	sessionPwChanged = "pwChanged" // unix microseconds of password_changed_at at login
	// sessionRegistered is the address typed into the registration form, for
	// the "check your e-mail" page.
	sessionRegistered = "account.registered"
	// sessionFactorByProvider is the id of the account whose login in this
	// session came through a trusted organisation's sign-on with a second
	// factor (FinishLoginFactorByProvider).
	sessionFactorByProvider = "account.factor_by_provider"
	// sessionPending is the id of the account this browser just registered:
	// confirming its address here logs it in (Confirm). An address that had
	// an account already leaves no id, so nobody is logged in to it.
	sessionPending = "account.pending"
)

// LoadViewer puts the logged-in user (if any) into the request context. Roles
// are read from the database on every request, so a role an administrator
// takes away is gone at the user's next click. A session that predates the
// account's last password change is ended.
func LoadViewer(sm *scs.SessionManager, store *Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			id := sm.GetInt64(ctx, sessionUserID)
			if id == 0 {
				next.ServeHTTP(w, r)
				return
			}
			ses, err := store.Session(ctx, id)
			switch {
			case errors.Is(err, ErrNotFound) || (err == nil && ses.PasswordChangedAt.UnixMicro() != sm.GetInt64(ctx, sessionPwChanged)):
				// Account deleted or password changed elsewhere: log this session out.
				if err := sm.Destroy(ctx); err != nil {
					slog.WarnContext(ctx, "destroy stale session", "err", err)
				}
				next.ServeHTTP(w, r)
				return
			case err != nil:
				httpx.Error(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(httpx.WithViewer(ctx, ses.Viewer())))
		})
	}
}

// Viewer is the request's view of the session's account.
func (s Session) Viewer() *httpx.Viewer {
	v := &httpx.Viewer{ID: s.ID, Name: s.Name, Email: s.Email, Roles: s.Roles, WorkAreas: s.WorkAreas,
		EmailConfirmed: s.EmailConfirmed, Unread: s.Unread, HomeNeighbourhood: s.HomeCode}
	if s.MunicipalityID != nil {
		v.MunicipalityID = *s.MunicipalityID
	}
	if s.OrganisationID != nil {
		v.OrganisationID = *s.OrganisationID
	}
	return v
}

// RequireLogin lets logged-in users through and sends others to the login page.
func RequireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if httpx.ViewerFrom(r.Context()) == nil {
			httpx.RedirectToLogin(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequireRole lets through users holding at least one of roles; anonymous
// visitors go to the login page, others get 403.
func RequireRole(roles ...role.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := httpx.ViewerFrom(r.Context())
			if v == nil {
				httpx.RedirectToLogin(w, r)
				return
			}
			if slices.ContainsFunc(roles, v.Has) {
				next.ServeHTTP(w, r)
				return
			}
			httpx.Error(w, r, httpx.ErrForbidden)
		})
	}
}

// StartSession logs id in: a fresh session token (no fixation), the user id,
// and the password timestamp that keeps the session valid. What a
// registration left in this browser is dropped: it was for whoever
// registered, who may not be the one logging in now.
func StartSession(r *http.Request, sm *scs.SessionManager, id int64, pwChanged time.Time) error {
	ctx := r.Context()
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Put(ctx, sessionUserID, id)
	sm.Put(ctx, sessionPwChanged, pwChanged.UnixMicro())
	sm.Remove(ctx, sessionRegistered)
	sm.Remove(ctx, sessionPending)
	return nil
}

// LogOutSession leaves the session logged out under a fresh token, keeping
// its other values: a login waiting for its second step lives in it, and
// must not ride on a token (or a login) the browser had before.
func LogOutSession(r *http.Request, sm *scs.SessionManager) error {
	ctx := r.Context()
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Remove(ctx, sessionUserID)
	sm.Remove(ctx, sessionPwChanged)
	return nil
}

// EndSession logs out: renew the token, then destroy the session data.
func EndSession(r *http.Request, sm *scs.SessionManager) error {
	ctx := r.Context()
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	return sm.Destroy(ctx)
}

// SessionCookieName is the name of the session cookie. With secure cookies
// (an https deployment) it carries the __Host- prefix: browsers then take it
// only when Secure, with Path=/ and without Domain, so neither a page on a
// sibling subdomain nor one over plain http can plant or replace it.
func SessionCookieName(secure bool) string {
	if secure {
		return "__Host-buurtkracht_sessie"
	}
	return "buurtkracht_sessie"
}

// FactorByProvider reports whether the viewer with id logged in, in this
// session, through an organisation's sign-on that asserted a second factor.
func FactorByProvider(r *http.Request, sm *scs.SessionManager, id int64) bool {
	return id != 0 && sm.GetInt64(r.Context(), sessionFactorByProvider) == id
}
