package message_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// Hans, who offered help, writes to the owners about his offer; both owners
// are notified (without the text), see it as unread, read it; Piet answers
// and Hans is notified. Nobody else, an administrator included, sees it.
func TestOfferConversation(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	hans := s.Login(t, "hans@example.nl")

	form := hans.Get(startPath("aanbod", w.offer))
	if form.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", form.StatusCode)
	}
	mustContain(t, "start form", form.Body, "anna en piet", "Aanbod van hulp bij: "+title, `name="bericht"`, "niet je e-mailadres")
	mustNotContain(t, "start form", form.Body, "piet@example.nl", "anna@example.nl")

	const first = "Zaterdag kan ik de bakken brengen."
	path := mustStart(t, hans, "aanbod", w.offer, first)
	conv := convID(t, path)
	page := hans.Get(path)
	mustContain(t, "thread after sending", page.Body, "Je bericht is verstuurd.", first, "anna en piet")

	// Both owners got a notification with a link and the sender, never the text.
	for _, owner := range []int64{w.piet.ID, w.anna.ID} {
		var body string
		if err := s.DB.QueryRow(t.Context(), `SELECT body FROM notifications WHERE recipient_id = $1 AND category = 'berichten' AND link = $2`,
			owner, path).Scan(&body); err != nil {
			t.Fatalf("notification of %d: %v", owner, err)
		}
		if body != "hans stuurde je een bericht over ‘"+title+"’." {
			t.Errorf("notification text %q", body)
		}
	}
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, w.hans.ID); n != 0 {
		t.Errorf("the sender got %d notifications", n)
	}

	piet := s.Login(t, "piet@example.nl")
	list := piet.Get("/berichten")
	if list.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", list.StatusCode)
	}
	mustContain(t, "Piet's list", list.Body, "Ongelezen", "Aanbod van hulp bij: "+title, "Met anna en hans", `href="`+path+`"`)
	if nav := piet.Get("/"); !strings.Contains(nav.Body, `href="/berichten"`) {
		t.Error("no Berichten in the navigation")
	}
	thread := piet.Get(path)
	if thread.StatusCode != http.StatusOK {
		t.Fatalf("thread: %d", thread.StatusCode)
	}
	mustContain(t, "Piet's thread", thread.Body, first, "<h3 class=\"utrecht-heading-3\">hans</h3>", "Meld dit bericht")
	if list := piet.Get("/berichten"); strings.Contains(list.Body, "Ongelezen") {
		t.Error("still unread after reading")
	}
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL`, w.piet.ID); n != 0 {
		t.Errorf("reading the thread left %d notifications unread", n)
	}

	// Piet answers; a second click on the same form adds nothing.
	page = piet.Get(path)
	k := key(t, page)
	const answer = "Fijn, tot zaterdag!"
	for range 2 {
		res := piet.PostForm(path, url.Values{"sleutel": {k}, "bericht": {answer}})
		if res.StatusCode != http.StatusSeeOther || res.Location() != path+"#antwoorden" {
			t.Fatalf("reply: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
		}
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages WHERE conversation_id = $1`, conv); n != 2 {
		t.Errorf("%d messages after a double submit, want 2", n)
	}
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND link = $2`, w.hans.ID, path); n != 1 {
		t.Errorf("Hans got %d notifications of the answer, want 1", n)
	}
	mustContain(t, "Hans's list", hans.Get("/berichten").Body, "Ongelezen")
	mustContain(t, "Hans's thread", hans.Get(path).Body, answer, "Jij")

	// Starting again about the offer (Anna, an owner, this time) adds to the same conversation.
	anna := s.Login(t, "anna@example.nl")
	form = anna.Get(startPath("aanbod", w.offer))
	mustContain(t, "Anna's start form", form.Body, "Aan</dt>", "hans", `data-testid="existing-conversation"`)
	if again := mustStart(t, anna, "aanbod", w.offer, "Ik kom ook."); again != path {
		t.Errorf("a second start made %s, want %s", again, path)
	}
	if n := scalar(t, s, `SELECT count(*) FROM conversations`); n != 1 {
		t.Errorf("%d conversations, want 1", n)
	}

	// Eva and the administrator take no part: 404, for reading and writing.
	for _, email := range []string{"eva@example.nl", "beheer@example.nl"} {
		c := s.Login(t, email)
		if res := c.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s reads the thread: %d", email, res.StatusCode)
		}
		if res := c.PostForm(path, url.Values{"sleutel": {k}, "bericht": {"Mag ik meedoen?"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s replies: %d", email, res.StatusCode)
		}
		if res := c.Get(startPath("aanbod", w.offer)); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the offer's start form: %d", email, res.StatusCode)
		}
		if res := c.PostForm(path+"/blokkeren", url.Values{"persoon": {strconv.FormatInt(w.hans.ID, 10)}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s blocks: %d", email, res.StatusCode)
		}
		if list := c.Get("/berichten"); strings.Contains(list.Body, path) {
			t.Errorf("%s lists the conversation", email)
		}
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages WHERE conversation_id = $1`, conv); n != 3 {
		t.Errorf("%d messages, want 3", n)
	}

	// Anonymous visitors go to the login page.
	anon := s.Client(t)
	for _, p := range []string{"/berichten", path, startPath("aanbod", w.offer)} {
		if res := anon.Get(p); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
			t.Errorf("anonymous %s: %d %s", p, res.StatusCode, res.Location())
		}
	}
}

// Eva writes to the person behind a talent and a place; she never writes to
// herself, about a hidden asset, or (as an officer) about a talent.
func TestAssetAndInitiativeConversations(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	eva := s.Login(t, "eva@example.nl")

	form := eva.Get(startPath("hulpbron", w.talent))
	mustContain(t, "talent form", form.Body, "<dd>tom</dd>", "Hulpbron: fietsen repareren")
	talentPath := mustStart(t, eva, "hulpbron", w.talent, "Kun je mijn fiets maken?")
	placePath := mustStart(t, eva, "hulpbron", w.place, "Is de zaal vrij op vrijdag?")
	if talentPath == placePath {
		t.Fatal("one conversation for two assets")
	}
	tom := s.Login(t, "tom@example.nl")
	mustContain(t, "Tom's list", tom.Get("/berichten").Body, "Hulpbron: fietsen repareren", "Hulpbron: Buurthuis De Boog", "Met eva")
	mustContain(t, "Tom's thread", tom.Get(talentPath).Body, "Kun je mijn fiets maken?", `href="/buurten/BU03440111/wie-kan-helpen#hulpbron-`)
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND category = 'berichten'`, w.tom.ID); n != 2 {
		t.Errorf("Tom has %d notifications, want 2", n)
	}

	// The asset map links to the form for others, not for the owner.
	list := eva.Get("/buurten/BU03440111/wie-kan-helpen")
	mustContain(t, "asset list for Eva", list.Body, esc(startPath("hulpbron", w.talent)), esc(startPath("hulpbron", w.place)), "Stuur een bericht")
	if own := tom.Get("/buurten/BU03440111/wie-kan-helpen"); strings.Contains(own.Body, "Stuur een bericht") {
		t.Error("the owner gets a message link on his own assets")
	}

	// Oneself: a clear message, no form; a POST sends nothing.
	res := tom.Get(startPath("hulpbron", w.talent))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Dit is je eigen hulpbron.") || strings.Contains(res.Body, `name="bericht"`) {
		t.Errorf("own asset: %d\n%s", res.StatusCode, res.Body)
	}
	piet := s.Login(t, "piet@example.nl")
	res = piet.Get(startPath("initiatief", w.initiative))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Je bent zelf eigenaar van dit initiatief") {
		t.Errorf("own initiative: %d\n%s", res.StatusCode, res.Body)
	}
	res = piet.PostForm("/berichten/nieuw", url.Values{"over": {"initiatief"}, "id": {strconv.FormatInt(w.initiative, 10)},
		"sleutel": {"6f1c2b9e-8a4d-4c3b-9e2f-0a1b2c3d4e5f"}, "bericht": {"Hallo mezelf"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Je bent zelf eigenaar") {
		t.Errorf("own initiative POST: %d", res.StatusCode)
	}

	// Eva writes to the owners of the initiative: both take part. The form
	// sent twice (a double click) makes one conversation with one message.
	form = eva.Get(startPath("initiatief", w.initiative))
	send := url.Values{"over": {"initiatief"}, "id": {strconv.FormatInt(w.initiative, 10)}, "sleutel": {key(t, form)}, "bericht": {"Mag ik meedoen?"}}
	initPath := eva.PostForm("/berichten/nieuw", send).Location()
	if again := eva.PostForm("/berichten/nieuw", send); again.StatusCode != http.StatusSeeOther || again.Location() != initPath || initPath == "" {
		t.Fatalf("double submit: %d %s, first %s", again.StatusCode, again.Location(), initPath)
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages WHERE conversation_id = $1`, convID(t, initPath)); n != 1 {
		t.Errorf("%d messages after a double submit, want 1", n)
	}
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE link = $1`, initPath); n != 2 {
		t.Errorf("%d notifications after a double submit, want 2 (one per owner)", n)
	}
	mustContain(t, "Eva's initiative thread", eva.Get(initPath).Body, "anna en piet", `href="/initiatieven/`+strconv.FormatInt(w.initiative, 10)+`"`)
	mustContain(t, "Anna's list", s.Login(t, "anna@example.nl").Get("/berichten").Body, "Initiatief: "+title, "Met eva en piet")

	// Hidden assets and initiatives, unknown subjects and bad ids: 404.
	exec(t, s, `UPDATE assets SET hidden = true, hidden_reason = 'Test' WHERE id = $1`, w.place)
	exec(t, s, `UPDATE initiatives SET hidden_at = now(), hidden_reason = 'Test' WHERE id = $1`, w.initiative)
	for _, p := range []string{startPath("hulpbron", w.place), startPath("initiatief", w.initiative), startPath("hulpbron", 987654),
		"/berichten/nieuw?over=signaal&id=1", "/berichten/nieuw?over=hulpbron&id=x", "/berichten/nieuw", "/berichten/987654",
		"/berichten/1/berichten/x/melden"} {
		if res := eva.Get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}

	// A municipality officer sees no residents' talents, so cannot write about one; a place is fine.
	exec(t, s, `UPDATE assets SET hidden = false, hidden_reason = '' WHERE id = $1`, w.place)
	gemma := s.Login(t, "gemma@example.nl")
	if res := gemma.Get(startPath("hulpbron", w.talent)); res.StatusCode != http.StatusNotFound {
		t.Errorf("officer on a talent: %d", res.StatusCode)
	}
	mustStart(t, gemma, "hulpbron", w.place, "Wij zoeken een zaal voor een bewonersavond.")
}

// Piet blocks Hans: Hans can no longer write to him (a clear 422, his text
// kept), not in this conversation and not in a new one; after unblocking he can.
func TestBlock(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	exec(t, s, `DELETE FROM initiative_owners WHERE account_id = $1`, w.anna.ID)
	hans := s.Login(t, "hans@example.nl")
	path := mustStart(t, hans, "aanbod", w.offer, "Hallo!")
	piet := s.Login(t, "piet@example.nl")

	res := piet.PostForm(path+"/blokkeren", nil) // the only other participant
	if res.StatusCode != http.StatusSeeOther || res.Location() != path+"#blokkeren" {
		t.Fatalf("block: %d %s", res.StatusCode, res.Location())
	}
	page := piet.Get(path)
	mustContain(t, "Piet's thread", page.Body, "hans is geblokkeerd. Je krijgt geen berichten meer van deze persoon.", "Niet meer blokkeren: hans")
	if n := scalar(t, s, `SELECT count(*) FROM account_blocks WHERE blocker_id = $1 AND blocked_id = $2`, w.piet.ID, w.hans.ID); n != 1 {
		t.Fatalf("%d blocks", n)
	}

	const text = "Waarom antwoord je niet?"
	res = reply(t, hans, path, text)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("blocked reply: %d", res.StatusCode)
	}
	mustContain(t, "blocked reply", res.Body, "de ontvanger wil geen berichten meer van je ontvangen", text, `aria-invalid="true"`)
	res = start(t, hans, "initiatief", w.initiative, text)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "wil geen berichten meer van je ontvangen") {
		t.Fatalf("blocked start: %d", res.StatusCode)
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages WHERE sender_id = $1`, w.hans.ID); n != 1 {
		t.Errorf("%d messages of Hans, want 1", n)
	}
	// The blocker can still write.
	if res := reply(t, piet, path, "Ik denk er nog over na."); res.StatusCode != http.StatusSeeOther {
		t.Errorf("blocker's reply: %d", res.StatusCode)
	}
	// Hans cannot block himself nor a stranger through this conversation.
	for _, who := range []int64{w.hans.ID, w.eva.ID} {
		if res := hans.PostForm(path+"/blokkeren", url.Values{"persoon": {strconv.FormatInt(who, 10)}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("block %d: %d", who, res.StatusCode)
		}
	}

	res = piet.PostForm(path+"/deblokkeren", url.Values{"persoon": {strconv.FormatInt(w.hans.ID, 10)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unblock: %d", res.StatusCode)
	}
	mustContain(t, "after unblocking", piet.Get(path).Body, "hans is niet meer geblokkeerd.", "Blokkeer hans")
	if res := reply(t, hans, path, text); res.StatusCode != http.StatusSeeOther {
		t.Errorf("reply after unblocking: %d", res.StatusCode)
	}
}

// Piet reports a message of Hans; the administrators see that message, its
// sender, reporter and reason, and nothing else of the conversation.
func TestReport(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	hans := s.Login(t, "hans@example.nl")
	const rude, polite = "Jullie zijn allemaal sukkels.", "Zaterdag kom ik helpen."
	path := mustStart(t, hans, "aanbod", w.offer, polite)
	if res := reply(t, hans, path, rude); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	rudeID := scalar(t, s, `SELECT id FROM messages WHERE body = $1`, rude)
	reportPath := path + "/berichten/" + strconv.FormatInt(rudeID, 10) + "/melden"

	piet := s.Login(t, "piet@example.nl")
	mustContain(t, "thread", piet.Get(path).Body, `href="`+reportPath+`"`)
	form := piet.Get(reportPath)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("report form: %d", form.StatusCode)
	}
	mustContain(t, "report form", form.Body, rude, `name="reden"`)
	// An empty reason: 422 next to the field.
	res := piet.PostForm(reportPath, url.Values{"reden": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Schrijf kort op wat er mis is met dit bericht.") {
		t.Fatalf("empty reason: %d", res.StatusCode)
	}
	const reason = "Scheldwoorden."
	res = piet.PostForm(reportPath, url.Values{"reden": {reason}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != path {
		t.Fatalf("report: %d %s", res.StatusCode, res.Location())
	}
	mustContain(t, "thread after reporting", piet.Get(path).Body, "Je hebt dit bericht gemeld.")
	// One's own message, or one in another conversation: 404.
	if res := hans.PostForm(reportPath, url.Values{"reden": {reason}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("report own message: %d", res.StatusCode)
	}
	eva := s.Login(t, "eva@example.nl")
	if res := eva.PostForm(reportPath, url.Values{"reden": {reason}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a stranger reports: %d", res.StatusCode)
	}
	if res := eva.Get(reportPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("a stranger opens the report form: %d", res.StatusCode)
	}

	admin := s.Login(t, "beheer@example.nl")
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND category = 'beheer' AND link = '/beheer/berichten'`, w.admin.ID); n != 1 {
		t.Errorf("administrator has %d notifications of the report", n)
	}
	mustContain(t, "admin home", admin.Get("/beheer").Body, `href="/beheer/berichten"`)
	page := admin.Get("/beheer/berichten")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("reports page: %d", page.StatusCode)
	}
	mustContain(t, "reports page", page.Body, rude, reason, "<td class=\"utrecht-table__cell\">hans</td>", "<td class=\"utrecht-table__cell\">piet</td>", title)
	mustNotContain(t, "reports page", page.Body, polite, offerText, "hans@example.nl", "piet@example.nl")
	if res := admin.Get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("administrator reads the thread: %d", res.StatusCode)
	}
	if n := scalar(t, s, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = 'message.reports.view'`, w.admin.ID); n != 1 {
		t.Errorf("%d audit entries of the look", n)
	}
	if res := piet.Get("/beheer/berichten"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a resident opens the reports: %d", res.StatusCode)
	}
}

// Bad input is refused with a Dutch message next to the field and the text
// kept; nothing is stored.
func TestBadInput(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	eva := s.Login(t, "eva@example.nl")
	path := mustStart(t, eva, "hulpbron", w.talent, "Hallo Tom")
	long := strings.Repeat("lang ", 801)
	for _, tc := range []struct {
		name, body, want, kept string
	}{
		{"empty", "   ", "Vul dit veld in.", ""},
		{"too long", long, "Gebruik hoogstens 4000 tekens", "lang lang lang"},
		{"NUL byte", "Hal\x00lo daar", "tekens die we niet kunnen opslaan", "Hallo daar"},
		{"invalid UTF-8", "Hallo \xff\xfe daar", "tekens die we niet kunnen opslaan", "Hallo \uFFFD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, send := range []func() testkit.Response{
				func() testkit.Response { return reply(t, eva, path, tc.body) },
				func() testkit.Response { return start(t, eva, "hulpbron", w.place, tc.body) },
			} {
				res := send()
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", res.StatusCode)
				}
				mustContain(t, tc.name, res.Body, tc.want, `data-testid="error-summary"`, `aria-invalid="true"`, tc.kept)
			}
		})
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages`); n != 1 {
		t.Errorf("%d messages stored, want 1", n)
	}
	// A form without its key, or with a made-up subject, is not a message.
	if res := eva.PostForm(path, url.Values{"bericht": {"Hallo"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("no key: %d", res.StatusCode)
	}
	if res := eva.PostForm("/berichten/nieuw", url.Values{"over": {"signaal"}, "id": {"1"}, "bericht": {"Hallo"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown subject: %d", res.StatusCode)
	}
}

// A sender gets PerHour messages an hour; the next is refused with 429, the
// text kept and a time to try again.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	eva := s.Login(t, "eva@example.nl")
	path := mustStart(t, eva, "hulpbron", w.talent, "Bericht 1")
	page := eva.Get(path)
	for i := 2; i <= 30; i++ {
		res := eva.PostForm(path, url.Values{"sleutel": {key(t, page)}, "bericht": {"Bericht " + strconv.Itoa(i)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("message %d: %d", i, res.StatusCode)
		}
		page = eva.Get(path)
	}
	res := eva.PostForm(path, url.Values{"sleutel": {key(t, page)}, "bericht": {"Bericht 31"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("message 31: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	mustContain(t, "limited reply", res.Body, "hoogstens 30 per uur", "Bericht 31", `data-testid="notice"`)
	res = start(t, eva, "hulpbron", w.place, "Nog een")
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("limited start: %d", res.StatusCode)
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages WHERE sender_id = $1`, w.eva.ID); n != 30 {
		t.Errorf("%d messages, want 30", n)
	}
	// Another sender is not limited by Eva's messages.
	if res := reply(t, s.Login(t, "tom@example.nl"), path, "Rustig aan!"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Tom's reply: %d", res.StatusCode)
	}
}

// An account younger than a day sends no links (spam); older ones may.
func TestLinkLimit(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	exec(t, s, `UPDATE accounts SET created_at = now() - interval '2 hours' WHERE id = $1`, w.eva.ID)
	eva := s.Login(t, "eva@example.nl")
	path := mustStart(t, eva, "hulpbron", w.talent, "Hallo, ik ben nieuw hier.")
	for _, body := range []string{"Kijk op https://voorbeeld.nl", "Zie http://x.nl", "Ga naar WWW.voorbeeld.nl"} {
		res := reply(t, eva, path, body)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%q: %d", body, res.StatusCode)
		}
		mustContain(t, body, res.Body, "Je account is nog geen dag oud", esc(body))
	}
	if res := start(t, eva, "hulpbron", w.place, "Zie https://voorbeeld.nl"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("new account, start with a link: %d", res.StatusCode)
	}
	exec(t, s, `UPDATE accounts SET created_at = now() - interval '25 hours' WHERE id = $1`, w.eva.ID)
	if res := reply(t, eva, path, "Kijk op https://voorbeeld.nl"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("older account with a link: %d", res.StatusCode)
	}
}

// Without a confirmed e-mail address there is an explanation instead of the
// form, and a POST stores nothing.
func TestUnconfirmedCannotSend(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	eva := s.Login(t, "eva@example.nl")
	path := mustStart(t, eva, "hulpbron", w.talent, "Hallo Tom")
	page := eva.Get(path)
	k := key(t, page)
	exec(t, s, `UPDATE accounts SET email_confirmed_at = NULL WHERE id = $1`, w.eva.ID)

	for _, p := range []string{startPath("hulpbron", w.place), path} {
		res := eva.Get(p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		mustContain(t, p, res.Body, `data-testid="unconfirmed"`, "e-mailadres nog niet bevestigd", `href="/account"`)
		mustNotContain(t, p, res.Body, `name="bericht"`)
	}
	res := eva.PostForm(path, url.Values{"sleutel": {k}, "bericht": {"Toch proberen"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "nog niet bevestigd") || !strings.Contains(res.Body, "Je bericht is niet verstuurd.") {
		t.Errorf("reply: %d", res.StatusCode)
	}
	res = eva.PostForm("/berichten/nieuw", url.Values{"over": {"hulpbron"}, "id": {strconv.FormatInt(w.place, 10)}, "sleutel": {k}, "bericht": {"Toch"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("start: %d", res.StatusCode)
	}
	if n := scalar(t, s, `SELECT count(*) FROM messages`); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// Deleting an account keeps the other's conversation (without the name);
// the export holds one's own messages; a conversation nobody takes part in
// any more goes.
func TestAccountDeletion(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	eva := s.Login(t, "eva@example.nl")
	const text = "Kun je mijn fiets maken?"
	path := mustStart(t, eva, "hulpbron", w.talent, text)
	tom := s.Login(t, "tom@example.nl")
	if res := reply(t, tom, path, "Ja hoor."); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	piet := s.Login(t, "piet@example.nl")
	pietPath := mustStart(t, piet, "hulpbron", w.place, "Is de zaal vrij?")
	block := tom.PostForm(pietPath+"/blokkeren", nil)
	if block.StatusCode != http.StatusSeeOther {
		t.Fatal(block.StatusCode)
	}
	if res := tom.PostForm(path+"/berichten/"+strconv.FormatInt(scalar(t, s, `SELECT min(id) FROM messages`), 10)+"/melden",
		url.Values{"reden": {"Test"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}

	export := eva.Get("/account/gegevens.json")
	mustContain(t, "Eva's export", export.Body, `"messages_sent"`, text, `"message_reports"`)
	mustNotContain(t, "Eva's export", export.Body, "Ja hoor.", "tom@example.nl")

	res := eva.PostForm("/account/verwijderen", url.Values{"password": {testkit.Password}, "confirm": {"ja"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
	}
	page := tom.Get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("Tom's thread after Eva left: %d", page.StatusCode)
	}
	mustContain(t, "Tom's thread", page.Body, text, "(verwijderd account)", `data-testid="nobody-left"`)
	if n := scalar(t, s, `SELECT count(*) FROM messages WHERE sender_id IS NULL`); n != 1 {
		t.Errorf("%d messages without sender, want 1", n)
	}

	res = tom.PostForm("/account/verwijderen", url.Values{"password": {testkit.Password}, "confirm": {"ja"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete Tom: %d", res.StatusCode)
	}
	// Eva's conversation had nobody left; Piet's stays, his block of Tom is gone.
	if n := scalar(t, s, `SELECT count(*) FROM conversations`); n != 1 {
		t.Errorf("%d conversations, want 1 (Piet's)", n)
	}
	if n := scalar(t, s, `SELECT count(*) FROM account_blocks`) + scalar(t, s, `SELECT count(*) FROM message_reports`); n != 0 {
		t.Errorf("%d blocks and reports left", n)
	}
	mustContain(t, "Piet's list", piet.Get("/berichten").Body, "Met niemand meer")
}
