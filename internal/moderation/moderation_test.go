package moderation_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/moderation"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestReportEveryKindInOneQueue: a resident reports a signal, an update, a
// talent and (on its own route) an initiative; a message report exists. The
// queue shows all five kinds to an administrator only.
func TestReportEveryKindInOneQueue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	bob := w.s.Login(t, "bob@example.nl")
	for _, path := range []string{"/signalen/" + id(w.signal), "/initiatieven/berichten/" + id(w.update), "/hulpbronnen/" + id(w.asset), "/burenhulp/" + id(w.help), "/fotos/" + id(w.photo)} {
		res := bob.Get(path + "/melden")
		wantStatus(t, "form "+path, res, http.StatusOK)
		res = bob.PostForm(path+"/melden", url.Values{"reden": {"  "}})
		wantStatus(t, "empty "+path, res, http.StatusUnprocessableEntity)
		contains(t, "empty "+path, res.Body, "Schrijf kort wat er mis is.", true)
		res = bob.PostForm(path+"/melden", url.Values{"reden": {"Dit is reclame."}})
		wantStatus(t, "report "+path, res, http.StatusSeeOther)
		// A second report replaces the first: one open report per person.
		wantStatus(t, "again "+path, bob.PostForm(path+"/melden", url.Values{"reden": {"Echt reclame."}}), http.StatusSeeOther)
	}
	if n := w.count(t, `SELECT count(*) FROM reports WHERE reporter_id = $1`, w.bob.ID); n != 5 {
		t.Errorf("%d reports, want 5 (one per item)", n)
	}
	if got := w.text(t, `SELECT reason FROM reports WHERE signal_id = $1`, w.signal); got != "Echt reclame." {
		t.Errorf("reason %q, want the second", got)
	}
	wantStatus(t, "initiative report", bob.PostForm("/initiatieven/"+id(w.ini)+"/melden", url.Values{"melding": {"Verkeerde buurt"}}), http.StatusSeeOther)
	if _, err := w.s.DB.Exec(context.Background(), `INSERT INTO message_reports (message_id, reporter_id, reason) VALUES ($1, $2, 'Spam')`, w.message, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	// An event of Anna's, reported on its own page (internal/event).
	var event int64
	if err := w.s.DB.QueryRow(context.Background(), `INSERT INTO events (title, theme, starts_at, ends_at, place_text, visibility, created_by)
		VALUES ('Gratis spullen', 'ontmoeting', now() + interval '1 day', now() + interval '26 hours', 'Plein', 'public', $1) RETURNING id`, w.anna.ID).Scan(&event); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "event report", bob.PostForm("/bijeenkomsten/"+id(event)+"/melden", url.Values{"reden": {"Reclame."}}), http.StatusSeeOther)
	// Own content is not the author's to report.
	anna := w.s.Login(t, "anna@example.nl")
	wantStatus(t, "own signal", anna.PostForm("/signalen/"+id(w.signal)+"/melden", url.Values{"reden": {"x"}}), http.StatusNotFound)

	admin := w.s.Login(t, "beheer@example.nl")
	res := admin.Get("/beheer/moderatie")
	wantStatus(t, "queue", res, http.StatusOK)
	for _, k := range moderation.Kinds {
		contains(t, "queue", res.Body, `data-testid="queue-item" data-kind="`+string(k)+`"`, true)
	}
	contains(t, "queue", res.Body, "Echt reclame.", true)
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = 'moderation.queue.view'`, w.admin.ID); n != 1 {
		t.Errorf("%d audit rows for the queue, want 1", n)
	}
	wantStatus(t, "admin home", admin.Get("/beheer"), http.StatusOK)
	contains(t, "admin home", admin.Get("/beheer").Body, `href="/beheer/moderatie"`, true)
	for _, c := range []string{"bob@example.nl", "wil@example.nl"} {
		wantStatus(t, "queue as "+c, w.s.Login(t, c).Get("/beheer/moderatie"), http.StatusForbidden)
	}
}

// TestHideShowDismiss: hiding shows the reason to the author (on the item
// and in a notification) and takes the item out of every listing for
// others; showing brings it back; dismissing leaves it.
func TestHideShowDismiss(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	bob := w.s.Login(t, "bob@example.nl")
	anna := w.s.Login(t, "anna@example.nl")
	worker := w.s.Login(t, "wil@example.nl")
	admin := w.s.Login(t, "beheer@example.nl")
	anon := w.s.Client(t)
	wantStatus(t, "report", bob.PostForm("/signalen/"+id(w.signal)+"/melden", url.Values{"reden": {"Klopt niet"}}), http.StatusSeeOther)

	res := admin.PostForm("/beheer/moderatie/verbergen", url.Values{"soort": {"signaal"}, "id": {id(w.signal)}, "reden": {""}})
	wantStatus(t, "hide without reason", res, http.StatusUnprocessableEntity)
	wantStatus(t, "hide form", admin.Get("/beheer/moderatie/verbergen?soort=signaal&id="+id(w.signal)), http.StatusOK)
	hide(t, admin, "signaal", w.signal, "Bevat een adres van iemand anders.")
	hide(t, admin, "initiatiefbericht", w.update, "Reclame voor een bedrijf.")
	hide(t, admin, "hulpbron", w.asset, "Geen talent maar een advertentie.")

	if n := w.count(t, `SELECT count(*) FROM reports`); n != 0 {
		t.Errorf("%d reports left after hiding, want 0", n)
	}
	signal := "/signalen/" + id(w.signal)
	// Others: gone from the signal page, the neighbourhood page, the worker's list.
	if res := anon.Get(signal); res.StatusCode == http.StatusOK {
		t.Errorf("anonymous sees the hidden signal")
	}
	if res := bob.Get(signal); res.StatusCode == http.StatusOK {
		t.Errorf("another resident sees the hidden signal")
	}
	contains(t, "neighbourhood page", anon.Get("/buurten/"+w.code).Body, "Lantaarn kapot", false)
	contains(t, "worker's list", worker.Get("/signalen").Body, "Lantaarn kapot", false)
	contains(t, "initiative page", bob.Get("/initiatieven/"+id(w.ini)).Body, "gratis koffie", false)
	contains(t, "talents", bob.Get("/buurten/"+w.code+"/wie-kan-helpen").Body, "fietsen repareren", false)
	// The author: the item with the reason, and a notification.
	res = anna.Get(signal)
	wantStatus(t, "author's signal", res, http.StatusOK)
	contains(t, "author's signal", res.Body, "Bevat een adres van iemand anders.", true)
	contains(t, "author's initiative page", anna.Get("/initiatieven/"+id(w.ini)).Body, "Reclame voor een bedrijf.", true)
	contains(t, "author's talents", anna.Get("/mijn/talenten").Body, "Geen talent maar een advertentie.", true)
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND body LIKE '%Bevat een adres van iemand anders.%'`, w.anna.ID); n != 1 {
		t.Errorf("%d notifications with the reason, want 1", n)
	}
	// The admin's queue lists them as hidden.
	res = admin.Get("/beheer/moderatie")
	for _, k := range []string{"signaal", "initiatiefbericht", "hulpbron"} {
		contains(t, "hidden list", res.Body, `data-testid="hidden-item" data-kind="`+k+`"`, true)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'moderation.hide' AND actor_id = $1`, w.admin.ID); n != 3 {
		t.Errorf("%d hide audit rows, want 3", n)
	}

	// Show again.
	wantStatus(t, "show", admin.PostForm("/beheer/moderatie/tonen", url.Values{"soort": {"signaal"}, "id": {id(w.signal)}}), http.StatusSeeOther)
	wantStatus(t, "shown signal", anon.Get(signal), http.StatusOK)
	contains(t, "neighbourhood page again", anon.Get("/buurten/"+w.code).Body, "Lantaarn kapot", true)
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'moderation.show'`); n != 1 {
		t.Errorf("%d show audit rows, want 1", n)
	}

	// Dismiss: the report goes, the signal stays.
	wantStatus(t, "report again", bob.PostForm(signal+"/melden", url.Values{"reden": {"Nog steeds"}}), http.StatusSeeOther)
	wantStatus(t, "dismiss", admin.PostForm("/beheer/moderatie/afwijzen", url.Values{"soort": {"signaal"}, "id": {id(w.signal)}}), http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM reports`); n != 0 {
		t.Errorf("%d reports after dismissing, want 0", n)
	}
	wantStatus(t, "dismissed signal", anon.Get(signal), http.StatusOK)
	contains(t, "empty queue", admin.Get("/beheer/moderatie").Body, `data-testid="queue-empty"`, true)
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'moderation.dismiss'`); n != 1 {
		t.Errorf("%d dismiss audit rows, want 1", n)
	}
}

// TestSuspension: suspending ends the person's session and tokens, blocks
// login with the reason, hides their public content on request; lifting
// restores exactly what the suspension hid.
func TestSuspension(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna := w.s.Login(t, "anna@example.nl")
	admin := w.s.Login(t, "beheer@example.nl")
	ctx := context.Background()
	if _, err := w.s.DB.Exec(ctx, `INSERT INTO api_tokens (account_id, name, token_hash) VALUES ($1, 'telefoon', sha256('schorsingtest'))`, w.anna.ID); err != nil {
		t.Fatal(err)
	}
	// Hidden before, for another reason: stays hidden after lifting.
	hide(t, admin, "hulpbron", w.asset, "Advertentie.")

	acc := "/beheer/accounts/" + id(w.anna.ID)
	contains(t, "account page", admin.Get(acc).Body, acc+"/schorsen", true)
	wantStatus(t, "form", admin.Get(acc+"/schorsen"), http.StatusOK)
	res := admin.PostForm(acc+"/schorsen", url.Values{"reden": {""}, "verbergen": {"ja"}})
	wantStatus(t, "no reason", res, http.StatusUnprocessableEntity)
	res = admin.PostForm(acc+"/schorsen", url.Values{"reden": {"Herhaald kwetsende berichten."}, "verbergen": {"ja"}})
	wantStatus(t, "suspend", res, http.StatusSeeOther)

	// Her session is gone: the next request is anonymous.
	res = anna.Get("/account")
	if res.StatusCode != http.StatusSeeOther || res.Location() == "" {
		t.Errorf("suspended person's next request: %d %q, want a redirect to login", res.StatusCode, res.Location())
	}
	if n := w.count(t, `SELECT count(*) FROM api_tokens WHERE account_id = $1 AND revoked_at IS NULL`, w.anna.ID); n != 0 {
		t.Errorf("%d live API tokens after suspension", n)
	}
	// Login refused, with the reason.
	res = w.s.Client(t).PostForm("/inloggen", url.Values{"email": {"anna@example.nl"}, "password": {"correct horse battery staple"}})
	if res.StatusCode == http.StatusSeeOther {
		t.Fatalf("login with a wrong password succeeded")
	}
	res = loginAttempt(t, w)
	wantStatus(t, "login while suspended", res, http.StatusForbidden)
	contains(t, "login while suspended", res.Body, "Herhaald kwetsende berichten.", true)
	// Content hidden, and the notification sent.
	for table, n := range map[string]int64{"signals": w.signal, "initiative_updates": w.update, "initiatives": w.ini} {
		if w.count(t, `SELECT count(*) FROM `+table+` WHERE id = $1 AND hidden_by_suspension AND hidden_reason = 'Herhaald kwetsende berichten.'`, n) != 1 {
			t.Errorf("%s %d not hidden by the suspension", table, n)
		}
	}
	if res := w.s.Login(t, "bob@example.nl").Get("/signalen/" + id(w.signal)); res.StatusCode == http.StatusOK {
		t.Errorf("others see the signal the suspension hid")
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND body LIKE '%Herhaald kwetsende berichten.%'`, w.anna.ID); n != 1 {
		t.Errorf("%d suspension notifications, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account.suspend' AND subject_id = $1`, w.anna.ID); n != 1 {
		t.Errorf("%d suspension audit rows, want 1", n)
	}

	// Lift: login works, what the suspension hid is back, the rest stays hidden.
	wantStatus(t, "lift", admin.PostForm(acc+"/schorsing-opheffen", nil), http.StatusSeeOther)
	wantStatus(t, "login after lifting", loginAttempt(t, w), http.StatusSeeOther)
	wantStatus(t, "signal after lifting", w.s.Client(t).Get("/signalen/"+id(w.signal)), http.StatusOK)
	if n := w.count(t, `SELECT count(*) FROM initiatives WHERE id = $1 AND hidden_at IS NULL`, w.ini); n != 1 {
		t.Errorf("initiative still hidden after lifting")
	}
	if got := w.text(t, `SELECT hidden_reason FROM assets WHERE id = $1 AND hidden`, w.asset); got != "Advertentie." {
		t.Errorf("asset hidden for another reason: reason %q after lifting", got)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account.unsuspend' AND subject_id = $1`, w.anna.ID); n != 1 {
		t.Errorf("%d lifting audit rows, want 1", n)
	}
}

func loginAttempt(t *testing.T, w world) testkit.Response {
	t.Helper()
	return w.s.Client(t).PostForm("/inloggen", url.Values{"email": {"anna@example.nl"}, "password": {testkit.Password}})
}

// TestSuspensionRefusals: not oneself, not the last active administrator
// (two administrators suspending each other at once: the second fails).
func TestSuspensionRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.s.Login(t, "beheer@example.nl")
	self := "/beheer/accounts/" + id(w.admin.ID) + "/schorsen"
	res := admin.PostForm(self, url.Values{"reden": {"Test"}})
	wantStatus(t, "self", res, http.StatusUnprocessableEntity)
	contains(t, "self", res.Body, "Je kunt je eigen account niet schorsen.", true)

	other := w.s.CreateUser(t, "beheer2@example.nl", "admin")
	store := moderation.NewStore(w.s.DB, account.NewSessionStore(w.s.DB, time.Minute))
	ctx := context.Background()
	if err := store.Suspend(ctx, other.ID, w.admin.ID, "Eerste", false); err != nil {
		t.Fatal(err)
	}
	// The suspended administrator's own request, still in flight, comes second.
	if err := store.Suspend(ctx, w.admin.ID, other.ID, "Tweede", false); !errors.Is(err, moderation.ErrLastAdmin) {
		t.Errorf("suspending the last administrator: %v, want ErrLastAdmin", err)
	}
	if n := w.count(t, `SELECT count(*) FROM accounts WHERE id = $1 AND suspended_at IS NULL`, w.admin.ID); n != 1 {
		t.Errorf("the last administrator was suspended")
	}
}
