package help_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

const askText = "Wie kan donderdag boodschappen voor me doen?"

// TestVisibility: a request is seen in its neighbourhood and the
// neighbouring one of the same district, with the first name only; not in
// another district, not by anonymous visitors or municipality officers.
func TestVisibility(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.ask(t, w.anna, "vraag", "boodschappen", askText, w.oost)

	for _, c := range []struct {
		name string
		get  func(string) (int, string)
		see  bool
	}{
		{"author", func(p string) (int, string) { r := w.anna.Get(p); return r.StatusCode, r.Body }, true},
		{"same neighbourhood", func(p string) (int, string) { r := w.dirk.Get(p); return r.StatusCode, r.Body }, true},
		{"neighbouring neighbourhood", func(p string) (int, string) { r := w.bert.Get(p); return r.StatusCode, r.Body }, true},
		{"worker of the area", func(p string) (int, string) { r := w.wim.Get(p); return r.StatusCode, r.Body }, true},
		{"other district", func(p string) (int, string) { r := w.carla.Get(p); return r.StatusCode, r.Body }, false},
		{"officer", func(p string) (int, string) { r := w.gemma.Get(p); return r.StatusCode, r.Body }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := c.get(path(id))
			if c.see {
				if status != http.StatusOK {
					t.Fatalf("status %d, want 200", status)
				}
				contains(t, "detail", body, askText, true)
				contains(t, "detail", body, "Anna", true)
				if c.name != "author" { // the header names the author to herself
					contains(t, "detail", body, "de Vries", false)
				}
			} else if status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", status)
			}
		})
	}

	// The lists: Bert sees it near his home, Carla does not; Anna has it under "Van jou".
	res := w.bert.Get("/burenhulp")
	wantStatus(t, "bert list", res, http.StatusOK)
	contains(t, "bert list", res.Body, askText, true)
	contains(t, "bert list", res.Body, "de Vries", false)
	contains(t, "carla list", w.carla.Get("/burenhulp").Body, askText, false)
	contains(t, "anna list", w.anna.Get("/burenhulp").Body, `data-testid="mine"`, true)
	contains(t, "worker areas", w.wim.Get("/burenhulp/werkgebied").Body, askText, true)
	contains(t, "anna's account page", w.anna.Get("/account").Body, `data-testid="account-help"`, true)
	contains(t, "officer's account page", w.gemma.Get("/account").Body, `data-testid="account-help"`, false)

	// Anonymous visitors log in first; the neighbourhood page only invites them.
	anon := w.s.Client(t)
	res = anon.Get(path(id))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous: %d %s, want the login page", res.StatusCode, res.Location())
	}
	page := anon.Get("/buurten/" + codeOost)
	wantStatus(t, "anonymous neighbourhood page", page, http.StatusOK)
	contains(t, "anonymous section", page.Body, `data-testid="help-section"`, true)
	contains(t, "anonymous section", page.Body, askText, false)
	contains(t, "bert's section", w.bert.Get("/buurten/"+codeWest).Body, askText, true)
	contains(t, "carla's section", w.carla.Get("/buurten/"+codeOost).Body, askText, false)
	contains(t, "officer's page", w.gemma.Get("/buurten/"+codeOost).Body, `data-testid="help-section"`, false)

	// Reporting: only who may see it.
	wantStatus(t, "bert report form", w.bert.Get(path(id)+"/melden"), http.StatusOK)
	wantStatus(t, "carla report form", w.carla.Get(path(id)+"/melden"), http.StatusNotFound)
	wantStatus(t, "carla report", w.carla.PostForm(path(id)+"/melden", url.Values{"reden": {"x"}}), http.StatusNotFound)
	wantStatus(t, "bert report", w.bert.PostForm(path(id)+"/melden", url.Values{"reden": {"Reclame"}}), http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM reports WHERE help_request_id = $1`, id); n != 1 {
		t.Fatalf("reports: %d, want 1", n)
	}
	// Hidden by an administrator: gone for the neighbours, shown to the author with the reason.
	res = w.admin.PostForm("/beheer/moderatie/verbergen", url.Values{"soort": {"burenhulp"}, "id": {itoa(id)}, "reden": {"Geen burenhulp."}})
	wantStatus(t, "hide", res, http.StatusSeeOther)
	wantStatus(t, "bert after hiding", w.bert.Get(path(id)), http.StatusNotFound)
	contains(t, "anna after hiding", w.anna.Get(path(id)).Body, "Geen burenhulp.", true)
	contains(t, "bert list after hiding", w.bert.Get("/burenhulp").Body, askText, false)
	res = w.admin.PostForm("/beheer/moderatie/tonen", url.Values{"soort": {"burenhulp"}, "id": {itoa(id)}})
	wantStatus(t, "show again", res, http.StatusSeeOther)
	wantStatus(t, "bert after showing", w.bert.Get(path(id)), http.StatusOK)

	// A suspension with hiding hides it too, and lifting it shows it again.
	res = w.admin.PostForm("/beheer/accounts/"+itoa(w.annaID)+"/schorsen", url.Values{"reden": {"Spam."}, "verbergen": {"ja"}})
	wantStatus(t, "suspend", res, http.StatusSeeOther)
	wantStatus(t, "bert during the suspension", w.bert.Get(path(id)), http.StatusNotFound)
	wantStatus(t, "lift", w.admin.PostForm("/beheer/accounts/"+itoa(w.annaID)+"/schorsing-opheffen", nil), http.StatusSeeOther)
	wantStatus(t, "bert after the suspension", w.bert.Get(path(id)), http.StatusOK)
}

// TestRespondHelped: Bert answers, which starts a conversation with Anna
// and notifies her (Offers); Anna marks it helped and it leaves the lists.
func TestRespondHelped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.ask(t, w.anna, "vraag", "klusje", "Wie helpt een lamp ophangen?", w.oost)
	k := key(t, w.bert, path(id))

	res := w.bert.PostForm(path(id)+"/reageren", url.Values{"sleutel": {k}, "bericht": {"  "}})
	wantStatus(t, "empty answer", res, http.StatusUnprocessableEntity)
	contains(t, "empty answer", res.Body, `data-testid="error-summary"`, true)

	msg := "Ik kom zaterdag met een trapje."
	res = w.bert.PostForm(path(id)+"/reageren", url.Values{"sleutel": {k}, "bericht": {msg}})
	wantStatus(t, "answer", res, http.StatusSeeOther)
	conv := res.Location()
	if !strings.HasPrefix(conv, "/berichten/") {
		t.Fatalf("answer goes to %s, want the conversation", conv)
	}
	// The same form again: one answer, one message.
	again := w.bert.PostForm(path(id)+"/reageren", url.Values{"sleutel": {k}, "bericht": {msg}})
	wantStatus(t, "answer again", again, http.StatusSeeOther)
	if again.Location() != conv {
		t.Errorf("second answer to %s, want %s", again.Location(), conv)
	}
	if n := w.count(t, `SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.help_request_id = $1`, id); n != 1 {
		t.Errorf("messages: %d, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND category = 'aanbod' AND body LIKE 'Bert wil je helpen%'`, w.annaID); n != 1 {
		t.Errorf("offer notifications to Anna: %d, want 1", n)
	}
	thread := w.anna.Get(conv)
	wantStatus(t, "anna's conversation", thread, http.StatusOK)
	contains(t, "anna's conversation", thread.Body, msg, true)
	contains(t, "anna's conversation", thread.Body, `href="`+path(id)+`"`, true)
	wantStatus(t, "carla's view of it", w.carla.Get(conv), http.StatusNotFound)
	// The messages' own start form knows the conversation only to those who answered.
	wantStatus(t, "carla's start form", w.carla.Get("/berichten/nieuw?over=burenhulp&id="+itoa(id)), http.StatusNotFound)
	wantStatus(t, "bert's start form", w.bert.Get("/berichten/nieuw?over=burenhulp&id="+itoa(id)), http.StatusOK)
	contains(t, "bert's page", w.bert.Get(path(id)).Body, `data-testid="conversation-link"`, true)
	contains(t, "anna's page", w.anna.Get(path(id)).Body, "1 buur heeft gereageerd", true)
	contains(t, "worker areas", w.wim.Get("/burenhulp/werkgebied").Body, "1 buur heeft gereageerd", true)

	// Only the author closes it.
	wantStatus(t, "bert closes", w.bert.PostForm(path(id)+"/geholpen", nil), http.StatusNotFound)
	wantStatus(t, "helped", w.anna.PostForm(path(id)+"/geholpen", nil), http.StatusSeeOther)
	var status string
	w.query(t, &status, `SELECT status FROM help_requests WHERE id = $1`, id)
	if status != "geholpen" {
		t.Fatalf("status %q, want geholpen", status)
	}
	contains(t, "bert list after", w.bert.Get("/burenhulp").Body, "lamp ophangen", false)
	contains(t, "worker list after", w.wim.Get("/burenhulp/werkgebied").Body, "lamp ophangen", false)
	// Closed: a new answer is refused, and closing again says so.
	k = key(t, w.carla, "/burenhulp/nieuw") // any fresh key
	res = w.bert.PostForm(path(id)+"/reageren", url.Values{"sleutel": {k}, "bericht": {"Nog nodig?"}})
	wantStatus(t, "answer when closed", res, http.StatusSeeOther)
	if res.Location() != path(id) {
		t.Errorf("answer when closed goes to %s", res.Location())
	}
	wantStatus(t, "withdraw when helped", w.anna.PostForm(path(id)+"/intrekken", nil), http.StatusSeeOther)
	w.query(t, &status, `SELECT status FROM help_requests WHERE id = $1`, id)
	if status != "geholpen" {
		t.Fatalf("status after withdrawing a helped request %q", status)
	}
}

// TestOfferWithdrawExpire: an offer is answered with "Ik wil dit graag";
// a withdrawn or expired one leaves the lists and takes no answers.
func TestOfferWithdrawExpire(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	offer := w.ask(t, w.bert, "aanbod", "computer", "Ik help met je telefoon instellen.", w.west)
	page := w.anna.Get(path(offer))
	contains(t, "offer page", page.Body, "Ik wil dit graag", true)
	wantStatus(t, "withdraw", w.bert.PostForm(path(offer)+"/intrekken", nil), http.StatusSeeOther)
	contains(t, "anna list", w.anna.Get("/burenhulp").Body, "telefoon instellen", false)
	contains(t, "withdrawn page", w.anna.Get(path(offer)).Body, "Ingetrokken", true)

	ask := w.ask(t, w.anna, "vraag", "vervoer", "Wie rijdt me naar het ziekenhuis?", w.oost)
	w.exec(t, `UPDATE help_requests SET starts_on = current_date - 10, ends_on = current_date - 2 WHERE id = $1`, ask)
	contains(t, "expired list", w.bert.Get("/burenhulp").Body, "ziekenhuis", false)
	contains(t, "expired page", w.bert.Get(path(ask)).Body, "Verlopen", true)
	k := key(t, w.carla, "/burenhulp/nieuw")
	res := w.bert.PostForm(path(ask)+"/reageren", url.Values{"sleutel": {k}, "bericht": {"Ik kan!"}})
	wantStatus(t, "answer expired", res, http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM help_responses WHERE help_request_id = $1`, ask); n != 0 {
		t.Errorf("answers to an expired request: %d", n)
	}
	wantStatus(t, "helped when expired", w.anna.PostForm(path(ask)+"/geholpen", nil), http.StatusSeeOther)
	var status string
	w.query(t, &status, `SELECT status FROM help_requests WHERE id = $1`, ask)
	if status != "open" {
		t.Errorf("expired request closed to %q", status)
	}
}

// TestBadInput: every refusal is a 422 with the input kept and a message at the field.
func TestBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	good := func() url.Values {
		return url.Values{"soort": {"vraag"}, "categorie": {"taal"}, "tekst": {"Wie oefent Nederlands met me?"},
			"buurt": {itoa(w.oost)}, "van": {day(0)}, "tot": {day(7)}}
	}
	for _, c := range []struct {
		name, field, value, msg string
	}{
		{"no text", "tekst", " ", "Schrijf kort wat je vraagt"},
		{"phone number in text", "tekst", "Bel me: 06-12345678", "geen telefoonnummer"},
		{"text too long", "tekst", strings.Repeat("a", 501), "hoogstens 500"},
		{"unknown category", "categorie", "tuin", "Kies een van de soorten"},
		{"no kind", "soort", "", "Kies of je hulp vraagt"},
		{"other district", "buurt", "", "Kies de buurt"},
		{"neighbourhood elsewhere", "buurt", "OOG", "Kies je eigen buurt of een buurt ernaast"},
		{"from in the past", "van", day(-1), "in het verleden"},
		{"until before from", "tot", "BEFORE", "vóór de eerste dag"},
		{"until too far", "tot", day(93), "binnen drie maanden"},
		{"not a date", "van", "morgen", "Vul een datum in"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := good()
			switch c.value {
			case "OOG":
				v.Set(c.field, itoa(w.oog))
			case "BEFORE":
				v.Set("van", day(5))
				v.Set("tot", day(3))
			default:
				v.Set(c.field, c.value)
			}
			v.Set("sleutel", key(t, w.anna, "/burenhulp/nieuw"))
			res := w.anna.PostForm("/burenhulp/nieuw", v)
			wantStatus(t, c.name, res, http.StatusUnprocessableEntity)
			if !strings.Contains(strings.ToLower(res.Body), strings.ToLower(c.msg)) {
				t.Errorf("no message %q", c.msg)
			}
			if c.field != "tekst" {
				contains(t, "kept text", res.Body, "Wie oefent Nederlands met me?", true)
			}
		})
	}
	if n := w.count(t, `SELECT count(*) FROM help_requests`); n != 0 {
		t.Fatalf("%d requests stored from bad input", n)
	}
	// The same form twice makes one request.
	v := good()
	v.Set("sleutel", key(t, w.anna, "/burenhulp/nieuw"))
	first := w.anna.PostForm("/burenhulp/nieuw", v)
	second := w.anna.PostForm("/burenhulp/nieuw", v)
	if first.Location() != second.Location() || w.count(t, `SELECT count(*) FROM help_requests`) != 1 {
		t.Errorf("double submit: %s and %s", first.Location(), second.Location())
	}
	// Someone without a home neighbourhood is asked to set it first.
	w.exec(t, `UPDATE accounts SET home_neighbourhood_id = NULL WHERE id = $1`, w.annaID)
	contains(t, "no home", w.anna.Get("/burenhulp/nieuw").Body, `data-testid="no-home"`, true)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
