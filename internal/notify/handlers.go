package notify

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
)

// Handler serves the notifications page, the e-mail preferences, the
// unsubscribe links and the administrators' view of the job queue.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	signer   *signedlink.Signer
}

// NewHandler returns the handler; signer makes and checks the unsubscribe links.
func NewHandler(store *Store, sm *scs.SessionManager, signer *signedlink.Signer) *Handler {
	return &Handler{store: store, sessions: sm, signer: signer}
}

// List shows the viewer's notifications, newest first.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	before, _ := strconv.ParseInt(r.URL.Query().Get("voor"), 10, 64)
	items, more, err := h.store.List(r.Context(), v.ID, before)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ListPage(httpx.PageFor(r, "Meldingen"), items, more, before != 0))
}

// Open marks a notification read and goes to its subject.
func (h *Handler) Open(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	link, err := h.store.Open(r.Context(), v.ID, id)
	if err != nil {
		return err
	}
	return httpx.Redirect(w, r, httpx.SafeNext(link, "/meldingen"))
}

// ReadAll marks all of the viewer's notifications read.
func (h *Handler) ReadAll(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := h.store.ReadAll(r.Context(), v.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashAllRead)
	return httpx.Redirect(w, r, "/meldingen")
}

// Preferences shows the e-mail choices per category.
func (h *Handler) Preferences(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	prefs, err := h.store.Preferences(r.Context(), v.ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, PreferencesPage(httpx.PageFor(r, "Meldingen en e-mail"), shownTo(v), prefsForm(prefs), nil, v.EmailConfirmed))
}

// SavePreferences stores the choices; an unknown mode or category is shown
// again with the rest of the input kept (422).
func (h *Handler) SavePreferences(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	form := map[Category]string{}
	errs := map[string]string{}
	modes := map[Category]Mode{}
	for key := range r.PostForm {
		if !strings.HasPrefix(key, "mode_") {
			continue
		}
		if c := Category(strings.TrimPrefix(key, "mode_")); !c.Valid() {
			errs["algemeen"] = errCategoryUnknown
		}
	}
	for _, c := range Categories {
		val := r.PostForm.Get("mode_" + string(c))
		form[c] = val
		if val == "" {
			continue // not sent: keep what was chosen
		}
		if m := Mode(val); m.Valid() {
			modes[c] = m
		} else {
			errs["mode_"+string(c)] = errModeInvalid
		}
	}
	if len(errs) > 0 {
		prefs, err := h.store.Preferences(r.Context(), v.ID)
		if err != nil {
			return err
		}
		f := prefsForm(prefs)
		for c, val := range form {
			if val != "" {
				f[c] = val
			}
		}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, PreferencesPage(httpx.PageFor(r, "Meldingen en e-mail"), shownTo(v), f, errs, v.EmailConfirmed))
	}
	if len(modes) > 0 {
		if err := h.store.SetPreferences(r.Context(), v.ID, modes); err != nil {
			return err
		}
	}
	httpx.Flash(h.sessions, r, flashPrefsSaved)
	return httpx.Redirect(w, r, "/account/meldingen")
}

// shownTo lists the categories a person can receive, the ones their
// preferences show: "beheer" only to administrators.
func shownTo(v *httpx.Viewer) []Category {
	out := make([]Category, 0, len(Categories))
	for _, c := range Categories {
		if c == Admin && !v.Has(role.Admin) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func prefsForm(prefs map[Category]Mode) map[Category]string {
	f := make(map[Category]string, len(prefs))
	for c, m := range prefs {
		f[c] = string(m)
	}
	return f
}

// unsubscribeTarget reads a verified unsubscribe token.
func (h *Handler) unsubscribeTarget(ctx context.Context, token string) (account int64, c Category, mode Mode, err error) {
	payload, err := h.signer.Verify(ctx, purposeUnsubscribe, token, time.Now())
	if err != nil {
		return 0, "", "", err
	}
	parts := strings.Split(payload, ":")
	if len(parts) < 2 {
		return 0, "", "", signedlink.ErrInvalid
	}
	account, err = strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return 0, "", "", signedlink.ErrInvalid
	}
	c = Category(parts[1])
	if c == "" && len(parts) == 3 {
		mode = Mode(parts[2])
		if !mode.Valid() {
			return 0, "", "", signedlink.ErrInvalid
		}
		return account, "", mode, nil
	}
	if !c.Valid() {
		return 0, "", "", signedlink.ErrInvalid
	}
	return account, c, "", nil
}

// UnsubscribeForm shows what the link will stop, with one button; mail
// scanners that open links do not unsubscribe anybody by a GET.
func (h *Handler) UnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("t")
	_, c, mode, err := h.unsubscribeTarget(r.Context(), token)
	if err != nil {
		return h.badLink(w, r, err)
	}
	return httpx.Render(w, r, http.StatusOK, UnsubscribePage(httpx.PageFor(r, "Afmelden voor e-mail"), token, what(c, mode), nil))
}

// Unsubscribe stops the mail the link names; it needs no session. Mail
// programs POST here with "List-Unsubscribe=One-Click" (RFC 8058).
func (h *Handler) Unsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("t")
	if token == "" {
		_ = r.ParseForm()
		token = r.PostForm.Get("t")
	}
	account, c, mode, err := h.unsubscribeTarget(r.Context(), token)
	if err != nil {
		return h.badLink(w, r, err)
	}
	changed, err := h.store.Unsubscribe(r.Context(), account, c, mode)
	if err != nil {
		return err
	}
	labels := make([]string, len(changed))
	for i, cat := range changed {
		labels[i] = cat.Label()
	}
	return httpx.Render(w, r, http.StatusOK, UnsubscribePage(httpx.PageFor(r, "Afgemeld"), "", what(c, mode), labels))
}

func what(c Category, mode Mode) string {
	if c != "" {
		return "e-mail over ‘" + c.Label() + "’"
	}
	return strings.ToLower(mode.Label()) + " (het overzicht)"
}

// badLink answers a tampered or expired link with a Dutch page that says
// nothing about any account.
func (h *Handler) badLink(w http.ResponseWriter, r *http.Request, err error) error {
	status, expired, ok := signedlink.Refusal(err)
	if !ok {
		return err
	}
	return httpx.Render(w, r, status, BadLinkPage(httpx.PageFor(r, "Deze link werkt niet"), expired))
}

// Queue shows administrators the job queue: waiting, failed, last errors.
func (h *Handler) Queue(w http.ResponseWriter, r *http.Request) error {
	q, err := h.store.Queue(r.Context())
	if err != nil {
		return err
	}
	p := httpx.PageFor(r, "Wachtrij van e-mails")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, QueuePage(p, q))
}

// AccountSection is the block on /account that links to the preferences.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if v == nil {
		return nil, nil
	}
	prefs, err := h.store.Preferences(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	return AccountSection(shownTo(v), prefs, v.EmailConfirmed), nil
}
