package activity

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

var activityFields = []string{"title", "date", "neighbourhood", "worker_organised", "initiative", "strategy", "participants", "partners", "outcome", "note"}

// FuzzActivityForm: the activity form (fuzzed as a whole, URL-encoded body,
// read as formFromRequest reads it) and the story form. Accepted input keeps
// every limit, a date from 2000 to a year ahead, a work-area neighbourhood,
// an offered initiative and at most 20 distinct partners; refusals are Dutch
// messages on the form's own fields.
func FuzzActivityForm(f *testing.F) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	areas, initiatives := []int64{11, 12}, []int64{7}
	valid := url.Values{"title": {"Buurtmaaltijd"}, "date": {"2026-06-01"}, "neighbourhood": {"11"}, "worker_organised": {"ja"},
		"strategy": {"bridging"}, "participants": {"35"}, "partners": {"Buurthuis\nBibliotheek\nbuurthuis"}, "outcome": {"Nieuwe vrijwilligers"},
		"note": {"Volgende keer groter"}, "token": {uuid.New()}, "story": {"Twee buren ontmoetten elkaar."}, "confirm": {"ja"}}
	f.Add(valid.Encode())
	for _, change := range []url.Values{
		{"date": {"1999-12-31"}}, {"date": {"2028-01-01"}}, {"date": {"15-06-2026"}}, {"date": {"\x00"}}, {"neighbourhood": {"13"}},
		{"neighbourhood": {"-11"}}, {"worker_organised": {"nee"}, "initiative": {"7"}}, {"worker_organised": {"nee"}}, {"initiative": {"8"}},
		{"strategy": {"x"}}, {"participants": {"-1"}}, {"participants": {"100001"}}, {"participants": {"1e3"}},
		{"partners": {strings.Repeat("a\n", 25)}}, {"partners": {strings.Repeat("x", 151)}}, {"title": {""}}, {"note": {"\xff"}}, {"story": {""}, "confirm": {""}},
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
		form := Form{
			Title: pf.Get("title"), Date: pf.Get("date"), Neighbourhood: pf.Get("neighbourhood"),
			WorkerOrganised: pf.Get("worker_organised") == "ja", Initiative: pf.Get("initiative"),
			Strategy: pf.Get("strategy"), Participants: pf.Get("participants"), Partners: pf.Get("partners"),
			Outcome: pf.Get("outcome"), Note: pf.Get("note"), Token: pf.Get("token"),
		}
		in, errs := form.Validate(areas, initiatives, now)
		fuzzcheck.Errors(t, errs, activityFields...)
		if errs.Valid() {
			fuzzcheck.Text(t, "title", in.Title, maxTitle, false)
			fuzzcheck.Text(t, "outcome", in.Outcome, maxText, true)
			fuzzcheck.Text(t, "note", in.Note, maxText, true)
			if in.Title == "" || in.Date.Year() < 2000 || in.Date.After(now.AddDate(1, 0, 0)) {
				t.Fatalf("accepted title %q date %v", in.Title, in.Date)
			}
			if !slices.Contains(areas, in.NeighbourhoodID) || !in.Strategy.Valid() {
				t.Fatalf("accepted neighbourhood %d strategy %q", in.NeighbourhoodID, in.Strategy)
			}
			if in.ParticipantCount < 0 || in.ParticipantCount > maxParticipants {
				t.Fatalf("accepted %d participants", in.ParticipantCount)
			}
			if in.InitiativeID != nil && !slices.Contains(initiatives, *in.InitiativeID) || !in.WorkerOrganised && in.InitiativeID == nil {
				t.Fatalf("accepted initiative %v organised %v", in.InitiativeID, in.WorkerOrganised)
			}
			if len(in.Partners) > maxPartners {
				t.Fatalf("accepted %d partners", len(in.Partners))
			}
			seen := map[string]bool{}
			for _, p := range in.Partners {
				// A tab may stay inside a name (the field is multiline text);
				// a line break may not.
				fuzzcheck.Text(t, "partners", p, maxPartner, true)
				if p == "" || strings.ContainsAny(p, "\r\n") || seen[strings.ToLower(p)] {
					t.Fatalf("partner %q empty or twice", p)
				}
				seen[strings.ToLower(p)] = true
			}
		}
		story, serrs := StoryForm{Story: pf.Get("story"), Confirmed: pf.Get("confirm") == "ja"}.Validate()
		fuzzcheck.Errors(t, serrs, "story", "confirm")
		if serrs.Valid() {
			fuzzcheck.Text(t, "story", story, maxText, true)
			if story == "" || pf.Get("confirm") != "ja" {
				t.Fatalf("accepted story %q without text or confirmation", story)
			}
		}
	})
}
