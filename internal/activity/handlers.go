package activity

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// Handler serves the activity pages of community workers and the activities
// section of the neighbourhood page.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	now      func() time.Time
}

// NewHandler returns a Handler on store; sessions carry the flash messages.
func NewHandler(store *Store, sessions *scs.SessionManager) *Handler {
	return &Handler{store: store, sessions: sessions, now: time.Now}
}

// viewer returns the logged-in worker; routes.go lets only workers in.
func viewer(r *http.Request) (*httpx.Viewer, error) {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return nil, httpx.ErrUnauthorized
	}
	return v, nil
}

// List shows the activities in the worker's work areas (their team's),
// filtered by neighbourhood, strategy and period.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	lv := ListView{Query: ListQuery{Neighbourhood: q.Get("buurt"), Strategy: q.Get("strategie"), From: q.Get("van"), To: q.Get("tot")}}
	f := Filter{Page: 1}
	if n, err := strconv.Atoi(q.Get("pagina")); err == nil && n > 0 && n < 10000 {
		f.Page = n
	}
	if id, err := strconv.ParseInt(lv.Query.Neighbourhood, 10, 64); err == nil {
		f.NeighbourhoodID = id
	} else {
		lv.Query.Neighbourhood = ""
	}
	if st := strategy.Strategy(lv.Query.Strategy); st.Valid() {
		f.Strategy = st
	} else {
		lv.Query.Strategy = ""
	}
	if t, err := time.Parse(time.DateOnly, lv.Query.From); err == nil {
		f.From = &t
	} else {
		lv.Query.From = ""
	}
	if t, err := time.Parse(time.DateOnly, lv.Query.To); err == nil {
		f.To = &t
	} else {
		lv.Query.To = ""
	}
	if lv.Areas, err = h.store.Areas(r.Context(), v.WorkAreas); err != nil {
		return err
	}
	if lv.Items, lv.More, err = h.store.List(r.Context(), v.ID, v.WorkAreas, f); err != nil {
		return err
	}
	lv.ViewerID = v.ID
	lv.Page = f.Page
	p := httpx.PageFor(r, "Activiteiten")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, ListPage(p, lv))
}

// pageURL is the list URL of another page with the same filters.
func (q ListQuery) pageURL(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"buurt": q.Neighbourhood, "strategie": q.Strategy, "van": q.From, "tot": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("pagina", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/activiteiten"
	}
	return "/activiteiten?" + v.Encode()
}

// formView collects what the create and edit forms need besides the input.
func (h *Handler) formView(ctx context.Context, v *httpx.Viewer, f Form, errs validate.Errors, id int64) (FormView, error) {
	fv := FormView{Form: f, Errors: errs, ID: id}
	var err error
	if fv.Areas, err = h.store.Areas(ctx, v.WorkAreas); err != nil {
		return fv, err
	}
	if fv.Initiatives, err = h.store.Initiatives(ctx, v.WorkAreas); err != nil {
		return fv, err
	}
	return fv, nil
}

func initiativeIDs(opts []InitiativeOption) []int64 {
	ids := make([]int64, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return ids
}

func formFromRequest(r *http.Request) Form {
	pf := r.PostForm
	return Form{
		Title: pf.Get("title"), Date: pf.Get("date"), Neighbourhood: pf.Get("neighbourhood"),
		WorkerOrganised: pf.Get("worker_organised") == ui.Yes, Initiative: pf.Get("initiative"),
		Strategy: pf.Get("strategy"), Participants: pf.Get("participants"), Partners: pf.Get("partners"),
		Outcome: pf.Get("outcome"), Note: pf.Get("note"), Token: pf.Get("token"),
	}
}

// New shows an empty activity form.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	f := Form{Date: h.now().Format(time.DateOnly), WorkerOrganised: true, Token: uuid.New()}
	if len(v.WorkAreas) == 1 {
		f.Neighbourhood = strconv.FormatInt(v.WorkAreas[0], 10)
	}
	// "Activiteit vastleggen" on a past event's page (internal/event).
	if err := h.fromEvent(r.Context(), v, r.URL.Query(), &f); err != nil {
		return err
	}
	fv, err := h.formView(r.Context(), v, f, nil, 0)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, FormPage(httpx.PageFor(r, "Nieuwe activiteit"), fv))
}

// Create stores a new activity, in one of the worker's areas only.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := formFromRequest(r)
	if !uuid.Valid(f.Token) {
		return httpx.ErrBadRequest
	}
	fv, err := h.formView(r.Context(), v, f, nil, 0)
	if err != nil {
		return err
	}
	in, errs := f.Validate(v.WorkAreas, initiativeIDs(fv.Initiatives), h.now())
	if !errs.Valid() {
		fv.Errors = errs
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(httpx.PageFor(r, "Nieuwe activiteit"), fv))
	}
	id, err := h.store.Create(r.Context(), v.ID, v.WorkAreas, in)
	switch {
	case errors.Is(err, ErrForbidden):
		// The work areas changed between the check and the insert.
		fv.Errors = validate.Errors{"neighbourhood": msgOutsideAreas}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(httpx.PageFor(r, "Nieuwe activiteit"), fv))
	case errors.Is(err, ErrDuplicate):
		return httpx.Redirect(w, r, idPath(id, ""))
	case err != nil:
		return err
	}
	httpx.Flash(h.sessions, r, flashCreated)
	return httpx.Redirect(w, r, idPath(id, ""))
}

// Show shows one activity of the worker's team; the note only to its author.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.store.Get(r.Context(), id, v.ID, v.WorkAreas)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ShowPage(httpx.PageFor(r, a.Title), a, a.Mine(v.ID)))
}

// ownActivity loads an activity the viewer may change, or the error to return.
func (h *Handler) ownActivity(r *http.Request, v *httpx.Viewer) (Activity, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Activity{}, err
	}
	a, err := h.store.Get(r.Context(), id, v.ID, v.WorkAreas)
	if err != nil {
		return Activity{}, err
	}
	if !a.Mine(v.ID) {
		return Activity{}, httpx.ErrForbidden
	}
	return a, nil
}

// Edit shows the form of an own activity.
func (h *Handler) Edit(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	a, err := h.ownActivity(r, v)
	if err != nil {
		return err
	}
	fv, err := h.formView(r.Context(), v, FormFrom(a), nil, a.ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, FormPage(httpx.PageFor(r, "Activiteit bewerken"), fv))
}

// Update saves the edit form of an own activity.
func (h *Handler) Update(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := formFromRequest(r)
	f.Token = ""
	fv, err := h.formView(r.Context(), v, f, nil, id)
	if err != nil {
		return err
	}
	in, errs := f.Validate(v.WorkAreas, initiativeIDs(fv.Initiatives), h.now())
	if !errs.Valid() {
		// Check ownership before echoing the form, so a stranger learns nothing.
		if _, err := h.ownActivity(r, v); err != nil {
			return err
		}
		fv.Errors = errs
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(httpx.PageFor(r, "Activiteit bewerken"), fv))
	}
	if err := h.store.Update(r.Context(), id, v.ID, v.WorkAreas, in); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashUpdated)
	return httpx.Redirect(w, r, idPath(id, ""))
}

// Story shows the form that turns the private note into a shared story.
func (h *Handler) Story(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	a, err := h.ownActivity(r, v)
	if err != nil {
		return err
	}
	f := StoryForm{Story: a.Story}
	if f.Story == "" {
		f.Story = a.Note // a copy to edit; the note itself stays private
	}
	return httpx.Render(w, r, http.StatusOK, StoryPage(httpx.PageFor(r, "Verhaal delen"), a, f, nil))
}

// SaveStory shares the edited story, or withdraws it (action=intrekken).
func (h *Handler) SaveStory(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	a, err := h.ownActivity(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	back := idPath(a.ID, "")
	if r.PostForm.Get("action") == "intrekken" {
		if err := h.store.WithdrawStory(r.Context(), a.ID, v.ID, v.WorkAreas); err != nil {
			return err
		}
		httpx.Flash(h.sessions, r, flashStoryWithdrawn)
		return httpx.Redirect(w, r, back)
	}
	f := StoryForm{Story: r.PostForm.Get("story"), Confirmed: r.PostForm.Get("confirm") == ui.Yes}
	story, errs := f.Validate()
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, StoryPage(httpx.PageFor(r, "Verhaal delen"), a, f, errs))
	}
	if err := h.store.ShareStory(r.Context(), a.ID, v.ID, v.WorkAreas, story); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashStoryShared)
	return httpx.Redirect(w, r, back)
}

// NeighbourhoodSection lists the latest activities of a neighbourhood on its
// public page: title, date, strategy, participants and outcome, never notes.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	items, total, err := h.store.ForNeighbourhood(ctx, neighbourhoodID, sectionSize)
	if err != nil {
		return nil, err
	}
	return Section(items, total), nil
}

// sectionSize is how many activities the neighbourhood page shows.
const sectionSize = 10
