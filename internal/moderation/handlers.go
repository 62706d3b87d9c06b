package moderation

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves reporting, the moderation queue and suspensions.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	audit    *audit.Log
	reports  *ratelimit.Limiter // reports per person
}

// ReportsPerHour is how many reports one person may make in an hour: plenty
// for real use, and a cap on flooding the queue.
const ReportsPerHour = 20

// NewHandler returns the moderation handler.
func NewHandler(store *Store, db *pgxpool.Pool, sessions *scs.SessionManager, log *audit.Log) *Handler {
	return &Handler{store: store, sessions: sessions, audit: log,
		reports: ratelimit.New(db, "moderation-report", ReportsPerHour, time.Hour)}
}

// talents reports whether v may see residents' talents: an officer who is
// not also a worker or administrator does not (as on the asset pages).
func talents(v *httpx.Viewer) bool {
	return !(v.Has(role.Officer) && !v.Has(role.Worker) && !v.Has(role.Admin))
}

// ReportView is the report form of one item.
type ReportView struct {
	Subject Subject
	Action  string
	Reason  string
}

// ReportForm shows the form to report an item of kind k.
func (h *Handler) ReportForm(k Kind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		sub, err := h.reportable(r, k)
		if err != nil {
			return err
		}
		return h.renderReport(w, r, http.StatusOK, ReportView{Subject: sub, Action: r.URL.Path}, nil)
	}
}

func (h *Handler) reportable(r *http.Request, k Kind) (Subject, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Subject{}, err
	}
	v := httpx.ViewerFrom(r.Context())
	sub, err := h.store.Subject(r.Context(), k, id, talents(v))
	if err != nil {
		return Subject{}, err
	}
	// What the viewer cannot see, or wrote themselves, is not theirs to report.
	if !sub.Reportable || slices.Contains(sub.Authors, v.ID) {
		return Subject{}, ErrNotFound
	}
	return sub, nil
}

// Report records a report of an item of kind k.
func (h *Handler) Report(k Kind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		sub, err := h.reportable(r, k)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return httpx.ErrBadRequest
		}
		v := httpx.ViewerFrom(r.Context())
		rv := ReportView{Subject: sub, Action: r.URL.Path, Reason: r.PostForm.Get("reden")}
		errs := validate.Errors{}
		errs.Check(strings.TrimSpace(rv.Reason) != "", "reden", msgReportMissing)
		if errs.Valid() {
			rv.Reason = errs.Text("reden", rv.Reason, validate.Rule{Required: true, Max: MaxReport, Multiline: true})
		}
		if !errs.Valid() {
			return h.renderReport(w, r, http.StatusUnprocessableEntity, rv, errs)
		}
		ok, retry, err := h.reports.Allow(r.Context(), strconv.FormatInt(v.ID, 10))
		if err != nil {
			return err
		}
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
			errs.Add("reden", flashTooManyReport)
			return h.renderReport(w, r, http.StatusTooManyRequests, rv, errs)
		}
		if _, err := h.store.Report(r.Context(), k, sub.ID, v.ID, talents(v), rv.Reason); err != nil {
			return err
		}
		httpx.Flash(h.sessions, r, flashReported)
		return httpx.Redirect(w, r, sub.Link)
	}
}

func (h *Handler) renderReport(w http.ResponseWriter, r *http.Request, status int, rv ReportView, errs validate.Errors) error {
	p := httpx.PageFor(r, "Melden bij de beheerder")
	return httpx.Render(w, r, status, ReportPage(p, rv, errs))
}

// QueueView is the moderation queue page.
type QueueView struct {
	Items  []QueueItem
	Total  int
	Hidden []HiddenItem
}

// Queue shows administrators every open report of every kind, newest
// first, and what is hidden. It shows reported messages' text, so every
// look is on the audit trail.
func (h *Handler) Queue(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	items, total, err := h.store.Queue(r.Context())
	if err != nil {
		return err
	}
	hidden, err := h.store.Hidden(r.Context())
	if err != nil {
		return err
	}
	if err := h.audit.View(r.Context(), v.ID, "moderation.queue.view", "report", 0,
		fmt.Sprintf("%d gemelde items bekeken", len(items))); err != nil {
		return err
	}
	p := httpx.PageFor(r, "Moderatie")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, QueuePage(p, QueueView{Items: items, Total: total, Hidden: hidden}))
}

// target reads the item an administrator acts on: kind and id from the
// query (GET) or the form (POST).
func target(r *http.Request) (Kind, int64, error) {
	get := r.URL.Query().Get
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return "", 0, httpx.ErrBadRequest
		}
		get = r.PostForm.Get
	}
	k := Kind(get("soort"))
	id, err := strconv.ParseInt(get("id"), 10, 64)
	if !k.Valid() || err != nil || id <= 0 {
		return "", 0, ErrNotFound
	}
	return k, id, nil
}

// HideView is the form to hide one item.
type HideView struct {
	Subject Subject
	Reason  string
}

// HideForm asks for the reason to hide an item.
func (h *Handler) HideForm(w http.ResponseWriter, r *http.Request) error {
	k, id, err := target(r)
	if err != nil {
		return err
	}
	if !k.Hideable() {
		return ErrNotFound
	}
	sub, err := h.store.Subject(r.Context(), k, id, true)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, HidePage(httpx.PageFor(r, "Verbergen"), HideView{Subject: sub}, nil))
}

// Hide hides an item with a reason its author sees.
func (h *Handler) Hide(w http.ResponseWriter, r *http.Request) error {
	k, id, err := target(r)
	if err != nil {
		return err
	}
	if !k.Hideable() {
		return ErrNotFound
	}
	sub, err := h.store.Subject(r.Context(), k, id, true)
	if err != nil {
		return err
	}
	errs := validate.Errors{}
	raw := r.PostForm.Get("reden")
	errs.Check(strings.TrimSpace(raw) != "", "reden", msgReasonMissing)
	reason := raw
	if errs.Valid() {
		reason = errs.Text("reden", raw, validate.Rule{Required: true, Max: MaxReason, Multiline: true})
	}
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, HidePage(httpx.PageFor(r, "Verbergen"), HideView{Subject: sub, Reason: raw}, errs))
	}
	if err := h.store.SetHidden(r.Context(), k, id, reason, httpx.ViewerFrom(r.Context()).ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashHidden)
	return httpx.Redirect(w, r, QueuePath)
}

// Show makes a hidden item visible again.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	k, id, err := target(r)
	if err != nil {
		return err
	}
	if err := h.store.SetHidden(r.Context(), k, id, "", httpx.ViewerFrom(r.Context()).ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashShown)
	return httpx.Redirect(w, r, QueuePath)
}

// Dismiss rejects the open reports of an item; it stays as it is.
func (h *Handler) Dismiss(w http.ResponseWriter, r *http.Request) error {
	k, id, err := target(r)
	if err != nil {
		return err
	}
	if err := h.store.Dismiss(r.Context(), k, id, httpx.ViewerFrom(r.Context()).ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashDismissed)
	return httpx.Redirect(w, r, QueuePath)
}

// QueuePath is the moderation queue.
const QueuePath = "/beheer/moderatie"

func accountPath(id int64) string { return "/beheer/accounts/" + strconv.FormatInt(id, 10) }

// SuspendView is the suspension form.
type SuspendView struct {
	Person Person
	Reason string
	Hide   bool
}

// SuspendForm asks for the reason to suspend an account.
func (h *Handler) SuspendForm(w http.ResponseWriter, r *http.Request) error {
	p, err := h.person(r)
	if err != nil {
		return err
	}
	if p.Suspended {
		httpx.Flash(h.sessions, r, msgAlreadySusp)
		return httpx.Redirect(w, r, accountPath(p.ID))
	}
	errs := validate.Errors{}
	if p.ID == httpx.ViewerFrom(r.Context()).ID {
		errs.Add("reden", msgSelf)
	}
	return h.renderSuspend(w, r, http.StatusOK, SuspendView{Person: p}, errs)
}

func (h *Handler) person(r *http.Request) (Person, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Person{}, err
	}
	return h.store.Person(r.Context(), id)
}

func (h *Handler) renderSuspend(w http.ResponseWriter, r *http.Request, status int, sv SuspendView, errs validate.Errors) error {
	return httpx.Render(w, r, status, SuspendPage(httpx.PageFor(r, "Account schorsen: "+sv.Person.Name), sv, errs))
}

// Suspend suspends an account: login refused, sessions and tokens ended,
// and on request its public content hidden.
func (h *Handler) Suspend(w http.ResponseWriter, r *http.Request) error {
	p, err := h.person(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	sv := SuspendView{Person: p, Reason: r.PostForm.Get("reden"), Hide: r.PostForm.Get("verbergen") == "ja"}
	errs := validate.Errors{}
	errs.Check(strings.TrimSpace(sv.Reason) != "", "reden", msgSuspendMissing)
	reason := sv.Reason
	if errs.Valid() {
		reason = errs.Text("reden", sv.Reason, validate.Rule{Required: true, Max: MaxReason, Multiline: true})
	}
	if errs.Valid() {
		err = h.store.Suspend(r.Context(), p.ID, httpx.ViewerFrom(r.Context()).ID, reason, sv.Hide)
		switch {
		case errors.Is(err, ErrSelf):
			errs.Add("reden", msgSelf)
		case errors.Is(err, ErrLastAdmin):
			errs.Add("reden", msgLastAdmin)
		case errors.Is(err, ErrSuspended):
			errs.Add("reden", msgAlreadySusp)
		case err != nil:
			return err
		}
	}
	if !errs.Valid() {
		return h.renderSuspend(w, r, http.StatusUnprocessableEntity, sv, errs)
	}
	httpx.Flash(h.sessions, r, flashSuspended)
	return httpx.Redirect(w, r, accountPath(p.ID))
}

// Lift ends a suspension.
func (h *Handler) Lift(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	err = h.store.Lift(r.Context(), id, httpx.ViewerFrom(r.Context()).ID)
	switch {
	case errors.Is(err, ErrNotSuspended):
		httpx.Flash(h.sessions, r, flashNotSuspended)
	case err != nil:
		return err
	default:
		httpx.Flash(h.sessions, r, flashLifted)
	}
	return httpx.Redirect(w, r, accountPath(id))
}
