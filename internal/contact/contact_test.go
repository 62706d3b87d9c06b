package contact_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

func TestQuickLogRemembersLastChoice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok, oog)

	res := c.Get("/contacten/nieuw")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET form: %d", res.StatusCode)
	}
	for _, want := range []string{`name="client_id"`, "Verbinden", "Bewoners leren elkaar kennen", "Overbruggen", "Koppelen",
		"<details", "Schrijf geen namen", "contacts.webmanifest", "contacts-offline.js", "data-fresh"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(res.Body, `value="`+oog+`" selected`) || strings.Contains(res.Body, `value="schoolplein" selected`) {
		t.Error("a first form preselects a neighbourhood or place among several")
	}

	res = c.PostForm("/contacten", quick(oog, "schoolplein", "bridging"))
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/contacten/nieuw#opgeslagen" {
		t.Fatalf("save: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	var people int
	var follow string
	var note *string
	var at time.Time
	if err := f.DB.QueryRow(context.Background(), `SELECT people_count, follow_up, note, occurred_at FROM contacts WHERE worker_id = $1`, w.ID).
		Scan(&people, &follow, &note, &at); err != nil {
		t.Fatal(err)
	}
	if people != 1 || follow != "geen" || note != nil || time.Since(at) > time.Minute {
		t.Errorf("defaults: people %d, follow-up %q, note %v, moment %v", people, follow, note, at)
	}

	res = c.Get("/contacten/nieuw")
	for _, want := range []string{"Contact opgeslagen.", "Ongedaan maken", `value="` + oog + `" selected`, `value="schoolplein" selected`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("form after save lacks %q", want)
		}
	}
	if strings.Contains(res.Body, `value="bridging" checked`) {
		t.Error("strategy is remembered; it must be chosen for every contact")
	}
	// The undo offer shows once.
	if res := c.Get("/contacten/nieuw"); strings.Contains(res.Body, "Ongedaan maken") {
		t.Error("undo offered again on the next visit")
	}
}

func TestQuickLogAllOptionalFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	moment := time.Now().Add(-2 * time.Hour).In(dutch.Amsterdam).Truncate(time.Minute)
	form := quick(lombok, "buurtbus", "linking")
	form.Set("occurred_at", moment.Format("2006-01-02T15:04"))
	form.Set("people_count", "12")
	form["themes"] = []string{"wonen", "duurzaamheid"}
	form.Set("energy", "Zonnepanelen op de flat")
	form.Set("concern", "Hoge energierekening")
	form.Set("note", "Vrouw op de hoek wil trekker zijn")
	form.Set("follow_up", "doorverwijzing")
	form.Set("referral", "Energiecoach")
	if res := c.PostForm("/contacten", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.Body)
	}
	var (
		at                                            time.Time
		people                                        int
		themes                                        []string
		place, strat, energy, concern, follow, referr string
		note                                          *string
	)
	if err := f.DB.QueryRow(context.Background(), `SELECT occurred_at, people_count, themes, place_type, strategy, energy, concern, note, follow_up, referral
		FROM contacts WHERE worker_id = $1`, w.ID).Scan(&at, &people, &themes, &place, &strat, &energy, &concern, &note, &follow, &referr); err != nil {
		t.Fatal(err)
	}
	if !at.Equal(moment) || people != 12 || strings.Join(themes, ",") != "wonen,duurzaamheid" || place != "buurtbus" || strat != "linking" ||
		energy != "Zonnepanelen op de flat" || concern != "Hoge energierekening" || note == nil || *note != "Vrouw op de hoek wil trekker zijn" ||
		follow != "doorverwijzing" || referr != "Energiecoach" {
		t.Errorf("stored %v %d %v %s %s %q %q %v %s %q", at, people, themes, place, strat, energy, concern, note, follow, referr)
	}
}

func TestQuickLogBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	long := strings.Repeat("x", 501)
	tests := []struct {
		name, field, value string
		want               string
	}{
		{"no neighbourhood", "neighbourhood", "", contact.MsgNeighbourhood},
		{"unknown neighbourhood", "neighbourhood", "BU99999999", contact.MsgOutsideArea},
		{"other area", "neighbourhood", zuilen, contact.MsgOutsideArea},
		{"unknown place", "place_type", "kroeg", contact.MsgPlaceUnknown},
		{"no strategy", "strategy", "", contact.MsgStrategyReq},
		{"unknown strategy", "strategy", "bondage", contact.MsgStrategyUnknown},
		{"zero people", "people_count", "0", contact.MsgPeopleRange},
		{"too many people", "people_count", "10000", contact.MsgPeopleRange},
		{"people not a number", "people_count", "drie", contact.MsgPeopleNumber},
		{"unknown theme", "themes", "raketten", contact.MsgThemeUnknown},
		{"NUL in energy", "energy", "a\x00b", contact.MsgBadChars},
		{"control char in concern", "concern", "a\x07b", contact.MsgBadChars},
		{"note too long", "note", long, "Gebruik hoogstens 500 tekens (nu 501)."},
		{"far future", "occurred_at", "2099-01-01T10:00", contact.MsgMomentFuture},
		{"long ago", "occurred_at", "2001-01-01T10:00", contact.MsgMomentPast},
		{"not a moment", "occurred_at", "gisteren", contact.MsgMomentFormat},
		{"unknown follow-up", "follow_up", "morgen", contact.MsgFollowUpUnknown},
		{"broken client id", "client_id", "abc", contact.MsgClientID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := quick(lombok, "straat", "bonding")
			form.Set("energy", "<script>alert(1)</script>")
			form.Set(tt.field, tt.value)
			res := c.PostForm("/contacten", form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, html.EscapeString(tt.want)) {
				t.Errorf("body lacks %q", tt.want)
			}
			if !strings.Contains(res.Body, `id="veld-`+tt.field+`-fout"`) && !strings.Contains(res.Body, `id="veld-`+tt.field+`"`) {
				t.Errorf("no error next to field %s", tt.field)
			}
			if tt.field != "energy" && !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Error("other input not kept (escaped) on the re-rendered form")
			}
			if strings.Contains(res.Body, "<script>alert(1)") {
				t.Error("input echoed unescaped")
			}
		})
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id = $1`, w.ID); n != 0 {
		t.Errorf("%d contacts stored from bad input", n)
	}
}

func TestStoreRefusesOtherAreaInSQL(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, _ := f.worker(t, "ow@example.nl", lombok)
	in := contact.Input{ClientID: uuid.New(), OccurredAt: time.Now(), NeighbourhoodCode: zuilen, PlaceType: "straat",
		PeopleCount: 1, Themes: []string{}, Strategy: "bonding", FollowUp: "geen"}
	if _, _, err := contact.NewStore(f.DB).Create(context.Background(), w.ID, in); !errors.Is(err, contact.ErrOutsideArea) {
		t.Fatalf("create outside area: %v, want ErrOutsideArea", err)
	}
}

func TestContactRoutesByRole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, wc := f.worker(t, "ow@example.nl", lombok)
	if res := wc.PostForm("/contacten", quick(lombok, "straat", "bonding")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("worker save: %d", res.StatusCode)
	}
	id := strconv.FormatInt(f.lastID(t, w.ID), 10)
	f.CreateUser(t, "bewoner@example.nl", role.Resident)
	f.CreateUser(t, "gemeente@example.nl", role.Officer)
	f.CreateUser(t, "beheer@example.nl", role.Admin)
	workerPaths := []struct{ method, path string }{
		{"GET", "/contacten"}, {"GET", "/contacten/nieuw"}, {"POST", "/contacten"}, {"GET", "/contacten/team"},
		{"POST", "/contacten/sync"}, {"GET", "/contacten/" + id + "/bewerken"}, {"POST", "/contacten/" + id + "/bewerken"},
		{"POST", "/contacten/" + id + "/verwijderen"}, {"POST", "/contacten/" + id + "/ongedaan-maken"},
		{"GET", "/contacten/" + id + "/verhaal"}, {"POST", "/contacten/" + id + "/verhaal"}, {"POST", "/contacten/" + id + "/verhaal/intrekken"},
		{"POST", "/account/tokens"}, {"POST", "/account/tokens/1/intrekken"},
	}
	for _, who := range []string{"", "bewoner@example.nl", "gemeente@example.nl", "beheer@example.nl"} {
		c := f.Client(t)
		if who != "" {
			c = f.Login(t, who)
		}
		for _, p := range workerPaths {
			var status int
			switch {
			case p.method == "GET":
				status = c.Get(p.path).StatusCode
			case p.path == "/contacten/sync":
				status = c.PostJSON(p.path, `{}`).StatusCode
			default:
				status = c.PostForm(p.path, quick(lombok, "straat", "bonding")).StatusCode
			}
			want := http.StatusForbidden
			if who == "" {
				want = http.StatusSeeOther // to the login page
			}
			if status != want {
				t.Errorf("%s %s as %q: %d, want %d", p.method, p.path, who, status, want)
			}
		}
	}
	if n := f.count(t, `SELECT count(*) FROM contacts`); n != 1 {
		t.Errorf("%d contacts after refused requests, want 1", n)
	}
	// The administrator's view of a worker's contacts is for administrators only.
	adminPath := fmt.Sprintf("/beheer/accounts/%d/contacten", w.ID)
	if res := wc.Get(adminPath); res.StatusCode != http.StatusForbidden {
		t.Errorf("worker opens admin view: %d", res.StatusCode)
	}
	if res := f.Login(t, "gemeente@example.nl").Get(adminPath); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer opens admin view: %d", res.StatusCode)
	}
	// The service worker script is public and carries no personal data.
	res := f.Client(t).Get("/contacten/sw.js")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "javascript") || !strings.Contains(res.Body, "BK_ASSETS") {
		t.Errorf("service worker: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestEditAndDeleteOnlyOwn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok, oog)
	_, other := f.worker(t, "collega@example.nl", lombok, oog)
	form := quick(lombok, "straat", "bonding")
	form.Set("note", "privé-notitie")
	c.PostForm("/contacten", form)
	id := f.lastID(t, w.ID)
	base := "/contacten/" + strconv.FormatInt(id, 10)

	edit := quick(oog, "speelplek", "bridging")
	for _, tt := range []struct {
		name string
		res  func() int
	}{
		{"edit form", func() int { return other.Get(base + "/bewerken").StatusCode }},
		{"edit", func() int { return other.PostForm(base+"/bewerken", edit).StatusCode }},
		{"delete", func() int { return other.PostForm(base+"/verwijderen", nil).StatusCode }},
		{"undo", func() int { return other.PostForm(base+"/ongedaan-maken", nil).StatusCode }},
		{"story", func() int { return other.Get(base + "/verhaal").StatusCode }},
		{"share story", func() int {
			return other.PostForm(base+"/verhaal", url.Values{"story": {"x"}, "confirm": {"ja"}}).StatusCode
		}},
	} {
		if got := tt.res(); got != http.StatusNotFound {
			t.Errorf("colleague %s: %d, want 404", tt.name, got)
		}
	}
	if res := other.Get(base + "/bewerken"); strings.Contains(res.Body, "privé-notitie") {
		t.Error("colleague sees the note")
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND strategy = 'bonding' AND story IS NULL`, id); n != 1 {
		t.Fatal("colleague changed the contact")
	}

	res := c.Get(base + "/bewerken")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "privé-notitie") {
		t.Fatalf("own edit form: %d", res.StatusCode)
	}
	edit.Set("note", "")
	res = c.PostForm(base+"/bewerken", edit)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own edit: %d\n%s", res.StatusCode, res.Body)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND strategy = 'bridging' AND place_type = 'speelplek' AND note IS NULL AND neighbourhood_id = $2`,
		id, f.ids[oog]); n != 1 {
		t.Error("edit not stored")
	}
	bad := quick(zuilen, "speelplek", "bridging")
	if res := c.PostForm(base+"/bewerken", bad); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, html.EscapeString(contact.MsgOutsideArea)) {
		t.Errorf("edit into another area: %d", res.StatusCode)
	}
	if res := c.PostForm(base+"/verwijderen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own delete: %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1`, id); n != 0 {
		t.Error("contact not deleted")
	}
	if res := c.Get("/contacten/abc/bewerken"); res.StatusCode != http.StatusNotFound {
		t.Errorf("bad id: %d", res.StatusCode)
	}
}

func TestUndo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	c.PostForm("/contacten", quick(lombok, "straat", "bonding"))
	id := f.lastID(t, w.ID)
	res := c.PostForm(fmt.Sprintf("/contacten/%d/ongedaan-maken", id), nil)
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/contacten/nieuw" {
		t.Fatalf("undo: %d %s", res.StatusCode, res.Location())
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1`, id); n != 0 {
		t.Error("undo left the contact")
	}
	// Too late: the contact stays and the worker is told where to delete it.
	c.PostForm("/contacten", quick(lombok, "straat", "bonding"))
	id = f.lastID(t, w.ID)
	if _, err := f.DB.Exec(context.Background(), `UPDATE contacts SET created_at = now() - interval '11 minutes' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	c.Get("/contacten/nieuw") // shows and clears the first flash
	c.PostForm(fmt.Sprintf("/contacten/%d/ongedaan-maken", id), nil)
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1`, id); n != 1 {
		t.Error("late undo deleted the contact")
	}
	if res := c.Get("/contacten/nieuw"); !strings.Contains(res.Body, html.EscapeString(contact.FlashUndoExpired)) {
		t.Error("late undo not explained")
	}
}

func TestDoubleSubmitStoresOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	form := quick(lombok, "straat", "bonding")
	for i := 0; i < 3; i++ {
		if res := c.PostForm("/contacten", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit %d: %d", i, res.StatusCode)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id = $1`, w.ID); n != 1 {
		t.Errorf("%d contacts after a triple submit, want 1", n)
	}
}

func TestTeamViewHidesNotes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, author := f.worker(t, "auteur@example.nl", lombok, oog)
	_, colleague := f.worker(t, "collega@example.nl", oog)
	_, stranger := f.worker(t, "elders@example.nl", zuilen)
	form := quick(oog, "straat", "bonding")
	form.Set("note", "GEHEIM-NOTITIE-123")
	form.Set("energy", "Buurtmoestuin <b>nu</b>")
	author.PostForm("/contacten", form)
	author.PostForm("/contacten", quick(lombok, "straat", "linking")) // outside the colleague's areas

	res := colleague.Get("/contacten/team")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("team view: %d", res.StatusCode)
	}
	if !strings.Contains(res.Body, "Buurtmoestuin &lt;b&gt;nu&lt;/b&gt;") || !strings.Contains(res.Body, "auteur") {
		t.Error("team view lacks the colleague's contact (escaped)")
	}
	if strings.Contains(res.Body, "GEHEIM-NOTITIE-123") {
		t.Error("team view shows a private note")
	}
	if strings.Contains(res.Body, "Koppelen") && strings.Contains(res.Body, "Lombok") {
		t.Error("team view shows a contact outside the shared areas")
	}
	if res := stranger.Get("/contacten/team"); strings.Contains(res.Body, "Buurtmoestuin") {
		t.Error("worker without shared areas sees the contact")
	}
	// The author sees the note in their own list.
	if res := author.Get("/contacten"); !strings.Contains(res.Body, "GEHEIM-NOTITIE-123") {
		t.Error("author's list lacks the note")
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok, oog)
	ctx := context.Background()
	insert := func(code, strat string, themes []string, at time.Time, energy string) {
		t.Helper()
		if _, err := f.DB.Exec(ctx, `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, strategy, themes, energy, client_id)
			VALUES ($1, $2, $3, 'straat', $4, $5, $6, gen_random_uuid())`, w.ID, at, f.ids[code], strat, themes, energy); err != nil {
			t.Fatal(err)
		}
	}
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", s, dutch.Amsterdam)
		return d
	}
	insert(lombok, "bonding", []string{"wonen"}, day("2026-10-01 10:00"), "EEN")
	insert(oog, "bridging", []string{"sport"}, day("2026-10-02 23:30"), "TWEE")
	insert(oog, "linking", []string{"wonen", "sport"}, day("2026-10-03 09:00"), "DRIE")
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"EEN", "TWEE", "DRIE"}},
		{"?buurt=" + oog, []string{"TWEE", "DRIE"}},
		{"?strategie=bonding", []string{"EEN"}},
		{"?thema=sport", []string{"TWEE", "DRIE"}},
		{"?van=2026-10-02&tot=2026-10-02", []string{"TWEE"}},
		{"?van=2026-10-02", []string{"TWEE", "DRIE"}},
		{"?buurt=" + zuilen + "&strategie=onzin", []string{"EEN", "TWEE", "DRIE"}}, // ignored filters
	}
	for _, tt := range tests {
		res := c.Get("/contacten" + tt.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tt.query, res.StatusCode)
		}
		for _, e := range []string{"EEN", "TWEE", "DRIE"} {
			want := false
			for _, x := range tt.want {
				want = want || x == e
			}
			if got := strings.Contains(res.Body, "Wil:</strong> "+e); got != want {
				t.Errorf("%s: %s shown %v, want %v", tt.query, e, got, want)
			}
		}
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	if _, err := f.DB.Exec(context.Background(), `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, strategy, client_id)
		SELECT $1, now() - make_interval(hours => g), $2, 'straat', 'bonding', gen_random_uuid() FROM generate_series(1, 30) g`, w.ID, f.ids[lombok]); err != nil {
		t.Fatal(err)
	}
	res := c.Get("/contacten")
	if n := strings.Count(res.Body, `data-testid="contact-`); n != 25 || !strings.Contains(res.Body, "Pagina 1 van 2") {
		t.Errorf("page 1: %d rows", n)
	}
	res = c.Get("/contacten?pagina=2")
	if n := strings.Count(res.Body, `data-testid="contact-`); n != 5 || !strings.Contains(res.Body, "30 contacten") {
		t.Errorf("page 2: %d rows", n)
	}
}

func TestCalendarCounts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	f.worker(t, "collega@example.nl", lombok)
	ctx := context.Background()
	for _, at := range []string{"2026-10-05 09:00", "2026-10-05 23:45", "2026-10-06 00:15", "2026-11-01 12:00"} {
		d, _ := time.ParseInLocation("2006-01-02 15:04", at, dutch.Amsterdam)
		if _, err := f.DB.Exec(ctx, `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, strategy, client_id)
			VALUES ($1, $2, $3, 'straat', 'bonding', gen_random_uuid())`, w.ID, d, f.ids[lombok]); err != nil {
			t.Fatal(err)
		}
	}
	res := c.Get("/contacten?weergave=kalender&maand=2026-10")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("calendar: %d", res.StatusCode)
	}
	for _, want := range []string{"oktober 2026: 3 contacten", `data-testid="dag-2026-10-05"`, `2<span class="bk-calendar__unit"> contacten</span>`, `data-testid="dag-2026-10-06"`,
		"/contacten?van=2026-10-05&amp;tot=2026-10-05", `<th scope="col"`, "<caption"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("calendar lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "dag-2026-11-01") || strings.Contains(res.Body, "dag-2026-10-07") {
		t.Error("calendar counts days without contacts in this month")
	}
	// Another worker's calendar is empty.
	if res := f.Login(t, "collega@example.nl").Get("/contacten?weergave=kalender&maand=2026-10"); strings.Contains(res.Body, "dag-2026-10-05") {
		t.Error("calendar shows another worker's contacts")
	}
	if res := c.Get("/contacten?weergave=kalender&maand=onzin"); res.StatusCode != http.StatusOK {
		t.Errorf("bad month: %d", res.StatusCode)
	}
}

func TestStoryFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	form := quick(lombok, "huisbezoek", "bonding")
	form.Set("note", "Mevrouw Jansen (82) van nummer 14 voelt zich eenzaam")
	c.PostForm("/contacten", form)
	id := f.lastID(t, w.ID)
	path := fmt.Sprintf("/contacten/%d/verhaal", id)
	res := c.Get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Mevrouw Jansen (82) van nummer 14") {
		t.Fatalf("story form not prefilled: %d", res.StatusCode)
	}
	story := "Een oudere bewoner voelt zich eenzaam sinds de buurtkamer dicht is"
	res = c.PostForm(path, url.Values{"story": {story}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, html.EscapeString(contact.MsgStoryConfirm)) ||
		!strings.Contains(res.Body, story) {
		t.Fatalf("story without confirmation: %d", res.StatusCode)
	}
	if res := c.PostForm(path, url.Values{"story": {"a\x00"}, "confirm": {"ja"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("story with NUL: %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND story IS NULL`, id); n != 1 {
		t.Fatal("story stored without confirmation")
	}
	if res := c.PostForm(path, url.Values{"story": {story}, "confirm": {"ja"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("share: %d", res.StatusCode)
	}
	var got string
	var note string
	if err := f.DB.QueryRow(context.Background(), `SELECT story, note FROM contacts WHERE id = $1 AND story_shared_at IS NOT NULL`, id).Scan(&got, &note); err != nil {
		t.Fatal(err)
	}
	if got != story || !strings.Contains(note, "Jansen") {
		t.Errorf("story %q, note %q: the note must stay private and unchanged", got, note)
	}
	if res := c.Get(path); !strings.Contains(res.Body, "Verhaal intrekken") {
		t.Error("shared story lacks withdraw button")
	}
	if res := c.PostForm(path+"/intrekken", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND story IS NULL AND story_shared_at IS NULL`, id); n != 1 {
		t.Error("story not withdrawn")
	}
}

func TestRetentionErasesOnlyOldNotes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, _ := f.worker(t, "ow@example.nl", lombok)
	ctx := context.Background()
	ins := func(age time.Duration, note *string) int64 {
		var id int64
		if err := f.DB.QueryRow(ctx, `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, strategy, themes, energy, note,
			story, story_shared_at, created_at, updated_at, client_id)
			VALUES ($1, now() - make_interval(secs => $2), $3, 'straat', 'bonding', '{wonen}', 'energie', $4, 'verhaal', now() - interval '1 day',
			now() - make_interval(secs => $2), now() - make_interval(secs => $2), gen_random_uuid()) RETURNING id`,
			w.ID, age.Seconds(), f.ids[lombok], note).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	s := func(v string) *string { return &v }
	old := ins(400*24*time.Hour, s("oude notitie"))
	recent := ins(300*24*time.Hour, s("recente notitie"))
	noNote := ins(500*24*time.Hour, nil)
	snapshot := func(id int64) string {
		var j string
		if err := f.DB.QueryRow(ctx, `SELECT (to_jsonb(c) - 'note' - 'note_erased_at')::text FROM contacts c WHERE id = $1`, id).Scan(&j); err != nil {
			t.Fatal(err)
		}
		return j
	}
	before := map[int64]string{old: snapshot(old), recent: snapshot(recent), noNote: snapshot(noNote)}

	n, err := contact.EraseExpiredNotes(ctx, f.DB, 365*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v; want 1", n, err)
	}
	for id, b := range before {
		if a := snapshot(id); a != b {
			t.Errorf("contact %d changed beyond its note:\n%s\n%s", id, b, a)
		}
	}
	if k := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND note IS NULL AND note_erased_at IS NOT NULL`, old); k != 1 {
		t.Error("old note not erased")
	}
	if k := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND note = 'recente notitie' AND note_erased_at IS NULL`, recent); k != 1 {
		t.Error("recent note touched")
	}
	if k := f.count(t, `SELECT count(*) FROM contacts WHERE id = $1 AND note_erased_at IS NULL`, noNote); k != 1 {
		t.Error("contact without note marked as erased")
	}
	// A second run finds nothing more.
	if n, _ := contact.EraseExpiredNotes(ctx, f.DB, 365*24*time.Hour); n != 0 {
		t.Errorf("second run erased %d", n)
	}
}

// A server that starts after notes have expired (it was down, or the
// retention was shortened) erases them at once, not an hour later.
func TestRetentionJobRunsAtStart(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, _ := f.worker(t, "ow@example.nl", lombok)
	if _, err := f.DB.Exec(context.Background(), `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, strategy, note, client_id)
		VALUES ($1, now() - interval '40 days', $2, 'straat', 'bonding', 'oud', gen_random_uuid())`, w.ID, f.ids[lombok]); err != nil {
		t.Fatal(err)
	}
	cfg := f.Cfg
	cfg.NotesRetention = 30 * 24 * time.Hour
	restarted := app.New(cfg, f.DB, app.Options{Mailer: &testkit.MailBox{}})
	defer restarted.Close()
	deadline := time.Now().Add(5 * time.Second)
	for f.count(t, `SELECT count(*) FROM contacts WHERE note IS NULL`) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("retention job did not erase the note at start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAdminReadIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	form := quick(lombok, "straat", "bonding")
	form.Set("note", "GEHEIM-VOOR-BEHEER")
	form.Set("energy", "Zichtbaar voor beheer")
	c.PostForm("/contacten", form)
	admin := f.CreateUser(t, "beheer@example.nl", role.Admin)
	ac := f.Login(t, "beheer@example.nl")
	path := fmt.Sprintf("/beheer/accounts/%d/contacten", w.ID)
	res := ac.Get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Zichtbaar voor beheer") {
		t.Fatalf("admin view: %d", res.StatusCode)
	}
	if strings.Contains(res.Body, "GEHEIM-VOOR-BEHEER") {
		t.Error("admin sees a private note")
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND subject_type = 'account' AND subject_id = $2 AND action = 'contact.list'`,
		admin.ID, w.ID); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	// A resident is not a worker: no such list.
	res2 := ac.Get(fmt.Sprintf("/beheer/accounts/%d/contacten", admin.ID))
	if res2.StatusCode != http.StatusNotFound {
		t.Errorf("non-worker list: %d", res2.StatusCode)
	}
}

func TestThemesMatchSchema(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, c := f.worker(t, "ow@example.nl", lombok)
	form := quick(lombok, "straat", "bonding")
	form["themes"] = theme.Codes()
	if res := c.PostForm("/contacten", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("every theme: %d", res.StatusCode)
	}
	for _, p := range contact.PlaceTypes {
		if res := c.PostForm("/contacten", quick(lombok, string(p), "linking")); res.StatusCode != http.StatusSeeOther {
			t.Errorf("place %s: %d", p, res.StatusCode)
		}
	}
}

func TestDeletedWorkerLeavesNoReadableNote(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "weg@example.nl", lombok)
	form := quick(lombok, "straat", "bonding")
	form.Set("note", "privé")
	c.PostForm("/contacten", form)
	if _, err := f.DB.Exec(context.Background(), `DELETE FROM accounts WHERE id = $1`, w.ID); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id IS NULL AND note IS NULL AND note_erased_at IS NOT NULL AND strategy = 'bonding'`); n != 1 {
		t.Error("contact of a deleted worker kept its note or disappeared")
	}
}
