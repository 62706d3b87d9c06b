package initiative_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
)

// TestAPIGrants: the open data shows what funds granted, by fund name;
// never a refusal, a pending request or a motivation.
func TestAPIGrants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, opens_on, budget_cents)
			SELECT 'Buurtbudget Oost', municipality_id, municipality_id, '2026-01-01', 1000000 FROM initiatives WHERE id = $1`,
		`INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, status, granted_cents, decided_at, reason)
			SELECT $1, (SELECT max(id) FROM funds), 100000, 'Tafels', 'Tafels', 'toegekend', 75050, '2026-03-01 23:30+00', 'Geheime motivering'`,
		`INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, status, decided_at, reason)
			SELECT $1, (SELECT max(id) FROM funds), 9900, 'Stoelen', 'Stoelen', 'afgewezen', now(), 'Reden van weigering'`,
		`INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget)
			SELECT $1, (SELECT max(id) FROM funds), 8800, 'Lampen', 'Lampen'`,
	} {
		if _, err := w.s.DB.Exec(ctx, q, w.id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	api := w.s.Client(t)
	show := api.Get("/api/v1/initiatives/" + itoa(w.id))
	var got initiative.APIInitiative
	if err := json.Unmarshal([]byte(show.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := initiative.APIGrant{Fund: "Buurtbudget Oost", GrantedCents: 75050, GrantedOn: "2026-03-02"}
	if len(got.Grants) != 1 || got.Grants[0] != want {
		t.Fatalf("grants = %+v, want [%+v]", got.Grants, want)
	}
	list := api.Get("/api/v1/initiatives")
	var page initiative.APIList
	if err := json.Unmarshal([]byte(list.Body), &page); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, i := range page.Data {
		if i.ID == w.id {
			found = len(i.Grants) == 1 && i.Grants[0] == want
		} else if i.Grants == nil {
			t.Errorf("initiative %d: grants is null, want []", i.ID)
		}
	}
	if !found {
		t.Errorf("the list does not show the grant: %s", list.Body)
	}
	for _, body := range []string{show.Body, list.Body} {
		for _, secret := range []string{"Geheime motivering", "Reden van weigering", "9900", "8800", "100000", "Stoelen", "Lampen", "Tafels"} {
			if strings.Contains(body, secret) {
				t.Errorf("open data contains %q", secret)
			}
		}
	}
}
