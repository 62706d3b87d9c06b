package signal

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// Handler serves the signal pages and the signals section of the
// neighbourhood page.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	audit    *audit.Log
}

// NewHandler returns a Handler on store; sessions carry the flash messages,
// log records professionals opening others' signals.
func NewHandler(store *Store, sessions *scs.SessionManager, log *audit.Log) *Handler {
	return &Handler{store: store, sessions: sessions, audit: log}
}

func signalPath(id int64) string { return "/signalen/" + strconv.FormatInt(id, 10) }

// responderRole is the capacity in which the scope may answer sig: officer
// of its municipality, else worker of its neighbourhood, else "" (may not
// answer).
func responderRole(sig Signal, sc Scope) Author {
	switch {
	case sc.MunicipalityID != 0 && sc.MunicipalityID == sig.MunicipalityID:
		return AuthorOfficer
	case slices.Contains(sc.WorkAreas, sig.NeighbourhoodID):
		return AuthorWorker
	}
	return ""
}

// List shows the signals of the viewer: raised by them, in their work areas
// (workers) and in their municipality (officers), filtered by status.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	q := r.URL.Query()
	f := ListFilter{Status: Status(q.Get("status")), Page: 1}
	if !slices.Contains(Statuses, f.Status) {
		f.Status = ""
	}
	if n, err := strconv.Atoi(q.Get("pagina")); err == nil && n > 0 && n < 10000 {
		f.Page = n
	}
	sc := ScopeOf(v)
	// A worker's or officer's list shows residents' signals from their
	// area: one audit entry per page view, with the filter (DOMAIN: every
	// professional access to others' data is auditable).
	if len(sc.WorkAreas) > 0 || sc.MunicipalityID != 0 {
		detail := "status=" + string(f.Status) + " pagina=" + strconv.Itoa(f.Page)
		if err := h.audit.View(r.Context(), v.ID, "signal.list", "signal", 0, detail); err != nil {
			return err
		}
	}
	items, more, err := h.store.List(r.Context(), sc, f)
	if err != nil {
		return err
	}
	lv := ListView{
		Items: items, More: more, Filter: f, ViewerID: v.ID,
		CanRaise: v.Has(role.Resident) || v.Has(role.Worker),
		Worker:   len(sc.WorkAreas) > 0, Officer: sc.MunicipalityID != 0,
	}
	p := httpx.PageFor(r, "Signalen")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, ListPage(p, lv))
}

func (f ListFilter) pageURL(page int) string {
	v := url.Values{}
	if f.Status != "" {
		v.Set("status", string(f.Status))
	}
	if page > 1 {
		v.Set("pagina", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/signalen"
	}
	return "/signalen?" + v.Encode()
}

// fieldMunicipality names the municipality in the query string of step 1
// and in the hidden field of the form, as the initiative form does.
const fieldMunicipality = "gemeente"

// New shows the form to raise a signal. A country has some 14,000
// neighbourhoods, too many for one list on a phone, so the form offers those
// of one municipality. That municipality comes from ?gemeente=, from a
// neighbourhood link (?buurt=, which also preselects it), from a worker's
// work areas when they lie in one municipality, from the viewer's home
// neighbourhood (also preselected), or from there being only one;
// otherwise step 1 asks for it. ?kies=1 asks again.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := httpx.PageFor(r, "Signaal melden")
	if q.Has("kies") {
		return h.chooseMunicipality(w, r, p, http.StatusOK, q.Get(fieldMunicipality), "")
	}
	v := httpx.ViewerFrom(r.Context())
	draft, fromContact, err := h.contactDraft(r.Context(), v, q)
	if err != nil {
		return err
	}
	if fromContact && !q.Has("buurt") {
		q.Set("buurt", draft.NeighbourhoodCode)
	}
	muni, preselect, found, msg, err := h.pickMunicipality(r.Context(), v, q)
	if err != nil {
		return err
	}
	if msg != "" {
		return h.chooseMunicipality(w, r, p, http.StatusUnprocessableEntity, "", msg)
	}
	if !found {
		munis, err := h.store.Municipalities(r.Context())
		if err != nil {
			return err
		}
		if len(munis) != 1 {
			return httpx.Render(w, r, http.StatusOK, ChooseMunicipalityPage(p, munis, "", nil))
		}
		muni = munis[0] // nothing to choose
	}
	f := Form{Municipality: muni.Code, Token: uuid.New(), AddressedTo: string(ToMunicipality)}
	if preselect != 0 {
		f.Neighbourhood = strconv.FormatInt(preselect, 10)
	}
	if fromContact {
		f.Description, f.Theme = draft.Description, draft.Theme
	}
	return h.renderFormFrom(w, r, http.StatusOK, muni, f, nil, fromContact)
}

// fieldContact names, in the query string, the street contact a worker
// raises the signal from (the quick log's follow-up "signaal afgeven").
const fieldContact = "contact"

// contactDraft reads the draft of ?contact= when it is one of the viewer's
// own street contacts; anything else is ignored (an empty form).
func (h *Handler) contactDraft(ctx context.Context, v *httpx.Viewer, q url.Values) (Draft, bool, error) {
	if v == nil || !v.Has(role.Worker) || !q.Has(fieldContact) {
		return Draft{}, false, nil
	}
	id, err := strconv.ParseInt(q.Get(fieldContact), 10, 64)
	if err != nil || id <= 0 {
		return Draft{}, false, nil
	}
	d, err := h.store.ContactDraft(ctx, v.ID, id)
	if errors.Is(err, ErrNotFound) {
		return Draft{}, false, nil
	}
	return d, err == nil, err
}

// pickMunicipality finds the form's municipality in the request and a
// neighbourhood to preselect. found is false when step 1 has to ask; msg
// is then the Dutch error of a gemeente parameter that names none.
func (h *Handler) pickMunicipality(ctx context.Context, v *httpx.Viewer, q url.Values) (muni Municipality, preselect int64, found bool, msg string, err error) {
	if code := q.Get("buurt"); cbs.IsNeighbourhood(code) {
		id, m, err := h.store.NeighbourhoodByCode(ctx, code)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return muni, 0, false, "", err
		}
		if err == nil {
			muni, preselect, found = m, id, true
		}
	}
	if q.Has(fieldMunicipality) {
		code := q.Get(fieldMunicipality)
		switch {
		case found && muni.Code == code:
			return muni, preselect, true, "", nil // the neighbourhood's own municipality
		case code == "":
			return muni, 0, false, msgMunicipalityRequired, nil
		case !cbs.IsMunicipality(code):
			return muni, 0, false, msgMunicipalityUnknown, nil
		}
		m, err := h.store.MunicipalityByCode(ctx, code)
		if errors.Is(err, ErrNotFound) {
			return muni, 0, false, msgMunicipalityUnknown, nil
		}
		if err != nil {
			return muni, 0, false, "", err
		}
		// A neighbourhood link into another municipality preselects
		// nothing; the home neighbourhood is preselected in its own.
		if !found {
			if id, hm, ok, err := h.home(ctx, v); err != nil || (ok && hm.Code == m.Code) {
				return m, id, err == nil, "", err
			}
		}
		return m, 0, true, "", nil
	}
	if found || v == nil {
		return muni, preselect, found, "", nil
	}
	// A worker raises signals mostly in their own work areas.
	if v.Has(role.Worker) && len(v.WorkAreas) > 0 {
		m, err := h.store.AreasMunicipality(ctx, v.WorkAreas)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return muni, 0, false, "", err
		}
		if err == nil {
			if len(v.WorkAreas) == 1 {
				preselect = v.WorkAreas[0]
			}
			return m, preselect, true, "", nil
		}
		// Areas in several municipalities: the home may still decide.
	}
	// Anyone else starts from their own neighbourhood, when they chose one.
	id, m, ok, err := h.home(ctx, v)
	return m, id, ok, "", err
}

// home returns the id and municipality of the viewer's home neighbourhood;
// ok is false when there is none.
func (h *Handler) home(ctx context.Context, v *httpx.Viewer) (int64, Municipality, bool, error) {
	if v == nil || v.HomeNeighbourhood == "" {
		return 0, Municipality{}, false, nil
	}
	id, m, err := h.store.NeighbourhoodByCode(ctx, v.HomeNeighbourhood)
	if errors.Is(err, ErrNotFound) {
		return 0, Municipality{}, false, nil
	}
	return id, m, err == nil, err
}

// chooseMunicipality shows step 1 of the form, with selected chosen and msg
// (if any) as the error of the field.
func (h *Handler) chooseMunicipality(w http.ResponseWriter, r *http.Request, p layout.Page, status int, selected, msg string) error {
	munis, err := h.store.Municipalities(r.Context())
	if err != nil {
		return err
	}
	var errs validate.Errors
	if msg != "" {
		errs = validate.Errors{fieldMunicipality: msg}
	}
	return httpx.Render(w, r, status, ChooseMunicipalityPage(p, munis, selected, errs))
}

// renderForm shows step 2: the form with the neighbourhoods of muni.
func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, muni Municipality, f Form, errs validate.Errors) error {
	return h.renderFormFrom(w, r, status, muni, f, errs, false)
}

// renderFormFrom is renderForm, saying whether a street contact filled it in.
func (h *Handler) renderFormFrom(w http.ResponseWriter, r *http.Request, status int, muni Municipality, f Form, errs validate.Errors, fromContact bool) error {
	opts, err := h.store.NeighbourhoodsIn(r.Context(), muni.ID)
	if err != nil {
		return err
	}
	fv := FormView{Form: f, Errors: errs, Municipality: muni, Neighbourhoods: opts, FromContact: fromContact}
	return httpx.Render(w, r, status, FormPage(httpx.PageFor(r, "Signaal melden"), fv))
}

// Create stores a raised signal. The neighbourhood is checked with one
// query: it must exist and lie in the municipality of the form.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if v == nil {
		return httpx.ErrUnauthorized
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	pf := r.PostForm
	f := Form{
		Municipality:  pf.Get(fieldMunicipality),
		Neighbourhood: pf.Get("neighbourhood"), Title: pf.Get("title"), Description: pf.Get("description"),
		Theme: pf.Get("theme"), AddressedTo: pf.Get("addressed_to"), AddressedToOther: pf.Get("addressed_to_other"),
		Public: pf.Get("public") == ui.Yes, Token: pf.Get("token"),
	}
	// A form opened before the municipality step existed has no municipality
	// field: take the chosen neighbourhood's, so the text typed is not lost.
	if f.Municipality == "" {
		if id, err := strconv.ParseInt(f.Neighbourhood, 10, 64); err == nil && id > 0 {
			m, err := h.store.AreasMunicipality(ctx, []int64{id})
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			f.Municipality = m.Code
		}
	}
	// Token and municipality come from the form itself, not from the
	// person filling it in; without them it was not our form.
	if !uuid.Valid(f.Token) || !cbs.IsMunicipality(f.Municipality) {
		return httpx.ErrBadRequest
	}
	muni, err := h.store.MunicipalityByCode(ctx, f.Municipality)
	if errors.Is(err, ErrNotFound) {
		return httpx.ErrBadRequest
	}
	if err != nil {
		return err
	}
	var placeErr error
	in, errs := f.Validate(func(id int64) string {
		at, err := h.store.Place(ctx, id, muni.ID)
		switch {
		case err != nil:
			placeErr = err
		case at == NeighbourhoodElsewhere:
			return neighbourhoodElsewhereMessage(muni.Name)
		case at == NeighbourhoodInside:
			return ""
		}
		return msgNeighbourhoodUnknown
	})
	if placeErr != nil {
		return placeErr
	}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, muni, f, errs)
	}
	raisedAs := role.Resident
	if v.Has(role.Worker) {
		raisedAs = role.Worker
	}
	id, err := h.store.Create(ctx, v.ID, raisedAs, in)
	if err != nil && !errors.Is(err, ErrDuplicate) {
		return err
	}
	if err == nil {
		httpx.Flash(h.sessions, r, flashRaised)
	} else {
		httpx.Flash(h.sessions, r, flashAlreadyRaised)
	}
	return httpx.Redirect(w, r, signalPath(id))
}

// load returns the signal for the viewer, or the error to answer with.
func (h *Handler) load(r *http.Request, sc Scope) (Signal, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Signal{}, err
	}
	sig, err := h.store.Get(r.Context(), id, sc)
	if errors.Is(err, ErrForbidden) && sc.AccountID == 0 {
		return Signal{}, httpx.ErrUnauthorized // perhaps the raiser, not yet logged in
	}
	return sig, err
}

// loadVisible is load for the actions around a signal: one the viewer may
// not see does not exist for them (404).
func (h *Handler) loadVisible(r *http.Request, sc Scope) (Signal, error) {
	sig, err := h.load(r, sc)
	if errors.Is(err, ErrForbidden) {
		return Signal{}, ErrNotFound
	}
	return sig, err
}

// showView builds the detail page's view model.
func (h *Handler) showView(ctx context.Context, v *httpx.Viewer, sc Scope, sig Signal) (ShowView, error) {
	sv := ShowView{Signal: sig, Mine: v != nil && sig.RaisedBy == v.ID, LoggedIn: v != nil}
	// Names of responders are shown to those who see the signal through
	// their role; a public visitor sees roles only.
	sv.ShowNames = sv.Mine || sc.Admin || responderRole(sig, sc) != ""
	sv.Role = responderRole(sig, sc)
	if sv.Role != "" {
		sv.Next = NextStatuses(sv.Role, sig.Status)
		sv.Form = ResponseForm{Token: uuid.New()}
	}
	// A raiser who may also answer in a role (a worker of the area) answers
	// with the response form, which notifies the followers too.
	sv.CanReply = sv.Mine && sv.Role == ""
	if sv.CanReply {
		sv.Reply = ReplyForm{Token: uuid.New()}
	}
	// Recognise and follow: the rule of Store.mark, without the reach of an
	// administrator into private signals.
	sv.CanEngage = v != nil && !sv.Mine && (sig.Public || sv.Role != "")
	var err error
	if sv.CanEngage {
		if sv.Standing, err = h.store.StandingOf(ctx, sig.ID, v.ID); err != nil {
			return sv, err
		}
	}
	sv.Responses, err = h.store.Responses(ctx, sig.ID)
	return sv, err
}

// Show shows a signal and its timeline.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	sc := ScopeOf(v)
	sig, err := h.load(r, sc)
	if err != nil {
		return err
	}
	// A professional (worker of the area, officer of the municipality,
	// administrator) opening someone else's non-public signal leaves a trace,
	// naming the role it was opened in.
	if v != nil && !sig.Public && sig.RaisedBy != v.ID {
		as := role.Role(responderRole(sig, sc))
		if as == "" && sc.Admin {
			as = role.Admin
		}
		if err := h.audit.View(r.Context(), v.ID, "signal.view", "signal", sig.ID, "als "+role.Label(as)); err != nil {
			return err
		}
	}
	sv, err := h.showView(r.Context(), v, sc, sig)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ShowPage(httpx.PageFor(r, sig.Title), sv))
}

// Respond adds a response and/or status change by an officer of the
// signal's municipality or a worker of its neighbourhood.
func (h *Handler) Respond(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	sc := ScopeOf(v)
	sig, err := h.load(r, sc)
	if err != nil {
		return err
	}
	as := responderRole(sig, sc)
	if as == "" {
		return ErrForbidden
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := ResponseForm{Body: r.PostForm.Get("body"), Status: r.PostForm.Get("status"), Token: r.PostForm.Get("token")}
	if !uuid.Valid(f.Token) {
		return httpx.ErrBadRequest
	}
	in, errs := f.Validate(as, sig.Status)
	if errs.Valid() {
		err = h.store.Respond(r.Context(), sig.ID, sc, in)
		switch {
		case errors.Is(err, ErrTransition):
			// Someone changed the status in the meantime.
			errs = validate.Errors{"status": msgStatusChanged}
		case err != nil && !errors.Is(err, ErrDuplicate):
			return err
		default:
			if err == nil {
				httpx.Flash(h.sessions, r, flashResponded)
			}
			return httpx.Redirect(w, r, signalPath(sig.ID)+"#reacties")
		}
	}
	if errs.Has("status") && !errs.Has("body") && errs.Get("status") == msgStatusChanged {
		// Reload so the form offers the statuses that fit now.
		if sig, err = h.load(r, sc); err != nil {
			return err
		}
	}
	sv, err := h.showView(r.Context(), v, sc, sig)
	if err != nil {
		return err
	}
	sv.Form, sv.Errors = f, errs
	return httpx.Render(w, r, http.StatusUnprocessableEntity, ShowPage(httpx.PageFor(r, sig.Title), sv))
}

// Reply adds the raiser's reply to the timeline. Others who may see the
// signal get 403, those who may not 404 (the raiser is checked in the SQL).
func (h *Handler) Reply(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	sc := ScopeOf(v)
	sig, err := h.loadVisible(r, sc)
	if err != nil {
		return err
	}
	if sig.RaisedBy != v.ID {
		return ErrForbidden
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := ReplyForm{Body: r.PostForm.Get(fieldReply), Token: r.PostForm.Get("token")}
	if !uuid.Valid(f.Token) {
		return httpx.ErrBadRequest
	}
	in, errs := f.Validate()
	if errs.Valid() {
		err := h.store.Reply(r.Context(), sig.ID, sc, in)
		switch {
		case err != nil && !errors.Is(err, ErrDuplicate):
			return err
		case err == nil:
			httpx.Flash(h.sessions, r, flashReplied)
		}
		return httpx.Redirect(w, r, signalPath(sig.ID)+"#reacties")
	}
	sv, err := h.showView(r.Context(), v, sc, sig)
	if err != nil {
		return err
	}
	sv.CanReply, sv.Reply, sv.ReplyErrors = true, f, errs
	return httpx.Render(w, r, http.StatusUnprocessableEntity, ShowPage(httpx.PageFor(r, sig.Title), sv))
}

// Actions of the recognise and follow forms (hidden field "actie"): each
// form says what it wants, so a double submit cannot undo itself.
const (
	fieldAction    = "actie"
	actRecognise   = "herkennen"
	actUnrecognise = "intrekken"
	actFollow      = "volgen"
	actUnfollow    = "ontvolgen"
	anchorEngage   = "#meedoen"
)

// Recognise records or withdraws "Dit herken ik" for the viewer.
func (h *Handler) Recognise(w http.ResponseWriter, r *http.Request) error {
	return h.mark(w, r, actRecognise, actUnrecognise, h.store.Recognise, flashRecognised, flashUnrecognise, msgOwnRecognise)
}

// Follow starts or stops following the signal for the viewer.
func (h *Handler) Follow(w http.ResponseWriter, r *http.Request) error {
	return h.mark(w, r, actFollow, actUnfollow, h.store.Follow, flashFollowing, flashUnfollowed, msgOwnFollow)
}

// mark serves the recognise and follow forms: the action on (also when the
// form names none) or off, for a signal the viewer may see and did not raise.
func (h *Handler) mark(w http.ResponseWriter, r *http.Request, onAct, offAct string,
	store func(context.Context, int64, Scope, bool) error, flashOn, flashOff, msgOwn string) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	sc := ScopeOf(v)
	sig, err := h.loadVisible(r, sc)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	var on bool
	switch r.PostForm.Get(fieldAction) {
	case onAct, "": // a form without the field means the action itself
		on = true
	case offAct:
		on = false
	default:
		return httpx.ErrBadRequest // not our form
	}
	switch err := store(r.Context(), sig.ID, sc, on); {
	case errors.Is(err, ErrOwnSignal):
		sv, err := h.showView(r.Context(), v, sc, sig)
		if err != nil {
			return err
		}
		sv.EngageError = msgOwn
		return httpx.Render(w, r, http.StatusUnprocessableEntity, ShowPage(httpx.PageFor(r, sig.Title), sv))
	case errors.Is(err, ErrForbidden):
		return ErrNotFound // as loadVisible: one the viewer may not see does not exist for them
	case err != nil:
		return err
	}
	if on {
		httpx.Flash(h.sessions, r, flashOn)
	} else {
		httpx.Flash(h.sessions, r, flashOff)
	}
	return httpx.Redirect(w, r, signalPath(sig.ID)+anchorEngage)
}

// NeighbourhoodSection lists a neighbourhood's public signals on its page.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	items, total, code, err := h.store.ForNeighbourhood(ctx, neighbourhoodID, sectionSize)
	if err != nil {
		return nil, err
	}
	canRaise := v == nil || v.Has(role.Resident) || v.Has(role.Worker)
	return Section(items, total, code, canRaise), nil
}

const sectionSize = 10

// AccountSection lists the viewer's newest signals with their status on
// /account, so a raiser sees at a glance where each one stands.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if v == nil {
		return nil, nil
	}
	canRaise := v.Has(role.Resident) || v.Has(role.Worker)
	own, err := h.store.Own(ctx, v.ID, accountSize)
	if err != nil {
		return nil, err
	}
	if len(own) == 0 && !canRaise {
		return nil, nil
	}
	return AccountSection(own, canRaise), nil
}

const accountSize = 5
