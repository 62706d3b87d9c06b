package asset

import (
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// assetFields are the form fields an asset error may belong to.
var assetFields = []string{"soort", "type", "naam", "beschrijving", "buurt", "nodig", "site", "telefoon", "adres", "zichtbaarheid"}

// FuzzAssetForm: the asset form as posted (fuzzed as a whole, URL-encoded
// body). Accepted input keeps every limit and fixed list, a website is an
// http(s) address without quotes or spaces, a phone number has 8 to 15
// digits, and a talent carries no contact details; refusals are Dutch
// messages on the form's own fields.
func FuzzAssetForm(f *testing.F) {
	valid := url.Values{"soort": {"plek"}, "type": {"buurthuis"}, "naam": {"Buurthuis De Boog"}, "beschrijving": {"Open op dinsdag.\nKoffie staat klaar."},
		"buurt": {"BU03440101"}, "nodig": {"ruimte", "kennis"}, "site": {"www.deboog.nl"}, "telefoon": {"030 - 123 45 67"}, "adres": {"Boog 1, Utrecht"},
		"zichtbaarheid": {"public"}, "gemeente": {"GM0344"}, "token": {"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"}}
	f.Add(valid.Encode())
	for _, change := range []url.Values{
		{"soort": {"talent"}, "naam": {"ik kan: koken…"}}, {"soort": {"talent"}, "naam": {"Ik kan"}}, {"soort": {"rommel"}},
		{"type": {"kasteel"}}, {"site": {"javascript:alert(1)"}}, {"site": {"https://user:pw@x.nl"}}, {"site": {"http://a\"b.nl"}},
		{"telefoon": {"١٢٣٤٥٦٧٨٩"}}, {"telefoon": {"+31 (0)30 1234567"}}, {"nodig": {"liefde"}}, {"nodig": {}}, {"buurt": {"\x00"}},
		{"zichtbaarheid": {"geheim"}}, {"naam": {strings.Repeat("é", 151)}}, {"adres": {"a\nb"}},
	} {
		v := url.Values{}
		for k, vs := range valid {
			v[k] = vs
		}
		for k, vs := range change {
			v[k] = vs
		}
		f.Add(v.Encode())
	}
	f.Fuzz(func(t *testing.T, body string) {
		q, _ := url.ParseQuery(body)
		form := FormFrom(q)
		errs := validate.Errors{}
		in := form.Validate(errs)
		fuzzcheck.Errors(t, errs, assetFields...)
		if form.Municipality != "" && !cbs.IsMunicipality(form.Municipality) {
			t.Fatalf("municipality %q kept", form.Municipality)
		}
		if !errs.Valid() {
			return
		}
		fuzzcheck.OneOf(t, "soort", in.Kind, Kinds)
		if in.Kind == Place {
			fuzzcheck.OneOf(t, "type", in.PlaceType, PlaceTypes)
		}
		fuzzcheck.Text(t, "naam", in.Name, maxName, false)
		if in.Name == "" {
			t.Fatal("accepted without a name")
		}
		fuzzcheck.Text(t, "beschrijving", in.Description, maxDescription, true)
		fuzzcheck.Text(t, "site", in.Website, maxWebsite, false)
		fuzzcheck.Text(t, "telefoon", in.Phone, maxPhone, false)
		fuzzcheck.Text(t, "adres", in.Address, maxAddress, false)
		fuzzcheck.OneOf(t, "zichtbaarheid", in.Visibility, []Visibility{Public, Members})
		if len(in.Needs) == 0 {
			t.Fatal("accepted without needs")
		}
		for _, n := range in.Needs {
			fuzzcheck.OneOf(t, "nodig", n, Needs)
		}
		if in.Website != "" {
			u, err := url.Parse(in.Website)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || strings.ContainsAny(in.Website, " <>\"'") {
				t.Fatalf("accepted website %q", in.Website)
			}
		}
		if in.Phone != "" && !validPhone(in.Phone) {
			t.Fatalf("accepted phone %q", in.Phone)
		}
		if in.Kind == Talent && (in.Website != "" || in.Phone != "" || in.Address != "" || in.Visibility != Members) {
			t.Fatalf("talent with contact details or public: %+v", in)
		}
	})
}
