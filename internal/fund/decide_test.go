package fund_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// Who may see and decide which application: officers their municipality's
// funds, funder staff their organisation's (never another funder's), nobody
// an application of an initiative they own or filed; the five roles and
// funder staff, on every route of the decision.
func TestDecisionScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	muni := w.apply(t, w.muni, applyForm(uuid.New()))
	corp := w.apply(t, w.corp, applyForm(uuid.New()))
	const ok, forb, login = http.StatusOK, http.StatusForbidden, http.StatusSeeOther
	for _, tt := range []struct {
		who              string
		queue, muni, cor int
	}{
		{"anonymous", login, login, login},
		{"resident", forb, forb, forb},
		{"worker", forb, forb, forb},
		{"admin", forb, forb, forb},
		{"owner", forb, forb, forb},
		{"officer", ok, ok, forb},
		{"officer-elsewhere", forb, forb, forb}, // has a municipality, but no application there
		{"staff", ok, forb, ok},
		{"staff-other", ok, forb, forb},
	} {
		if tt.who == "officer-elsewhere" {
			tt.queue = ok // an officer with a municipality has a (here empty) queue
		}
		if res := w.clients[tt.who].Get("/aanvragen"); res.StatusCode != tt.queue {
			t.Errorf("%s: queue %d, want %d", tt.who, res.StatusCode, tt.queue)
		}
		for id, want := range map[int64]int{muni: tt.muni, corp: tt.cor} {
			if res := w.clients[tt.who].Get("/aanvragen/" + itoa(id)); res.StatusCode != want {
				t.Errorf("%s: application %d: %d, want %d", tt.who, id, res.StatusCode, want)
			}
			form := url.Values{"besluit": {"volledig"}, "motivering": {"Goed"}, "stap": {"bevestigen"}}
			res := w.clients[tt.who].PostForm("/aanvragen/"+itoa(id), form)
			if want == ok {
				want = login // decided: 303 to the queue
			}
			if res.StatusCode != want {
				t.Errorf("%s: decide %d: %d, want %d", tt.who, id, res.StatusCode, want)
			}
			exec(t, w.s, `UPDATE funding_requests SET status = 'ingediend', granted_cents = NULL, decided_at = NULL, decided_by = NULL, reason = ''`)
		}
	}
	// The queue of funder staff lists their fund only.
	body := w.clients["staff"].Get("/aanvragen").Body
	if !strings.Contains(body, "Leefbaarheidsbudget Oost") || strings.Contains(body, "Buurtbudget Utrecht") {
		t.Error("staff queue shows another funder's applications")
	}
}

// The conflict of interest stays: an officer who owns the initiative sees
// the application without the form, and a decision is refused and stored
// nowhere, also when they became owner after opening the page.
func TestDeciderNeverDecidesOwn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.apply(t, w.muni, applyForm(uuid.New()))
	exec(t, w.s, `INSERT INTO initiative_owners (initiative_id, account_id) SELECT $1, id FROM accounts WHERE email = 'officer@example.org'`, w.initiative)
	page := w.clients["officer"].Get("/aanvragen/" + itoa(id))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="conflict-of-interest"`) || strings.Contains(page.Body, `name="besluit"`) {
		t.Errorf("own application: %d, without the notice or with the form", page.StatusCode)
	}
	if !strings.Contains(w.clients["officer"].Get("/aanvragen").Body, `data-testid="conflicted"`) {
		t.Error("queue offers an own application as work")
	}
	for _, step := range []string{"", "bevestigen"} {
		res := w.clients["officer"].PostForm("/aanvragen/"+itoa(id), url.Values{"besluit": {"volledig"}, "motivering": {"Goed"}, "stap": {step}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("decide own (%q): %d", step, res.StatusCode)
		}
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM funding_requests WHERE status <> 'ingediend'`); n != 0 {
		t.Error("a conflicted decision was stored")
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM audit_log WHERE action = 'funding.decide'`); n != 0 {
		t.Error("a conflicted decision was audited")
	}
}

// The decision: a form, a confirmation page with the amount and what the
// fund has left, then stored, audited and told to the owners; motivations
// stay with the owners and the funder, the public sees grants only.
func TestDecisionFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	officer := w.clients["officer"]
	granted := w.apply(t, w.muni, applyForm(uuid.New()))
	refused := w.apply(t, w.corp, applyForm(uuid.New()))
	page := officer.Get("/aanvragen/" + itoa(granted))
	for _, want := range []string{`data-testid="neighbourhoods">Oudwijk`, `data-testid="members">3 `, "Met vijf buren op het veldje achter de school.",
		"Zaden en aarde: € 500,00", `data-testid="remaining">€ 1.000,00`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("request page lacks %q", want)
		}
	}
	path := "/aanvragen/" + itoa(granted)
	// Partial: less than asked, with conditions.
	for _, tt := range []struct {
		form        url.Values
		field, want string
	}{
		{url.Values{"motivering": {"x"}}, "besluit", "Kies een besluit"},
		{url.Values{"besluit": {"deels"}, "bedrag": {"550"}, "voorwaarden": {"x"}, "motivering": {"x"}}, "bedrag", "minder dan wat gevraagd"},
		{url.Values{"besluit": {"deels"}, "bedrag": {"-1"}, "voorwaarden": {"x"}, "motivering": {"x"}}, "bedrag", "bedrag in euro"},
		{url.Values{"besluit": {"deels"}, "bedrag": {"300"}, "motivering": {"x"}}, "voorwaarden", "voorwaarden"},
		{url.Values{"besluit": {"afwijzen"}}, "motivering", "Vul dit veld in"},
	} {
		res := officer.PostForm(path, tt.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="veld-`+tt.field+`-fout"`) || !strings.Contains(errorsIn(res.Body), tt.want) {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, errorsIn(res.Body))
		}
	}
	partial := url.Values{"besluit": {"deels"}, "bedrag": {"€ 300"}, "voorwaarden": {"Eerst een offerte sturen"}, "motivering": {"Past bij het groenbeleid"}}
	confirm := officer.PostForm(path, partial)
	if confirm.StatusCode != http.StatusOK || !strings.Contains(confirm.Body, `data-testid="confirm-amount">€ 300,00`) ||
		!strings.Contains(confirm.Body, "nu € 1.000,00, daarna € 700,00") || !strings.Contains(confirm.Body, `value="bevestigen"`) {
		t.Fatalf("confirmation: %d", confirm.StatusCode)
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM funding_requests WHERE status <> 'ingediend'`); n != 0 {
		t.Fatal("stored before the confirmation")
	}
	back := url.Values{"stap": {"wijzigen"}}
	for k, v := range partial {
		back[k] = v
	}
	if res := officer.PostForm(path, back); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Eerst een offerte sturen") || !strings.Contains(res.Body, `name="besluit"`) {
		t.Errorf("back to the form: %d", res.StatusCode)
	}
	partial.Set("stap", "bevestigen")
	if res := officer.PostForm(path, partial); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d %q", res.StatusCode, errorsIn(res.Body))
	}
	if g := scalar[int64](t, w.s, `SELECT granted_cents FROM funding_requests WHERE id = $1 AND status = 'toegekend' AND conditions <> ''`, granted); g != 30000 {
		t.Errorf("granted %d", g)
	}
	if res := officer.PostForm(path, partial); res.StatusCode != http.StatusSeeOther || res.Location() != "/aanvragen" {
		t.Errorf("decide twice: %d", res.StatusCode)
	}
	// The housing corporation refuses its one.
	refuse := url.Values{"besluit": {"afwijzen"}, "motivering": {"Geheime motivering van de corporatie"}, "stap": {"bevestigen"}}
	if res := w.clients["staff"].PostForm("/aanvragen/"+itoa(refused), refuse); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d", res.StatusCode)
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM audit_log WHERE action = 'funding.decide'`); n != 2 {
		t.Errorf("%d decisions audited", n)
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM notifications n JOIN accounts a ON a.id = n.recipient_id
		WHERE a.email = 'owner@example.org' AND n.category = 'besluiten' AND n.body LIKE '%€ 300,00%'`); n != 1 {
		t.Errorf("owner told of the grant %d times", n)
	}
	// Owners see both decisions with why; everyone else the grant only.
	initiative := "/initiatieven/" + itoa(w.initiative)
	if body := w.clients["owner"].Get(initiative).Body; !strings.Contains(body, "Geheime motivering van de corporatie") || !strings.Contains(body, "Eerst een offerte sturen") {
		t.Error("owner does not see the motivations")
	}
	for _, who := range []string{"anonymous", "resident", "bram", "worker", "officer-elsewhere", "admin"} {
		body := w.clients[who].Get(initiative).Body
		if !strings.Contains(body, "€ 300,00") || !strings.Contains(body, "Buurtbudget Utrecht") {
			t.Errorf("%s does not see the grant", who)
		}
		for _, secret := range []string{"Geheime motivering", "Past bij het groenbeleid", "Eerst een offerte", "Leefbaarheidsbudget Oost", "Afgewezen"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s sees %q on the initiative page", who, secret)
			}
		}
	}
	// The public fund pages: rules and grants, never refusals or motivations.
	list := w.clients["anonymous"].Get("/fondsen")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, "Buurtbudget Utrecht") || !strings.Contains(list.Body, "toegekend: € 300,00") {
		t.Errorf("fund list: %d", list.StatusCode)
	}
	for id, want := range map[int64]string{w.muni: "Moestuin Oudwijk</a>: € 300,00", w.corp: "nog niets toegekend"} {
		res := w.clients["anonymous"].Get("/fondsen/" + itoa(id))
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, want) || strings.Contains(res.Body, "Geheime") || strings.Contains(res.Body, "groenbeleid") {
			t.Errorf("fund %d page: %d, lacks %q or shows a motivation", id, res.StatusCode, want)
		}
	}
	if res := w.clients["anonymous"].Get("/fondsen/987654"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown fund: %d", res.StatusCode)
	}
}
