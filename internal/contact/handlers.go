package contact

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
	"github.com/buurtkracht/buurtkracht/web/layout"
	"github.com/buurtkracht/buurtkracht/web/static"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// Handler serves the street-contact pages, the offline sync endpoint and
// the contacts API.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	audit    *audit.Log
	now      func() time.Time
}

// NewHandler returns a Handler on store; sessions carry the flash messages
// and the undo offer, log records the views of others' contacts.
func NewHandler(store *Store, sessions *scs.SessionManager, log *audit.Log) *Handler {
	return &Handler{store: store, sessions: sessions, audit: log, now: time.Now}
}

// sessionUndo holds the id of the contact just saved, for the undo button.
const sessionUndo = "contact.undo"

// pageSize is the number of contacts per list page.
const pageSize = 25

func areaCodes(areas []Area) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = a.Code
	}
	return out
}

func areaIDs(areas []Area) []int64 {
	out := make([]int64, len(areas))
	for i, a := range areas {
		out[i] = a.ID
	}
	return out
}

// rawFromForm reads the contact fields of a posted form.
func rawFromForm(f url.Values) Raw {
	return Raw{
		ClientID: f.Get(fClientID), OccurredAt: f.Get(fOccurredAt), Neighbourhood: f.Get(fNeighbourh),
		PlaceType: f.Get(fPlaceType), PeopleCount: f.Get(fPeopleCount), Themes: f[fThemes], Strategy: f.Get(fStrategy),
		Energy: f.Get(fEnergy), Concern: f.Get(fConcern), Note: f.Get(fNote), FollowUp: f.Get(fFollowUp),
		InitiativeID: f.Get(fInitiativeID), Referral: f.Get(fReferral),
	}
}

// rawFromContact fills the form with a stored contact, for editing.
func rawFromContact(c Contact) Raw {
	r := Raw{
		ClientID: c.ClientID, OccurredAt: FormatMoment(c.OccurredAt), Neighbourhood: c.NeighbourhoodCode,
		PlaceType: string(c.PlaceType), PeopleCount: strconv.Itoa(c.PeopleCount), Themes: c.Themes, Strategy: string(c.Strategy),
		Energy: c.Energy, Concern: c.Concern, FollowUp: string(c.FollowUp), Referral: c.Referral,
	}
	if c.Note != nil {
		r.Note = *c.Note
	}
	if c.InitiativeID != nil {
		r.InitiativeID = strconv.FormatInt(*c.InitiativeID, 10)
	}
	return r
}

// checkInitiative adds an error when the chosen initiative is not one the
// worker may link to.
func checkInitiative(in Input, choices []Initiative, errs validate.Errors) {
	if in.InitiativeID == nil {
		return
	}
	if !slices.ContainsFunc(choices, func(i Initiative) bool { return i.ID == *in.InitiativeID }) {
		errs.Add(fInitiativeID, msgInitiativeUnknown)
	}
}

// formContext loads what the form needs: the worker's areas and the
// initiatives they may link to (two queries).
func (h *Handler) formContext(r *http.Request, v *httpx.Viewer) ([]Area, []Initiative, error) {
	areas, err := h.store.WorkAreas(r.Context(), v.ID)
	if err != nil {
		return nil, nil, err
	}
	inits, err := h.store.Initiatives(r.Context(), areaIDs(areas))
	return areas, inits, err
}

// page is the chrome of every contact page: titled, with the contacts' styles.
func page(r *http.Request, title string) layout.Page {
	p := httpx.PageFor(r, title)
	p.Head = append(p.Head, static.URL("css/contacts.css"))
	return p
}

// listPage is page for the wide lists.
func listPage(r *http.Request, title string) layout.Page {
	p := page(r, title)
	p.Wide = true
	return p
}

// contactPath is the URL of one contact's page named by suffix ("/bewerken").
func contactPath(id int64, suffix string) string {
	return "/contacten/" + strconv.FormatInt(id, 10) + suffix
}

// own loads the viewer's own contact named in the path.
func (h *Handler) own(r *http.Request, v *httpx.Viewer) (Contact, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Contact{}, err
	}
	return h.store.Own(r.Context(), v.ID, id)
}

func quickPage(r *http.Request) layout.Page {
	p := page(r, "Contact vastleggen")
	p.Manifest = static.URL("img/contacts.webmanifest")
	p.Scripts = append(p.Scripts, static.URL("js/contacts-offline.js"))
	return p
}

// New shows the quick-log form: moment now, neighbourhood and place as the
// worker's last contact, and an undo button after a save.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	areas, inits, err := h.formContext(r, v)
	if err != nil {
		return err
	}
	code, place, err := h.store.LastChoice(ctx, v.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(areaCodes(areas), code) {
		code = ""
	}
	if code == "" && len(areas) == 1 {
		code = areas[0].Code
	}
	f := FormView{
		Action: "/contacten", Areas: areas, Initiatives: inits, Fresh: true,
		Raw: Raw{ClientID: uuid.New(), OccurredAt: FormatMoment(h.now()), Neighbourhood: code, PlaceType: place},
	}
	if h.sessions.Exists(ctx, sessionUndo) {
		id := h.sessions.GetInt64(ctx, sessionUndo)
		h.sessions.Remove(ctx, sessionUndo)
		if c, err := h.store.Own(ctx, v.ID, id); err == nil && h.now().Sub(c.CreatedAt) < UndoWindow {
			f.Undo = &c
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return httpx.Render(w, r, http.StatusOK, NewPage(quickPage(r), f, nil))
}

// Create stores a contact from the quick-log form and returns to an empty form.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	areas, err := h.store.WorkAreas(ctx, v.ID)
	if err != nil {
		return err
	}
	raw := rawFromForm(r.PostForm)
	in, errs := Validate(raw, areaCodes(areas), h.now(), nil)
	// The initiatives of the worker's areas are read only when needed: to
	// check a chosen one, or to show the form again. Most contacts link none,
	// and this is the form workers post most, in seconds, on the street.
	var inits []Initiative
	loadInitiatives := func() error {
		if inits == nil {
			inits, err = h.store.Initiatives(ctx, areaIDs(areas))
		}
		return err
	}
	if in.InitiativeID != nil {
		if err := loadInitiatives(); err != nil {
			return err
		}
		checkInitiative(in, inits, errs)
	}
	var c Contact
	if errs.Valid() {
		c, _, err = h.store.Create(ctx, v.ID, in)
		switch {
		case errors.Is(err, ErrOutsideArea):
			errs.Add(fNeighbourh, msgOutsideArea)
		case err != nil:
			return err
		}
	}
	if !errs.Valid() {
		if errs.Has(fClientID) {
			raw.ClientID = uuid.New()
		}
		if err := loadInitiatives(); err != nil {
			return err
		}
		f := FormView{Action: "/contacten", Areas: areas, Initiatives: inits, Raw: raw}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, NewPage(quickPage(r), f, errs))
	}
	h.sessions.Put(ctx, sessionUndo, c.ID)
	// The follow-up "signaal afgeven": on to the signal form, filled in from
	// this contact, for the worker to read through and submit (the undo
	// button waits on the next quick-log form).
	if c.FollowUp == FollowUpSignal {
		httpx.Flash(h.sessions, r, flashSavedSignal)
		return httpx.Redirect(w, r, SignalDraftURL(c))
	}
	httpx.Flash(h.sessions, r, flashSaved)
	// The page opens at the confirmation, with the form for the next
	// contact right under it: on a phone, Opslaan is in view.
	return httpx.Redirect(w, r, "/contacten/nieuw#"+savedAnchor)
}

// SignalDraftURL is the signal form filled in from contact c: its
// neighbourhood (which also picks the municipality), and its concern and
// theme, read by the signal form from the worker's own contact. The concern
// itself stays out of the URL, so out of logs and browser history.
func SignalDraftURL(c Contact) string {
	return "/signalen/nieuw?" + url.Values{"buurt": {c.NeighbourhoodCode}, "contact": {strconv.FormatInt(c.ID, 10)}}.Encode()
}

// Undo deletes the contact just saved, when it is the viewer's own and
// younger than UndoWindow.
func (h *Handler) Undo(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	switch err := h.store.Undo(r.Context(), v.ID, id); {
	case errors.Is(err, ErrUndoExpired):
		httpx.FlashError(h.sessions, r, flashUndoExpired)
	case err != nil:
		return err
	default:
		httpx.Flash(h.sessions, r, flashUndone)
	}
	return httpx.Redirect(w, r, "/contacten/nieuw")
}

// Edit shows the form for one of the viewer's own contacts.
func (h *Handler) Edit(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	c, err := h.own(r, v)
	if err != nil {
		return err
	}
	areas, inits, err := h.formContext(r, v)
	if err != nil {
		return err
	}
	f := FormView{Action: contactPath(c.ID, "/bewerken"), Edit: &c, Areas: areas, Initiatives: inits, Raw: rawFromContact(c)}
	return httpx.Render(w, r, http.StatusOK, EditPage(page(r, "Contact bewerken"), f, nil))
}

// Update saves changes to one of the viewer's own contacts.
func (h *Handler) Update(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	c, err := h.own(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	areas, inits, err := h.formContext(r, v)
	if err != nil {
		return err
	}
	raw := rawFromForm(r.PostForm)
	raw.ClientID = c.ClientID
	in, errs := Validate(raw, areaCodes(areas), h.now(), &c.OccurredAt)
	checkInitiative(in, inits, errs)
	if errs.Valid() {
		switch err := h.store.Update(ctx, v.ID, c.ID, in); {
		case errors.Is(err, ErrOutsideArea):
			errs.Add(fNeighbourh, msgOutsideArea)
		case err != nil:
			return err
		}
	}
	if !errs.Valid() {
		f := FormView{Action: contactPath(c.ID, "/bewerken"), Edit: &c, Areas: areas, Initiatives: inits, Raw: raw}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, EditPage(page(r, "Contact bewerken"), f, errs))
	}
	httpx.Flash(h.sessions, r, flashUpdated)
	return httpx.Redirect(w, r, "/contacten")
}

// Delete removes one of the viewer's own contacts.
func (h *Handler) Delete(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.store.Delete(r.Context(), v.ID, id); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashDeleted)
	return httpx.Redirect(w, r, "/contacten")
}

// parseFilter reads the list filters from the query string. Values that do
// not parse are ignored, so a stale bookmark still opens.
func parseFilter(q url.Values, areas []Area) (Filter, FilterView) {
	fv := FilterView{
		Neighbourhood: q.Get("buurt"), Strategy: q.Get("strategie"), Theme: q.Get("thema"),
		From: q.Get("van"), To: q.Get("tot"), Page: 1,
	}
	if !slices.Contains(areaCodes(areas), fv.Neighbourhood) {
		fv.Neighbourhood = ""
	}
	st := strategy.Strategy(fv.Strategy)
	if !st.Valid() {
		st, fv.Strategy = "", ""
	}
	if !theme.Valid(fv.Theme) {
		fv.Theme = ""
	}
	f := Filter{NeighbourhoodCode: fv.Neighbourhood, Strategy: st, Theme: fv.Theme, Limit: pageSize}
	if t, err := time.ParseInLocation("2006-01-02", fv.From, dutch.Amsterdam); err == nil {
		f.From = &t
	} else {
		fv.From = ""
	}
	if t, err := time.ParseInLocation("2006-01-02", fv.To, dutch.Amsterdam); err == nil {
		end := t.AddDate(0, 0, 1)
		f.To = &end
	} else {
		fv.To = ""
	}
	if n, err := strconv.Atoi(q.Get("pagina")); err == nil && n > 1 && n < 100000 {
		fv.Page = n
	}
	f.Offset = (fv.Page - 1) * pageSize
	return f, fv
}

// List shows the viewer's own contacts as a filtered list or, with
// ?weergave=kalender, as a month calendar.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	areas, err := h.store.WorkAreas(ctx, v.ID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := listPage(r, "Mijn contacten")
	if q.Get("weergave") == "kalender" {
		month, ok := parseMonth(q.Get("maand"))
		if !ok {
			now := h.now().In(dutch.Amsterdam)
			month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, dutch.Amsterdam)
		}
		next := month.AddDate(0, 1, 0)
		counts, err := h.store.DayCounts(ctx, v.ID, month, next)
		if err != nil {
			return err
		}
		return httpx.Render(w, r, http.StatusOK, CalendarPage(p, buildCalendar(month, counts)))
	}
	f, fv := parseFilter(q, areas)
	page, err := h.store.Mine(ctx, v.ID, f)
	if err != nil {
		return err
	}
	lv := ListView{Filter: fv, Areas: areas, Page: page, Path: "/contacten", Own: true}
	return httpx.Render(w, r, http.StatusOK, ListPage(p, lv))
}

// Team shows contacts of colleagues in the viewer's work areas, without
// their private notes.
func (h *Handler) Team(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	areas, err := h.store.WorkAreas(ctx, v.ID)
	if err != nil {
		return err
	}
	f, fv := parseFilter(r.URL.Query(), areas)
	// Colleagues' contacts are others' records: one audit entry per page
	// view, with the filter used (codes and dates only, no names).
	detail := fmt.Sprintf("buurt=%s strategie=%s thema=%s van=%s tot=%s pagina=%d",
		fv.Neighbourhood, fv.Strategy, fv.Theme, fv.From, fv.To, fv.Page)
	if err := h.audit.View(ctx, v.ID, "contact.team", "contact", 0, detail); err != nil {
		return err
	}
	page, err := h.store.Team(ctx, v.ID, areaIDs(areas), f)
	if err != nil {
		return err
	}
	p := listPage(r, "Contacten van mijn team")
	lv := ListView{Filter: fv, Areas: areas, Page: page, Path: "/contacten/team"}
	return httpx.Render(w, r, http.StatusOK, TeamPage(p, lv))
}

// Story shows the form that turns a contact's note into an anonymised story.
func (h *Handler) Story(w http.ResponseWriter, r *http.Request) error {
	c, err := h.own(r, httpx.ViewerFrom(r.Context()))
	if err != nil {
		return err
	}
	text := ""
	switch {
	case c.Story != nil:
		text = *c.Story
	case c.Note != nil:
		text = *c.Note
	}
	return httpx.Render(w, r, http.StatusOK, StoryPage(page(r, storyTitle), StoryView{Contact: c, Text: text}, nil))
}

const storyTitle = "Verhaal delen met de gemeente"

// ShareStory stores the edited, anonymised copy after the worker confirmed it.
func (h *Handler) ShareStory(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	c, err := h.own(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	text := errs.Text("story", r.PostForm.Get("story"), validate.Rule{Required: true, Max: MaxStory, Multiline: true})
	confirmed := r.PostForm.Get("confirm") == ui.Yes
	errs.Check(confirmed, "confirm", msgStoryConfirm)
	if !errs.Valid() {
		sv := StoryView{Contact: c, Text: r.PostForm.Get("story"), Confirmed: confirmed}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, StoryPage(page(r, storyTitle), sv, errs))
	}
	if err := h.store.ShareStory(r.Context(), v.ID, c.ID, text); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashStoryShared)
	return httpx.Redirect(w, r, contactPath(c.ID, "/verhaal"))
}

// WithdrawStory stops sharing a story.
func (h *Handler) WithdrawStory(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.store.WithdrawStory(r.Context(), v.ID, id); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashStoryWithdraw)
	return httpx.Redirect(w, r, contactPath(id, "/verhaal"))
}

// AdminList shows an administrator a worker's contacts without notes, and
// records that access in the audit log first.
func (h *Handler) AdminList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	name, err := h.store.WorkerName(ctx, id)
	if err != nil {
		return err
	}
	f, fv := parseFilter(r.URL.Query(), nil)
	if err := h.audit.Record(ctx, v.ID, "contact.list", "account", id, "contactenlijst van opbouwwerker bekeken"); err != nil {
		return err
	}
	page, err := h.store.OfWorker(ctx, id, f)
	if err != nil {
		return err
	}
	p := listPage(r, "Contacten van "+name)
	lv := ListView{Filter: fv, Page: page, Path: "/beheer/accounts/" + strconv.FormatInt(id, 10) + "/contacten"}
	return httpx.Render(w, r, http.StatusOK, AdminPage(p, name, lv))
}
