package activity_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/activity"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var idRe = regexp.MustCompile(`^/activiteiten/([0-9]+)$`)

func validForm(token string, nb int64) url.Values {
	return url.Values{
		"token":            {token},
		"title":            {"Buurtmaaltijd in het buurthuis"},
		"date":             {"2026-03-14"},
		"neighbourhood":    {strconv.FormatInt(nb, 10)},
		"strategy":         {"bonding"},
		"participants":     {"23"},
		"worker_organised": {"ja"},
		"partners":         {"Bibliotheek West\nWoningcorporatie Mitros\n"},
		"outcome":          {"Drie nieuwe vrijwilligers voor de kookgroep."},
		"note":             {"Mevrouw J. van nummer 12 wil helpen koken."},
	}
}

// create posts a valid activity as c and returns its id.
func create(t *testing.T, c *testkit.Client, nb int64) int64 {
	t.Helper()
	res := c.PostForm("/activiteiten/nieuw", validForm(formToken(t, c, "/activiteiten/nieuw"), nb))
	m := idRe.FindStringSubmatch(res.Location())
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.StatusCode, res.Location(), res.Body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestCreateEditAndShareStory(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl, w.lombok}, 0)

	id := create(t, c, w.oogInAl)
	path := "/activiteiten/" + strconv.FormatInt(id, 10)
	res := c.Get(path)
	for _, want := range []string{"Buurtmaaltijd in het buurthuis", "De activiteit is opgeslagen.", "14 maart 2026", "Oog in Al",
		"Verbinden", "23", "Bibliotheek West", "Woningcorporatie Mitros", "Drie nieuwe vrijwilligers", "Mevrouw J. van nummer 12"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("show page lacks %q", want)
		}
	}

	// The list shows it.
	if res := c.Get("/activiteiten"); !strings.Contains(res.Body, "Buurtmaaltijd in het buurthuis") {
		t.Errorf("list lacks the activity: %d", res.StatusCode)
	}

	// Edit: move to Lombok and change the strategy.
	if res := c.Get(path + "/bewerken"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Drie nieuwe vrijwilligers") {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	f := validForm("", w.lombok)
	f.Set("strategy", "linking")
	f.Set("title", "Gesprek met de wethouder")
	res = c.PostForm(path+"/bewerken", f)
	if res.StatusCode != http.StatusSeeOther || res.Location() != path {
		t.Fatalf("update: %d %q", res.StatusCode, res.Location())
	}
	var title, strat string
	var nb int64
	if err := w.s.DB.QueryRow(context.Background(), `SELECT title, strategy, neighbourhood_id FROM activities WHERE id = $1`, id).Scan(&title, &strat, &nb); err != nil {
		t.Fatal(err)
	}
	if title != "Gesprek met de wethouder" || strat != "linking" || nb != w.lombok {
		t.Errorf("after update: %q %q %d", title, strat, nb)
	}

	// Story: the form starts from a copy of the note.
	res = c.Get(path + "/verhaal")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Mevrouw J. van nummer 12") {
		t.Fatalf("story form: %d", res.StatusCode)
	}
	story := "Een bewoonster bood aan mee te koken."
	res = c.PostForm(path+"/verhaal", url.Values{"story": {story}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Bevestig dat het verhaal niemand herkenbaar maakt.") ||
		!strings.Contains(res.Body, story) {
		t.Fatalf("story without confirmation: %d", res.StatusCode)
	}
	res = c.PostForm(path+"/verhaal", url.Values{"story": {story}, "confirm": {"ja"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("share story: %d", res.StatusCode)
	}
	var shared *time.Time
	var gotStory, note string
	if err := w.s.DB.QueryRow(context.Background(), `SELECT story, story_shared_at, note FROM activities WHERE id = $1`, id).Scan(&gotStory, &shared, &note); err != nil {
		t.Fatal(err)
	}
	if gotStory != story || shared == nil || note != "Mevrouw J. van nummer 12 wil helpen koken." {
		t.Errorf("after sharing: story %q shared %v note %q", gotStory, shared, note)
	}
	if res := c.Get(path); !strings.Contains(res.Body, "Het verhaal is gedeeld met de gemeente.") || !strings.Contains(res.Body, story) {
		t.Error("show page does not show the shared story")
	}

	// Withdraw.
	res = c.PostForm(path+"/verhaal", url.Values{"action": {"intrekken"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if err := w.s.DB.QueryRow(context.Background(), `SELECT story, story_shared_at FROM activities WHERE id = $1`, id).Scan(&gotStory, &shared); err != nil {
		t.Fatal(err)
	}
	if gotStory != "" || shared != nil {
		t.Errorf("after withdrawing: %q %v", gotStory, shared)
	}
}

func TestCreateTwiceWithOneTokenStoresOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	f := validForm(formToken(t, c, "/activiteiten/nieuw"), w.oogInAl)
	first := c.PostForm("/activiteiten/nieuw", f)
	second := c.PostForm("/activiteiten/nieuw", f)
	if first.StatusCode != http.StatusSeeOther || second.StatusCode != http.StatusSeeOther || first.Location() != second.Location() {
		t.Fatalf("double submit: %d %q, %d %q", first.StatusCode, first.Location(), second.StatusCode, second.Location())
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM activities`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d activities stored, want 1", n)
	}
	// A form without a valid token is refused.
	f.Set("token", "niet-een-token")
	if res := c.PostForm("/activiteiten/nieuw", f); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad token: %d", res.StatusCode)
	}
}

func TestBadInputIsRefusedAndKept(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	token := formToken(t, c, "/activiteiten/nieuw")
	tests := []struct {
		name, field, value, want string
	}{
		{"empty title", "title", "", "Vul dit veld in."},
		{"NUL in title", "title", "Maaltijd\x00", "tekens die we niet kunnen opslaan"},
		{"title too long", "title", strings.Repeat("a", 151), "hoogstens 150 tekens"},
		{"NUL in note", "note", "a\x00b", "tekens die we niet kunnen opslaan"},
		{"note too long", "note", strings.Repeat("n", 4001), "hoogstens 4000 tekens"},
		{"outcome too long", "outcome", strings.Repeat("o", 4001), "hoogstens 4000 tekens"},
		{"partner too long", "partners", strings.Repeat("p", 151), "partnernaam is hoogstens 150"},
		{"too many partners", "partners", manyPartners(21), "hoogstens 20 partnerorganisaties"},
		{"unknown strategy", "strategy", "bridgeing", "Kies verbinden, overbruggen of koppelen."},
		{"no strategy", "strategy", "", "Kies de strategie"},
		{"unknown neighbourhood", "neighbourhood", "999999", "alleen activiteiten vastleggen in je eigen werkgebieden"},
		{"neighbourhood outside areas", "neighbourhood", strconv.FormatInt(w.lombok, 10), "alleen activiteiten vastleggen in je eigen werkgebieden"},
		{"neighbourhood not a number", "neighbourhood", "Lombok", "alleen activiteiten vastleggen in je eigen werkgebieden"},
		{"negative participants", "participants", "-3", "tussen 0 en 100.000"},
		{"too many participants", "participants", "100001", "tussen 0 en 100.000"},
		{"participants not a number", "participants", "twaalf", "heel getal"},
		{"bad date", "date", "14-03-2026", "jjjj-mm-dd"},
		{"date far ahead", "date", "2099-01-01", "hoogstens een jaar vooruit"},
		{"no organiser", "worker_organised", "", "Geef aan wie de activiteit organiseerde"},
		{"unknown initiative", "initiative", "12345", "Kies een initiatief uit de lijst."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm(token, w.oogInAl)
			f.Set(tt.field, tt.value)
			if tt.field != "title" {
				f.Set("title", "Buurt <script>alert(1)</script> feest")
			}
			res := c.PostForm("/activiteiten/nieuw", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			if strings.Contains(res.Body, "<script>alert(1)</script>") {
				t.Error("script echoed unescaped")
			}
			if tt.field != "title" && !strings.Contains(res.Body, "Buurt &lt;script&gt;alert(1)&lt;/script&gt; feest") {
				t.Error("title not kept (escaped) in the form")
			}
			if tt.field != "outcome" && !strings.Contains(res.Body, "Drie nieuwe vrijwilligers voor de kookgroep.") {
				t.Error("outcome not kept")
			}
		})
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM activities`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d activities stored from bad input", n)
	}
}

func manyPartners(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("Partner " + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	author, _ := w.user(t, "auteur@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	id := create(t, author, w.oogInAl)
	colleague, _ := w.user(t, "collega@example.nl", []role.Role{role.Worker, role.Resident}, []int64{w.oogInAl, w.lombok}, 0)
	outside, _ := w.user(t, "elders@example.nl", []role.Role{role.Worker}, []int64{w.lombok}, 0)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	officer, _ := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	otherOfficer, _ := w.user(t, "leiden@example.nl", []role.Role{role.Officer}, nil, w.leiden)
	admin, _ := w.user(t, "beheer@example.nl", []role.Role{role.Admin}, nil, 0)
	anon := w.s.Client(t)

	p := "/activiteiten/" + strconv.FormatInt(id, 10)
	type route struct {
		method, path string
	}
	routes := []route{
		{"GET", "/activiteiten"}, {"GET", "/activiteiten/nieuw"}, {"POST", "/activiteiten/nieuw"},
		{"GET", p}, {"GET", p + "/bewerken"}, {"POST", p + "/bewerken"}, {"GET", p + "/verhaal"}, {"POST", p + "/verhaal"},
	}
	// Expected status per client, in the order of routes. POSTs by allowed
	// users send an empty form: 400 (no token) or 422 (validation).
	tests := []struct {
		who  string
		c    *testkit.Client
		want []int
	}{
		{"anonymous", anon, []int{303, 303, 303, 303, 303, 303, 303, 303}},
		{"resident", resident, []int{403, 403, 403, 403, 403, 403, 403, 403}},
		{"officer of the municipality", officer, []int{403, 403, 403, 403, 403, 403, 403, 403}},
		{"officer of another municipality", otherOfficer, []int{403, 403, 403, 403, 403, 403, 403, 403}},
		{"admin", admin, []int{403, 403, 403, 403, 403, 403, 403, 403}},
		{"author", author, []int{200, 200, 400, 200, 200, 422, 200, 422}},
		{"worker in the area, not author", colleague, []int{200, 200, 400, 200, 403, 403, 403, 403}},
		{"worker outside the area", outside, []int{200, 200, 400, 404, 404, 404, 404, 404}},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			for i, rt := range routes {
				var res testkit.Response
				if rt.method == "GET" {
					res = tt.c.Get(rt.path)
				} else {
					res = tt.c.PostForm(rt.path, url.Values{})
				}
				if res.StatusCode != tt.want[i] {
					t.Errorf("%s %s = %d, want %d", rt.method, rt.path, res.StatusCode, tt.want[i])
				}
				if res.StatusCode == 303 && tt.c == anon && !strings.HasPrefix(res.Location(), "/inloggen") {
					t.Errorf("%s %s redirects to %q", rt.method, rt.path, res.Location())
				}
				if strings.Contains(res.Body, "Mevrouw J. van nummer 12") && tt.c != author {
					t.Errorf("%s %s shows the private note", rt.method, rt.path)
				}
			}
		})
	}

	// Nothing changed by anyone but the author.
	var title string
	if err := w.s.DB.QueryRow(context.Background(), `SELECT title FROM activities WHERE id = $1`, id).Scan(&title); err != nil {
		t.Fatal(err)
	}
	if title != "Buurtmaaltijd in het buurthuis" {
		t.Errorf("title changed to %q", title)
	}
}

func TestColleagueCannotEditWithAValidForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	author, _ := w.user(t, "auteur@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	id := create(t, author, w.oogInAl)
	colleague, _ := w.user(t, "collega@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	p := "/activiteiten/" + strconv.FormatInt(id, 10)
	f := validForm("", w.oogInAl)
	f.Set("title", "Overgenomen")
	if res := colleague.PostForm(p+"/bewerken", f); res.StatusCode != http.StatusForbidden {
		t.Errorf("colleague edit: %d", res.StatusCode)
	}
	if res := colleague.PostForm(p+"/verhaal", url.Values{"story": {"x"}, "confirm": {"ja"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("colleague story: %d", res.StatusCode)
	}
	// The author cannot move it out of their own areas either.
	f = validForm("", w.leidenCentrum)
	res := author.PostForm(p+"/bewerken", f)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "eigen werkgebieden") {
		t.Errorf("move outside areas: %d", res.StatusCode)
	}
	// The colleague sees the activity, without the note.
	res = colleague.Get(p)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Mevrouw J.") || strings.Contains(res.Body, `data-testid="private-note"`) {
		t.Errorf("colleague view: %d, leaks the note", res.StatusCode)
	}
	var title string
	if err := w.s.DB.QueryRow(context.Background(), `SELECT title FROM activities WHERE id = $1`, id).Scan(&title); err != nil {
		t.Fatal(err)
	}
	if title != "Buurtmaaltijd in het buurthuis" {
		t.Errorf("title changed to %q", title)
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl, w.lombok}, 0)
	post := func(title, date, strat string, nb int64) {
		f := validForm(formToken(t, c, "/activiteiten/nieuw"), nb)
		f.Set("title", title)
		f.Set("date", date)
		f.Set("strategy", strat)
		if res := c.PostForm("/activiteiten/nieuw", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create %s: %d", title, res.StatusCode)
		}
	}
	post("Koffie-ochtend", "2026-01-10", "bonding", w.oogInAl)
	post("Bezoek bibliotheek", "2026-02-10", "bridging", w.lombok)
	post("Inspraakavond", "2026-03-10", "linking", w.lombok)
	// Someone else's activity in Leiden never shows.
	leidenWorker, _ := w.user(t, "leiden@example.nl", []role.Role{role.Worker}, []int64{w.leidenCentrum}, 0)
	f := validForm(formToken(t, leidenWorker, "/activiteiten/nieuw"), w.leidenCentrum)
	f.Set("title", "Leidse buurtsoep")
	if res := leidenWorker.PostForm("/activiteiten/nieuw", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("leiden create: %d", res.StatusCode)
	}

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Koffie-ochtend", "Bezoek bibliotheek", "Inspraakavond"}},
		{"?buurt=" + strconv.FormatInt(w.lombok, 10), []string{"Bezoek bibliotheek", "Inspraakavond"}},
		{"?strategie=bonding", []string{"Koffie-ochtend"}},
		{"?van=2026-02-01&tot=2026-02-28", []string{"Bezoek bibliotheek"}},
		{"?buurt=" + strconv.FormatInt(w.leidenCentrum, 10), nil},
	}
	all := []string{"Koffie-ochtend", "Bezoek bibliotheek", "Inspraakavond", "Leidse buurtsoep"}
	for _, tt := range tests {
		res := c.Get("/activiteiten" + tt.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tt.query, res.StatusCode)
		}
		for _, title := range all {
			want := false
			for _, x := range tt.want {
				want = want || x == title
			}
			if got := strings.Contains(res.Body, title); got != want {
				t.Errorf("list%s: shows %q = %v, want %v", tt.query, title, got, want)
			}
		}
	}
}

func TestSectionShowsPublicFieldsOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	create(t, c, w.oogInAl)
	h := activity.NewHandler(activity.NewStore(w.s.DB), nil)
	comp, err := h.NeighbourhoodSection(context.Background(), w.oogInAl, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := comp.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{"<section", "<h2", "Activiteiten", "Buurtmaaltijd in het buurthuis", "14 maart 2026", "Verbinden", "23", "Drie nieuwe vrijwilligers"} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	if strings.Contains(html, "Mevrouw J.") {
		t.Error("section shows the private note")
	}
	// Through the neighbourhood page, for an anonymous visitor.
	res := w.s.Client(t).Get("/buurten/" + w.oogInAlCode)
	if res.StatusCode != 200 || !strings.Contains(res.Body, "Buurtmaaltijd in het buurthuis") || strings.Contains(res.Body, "Mevrouw J.") {
		t.Errorf("neighbourhood page (%d): activity missing or note shown", res.StatusCode)
	}
	comp, err = h.NeighbourhoodSection(context.Background(), w.lombok, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	_ = comp.Render(context.Background(), &buf)
	if strings.Contains(buf.String(), "Buurtmaaltijd") || !strings.Contains(buf.String(), "nog geen activiteiten") {
		t.Error("another neighbourhood's section shows the activity")
	}
}

func TestEraseNotesBefore(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	oldID := create(t, c, w.oogInAl)
	newID := create(t, c, w.oogInAl)
	ctx := context.Background()
	if _, err := w.s.DB.Exec(ctx, `UPDATE activities SET note_written_at = now() - interval '400 days', story = 'Gedeeld verhaal', story_shared_at = now() WHERE id = $1`, oldID); err != nil {
		t.Fatal(err)
	}
	n, err := activity.NewStore(w.s.DB).EraseNotesBefore(ctx, time.Now().Add(-365*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("erased %d, err %v", n, err)
	}
	var oldNote, newNote, story, title string
	if err := w.s.DB.QueryRow(ctx, `SELECT a.note, b.note, a.story, a.title FROM activities a, activities b WHERE a.id = $1 AND b.id = $2`, oldID, newID).
		Scan(&oldNote, &newNote, &story, &title); err != nil {
		t.Fatal(err)
	}
	if oldNote != "" || newNote == "" || story != "Gedeeld verhaal" || title == "" {
		t.Errorf("after erase: old %q new %q story %q title %q", oldNote, newNote, story, title)
	}
	// A second run finds nothing.
	if n, err := activity.NewStore(w.s.DB).EraseNotesBefore(ctx, time.Now().Add(-365*24*time.Hour)); err != nil || n != 0 {
		t.Errorf("second run erased %d, err %v", n, err)
	}
}

func TestInitiativeAsOrganiser(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	ctx := context.Background()
	initiative := func(title string, nb int64, hidden bool) int64 {
		var id int64
		if err := w.s.DB.QueryRow(ctx, `
			INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, hidden_at, hidden_reason)
			VALUES ($1, 'Samen doen', (SELECT municipality_id FROM neighbourhoods WHERE id = $2), 'informal', 'actief', 'platform', 'public',
			        CASE WHEN $3 THEN now() END, CASE WHEN $3 THEN 'spam' ELSE '' END)
			RETURNING id`, title, nb, hidden).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.DB.Exec(ctx, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, id, nb); err != nil {
			t.Fatal(err)
		}
		return id
	}
	mine := initiative("Moestuin Oog in Al", w.oogInAl, false)
	elsewhere := initiative("Lombok kookt", w.lombok, false)
	hidden := initiative("Verborgen groep", w.oogInAl, true)

	form := c.Get("/activiteiten/nieuw").Body
	if !strings.Contains(form, "Moestuin Oog in Al") || strings.Contains(form, "Lombok kookt") || strings.Contains(form, "Verborgen groep") {
		t.Error("the form offers the wrong initiatives")
	}
	for _, id := range []int64{elsewhere, hidden} {
		f := validForm(formToken(t, c, "/activiteiten/nieuw"), w.oogInAl)
		f.Set("initiative", strconv.FormatInt(id, 10))
		if res := c.PostForm("/activiteiten/nieuw", f); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Kies een initiatief uit de lijst.") {
			t.Errorf("initiative %d accepted: %d", id, res.StatusCode)
		}
	}
	// Organised by the initiative alone.
	f := validForm(formToken(t, c, "/activiteiten/nieuw"), w.oogInAl)
	f.Set("initiative", strconv.FormatInt(mine, 10))
	f.Del("worker_organised")
	res := c.PostForm("/activiteiten/nieuw", f)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create with initiative: %d\n%s", res.StatusCode, res.Body)
	}
	body := c.Get(res.Location()).Body
	if !strings.Contains(body, "Moestuin Oog in Al (bewonersinitiatief)") || strings.Contains(body, "(opbouwwerker)") {
		t.Error("show page does not name the initiative as the only organiser")
	}
}
