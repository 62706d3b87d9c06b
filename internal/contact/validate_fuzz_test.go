package contact

import (
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

var (
	fuzzNow   = time.Date(2026, 6, 15, 12, 0, 0, 0, dutch.Amsterdam)
	fuzzAreas = []string{"BU03440101", "BU03440102"}
)

// checkContact asserts what every accepted contact satisfies, from a form or
// from JSON, and that refusals are Dutch messages on known fields.
func checkContact(t *testing.T, in Input, errs validate.Errors) {
	t.Helper()
	fuzzcheck.Errors(t, errs, fieldOrder...)
	if !errs.Valid() {
		return
	}
	if !uuid.Valid(in.ClientID) {
		t.Fatalf("accepted client_id %q", in.ClientID)
	}
	fuzzcheck.OneOf(t, fNeighbourh, in.NeighbourhoodCode, fuzzAreas)
	if !slices.Contains(PlaceTypes, in.PlaceType) {
		t.Fatalf("accepted place type %q", in.PlaceType)
	}
	if !in.Strategy.Valid() {
		t.Fatalf("accepted strategy %q", in.Strategy)
	}
	if in.OccurredAt.After(fuzzNow.Add(maxAhead)) || in.OccurredAt.Before(fuzzNow.Add(-maxBackdate)) {
		t.Fatalf("accepted moment %v", in.OccurredAt)
	}
	if in.PeopleCount < 1 || in.PeopleCount > MaxPeople {
		t.Fatalf("accepted %d people", in.PeopleCount)
	}
	if !theme.ValidAll(in.Themes) {
		t.Fatalf("accepted themes %q", in.Themes)
	}
	fuzzcheck.Text(t, fEnergy, in.Energy, MaxText, true)
	fuzzcheck.Text(t, fConcern, in.Concern, MaxText, true)
	fuzzcheck.Text(t, fNote, in.Note, MaxText, true)
	fuzzcheck.Text(t, fReferral, in.Referral, MaxReferral, false)
	if !slices.Contains(FollowUps, in.FollowUp) {
		t.Fatalf("accepted follow-up %q", in.FollowUp)
	}
	if in.Referral != "" && in.FollowUp != FollowUpReferral {
		t.Fatal("referral kept without a referral follow-up")
	}
	if in.InitiativeID != nil && (*in.InitiativeID < 1 || in.FollowUp != FollowUpInitiative) {
		t.Fatalf("accepted initiative %d with follow-up %q", *in.InitiativeID, in.FollowUp)
	}
}

// FuzzContactForm: the quick-log and edit form (fuzzed as a whole,
// URL-encoded body).
func FuzzContactForm(f *testing.F) {
	valid := url.Values{fClientID: {"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"}, fNeighbourh: {"BU03440101"}, fPlaceType: {"straat"},
		fStrategy: {"bonding"}, fOccurredAt: {"2026-06-15T10:30"}, fPeopleCount: {"3"}, fThemes: {"ontmoeting", "zorg"},
		fEnergy: {"Wil een buurtfeest"}, fConcern: {"Eenzaamheid"}, fNote: {"Privé"}, fFollowUp: {"doorverwijzing"}, fReferral: {"Buurtteam"}}
	f.Add(valid.Encode())
	for _, change := range []url.Values{
		{fClientID: {"0B7E1C1E-2F6A-4D2E-9C1A-1D2E3F4A5B6C"}}, {fClientID: {"x"}}, {fNeighbourh: {"BU03440103"}}, {fNeighbourh: {"\x00"}},
		{fPlaceType: {"maan"}}, {fStrategy: {"x"}}, {fOccurredAt: {"2026-06-15T13:30:00+02:00"}}, {fOccurredAt: {"1999-01-01T00:00"}},
		{fOccurredAt: {"2030-01-01T00:00"}}, {fOccurredAt: {"gisteren"}}, {fPeopleCount: {"0"}}, {fPeopleCount: {"501"}}, {fPeopleCount: {"1e2"}},
		{fThemes: {"onbekend"}}, {fNote: {strings.Repeat("é", 501)}}, {fFollowUp: {"initiatief"}, fInitiativeID: {"7"}},
		{fFollowUp: {"initiatief"}, fInitiativeID: {"-7"}}, {fFollowUp: {"later"}}, {fReferral: {"a\nb"}},
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
		in, errs := Validate(rawFromForm(q), fuzzAreas, fuzzNow, nil)
		checkContact(t, in, errs)
	})
}

// FuzzContactJSON: the JSON body of POST /api/v1/contacts and /contacten/sync,
// decoded as CreateJSON does (unknown fields and trailing data refused;
// numbers or strings for the counts), then validated.
func FuzzContactJSON(f *testing.F) {
	for _, s := range []string{
		`{"client_id":"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c","neighbourhood":"BU03440101","place_type":"straat","strategy":"bridging","people_count":2}`,
		`{"client_id":"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c","neighbourhood":"BU03440102","place_type":"online","strategy":"linking","people_count":"12","follow_up":"initiatief","initiative_id":3}`,
		`{"client_id":"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c","occurred_at":"2026-06-15T10:00:00Z","people_count":1e300,"initiative_id":[1]}`,
		`{"people_count":-0.5,"themes":["zorg",null]}`, `{"onbekend":1}`, `{} {}`, `[]`, `null`, `{"note":"\u0000"}`, `{"people_count":true}`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in APIInput
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil || dec.Decode(&struct{}{}) != io.EOF {
			return // answered 400 with msgJSONInvalid
		}
		raw := Raw{
			ClientID: in.ClientID, OccurredAt: in.OccurredAt, Neighbourhood: in.Neighbourhood, PlaceType: in.PlaceType,
			PeopleCount: scalar(in.PeopleCount), Themes: in.Themes, Strategy: in.Strategy, Energy: in.Energy,
			Concern: in.Concern, Note: in.Note, FollowUp: in.FollowUp, InitiativeID: scalar(in.InitiativeID), Referral: in.Referral,
		}
		v, errs := Validate(raw, fuzzAreas, fuzzNow, nil)
		checkContact(t, v, errs)
	})
}

// FuzzContactFilter: the list filters of /contacten and /contacten/team
// keep only work-area codes, known strategies and themes, real dates and
// a page from 1 to 99,999 (never a negative offset).
func FuzzContactFilter(f *testing.F) {
	for _, s := range []string{"buurt=BU03440101&strategie=bonding&thema=zorg&van=2026-01-01&tot=2026-02-01&pagina=3",
		"buurt=BU03440103", "van=0000-01-01&tot=9999-12-31", "pagina=-1", "pagina=100000", "pagina=99999", "maand=2026-13", "maand=1999-12", "%zz"} {
		f.Add(s)
	}
	areas := []Area{{Code: "BU03440101"}, {Code: "BU03440102"}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		fl, fv := parseFilter(q, areas)
		if fl.NeighbourhoodCode != "" {
			fuzzcheck.OneOf(t, "buurt", fl.NeighbourhoodCode, fuzzAreas)
		}
		if fl.Strategy != "" && !fl.Strategy.Valid() || fl.Theme != "" && !theme.Valid(fl.Theme) {
			t.Fatalf("kept filter %+v", fl)
		}
		if fv.Page < 1 || fv.Page >= 100000 || fl.Offset < 0 || fl.Limit < 1 {
			t.Fatalf("page %d offset %d limit %d from %q", fv.Page, fl.Offset, fl.Limit, raw)
		}
		if m, ok := parseMonth(q.Get("maand")); ok && (m.Year() < 2000 || m.Year() > 2100) {
			t.Fatalf("month %v from %q", m, raw)
		}
	})
}
