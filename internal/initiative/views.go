package initiative

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// View models of the pages. Templates get these, never the request.

// ListView is the list page.
type ListView struct {
	Filter         Filter
	Result         ListResult
	Page           int
	Municipalities []Municipality
	Places         []Place // of the chosen municipality, for the district and neighbourhood filters
	CanCreate      bool
	Admin          bool // links to the moderation list
}

// Pages is the number of pages.
func (v ListView) Pages() int { return (v.Result.Total + PageSize - 1) / PageSize }

// PageURL links to page n with the current filters.
func (v ListView) PageURL(n int) templ.SafeURL {
	q := url.Values{}
	set := func(k, val string) {
		if val != "" {
			q.Set(k, val)
		}
	}
	set("zoek", v.Filter.Query)
	set("gemeente", v.Filter.Municipality)
	set("wijk", v.Filter.District)
	set("buurt", v.Filter.Neighbourhood)
	set("thema", v.Filter.Theme)
	set("status", string(v.Filter.Status))
	set("behoefte", string(v.Filter.Need))
	if n > 1 {
		q.Set("pagina", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return "/initiatieven"
	}
	return templ.SafeURL("/initiatieven?" + q.Encode())
}

// Filtered reports whether any filter is set.
func (v ListView) Filtered() bool { return v.Filter != Filter{} }

func (v ListView) municipalityOptions() []ui.Option {
	out := make([]ui.Option, len(v.Municipalities))
	for k, m := range v.Municipalities {
		out[k] = ui.Option{Value: m.Code, Label: m.Name}
	}
	return out
}

func (v ListView) districtOptions() []ui.Option {
	var out []ui.Option
	for k, p := range v.Places {
		if k == 0 || p.DistrictCode != v.Places[k-1].DistrictCode {
			out = append(out, ui.Option{Value: p.DistrictCode, Label: p.DistrictName})
		}
	}
	return out
}

func (v ListView) placeOptions() []ui.Option {
	out := make([]ui.Option, len(v.Places))
	for k, p := range v.Places {
		out[k] = ui.Option{Value: p.Code, Label: p.Name, Group: p.DistrictName}
	}
	return out
}

// FormView is the create or edit form.
type FormView struct {
	Input            Input
	MunicipalityName string
	Places           []Place
	Action           string
	New              bool
	ID               int64
	Conflict         bool // someone else saved in between
	// HideContact: the viewer may not see the contact details (an officer
	// or administrator editing), so the form leaves them out and keeps them.
	HideContact bool
	// OtherMunicipalities: more than one municipality can be chosen.
	OtherMunicipalities bool
}

// DistrictGroup is the neighbourhoods of one district in the form.
type DistrictGroup struct {
	Name   string
	Places []Place
	Open   bool // one of its neighbourhoods is chosen
}

// Districts groups the municipality's neighbourhoods by district.
func (v FormView) Districts() []DistrictGroup {
	chosen := map[string]bool{}
	for _, c := range v.Input.Neighbourhoods {
		chosen[c] = true
	}
	var out []DistrictGroup
	for k, p := range v.Places {
		if k == 0 || p.DistrictCode != v.Places[k-1].DistrictCode {
			out = append(out, DistrictGroup{Name: p.DistrictName})
		}
		g := &out[len(out)-1]
		g.Places = append(g.Places, p)
		g.Open = g.Open || chosen[p.Code]
	}
	// A municipality with one district shows its neighbourhoods straight away.
	if len(out) == 1 {
		out[0].Open = true
	}
	return out
}

// Chosen reports whether neighbourhood code is selected.
func (v FormView) Chosen(code string) bool { return slices.Contains(v.Input.Neighbourhoods, code) }

// PageForms holds the input and errors of the small forms on the initiative
// page, so a page shown again with 422 keeps what was typed.
type PageForms struct {
	OfferNeed    NeedCode
	OfferMessage string
	Report       string
	Update       string
	UpdateKey    string
	OwnerEmail   string
	Status       Status
	Note         string
	HideReason   string
	// Posted names the form whose errors Errs holds (one of the page
	// form names, e.g. pageFormOffer): the others show none.
	Posted string
	Errs   validate.Errors
}

// The small forms of the initiative page. Each posts to a URL ending in
// "#fouten-<name>", so a page shown again with its errors opens at that
// form's error summary.
const (
	pageFormOffer  = "hulp"
	pageFormUpdate = "bericht"
	pageFormStatus = "status"
	pageFormOwner  = "eigenaar"
	pageFormHide   = "verbergen"
	pageFormReport = "melding"
)

// pageFormOpen reports whether the initiative page offers form to the
// viewer in the initiative's current state, under the rules the page's
// templates follow.
func pageFormOpen(form string, i Initiative, loggedIn, owner, admin, confirmed bool) bool {
	switch form {
	case pageFormOffer:
		return loggedIn && !owner && confirmed && !i.Hidden() && i.Status != Stopped
	case pageFormUpdate, pageFormOwner:
		return (owner || admin) && !i.Hidden()
	case pageFormStatus:
		return owner || admin
	case pageFormHide:
		return admin && !i.Hidden()
	case pageFormReport:
		return loggedIn && !owner
	}
	return false
}

// ErrsOf is the errors of form: those of the posted form, none for others.
func (f PageForms) ErrsOf(form string) validate.Errors {
	if f.Posted != form || f.Errs == nil {
		return validate.Errors{}
	}
	return f.Errs
}

// pageFormAction is the action of a small form of initiative id: its URL
// with the fragment of the form's error summary.
func pageFormAction(id int64, suffix, form string) templ.SafeURL {
	return templ.SafeURL(initiativeURL(id) + suffix + "#" + ui.FormSummaryID(form))
}

// DetailView is the initiative page.
type DetailView struct {
	I         Initiative // ContactDetails empty unless SeesContact
	D         Detail
	LoggedIn  bool
	ViewerID  int64
	Owner     bool
	Admin     bool
	Supporter bool
	Confirmed bool // the viewer's e-mail address is confirmed: needed to offer help
	// SeesContact: the viewer joined or owns the initiative as a resident
	// and holds no officer role.
	SeesContact bool
	Invitation  *Invitation  // the viewer's open invitation to become co-owner
	Invitations []Invitation // open invitations, for the people who manage it
	Help        templ.Component
	Photos      templ.Component // the initiative's photos; nil when none
	Agenda      templ.Component // the initiative's events; nil shows nothing
	Forms       PageForms
}

// CanManage: owners and administrators manage the initiative.
func (v DetailView) CanManage() bool { return v.Owner || v.Admin }

// MessagesOwners: logged-in people other than the owners can write to the
// owners through Buurtkracht's messages.
func (v DetailView) MessagesOwners() bool {
	return v.LoggedIn && !v.Owner && len(v.D.Owners) > 0 && !v.I.Hidden()
}

// CanRemoveOwners: with more than one owner, the people who manage the
// initiative can take an owner off (or step down themselves).
func (v DetailView) CanRemoveOwners() bool { return v.CanManage() && len(v.D.Owners) > 1 }

// offerOptions are the needs one can offer help with: the initiative's own, or all.
func (v DetailView) offerOptions() []ui.Option {
	codes := v.I.NeedCodes()
	if len(codes) == 0 {
		codes = Needs
	}
	return options(codes, NeedLabel)
}

// options turns the codes of a closed set into choices with their labels.
func options[T ~string](codes []T, label func(T) string) []ui.Option {
	out := make([]ui.Option, len(codes))
	for k, c := range codes {
		out[k] = ui.Option{Value: string(c), Label: label(c)}
	}
	return out
}

func statusOptions() []ui.Option {
	out := options(Statuses, StatusLabel)
	for k, s := range Statuses {
		out[k].Hint = statusHints[s]
	}
	return out
}

func municipalityOptions(ms []Municipality) []ui.Option {
	out := make([]ui.Option, len(ms))
	for k, m := range ms {
		out[k] = ui.Option{Value: m.Code, Label: m.Name}
	}
	return out
}

// one is the selection of a single-choice field: the value, or none.
func one[T ~string](s T) []string {
	if s == "" {
		return nil
	}
	return []string{string(s)}
}

func date(t time.Time) string { return dutch.Date(t) }

func dateISO(t time.Time) string { return t.In(amsterdam).Format("2006-01-02") }

var amsterdam = dutch.Amsterdam

func itoa(n int) string { return strconv.Itoa(n) }

func idURL(id int64, suffix string) templ.SafeURL {
	return templ.SafeURL(initiativeURL(id) + suffix)
}

// offerMessageURL starts a conversation with the person who offered help.
func offerMessageURL(offer int64) templ.SafeURL {
	return templ.SafeURL("/berichten/nieuw?over=aanbod&id=" + strconv.FormatInt(offer, 10))
}

// initiativeMessageURL starts a conversation with the owners of an initiative.
func initiativeMessageURL(id int64) templ.SafeURL {
	return templ.SafeURL("/berichten/nieuw?over=initiatief&id=" + strconv.FormatInt(id, 10))
}

func neighbourhoodURL(code string) templ.SafeURL {
	return templ.SafeURL("/buurten/" + url.PathEscape(code))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return number(n) + " " + many
}

// number writes n with Dutch thousands separators: 18.003.
func number(n int) string { return dutch.Int(int64(n)) }

func loginURL(id int64) templ.SafeURL {
	return templ.SafeURL("/inloggen?volgende=" + url.QueryEscape(initiativeURL(id)))
}

func lower(s string) string { return strings.ToLower(s) }

func firstOf[T ~string](a, b T) T {
	if a != "" {
		return a
	}
	return b
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func placeNames(i Initiative) string {
	names := make([]string, len(i.Neighbourhoods))
	for k, p := range i.Neighbourhoods {
		names[k] = p.Name
	}
	return strings.Join(names, ", ")
}

func needNames(i Initiative) string {
	names := make([]string, len(i.Needs))
	for k, n := range i.Needs {
		names[k] = lower(NeedLabel(n.Code))
	}
	return strings.Join(names, ", ")
}

func themeNames(codes []string) string {
	names := make([]string, len(codes))
	for k, c := range codes {
		names[k] = theme.Label(c)
	}
	return strings.Join(names, ", ")
}

// mineNote is the bracketed note behind an initiative on the account page:
// "(idee, eigenaar)" or "(actief, je doet mee, verborgen door een beheerder)".
func mineNote(m Mine) string {
	parts := []string{lower(StatusLabel(m.Status))}
	if m.Owner {
		parts = append(parts, "eigenaar")
	} else {
		parts = append(parts, "je doet mee")
	}
	if m.Hidden {
		parts = append(parts, "verborgen door een beheerder")
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// needDetails is what follows a need's name: ": details", or nothing.
func needDetails(n Need) string {
	if n.Details == "" {
		return ""
	}
	return ": " + n.Details
}

// listSep is what follows item k of n in a running list: ", " between
// items, nothing after the last.
func listSep(k, n int) string {
	if k < n-1 {
		return ", "
	}
	return ""
}

// invitationNote is the line of an open invitation on the initiative page:
// "b…@example.org, uitgenodigd door anna op 3 maart, open tot 2 april".
func invitationNote(inv Invitation) string {
	return inv.Hint + ", uitgenodigd door " + inv.InvitedBy + " op " + date(inv.CreatedAt) + ", open tot " + date(inv.ExpiresAt)
}

// invitationAnchor is the id notifications link to (#uitnodiging) on the
// initiative page; the account page can list several invitations, each
// with an id of its own.
func invitationAnchor(id int64, back string) string {
	if back == "" {
		return "uitnodiging"
	}
	return "uitnodiging-" + itoa64(id)
}
