package message

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves conversations, the start form, blocking, reporting and the
// administrators' list of reported messages.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	audit    *audit.Log
	// limit counts the messages of each sender (PerHour per hour).
	limit *ratelimit.Limiter
}

// NewHandler returns a Handler with the usual limit (PerHour), counted in
// the store's database.
func NewHandler(store *Store, sm *scs.SessionManager, log *audit.Log) *Handler {
	return &Handler{store: store, sessions: sm, audit: log,
		limit: ratelimit.New(store.db, "message-sender", PerHour, time.Hour)}
}

// viewerOf is the store's view of the logged-in user. Municipality officers
// see no residents' talents (DOMAIN.md), so they cannot write about one.
func viewerOf(v *httpx.Viewer) Viewer {
	officerOnly := v.Has(role.Officer) && !v.Has(role.Worker) && !v.Has(role.Admin)
	return Viewer{ID: v.ID, Talents: !officerOnly}
}

func parseSubject(kind, id string) (SubjectKind, int64, bool) {
	k := SubjectKind(kind)
	n, err := strconv.ParseInt(id, 10, 64)
	if !k.Valid() || err != nil || n <= 0 {
		return "", 0, false
	}
	return k, n, true
}

// parseArea reads the neighbourhood of a message to a worker (&buurt=id);
// other kinds have none (0).
func parseArea(k SubjectKind, raw string) int64 {
	if k != AboutWorker {
		return 0
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// readBody validates the message field and returns it; the text is kept as
// typed (made printable) when it is refused.
func readBody(raw string, errs validate.Errors) string {
	body := errs.Text("bericht", raw, validate.Rule{Required: true, Max: MaxBody, Multiline: true})
	if !errs.Valid() {
		return printable(raw)
	}
	return body
}

// printable is s as a form can show it again: valid UTF-8 without NUL bytes.
func printable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// refusal turns a refused send into the message next to the field.
func refusal(err error) (string, bool) {
	switch {
	case errors.Is(err, ErrBlocked):
		return msgBlocked, true
	case errors.Is(err, ErrLinkTooEarly):
		return msgLinkTooEarly, true
	case errors.Is(err, ErrNoRecipient):
		return msgNoRecipient, true
	}
	return "", false
}

// allow counts one message of v against the hourly limit; when it is used
// up it sets Retry-After and returns the notice to show.
func (h *Handler) allow(w http.ResponseWriter, r *http.Request, v *httpx.Viewer) (string, error) {
	ok, retry, err := h.limit.Allow(r.Context(), strconv.FormatInt(v.ID, 10))
	if err != nil || ok {
		return "", err
	}
	w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
	return msgTooMany(retry), nil
}

// New shows the form to start a conversation about an initiative, an offer
// of help or an asset (?over=…&id=…).
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	kind, id, ok := parseSubject(r.URL.Query().Get("over"), r.URL.Query().Get("id"))
	if !ok {
		return httpx.ErrNotFound
	}
	area := parseArea(kind, r.URL.Query().Get("buurt"))
	return h.renderStart(w, r, http.StatusOK, Draft{Kind: kind, ID: id, Area: area, Key: uuid.New()}, nil, "")
}

// Create sends the first message, or adds it to the conversation these
// people already have about the subject, and goes to the conversation.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	kind, id, ok := parseSubject(r.PostForm.Get("over"), r.PostForm.Get("id"))
	if !ok {
		return httpx.ErrNotFound
	}
	d := Draft{Kind: kind, ID: id, Area: parseArea(kind, r.PostForm.Get("buurt")), Key: r.PostForm.Get("sleutel")}
	if !uuid.Valid(d.Key) {
		return httpx.ErrBadRequest
	}
	if !v.EmailConfirmed {
		d.Body = printable(r.PostForm.Get("bericht"))
		return h.renderStart(w, r, http.StatusForbidden, d, nil, msgNotSent)
	}
	errs := validate.Errors{}
	d.Body = readBody(r.PostForm.Get("bericht"), errs)
	if !errs.Valid() {
		return h.renderStart(w, r, http.StatusUnprocessableEntity, d, errs, "")
	}
	notice, err := h.allow(w, r, v)
	if err != nil {
		return err
	}
	if notice != "" {
		return h.renderStart(w, r, http.StatusTooManyRequests, d, nil, notice)
	}
	sv := viewerOf(v)
	sv.Area = d.Area
	conv, err := h.store.Start(r.Context(), kind, id, sv, d.Body, d.Key)
	if msg, ok := refusal(err); ok {
		return h.renderStart(w, r, http.StatusUnprocessableEntity, d, validate.Errors{"bericht": msg}, "")
	}
	if errors.Is(err, ErrSelf) {
		return h.renderStart(w, r, http.StatusUnprocessableEntity, d, nil, "")
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashSent)
	return httpx.Redirect(w, r, Path(conv))
}

// renderStart shows the start form of d with its recipients, or why there
// is none (one's own subject, nobody left, an unconfirmed address).
func (h *Handler) renderStart(w http.ResponseWriter, r *http.Request, status int, d Draft, errs validate.Errors, notice string) error {
	v := httpx.ViewerFrom(r.Context())
	vw := viewerOf(v)
	vw.Area = d.Area
	sub, err := h.store.Subject(r.Context(), d.Kind, d.ID, vw)
	sv := StartView{Subject: sub, Draft: d, Errs: errs, Notice: notice, Unconfirmed: !v.EmailConfirmed}
	switch {
	case errors.Is(err, ErrSelf):
		sv.Problem = selfProblem(d.Kind)
	case errors.Is(err, ErrNoRecipient):
		sv.Problem = msgNobody
	case err != nil:
		return err
	}
	if sv.Problem != "" && status != http.StatusOK {
		status = http.StatusUnprocessableEntity
	}
	return httpx.Render(w, r, status, StartPage(httpx.PageFor(r, "Bericht sturen"), sv))
}

// List shows the viewer's conversations, latest activity first.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	before, err := strconv.ParseInt(r.URL.Query().Get("na"), 10, 64)
	if err != nil || before < 0 {
		before = 0
	}
	items, more, err := h.store.List(r.Context(), v.ID, before)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ListPage(httpx.PageFor(r, "Berichten"), items, more, before > 0))
}

// Show is a conversation, for its participants only; it marks it read.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderThread(w, r, http.StatusOK, id, Draft{Key: uuid.New()}, nil, "")
}

// Reply adds the viewer's message to a conversation they take part in.
func (h *Handler) Reply(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	d := Draft{Key: r.PostForm.Get("sleutel")}
	if !uuid.Valid(d.Key) {
		return httpx.ErrBadRequest
	}
	if !v.EmailConfirmed {
		d.Body = printable(r.PostForm.Get("bericht"))
		return h.renderThread(w, r, http.StatusForbidden, id, d, nil, msgNotSent)
	}
	errs := validate.Errors{}
	d.Body = readBody(r.PostForm.Get("bericht"), errs)
	if !errs.Valid() {
		return h.renderThread(w, r, http.StatusUnprocessableEntity, id, d, errs, "")
	}
	notice, err := h.allow(w, r, v)
	if err != nil {
		return err
	}
	if notice != "" {
		return h.renderThread(w, r, http.StatusTooManyRequests, id, d, nil, notice)
	}
	err = h.store.Reply(r.Context(), id, v.ID, d.Body, d.Key)
	if msg, ok := refusal(err); ok {
		return h.renderThread(w, r, http.StatusUnprocessableEntity, id, d, validate.Errors{"bericht": msg}, "")
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashSent)
	return httpx.Redirect(w, r, Path(id)+"#antwoorden")
}

// renderThread shows conversation id with the reply form holding d.
func (h *Handler) renderThread(w http.ResponseWriter, r *http.Request, status int, id int64, d Draft, errs validate.Errors, notice string) error {
	v := httpx.ViewerFrom(r.Context())
	t, err := h.store.Thread(r.Context(), id, v.ID)
	if err != nil {
		return err
	}
	tv := ThreadView{Thread: t, Viewer: v.ID, Reply: d, Errs: errs, Notice: notice, Unconfirmed: !v.EmailConfirmed}
	return httpx.Render(w, r, status, ThreadPage(httpx.PageFor(r, "Gesprek over ‘"+t.Title+"’"), tv))
}

// other is the participant the block form names ("persoon"), or the only
// other participant when it names none.
func (h *Handler) other(r *http.Request, conv int64) (Other, error) {
	v := httpx.ViewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return Other{}, httpx.ErrBadRequest
	}
	t, err := h.store.Thread(r.Context(), conv, v.ID)
	if err != nil {
		return Other{}, err
	}
	raw := r.PostForm.Get("persoon")
	if raw == "" && len(t.Others) == 1 {
		return t.Others[0], nil
	}
	who, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return Other{}, ErrNotFound
	}
	if i := slices.IndexFunc(t.Others, func(o Other) bool { return o.ID == who }); i >= 0 {
		return t.Others[i], nil
	}
	return Other{}, ErrNotFound
}

// Block stops another participant of the conversation sending the viewer
// messages, in this and every other conversation.
func (h *Handler) Block(w http.ResponseWriter, r *http.Request) error {
	return h.setBlock(w, r, true)
}

// Unblock lifts a block again.
func (h *Handler) Unblock(w http.ResponseWriter, r *http.Request) error {
	return h.setBlock(w, r, false)
}

func (h *Handler) setBlock(w http.ResponseWriter, r *http.Request, block bool) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	o, err := h.other(r, id)
	if err != nil {
		return err
	}
	flash := flashUnblocked
	if block {
		flash = flashBlocked
		err = h.store.Block(r.Context(), id, v.ID, o.ID)
	} else {
		err = h.store.Unblock(r.Context(), id, v.ID, o.ID)
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, fmt.Sprintf(flash, o.Name))
	return httpx.Redirect(w, r, Path(id)+"#blokkeren")
}

// ReportForm asks why a message is reported.
func (h *Handler) ReportForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderReport(w, r, http.StatusOK, "", nil)
}

// Report records the report of a message for the administrators.
func (h *Handler) Report(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	conv, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	msg, err := httpx.PathID(r, "messageID")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	errs.Check(strings.TrimSpace(r.PostForm.Get("reden")) != "", "reden", msgReasonMissing)
	reason := errs.Text("reden", r.PostForm.Get("reden"), validate.Rule{Required: true, Max: MaxReason, Multiline: true})
	if !errs.Valid() {
		return h.renderReport(w, r, http.StatusUnprocessableEntity, printable(r.PostForm.Get("reden")), errs)
	}
	err = h.store.Report(r.Context(), conv, msg, v.ID, reason)
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashReported)
	return httpx.Redirect(w, r, Path(conv))
}

func (h *Handler) renderReport(w http.ResponseWriter, r *http.Request, status int, reason string, errs validate.Errors) error {
	v := httpx.ViewerFrom(r.Context())
	conv, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	msg, err := httpx.PathID(r, "messageID")
	if err != nil {
		return err
	}
	m, title, err := h.store.Reportable(r.Context(), conv, msg, v.ID)
	if err != nil {
		return err
	}
	rv := ReportView{Conversation: conv, Title: title, Message: m, Reason: reason, Errs: errs}
	return httpx.Render(w, r, status, ReportPage(httpx.PageFor(r, "Bericht melden"), rv))
}

// Reports shows administrators the reported messages: each message with
// its sender, reporter and reason, and nothing else of any conversation.
// Every look is on the audit trail.
func (h *Handler) Reports(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	reports, total, err := h.store.Reports(r.Context())
	if err != nil {
		return err
	}
	if err := h.audit.Record(r.Context(), v.ID, "message.reports.view", "message_report", 0,
		fmt.Sprintf("%d gemelde berichten bekeken", len(reports))); err != nil {
		return err
	}
	p := httpx.PageFor(r, "Gemelde berichten")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, ReportsPage(p, reports, total))
}
