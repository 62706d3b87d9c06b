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
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves the activity pages of community workers and the activities
// section of the neighbourhood page.
type Handler struct {
	Store    *Store
	Sessions *scs.SessionManager
	Now      func() time.Time // default time.Now
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// viewer returns the logged-in worker; routes.go lets only workers in.
func viewer(r *http.Request) (*httpx.Viewer, error) {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return nil, httpx.ErrUnauthorized
	}
	return v, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.ErrNotFound
	}
	return id, nil
}

// mapErr turns store errors into the matching HTTP errors.
func mapErr(err error) error {
	switch {
	case errors.Is(err, ErrNotFound):
		return httpx.ErrNotFound
	case errors.Is(err, ErrForbidden):
		return httpx.ErrForbidden
	}
	return err
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
	if strategy.Valid(lv.Query.Strategy) {
		f.Strategy = lv.Query.Strategy
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
	if lv.Areas, err = h.Store.Areas(r.Context(), v.WorkAreas); err != nil {
		return err
	}
	if lv.Items, lv.More, err = h.Store.List(r.Context(), v.ID, v.WorkAreas, f); err != nil {
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
	if fv.Areas, err = h.Store.Areas(ctx, v.WorkAreas); err != nil {
		return fv, err
	}
	if fv.Initiatives, err = h.Store.Initiatives(ctx, v.WorkAreas); err != nil {
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
		WorkerOrganised: pf.Get("worker_organised") == "ja", Initiative: pf.Get("initiative"),
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
	f := Form{Date: h.now().Format(time.DateOnly), WorkerOrganised: true, Token: newToken()}
	if len(v.WorkAreas) == 1 {
		f.Neighbourhood = strconv.FormatInt(v.WorkAreas[0], 10)
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
	if !validToken(f.Token) {
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
	id, err := h.Store.Create(r.Context(), v.ID, v.WorkAreas, in)
	switch {
	case errors.Is(err, ErrForbidden):
		// The work areas changed between the check and the insert.
		fv.Errors = validate.Errors{"neighbourhood": msgOutsideAreas}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(httpx.PageFor(r, "Nieuwe activiteit"), fv))
	case errors.Is(err, ErrDuplicate):
		return httpx.Redirect(w, r, "/activiteiten/"+strconv.FormatInt(id, 10))
	case err != nil:
		return err
	}
	httpx.Flash(h.Sessions, r, flashCreated)
	return httpx.Redirect(w, r, "/activiteiten/"+strconv.FormatInt(id, 10))
}

// Show shows one activity of the worker's team; the note only to its author.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.Store.Get(r.Context(), id, v.ID, v.WorkAreas)
	if err != nil {
		return mapErr(err)
	}
	return httpx.Render(w, r, http.StatusOK, ShowPage(httpx.PageFor(r, a.Title), a, a.Mine(v.ID)))
}

// ownActivity loads an activity the viewer may change, or the error to return.
func (h *Handler) ownActivity(r *http.Request, v *httpx.Viewer) (Activity, error) {
	id, err := pathID(r)
	if err != nil {
		return Activity{}, err
	}
	a, err := h.Store.Get(r.Context(), id, v.ID, v.WorkAreas)
	if err != nil {
		return Activity{}, mapErr(err)
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
	id, err := pathID(r)
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
	if err := h.Store.Update(r.Context(), id, v.ID, v.WorkAreas, in); err != nil {
		return mapErr(err)
	}
	httpx.Flash(h.Sessions, r, flashUpdated)
	return httpx.Redirect(w, r, "/activiteiten/"+strconv.FormatInt(id, 10))
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
	back := "/activiteiten/" + strconv.FormatInt(a.ID, 10)
	if r.PostForm.Get("action") == "intrekken" {
		if err := h.Store.WithdrawStory(r.Context(), a.ID, v.ID, v.WorkAreas); err != nil {
			return mapErr(err)
		}
		httpx.Flash(h.Sessions, r, flashStoryWithdrawn)
		return httpx.Redirect(w, r, back)
	}
	f := StoryForm{Story: r.PostForm.Get("story"), Confirmed: r.PostForm.Get("confirm") == "ja"}
	story, errs := f.Validate()
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, StoryPage(httpx.PageFor(r, "Verhaal delen"), a, f, errs))
	}
	if err := h.Store.ShareStory(r.Context(), a.ID, v.ID, v.WorkAreas, story); err != nil {
		return mapErr(err)
	}
	httpx.Flash(h.Sessions, r, flashStoryShared)
	return httpx.Redirect(w, r, back)
}

// NeighbourhoodSection lists the latest activities of a neighbourhood on its
// public page: title, date, strategy, participants and outcome, never notes.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	items, total, err := h.Store.ForNeighbourhood(ctx, neighbourhoodID, sectionSize)
	if err != nil {
		return nil, err
	}
	return Section(items, total), nil
}

// sectionSize is how many activities the neighbourhood page shows.
const sectionSize = 10
