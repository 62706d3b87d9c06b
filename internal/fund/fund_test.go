package fund_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/fund"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// The finder shows the owners the open funds that fit the initiative's
// neighbourhood, themes and amount, with the rules and whether they are met.
func TestFinder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	path := "/initiatieven/" + itoa(w.initiative) + "/potjes"
	res := w.clients["owner"].Get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("finder: %d", res.StatusCode)
	}
	for _, want := range []string{"Buurtbudget Utrecht", "Leefbaarheidsbudget Oost", "Minstens 1 meedoener", "je initiatief voldoet (2)",
		"Eigen bijdrage minstens 10% van de begroting", applyPath(w.initiative, w.muni), applyPath(w.initiative, w.corp)} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("finder lacks %q", want)
		}
	}
	for _, not := range []string{"Zomerfonds", "Sportfonds", "Buurtbudget Amsterdam"} {
		if strings.Contains(res.Body, not) {
			t.Errorf("finder shows %q, which does not fit", not)
		}
	}
	// A fund that has no money left drops out.
	exec(t, w.s, `UPDATE funds SET budget_cents = 100, max_per_request_cents = NULL WHERE id = $1`, w.corp)
	exec(t, w.s, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, granted_cents, purpose, budget, status, decided_at, reason)
		VALUES ($1, $2, 100, 100, 'x', 'x', 'toegekend', now(), 'x')`, w.initiative, w.corp)
	if strings.Contains(w.clients["owner"].Get(path).Body, "Leefbaarheidsbudget Oost") {
		t.Error("finder shows a fund without money")
	}
	for who, want := range map[string]int{"anonymous": http.StatusSeeOther, "bram": http.StatusForbidden, "officer": http.StatusForbidden,
		"staff": http.StatusForbidden, "admin": http.StatusForbidden} {
		if res := w.clients[who].Get(path); res.StatusCode != want {
			t.Errorf("%s: finder %d, want %d", who, res.StatusCode, want)
		}
	}
	// Closed or unfitting funds take no applications, also not by URL.
	for _, f := range []int64{w.closed, w.sport, w.amsterdam} {
		if res := w.clients["owner"].Get(applyPath(w.initiative, f)); res.StatusCode != http.StatusSeeOther {
			t.Errorf("form of fund %d: %d", f, res.StatusCode)
		}
		form := applyForm(uuid.New())
		if res := w.clients["owner"].PostForm(applyPath(w.initiative, f), form); res.StatusCode != http.StatusSeeOther {
			t.Errorf("apply to fund %d: %d", f, res.StatusCode)
		}
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM funding_requests WHERE fund_id IN ($1, $2, $3)`, w.closed, w.sport, w.amsterdam); n != 0 {
		t.Errorf("%d applications to funds that do not fit", n)
	}
}

// Bad input is refused in Dutch, with 422 and the input kept; a valid
// application is stored once, lines and all, and tells the deciders.
func TestApply(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	owner := w.clients["owner"]
	path := applyPath(w.initiative, w.muni)
	if res := owner.Get(path); res.StatusCode != http.StatusOK || strings.Count(res.Body, `name="regel_wat_`) != fund.FormLines {
		t.Fatalf("form: %d, want %d empty lines", res.StatusCode, fund.FormLines)
	}
	tests := []struct {
		name, field, want string
		change            func(url.Values)
	}{
		{"negative", "regel_bedrag_1", "Vul een bedrag in euro", func(f url.Values) { f.Set("regel_bedrag_1", "-5") }},
		{"zero", "regel_bedrag_1", "meer dan € 0", func(f url.Values) { f.Set("regel_bedrag_1", "0,00") }},
		{"words", "regel_bedrag_1", "Vul een bedrag in euro", func(f url.Values) { f.Set("regel_bedrag_1", "veel") }},
		{"line without what", "regel_wat_2", "waarvoor", func(f url.Values) { f.Set("regel_wat_2", "") }},
		{"no lines", "regel_wat_1", "minstens één regel", func(f url.Values) {
			f.Set("regel_wat_1", "")
			f.Set("regel_bedrag_1", "")
			f.Set("regel_wat_2", "")
			f.Set("regel_bedrag_2", "")
		}},
		{"own too low", "eigen", "minstens 10%", func(f url.Values) { f.Set("eigen", "10") }},
		{"own all", "eigen", "hele begroting", func(f url.Values) { f.Set("eigen", "650") }},
		{"over the max", "eigen", "hoogstens € 600,00", func(f url.Values) { f.Set("regel_bedrag_1", "1.250,50"); f.Set("eigen", "200") }},
		{"date outside", "datum", "tussen", func(f url.Values) { f.Set("datum", "2001-01-01") }},
		{"bad date", "datum", "2026-05-30", func(f url.Values) { f.Set("datum", "morgen") }},
		{"no purpose", "doel", "Vul dit veld in", func(f url.Values) { f.Set("doel", "") }},
	}
	for _, tt := range tests {
		form := applyForm(uuid.New())
		tt.change(form)
		res := owner.PostForm(path, form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="veld-`+tt.field+`-fout"`) ||
			!strings.Contains(errorsIn(res.Body), tt.want) {
			t.Errorf("%s: %d, errors %q", tt.name, res.StatusCode, errorsIn(res.Body))
		}
		if !strings.Contains(res.Body, `value="Een moestuin voor de buurt"`) && tt.field != "doel" {
			t.Errorf("%s: input not kept", tt.name)
		}
	}
	// Over the remaining budget: € 950 granted already, € 50 left.
	exec(t, w.s, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, granted_cents, purpose, budget, status, decided_at, reason)
		VALUES ($1, $2, 95000, 95000, 'x', 'x', 'toegekend', now(), 'x')`, w.initiative, w.muni)
	if res := owner.PostForm(path, applyForm(uuid.New())); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorsIn(res.Body), "hoogstens € 50,00") {
		t.Errorf("over the remaining budget: %d %q", res.StatusCode, errorsIn(res.Body))
	}
	exec(t, w.s, `DELETE FROM funding_requests`)
	if res := owner.PostForm(path, url.Values{"regel_wat_1": {"x"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("no key: %d", res.StatusCode)
	}
	// Valid, twice with the same key: one application.
	key := uuid.New()
	form := applyForm(key)
	form.Set("datum", "")
	id := w.apply(t, w.muni, form)
	w.apply(t, w.muni, form)
	got := scalar[[]string](t, w.s, `SELECT ARRAY[amount_cents::text, own_contribution_cents::text,
		(SELECT count(*) FROM funding_request_lines WHERE request_id = f.id)::text, budget] FROM funding_requests f WHERE id = $1`, id)
	if len(got) != 4 || got[0] != "55000" || got[1] != "10000" || got[2] != "2" || !strings.Contains(got[3], "Zaden en aarde: € 500,00") {
		t.Errorf("stored %v", got)
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM funding_requests`); n != 1 {
		t.Errorf("%d applications after a double submit", n)
	}
	// The officers of Utrecht hear of it; the corporation's staff does not.
	for who, want := range map[string]int{"officer": 1, "colleague": 1, "staff": 0, "officer-elsewhere": 0} {
		n := scalar[int](t, w.s, `SELECT count(*)::int FROM notifications n JOIN accounts a ON a.id = n.recipient_id
			WHERE a.email = $1 AND n.link = $2`, who+"@example.org", "/aanvragen/"+itoa(id))
		if n != want {
			t.Errorf("%s: %d notifications, want %d", who, n, want)
		}
	}
}

// Co-financing: a second application while one is pending only where
// both funds allow it.
func TestCofinancing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.apply(t, w.muni, applyForm(uuid.New()))
	w.apply(t, w.corp, applyForm(uuid.New())) // both allow it (the default)
	exec(t, w.s, `UPDATE funds SET cofinancing_allowed = false WHERE id = $1`, w.corp)
	exec(t, w.s, `DELETE FROM funding_requests WHERE fund_id = $1`, w.corp)
	res := w.clients["owner"].PostForm(applyPath(w.initiative, w.corp), applyForm(uuid.New()))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "samen financieren mag niet") {
		t.Errorf("co-financing refused: %d", res.StatusCode)
	}
}

// Two deciders granting at the same moment can never overspend a fund:
// the fund's row is locked, one grant succeeds, the other gets
// ErrOverspent (and on the page, a Dutch message).
func TestDecideNeverOverspends(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Two applications of € 600 - € 100 own = € 550 each in a fund of € 1.000.
	a := w.apply(t, w.muni, applyForm(uuid.New()))
	b := w.apply(t, w.muni, applyForm(uuid.New()))
	store := fund.NewStore(w.s.DB)
	officer := scalar[int64](t, w.s, `SELECT id FROM accounts WHERE email = 'officer@example.org'`)
	colleague := scalar[int64](t, w.s, `SELECT id FROM accounts WHERE email = 'colleague@example.org'`)
	utrecht := scalar[int64](t, w.s, `SELECT id FROM municipalities WHERE code = 'GM0344'`)
	for round := range 5 {
		exec(t, w.s, `UPDATE funding_requests SET status = 'ingediend', granted_cents = NULL, decided_at = NULL, decided_by = NULL, reason = ''`)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for k, c := range []struct{ id, by int64 }{{a, officer}, {b, colleague}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[k] = store.Decide(context.Background(), c.id, fund.Scope{Municipality: utrecht}, fund.Decision{Verdict: fund.GrantFull, Reason: "Goed plan"}, c.by)
			}()
		}
		close(start)
		wg.Wait()
		ok, over := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, fund.ErrOverspent):
				over++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if ok != 1 || over != 1 {
			t.Fatalf("round %d: %d grants, %d refused; want 1 and 1", round, ok, over)
		}
		if g := scalar[int64](t, w.s, `SELECT COALESCE(sum(granted_cents), 0)::bigint FROM funding_requests WHERE fund_id = $1`, w.muni); g != 55000 {
			t.Fatalf("round %d: %d granted", round, g)
		}
	}
	// Through the pages: the confirmation is refused with the message.
	exec(t, w.s, `UPDATE funding_requests SET status = 'ingediend', granted_cents = NULL, decided_at = NULL, decided_by = NULL, reason = '' WHERE id = $1`, b)
	exec(t, w.s, `UPDATE funding_requests SET status = 'toegekend', granted_cents = 55000, decided_at = now(), reason = 'x' WHERE id = $1`, a)
	grant := url.Values{"besluit": {"volledig"}, "motivering": {"Past bij het beleid"}, "stap": {"bevestigen"}}
	res := w.clients["colleague"].PostForm("/aanvragen/"+itoa(b), grant)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Er is nog maar € 450,00 over in dit potje") {
		t.Errorf("overspend on the page: %d", res.StatusCode)
	}
}
