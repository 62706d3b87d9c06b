package initiative

import (
	"net/url"
	"slices"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// fuzzPlaces are the neighbourhoods of the chosen municipality in FuzzParseInput.
var fuzzPlaces = []Place{{ID: 1, Code: "BU03440101"}, {ID: 2, Code: "BU03440102"}, {ID: 3, Code: "BU03440301"}}

// FuzzParseInput: the create/edit form of an initiative (fuzzed as a whole,
// URL-encoded body, so fields can repeat or be missing). Accepted input is
// within every limit and from every fixed list; refusals are Dutch messages
// on the form's own fields.
func FuzzParseInput(f *testing.F) {
	valid := url.Values{
		fTitle: {"Moestuin Oudwijk"}, fSummary: {"Samen groente kweken."}, fDescription: {"Regel 1\nRegel 2"},
		fPlaces: {"BU03440101", "BU03440102"}, fThemes: {"ontmoeting"}, fForm: {"informal"}, fStatus: {"idee"},
		fContact: {"email"}, fContactInfo: {"a@b.nl"}, fVisibility: {"public"}, fNeeds: {"geld"}, fNeeds + "_ruimte": {"Een zaal"},
		fVersion: {"3"}, fKey: {uuid.New()},
	}
	f.Add(valid.Encode())
	for field, bad := range map[string]string{fTitle: "\x00", fSummary: "", fPlaces: "BU99999999", fThemes: "geen-thema", fForm: "bv",
		fStatus: "klaar", fContact: "email", fContactInfo: "", fVisibility: "geheim", fNeeds: "liefde", fNeeds + "_geld": "\xff", fVersion: "99999999999999999999"} {
		v := url.Values{}
		for k, vs := range valid {
			v[k] = vs
		}
		v.Set(field, bad)
		f.Add(v.Encode())
	}
	f.Add("buurt=BU03440101&buurt=BU03440101&buurt=+BU03440102+&buurt=BU03440301&buurt=x&buurt=y&buurt=z&thema=zorg&thema=zorg")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body)
		in, errs := parseInput(form, fuzzPlaces, nil)
		var fields []string
		for _, l := range inputLabels {
			fields = append(fields, l.Field)
		}
		fuzzcheck.Errors(t, errs, fields...)
		if !errs.Valid() {
			return
		}
		fuzzcheck.Text(t, fTitle, in.Title, MaxTitle, false)
		fuzzcheck.Text(t, fSummary, in.Summary, MaxSummary, false)
		fuzzcheck.Text(t, fDescription, in.Description, MaxDescription, true)
		fuzzcheck.Text(t, fContactInfo, in.ContactDetails, MaxContact, false)
		if in.Title == "" || in.Summary == "" {
			t.Fatal("accepted without title or summary")
		}
		fuzzcheck.OneOf(t, fForm, in.Form, Forms)
		fuzzcheck.OneOf(t, fStatus, in.Status, Statuses)
		fuzzcheck.OneOf(t, fContact, in.ContactPreference, ContactPreferences)
		fuzzcheck.OneOf(t, fVisibility, in.Visibility, Visibilities)
		if (in.ContactPreference == ContactEmail || in.ContactPreference == ContactPhone) && in.ContactDetails == "" {
			t.Fatal("accepted e-mail/phone contact without details")
		}
		if n := len(in.Neighbourhoods); n < 1 || n > MaxNeighbourhoods {
			t.Fatalf("accepted %d neighbourhoods", n)
		}
		for _, c := range in.Neighbourhoods {
			fuzzcheck.OneOf(t, fPlaces, c, []string{"BU03440101", "BU03440102", "BU03440301"})
		}
		if len(in.Themes) == 0 || !theme.ValidAll(in.Themes) {
			t.Fatalf("accepted themes %q", in.Themes)
		}
		for code, d := range in.NeedDetails {
			fuzzcheck.OneOf(t, fNeeds, code, Needs)
			fuzzcheck.Text(t, needField(code), d, MaxNeedDetails, false)
		}
		for code := range in.Needs {
			fuzzcheck.OneOf(t, fNeeds, code, Needs)
		}
	})
}

// FuzzAPIQuery: the list filters of /initiatieven and the open data API,
// and the API's cursor. Accepted filters are well-formed codes, known themes,
// statuses and needs, and a search text that is storable and at most 200
// characters; a cursor decodes only to a positive id and round-trips.
func FuzzAPIQuery(f *testing.F) {
	for _, s := range []string{"q=moestuin&municipality=GM0344&theme=ontmoeting&status=idee&need=geld",
		"district=WK034401&neighbourhood=BU03440101", "municipality=gm0344", "q=%00", "theme=onbekend", "cursor=" + encodeCursor(42),
		"cursor=aTEuLTE", "cursor=%%%", "status=idee&status=actief", "q=" + url.QueryEscape(string(make([]rune, 201)))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		for _, keys := range []filterKeys{apiKeys, pageKeys} {
			fl, ok := parseFilter(q, keys)
			if !ok {
				continue
			}
			fuzzcheck.Text(t, "q", fl.Query, 200, false)
			for _, c := range []struct {
				v  string
				ok bool
			}{{fl.Municipality, cbs.IsMunicipality(fl.Municipality)}, {fl.District, cbs.IsDistrict(fl.District)},
				{fl.Neighbourhood, cbs.IsNeighbourhood(fl.Neighbourhood)}, {fl.Theme, theme.Valid(fl.Theme)},
				{string(fl.Status), slices.Contains(Statuses, fl.Status)}, {string(fl.Need), slices.Contains(Needs, fl.Need)}} {
				if c.v != "" && !c.ok {
					t.Fatalf("accepted filter value %q from %q", c.v, raw)
				}
			}
		}
		if id, ok := decodeCursor(q.Get("cursor")); ok {
			if id < 1 || decodeCursorMust(t, encodeCursor(id)) != id {
				t.Fatalf("cursor %q gave id %d", q.Get("cursor"), id)
			}
		}
	})
}

func decodeCursorMust(t *testing.T, s string) int64 {
	id, ok := decodeCursor(s)
	if !ok {
		t.Fatalf("own cursor %q refused", s)
	}
	return id
}
