package initiative

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// Form field names of the create and edit forms.
const (
	fTitle        = "titel"
	fSummary      = "samenvatting"
	fDescription  = "beschrijving"
	fPlaces       = "buurt"
	fThemes       = "thema"
	fForm         = "vorm"
	fStatus       = "status"
	fContact      = "contact"
	fContactInfo  = "contactgegevens"
	fVisibility   = "zichtbaarheid"
	fNeeds        = "behoefte"
	fVersion      = "versie"
	fKey          = "sleutel"
	fMunicipality = "gemeente"
)

// inputLabels names the fields in the error summary, in the form's order.
var inputLabels = func() []ui.Label {
	l := []ui.Label{{Field: fTitle, Text: lblTitle}, {Field: fSummary, Text: lblSummary}, {Field: fDescription, Text: lblDescription},
		{Field: fPlaces, Text: lblPlaces}, {Field: fThemes, Text: lblThemes}, {Field: fForm, Text: lblForm}, {Field: fStatus, Text: lblStatus},
		{Field: fNeeds, Text: lblNeeds}}
	for _, c := range Needs {
		l = append(l, ui.Label{Field: needField(c), Text: needDetailLabel(c)})
	}
	return append(l, ui.Label{Field: fContact, Text: lblContact}, ui.Label{Field: fContactInfo, Text: lblContactInfo},
		ui.Label{Field: fVisibility, Text: lblVisibility})
}()

// needField is the name of the field that explains a need.
func needField(n NeedCode) string { return fNeeds + "_" + string(n) }

// blankInput is the create form's starting point.
func blankInput(municipality string) Input {
	return Input{Municipality: municipality, Form: FormInformal, Status: Idea, ContactPreference: ContactPlatform,
		Visibility: Public, Needs: map[NeedCode]bool{}, NeedDetails: map[NeedCode]string{}, Key: uuid.New()}
}

// inputFrom turns a stored initiative into edit-form input.
func inputFrom(i Initiative) Input {
	in := Input{Title: i.Title, Summary: i.Summary, Description: i.Description, Municipality: i.MunicipalityCode,
		Themes: i.Themes, Form: i.Form, Status: i.Status, ContactPreference: i.ContactPreference,
		ContactDetails: i.ContactDetails, Visibility: i.Visibility, Version: i.Version,
		Needs: map[NeedCode]bool{}, NeedDetails: map[NeedCode]string{}}
	for _, p := range i.Neighbourhoods {
		in.Neighbourhoods = append(in.Neighbourhoods, p.Code)
	}
	for _, n := range i.Needs {
		in.Needs[n.Code] = true
		in.NeedDetails[n.Code] = n.Details
	}
	return in
}

// parseInput reads and validates the create/edit form against the
// neighbourhoods of the chosen municipality. Everything typed is kept in the
// returned Input, valid or not. stored is the initiative's needs before an
// edit (nil when creating): the checkbox decides for those, so unticking a
// need removes it even though its explanation is still filled in.
func parseInput(form url.Values, places []Place, stored []Need) (Input, validate.Errors) {
	errs := validate.Errors{}
	in := Input{Needs: map[NeedCode]bool{}, NeedDetails: map[NeedCode]string{}}
	in.Title = errs.Text(fTitle, form.Get(fTitle), validate.Rule{Required: true, Max: MaxTitle})
	in.Summary = errs.Text(fSummary, form.Get(fSummary), validate.Rule{Required: true, Max: MaxSummary})
	in.Description = errs.Text(fDescription, form.Get(fDescription), validate.Rule{Max: MaxDescription, Multiline: true})
	in.Municipality = strings.TrimSpace(form.Get(fMunicipality))

	known := make(map[string]bool, len(places))
	for _, p := range places {
		known[p.Code] = true
	}
	seen := map[string]bool{}
	for _, c := range form[fPlaces] {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		in.Neighbourhoods = append(in.Neighbourhoods, c)
		errs.Check(known[c], fPlaces, msgUnknownPlace)
	}
	errs.Check(len(in.Neighbourhoods) > 0, fPlaces, msgNoPlaces)
	errs.Check(len(in.Neighbourhoods) <= MaxNeighbourhoods, fPlaces, msgTooManyPlaces)

	for _, c := range form[fThemes] {
		if !seen["t:"+c] {
			seen["t:"+c] = true
			in.Themes = append(in.Themes, c)
		}
	}
	if in.Themes == nil {
		in.Themes = []string{}
	}
	errs.Check(len(in.Themes) > 0, fThemes, msgNoTheme)
	errs.Check(theme.ValidAll(in.Themes), fThemes, msgUnknownTheme)

	in.Form = choice(errs, fForm, form.Get(fForm), Forms)
	in.Status = choice(errs, fStatus, form.Get(fStatus), Statuses)
	in.ContactPreference = choice(errs, fContact, form.Get(fContact), ContactPreferences)
	in.ContactDetails = errs.Text(fContactInfo, form.Get(fContactInfo), validate.Rule{Required: in.ContactPreference.NeedsDetails(), Max: MaxContact})
	in.Visibility = choice(errs, fVisibility, form.Get(fVisibility), Visibilities)

	checked := map[NeedCode]bool{}
	for _, c := range form[fNeeds] {
		checked[NeedCode(c)] = true
		errs.Check(slices.Contains(Needs, NeedCode(c)), fNeeds, msgChooseOne)
	}
	had := map[NeedCode]bool{}
	for _, n := range stored {
		had[n.Code] = true
	}
	for _, c := range Needs {
		d := errs.Text(needField(c), form.Get(needField(c)), validate.Rule{Max: MaxNeedDetails})
		in.NeedDetails[c] = d
		// Explaining a new need counts as asking for it; a need asked
		// before stays only while its box is ticked.
		in.Needs[c] = checked[c] || (d != "" && !had[c])
	}
	in.Version, _ = strconv.Atoi(form.Get(fVersion))
	in.Key = form.Get(fKey)
	return in, errs
}

// choice validates a value from a fixed list; the value comes back as
// typed, valid or not, so the form shown again keeps it.
func choice[T ~string](errs validate.Errors, field, raw string, allowed []T) T {
	if raw == "" {
		errs.Add(field, msgChoose)
	} else if !slices.Contains(allowed, T(raw)) {
		errs.Add(field, msgChooseOne)
	}
	return T(raw)
}
