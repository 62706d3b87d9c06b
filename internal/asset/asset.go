// Package asset is the neighbourhood's asset map (ABCD): meeting places,
// networks and associations, local businesses and residents' talents. It
// answers the question an initiative asks: not "what can help us?" but
// "who can help us?".
package asset

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Kind is what sort of asset it is.
type Kind string

// The kinds, in the order the pages show them.
const (
	Place    Kind = "plek"    // a meeting place: buurthuis, library, café…
	Network  Kind = "netwerk" // a network or association
	Business Kind = "bedrijf" // a local business
	Talent   Kind = "talent"  // a resident's talent: "ik kan…"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{Place, Network, Business, Talent}

// PlaceType is the subtype of a meeting place.
type PlaceType string

// The place types, in the order the form offers them.
const (
	CommunityCentre PlaceType = "buurthuis"
	Library         PlaceType = "bibliotheek"
	Cafe            PlaceType = "cafe"
	School          PlaceType = "school"
	Park            PlaceType = "park"
	SportsField     PlaceType = "sportveld"
	PlaceOfWorship  PlaceType = "gebedshuis"
	OtherPlace      PlaceType = "anders"
)

// PlaceTypes are the subtypes of a meeting place.
var PlaceTypes = []PlaceType{CommunityCentre, Library, Cafe, School, Park, SportsField, PlaceOfWorship, OtherPlace}

// Need is a need of an initiative an asset can help with. The codes are the
// ones the initiative feature asks for; they cross between the two features
// as plain strings (initiative.HelpFinder).
type Need string

// The needs, in their canonical order.
const (
	NeedSpace      Need = "ruimte"
	NeedMoney      Need = "geld"
	NeedVolunteers Need = "vrijwilligers"
	NeedKnowledge  Need = "kennis"
	NeedMaterials  Need = "materiaal"
)

// Needs are the needs an asset can help with, in canonical order.
var Needs = []Need{NeedSpace, NeedMoney, NeedVolunteers, NeedKnowledge, NeedMaterials}

// Visibility says who sees a place, network or business. Talents are always
// members-only.
type Visibility string

// Public for everyone, Members for logged-in users only.
const (
	Public  Visibility = "public"
	Members Visibility = "members"
)

// Field limits, also enforced by the table's CHECK constraints.
const (
	maxName        = 150
	maxDescription = 2000
	maxWebsite     = 200
	maxPhone       = 30
	maxAddress     = 200
	maxReason      = 300
)

// Errors of the store.
var (
	// ErrNotFound: the asset or neighbourhood does not exist or is out of
	// the caller's reach.
	ErrNotFound = fault.Wrap(fault.ErrNotFound, "asset: not found")
	// ErrTokenTaken: another account created an asset with this form's
	// token, so the form is no resubmission of the caller's own.
	ErrTokenTaken = fault.Wrap(fault.ErrInvalid, "asset: create token of another account")
)

// Asset is one entry of the asset map.
type Asset struct {
	ID                int64
	Kind              Kind
	PlaceType         PlaceType
	Name              string // for a talent: what the resident can do
	Description       string
	NeighbourhoodID   int64
	NeighbourhoodCode string
	NeighbourhoodName string
	Needs             []Need
	Website           string
	Phone             string
	Address           string
	Visibility        Visibility
	CreatedBy         int64  // 0 when the creator's account is gone
	OwnerFirstName    string // talents only: the first word of the owner's display name
	Hidden            bool
	HiddenReason      string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Neighbourhood is what this feature needs to know of a neighbourhood.
type Neighbourhood struct {
	ID               int64
	Code             string
	Name             string
	MunicipalityID   int64
	MunicipalityCode string
	MunicipalityName string
}

// NeighbourhoodOption is one entry of the neighbourhood select.
type NeighbourhoodOption struct {
	Code, Name, DistrictName, MunicipalityName string
}

// Municipality is one entry of the municipality chooser.
type Municipality struct {
	ID         int64
	Code, Name string
}

// Input is a validated asset as the store writes it.
type Input struct {
	Kind            Kind
	PlaceType       PlaceType
	Name            string
	Description     string
	NeighbourhoodID int64
	Needs           []Need
	Website         string
	Phone           string
	Address         string
	Visibility      Visibility
}

// Form is the asset form's input, kept as typed when the form is shown again.
type Form struct {
	Kind          Kind
	PlaceType     PlaceType
	Name          string
	Description   string
	Neighbourhood string // CBS code
	Needs         []Need
	Website       string
	Phone         string
	Address       string
	Visibility    Visibility
	Municipality  string // GM code of the municipality whose neighbourhoods the select lists
	Token         string // idempotency token of a create form
}

// FormFrom reads the posted fields of the asset form.
func FormFrom(v url.Values) Form {
	return Form{
		Kind:          Kind(v.Get("soort")),
		PlaceType:     PlaceType(v.Get("type")),
		Name:          v.Get("naam"),
		Description:   v.Get("beschrijving"),
		Neighbourhood: strings.TrimSpace(v.Get("buurt")),
		Needs:         typed[Need](v["nodig"]),
		Website:       v.Get("site"),
		Phone:         v.Get("telefoon"),
		Address:       v.Get("adres"),
		Visibility:    Visibility(v.Get("zichtbaarheid")),
		Municipality:  municipalityCode(v.Get("gemeente")),
		Token:         v.Get("token"),
	}
}

// typed converts form values to a closed set's type; validation follows.
func typed[T ~string](raw []string) []T {
	if raw == nil {
		return nil
	}
	out := make([]T, len(raw))
	for k, s := range raw {
		out[k] = T(s)
	}
	return out
}

// codes converts a closed set's values back to strings, for the choices of
// a form and for a URL.
func codes[T ~string](vs []T) []string {
	if vs == nil {
		return nil
	}
	out := make([]string, len(vs))
	for k, v := range vs {
		out[k] = string(v)
	}
	return out
}

// municipalityCode returns s when it is a CBS municipality code, else "".
func municipalityCode(s string) string {
	if s = strings.TrimSpace(s); cbs.IsMunicipality(s) {
		return s
	}
	return ""
}

// neighbourhoodCode returns s when it is a CBS neighbourhood code, else "".
func neighbourhoodCode(s string) string {
	if s = strings.TrimSpace(s); cbs.IsNeighbourhood(s) {
		return s
	}
	return ""
}

// FormFromAsset fills the edit form with a stored asset.
func FormFromAsset(a Asset) Form {
	return Form{
		Kind: a.Kind, PlaceType: a.PlaceType, Name: a.Name, Description: a.Description,
		Neighbourhood: a.NeighbourhoodCode, Needs: a.Needs, Website: a.Website, Phone: a.Phone,
		Address: a.Address, Visibility: a.Visibility,
	}
}

// Validate checks the form and returns the input to store, except the
// neighbourhood id, which the handler resolves from the code. Field errors
// are added to errs in Dutch; the form keeps the cleaned values.
func (f *Form) Validate(errs validate.Errors) Input {
	in := Input{Kind: f.Kind}
	if !slices.Contains(Kinds, f.Kind) {
		errs.Add("soort", msgKindUnknown)
	}
	if f.Kind == Place {
		errs.Check(slices.Contains(PlaceTypes, f.PlaceType), "type", msgPlaceTypeUnknown)
		in.PlaceType = f.PlaceType
	}
	f.Name = errs.Text("naam", f.Name, validate.Rule{Required: true, Max: maxName})
	if f.Kind == Talent {
		f.Name = trimIkKan(f.Name)
		errs.Check(f.Name != "", "naam", msgTalentEmpty)
	}
	in.Name = f.Name
	f.Description = errs.Text("beschrijving", f.Description, validate.Rule{Max: maxDescription, Multiline: true})
	in.Description = f.Description

	if _, ok := validate.CleanText(f.Neighbourhood, false); !ok || f.Neighbourhood == "" {
		errs.Add("buurt", msgNeighbourhoodMissing)
		f.Neighbourhood = ""
	}

	f.Needs = cleanNeeds(f.Needs, errs)
	in.Needs = f.Needs

	if f.Kind == Talent {
		// A resident's talent carries no contact details and is for members only.
		f.Website, f.Phone, f.Address, f.Visibility = "", "", "", Members
	} else {
		f.Website = errs.Text("site", f.Website, validate.Rule{Max: maxWebsite})
		if f.Website != "" {
			if w, ok := normaliseWebsite(f.Website); ok {
				f.Website = w
			} else {
				errs.Add("site", msgWebsiteInvalid)
			}
		}
		f.Phone = errs.Text("telefoon", f.Phone, validate.Rule{Max: maxPhone})
		errs.Check(validPhone(f.Phone), "telefoon", msgPhoneInvalid)
		f.Address = errs.Text("adres", f.Address, validate.Rule{Max: maxAddress})
		if f.Visibility == "" {
			f.Visibility = Public
		}
		errs.Check(f.Visibility == Public || f.Visibility == Members, "zichtbaarheid", msgVisibilityUnknown)
	}
	in.Website, in.Phone, in.Address, in.Visibility = f.Website, f.Phone, f.Address, f.Visibility
	return in
}

// cleanNeeds keeps known needs once each, in the canonical order, and
// reports unknown or missing ones.
func cleanNeeds(raw []Need, errs validate.Errors) []Need {
	seen := map[Need]bool{}
	for _, n := range raw {
		if !slices.Contains(Needs, n) {
			errs.Add("nodig", msgNeedUnknown)
			continue
		}
		seen[n] = true
	}
	var out []Need
	for _, n := range Needs {
		if seen[n] {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		errs.Add("nodig", msgNeedsMissing)
	}
	return out
}

// trimIkKan drops a leading "ik kan" the resident typed although the label
// already says it, so the page does not read "Fatima kan: ik kan koken".
func trimIkKan(s string) string {
	const prefix = "ik kan"
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		rest := s[len(prefix):]
		if rest == "" || strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "…") {
			s = strings.TrimLeft(rest, " .:…")
		}
	}
	return strings.TrimSpace(strings.TrimSuffix(s, "…"))
}

// normaliseWebsite accepts an http(s) address, adding https:// when the
// scheme is left out ("www.buurthuis.nl").
func normaliseWebsite(s string) (string, bool) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil ||
		!strings.Contains(u.Hostname(), ".") || strings.ContainsAny(s, " <>\"'") {
		return "", false
	}
	if utf8.RuneCountInString(s) > maxWebsite {
		return "", false
	}
	return s, true
}

// validPhone accepts digits with the usual separators ("030 - 123 45 67",
// "+31 30 1234567") and needs at least eight digits.
func validPhone(s string) bool {
	if s == "" {
		return true
	}
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r) && r < 128:
			digits++
		case strings.ContainsRune(" +-()", r):
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// FirstName returns the first word of a display name, the only part of a
// resident's name shown with a talent. A name that looks like an e-mail
// address is not shown at all.
func FirstName(displayName string) string {
	f := strings.Fields(displayName)
	if len(f) == 0 || strings.Contains(f[0], "@") {
		return msgAResident
	}
	return f[0]
}

// TelHref is the tel: link of a phone number.
func TelHref(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r == '+' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return "tel:" + b.String()
}
