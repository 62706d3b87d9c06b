package signal

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// FuzzSignalForm: the "new signal" form (fuzzed as a whole, URL-encoded
// body). Accepted input has a known neighbourhood in the form's municipality
// (11 here; 12 lies elsewhere), a storable title and
// description within their limits, a known theme and addressee, and a named
// other addressee only when "anders" was chosen; refusals are Dutch messages
// on the form's own fields.
func FuzzSignalForm(f *testing.F) {
	valid := url.Values{"neighbourhood": {"11"}, "title": {"Losliggende stoeptegels"}, "description": {"Bij de school.\nAl weken."},
		"theme": {"openbare-ruimte"}, "addressed_to": {"anders"}, "addressed_to_other": {"Waterschap"}, "public": {"ja"}, "token": {uuid.New()}}
	f.Add(valid.Encode())
	for _, change := range []url.Values{
		{"neighbourhood": {"12"}}, {"neighbourhood": {"x"}}, {"neighbourhood": {""}}, {"title": {"\x00"}}, {"title": {strings.Repeat("é", 151)}},
		{"theme": {"x"}}, {"addressed_to": {"gemeente"}}, {"addressed_to": {"koning"}}, {"addressed_to_other": {""}}, {"description": {"\xff"}},
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
		pf, _ := url.ParseQuery(body)
		form := Form{Neighbourhood: pf.Get("neighbourhood"), Title: pf.Get("title"), Description: pf.Get("description"), Theme: pf.Get("theme"),
			AddressedTo: pf.Get("addressed_to"), AddressedToOther: pf.Get("addressed_to_other"), Public: pf.Get("public") == "ja", Token: pf.Get("token")}
		in, errs := form.Validate(func(id int64) string {
			switch id {
			case 11:
				return ""
			case 12:
				return neighbourhoodElsewhereMessage("Utrecht")
			}
			return msgNeighbourhoodUnknown
		})
		fuzzcheck.Errors(t, errs, "neighbourhood", "title", "description", "theme", "addressed_to", "addressed_to_other")
		if !errs.Valid() {
			return
		}
		fuzzcheck.Text(t, "title", in.Title, maxTitle, false)
		fuzzcheck.Text(t, "description", in.Description, maxText, true)
		fuzzcheck.Text(t, "addressed_to_other", in.AddressedToOther, maxOther, false)
		if !slices.Contains([]Addressee{ToMunicipality, ToHousing, ToOther}, in.AddressedTo) {
			t.Fatalf("accepted addressee %q", in.AddressedTo)
		}
		if in.NeighbourhoodID != 11 || in.Title == "" || !theme.Valid(in.Theme) {
			t.Fatalf("accepted %+v", in)
		}
		if in.AddressedTo == ToOther && in.AddressedToOther == "" || in.AddressedTo == ToMunicipality && in.AddressedToOther != "" {
			t.Fatalf("addressee %q with other %q", in.AddressedTo, in.AddressedToOther)
		}
	})
}

// FuzzResponseForm: a response to a signal. Whoever responds (worker or
// officer) from whatever status, an accepted status change is one the
// transition table allows and an accepted response says something.
func FuzzResponseForm(f *testing.F) {
	for _, s := range []string{"body=We+pakken+het+op&status=in_behandeling", "status=opgepakt", "status=gesignaleerd", "body=&status=", "status=x", "body=%00", "status=geagendeerd"} {
		for i := range Statuses {
			f.Add(s, uint8(i), true)
			f.Add(s, uint8(i), false)
		}
	}
	f.Fuzz(func(t *testing.T, body string, current uint8, officer bool) {
		pf, _ := url.ParseQuery(body)
		author, from := AuthorWorker, Statuses[int(current)%len(Statuses)]
		if officer {
			author = AuthorOfficer
		}
		in, errs := ResponseForm{Body: pf.Get("body"), Status: pf.Get("status"), Token: pf.Get("token")}.Validate(author, from)
		fuzzcheck.Errors(t, errs, "body", "status")
		if !errs.Valid() {
			return
		}
		fuzzcheck.Text(t, "body", in.Body, maxText, true)
		if in.Status != "" && !CanMove(author, from, in.Status) {
			t.Fatalf("%s moved %s to %s", author, from, in.Status)
		}
		if in.Body == "" && in.Status == "" {
			t.Fatal("accepted an empty response")
		}
	})
}
