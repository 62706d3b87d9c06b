package asset

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/web/ui"
)

// Viewer is what the views need to know about the person looking.
type Viewer struct {
	ID       int64
	LoggedIn bool
	Admin    bool
	// Talents: may see residents' talents. Municipality officers see
	// aggregates and shared stories only, never residents' personal data
	// (DOMAIN.md), so an officer who is not also a worker or admin does not.
	Talents bool
}

// CanEdit reports whether the viewer may change a.
func (v Viewer) CanEdit(a Asset) bool {
	return v.LoggedIn && (v.Admin || (a.CreatedBy != 0 && a.CreatedBy == v.ID))
}

// CanMessage reports whether the viewer may write to the person behind a:
// a logged-in viewer, about a place or talent of someone else that is not hidden.
func (v Viewer) CanMessage(a Asset) bool {
	return v.LoggedIn && (a.Kind == Talent || a.Kind == Place) && a.CreatedBy != 0 && a.CreatedBy != v.ID && !a.Hidden
}

// CanReport reports whether the viewer may report a to the administrators:
// logged in, someone else's, not hidden already.
func (v Viewer) CanReport(a Asset) bool {
	return v.LoggedIn && !a.Hidden && (a.CreatedBy == 0 || a.CreatedBy != v.ID)
}

func reportPath(id int64) string { return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/melden" }

// Group is the assets of one kind on a page.
type Group struct {
	Kind   Kind
	Count  int
	Assets []Asset
}

// ListView is the "wie kan helpen" page of a neighbourhood.
type ListView struct {
	Neighbourhood Neighbourhood
	Groups        []Group // one per kind shown, talents only for logged-in viewers
	Needs         []Need
	Viewer        Viewer
	Total         int
}

// SectionView is the asset block on a neighbourhood page.
type SectionView struct {
	Neighbourhood Neighbourhood
	Groups        []Group // every kind the viewer may see, Count 0 when empty
	Viewer        Viewer
}

// HelpView is "wie kan helpen?" on an initiative page.
type HelpView struct {
	Neighbourhoods []Neighbourhood
	Matches        []NeedMatch
	Viewer         Viewer
}

// AnyFound reports whether some need has a match.
func (h HelpView) AnyFound() bool {
	for _, m := range h.Matches {
		if len(m.Found) > 0 {
			return true
		}
	}
	return false
}

// FormView is the create or edit form with its choices.
type FormView struct {
	Form           Form
	ID             int64 // 0 when creating
	Municipalities []Municipality
	Options        []NeighbourhoodOption
	Viewer         Viewer
	// FromHome: the neighbourhood was preselected from the viewer's home, so
	// the municipality chooser folds away (still there for another choice).
	FromHome bool
}

// Action is where the form posts.
func (f FormView) Action() string {
	if f.ID == 0 {
		return "/hulpbronnen/nieuw"
	}
	return editPath(f.ID)
}

// ChooserAction is where the municipality chooser sends its GET.
func (f FormView) ChooserAction() string { return f.Action() }

func editPath(id int64) string   { return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/bewerken" }
func deletePath(id int64) string { return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/verwijderen" }
func hidePath(id int64) string   { return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/verbergen" }
func showPath(id int64) string   { return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/tonen" }

// photosPath is the photo page of a place (internal/photo).
func photosPath(id int64) string { return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/fotos" }
func anchor(id int64) string     { return "hulpbron-" + strconv.FormatInt(id, 10) }

// messagePath starts a conversation with the person behind asset id (internal/message).
func messagePath(id int64) string {
	return "/berichten/nieuw?over=hulpbron&id=" + strconv.FormatInt(id, 10)
}

// ListPath is the neighbourhood's "wie kan helpen" page, optionally filtered by needs.
func ListPath(code string, needs ...string) string {
	p := "/buurten/" + url.PathEscape(code) + "/wie-kan-helpen"
	if len(needs) > 0 {
		v := url.Values{"nodig": needs}
		p += "?" + v.Encode()
	}
	return p
}

// NewPath is the add form, preset to a neighbourhood and optionally a kind.
func NewPath(code string, kind Kind) string {
	v := url.Values{}
	if kind != "" {
		v.Set("soort", string(kind))
	}
	if code != "" {
		v.Set("buurt", code)
	}
	if len(v) == 0 {
		return "/hulpbronnen/nieuw"
	}
	return "/hulpbronnen/nieuw?" + v.Encode()
}

func loginPath(next string) string { return "/inloggen?volgende=" + url.QueryEscape(next) }

// Title is how an asset is named in a list: a talent with the owner's
// first name ("Fatima kan fietsen repareren").
func (a Asset) Title() string {
	if a.Kind == Talent {
		return a.OwnerFirstName + " kan " + a.Name
	}
	return a.Name
}

// TypeLabel names what the asset is: the place type or the kind.
func (a Asset) TypeLabel() string {
	if a.Kind == Place {
		return PlaceTypeLabel(a.PlaceType)
	}
	return KindLabel(a.Kind)
}

// NeedsText lists the needs it helps with in Dutch.
func (a Asset) NeedsText() string {
	labels := make([]string, len(a.Needs))
	for i, n := range a.Needs {
		labels[i] = NeedLabel(n)
	}
	return strings.Join(labels, ", ")
}

func kindOptions() []ui.Option {
	out := make([]ui.Option, len(Kinds))
	for i, k := range Kinds {
		out[i] = ui.Option{Value: string(k), Label: KindLabel(k), Hint: KindHint(k)}
	}
	return out
}

func placeTypeOptions() []ui.Option {
	out := make([]ui.Option, len(PlaceTypes))
	for i, t := range PlaceTypes {
		out[i] = ui.Option{Value: string(t), Label: PlaceTypeLabel(t)}
	}
	return out
}

func needOptions(withHints bool) []ui.Option {
	out := make([]ui.Option, len(Needs))
	for i, n := range Needs {
		o := ui.Option{Value: string(n), Label: capitalise(NeedLabel(n))}
		if withHints {
			o.Hint = NeedHint(n)
		}
		out[i] = o
	}
	return out
}

func visibilityOptions() []ui.Option {
	return []ui.Option{
		{Value: string(Public), Label: VisibilityLabel(Public), Hint: "Ook bezoekers zonder account zien het."},
		{Value: string(Members), Label: VisibilityLabel(Members), Hint: "Alleen wie op Buurtkracht is ingelogd ziet het."},
	}
}

func neighbourhoodOptions(opts []NeighbourhoodOption) []ui.Option {
	out := make([]ui.Option, len(opts))
	for i, o := range opts {
		out[i] = ui.Option{Value: o.Code, Label: o.Name + " (" + o.DistrictName + ")", Group: "Gemeente " + o.MunicipalityName}
	}
	return out
}

func municipalityOptions(ms []Municipality) []ui.Option {
	out := make([]ui.Option, len(ms))
	for i, m := range ms {
		out[i] = ui.Option{Value: m.Code, Label: m.Name}
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func itoa(n int) string { return strconv.Itoa(n) }

// countText writes the number of assets in a group heading.
func countText(n int) string {
	return strconv.Itoa(n)
}
