package initiative

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/pagecache"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves the initiative pages and the open data API.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	// help renders "Wie kan helpen?" on the initiative page; nil shows nothing.
	help HelpFinder
	// baseURL makes the API's links absolute (e.g. https://buurtkracht.nl).
	baseURL string
	// Photos shows the photos on the initiative page; nil shows none.
	Photos Photos
	// Agenda renders the initiative's events on its page; nil shows nothing.
	Agenda AgendaSection
	// ListCache keeps rendered list pages for a few seconds (PAGE_CACHE_TTL);
	// nil renders every time.
	ListCache *pagecache.Memo[gzipsplice.Body]
}

// NewHandler returns the initiative handler. help may be nil (no "Wie kan
// helpen?" block); baseURL makes the open data API's links absolute.
func NewHandler(store *Store, sessions *scs.SessionManager, help HelpFinder, baseURL string) *Handler {
	return &Handler{store: store, sessions: sessions, help: help, baseURL: baseURL}
}

// access is what the viewer may do with one initiative.
type access struct {
	viewer    *httpx.Viewer
	owner     bool
	admin     bool
	supporter bool
	invited   bool // has an open invitation to become co-owner
}

// canManage: owners and administrators change an initiative.
func (a access) canManage() bool { return a.owner || a.admin }

// audited: an administrator who manages an initiative they do not own
// leaves a trace in the audit log.
func (a access) audited() bool { return a.admin && !a.owner }

// seesContact reports whether the viewer may see the contact details the
// initiative publishes: only people who joined it, or own it, as residents.
// The officer role never sees them, even when the same account is also a
// resident (DOMAIN.md); administrators and workers do not get them for
// their role either.
func (a access) seesContact() bool {
	return (a.owner || a.supporter) && a.viewer.Has(role.Resident) && !a.viewer.Has(role.Officer)
}

func initiativeURL(id int64) string { return "/initiatieven/" + strconv.FormatInt(id, 10) }

// load fetches the initiative of the URL and decides whether the viewer may
// see it: hidden ones only for owners and administrators (others get 404),
// members-only ones only for logged-in users (others go to the login page).
func (h *Handler) load(r *http.Request) (Initiative, access, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Initiative{}, access{}, err
	}
	i, err := h.store.Get(r.Context(), id)
	if err != nil {
		return i, access{}, err
	}
	a := access{viewer: httpx.ViewerFrom(r.Context())}
	if a.viewer != nil {
		a.admin = a.viewer.Has(role.Admin)
		if a.owner, a.supporter, a.invited, err = h.store.Relation(r.Context(), id, a.viewer.ID); err != nil {
			return i, a, err
		}
	}
	switch {
	case i.Hidden() && !a.canManage():
		return i, a, httpx.ErrNotFound
	case i.Visibility == Members && a.viewer == nil:
		return i, a, httpx.ErrUnauthorized
	}
	return i, a, nil
}

// loadManaged is load for owners and administrators only.
func (h *Handler) loadManaged(r *http.Request) (Initiative, access, error) {
	i, a, err := h.load(r)
	if err != nil {
		return i, a, err
	}
	if !a.canManage() {
		return i, a, httpx.ErrForbidden
	}
	return i, a, nil
}

// List shows the searchable, filtered list of initiatives.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	f, ok := parseFilter(r.URL.Query(), pageKeys)
	if !ok {
		return httpx.ErrBadRequest
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("pagina"))
	if page < 1 {
		page = 1
	}
	if page > 10000 {
		return httpx.ErrBadRequest
	}
	viewer := httpx.ViewerFrom(r.Context())
	members := viewer != nil
	// What the list shows depends only on these: every logged-in viewer
	// sees the same members-only initiatives. The rendered body is shared
	// for a few seconds (ListCache); writers read fresh.
	key := fmt.Sprintf("%+v|%t|%d|%t|%t", f, members, page, canCreate(viewer), viewer.Has(role.Admin))
	body, err := h.ListCache.Get(r.Context(), key, func() (gzipsplice.Body, error) {
		store := h.store.forReads(r.Context())
		res, err := store.List(r.Context(), f, members, page, PageSize)
		if err != nil {
			return gzipsplice.Body{}, err
		}
		munis, err := store.ListedMunicipalities(r.Context(), members)
		if err != nil {
			return gzipsplice.Body{}, err
		}
		var places []Place
		if f.Municipality != "" {
			if places, err = store.Places(r.Context(), f.Municipality); err != nil {
				return gzipsplice.Body{}, err
			}
		}
		v := ListView{Filter: f, Result: res, Page: page, Municipalities: munis, Places: places, CanCreate: canCreate(viewer), Admin: viewer.Has(role.Admin)}
		return gzipsplice.Render(r.Context(), ListBody(v))
	})
	if err != nil {
		return err
	}
	p := httpx.PageFor(r, "Initiatieven")
	p.Description = "Bewonersinitiatieven in de buurt: zoek, doe mee of help."
	return httpx.RenderSpliced(w, r, http.StatusOK, body, func(b templ.Component) templ.Component { return ListPage(p, b) })
}

func canCreate(v *httpx.Viewer) bool { return v.Has(role.Resident) || v.Has(role.Worker) }

// filterKeys are the query parameter names of the filters.
type filterKeys struct{ query, municipality, district, neighbourhood, theme, status, need string }

var (
	pageKeys = filterKeys{"zoek", "gemeente", "wijk", "buurt", "thema", "status", "behoefte"}
	apiKeys  = filterKeys{"q", "municipality", "district", "neighbourhood", "theme", "status", "need"}
)

// parseFilter reads the list filters from the query string; ok is false for
// values that cannot be valid (an unknown theme, a malformed code).
func parseFilter(q url.Values, k filterKeys) (Filter, bool) {
	f := Filter{
		Municipality: q.Get(k.municipality), District: q.Get(k.district), Neighbourhood: q.Get(k.neighbourhood),
		Theme: q.Get(k.theme), Status: Status(q.Get(k.status)), Need: NeedCode(q.Get(k.need)),
	}
	query, ok := validate.CleanText(q.Get(k.query), false)
	if !ok || len([]rune(query)) > 200 {
		return f, false
	}
	f.Query = query
	switch {
	case f.Municipality != "" && !cbs.IsMunicipality(f.Municipality),
		f.District != "" && !cbs.IsDistrict(f.District),
		f.Neighbourhood != "" && !cbs.IsNeighbourhood(f.Neighbourhood),
		f.Theme != "" && !theme.Valid(f.Theme),
		f.Status != "" && !slices.Contains(Statuses, f.Status),
		f.Need != "" && !slices.Contains(Needs, f.Need):
		return f, false
	}
	return f, true
}

// New shows the registration form. Without a chosen municipality it first
// asks for one (unless there is only one, or the viewer's home neighbourhood
// decides it), so the neighbourhood list stays short. The home neighbourhood
// starts ticked when it lies in the form's municipality.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	code := r.URL.Query().Get("gemeente")
	munis, err := h.store.Municipalities(r.Context())
	if err != nil {
		return err
	}
	home := ""
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		home = v.HomeNeighbourhood
	}
	switch {
	case r.URL.Query().Has("kies"):
		code = ""
	case code == "" && home != "":
		// The resident's own neighbourhood decides the municipality.
		if code, err = h.store.MunicipalityOf(r.Context(), home); err != nil {
			return err
		}
	}
	if code == "" && len(munis) == 1 && !r.URL.Query().Has("kies") {
		code = munis[0].Code
	}
	muni := findMunicipality(munis, code)
	p := httpx.PageFor(r, "Initiatief aanmelden")
	if muni == nil {
		return httpx.Render(w, r, http.StatusOK, ChooseMunicipalityPage(p, munis, code != ""))
	}
	places, err := h.store.Places(r.Context(), muni.Code)
	if err != nil {
		return err
	}
	in := blankInput(muni.Code)
	if home != "" && slices.ContainsFunc(places, func(pl Place) bool { return pl.Code == home }) {
		in.Neighbourhoods = []string{home} // preselected; other neighbourhoods can still be ticked
	}
	fv := FormView{Input: in, MunicipalityName: muni.Name, Places: places, Action: "/initiatieven/nieuw", New: true, OtherMunicipalities: len(munis) > 1}
	return httpx.Render(w, r, http.StatusOK, FormPage(p, fv, nil))
}

// findMunicipality returns the municipality of munis with code, or nil.
func findMunicipality(munis []Municipality, code string) *Municipality {
	if k := slices.IndexFunc(munis, func(m Municipality) bool { return m.Code == code }); k >= 0 {
		return &munis[k]
	}
	return nil
}

// Create registers an initiative; the creator becomes its owner.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	v := httpx.ViewerFrom(r.Context())
	code := r.PostForm.Get(fMunicipality)
	if !cbs.IsMunicipality(code) || !uuid.Valid(r.PostForm.Get(fKey)) {
		return httpx.ErrBadRequest
	}
	munis, err := h.store.Municipalities(r.Context())
	if err != nil {
		return err
	}
	muni := findMunicipality(munis, code)
	if muni == nil {
		return httpx.ErrBadRequest
	}
	places, err := h.store.Places(r.Context(), code)
	if err != nil {
		return err
	}
	in, errs := parseInput(r.PostForm, places, nil)
	if !errs.Valid() {
		fv := FormView{Input: in, MunicipalityName: muni.Name, Places: places, Action: "/initiatieven/nieuw", New: true, OtherMunicipalities: len(munis) > 1}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(httpx.PageFor(r, "Initiatief aanmelden"), fv, errs))
	}
	id, created, err := h.store.Create(r.Context(), in, v.ID)
	if err != nil {
		return err
	}
	if created {
		httpx.Flash(h.sessions, r, msgCreated)
	} else {
		httpx.Flash(h.sessions, r, msgAlreadyCreated)
	}
	return httpx.Redirect(w, r, initiativeURL(id))
}

// Show is the initiative page.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.load(r)
	if err != nil {
		return err
	}
	return h.renderDetail(w, r, http.StatusOK, i, a, PageForms{UpdateKey: uuid.New(), Errs: validate.Errors{}})
}

func (h *Handler) renderDetail(w http.ResponseWriter, r *http.Request, status int, i Initiative, a access, f PageForms) error {
	if a.admin && !a.owner {
		// An administrator sees who joined and who offered help, with their messages.
		if err := h.store.Audit(r.Context(), a.viewer.ID, "initiative.view", "initiative", i.ID); err != nil {
			return err
		}
	}
	var viewerID int64
	if a.viewer != nil {
		viewerID = a.viewer.ID
	}
	d, err := h.store.LoadDetail(r.Context(), i.ID, a.canManage(), a.admin, viewerID)
	if err != nil {
		return err
	}
	var help templ.Component
	if h.help != nil && !i.Hidden() && len(i.Needs) > 0 && i.Status != Stopped {
		needs := make([]string, len(i.Needs))
		for k, n := range i.Needs {
			needs[k] = string(n.Code)
		}
		if help, err = h.help.HelpFor(r.Context(), i.NeighbourhoodIDs(), needs, a.viewer); err != nil {
			return err
		}
	}
	var photos templ.Component
	if h.Photos != nil {
		if photos, err = h.Photos.InitiativePhotos(r.Context(), i.ID, a.viewer); err != nil {
			return err
		}
	}
	var agenda templ.Component
	if h.Agenda != nil && !i.Hidden() {
		if agenda, err = h.Agenda.InitiativeAgenda(r.Context(), i.ID, a.owner, a.viewer); err != nil {
			return err
		}
	}
	if f.Errs == nil {
		f.Errs = validate.Errors{}
	}
	if f.UpdateKey == "" {
		f.UpdateKey = uuid.New()
	}
	view := DetailView{
		I: i, D: d, LoggedIn: a.viewer != nil, Owner: a.owner, Admin: a.admin, Supporter: a.supporter,
		Help: help, Photos: photos, Agenda: agenda, Forms: f, Confirmed: a.viewer != nil && a.viewer.EmailConfirmed, SeesContact: a.seesContact(),
		Invitations: d.Invitations,
	}
	if a.viewer != nil {
		view.ViewerID = a.viewer.ID
	}
	if a.invited && !a.owner {
		mine, err := h.store.InvitationsFor(r.Context(), a.viewer.ID, i.ID)
		if err != nil {
			return err
		}
		if len(mine) > 0 {
			view.Invitation = &mine[0]
		}
	}
	if !view.SeesContact {
		// Not even in the HTML source: the template gets no contact details.
		view.I.ContactDetails = ""
	}
	p := httpx.PageFor(r, i.Title)
	p.Description = i.Summary
	return httpx.Render(w, r, status, DetailPage(p, view))
}

// Edit shows the edit form to owners and administrators.
func (h *Handler) Edit(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadManaged(r)
	if err != nil {
		return err
	}
	places, err := h.store.Places(r.Context(), i.MunicipalityCode)
	if err != nil {
		return err
	}
	fv := FormView{Input: inputFrom(i), MunicipalityName: i.MunicipalityName, Places: places, Action: initiativeURL(i.ID) + "/bewerken", ID: i.ID,
		HideContact: !a.seesContact()}
	if fv.HideContact {
		fv.Input.ContactDetails = ""
	}
	return httpx.Render(w, r, http.StatusOK, FormPage(httpx.PageFor(r, "Initiatief bewerken"), fv, nil))
}

// Save stores an edit with the version check: when someone else saved in
// between, the form comes back with the user's input and a clear message.
func (h *Handler) Save(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadManaged(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	places, err := h.store.Places(r.Context(), i.MunicipalityCode)
	if err != nil {
		return err
	}
	hide := !a.seesContact()
	if hide {
		// Someone who may not see the contact details (an officer, an
		// administrator) edits without them: the stored ones are kept.
		r.PostForm.Set(fContactInfo, i.ContactDetails)
	}
	in, errs := parseInput(r.PostForm, places, i.Needs)
	in.Municipality = i.MunicipalityCode
	fv := FormView{Input: in, MunicipalityName: i.MunicipalityName, Places: places, Action: initiativeURL(i.ID) + "/bewerken", ID: i.ID, HideContact: hide}
	if hide {
		// Shown again (422, 409): still without them. A preference that
		// needs details the viewer cannot give is reported on the
		// preference, the field they do see.
		fv.Input.ContactDetails = ""
		if errs.Has(fContactInfo) {
			delete(errs, fContactInfo)
			errs.Add(fContact, msgContactHidden)
		}
	}
	p := httpx.PageFor(r, "Initiatief bewerken")
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FormPage(p, fv, errs))
	}
	err = h.store.Update(r.Context(), i.ID, in, a.viewer.ID, a.admin)
	if errors.Is(err, ErrConflict) {
		// Keep the user's input, but move the version on so a deliberate
		// second save (after reading the other change) goes through.
		cur, err := h.store.Get(r.Context(), i.ID)
		if err != nil {
			return err
		}
		fv.Input.Version = cur.Version
		fv.Conflict = true
		return httpx.Render(w, r, http.StatusConflict, FormPage(p, fv, validate.Errors{}))
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgSaved)
	return httpx.Redirect(w, r, initiativeURL(i.ID))
}

// postedForm loads the initiative of the URL with load (h.load or
// h.loadManaged) and parses the posted form, one of the small forms on its
// page (named form).
func (h *Handler) postedForm(r *http.Request, load func(*http.Request) (Initiative, access, error), form string) (Initiative, access, PageForms, error) {
	i, a, err := load(r)
	if err != nil {
		return i, a, PageForms{}, err
	}
	if err := r.ParseForm(); err != nil {
		return i, a, PageForms{}, httpx.ErrBadRequest
	}
	return i, a, PageForms{Posted: form, Errs: validate.Errors{}}, nil
}

// savePageForm finishes a small form on the initiative page: with field
// errors the page comes back (422) with the input kept; otherwise save
// runs, and the viewer goes back to the page (at anchor) with msg.
func (h *Handler) savePageForm(w http.ResponseWriter, r *http.Request, i Initiative, a access, f PageForms, save func() error, msg, anchor string) error {
	if !f.Errs.Valid() {
		if !pageFormOpen(f.Posted, i, a.viewer != nil, a.owner, a.admin, a.viewer != nil && a.viewer.EmailConfirmed) {
			// The page does not have this form for the viewer (owners do
			// not offer help to or report their own initiative), or no
			// longer has it (hidden or stopped meanwhile): its errors
			// would show nowhere.
			if a.owner && (f.Posted == pageFormOffer || f.Posted == pageFormReport) {
				return fault.Wrap(fault.ErrForbidden, "initiative: form "+f.Posted+" not for owners")
			}
			return fault.Wrap(fault.ErrConflict, "initiative: form "+f.Posted+" not offered")
		}
		return h.renderDetail(w, r, http.StatusUnprocessableEntity, i, a, f)
	}
	if err := save(); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msg)
	return httpx.Redirect(w, r, initiativeURL(i.ID)+anchor)
}

// SetStatus changes the status with an optional note.
func (h *Handler) SetStatus(w http.ResponseWriter, r *http.Request) error {
	i, a, f, err := h.postedForm(r, h.loadManaged, pageFormStatus)
	if err != nil {
		return err
	}
	f.Status = choice(f.Errs, "nieuwe_status", r.PostForm.Get("nieuwe_status"), Statuses)
	f.Note = f.Errs.Text("toelichting", r.PostForm.Get("toelichting"), validate.Rule{Max: MaxNote, Multiline: true})
	return h.savePageForm(w, r, i, a, f, func() error {
		return h.store.SetStatus(r.Context(), i.ID, f.Status, f.Note, a.viewer.ID, a.admin)
	}, msgStatus, "")
}

// Stop closes an initiative: status gestopt, recorded in the history.
func (h *Handler) Stop(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadManaged(r)
	if err != nil {
		return err
	}
	if err := h.store.SetStatus(r.Context(), i.ID, Stopped, "", a.viewer.ID, a.admin); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgStopped)
	return httpx.Redirect(w, r, initiativeURL(i.ID))
}

// PostUpdate adds a short post by an owner.
func (h *Handler) PostUpdate(w http.ResponseWriter, r *http.Request) error {
	i, a, f, err := h.postedForm(r, h.loadManaged, pageFormUpdate)
	if err != nil {
		return err
	}
	if f.UpdateKey = r.PostForm.Get("bericht_sleutel"); !uuid.Valid(f.UpdateKey) {
		return httpx.ErrBadRequest
	}
	f.Update = f.Errs.Text("bericht", r.PostForm.Get("bericht"), validate.Rule{Required: true, Max: MaxUpdate, Multiline: true})
	return h.savePageForm(w, r, i, a, f, func() error {
		return h.store.PostUpdate(r.Context(), i.ID, f.Update, f.UpdateKey, a.viewer.ID, a.admin)
	}, msgUpdatePosted, "#berichten")
}

// Support joins ("ik doe mee", actie=mee) or leaves (actie=af).
func (h *Handler) Support(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.load(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	join := r.PostForm.Get("actie") == "mee"
	if !join && r.PostForm.Get("actie") != "af" {
		return httpx.ErrBadRequest
	}
	if err := h.store.SetSupport(r.Context(), i.ID, a.viewer.ID, join); err != nil {
		return err
	}
	if join {
		httpx.Flash(h.sessions, r, msgJoined)
	} else {
		httpx.Flash(h.sessions, r, msgLeft)
	}
	return httpx.Redirect(w, r, initiativeURL(i.ID))
}

// Offer sends an offer of help with one need to the owners.
func (h *Handler) Offer(w http.ResponseWriter, r *http.Request) error {
	i, a, f, err := h.postedForm(r, h.load, pageFormOffer)
	if err != nil {
		return err
	}
	f.OfferNeed = NeedCode(r.PostForm.Get("hulp"))
	allowed := i.NeedCodes()
	if len(allowed) == 0 {
		allowed = Needs
	}
	if f.OfferNeed == "" {
		f.Errs.Add("hulp", msgNeedOffer)
	} else if !slices.Contains(allowed, f.OfferNeed) {
		f.Errs.Add("hulp", msgChooseOne)
	}
	f.OfferMessage = f.Errs.Text("hulp_bericht", r.PostForm.Get("hulp_bericht"), validate.Rule{Required: true, Max: MaxMessage, Multiline: true})
	return h.savePageForm(w, r, i, a, f, func() error {
		return h.store.Offer(r.Context(), i.ID, a.viewer.ID, f.OfferNeed, f.OfferMessage)
	}, msgOffered, "")
}

// Report lets any logged-in user report an initiative to the moderators.
func (h *Handler) Report(w http.ResponseWriter, r *http.Request) error {
	i, a, f, err := h.postedForm(r, h.load, pageFormReport)
	if err != nil {
		return err
	}
	f.Report = f.Errs.Text("melding", r.PostForm.Get("melding"), validate.Rule{Required: true, Max: MaxReason, Multiline: true})
	return h.savePageForm(w, r, i, a, f, func() error {
		return h.store.Report(r.Context(), i.ID, a.viewer.ID, f.Report)
	}, msgReported, "")
}

// Hide lets an administrator hide an initiative with a reason the owners see.
func (h *Handler) Hide(w http.ResponseWriter, r *http.Request) error {
	i, a, f, err := h.postedForm(r, h.load, pageFormHide)
	if err != nil {
		return err
	}
	f.HideReason = f.Errs.Text("reden", r.PostForm.Get("reden"), validate.Rule{Required: true, Max: MaxNote, Multiline: true})
	return h.savePageForm(w, r, i, a, f, func() error {
		return h.store.SetHidden(r.Context(), i.ID, true, f.HideReason, a.viewer.ID)
	}, msgHidden, "")
}

// Unhide makes a hidden initiative visible again.
func (h *Handler) Unhide(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.load(r)
	if err != nil {
		return err
	}
	if err := h.store.SetHidden(r.Context(), i.ID, false, "", a.viewer.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgShown)
	return httpx.Redirect(w, r, initiativeURL(i.ID))
}

// ModerationShown is how many reported or hidden initiatives the moderation
// list shows, the most recently reported first.
const ModerationShown = 200

// Moderation lists reported and hidden initiatives for administrators.
func (h *Handler) Moderation(w http.ResponseWriter, r *http.Request) error {
	items, more, err := h.store.Moderation(r.Context(), ModerationShown)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ModerationPage(httpx.PageFor(r, "Gemelde inhoud: initiatieven"), items, more))
}
