package event

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Handler serves the agenda pages, the event pages and forms, the
// iCalendar feeds, and the agenda sections of the neighbourhood and
// initiative pages.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	baseURL  string
	now      func() time.Time
	// Photos shows the event's photos on its page; nil shows none.
	Photos Photos
}

// Photos renders an event's photos on its page (internal/photo); the app
// wires it. A nil Photos shows nothing.
type Photos interface {
	EventPhotos(ctx context.Context, id int64, v *httpx.Viewer) (templ.Component, error)
}

// NewHandler returns the agenda handler; baseURL makes the feeds' links
// absolute and names the host of their UIDs.
func NewHandler(store *Store, sessions *scs.SessionManager, baseURL string) *Handler {
	return &Handler{store: store, sessions: sessions, baseURL: baseURL, now: time.Now}
}

// AgendaSize is how many events an agenda page shows.
const AgendaSize = 50

// Agenda is /agenda: every upcoming event, or those of one municipality
// (?gemeente=GM…) or district (?wijk=WK…), filtered by theme and date.
func (h *Handler) Agenda(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var place *Place
	switch {
	case q.Has("wijk"):
		if !cbs.IsDistrict(q.Get("wijk")) {
			return httpx.ErrNotFound
		}
		p, err := h.store.PlaceByCode(r.Context(), "wijk", q.Get("wijk"))
		if err != nil {
			return err
		}
		place = &p
	case q.Has("gemeente"):
		if !cbs.IsMunicipality(q.Get("gemeente")) {
			return httpx.ErrNotFound
		}
		p, err := h.store.PlaceByCode(r.Context(), "gemeente", q.Get("gemeente"))
		if err != nil {
			return err
		}
		place = &p
	}
	return h.renderAgenda(w, r, place)
}

// NeighbourhoodAgenda is /buurten/{code}/agenda.
func (h *Handler) NeighbourhoodAgenda(w http.ResponseWriter, r *http.Request) error {
	p, err := h.neighbourhood(r)
	if err != nil {
		return err
	}
	return h.renderAgenda(w, r, &p)
}

func (h *Handler) neighbourhood(r *http.Request) (Place, error) {
	code := chi.URLParam(r, "code")
	if !cbs.IsNeighbourhood(code) {
		return Place{}, httpx.ErrNotFound
	}
	return h.store.PlaceByCode(r.Context(), "buurt", code)
}

func (h *Handler) renderAgenda(w http.ResponseWriter, r *http.Request, place *Place) error {
	v := httpx.ViewerFrom(r.Context())
	q := r.URL.Query()
	now := h.now()
	av := AgendaView{Place: place, Query: AgendaQuery{Theme: q.Get("thema"), From: q.Get("van"), To: q.Get("tot")}, LoggedIn: v != nil}
	f := Filter{From: now, Limit: AgendaSize}
	if place != nil {
		switch place.Kind {
		case "buurt":
			f.Area.NeighbourhoodID = place.ID
		case "wijk":
			f.Area.DistrictID = place.ID
		default:
			f.Area.MunicipalityID = place.ID
		}
	}
	if theme.Valid(av.Query.Theme) {
		f.Theme = av.Query.Theme
	} else if av.Query.Theme != "" {
		av.Errors = validate.Errors{"thema": msgThemeUnknown}
		av.Query.Theme = ""
	}
	if av.Query.From != "" {
		if d, err := time.ParseInLocation(time.DateOnly, av.Query.From, dutch.Amsterdam); err == nil {
			if d.After(f.From) {
				f.From = d
			}
		} else {
			av.errs().Add("van", msgDateInvalid)
			av.Query.From = "" // a date field cannot show what was typed
		}
	}
	if av.Query.To != "" {
		if d, err := time.ParseInLocation(time.DateOnly, av.Query.To, dutch.Amsterdam); err == nil {
			f.To = d.AddDate(0, 0, 1) // the whole day
		} else {
			av.errs().Add("tot", msgDateInvalid)
			av.Query.To = ""
		}
	}
	var err error
	if av.Events, av.More, err = h.store.List(r.Context(), ViewerOf(v), f); err != nil {
		return err
	}
	av.CanPublish = v.Has(role.Worker) || v.Has(role.Resident)
	status := http.StatusOK
	if len(av.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	p := httpx.PageFor(r, av.Title())
	p.Description = "Wat er te doen is: bijeenkomsten van bewoners en opbouwwerkers."
	return httpx.Render(w, r, status, AgendaPage(p, av))
}

// load reads the event of the path as the viewer may see it. An anonymous
// visitor of a members-only event is asked to log in.
func (h *Handler) load(r *http.Request) (Event, Access, *httpx.Viewer, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Event{}, Access{}, nil, err
	}
	v := httpx.ViewerFrom(r.Context())
	e, a, err := h.store.Get(r.Context(), id, ViewerOf(v))
	if errors.Is(err, ErrNotFound) && v == nil {
		if members, merr := h.store.MembersOnly(r.Context(), id); merr == nil && members {
			return Event{}, Access{}, nil, httpx.ErrUnauthorized
		}
	}
	return e, a, v, err
}

// Show is the event page.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	e, a, v, err := h.load(r)
	if err != nil {
		return err
	}
	return h.renderShow(w, r, http.StatusOK, e, a, v, CancelForm{}, nil)
}

func (h *Handler) renderShow(w http.ResponseWriter, r *http.Request, status int, e Event, a Access, v *httpx.Viewer, cf CancelForm, errs validate.Errors) error {
	now := h.now()
	sv := ShowView{E: e, A: a, LoggedIn: v != nil, Now: now, Cancel: cf, Errors: errs}
	if a.Organiser {
		var err error
		if sv.SignUps, err = h.store.SignUps(r.Context(), e.ID, v.ID); err != nil {
			return err
		}
	}
	if h.Photos != nil {
		var err error
		if sv.Photos, err = h.Photos.EventPhotos(r.Context(), e.ID, v); err != nil {
			return err
		}
	}
	sv.CanLogActivity = v.Has(role.Worker) && a.LogsActivity && e.Past(now) && !e.Cancelled()
	sv.CanReport = v != nil && !a.Organiser && !e.Hidden()
	p := httpx.PageFor(r, e.Title)
	p.Description = when(e.StartsAt, e.EndsAt) + ", " + e.Place()
	return httpx.Render(w, r, status, ShowPage(p, sv))
}

// SignUp signs the viewer up (or onto the waiting list).
func (h *Handler) SignUp(w http.ResponseWriter, r *http.Request) error {
	e, _, v, err := h.load(r)
	if err != nil {
		return err
	}
	st, already, err := h.store.SignUp(r.Context(), e.ID, v.ID, h.now())
	switch {
	case errors.Is(err, ErrCancelled):
		httpx.FlashError(h.sessions, r, flashGone)
	case errors.Is(err, ErrStarted):
		httpx.FlashError(h.sessions, r, flashClosed)
	case err != nil:
		return err
	case already:
		httpx.Flash(h.sessions, r, flashAlready)
	case st == OnWaitingList:
		httpx.Flash(h.sessions, r, flashWaiting)
	default:
		httpx.Flash(h.sessions, r, flashSignedUp)
	}
	return httpx.Redirect(w, r, Path(e.ID))
}

// Withdraw cancels the viewer's sign-up; the waiting list moves up.
func (h *Handler) Withdraw(w http.ResponseWriter, r *http.Request) error {
	e, _, v, err := h.load(r)
	if err != nil {
		return err
	}
	signed, err := h.store.Withdraw(r.Context(), e.ID, v.ID)
	if err != nil {
		return err
	}
	if signed {
		httpx.Flash(h.sessions, r, flashCancelled)
	} else {
		httpx.Flash(h.sessions, r, flashNotSigned)
	}
	return httpx.Redirect(w, r, Path(e.ID))
}

// CancelEvent cancels the event with a message to everyone signed up
// (organisers only, checked in the SQL).
func (h *Handler) CancelEvent(w http.ResponseWriter, r *http.Request) error {
	e, a, v, err := h.load(r)
	if err != nil {
		return err
	}
	if !a.Organiser {
		return ErrForbidden
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	cf := CancelForm{Message: r.PostForm.Get(fMessage)}
	errs := validate.Errors{}
	msg := errs.Text(fMessage, cf.Message, validate.Rule{Required: true, Max: maxCancel, Multiline: true})
	if errs.Get(fMessage) == msgRequiredGeneric {
		errs[fMessage] = msgCancelRequired
	}
	if !errs.Valid() {
		return h.renderShow(w, r, http.StatusUnprocessableEntity, e, a, v, cf, errs)
	}
	if e.Cancelled() {
		return httpx.Redirect(w, r, Path(e.ID))
	}
	if err := h.store.Cancel(r.Context(), e.ID, v.ID, msg); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashCancelled2)
	return httpx.Redirect(w, r, Path(e.ID))
}

// choices reads what the viewer may pick in the form.
func (h *Handler) choices(ctx context.Context, v *httpx.Viewer) (Choices, error) {
	return h.store.Choices(ctx, v.ID, v.Has(role.Worker), v.WorkAreas)
}

// New shows the form for a new event; ?initiatief=ID preselects one of
// the viewer's initiatives.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	c, err := h.choices(r.Context(), v)
	if err != nil {
		return err
	}
	f := Form{Token: uuid.New(), Visibility: string(Public)}
	if s := r.URL.Query().Get(fInitiative); s != "" {
		id, ok := parseID(s)
		if !ok || !slices.ContainsFunc(c.Initiatives, func(i InitiativeChoice) bool { return i.ID == id }) {
			return ErrForbidden
		}
		f.Initiative = s
		for _, i := range c.Initiatives {
			if i.ID == id && i.Owner && len(i.Neighbourhoods) == 1 {
				f.Neighbourhoods = []string{strconv.FormatInt(i.Neighbourhoods[0].ID, 10)}
			}
		}
	}
	if opts := c.NeighbourhoodOptions(); len(opts) == 1 {
		f.Neighbourhoods = []string{strconv.FormatInt(opts[0].ID, 10)}
	}
	return h.renderForm(w, r, http.StatusOK, FormView{Form: f, Choices: c, Action: "/bijeenkomsten/nieuw", New: true})
}

func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, fv FormView) error {
	title := "Bijeenkomst plaatsen"
	if !fv.New {
		title = "Bijeenkomst bewerken"
	}
	return httpx.Render(w, r, status, FormPage(httpx.PageFor(r, title), fv))
}

func formFrom(r *http.Request) Form {
	p := r.PostForm
	return Form{
		Title: p.Get(fTitle), Description: p.Get(fDescription), Theme: p.Get(fTheme),
		Start: p.Get(fStart), End: p.Get(fEnd), PlaceText: p.Get(fPlaceText), Asset: p.Get(fAsset),
		Visibility: p.Get(fVisibility), Capacity: p.Get(fCapacity), Initiative: p.Get(fInitiative),
		Neighbourhoods: p[fNeighbourhoods], Token: p.Get(fKey),
	}
}

// Create publishes a new event.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := formFrom(r)
	if !uuid.Valid(f.Token) {
		return httpx.ErrBadRequest
	}
	c, err := h.choices(r.Context(), v)
	if err != nil {
		return err
	}
	if !c.CanPublish() {
		return ErrForbidden
	}
	in, errs := f.Validate(c, h.now(), nil)
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, FormView{Form: f, Choices: c, Errors: errs, Action: "/bijeenkomsten/nieuw", New: true})
	}
	id, created, err := h.store.Create(r.Context(), in, v.ID)
	if err != nil {
		return err
	}
	if created {
		httpx.Flash(h.sessions, r, flashCreated)
	}
	return httpx.Redirect(w, r, Path(id))
}

// Edit shows the form of an event to its organisers.
func (h *Handler) Edit(w http.ResponseWriter, r *http.Request) error {
	e, a, v, err := h.load(r)
	if err != nil {
		return err
	}
	if !a.Organiser || e.Cancelled() {
		return ErrForbidden
	}
	c, err := h.editChoices(r.Context(), v, e)
	if err != nil {
		return err
	}
	return h.renderForm(w, r, http.StatusOK, FormView{Form: FormFrom(e), Choices: c, Action: Path(e.ID) + "/bewerken", Event: &e})
}

// editChoices are the viewer's choices, plus what the event already has
// (a co-owner keeps a place chosen by another organiser).
func (h *Handler) editChoices(ctx context.Context, v *httpx.Viewer, e Event) (Choices, error) {
	c, err := h.choices(ctx, v)
	if err != nil {
		return c, err
	}
	if e.AssetID != 0 && !slices.ContainsFunc(c.Places, func(o Option) bool { return o.ID == e.AssetID }) {
		c.Places = append(c.Places, Option{ID: e.AssetID, Label: e.AssetName})
	}
	return c, nil
}

// Update saves the organiser's changes.
func (h *Handler) Update(w http.ResponseWriter, r *http.Request) error {
	e, a, v, err := h.load(r)
	if err != nil {
		return err
	}
	if !a.Organiser || e.Cancelled() {
		return ErrForbidden
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := formFrom(r)
	c, err := h.editChoices(r.Context(), v, e)
	if err != nil {
		return err
	}
	old := e.StartsAt
	in, errs := f.Validate(c, h.now(), &old)
	fv := FormView{Form: f, Choices: c, Errors: errs, Action: Path(e.ID) + "/bewerken", Event: &e}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, fv)
	}
	err = h.store.Update(r.Context(), e.ID, in, v.ID)
	if errors.Is(err, ErrCapacityBelow) {
		fv.Errors = validate.Errors{fCapacity: capacityBelowMessage(e.SignedUp)}
		return h.renderForm(w, r, http.StatusUnprocessableEntity, fv)
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashUpdated)
	return httpx.Redirect(w, r, Path(e.ID))
}

// ICS is "Zet in je agenda": one event as an .ics file (a members-only
// event only for members, as its page).
func (h *Handler) ICS(w http.ResponseWriter, r *http.Request) error {
	e, _, _, err := h.load(r)
	if err != nil {
		return err
	}
	b, err := Calendar(e.Title, []Event{e}, h.baseURL)
	if err != nil {
		return err
	}
	return writeICS(w, b, "bijeenkomst-"+strconv.FormatInt(e.ID, 10)+".ics")
}

// NeighbourhoodFeed is the iCalendar feed of a neighbourhood's public events.
func (h *Handler) NeighbourhoodFeed(w http.ResponseWriter, r *http.Request) error {
	p, err := h.neighbourhood(r)
	if err != nil {
		return err
	}
	return h.feed(w, r, "Agenda "+p.Name, Filter{Area: Area{NeighbourhoodID: p.ID}}, "agenda-"+p.Code+".ics")
}

// InitiativeFeed is the iCalendar feed of an initiative's public events.
func (h *Handler) InitiativeFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	title, err := h.store.InitiativeVisible(r.Context(), id)
	if err != nil {
		return err
	}
	return h.feed(w, r, "Agenda "+title, Filter{InitiativeID: id}, "agenda-initiatief-"+strconv.FormatInt(id, 10)+".ics")
}

// feedSize caps a feed: a neighbourhood has nowhere near this many events
// in its window.
const feedSize = 500

func (h *Handler) feed(w http.ResponseWriter, r *http.Request, name string, f Filter, file string) error {
	f.PublicOnly, f.From, f.Limit = true, h.now().Add(-feedWindow), feedSize
	events, _, err := h.store.List(r.Context(), Viewer{}, f)
	if err != nil {
		return err
	}
	b, err := Calendar(name, events, h.baseURL)
	if err != nil {
		return err
	}
	return writeICS(w, b, file)
}

func writeICS(w http.ResponseWriter, b []byte, file string) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}
