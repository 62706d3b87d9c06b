package privacy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestExportFundingAdviceAndAccounts: a person's advice on applications and
// the accounts they wrote are in their download; a neighbour's are not.
func TestExportFundingAdviceAndAccounts(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	geo := testkit.NewGeo(t, s.DB)
	nb := geo.Neighbourhood("BU03440301", "Oudwijk")
	mun := geo.Municipality("GM0344", "Utrecht")
	eva := s.CreateUser(t, "eva@example.nl")
	finn := s.CreateUser(t, "finn@example.nl")
	var initiative, fund, app int64
	steps := []struct {
		sql  string
		args []any
		dst  *int64
	}{
		{`INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
			VALUES ('Buurtfeest', 'Samen eten', $1, 'informal', 'actief', 'platform', 'public', $2) RETURNING id`, []any{mun, eva.ID}, &initiative},
		{`INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, opens_on, budget_cents, decision_mode)
			VALUES ('Bewonersfonds Oost', $1, $1, '2026-01-01', 100000, 'advice') RETURNING id`, []any{mun}, &fund},
		{`INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by, status, granted_cents, decided_at, reason)
			VALUES ($1, $2, 5000, 'Tafels', 'Tafels € 50', $3, 'toegekend', 5000, now(), 'Mooi') RETURNING id`, []any{0, 0, eva.ID}, &app},
	}
	for i, st := range steps {
		if i == 2 {
			st.args[0], st.args[1] = initiative, fund
		}
		if err := s.DB.QueryRow(ctx, st.sql, st.args...).Scan(st.dst); err != nil {
			t.Fatalf("%s: %v", st.sql, err)
		}
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, []any{initiative, nb}},
		{`INSERT INTO funding_advice (request_id, account_id, support, comment) VALUES ($1, $2, true, 'Eva vindt het goed'), ($1, $3, false, 'Finn twijfelt')`, []any{app, eva.ID, finn.ID}},
		{`INSERT INTO funding_accounts (request_id, what_happened, who_took_part, what_brought, spent_on, submitted_by)
			VALUES ($1, 'Het feest was op het plein', 'Veertig buren', 'Nieuwe vriendschappen', 'Tafels € 50', $2)`, []any{app, eva.ID}},
	} {
		if _, err := s.DB.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	res := s.Login(t, "eva@example.nl").Get("/account/gegevens.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("download: %d", res.StatusCode)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][]string{
		"funding_advice":   {"Eva vindt het goed", "Bewonersfonds Oost", `"support": true`},
		"funding_accounts": {"Het feest was op het plein", "Veertig buren", "Tafels € 50"},
	} {
		got := string(doc[key])
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q: %s", key, w, got)
			}
		}
	}
	if strings.Contains(res.Body, "Finn twijfelt") {
		t.Error("the export holds a neighbour's advice")
	}
}
