package signal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// note is one notification as its recipient reads it.
type note struct{ link, text string }

// notes returns the signal notifications of account, oldest first.
func notes(t *testing.T, w world, account int64) []note {
	t.Helper()
	rows, err := w.s.DB.Query(context.Background(), `SELECT link, body FROM notifications
		WHERE recipient_id = $1 AND category = 'signalen' ORDER BY id`, account)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []note
	for rows.Next() {
		var n note
		if err := rows.Scan(&n.link, &n.text); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// noteCounts returns how many signal notifications each account has.
func noteCounts(t *testing.T, w world, accounts map[string]int64) map[string]int {
	t.Helper()
	out := map[string]int{}
	for name, id := range accounts {
		out[name] = len(notes(t, w, id))
	}
	return out
}

// wantCounts compares notification counts per account, by name.
func wantCounts(t *testing.T, step string, got, want map[string]int) {
	t.Helper()
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s: %s has %d notifications, want %d", step, name, got[name], n)
		}
	}
}

// reply posts a reply as c with a fresh token from the signal page.
func reply(t *testing.T, c *testkit.Client, id int64, body string) testkit.Response {
	t.Helper()
	p := "/signalen/" + strconv.FormatInt(id, 10)
	return c.PostForm(p+"/antwoord", url.Values{"token": {formToken(t, c, p)}, "reply": {body}})
}

func sigPath(id int64) string { return "/signalen/" + strconv.FormatInt(id, 10) }

// TestRaiseNotifiesAreaWorkers: a new signal notifies the community workers
// of its neighbourhood (not the raiser, not workers elsewhere, not someone
// whose work area lingers without the worker role), once per signal.
func TestRaiseNotifiesAreaWorkers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, residentID := w.user(t, "bewoner@example.nl", nil, nil, 0)
	worker, workerID := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	_, bothID := w.user(t, "beide@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl, w.lombok}, 0)
	_, elsewhereID := w.user(t, "elders@example.nl", []role.Role{role.Worker}, []int64{w.lombok}, 0)
	_, formerID := w.user(t, "vroeger@example.nl", nil, []int64{w.oogInAl}, 0) // work area left, role taken away
	_, officerID := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	who := map[string]int64{"raiser": residentID, "worker": workerID, "both": bothID, "elsewhere": elsewhereID, "former": formerID, "officer": officerID}

	// A private signal, posted twice with the same token.
	f := signalForm(formToken(t, resident, "/signalen/nieuw?gemeente="+gmUtrecht), gmUtrecht, w.oogInAl)
	a, b := resident.PostForm("/signalen/nieuw", f), resident.PostForm("/signalen/nieuw", f)
	if a.StatusCode != http.StatusSeeOther || a.Location() != b.Location() {
		t.Fatalf("raise: %d %q / %q", a.StatusCode, a.Location(), b.Location())
	}
	wantCounts(t, "raised", noteCounts(t, w, who), map[string]int{"raiser": 0, "worker": 1, "both": 1, "elsewhere": 0, "former": 0, "officer": 0})
	got := notes(t, w, workerID)[0]
	if got.link != a.Location() || got.text != "Nieuw signaal in Oog in Al: ‘De weggeefwinkel verliest zijn ruimte’." {
		t.Errorf("notification %+v", got)
	}

	// A worker raising one in their own area is not told of it; colleagues are.
	raise(t, worker, signalForm("", gmUtrecht, w.oogInAl))
	wantCounts(t, "raised by a worker", noteCounts(t, w, who), map[string]int{"worker": 1, "both": 2, "elsewhere": 0})
	// A signal in Lombok reaches Lombok's workers only.
	raise(t, resident, signalForm("", gmUtrecht, w.lombok))
	wantCounts(t, "raised in Lombok", noteCounts(t, w, who), map[string]int{"worker": 1, "both": 3, "elsewhere": 1, "former": 0})
}

// TestResponseNotifiesRaiserAndFollowers: a response or status change tells
// the raiser and the followers, never the responder; someone who follows a
// signal they can no longer see hears nothing more of it.
func TestResponseNotifiesRaiserAndFollowers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raiser, raiserID := w.user(t, "melder@example.nl", nil, nil, 0)
	follower, followerID := w.user(t, "buur@example.nl", nil, nil, 0)
	_, bystanderID := w.user(t, "omstander@example.nl", nil, nil, 0)
	worker, workerID := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	colleague, colleagueID := w.user(t, "collega@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	officer, officerID := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	who := map[string]int64{"raiser": raiserID, "follower": followerID, "bystander": bystanderID, "worker": workerID, "colleague": colleagueID, "officer": officerID}

	pub := signalForm("", gmUtrecht, w.oogInAl)
	pub.Set("public", "ja")
	id := raise(t, raiser, pub)
	p := sigPath(id)
	base := noteCounts(t, w, who) // the workers were told of the new signal
	for _, c := range []*testkit.Client{follower, colleague} {
		if res := c.PostForm(p+"/volgen", url.Values{"actie": {"volgen"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("follow: %d", res.StatusCode)
		}
	}
	if !strings.Contains(follower.Get(p).Body, "Je volgt dit signaal.") {
		t.Error("the follower's page does not say they follow")
	}

	if res := respond(t, officer, id, "We nemen het mee in het wijkoverleg.", "geagendeerd"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond: %d", res.StatusCode)
	}
	after := noteCounts(t, w, who)
	wantCounts(t, "officer responded", after, map[string]int{
		"raiser": base["raiser"] + 1, "follower": base["follower"] + 1, "colleague": base["colleague"] + 1,
		"officer": base["officer"], "worker": base["worker"], "bystander": 0})
	want := "De gemeente reageerde op ‘De weggeefwinkel verliest zijn ruimte’ en zette de status op Geagendeerd: “We nemen het mee in het wijkoverleg.”"
	for _, id := range []int64{raiserID, followerID} {
		ns := notes(t, w, id)
		if last := ns[len(ns)-1]; last.text != want || last.link != p {
			t.Errorf("notification %+v, want %q", last, want)
		}
	}
	if strings.Contains(fmt.Sprint(notes(t, w, followerID)), "ambtenaar") {
		t.Error("a notification names the officer")
	}

	// A worker's response reaches the raiser and followers, not the worker.
	if res := respond(t, worker, id, "", "in_behandeling"); res.StatusCode != 422 {
		t.Fatalf("worker's refused status: %d", res.StatusCode)
	}
	if res := respond(t, worker, id, "Ik loop er morgen langs.", ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("worker respond: %d", res.StatusCode)
	}
	wantCounts(t, "worker responded", noteCounts(t, w, who), map[string]int{
		"raiser": after["raiser"] + 1, "follower": after["follower"] + 1, "colleague": after["colleague"] + 1,
		"worker": after["worker"], "officer": after["officer"], "bystander": 0})
	if ns := notes(t, w, raiserID); ns[len(ns)-1].text != "Een opbouwwerker reageerde op ‘De weggeefwinkel verliest zijn ruimte’: “Ik loop er morgen langs.”" {
		t.Errorf("worker's response notified as %q", ns[len(ns)-1].text)
	}

	// Unfollowing stops it; so does losing sight of a private signal.
	if res := follower.PostForm(p+"/volgen", url.Values{"actie": {"ontvolgen"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unfollow: %d", res.StatusCode)
	}
	before := noteCounts(t, w, who)
	if res := respond(t, officer, id, "", "in_behandeling"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status change: %d", res.StatusCode)
	}
	wantCounts(t, "after unfollowing", noteCounts(t, w, who), map[string]int{"raiser": before["raiser"] + 1, "follower": before["follower"]})
	if ns := notes(t, w, raiserID); ns[len(ns)-1].text != "De gemeente zette de status van ‘De weggeefwinkel verliest zijn ruimte’ op In behandeling." {
		t.Errorf("status change notified as %q", ns[len(ns)-1].text)
	}

	priv := raise(t, raiser, otherSignalForm(gmUtrecht, w.oogInAl))
	if res := colleague.PostForm(sigPath(priv)+"/volgen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("colleague follows a private signal of the area: %d", res.StatusCode)
	}
	if _, err := w.s.DB.Exec(context.Background(), `DELETE FROM account_work_areas WHERE account_id = $1`, colleagueID); err != nil {
		t.Fatal(err)
	}
	before = noteCounts(t, w, who)
	if res := respond(t, officer, priv, "Bekend bij ons.", ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond to the private signal: %d", res.StatusCode)
	}
	wantCounts(t, "private signal out of sight", noteCounts(t, w, who), map[string]int{"raiser": before["raiser"] + 1, "colleague": before["colleague"]})
}

// TestRaiserReplies: the raiser answers on the timeline (no status change);
// the workers of the area, the officers who responded before and the
// followers are told; others may not reply.
func TestRaiserReplies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raiser, raiserID := w.user(t, "melder@example.nl", nil, nil, 0)
	follower, followerID := w.user(t, "buur@example.nl", nil, nil, 0)
	worker, workerID := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	_, elsewhereID := w.user(t, "elders@example.nl", []role.Role{role.Worker}, []int64{w.lombok}, 0)
	officer, officerID := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	_, quietOfficerID := w.user(t, "collega-ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	outsider, _ := w.user(t, "leiden@example.nl", []role.Role{role.Officer}, nil, w.leiden)
	who := map[string]int64{"raiser": raiserID, "follower": followerID, "worker": workerID, "elsewhere": elsewhereID,
		"officer": officerID, "quiet officer": quietOfficerID}

	pub := signalForm("", gmUtrecht, w.oogInAl)
	pub.Set("public", "ja")
	id := raise(t, raiser, pub)
	p := sigPath(id)
	if res := follower.PostForm(p+"/volgen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow: %d", res.StatusCode)
	}
	if res := respond(t, officer, id, "Wat is er precies aan de hand?", ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond: %d", res.StatusCode)
	}
	// The raiser's page has the reply form; nobody else's has.
	if body := raiser.Get(p).Body; !strings.Contains(body, `action="`+p+`/antwoord#`) || !strings.Contains(body, "Antwoorden of aanvullen") {
		t.Fatal("the raiser is not offered the reply form")
	}
	for _, c := range []*testkit.Client{follower, worker, officer} {
		if strings.Contains(c.Get(p).Body, "/antwoord") {
			t.Error("someone other than the raiser is offered the reply form")
		}
	}

	before := noteCounts(t, w, who)
	const text = "De winkel moet er op 1 juni uit; de vrijwilligers zoeken nog."
	token := formToken(t, raiser, p)
	form := url.Values{"token": {token}, "reply": {text}}
	a, b := raiser.PostForm(p+"/antwoord", form), raiser.PostForm(p+"/antwoord", form)
	if a.StatusCode != http.StatusSeeOther || a.Location() != p+"#reacties" || b.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d %q, again %d", a.StatusCode, a.Location(), b.StatusCode)
	}
	var n int
	var role, status string
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*), max(r.author_role), max(s.status) FROM signal_responses r JOIN signals s ON s.id = r.signal_id
		WHERE r.signal_id = $1 AND r.author_id = $2`, id, raiserID).Scan(&n, &role, &status); err != nil {
		t.Fatal(err)
	}
	if n != 1 || role != "raiser" || status != "gesignaleerd" {
		t.Errorf("%d replies stored as %q, status %q; want 1 reply by the raiser, status unchanged", n, role, status)
	}
	wantCounts(t, "replied", noteCounts(t, w, who), map[string]int{
		"worker": before["worker"] + 1, "officer": before["officer"] + 1, "follower": before["follower"] + 1,
		"raiser": before["raiser"], "quiet officer": 0, "elsewhere": 0})
	if ns := notes(t, w, workerID); ns[len(ns)-1].text != "De melder reageerde op ‘De weggeefwinkel verliest zijn ruimte’: “"+text+"”" || ns[len(ns)-1].link != p {
		t.Errorf("reply notified as %+v", ns[len(ns)-1])
	}

	// In the timeline as the raiser's reply: "Jij" for the raiser, "De melder" for others.
	if body := raiser.Get(p).Body; !strings.Contains(body, `<li data-author="raiser">`) || !strings.Contains(body, "Jij (melder) · ") || !strings.Contains(body, text) {
		t.Error("the raiser's page lacks the reply")
	}
	if body := worker.Get(p).Body; !strings.Contains(body, "De melder · ") || !strings.Contains(body, text) || strings.Contains(body, "melder@example.nl") {
		t.Error("the worker's page lacks the reply or shows the raiser's address")
	}

	// Refused input: a Dutch message next to the field, the text kept, nothing stored.
	tests := []struct{ name, body, want string }{
		{"empty", "   ", "Schrijf je antwoord."},
		{"NUL byte", "Nog\x00steeds", "tekens die we niet kunnen opslaan"},
		{"invalid UTF-8", "Nog \xff steeds", "tekens die we niet kunnen opslaan"},
		{"too long", strings.Repeat("lang ", 801), "hoogstens 4000 tekens"},
		{"script kept escaped", strings.Repeat("<script>x</script>", 300), "hoogstens 4000 tekens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := reply(t, raiser, id, tt.body)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			if !strings.Contains(res.Body, `id="veld-reply-fout"`) || !strings.Contains(res.Body, `aria-invalid="true"`) {
				t.Error("the message is not next to the field")
			}
			if tt.name == "too long" && !strings.Contains(res.Body, strings.Repeat("lang ", 100)) {
				t.Error("the text typed is lost")
			}
			if strings.Contains(res.Body, "<script>x</script>") {
				t.Error("reply echoed unescaped")
			}
		})
	}
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signal_responses WHERE author_id = $1`, raiserID).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d replies after refused input (%v), want 1", n, err)
	}

	// Others may not reply: 403 for those who see it, 404 for those who do not.
	private := raise(t, raiser, otherSignalForm(gmUtrecht, w.oogInAl))
	valid := url.Values{"token": {"0b8a3c1e-1111-4222-8333-444455556666"}, "reply": {"Ik ook"}}
	for _, c := range []struct {
		who  string
		c    *testkit.Client
		path string
		want int
	}{
		{"follower", follower, p, 403},
		{"worker of the area", worker, p, 403},
		{"resident on a private signal", follower, sigPath(private), 404},
		{"officer elsewhere on a private signal", outsider, sigPath(private), 404},
		{"anyone on a missing signal", follower, sigPath(999999), 404},
	} {
		if res := c.c.PostForm(c.path+"/antwoord", valid); res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.who, res.StatusCode, c.want)
		}
	}
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signal_responses WHERE body = 'Ik ook'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d replies by others stored (%v)", n, err)
	}
	// A form without our token is not ours.
	if res := raiser.PostForm(p+"/antwoord", url.Values{"reply": {"Zonder token"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("no token: %d", res.StatusCode)
	}
}

// TestRecogniseAndFollow: "Dit herken ik" counts once per person, can be
// withdrawn, shows on the page and in the lists; the raiser neither
// recognises nor follows (they follow anyway); outside the scope: 404.
func TestRecogniseAndFollow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raiser, raiserID := w.user(t, "melder@example.nl", nil, nil, 0)
	anna, annaID := w.user(t, "anna@example.nl", nil, nil, 0)
	bram, _ := w.user(t, "bram@example.nl", nil, nil, 0)
	worker, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	outsideWorker, _ := w.user(t, "elders@example.nl", []role.Role{role.Worker}, []int64{w.leidenCentrum}, 0)
	anon := w.s.Client(t)

	pub := signalForm("", gmUtrecht, w.oogInAl)
	pub.Set("public", "ja")
	pub.Set("title", "Losliggende stoeptegels bij de school")
	id := raise(t, raiser, pub)
	p := sigPath(id)
	count := func() int {
		t.Helper()
		var n int
		if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signal_recognitions WHERE signal_id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if body := anna.Get(p).Body; !strings.Contains(body, "Herkend nog door niemand.") || !strings.Contains(body, `value="herkennen"`) ||
		!strings.Contains(body, ">Dit herken ik</button>") || !strings.Contains(body, ">Volgen</button>") {
		t.Fatal("a resident's page lacks the count or the buttons")
	}

	// Twice from the same person (a double click, or the form again): one.
	for i := 0; i < 2; i++ {
		res := anna.PostForm(p+"/herkennen", url.Values{"actie": {"herkennen"}})
		if res.StatusCode != http.StatusSeeOther || res.Location() != p+"#meedoen" {
			t.Fatalf("recognise: %d %q", res.StatusCode, res.Location())
		}
	}
	if n := count(); n != 1 {
		t.Fatalf("%d recognitions after a double click, want 1", n)
	}
	if res := bram.PostForm(p+"/herkennen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recognise without a named action: %d", res.StatusCode)
	}
	if res := worker.PostForm(p+"/herkennen", url.Values{"actie": {"herkennen"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("worker recognises: %d", res.StatusCode)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d recognitions, want 3", n)
	}
	body := anna.Get(p).Body
	for _, want := range []string{"Herkend door 3 mensen.", "Je herkent dit signaal.", `value="intrekken"`, "Ik herken dit niet meer"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after recognising lacks %q", want)
		}
	}
	// The lists: the raiser's /signalen, the worker's, the neighbourhood page.
	for _, c := range []*testkit.Client{raiser, worker} {
		if !strings.Contains(c.Get("/signalen").Body, `data-testid="recognitions">3</td>`) {
			t.Error("/signalen lacks the count")
		}
	}
	if !strings.Contains(anon.Get("/buurten/"+w.oogInAlCode).Body, "herkend door 3 mensen") {
		t.Error("the neighbourhood section lacks the count")
	}
	// Anonymous visitors see the count and are asked to log in.
	if body := anon.Get(p).Body; !strings.Contains(body, "Herkend door 3 mensen.") || !strings.Contains(body, `href="/inloggen?volgende=%2Fsignalen%2F`) ||
		strings.Contains(body, ">Dit herken ik</button>") {
		t.Error("anonymous page: count, login link or no buttons")
	}
	if res := anon.PostForm(p+"/herkennen", nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous recognise: %d %q", res.StatusCode, res.Location())
	}

	// Withdrawn, twice: one fewer.
	for i := 0; i < 2; i++ {
		if res := anna.PostForm(p+"/herkennen", url.Values{"actie": {"intrekken"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", res.StatusCode)
		}
	}
	if n := count(); n != 2 || !strings.Contains(anna.Get(p).Body, "Herkend door 2 mensen.") {
		t.Errorf("%d recognitions after withdrawing, want 2", n)
	}

	// The raiser: 422 with the reason, nothing stored; their page has no buttons.
	if body := raiser.Get(p).Body; strings.Contains(body, ">Dit herken ik</button>") || strings.Contains(body, ">Volgen</button>") {
		t.Error("the raiser is offered to recognise or follow their own signal")
	}
	for _, tc := range []struct{ path, want string }{
		{"/herkennen", "Je hebt dit signaal zelf gemeld. Herkennen is voor anderen."},
		{"/volgen", "Je hebt dit signaal zelf gemeld: je krijgt al een melding bij elke reactie."},
	} {
		res := raiser.PostForm(p+tc.path, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
			t.Errorf("raiser %s: %d", tc.path, res.StatusCode)
		}
	}
	var own int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM signal_recognitions WHERE account_id = $1)
		+ (SELECT count(*) FROM signal_followers WHERE account_id = $1)`, raiserID).Scan(&own); err != nil || own != 0 {
		t.Errorf("raiser's own rows: %d (%v)", own, err)
	}

	// Follow twice, unfollow twice: idempotent both ways.
	follows := func() int {
		t.Helper()
		var n int
		if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signal_followers WHERE account_id = $1`, annaID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := 0; i < 2; i++ {
		anna.PostForm(p+"/volgen", url.Values{"actie": {"volgen"}})
	}
	if n := follows(); n != 1 || !strings.Contains(anna.Get(p).Body, ">Niet meer volgen</button>") {
		t.Errorf("%d follows after a double click, want 1 and an unfollow button", n)
	}
	for i := 0; i < 2; i++ {
		anna.PostForm(p+"/volgen", url.Values{"actie": {"ontvolgen"}})
	}
	if n := follows(); n != 0 {
		t.Errorf("%d follows after unfollowing", n)
	}

	// A tampered action is not our form.
	for _, bad := range []string{"allebei", "herkennen\x00", "\xff"} {
		if res := anna.PostForm(p+"/herkennen", url.Values{"actie": {bad}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("action %q: %d, want 400", bad, res.StatusCode)
		}
	}

	// Outside the scope: a private signal does not exist for them.
	private := raise(t, raiser, otherSignalForm(gmUtrecht, w.oogInAl))
	pp := sigPath(private)
	for _, tc := range []struct {
		who  string
		c    *testkit.Client
		path string
		want int
	}{
		{"resident, private, recognise", anna, pp + "/herkennen", 404},
		{"resident, private, follow", anna, pp + "/volgen", 404},
		{"worker elsewhere, private, recognise", outsideWorker, pp + "/herkennen", 404},
		{"worker elsewhere, private, follow", outsideWorker, pp + "/volgen", 404},
		{"missing signal", anna, "/signalen/999999/herkennen", 404},
		{"worker of the area, private, follow", worker, pp + "/volgen", 303},
		{"worker of the area, private, recognise", worker, pp + "/herkennen", 303},
	} {
		res := tc.c.PostForm(tc.path, nil)
		if res.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d", tc.who, res.StatusCode, tc.want)
		}
		if res.StatusCode == 404 && strings.Contains(res.Body, "De weggeefwinkel") {
			t.Errorf("%s: the 404 page shows the signal", tc.who)
		}
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM signal_recognitions WHERE signal_id = $1)
		+ (SELECT count(*) FROM signal_followers WHERE signal_id = $1)`, private).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d rows on the private signal (%v), want the area worker's 2", n, err)
	}
}

// TestRecogniseStoreScope: the store applies the read rule itself, whatever
// the handler did.
func TestRecogniseStoreScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raiser, raiserID := w.user(t, "melder@example.nl", nil, nil, 0)
	_, otherID := w.user(t, "buur@example.nl", nil, nil, 0)
	id := raise(t, raiser, signalForm("", gmUtrecht, w.oogInAl))
	st := signal.NewStore(w.s.DB)
	ctx := context.Background()
	outside := signal.Scope{AccountID: otherID, WorkAreas: []int64{w.lombok}}
	for name, err := range map[string]error{
		"recognise": st.Recognise(ctx, id, outside, true),
		"follow":    st.Follow(ctx, id, outside, true),
		"reply":     st.Reply(ctx, id, outside, signal.ReplyInput{Body: "x", Token: "0b8a3c1e-1111-4222-8333-444455556666"}),
	} {
		if !errors.Is(err, signal.ErrForbidden) {
			t.Errorf("%s outside the scope: %v, want ErrForbidden", name, err)
		}
	}
	if err := st.Recognise(ctx, id, signal.Scope{AccountID: raiserID}, true); !errors.Is(err, signal.ErrOwnSignal) {
		t.Errorf("raiser recognises: %v", err)
	}
	if err := st.Recognise(ctx, 999999, outside, true); !errors.Is(err, signal.ErrNotFound) {
		t.Errorf("missing signal: %v", err)
	}
	if n := len(notes(t, w, otherID)); n != 0 {
		t.Errorf("outsider has %d notifications", n)
	}
}
