package fund_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func fundForm() url.Values {
	return url.Values{"naam": {"Groen in Oost"}, "beschrijving": {"Voor groen."}, "periode": {"2027"}, "opent": {"2027-01-01"},
		"sluit": {"2027-12-31"}, "budget": {"€ 10.000"}, "max": {"1.000"}, "thema": {"openbare-ruimte"}, "meedoeners": {"2"},
		"eigen_pct": {"10"}, "samen": {"ja"}, "besluitvorm": {"advice"}, "advies_dagen": {"14"}, "verantwoording_dagen": {"60"},
		"gebied": {"WK034403"}, "gemeente": {"GM0344"}}
}

// Officers manage their municipality's funds, funder staff their
// organisation's, never another funder's; bad input is refused in Dutch
// with the input kept.
func TestManageFunds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	officer, staff := w.clients["officer"], w.clients["staff"]
	for _, tt := range []struct {
		field, value, want string
	}{
		{"budget", "-5", "Vul een bedrag in euro"},
		{"budget", "0", "meer dan € 0"},
		{"max", "20.000", "meer dan het hele budget"},
		{"sluit", "2026-01-01", "vóór de openingsdatum"},
		{"eigen_pct", "120", "0 tot en met 100"},
		{"besluitvorm", "loting", "Kies wie beslist"},
		{"gebied", "Oost", "CBS-codes"},
		{"gebied", "BU03630000", "geen wijk of buurt van deze gemeente"},
		{"naam", "", "Vul dit veld in"},
	} {
		form := fundForm()
		form.Set(tt.field, tt.value)
		res := officer.PostForm("/fondsen/nieuw", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorsIn(res.Body), tt.want) || !strings.Contains(res.Body, `value="Voor groen."`) && !strings.Contains(res.Body, ">Voor groen.<") {
			t.Errorf("%s=%q: %d %q", tt.field, tt.value, res.StatusCode, errorsIn(res.Body))
		}
	}
	if res := officer.PostForm("/fondsen/nieuw", fundForm()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("officer creates: %d %q", res.StatusCode, errorsIn(res.Body))
	}
	got := scalar[[]string](t, w.s, `SELECT ARRAY[d.budget_cents::text, d.max_per_request_cents::text, d.decision_mode, m.code,
		(SELECT string_agg(theme, ',') FROM fund_themes WHERE fund_id = d.id), (SELECT count(*)::text FROM fund_areas WHERE fund_id = d.id)]
		FROM funds d JOIN municipalities m ON m.id = d.funder_municipality_id WHERE d.name = 'Groen in Oost'`)
	if strings.Join(got, "|") != "1000000|100000|advice|GM0344|openbare-ruimte|1" {
		t.Errorf("officer's fund stored as %v", got)
	}
	form := fundForm()
	form.Set("naam", "Woonstad Groen")
	if res := staff.PostForm("/fondsen/nieuw", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff creates: %d %q", res.StatusCode, errorsIn(res.Body))
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM funds d JOIN organisations o ON o.id = d.funder_organisation_id
		WHERE d.name = 'Woonstad Groen' AND o.name = 'Woonstad'`); n != 1 {
		t.Error("staff's fund is not their organisation's")
	}
	// Editing: only one's own funds.
	for who, funds := range map[string]map[int64]int{
		"officer":           {w.muni: http.StatusOK, w.corp: http.StatusForbidden, w.amsterdam: http.StatusForbidden},
		"officer-elsewhere": {w.muni: http.StatusForbidden, w.amsterdam: http.StatusOK},
		"staff":             {w.corp: http.StatusOK, w.muni: http.StatusForbidden, w.sport: http.StatusForbidden},
		"staff-other":       {w.sport: http.StatusOK, w.corp: http.StatusForbidden},
		"resident":          {w.muni: http.StatusForbidden},
		"admin":             {w.muni: http.StatusForbidden},
	} {
		for id, want := range funds {
			if res := w.clients[who].Get("/fondsen/" + itoa(id) + "/bewerken"); res.StatusCode != want {
				t.Errorf("%s edits fund %d: %d, want %d", who, id, res.StatusCode, want)
			}
			res := w.clients[who].PostForm("/fondsen/"+itoa(id)+"/bewerken", url.Values{"naam": {"Overgenomen"}})
			if want == http.StatusOK {
				want = http.StatusUnprocessableEntity
			}
			if res.StatusCode != want {
				t.Errorf("%s saves fund %d: %d, want %d", who, id, res.StatusCode, want)
			}
		}
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM funds WHERE name = 'Overgenomen'`); n != 0 {
		t.Error("a fund was renamed by someone")
	}
	// The budget never drops below what was granted.
	exec(t, w.s, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, granted_cents, purpose, budget, status, decided_at, reason)
		VALUES ($1, $2, 50000, 50000, 'x', 'x', 'toegekend', now(), 'x')`, w.initiative, w.corp)
	form = fundForm()
	form.Set("budget", "400")
	form.Set("max", "")
	if res := staff.PostForm("/fondsen/"+itoa(w.corp)+"/bewerken", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorsIn(res.Body), "al meer toegekend") {
		t.Errorf("budget below granted: %d %q", res.StatusCode, errorsIn(res.Body))
	}
	if res := staff.Get("/fondsen/beheer"); !strings.Contains(res.Body, "Leefbaarheidsbudget Oost") || strings.Contains(res.Body, "Buurtbudget Utrecht") {
		t.Error("staff's list of managed funds is wrong")
	}
}

// Administrators register funders and their staff; staff can decide at once.
func TestFunderRegistration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.clients["admin"]
	org := scalar[int64](t, w.s, `INSERT INTO organisations (name, kind) VALUES ('Oranje Fonds Test', 'fonds') RETURNING id`)
	if page := admin.Get("/beheer/financiers"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Oranje Fonds Test") {
		t.Fatalf("funders page: %d", page.StatusCode)
	}
	if res := admin.PostForm("/beheer/financiers", url.Values{"organisatie": {itoa(org)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", res.StatusCode)
	}
	if res := admin.PostForm("/beheer/financiers/"+itoa(org)+"/medewerkers", url.Values{"email": {"resident@example.org"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add staff: %d", res.StatusCode)
	}
	if res := w.clients["resident"].Get("/aanvragen"); res.StatusCode != http.StatusOK {
		t.Errorf("new staff member's queue: %d", res.StatusCode)
	}
	resident := scalar[int64](t, w.s, `SELECT id FROM accounts WHERE email = 'resident@example.org'`)
	if res := admin.PostForm("/beheer/financiers/"+itoa(org)+"/medewerkers/verwijderen", url.Values{"account": {itoa(resident)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove staff: %d", res.StatusCode)
	}
	if res := w.clients["resident"].Get("/aanvragen"); res.StatusCode != http.StatusForbidden {
		t.Errorf("removed staff member's queue: %d", res.StatusCode)
	}
	if n := scalar[int](t, w.s, `SELECT count(*)::int FROM audit_log WHERE action LIKE 'funder.%'`); n != 3 {
		t.Errorf("%d funder actions audited", n)
	}
	for _, who := range []string{"resident", "officer", "staff"} {
		if res := w.clients[who].Get("/beheer/financiers"); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s on the funders page: %d", who, res.StatusCode)
		}
	}
}
