package asset

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Handler serves the asset map pages and the asset blocks other features
// show: on a neighbourhood page (NeighbourhoodSection), on an initiative page
// (HelpFor) and on the account page (AccountSection).
type Handler struct {
	store    *Store
	audit    *audit.Log
	sessions *scs.SessionManager
	// PerNeed is how many assets HelpFor shows per need; PerKind how many the
	// neighbourhood section names per kind.
	PerNeed, PerKind int
}

// NewHandler returns the asset handler with the usual limits (five per
// need and per kind).
func NewHandler(store *Store, sessions *scs.SessionManager, log *audit.Log) *Handler {
	return &Handler{store: store, audit: log, sessions: sessions, PerNeed: 5, PerKind: 5}
}

func viewerOf(v *httpx.Viewer) Viewer {
	if v == nil {
		return Viewer{}
	}
	officerOnly := v.Has(role.Officer) && !v.Has(role.Worker) && !v.Has(role.Admin)
	return Viewer{ID: v.ID, LoggedIn: true, Admin: v.Has(role.Admin), Talents: !officerOnly}
}

func (v Viewer) scope() Scope {
	return Scope{LoggedIn: v.LoggedIn, Talents: v.Talents, WithHidden: v.Admin}
}

// knownNeeds keeps the known need codes of raw, once each, in canonical order.
func knownNeeds(raw []string) []Need {
	var out []Need
	for _, n := range Needs {
		if slices.Contains(raw, string(n)) {
			out = append(out, n)
		}
	}
	return out
}

// groupByKind splits a list ordered by kind into groups of the kinds the
// viewer may see (talents only for logged-in viewers), empty ones included.
func groupByKind(assets []Asset, v Viewer) []Group {
	var groups []Group
	for _, k := range Kinds {
		if k == Talent && !v.Talents {
			continue
		}
		g := Group{Kind: k}
		for _, a := range assets {
			if a.Kind == k {
				g.Assets = append(g.Assets, a)
			}
		}
		g.Count = len(g.Assets)
		groups = append(groups, g)
	}
	return groups
}

// List shows who can help in a neighbourhood, grouped by kind and filtered by need.
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	nb, err := h.store.Neighbourhood(ctx, chi.URLParam(r, "code"))
	if err != nil {
		return err
	}
	v := viewerOf(httpx.ViewerFrom(ctx))
	needs := knownNeeds(r.URL.Query()["nodig"])
	assets, err := h.store.List(ctx, nb.ID, needs, v.scope())
	if err != nil {
		return err
	}
	vm := ListView{Neighbourhood: nb, Groups: groupByKind(assets, v), Needs: needs, Viewer: v, Total: len(assets)}
	return httpx.Render(w, r, http.StatusOK, ListPage(httpx.PageFor(r, "Wie kan helpen in "+nb.Name+"?"), vm))
}

// New shows the first step (choose a kind) or the form of a chosen kind.
func (h *Handler) New(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := Form{Kind: Kind(q.Get("soort")), Neighbourhood: neighbourhoodCode(q.Get("buurt")), Municipality: municipalityCode(q.Get("gemeente")),
		Visibility: Public}
	if !slices.Contains(Kinds, f.Kind) {
		return httpx.Render(w, r, http.StatusOK, ChooseKindPage(httpx.PageFor(r, "Hulpbron toevoegen"), f.Neighbourhood))
	}
	f.Token = uuid.New()
	fromHome := false
	if v := httpx.ViewerFrom(r.Context()); f.Neighbourhood == "" && f.Municipality == "" && v != nil && v.HomeNeighbourhood != "" &&
		(f.Kind == Talent || len(v.WorkAreas) == 0) {
		// A talent is offered where one lives; a resident's place, network
		// or business most likely lies there too. A worker's lie in their
		// work areas, so theirs start empty.
		f.Neighbourhood, fromHome = v.HomeNeighbourhood, true
	}
	return h.renderForm(w, r, http.StatusOK, FormView{Form: f, FromHome: fromHome}, nil)
}

// Create stores a new asset of the logged-in user.
func (h *Handler) Create(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	if r.PostForm.Get("website") != "" {
		return httpx.ErrBadRequest // the honeypot: filled in by bots only
	}
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	f := FormFrom(r.PostForm)
	if !uuid.Valid(f.Token) {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	in := f.Validate(errs)
	nb, err := h.resolveNeighbourhood(ctx, &f, errs)
	if err != nil {
		return err
	}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, FormView{Form: f}, errs)
	}
	in.NeighbourhoodID = nb.ID
	id, _, err := h.store.Create(ctx, v.ID, f.Token, in)
	if err != nil {
		return err
	}
	if in.Kind == Talent {
		httpx.Flash(h.sessions, r, flashTalent)
	} else {
		httpx.Flash(h.sessions, r, flashCreated)
	}
	return httpx.Redirect(w, r, ListPath(nb.Code)+"#"+anchor(id))
}

// resolveNeighbourhood turns the chosen code into a neighbourhood, adding a
// field error when it is unknown.
func (h *Handler) resolveNeighbourhood(ctx context.Context, f *Form, errs validate.Errors) (Neighbourhood, error) {
	if errs.Has("buurt") {
		return Neighbourhood{}, nil
	}
	nb, err := h.store.Neighbourhood(ctx, f.Neighbourhood)
	if errors.Is(err, ErrNotFound) {
		errs.Add("buurt", msgNeighbourhoodMissing)
		f.Neighbourhood = ""
		return Neighbourhood{}, nil
	}
	return nb, err
}

// renderForm fills in the choices of the form: the municipalities and the
// neighbourhoods of those the viewer is tied to, the one chosen and the one
// asked for.
func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, fv FormView, errs validate.Errors) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	fv.Viewer = viewerOf(v)
	ms, err := h.store.Municipalities(ctx)
	if err != nil {
		return err
	}
	fv.Municipalities = ms
	scope, err := h.store.ViewerMunicipalities(ctx, v.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Code == fv.Form.Municipality {
			scope = append(scope, m.ID)
		}
	}
	if fv.Form.Neighbourhood != "" {
		if _, ok := validate.CleanText(fv.Form.Neighbourhood, false); ok {
			nb, err := h.store.Neighbourhood(ctx, fv.Form.Neighbourhood)
			switch {
			case err == nil:
				scope = append(scope, nb.MunicipalityID)
				if fv.Form.Municipality == "" {
					fv.Form.Municipality = nb.MunicipalityCode
				}
			case !errors.Is(err, ErrNotFound):
				return err
			}
		}
	}
	if fv.Options, err = h.store.NeighbourhoodOptions(ctx, scope); err != nil {
		return err
	}
	title := "Hulpbron toevoegen"
	switch {
	case fv.ID != 0:
		title = "Hulpbron bewerken"
	case fv.Form.Kind == Talent:
		title = "Mijn talent toevoegen"
	case slices.Contains(Kinds, fv.Form.Kind):
		title = KindLabel(fv.Form.Kind) + " toevoegen"
	}
	return httpx.Render(w, r, status, FormPage(httpx.PageFor(r, title), fv, errs))
}

// editable loads the asset of the URL when the viewer may change it.
func (h *Handler) editable(r *http.Request) (Asset, Viewer, error) {
	v := viewerOf(httpx.ViewerFrom(r.Context()))
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Asset{}, v, err
	}
	a, err := h.store.Editable(r.Context(), id, v.ID, v.Admin)
	return a, v, err
}

// Edit shows the edit form to the owner or an administrator.
func (h *Handler) Edit(w http.ResponseWriter, r *http.Request) error {
	a, v, err := h.editable(r)
	if err != nil {
		return err
	}
	if a.Kind == Talent && a.CreatedBy != v.ID {
		// An administrator opening a resident's talent leaves a trace.
		if err := h.audit.Record(r.Context(), v.ID, "asset.view", "asset", a.ID, ""); err != nil {
			return err
		}
	}
	f := FormFromAsset(a)
	f.Municipality = municipalityCode(r.URL.Query().Get("gemeente"))
	return h.renderForm(w, r, http.StatusOK, FormView{Form: f, ID: a.ID}, nil)
}

// Update saves the edit form. The kind of an asset does not change.
func (h *Handler) Update(w http.ResponseWriter, r *http.Request) error {
	a, v, err := h.editable(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	f := FormFrom(r.PostForm)
	f.Kind, f.Token = a.Kind, ""
	errs := validate.Errors{}
	in := f.Validate(errs)
	nb, err := h.resolveNeighbourhood(ctx, &f, errs)
	if err != nil {
		return err
	}
	if !errs.Valid() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, FormView{Form: f, ID: a.ID}, errs)
	}
	in.NeighbourhoodID = nb.ID
	if err := h.store.Update(ctx, a.ID, v.ID, v.Admin, in); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashSaved)
	return httpx.Redirect(w, r, ListPath(nb.Code)+"#"+anchor(a.ID))
}

// Delete removes an asset of the owner (or any, for an administrator).
func (h *Handler) Delete(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(httpx.ViewerFrom(r.Context()))
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	code, err := h.store.Delete(r.Context(), id, v.ID, v.Admin)
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashDeleted)
	return httpx.Redirect(w, r, httpx.SafeNext(r.PostForm.Get("volgende"), ListPath(code)))
}

// assetForAdmin loads the asset of the URL with hidden ones included.
func (h *Handler) assetForAdmin(r *http.Request) (Asset, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Asset{}, err
	}
	return h.store.Get(r.Context(), id, Scope{LoggedIn: true, Talents: true, WithHidden: true})
}

// HideForm asks an administrator for the reason to hide an asset.
func (h *Handler) HideForm(w http.ResponseWriter, r *http.Request) error {
	a, err := h.assetForAdmin(r)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, HidePage(httpx.PageFor(r, "Hulpbron verbergen"), a, "", nil))
}

// Hide hides an asset from every list, with a reason its owner sees.
func (h *Handler) Hide(w http.ResponseWriter, r *http.Request) error {
	a, err := h.assetForAdmin(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	raw := r.PostForm.Get("reden")
	if s, ok := validate.CleanText(raw, true); ok && s == "" {
		errs.Add("reden", msgReasonMissing)
	}
	reason := errs.Text("reden", raw, validate.Rule{Required: true, Max: maxReason, Multiline: true})
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, HidePage(httpx.PageFor(r, "Hulpbron verbergen"), a, reason, errs))
	}
	v := httpx.ViewerFrom(r.Context())
	code, err := h.store.SetHidden(r.Context(), a.ID, v.ID, true, reason)
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashHidden)
	return httpx.Redirect(w, r, ListPath(code)+"#"+anchor(a.ID))
}

// Show makes a hidden asset visible again.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	a, err := h.assetForAdmin(r)
	if err != nil {
		return err
	}
	v := httpx.ViewerFrom(r.Context())
	code, err := h.store.SetHidden(r.Context(), a.ID, v.ID, false, "")
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashShown)
	return httpx.Redirect(w, r, ListPath(code)+"#"+anchor(a.ID))
}

// Mine lists the logged-in user's own talents and assets.
func (h *Handler) Mine(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	mine, err := h.store.Mine(r.Context(), v.ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, MinePage(httpx.PageFor(r, "Mijn talenten en hulpbronnen"), mine, canAdd(v)))
}

// AccountSection lists the viewer's own talents and assets on /account
// (one of the account page's sections).
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if v == nil {
		return templ.NopComponent, nil
	}
	mine, err := h.store.Mine(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if len(mine) == 0 && !canAdd(v) {
		return nil, nil
	}
	return MineSection(mine, canAdd(v)), nil
}

// NeighbourhoodSection is the "wie kan helpen" block of a neighbourhood page
// (a neighbourhood.Section): per kind the count and the first few, in this
// neighbourhood and the neighbouring ones of its district, nearest first,
// each with the neighbourhood it is in; in two queries.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, hv *httpx.Viewer) (templ.Component, error) {
	nbs, err := h.store.Neighbourhoods(ctx, []int64{neighbourhoodID})
	if err != nil {
		return nil, err
	}
	if len(nbs) == 0 {
		return nil, ErrNotFound
	}
	v := viewerOf(hv)
	sum, err := h.store.Summary(ctx, neighbourhoodID, Scope{LoggedIn: v.LoggedIn, Talents: v.Talents}, h.PerKind)
	if err != nil {
		return nil, err
	}
	vm := SectionView{Neighbourhood: nbs[0], Viewer: v}
	for _, k := range Kinds {
		if k == Talent && !v.Talents {
			continue
		}
		g := Group{Kind: k}
		if s := sum[k]; s != nil {
			g.Count, g.Assets = s.Count, s.First
		}
		vm.Groups = append(vm.Groups, g)
	}
	return NeighbourhoodBlock(vm), nil
}

// HelpFor shows, for an initiative's needs, who in its neighbourhoods can
// help (the initiative.HelpFinder the app wires). Talents are shown to
// logged-in viewers only, with the
// owner's first name. One query finds the matches of every need.
func (h *Handler) HelpFor(ctx context.Context, neighbourhoodIDs []int64, needs []string, hv *httpx.Viewer) (templ.Component, error) {
	known := knownNeeds(needs)
	if len(known) == 0 || len(neighbourhoodIDs) == 0 {
		return templ.NopComponent, nil
	}
	nbs, err := h.store.Neighbourhoods(ctx, neighbourhoodIDs)
	if err != nil {
		return nil, err
	}
	v := viewerOf(hv)
	matches, err := h.store.HelpFor(ctx, neighbourhoodIDs, known, v.scope(), h.PerNeed)
	if err != nil {
		return nil, err
	}
	return HelpBlock(HelpView{Neighbourhoods: nbs, Matches: matches, Viewer: v}), nil
}

// canAdd reports whether v may add assets (the roles of the /hulpbronnen/nieuw route).
func canAdd(v *httpx.Viewer) bool {
	return v.Has(role.Resident) || v.Has(role.Worker) || v.Has(role.Admin)
}
