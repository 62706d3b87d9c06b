package event_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

func decode(t *testing.T, body string) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	return cal
}

func text(t *testing.T, e ical.Event, name string) string {
	t.Helper()
	s, err := e.Props.Text(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// TestFeedAcrossDST: the neighbourhood feed parses with go-ical; an event
// across the October DST change keeps its Dutch wall-clock times and the
// right instants (TZID Europe/Amsterdam with a VTIMEZONE); UID is stable,
// SEQUENCE rises on change, a cancelled event says STATUS:CANCELLED.
func TestFeedAcrossDST(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// The Saturday before the last Sunday of October next year, 22:00 CEST,
	// until that Sunday 04:00 CET: the clocks go back at 03:00 CEST between.
	year := time.Now().In(dutch.Amsterdam).Year() + 1
	lastSunday := time.Date(year, 10, 31, 12, 0, 0, 0, dutch.Amsterdam)
	for lastSunday.Weekday() != time.Sunday {
		lastSunday = lastSunday.AddDate(0, 0, -1)
	}
	start := time.Date(year, 10, lastSunday.Day()-1, 22, 0, 0, 0, dutch.Amsterdam)
	end := time.Date(year, 10, lastSunday.Day(), 4, 0, 0, 0, dutch.Amsterdam)
	if end.Sub(start) != 7*time.Hour {
		t.Fatalf("test dates do not span the DST change: %v", end.Sub(start))
	}
	id := w.insert(t, ev{title: "Nachtwandeling, met ; en \\ en komma's", start: start, end: end, theme: "sport"})
	cancelled := w.insert(t, soon("Gaat niet door"))
	if err := w.store.Cancel(context.Background(), cancelled, w.worker, "Ziek."); err != nil {
		t.Fatal(err)
	}
	w.insert(t, ev{title: "Elders", start: start, end: end, nbs: []int64{w.leiden}})

	res := w.s.Client(t).Get("/buurten/" + codeOost + "/agenda.ics")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(res.Body, "\r\n") {
		t.Errorf("lines do not end in CRLF")
	}
	cal := decode(t, res.Body)
	if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
		t.Errorf("VERSION %q", v)
	}
	if p, _ := cal.Props.Text(ical.PropProductID); p == "" {
		t.Errorf("no PRODID")
	}
	var tz *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tz = c
		}
	}
	if tz == nil || tz.Props.Get(ical.PropTimezoneID).Value != "Europe/Amsterdam" || len(tz.Children) != 2 {
		t.Fatalf("no VTIMEZONE for Europe/Amsterdam")
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events in the feed, want 2 (not the one in Leiden)", len(events))
	}
	byUID := map[string]ical.Event{}
	for _, e := range events {
		byUID[text(t, e, ical.PropUID)] = e
	}
	night, ok := byUID[event.UID(id, "localhost")]
	if !ok {
		t.Fatalf("UID %s missing: %v", event.UID(id, "localhost"), byUID)
	}
	if got := text(t, night, ical.PropSummary); got != "Nachtwandeling, met ; en \\ en komma's" {
		t.Errorf("SUMMARY %q", got)
	}
	for name, want := range map[string]time.Time{ical.PropDateTimeStart: start, ical.PropDateTimeEnd: end} {
		p := night.Props.Get(name)
		if p.Params.Get(ical.PropTimezoneID) != "Europe/Amsterdam" {
			t.Errorf("%s without TZID: %v", name, p.Params)
		}
		got, err := p.DateTime(nil)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s = %v (%v), want %v", name, got, err, want)
		}
	}
	if s := night.Props.Get(ical.PropDateTimeStart).Value; !strings.HasSuffix(s, "T220000") {
		t.Errorf("DTSTART wall clock %s, want 22:00", s)
	}
	if s := night.Props.Get(ical.PropDateTimeEnd).Value; !strings.HasSuffix(s, "T040000") {
		t.Errorf("DTEND wall clock %s, want 04:00", s)
	}
	if start.UTC().Hour() != 20 || end.UTC().Hour() != 3 {
		t.Fatalf("offsets: start %v, end %v", start.UTC(), end.UTC())
	}
	if st, err := night.Props.DateTime(ical.PropDateTimeStamp, nil); err != nil || st.IsZero() || !strings.HasSuffix(night.Props.Get(ical.PropDateTimeStamp).Value, "Z") {
		t.Errorf("DTSTAMP %v %v, want UTC", st, err)
	}
	if s, _ := night.Status(); s != ical.EventConfirmed {
		t.Errorf("STATUS %q", s)
	}
	if seq, err := night.Props.Get(ical.PropSequence).Int(); err != nil || seq != 0 {
		t.Errorf("SEQUENCE %d %v", seq, err)
	}
	if u, err := night.Props.URI(ical.PropURL); err != nil || u.String() != "http://localhost:8080/bijeenkomsten/"+strconv.FormatInt(id, 10) {
		t.Errorf("URL %v %v", u, err)
	}
	if loc := text(t, night, ical.PropLocation); loc != "Het plein" {
		t.Errorf("LOCATION %q", loc)
	}
	off := byUID[event.UID(cancelled, "localhost")]
	if s, _ := off.Status(); s != ical.EventCancelled {
		t.Errorf("cancelled event STATUS %q", s)
	}
	if seq, _ := off.Props.Get(ical.PropSequence).Int(); seq != 1 {
		t.Errorf("cancelled event SEQUENCE %d, want 1", seq)
	}
	if d := text(t, off, ical.PropDescription); !strings.Contains(d, "Ziek.") {
		t.Errorf("cancelled DESCRIPTION %q", d)
	}
}

// TestEventICSAndInitiativeFeed: "Zet in je agenda" holds one event with
// the same UID as the feeds; a change raises SEQUENCE; the initiative's
// feed holds its public events.
func TestEventICSAndInitiativeFeed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := soon("Tuindag")
	e.initiative, e.by, e.nbs = w.initiative, w.owner, []int64{w.lombokWest}
	id := w.insert(t, e)
	members := soon("Tuinoverleg")
	members.initiative, members.by, members.members, members.nbs = w.initiative, w.owner, true, []int64{w.lombokWest}
	w.insert(t, members)

	one := func() ical.Event {
		res := w.s.Client(t).Get(event.Path(id) + "/agenda.ics")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), ".ics") {
			t.Fatalf("ics: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		evs := decode(t, res.Body).Events()
		if len(evs) != 1 {
			t.Fatalf("%d events in one event's ics", len(evs))
		}
		return evs[0]
	}
	first := one()
	if _, _, err := w.store.SignUp(context.Background(), id, w.ann, time.Now()); err != nil {
		t.Fatal(err)
	}
	if text(t, first, ical.PropUID) != event.UID(id, "localhost") {
		t.Errorf("UID %q", text(t, first, ical.PropUID))
	}
	got, _, err := w.store.Get(context.Background(), id, event.Viewer{ID: w.owner})
	if err != nil {
		t.Fatal(err)
	}
	in := event.Input{Title: "Tuindag (nieuwe tijd)", Theme: got.Theme, StartsAt: got.StartsAt.Add(time.Hour), EndsAt: got.EndsAt.Add(time.Hour),
		PlaceText: got.PlaceText, Visibility: event.Public, InitiativeID: w.initiative, NeighbourhoodIDs: []int64{w.lombokWest}}
	if err := w.store.Update(context.Background(), id, in, w.owner); err != nil {
		t.Fatal(err)
	}
	if n := notifications(t, w, w.ann, "agenda"); len(n) != 1 || !strings.Contains(n[0], "is gewijzigd") {
		t.Errorf("ann, signed up, heard of the new time: %q", n)
	}
	second := one()
	if text(t, second, ical.PropUID) != text(t, first, ical.PropUID) {
		t.Errorf("UID changed")
	}
	s1, _ := first.Props.Get(ical.PropSequence).Int()
	s2, _ := second.Props.Get(ical.PropSequence).Int()
	if s2 <= s1 {
		t.Errorf("SEQUENCE %d after a change, was %d", s2, s1)
	}
	if st, _ := second.DateTimeStart(nil); !st.Equal(in.StartsAt) {
		t.Errorf("DTSTART %v, want %v", st, in.StartsAt)
	}

	res := w.s.Client(t).Get("/initiatieven/" + strconv.FormatInt(w.initiative, 10) + "/agenda.ics")
	evs := decode(t, res.Body).Events()
	if res.StatusCode != http.StatusOK || len(evs) != 1 || text(t, evs[0], ical.PropSummary) != "Tuindag (nieuwe tijd)" {
		t.Fatalf("initiative feed: %d, %d events", res.StatusCode, len(evs))
	}
	if res := w.s.Client(t).Get("/initiatieven/987654/agenda.ics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("feed of an unknown initiative: %d", res.StatusCode)
	}
	// An empty feed is still a valid calendar.
	if res := w.s.Client(t).Get("/buurten/" + codeLeiden + "/agenda.ics"); res.StatusCode != http.StatusOK || len(decode(t, res.Body).Events()) != 0 {
		t.Errorf("empty feed: %d", res.StatusCode)
	}
}
