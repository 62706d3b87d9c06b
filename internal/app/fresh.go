package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// wroteCookie marks a browser that changed something a moment ago. It holds
// only the Unix time until which the mark counts: nothing personal, and
// worthless to copy (it merely makes reads slower).
const wroteCookie = "bk_schreef"

// freshWindow is how long after a write a client keeps reading the primary
// database and bypassing the page cache: longer than the largest lag a
// replica may have before reads leave it anyway, and than a cached page lives.
func (a *App) freshWindow() time.Duration {
	lag := a.cfg.DatabaseReadMaxLag
	if lag <= 0 {
		lag = 30 * time.Second
	}
	return max(lag, a.cfg.PageCacheTTL) + 5*time.Second
}

// readYourWrites gives every state-changing request, and every request for
// freshWindow after one, a context marked httpx.WithFreshReads: such
// requests read the primary and are never answered from the page cache, so a
// writer sees their write on the page the POST redirects to, and on every
// page after it. Others see it within the documented staleness.
func readYourWrites(window time.Duration, secure bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fresh := false
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				if c, err := r.Cookie(wroteCookie); err == nil {
					if until, err := strconv.ParseInt(c.Value, 10, 64); err == nil && time.Now().Unix() < until {
						fresh = true
					}
				}
			default:
				fresh = true
				if r.Header.Get("Authorization") != "" {
					break // API clients (Bearer tokens) keep no cookies
				}
				until := time.Now().Add(window)
				http.SetCookie(w, &http.Cookie{Name: wroteCookie, Value: strconv.FormatInt(until.Unix(), 10), Path: "/",
					MaxAge: int(window / time.Second), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
			}
			if fresh {
				r = r.WithContext(httpx.WithFreshReads(r.Context()))
			}
			next.ServeHTTP(w, r)
		})
	}
}
