package account

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

const (
	accountsPerPage = 25
	auditPerPage    = 50
)

// AdminHome is the administration overview.
func (h *Handler) AdminHome(w http.ResponseWriter, r *http.Request) error {
	o, err := h.store.Overview(r.Context())
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, AdminHomePage(httpx.PageFor(r, "Beheer"), o))
}

// AccountList is the view model of /beheer/accounts.
type AccountList struct {
	Filter AccountFilter
	Rows   []AccountRow
	Pager  Pager
	Roles  []ui.Option
}

// AdminAccounts lists accounts, searchable by e-mail or name and filtered by role.
func (h *Handler) AdminAccounts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := AccountFilter{Role: role.Role(q.Get("rol"))}
	if text, ok := validate.CleanText(q.Get("q"), false); ok {
		f.Query = text // a search with control characters matches nothing useful; drop it
	}
	if len([]rune(f.Query)) > 100 {
		f.Query = string([]rune(f.Query)[:100])
	}
	if !slices.Contains(role.All, f.Role) {
		f.Role = ""
	}
	pg := newPager("/beheer/accounts", filterQuery(f), pageParam(q), accountsPerPage)
	// The list shows people's names and addresses: one audit entry per page
	// view. The search text may itself be a name or address, so the entry
	// says only that there was one.
	search := "nee"
	if f.Query != "" {
		search = "ja"
	}
	if err := h.audit.View(r.Context(), httpx.ViewerFrom(r.Context()).ID, "account.list", "account", 0,
		fmt.Sprintf("rol=%s zoekterm=%s pagina=%d", f.Role, search, pageParam(q))); err != nil {
		return err
	}
	rows, total, err := h.store.SearchAccounts(r.Context(), f, pg.PerPage, pg.Offset())
	if err != nil {
		return err
	}
	pg.Total = total
	opts := []ui.Option{}
	for _, ro := range role.All {
		opts = append(opts, ui.Option{Value: string(ro), Label: role.Label(ro)})
	}
	p := httpx.PageFor(r, "Accounts")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, AdminAccountsPage(p, AccountList{Filter: f, Rows: rows, Pager: pg, Roles: opts}))
}

// AssignForm is the role form's input, as stored, posted or drafted.
type AssignForm struct {
	Roles        []string
	Organisation string
	Municipality string
	WorkAreas    []string
	Show         string // id of the municipality whose neighbourhoods are listed
}

// AreaGroup is one district's neighbourhoods in the work-area checkboxes.
type AreaGroup struct {
	Label string
	Areas []Place
}

// AccountAdmin is the view model of /beheer/accounts/{id}.
type AccountAdmin struct {
	Profile       Profile
	Self          bool
	Form          AssignForm
	RoleOptions   []ui.Option
	Organisations []ui.Option
	Municipality  []ui.Option
	Areas         []AreaGroup
}

// Checked reports whether work area id is ticked.
func (a AccountAdmin) Checked(id int64) bool {
	return validate.In(strconv.FormatInt(id, 10), a.Form.WorkAreas...)
}

// AdminAccount shows one account with the form to change its roles. Opening
// someone else's account is recorded in the audit log first.
func (h *Handler) AdminAccount(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	prof, err := h.store.Profile(ctx, id)
	if err != nil {
		return err
	}
	if id != v.ID {
		if err := h.audit.Record(ctx, v.ID, "account.view", "account", id, ""); err != nil {
			return err
		}
	}
	var f AssignForm
	q := r.URL.Query()
	if q.Get("toon") != "" {
		// A draft: the administrator picked another municipality to list
		// neighbourhoods for; keep everything else they had ticked.
		f = AssignForm{Roles: q["rollen"], Organisation: q.Get("organisatie"), Municipality: q.Get("gemeente"), WorkAreas: q["werkgebied"], Show: q.Get("toon_gemeente")}
	} else {
		f = formFromProfile(prof)
	}
	return h.renderAccountAdmin(w, r, http.StatusOK, prof, f, nil)
}

func formFromProfile(prof Profile) AssignForm {
	f := AssignForm{Roles: roleCodes(prof.Roles)}
	if prof.OrganisationID != nil {
		f.Organisation = strconv.FormatInt(*prof.OrganisationID, 10)
	}
	if prof.MunicipalityID != nil {
		f.Municipality = strconv.FormatInt(*prof.MunicipalityID, 10)
		f.Show = f.Municipality
	}
	for _, wa := range prof.WorkAreas {
		f.WorkAreas = append(f.WorkAreas, strconv.FormatInt(wa.ID, 10))
	}
	return f
}

func (h *Handler) renderAccountAdmin(w http.ResponseWriter, r *http.Request, status int, prof Profile, f AssignForm, errs validate.Errors) error {
	ctx := r.Context()
	orgs, err := h.store.Organisations(ctx)
	if err != nil {
		return err
	}
	munis, err := h.store.Municipalities(ctx)
	if err != nil {
		return err
	}
	current := parseIDs(f.WorkAreas)
	show, _ := strconv.ParseInt(f.Show, 10, 64)
	if show == 0 && len(prof.WorkAreas) > 0 {
		// Start with the municipality of the first work area.
		for _, m := range munis {
			if m.Name == prof.WorkAreas[0].Municipality {
				show = m.ID
				f.Show = strconv.FormatInt(show, 10)
			}
		}
	}
	places, err := h.store.NeighbourhoodsOf(ctx, show, current)
	if err != nil {
		return err
	}
	v := AccountAdmin{Profile: prof, Self: prof.ID == httpx.ViewerFrom(ctx).ID, Form: f}
	for _, ro := range role.All[1:] {
		v.RoleOptions = append(v.RoleOptions, ui.Option{Value: string(ro), Label: role.Label(ro), Hint: roleHint(ro)})
	}
	for _, o := range orgs {
		v.Organisations = append(v.Organisations, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	for _, m := range munis {
		v.Municipality = append(v.Municipality, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Name + " (" + m.Code + ")"})
	}
	for _, pl := range places {
		label := pl.District + " (" + pl.Municipality + ")"
		if n := len(v.Areas); n == 0 || v.Areas[n-1].Label != label {
			v.Areas = append(v.Areas, AreaGroup{Label: label})
		}
		v.Areas[len(v.Areas)-1].Areas = append(v.Areas[len(v.Areas)-1].Areas, pl)
	}
	p := httpx.PageFor(r, "Account van "+prof.DisplayName)
	p.Wide = true // room for the neighbourhood checkboxes in columns
	return httpx.Render(w, r, status, AdminAccountPage(p, v, errs))
}

// AdminAssign saves roles, organisation, municipality and work areas.
func (h *Handler) AdminAssign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	prof, err := h.store.Profile(ctx, id)
	if err != nil {
		return err
	}
	pf := r.PostForm
	f := AssignForm{Roles: pf["rollen"], Organisation: pf.Get("organisatie"), Municipality: pf.Get("gemeente"), WorkAreas: pf["werkgebied"], Show: pf.Get("toon_gemeente")}
	var c AssignChoices
	if c.Organisations, err = h.store.Organisations(ctx); err != nil {
		return err
	}
	if c.Municipalities, err = h.store.Municipalities(ctx); err != nil {
		return err
	}
	a, errs := ValidateAssign(f, c, id == v.ID && v.Has(role.Admin))
	if !errs.Valid() {
		return h.renderAccountAdmin(w, r, http.StatusUnprocessableEntity, prof, f, errs)
	}
	err = h.store.Assign(ctx, v.ID, id, a, c.Describe(a))
	if errors.Is(err, ErrUnknownChoice) {
		errs.Add("werkgebied", msgPickFromList)
		return h.renderAccountAdmin(w, r, http.StatusUnprocessableEntity, prof, f, errs)
	}
	if err != nil {
		return err
	}
	if id == v.ID {
		// Own roles changed: a fresh session token, as on login.
		if err := h.sessions.RenewToken(ctx); err != nil {
			return err
		}
	}
	httpx.Flash(h.sessions, r, "De rollen van "+prof.DisplayName+" zijn opgeslagen.")
	return httpx.Redirect(w, r, "/beheer/accounts/"+strconv.FormatInt(id, 10))
}

// OrganisationForm is the input of the new-organisation form.
type OrganisationForm struct {
	Name, Kind string
}

// AdminOrganisations lists organisations with the form to add one.
func (h *Handler) AdminOrganisations(w http.ResponseWriter, r *http.Request) error {
	return h.renderOrganisations(w, r, http.StatusOK, OrganisationForm{}, nil)
}

func (h *Handler) renderOrganisations(w http.ResponseWriter, r *http.Request, status int, f OrganisationForm, errs validate.Errors) error {
	orgs, err := h.store.Organisations(r.Context())
	if err != nil {
		return err
	}
	var kinds []ui.Option
	for _, k := range OrganisationKinds {
		kinds = append(kinds, ui.Option{Value: string(k), Label: k.Label()})
	}
	return httpx.Render(w, r, status, AdminOrganisationsPage(httpx.PageFor(r, "Organisaties"), orgs, f, kinds, errs))
}

// AdminCreateOrganisation adds an organisation.
func (h *Handler) AdminCreateOrganisation(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	f := OrganisationForm{Kind: r.PostForm.Get("soort")}
	f.Name = errs.Text("naam", r.PostForm.Get("naam"), validate.Rule{Required: true, Max: 200})
	errs.Check(slices.Contains(OrganisationKinds, OrganisationKind(f.Kind)), "soort", msgPickKind)
	if errs.Valid() {
		_, err := h.store.CreateOrganisation(r.Context(), f.Name, OrganisationKind(f.Kind))
		if errors.Is(err, ErrDuplicateOrganisation) {
			errs.Add("naam", msgDuplicateOrganisation)
		} else if err != nil {
			return err
		}
	}
	if !errs.Valid() {
		return h.renderOrganisations(w, r, http.StatusUnprocessableEntity, f, errs)
	}
	httpx.Flash(h.sessions, r, "Organisatie "+f.Name+" is toegevoegd.")
	return httpx.Redirect(w, r, "/beheer/organisaties")
}

// AdminAudit shows the audit log, newest first.
func (h *Handler) AdminAudit(w http.ResponseWriter, r *http.Request) error {
	pg := newPager("/beheer/audit", nil, pageParam(r.URL.Query()), auditPerPage)
	rows, total, err := h.store.AuditLog(r.Context(), pg.PerPage, pg.Offset())
	if err != nil {
		return err
	}
	pg.Total = total
	p := httpx.PageFor(r, "Auditlog")
	p.Wide = true
	return httpx.Render(w, r, http.StatusOK, AdminAuditPage(p, rows, pg))
}

func roleHint(r role.Role) string {
	switch r {
	case role.Worker:
		return "Legt straatcontacten en activiteiten vast in het werkgebied. Kies hieronder de buurten."
	case role.Officer:
		return "Ziet de overzichten van één gemeente. Kies hieronder de gemeente."
	case role.Admin:
		return "Beheert accounts, rollen en organisaties."
	}
	return ""
}

// auditAction is the Dutch description of an audit action.
func auditAction(action string) string {
	switch action {
	case "account.view":
		return "Account bekeken"
	case "account.roles":
		return "Rollen gewijzigd"
	case "account.list":
		return "Accountlijst bekeken"
	case "signal.list":
		return "Signalenlijst bekeken"
	case "signal.view":
		return "Signaal bekeken"
	case "contact.team":
		return "Contacten van het team bekeken"
	case "mfa.enable":
		return "Tweestapsverificatie aangezet"
	case "mfa.disable":
		return "Tweestapsverificatie uitgezet"
	case "mfa.recovery_codes":
		return "Nieuwe herstelcodes gemaakt"
	case "mfa.failure":
		return "Tweede stap mislukt"
	}
	if i := strings.IndexByte(action, '.'); i > 0 && strings.HasSuffix(action, ".view") {
		return "Bekeken: " + action[:i]
	}
	return action
}

// filterQuery is the account list's filter as query parameters.
func filterQuery(f AccountFilter) url.Values {
	q := url.Values{}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	if f.Role != "" {
		q.Set("rol", string(f.Role))
	}
	return q
}

// roleCodes are roles as the form posts them.
func roleCodes(roles []role.Role) []string {
	out := make([]string, len(roles))
	for i, ro := range roles {
		out[i] = string(ro)
	}
	return out
}
