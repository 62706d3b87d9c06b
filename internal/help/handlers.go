package help

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves the help pages and the neighbourhood page's section.
type Handler struct {
	store         *Store
	sessions      *scs.SessionManager
	conversations Conversations
	now           func() time.Time
	// answers counts each person's answers: they are messages, so they
	// share the messages' hourly allowance (limit "message-sender").
	answers *ratelimit.Limiter
}

// AnswersPerHour is the messages' hourly allowance (message.PerHour),
// which answers count against.
const AnswersPerHour = 30

// NewHandler returns a Handler on store; conversations starts the
// conversation of an answer (internal/message).
func NewHandler(store *Store, sessions *scs.SessionManager, conversations Conversations) *Handler {
	return &Handler{store: store, sessions: sessions, conversations: conversations, now: time.Now,
		answers: ratelimit.New(store.db, "message-sender", AnswersPerHour, time.Hour)}
}

// Path is the page of request id.
func Path(id int64) string { return "/burenhulp/" + strconv.FormatInt(id, 10) }

// ScopeOf is the scope of viewer v (nil: anonymous, who sees nothing).
// Municipality officers see aggregates only: no first names of residents.
func ScopeOf(v *httpx.Viewer) Scope {
	if v == nil {
		return Scope{Areas: []int64{}}
	}
	sc := Scope{AccountID: v.ID, Admin: v.Has(role.Admin), Areas: []int64{}}
	sc.Member = !v.Has(role.Officer) || v.Has(role.Resident) || v.Has(role.Worker) || sc.Admin
	if v.Has(role.Worker) && v.WorkAreas != nil {
		sc.Areas = v.WorkAreas
	}
	return sc
}

// List shows the open requests and offers near the viewer's home, and
// their own.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	sc := ScopeOf(v)
	choices, err := h.store.Choices(r.Context(), v.ID)
	if err != nil {
		return err
	}
	near, err := h.store.Near(r.Context(), sc, 0, 100)
	if err != nil {
		return err
	}
	mine, err := h.store.Mine(r.Context(), v.ID)
	if err != nil {
		return err
	}
	lv := ListView{Near: near, Mine: mine, HasHome: len(choices) > 0, CanAsk: v.Has(role.Resident),
		Worker: len(sc.Areas) > 0}
	if lv.HasHome {
		lv.Home = choices[0].Name
	}
	return httpx.Render(w, r, http.StatusOK, ListPage(httpx.PageFor(r, "Burenhulp"), lv))
}

// Areas shows a worker the open requests and offers of their work areas,
// those nobody answered first, so they can bridge.
func (h *Handler) Areas(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	items, err := h.store.InAreas(r.Context(), v.ID, v.WorkAreas)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, AreasPage(httpx.PageFor(r, "Burenhulp in je werkgebieden"), items))
}

// New shows the form to ask for help (?soort=aanbod: to offer it), starting
// from the home neighbourhood.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	today := Today(h.now())
	f := Form{Kind: string(Ask), Key: uuid.New(),
		From: today.Format(dateLayout), Until: today.AddDate(0, 0, DefaultDays).Format(dateLayout)}
	if r.URL.Query().Get("soort") == string(Offer) {
		f.Kind = string(Offer)
	}
	return h.renderForm(w, r, http.StatusOK, v.ID, f, nil)
}

func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, account int64, f Form, errs validate.Errors) error {
	choices, err := h.store.Choices(r.Context(), account)
	if err != nil {
		return err
	}
	if f.Neighbourhood == "" && len(choices) > 0 {
		f.Neighbourhood = strconv.FormatInt(choices[0].ID, 10)
	}
	today := Today(h.now())
	fv := FormView{Form: f, Errors: errs, Choices: choices,
		Min: today.Format(dateLayout), Max: today.AddDate(0, 0, MaxDays).Format(dateLayout)}
	title := "Hulp vragen"
	if f.Kind == string(Offer) {
		title = "Hulp aanbieden"
	}
	return httpx.Render(w, r, status, FormPage(httpx.PageFor(r, title), fv))
}

// Create stores a request or offer; bad input shows the form again (422)
// with everything typed.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	pf := r.PostForm
	f := Form{Kind: pf.Get("soort"), Category: pf.Get("categorie"), Body: pf.Get("tekst"), Neighbourhood: pf.Get("buurt"),
		From: pf.Get("van"), Until: pf.Get("tot"), Key: pf.Get("sleutel")}
	if !uuid.Valid(f.Key) {
		return httpx.ErrBadRequest
	}
	choices, err := h.store.Choices(r.Context(), v.ID)
	if err != nil {
		return err
	}
	in, errs := f.Validate(Today(h.now()), func(id int64) bool {
		for _, c := range choices {
			if c.ID == id {
				return true
			}
		}
		return false
	})
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, v.ID, f, errs)
	}
	id, err := h.store.Create(r.Context(), v.ID, in)
	if errors.Is(err, ErrNotFound) { // the home changed meanwhile
		return h.renderForm(w, r, http.StatusUnprocessableEntity, v.ID, f, validate.Errors{"buurt": msgNeighbourhoodUnknown})
	}
	if err != nil {
		return err
	}
	if in.Kind == Offer {
		httpx.Flash(h.sessions, r, flashCreatedOffer)
	} else {
		httpx.Flash(h.sessions, r, flashCreatedAsk)
	}
	return httpx.Redirect(w, r, Path(id))
}

// load returns the request of the path as the viewer may see it.
func (h *Handler) load(r *http.Request) (Request, Scope, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Request{}, Scope{}, err
	}
	sc := ScopeOf(httpx.ViewerFrom(r.Context()))
	req, err := h.store.Get(r.Context(), id, sc)
	return req, sc, err
}

// Show shows one request or offer with the answer form or, to its author,
// the buttons to close it.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	req, sc, err := h.load(r)
	if err != nil {
		return err
	}
	return h.renderShow(w, r, http.StatusOK, req, sc, RespondForm{Key: uuid.New()}, nil)
}

func (h *Handler) renderShow(w http.ResponseWriter, r *http.Request, status int, req Request, sc Scope, f RespondForm, errs validate.Errors) error {
	sv := ShowView{Request: req, Mine: req.AuthorID == sc.AccountID, Form: f, Errors: errs}
	if !sv.Mine && req.Responded {
		conv, err := h.store.Conversation(r.Context(), req.ID, sc.AccountID)
		if err != nil {
			return err
		}
		sv.Conversation = conv
	}
	sv.CanRespond = !sv.Mine && req.Open() && sv.Conversation == 0
	return httpx.Render(w, r, status, ShowPage(httpx.PageFor(r, KindLabel(req.Kind)+": "+CategoryLabel(req.Category)), sv))
}

// Respond answers a request ("Ik kan helpen") or an offer ("Ik wil dit
// graag"): a first message to the author, in a new conversation.
func (h *Handler) Respond(w http.ResponseWriter, r *http.Request) error {
	req, sc, err := h.load(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := RespondForm{Body: r.PostForm.Get("bericht"), Key: r.PostForm.Get("sleutel")}
	if !uuid.Valid(f.Key) {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	if t, ok := validate.CleanText(f.Body, true); ok && t == "" {
		errs.Add("bericht", msgRespondMissing)
	} else if body := errs.Text("bericht", f.Body, validate.Rule{Required: true, Max: 4000, Multiline: true}); errs.Valid() {
		f.Body = body
	}
	if !errs.Valid() {
		return h.renderShow(w, r, http.StatusUnprocessableEntity, req, sc, f, errs)
	}
	ok, retry, err := h.answers.Allow(r.Context(), strconv.FormatInt(sc.AccountID, 10))
	if err != nil {
		return err
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
		return h.renderShow(w, r, http.StatusTooManyRequests, req, sc, f, validate.Errors{"bericht": msgTooMany})
	}
	conv, refused, err := h.store.Respond(r.Context(), req.ID, sc, f.Body, f.Key, h.conversations)
	if errors.Is(err, ErrClosed) {
		httpx.FlashError(h.sessions, r, flashClosed)
		return httpx.Redirect(w, r, Path(req.ID))
	}
	if err != nil {
		return err
	}
	if refused != "" {
		return h.renderShow(w, r, http.StatusUnprocessableEntity, req, sc, f, validate.Errors{"bericht": refused})
	}
	httpx.Flash(h.sessions, r, flashResponded)
	return httpx.Redirect(w, r, "/berichten/"+strconv.FormatInt(conv, 10))
}

// Helped marks the viewer's own request or offer helped.
func (h *Handler) Helped(w http.ResponseWriter, r *http.Request) error {
	return h.close(w, r, Helped, flashHelped)
}

// Withdraw withdraws the viewer's own request or offer.
func (h *Handler) Withdraw(w http.ResponseWriter, r *http.Request) error {
	return h.close(w, r, Withdrawn, flashWithdrawn)
}

func (h *Handler) close(w http.ResponseWriter, r *http.Request, to Status, flash string) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v := httpx.ViewerFrom(r.Context())
	err = h.store.Close(r.Context(), id, v.ID, to)
	switch {
	case errors.Is(err, ErrClosed):
		httpx.FlashError(h.sessions, r, flashClosed)
	case err != nil:
		return err
	default:
		httpx.Flash(h.sessions, r, flash)
	}
	return httpx.Redirect(w, r, Path(id))
}

// RequireVisible lets a request through to the report form only when the
// viewer may see help request {id}: moderation's own check knows nothing
// of neighbourhoods.
func (h *Handler) RequireVisible(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := h.load(r); err != nil {
			httpx.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
