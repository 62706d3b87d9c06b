package overview_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestHelpCounts: help requests between neighbours asked in the period and
// answered, per neighbourhood, published by the small-number rule (0,
// "< 5", multiples of 5), totals from the true numbers; offers, hidden
// requests and other periods do not count.
func TestHelpCounts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	exec := execer(t, f.s)
	ask := func(code, kind string, at any, answered, hidden bool) {
		t.Helper()
		exec(`INSERT INTO help_requests (kind, category, body, neighbourhood_id, author_id, starts_on, ends_on, idempotency_key,
		        created_at, answered_at, hidden_at, hidden_reason)
		      SELECT $2, 'klusje', 'Wie helpt?', n.id, (SELECT min(id) FROM accounts), current_date, current_date + 7, gen_random_uuid(),
		        $3, CASE WHEN $4 THEN $3::timestamptz END, CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN 'Test' ELSE '' END
		      FROM neighbourhoods n WHERE n.code = $1`, code, kind, at, answered, hidden)
	}
	for k := range 7 {
		ask(nbA, "vraag", f.at(k), k < 2, false)
	}
	for k := range 3 {
		ask(nbB, "vraag", f.at(k), false, false)
	}
	ask(nbB, "aanbod", f.at(0), true, false) // an offer
	ask(nbB, "vraag", f.at(0), true, true)   // hidden by a moderator
	ask(nbA, "vraag", f.at(14), true, false) // another year

	c := f.s.Login(t, f.officer)
	res := c.Get("/overzicht?" + f.q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("overview: %d", res.StatusCode)
	}
	for _, tc := range []struct{ code, asked, answered string }{
		{nbA, "5", "< 5"},         // 7 and 2
		{nbB, "< 5", "0"},         // 3 and 0
		{nbC, "0", "0"},           // none
		{"WK034401", "10", "< 5"}, // 10 and 2, from the true numbers
		{"GM0344", "10", "< 5"},
	} {
		got := cells(t, res.Body, tc.code)
		if got["hulpvragen"] != tc.asked || got["hulpbeantwoord"] != tc.answered {
			t.Errorf("%s: asked %q answered %q, want %q and %q", tc.code, got["hulpvragen"], got["hulpbeantwoord"], tc.asked, tc.answered)
		}
	}

	recs := parseCSV(t, c.Get("/overzicht/export.csv?"+f.q))
	header := recs[0]
	col := func(rec []string, name string) string { return rec[slices.Index(header, name)] }
	for _, rec := range recs[1:] {
		if col(rec, "Code") == nbA && (col(rec, "Hulpvragen van buren") != "5" || col(rec, "Hulpvragen beantwoord") != "" ||
			!strings.Contains(col(rec, "Verborgen (< 5)"), "Hulpvragen beantwoord")) {
			t.Errorf("Oog in Al in the CSV: %v", rec)
		}
	}

	res = c.Get(fmt.Sprintf("/api/v1/municipalities/GM0344/overview?from=%d-01-01&to=%d-12-31", lastYear(), lastYear()))
	var out struct {
		Neighbourhoods []struct {
			Code       string
			Asked      *int64   `json:"help_requests_asked"`
			Answered   *int64   `json:"help_requests_answered"`
			Suppressed []string `json:"suppressed"`
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatal(err)
	}
	for _, n := range out.Neighbourhoods {
		if n.Code == nbA && (n.Asked == nil || *n.Asked != 5 || n.Answered != nil || !slices.Contains(n.Suppressed, "help_requests_answered")) {
			t.Errorf("Oog in Al in JSON: %+v", n)
		}
	}
}
