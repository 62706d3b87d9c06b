package initiative_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// world is one server with an initiative and every kind of viewer.
type world struct {
	s       *testkit.Server
	g       geo
	id      int64 // Anna's initiative in Utrecht
	otherID int64 // Olga's initiative
	clients map[string]*testkit.Client
}

var viewers = []string{"anonymous", "resident", "owner", "other-owner", "worker", "officer", "officer-elsewhere", "admin"}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := testkit.NewServer(t)
	w := &world{s: s, g: seedGeo(t, s), clients: map[string]*testkit.Client{}}
	s.CreateUser(t, "owner@example.org")
	s.CreateUser(t, "other-owner@example.org")
	s.CreateUser(t, "resident@example.org")
	s.CreateUser(t, "worker@example.org", role.Worker)
	s.CreateUser(t, "admin@example.org", role.Admin)
	officer(t, s, "officer@example.org", w.g.utrecht)
	officer(t, s, "officer-elsewhere@example.org", w.g.amsterdam)
	for _, v := range viewers {
		if v == "anonymous" {
			w.clients[v] = s.Client(t)
			continue
		}
		w.clients[v] = s.Login(t, v+"@example.org")
	}
	w.id = create(t, w.clients["owner"], nil)
	w.otherID = create(t, w.clients["other-owner"], func(f url.Values) { f.Set("titel", "Repair Café Oost") })
	return w
}

func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const (
		ok    = http.StatusOK
		see   = http.StatusSeeOther
		login = -1 // redirect to the login page
		forb  = http.StatusForbidden
		unpr  = http.StatusUnprocessableEntity
		bad   = http.StatusBadRequest
	)
	type row struct {
		method, path string
		form         url.Values
		want         map[string]int // by viewer; missing viewers get def
		def          int
	}
	p := func(s string) string { return path(w.id, s) }
	rows := []row{
		{"GET", "/initiatieven", nil, nil, ok},
		{"GET", p(""), nil, nil, ok},
		{"GET", p("/bewerken"), nil, map[string]int{"anonymous": login, "owner": ok, "admin": ok}, forb},
		{"POST", p("/bewerken"), url.Values{"titel": {""}}, map[string]int{"anonymous": login, "owner": unpr, "admin": unpr}, forb},
		{"POST", p("/status"), url.Values{}, map[string]int{"anonymous": login, "owner": unpr, "admin": unpr}, forb},
		{"POST", p("/eigenaren"), url.Values{}, map[string]int{"anonymous": login, "owner": unpr, "admin": unpr}, forb},
		{"POST", p("/eigenaren/verwijderen"), url.Values{}, map[string]int{"anonymous": login, "owner": bad, "admin": bad}, forb},
		{"POST", p("/uitnodiging/intrekken"), url.Values{}, map[string]int{"anonymous": login, "owner": bad, "admin": bad}, forb},
		{"POST", p("/uitnodiging/aannemen"), url.Values{}, map[string]int{"anonymous": login}, see},
		{"POST", p("/uitnodiging/weigeren"), url.Values{}, map[string]int{"anonymous": login}, see},
		{"POST", p("/berichten"), url.Values{"bericht_sleutel": {"6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5b"}}, map[string]int{"anonymous": login, "owner": unpr, "admin": unpr}, forb},
		{"GET", p("/potjes"), nil, map[string]int{"anonymous": login, "owner": ok}, forb},
		{"POST", p("/meedoen"), url.Values{"actie": {"af"}}, map[string]int{"anonymous": login}, see},
		// Owners never get these forms: a refused one cannot show its errors.
		{"POST", p("/aanbod"), url.Values{}, map[string]int{"anonymous": login, "owner": forb}, unpr},
		{"POST", p("/melden"), url.Values{}, map[string]int{"anonymous": login, "owner": forb}, unpr},
		{"POST", p("/verbergen"), url.Values{}, map[string]int{"anonymous": login, "admin": unpr}, forb},
		{"POST", p("/zichtbaar"), url.Values{}, map[string]int{"anonymous": login, "admin": see}, forb},
		{"GET", "/beheer/initiatieven", nil, map[string]int{"anonymous": login, "admin": ok}, forb},
		{"GET", "/aanvragen", nil, map[string]int{"anonymous": login, "officer": ok, "officer-elsewhere": ok}, forb},
		{"GET", "/initiatieven/nieuw?gemeente=GM0344", nil, map[string]int{"anonymous": login, "officer": forb, "officer-elsewhere": forb, "admin": forb}, ok},
		// Stopping last: it changes the initiative.
		{"POST", p("/stoppen"), url.Values{}, map[string]int{"anonymous": login, "owner": see, "admin": see}, forb},
	}
	for _, r := range rows {
		for _, v := range viewers {
			want, found := r.want[v]
			if !found {
				want = r.def
			}
			c := w.clients[v]
			var res testkit.Response
			if r.method == "GET" {
				res = c.Get(r.path)
			} else {
				res = c.PostForm(r.path, r.form)
			}
			if want == login {
				if res.StatusCode != see || !strings.HasPrefix(res.Location(), "/inloggen") {
					t.Errorf("%s %s as %s: %d → %q, want login redirect", r.method, r.path, v, res.StatusCode, res.Location())
				}
				continue
			}
			if res.StatusCode != want {
				t.Errorf("%s %s as %s: %d, want %d", r.method, r.path, v, res.StatusCode, want)
			}
		}
	}
	// The owner of another initiative changed nothing.
	if n := count(t, w.s, `SELECT count(*) FROM initiatives WHERE id = $1 AND version = 1`, w.otherID); n != 1 {
		t.Error("other initiative changed")
	}
}

func TestMembersOnlyAndHidden(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	owner, admin, resident, anon := w.clients["owner"], w.clients["admin"], w.clients["resident"], w.clients["anonymous"]
	members := create(t, owner, func(f url.Values) { f.Set("zichtbaarheid", "members"); f.Set("titel", "Buurtkamer voor leden") })

	res := anon.Get(path(members, ""))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen?volgende=") {
		t.Errorf("anonymous members-only: %d %q", res.StatusCode, res.Location())
	}
	if res := resident.Get(path(members, "")); res.StatusCode != http.StatusOK {
		t.Errorf("resident members-only: %d", res.StatusCode)
	}
	if strings.Contains(anon.Get("/initiatieven").Body, "Buurtkamer voor leden") {
		t.Error("members-only initiative listed for anonymous visitors")
	}
	if !strings.Contains(resident.Get("/initiatieven").Body, "Buurtkamer voor leden") {
		t.Error("members-only initiative not listed for a logged-in resident")
	}

	// Report, then hide with a reason.
	for _, bad := range []string{"", strings.Repeat("r", 1001)} {
		if res := resident.PostForm(path(w.id, "/melden"), url.Values{"melding": {bad}}); res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "melding") == "" {
			t.Errorf("bad report: %d", res.StatusCode)
		}
	}
	if res := resident.PostForm(path(w.id, "/melden"), url.Values{"melding": {"Dit is <b>reclame</b>"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d", res.StatusCode)
	}
	if body := admin.Get(path(w.id, "")).Body; !strings.Contains(body, "Dit is &lt;b&gt;reclame&lt;/b&gt;") {
		t.Error("admin does not see the report")
	}
	if body := admin.Get("/beheer/initiatieven").Body; !strings.Contains(body, `href="`+path(w.id, "#moderatie")+`"`) {
		t.Error("moderation list lacks the reported initiative")
	}
	if body := admin.Get("/beheer/initiatieven").Body; strings.Contains(body, "Repair Café Oost") {
		t.Error("moderation list shows an initiative nobody reported")
	}
	if n := count(t, w.s, `SELECT count(*) FROM audit_log WHERE action = 'initiative.view' AND subject_id = $1`, w.id); n < 1 {
		t.Error("an administrator opening an initiative's private parts is not audited")
	}
	if body := owner.Get(path(w.id, "")).Body; strings.Contains(body, "reclame") {
		t.Error("owner sees who reported what")
	}
	if res := admin.PostForm(path(w.id, "/verbergen"), url.Values{"reden": {""}}); res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "reden") == "" {
		t.Errorf("hide without reason: %d", res.StatusCode)
	}
	if res := admin.PostForm(path(w.id, "/verbergen"), url.Values{"reden": {"Reclame voor een bedrijf"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.StatusCode)
	}
	for v, want := range map[string]int{"anonymous": 404, "resident": 404, "other-owner": 404, "worker": 404, "officer": 404, "owner": 200, "admin": 200} {
		res := w.clients[v].Get(path(w.id, ""))
		if res.StatusCode != want {
			t.Errorf("hidden page as %s: %d, want %d", v, res.StatusCode, want)
		}
		if v == "owner" && !strings.Contains(res.Body, "Reclame voor een bedrijf") {
			t.Error("owner does not see the reason")
		}
	}
	if body := admin.Get("/beheer/initiatieven").Body; !strings.Contains(body, "Reclame voor een bedrijf") {
		t.Error("moderation list lacks the hidden initiative's reason")
	}
	if strings.Contains(resident.Get("/initiatieven").Body, "Moestuin Oudwijk") {
		t.Error("hidden initiative listed")
	}
	if res := owner.Get(path(w.id, "/potjes")); res.StatusCode != http.StatusForbidden {
		t.Errorf("funding form of a hidden initiative: %d", res.StatusCode)
	}
	if res := resident.PostForm(path(w.id, "/meedoen"), url.Values{"actie": {"mee"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("join hidden: %d", res.StatusCode)
	}
	if n := count(t, w.s, `SELECT count(*) FROM audit_log WHERE action = 'initiative.hide' AND subject_id = $1`, w.id); n != 1 {
		t.Errorf("hide audited %d times", n)
	}
	if res := admin.PostForm(path(w.id, "/zichtbaar"), url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unhide: %d", res.StatusCode)
	}
	if res := anon.Get(path(w.id, "")); res.StatusCode != http.StatusOK {
		t.Errorf("unhidden page: %d", res.StatusCode)
	}
	for _, p := range []string{"/initiatieven/abc", "/initiatieven/0", "/initiatieven/99999"} {
		if res := anon.Get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
}

// The moderation list shows the most recently reported or hidden
// initiatives and says so when there are more than it shows.
func TestModerationListSaysWhatItLeavesOut(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.clients["admin"]
	if body := admin.Get("/beheer/initiatieven").Body; strings.Contains(body, `data-testid="moderation-more"`) {
		t.Error("the note about older items shows while nothing is left out")
	}
	hidden := initiative.ModerationShown + 3
	if _, err := w.s.DB.Exec(context.Background(), `
		INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, hidden_at, hidden_reason)
		SELECT 'Verborgen ' || g, 'Samenvatting', $1, 'informal', 'actief', 'platform', 'public', now() - g * interval '1 minute', 'Reclame'
		  FROM generate_series(1, $2) g`, w.g.utrecht, hidden); err != nil {
		t.Fatal(err)
	}
	body := admin.Get("/beheer/initiatieven").Body
	if n := strings.Count(body, ">Verborgen "); n != initiative.ModerationShown {
		t.Errorf("%d hidden initiatives listed, want %d", n, initiative.ModerationShown)
	}
	if !strings.Contains(body, ">Verborgen 1<") || strings.Contains(body, fmt.Sprintf(">Verborgen %d<", hidden)) {
		t.Error("not the most recently hidden ones")
	}
	if !strings.Contains(body, `data-testid="moderation-more"`) {
		t.Error("no note that older items are left out")
	}
}
