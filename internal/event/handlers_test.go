package event_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

func local(t time.Time) string { return t.In(dutch.Amsterdam).Format("2006-01-02T15:04") }

// validForm is a worker's event in Lombok-Oost at the meeting place.
func validForm(w world, key string) url.Values {
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	return url.Values{
		"sleutel": {key}, "titel": {"Buurtsoep"}, "beschrijving": {"Samen soep koken en eten."}, "thema": {"ontmoeting"},
		"begin": {local(start)}, "einde": {local(start.Add(2 * time.Hour))}, "plek": {strconv.FormatInt(w.place, 10)},
		"plaats": {"De grote zaal"}, "zichtbaarheid": {"public"}, "plaatsen": {"20"}, "buurten": {strconv.FormatInt(w.lombokOost, 10)},
	}
}

// TestPublishEvent: a worker publishes in their area; a resubmitted form
// adds nothing; the event is on its page, the agendas and the
// neighbourhood page.
func TestPublishEvent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.s.Login(t, "werker@example.nl")
	form := validForm(w, formKey(t, c, "/bijeenkomsten/nieuw"))
	res := c.PostForm("/bijeenkomsten/nieuw", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/bijeenkomsten/") {
		t.Fatalf("create: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	page := res.Location()
	if again := c.PostForm("/bijeenkomsten/nieuw", form); again.Location() != page {
		t.Fatalf("resubmission went to %s, want %s", again.Location(), page)
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d events (%v), want 1", n, err)
	}
	anon := w.s.Client(t)
	for _, path := range []string{page, "/buurten/" + codeOost + "/agenda", "/agenda?wijk=WK034403", "/agenda?gemeente=GM0344", "/agenda",
		"/buurten/" + codeOost} {
		res := anon.Get(path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Buurtsoep") {
			t.Errorf("GET %s: %d, event missing", path, res.StatusCode)
		}
	}
	if res := anon.Get("/buurten/" + codeOost + "/agenda"); !strings.Contains(res.Body, `href="/agenda?wijk=WK034403"`) ||
		!strings.Contains(res.Body, `href="/agenda?gemeente=GM0344"`) || !strings.Contains(res.Body, `href="/buurten/`+codeOost+`/agenda.ics"`) {
		t.Errorf("neighbourhood agenda lacks the district, municipality or feed links")
	}
	if res := anon.Get(page); !strings.Contains(res.Body, "Buurthuis De Boog, De grote zaal") {
		t.Errorf("event page lacks the place")
	}
	for _, path := range []string{"/buurten/" + codeWest + "/agenda", "/buurten/" + codeLeiden + "/agenda", "/agenda?gemeente=GM0546",
		"/buurten/" + codeOost + "/agenda?thema=sport"} {
		if res := anon.Get(path); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Buurtsoep") {
			t.Errorf("GET %s: %d, event shown where it is not", path, res.StatusCode)
		}
	}
	if res := anon.Get("/agenda?wijk=WK999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown district: %d", res.StatusCode)
	}
}

// TestEventFormRefusesBadInput: 422 with a Dutch message at the field and
// the input kept.
func TestEventFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.s.Login(t, "werker@example.nl")
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	cases := []struct {
		name, field, value, want string
	}{
		{"end before start", "einde", local(start.Add(-time.Hour)), "Het einde ligt vóór het begin"},
		{"start in the past", "begin", local(time.Now().Add(-48 * time.Hour)), "Het begin ligt in het verleden"},
		{"capacity zero", "plaatsen", "0", "Het aantal plaatsen is minstens 1"},
		{"capacity negative", "plaatsen", "-3", "Het aantal plaatsen is minstens 1"},
		{"no title", "titel", "", "Geef de bijeenkomst een titel."},
		{"neighbourhood outside the area", "buurten", strconv.FormatInt(w.leiden, 10), "Kies buurten uit de lijst"},
		{"no place", "plek", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := validForm(w, formKey(t, c, "/bijeenkomsten/nieuw"))
			f.Set(tc.field, tc.value)
			if tc.name == "no place" {
				f.Set("plaats", "")
				tc.want = "Kies een plek uit de lijst of beschrijf waar het is."
			}
			res := c.PostForm("/bijeenkomsten/nieuw", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, tc.want) {
				t.Errorf("message %q missing", tc.want)
			}
			if !strings.Contains(res.Body, `value="Samen soep koken en eten."`) && !strings.Contains(res.Body, ">Samen soep koken en eten.<") {
				t.Errorf("description not kept")
			}
			if tc.field != "begin" && !strings.Contains(res.Body, `value="`+f.Get("begin")+`"`) {
				t.Errorf("start not kept")
			}
		})
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d events stored from bad forms", n)
	}
}

// TestWhoPublishes: an owner publishes for their initiative in its
// neighbourhood, not elsewhere; a resident without an initiative gets the
// explanation; nobody edits or cancels another's event.
func TestWhoPublishes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	owner := w.s.Login(t, "eigenaar@example.nl")
	f := validForm(w, formKey(t, owner, "/bijeenkomsten/nieuw?initiatief="+strconv.FormatInt(w.initiative, 10)))
	f.Set("plek", "")
	f.Set("buurten", strconv.FormatInt(w.lombokOost, 10))
	if res := owner.PostForm("/bijeenkomsten/nieuw", f); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Kies het initiatief") {
		t.Fatalf("owner without initiative: %d", res.StatusCode)
	}
	f.Set("initiatief", strconv.FormatInt(w.initiative, 10))
	if res := owner.PostForm("/bijeenkomsten/nieuw", f); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("owner outside the initiative's neighbourhood: %d", res.StatusCode)
	}
	f.Set("buurten", strconv.FormatInt(w.lombokWest, 10))
	res := owner.PostForm("/bijeenkomsten/nieuw", f)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner: %d\n%s", res.StatusCode, res.Body)
	}
	page := res.Location()
	if res := w.s.Client(t).Get("/initiatieven/" + strconv.FormatInt(w.initiative, 10)); !strings.Contains(res.Body, `data-testid="initiative-agenda"`) ||
		!strings.Contains(res.Body, "Buurtsoep") {
		t.Errorf("initiative page lacks its agenda")
	}

	ann := w.s.Login(t, "ann@example.nl")
	if res := ann.Get("/bijeenkomsten/nieuw"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="cannot-publish"`) {
		t.Errorf("resident without initiative: %d", res.StatusCode)
	}
	if res := ann.Get("/bijeenkomsten/nieuw?initiatief=" + strconv.FormatInt(w.initiative, 10)); res.StatusCode != http.StatusForbidden {
		t.Errorf("resident for another's initiative: %d", res.StatusCode)
	}
	for _, path := range []string{page + "/bewerken"} {
		if res := ann.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s by a non-organiser: %d", path, res.StatusCode)
		}
	}
	if res := ann.PostForm(page+"/annuleren", url.Values{"bericht": {"weg"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cancel by a non-organiser: %d", res.StatusCode)
	}
	if res := owner.Get(page + "/bewerken"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `value="Buurtsoep"`) {
		t.Errorf("edit by the owner: %d", res.StatusCode)
	}
}

// TestSignUpThroughThePages: members sign up and cancel; the organiser sees
// first names and cancels with a message (422 without one, at that form).
func TestSignUpThroughThePages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := soon("Buurtwandeling")
	e.capacity = 1
	id := w.insert(t, e)
	page := event.Path(id)
	anon := w.s.Client(t)
	if res := anon.PostForm(page+"/aanmelden", nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Fatalf("anonymous sign-up: %d %s", res.StatusCode, res.Location())
	}
	ann, bob := w.s.Login(t, "ann@example.nl"), w.s.Login(t, "bob@example.nl")
	if res := ann.PostForm(page+"/aanmelden", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ann signs up: %d", res.StatusCode)
	}
	if res := ann.Get(page); !strings.Contains(res.Body, "Je bent aangemeld.") {
		t.Errorf("ann's page does not say she signed up")
	}
	if res := ann.Get("/account"); !strings.Contains(res.Body, `data-testid="my-events"`) || !strings.Contains(res.Body, "Buurtwandeling") {
		t.Errorf("ann's account page lacks her sign-up")
	}
	if res := bob.Get(page); !strings.Contains(res.Body, "Op de wachtlijst") {
		t.Errorf("full event offers no waiting list")
	}
	bob.PostForm(page+"/aanmelden", nil)
	if res := bob.Get(page); !strings.Contains(res.Body, "Je staat op de wachtlijst.") {
		t.Errorf("bob is not on the waiting list")
	}
	worker := w.s.Login(t, "werker@example.nl")
	res := worker.Get(page)
	if !strings.Contains(res.Body, `data-testid="signups"`) || !strings.Contains(res.Body, "ann") || strings.Contains(res.Body, "ann@example.nl") {
		t.Errorf("organiser's list of sign-ups: names missing or e-mail shown")
	}
	if res := ann.Get(page); strings.Contains(res.Body, `data-testid="signups"`) {
		t.Errorf("a participant sees the list of sign-ups")
	}
	ann.PostForm(page+"/afmelden", nil)
	if res := bob.Get(page); !strings.Contains(res.Body, "Je bent aangemeld.") {
		t.Errorf("bob did not move up")
	}
	res = worker.PostForm(page+"/annuleren", url.Values{"bericht": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "waarom gaat het niet door?") {
		t.Fatalf("cancel without message: %d", res.StatusCode)
	}
	if res := worker.PostForm(page+"/annuleren", url.Values{"bericht": {"De gids is ziek."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	if res := anon.Get(page); !strings.Contains(res.Body, `data-testid="cancelled"`) || !strings.Contains(res.Body, "De gids is ziek.") {
		t.Errorf("cancelled event page")
	}
	if n := notifications(t, w, w.bob, "agenda"); len(n) != 2 {
		t.Errorf("bob's notifications: %q, want moved up and cancelled", n)
	}
}

// TestMembersOnly: a members-only event is not shown to anonymous
// visitors (page asks to log in; agendas and feeds leave it out).
func TestMembersOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := soon("Ledenavond")
	e.members = true
	id := w.insert(t, e)
	anon := w.s.Client(t)
	for _, path := range []string{event.Path(id), event.Path(id) + "/agenda.ics"} {
		if res := anon.Get(path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
			t.Errorf("anonymous GET %s: %d %s", path, res.StatusCode, res.Location())
		}
	}
	for _, path := range []string{"/buurten/" + codeOost + "/agenda", "/buurten/" + codeOost + "/agenda.ics", "/buurten/" + codeOost} {
		if res := anon.Get(path); strings.Contains(res.Body, "Ledenavond") {
			t.Errorf("anonymous GET %s shows the members-only event", path)
		}
	}
	ann := w.s.Login(t, "ann@example.nl")
	for _, path := range []string{event.Path(id), event.Path(id) + "/agenda.ics", "/buurten/" + codeOost + "/agenda"} {
		if res := ann.Get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Ledenavond") {
			t.Errorf("member GET %s: %d", path, res.StatusCode)
		}
	}
	if res := ann.Get("/buurten/" + codeOost + "/agenda.ics"); strings.Contains(res.Body, "Ledenavond") {
		t.Errorf("the public feed holds a members-only event")
	}
}

// TestLogActivityFromPastEvent: on a past event a worker of its area gets
// "Activiteit vastleggen", and the activity form comes prefilled.
func TestLogActivityFromPastEvent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	start := time.Date(2026, 3, 14, 19, 30, 0, 0, dutch.Amsterdam)
	id := w.insert(t, ev{title: "Buurtquiz", start: start, end: start.Add(2 * time.Hour)})
	exec(t, w.s, `INSERT INTO event_signups (event_id, account_id, waiting) VALUES ($1, $2, false), ($1, $3, false)`, id, w.ann, w.bob)
	worker := w.s.Login(t, "werker@example.nl")
	res := worker.Get(event.Path(id))
	if !strings.Contains(res.Body, `data-testid="log-activity"`) {
		t.Fatalf("worker sees no 'Activiteit vastleggen'")
	}
	form := worker.Get("/activiteiten/nieuw?evenement=" + strconv.FormatInt(id, 10)).Body
	for _, want := range []string{`value="Buurtquiz (Het plein)"`, `value="2026-03-14"`, `value="2"`} {
		if !strings.Contains(form, want) {
			t.Errorf("activity form lacks %s", want)
		}
	}
	if ann := w.s.Login(t, "ann@example.nl"); strings.Contains(ann.Get(event.Path(id)).Body, `data-testid="log-activity"`) {
		t.Errorf("a resident sees 'Activiteit vastleggen'")
	}
	// A worker of another area gets an empty form.
	other := w.s.CreateUser(t, "leiden@example.nl", "worker")
	exec(t, w.s, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, other.ID, w.leiden)
	if body := w.s.Login(t, "leiden@example.nl").Get("/activiteiten/nieuw?evenement=" + strconv.FormatInt(id, 10)).Body; strings.Contains(body, "Buurtquiz") {
		t.Errorf("a worker of another area got the event prefilled")
	}
}
