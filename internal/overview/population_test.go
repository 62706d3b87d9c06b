package overview_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/overview"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// Totals add up the known inhabitants and say when some neighbourhoods are
// unknown; the map shows contacts per 1,000 inhabitants as soon as one is
// known, with the unknown ones grey, never 0.
func TestOverviewPopulation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	exec := execer(t, f.s)
	exec(`UPDATE neighbourhoods SET boundary = $2::jsonb WHERE code = $1`, nbC, square(5.10, 52.08))
	c := f.s.Login(t, f.officer)
	body := c.Get("/overzicht?" + f.q).Body
	for code, want := range map[string]string{nbA: "1.000", nbB: "2.000", nbC: "onbekend",
		"WK034401": "3.000", "WK034402": "onbekend", "GM0344": "3.000 (van 2 van 3 buurten)"} {
		if got := cells(t, body, code)["inwoners"]; got != want {
			t.Errorf("%s: inwoners %q, want %q", code, got, want)
		}
	}

	// The map: contacts per 1,000 inhabitants; Zuilen has none, so grey.
	for _, want := range []string{
		"Straatcontacten per 1.000 inwoners",
		fmt.Sprintf(`aria-label="Oog in Al: %s"`, strings.Replace(strconv.FormatFloat(float64(expectFor(nbA).contacts), 'f', 1, 64), ".", ",", 1)),
		fmt.Sprintf(`aria-label="Lombok: %s"`, strings.Replace(strconv.FormatFloat(float64(expectFor(nbB).contacts)/2, 'f', 1, 64), ".", ",", 1)),
		`aria-label="Zuilen: inwonertal onbekend"`, `fill="` + overview.UnknownColour + `" fill-rule="evenodd" data-code="` + nbC + `"`,
		`data-testid="population-source"`, "StatLine 85984NED",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %s", want)
		}
	}
	_, legend, _ := strings.Cut(body, `data-testid="map-legend"`)
	legend, _, _ = strings.Cut(legend, "</ul>")
	if !strings.Contains(legend, "inwonertal onbekend") {
		t.Error("legend does not explain the grey neighbourhoods")
	}

	// CSV and JSON carry the sum and what it covers.
	recs := parseCSV(t, c.Get("/overzicht/export.csv?"+f.q))
	header := recs[0]
	col := func(rec []string, name string) string { return rec[slices.Index(header, name)] }
	total := recs[len(recs)-1]
	if col(total, "Code") != "GM0344" || col(total, "Inwoners") != "3000" || col(total, "Buurten met bekend inwonertal") != "2" || col(total, "Buurten") != "3" {
		t.Errorf("CSV total %v", total)
	}
	var api struct {
		Total struct {
			Population *int64 `json:"population"`
			Known      int64  `json:"population_known_neighbourhoods"`
			N          int64  `json:"neighbourhoods"`
		} `json:"total"`
	}
	res := c.Get(fmt.Sprintf("/api/v1/municipalities/GM0344/overview?from=%d-01-01&to=%d-12-31", lastYear(), lastYear()))
	if err := json.Unmarshal([]byte(res.Body), &api); err != nil || api.Total.Population == nil || *api.Total.Population != 3000 ||
		api.Total.Known != 2 || api.Total.N != 3 {
		t.Errorf("API total: %d %+v %v", res.StatusCode, api.Total, err)
	}

	// Without any known population the map counts per neighbourhood (another
	// period, as the table is cached).
	exec(`UPDATE neighbourhoods SET population = NULL`)
	body = c.Get(fmt.Sprintf("/overzicht?jaar=%d&deel=k1", lastYear())).Body
	if strings.Contains(body, "Straatcontacten per 1.000 inwoners") || strings.Contains(body, `aria-label="Zuilen: inwonertal onbekend"`) ||
		cells(t, body, "GM0344")["inwoners"] != "onbekend" {
		t.Error("no populations: still a rate, or a total")
	}
}

// With the real CBS figures the overview's totals are the data README's:
// Utrecht 374,200 over 109 of its 111 neighbourhoods (two business parks
// have no figures), Leiden 130,095 over all 54.
func TestOverviewRealPopulation(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	if _, err := neighbourhood.Import(context.Background(), s.DB, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatal(err)
	}
	s.CreateUser(t, "beheer@example.nl", role.Resident, role.Admin)
	c := s.Login(t, "beheer@example.nl")
	q := fmt.Sprintf("jaar=%d&deel=jaar", lastYear())
	for _, tc := range []struct{ gm, want string }{
		{"GM0344", "374.200 (van 109 van 111 buurten)"},
		{"GM0546", "130.095"},
		{"GM0737", "32.600"},
	} {
		res := c.Get("/overzicht?gemeente=" + tc.gm + "&" + q)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.gm, res.StatusCode)
		}
		if got := cells(t, res.Body, tc.gm)["inwoners"]; got != tc.want {
			t.Errorf("%s: total inwoners %q, want %q", tc.gm, got, tc.want)
		}
		if !strings.Contains(res.Body, "Straatcontacten per 1.000 inwoners") {
			t.Errorf("%s: map not per 1.000 inwoners", tc.gm)
		}
	}
	body := c.Get("/overzicht?gemeente=GM0344&" + q).Body
	if got := cells(t, body, "BU03440911")["inwoners"]; got != "onbekend" {
		t.Errorf("business park: %q, want onbekend", got)
	}
	if !strings.Contains(body, `data-code="BU03440911"`) || !strings.Contains(body, `fill="`+overview.UnknownColour+`" fill-rule="evenodd" data-code="BU03440911"`) {
		t.Error("business park not drawn grey on the map")
	}
}
