package mfa

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// touchEvery is how often a session's "last used" moves: a page view
// writes it at most once a minute (like the session store's own expiry).
const touchEvery = time.Minute

// touchCache remembers when this instance last wrote a session's
// metadata, so most page views write nothing. Another instance keeps its
// own: at worst each writes once a minute.
type touchCache struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func newTouchCache() *touchCache { return &touchCache{last: map[string]time.Time{}} }

// due reports whether key should be written now.
func (c *touchCache) due(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return now.Sub(c.last[key]) >= touchEvery
}

func (c *touchCache) done(key string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Forget what is past its minute once the map grows: it only saves writes.
	if len(c.last) > 10000 {
		for k, t := range c.last {
			if now.Sub(t) >= touchEvery {
				delete(c.last, k)
			}
		}
	}
	c.last[key] = now
}

// TrackSession records, for "Mijn sessies", the device, network and last
// use of a logged-in session. It runs after the viewer is loaded; a
// failure is logged and the page still served.
func (h *Handler) TrackSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if v := httpx.ViewerFrom(ctx); v != nil {
			if token := h.sessions.Token(ctx); token != "" {
				hash := tokenHash(token)
				key, now := string(hash), time.Now()
				if h.touched.due(key, now) {
					wrote, err := h.store.TouchSession(ctx, hash, v.ID, DeviceLabel(r.UserAgent()), CoarsePlace(r.RemoteAddr))
					if err != nil {
						logWarn(ctx, "record session use", err)
					} else if wrote {
						h.touched.done(key, now)
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Sessions lists the viewer's sessions.
func (h *Handler) Sessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	list, err := h.store.Sessions(ctx, v.ID, tokenHash(h.sessions.Token(ctx)))
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, SessionsPage(httpx.PageFor(r, "Mijn sessies"), list))
}

// EndSession ends one of the viewer's other sessions.
func (h *Handler) EndSession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	err = h.store.EndSession(ctx, v.ID, id, tokenHash(h.sessions.Token(ctx)))
	if errors.Is(err, ErrNoSession) {
		// Ended already (or the current one, which logging out ends).
		httpx.FlashError(h.sessions, r, msgSessionGone)
		return httpx.Redirect(w, r, SessionsPath)
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashSessionEnded)
	return httpx.Redirect(w, r, SessionsPath)
}

// EndOthers ends every session of the viewer but this one.
func (h *Handler) EndOthers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	n, err := h.store.EndOtherSessions(ctx, v.ID, tokenHash(h.sessions.Token(ctx)))
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashOthersEnded(n))
	return httpx.Redirect(w, r, SessionsPath)
}

// sessionAction is the form action that ends session id.
func sessionAction(id int64) string {
	return SessionsPath + "/" + strconv.FormatInt(id, 10) + "/beeindigen"
}
