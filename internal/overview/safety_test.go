package overview_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The counts fixture: Utrecht with district West (nbA Oog in Al, nbB
// Lombok) and district Noordwest (nbC Zuilen), no populations, and person
// counts per month of last year chosen so that many cells are hidden (1–4)
// at the neighbourhood, district and municipality level. One contact (or
// activity) per month and neighbourhood carries the whole month's people.

// trueCounts are the true person counts per neighbourhood, metric and
// month (index 0 = January of last year).
var trueCounts = map[string]map[string][12]int64{
	nbA: {
		"personen":             {7, 0, 2, 9, 12, 4, 5, 16, 1, 3, 6, 8},
		"activiteitdeelnemers": {0, 3, 20, 1, 0, 6, 2, 0, 11, 4, 0, 13},
	},
	nbB: {
		"personen":             {5, 1, 0, 3, 8, 0, 2, 6, 0, 0, 4, 9},
		"activiteitdeelnemers": {2, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0},
	},
	nbC: {
		"personen":             {0, 0, 4, 0, 0, 0, 1, 0, 0, 2, 0, 0},
		"activiteitdeelnemers": {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
	},
}

// trueMembers are the owners plus supporters of each neighbourhood's one
// active initiative (current, not per month).
var trueMembers = map[string]int64{nbA: 3, nbB: 6, nbC: 0}

// The levels a viewer can read, with the neighbourhoods each adds up.
var levels = []struct {
	code string
	nbs  []string
}{
	{nbA, []string{nbA}}, {nbB, []string{nbB}}, {nbC, []string{nbC}},
	{"WK034401", []string{nbA, nbB}}, {"WK034402", []string{nbC}},
	{"GM0344", []string{nbA, nbB, nbC}},
}

// An allowed period of last year: deel and the months (0-based) it covers.
type testPeriod struct {
	deel   string
	months []int
}

func allowedPeriods() []testPeriod {
	out := []testPeriod{{"jaar", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}}
	for q := range 4 {
		out = append(out, testPeriod{"k" + strconv.Itoa(q+1), []int{3 * q, 3*q + 1, 3*q + 2}})
	}
	for m, code := range []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"} {
		out = append(out, testPeriod{code, []int{m}})
	}
	return out
}

// trueValue is the true person count of a level in a period.
func trueValue(nbs []string, metric string, months []int) int64 {
	var sum int64
	for _, nb := range nbs {
		if metric == "deelnemers" {
			sum += trueMembers[nb]
			continue
		}
		for _, m := range months {
			sum += trueCounts[nb][metric][m]
		}
	}
	return sum
}

type countsFixture struct {
	s                      *testkit.Server
	officer, worker, admin string
	year                   int
	workerID, residentID   int64
	nbIDs                  map[string]int64
	exec                   func(sql string, args ...any)
	signalIDs              map[string]int64 // by title
}

func newCountsFixture(t *testing.T) *countsFixture {
	t.Helper()
	s := testkit.NewServer(t)
	ctx := context.Background()
	f := &countsFixture{s: s, officer: "gemeente@example.nl", worker: "werker@example.nl", admin: "beheer@example.nl",
		year: lastYear(), nbIDs: map[string]int64{}, signalIDs: map[string]int64{}}
	f.exec = execer(t, s)
	geo := utrechtGeo(t, s)
	for _, nb := range []struct{ code, name, boundary string }{
		{nbA, "Oog in Al", square(5.08, 52.08)}, {nbB, "Lombok", square(5.09, 52.08)}, {nbC, "Zuilen", square(5.08, 52.09)},
	} {
		f.exec(`UPDATE neighbourhoods SET boundary = $2::jsonb WHERE id = $1`, geo.Neighbourhood(nb.code, nb.name), nb.boundary)
	}
	rows, err := s.DB.Query(ctx, `SELECT code, id FROM neighbourhoods`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			t.Fatal(err)
		}
		f.nbIDs[code] = id
	}
	officer := s.CreateUser(t, f.officer, role.Resident, role.Officer)
	worker := s.CreateUser(t, f.worker, role.Resident, role.Worker)
	resident := s.CreateUser(t, "bewoner@example.nl", role.Resident)
	s.CreateUser(t, f.admin, role.Resident, role.Admin)
	f.workerID, f.residentID = worker.ID, resident.ID
	f.exec(`UPDATE accounts SET municipality_id = (SELECT id FROM municipalities WHERE code = 'GM0344') WHERE id = $1`, officer.ID)
	// The worker works in Oog in Al only, so sees Utrecht's overview but not
	// Zuilen's private signals.
	f.exec(`INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, worker.ID, f.nbIDs[nbA])

	for nb, metrics := range trueCounts {
		for m := range 12 {
			at := time.Date(f.year, time.Month(m+1), 10, 12, 0, 0, 0, ams)
			if n := metrics["personen"][m]; n > 0 {
				f.exec(`INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy, client_id)
				      VALUES ($1, $2, $3, 'straat', $4, '{}', 'bonding', gen_random_uuid())`, worker.ID, at, f.nbIDs[nb], n)
			}
			if n := metrics["activiteitdeelnemers"][m]; n > 0 {
				f.exec(`INSERT INTO activities (title, date, neighbourhood_id, strategy, participant_count, created_by, idempotency_key)
				      VALUES ('Buurtfeest', $1, $2, 'bridging', $3, $4, gen_random_uuid())`, at.Format(time.DateOnly), f.nbIDs[nb], n, worker.ID)
			}
		}
	}
	for nb, members := range trueMembers {
		if members == 0 {
			continue
		}
		var id int64
		if err := s.DB.QueryRow(ctx, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		      VALUES ($1, 'Samen', (SELECT id FROM municipalities WHERE code = 'GM0344'), 'informal', 'actief', 'platform', 'public', $2) RETURNING id`,
			"Initiatief in "+nb, worker.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.exec(`INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, id, f.nbIDs[nb])
		for j := range members {
			acc := s.CreateUser(t, fmt.Sprintf("lid-%s-%d@example.nl", nb, j))
			table := "initiative_supporters"
			if j == 0 {
				table = "initiative_owners"
			}
			f.exec(`INSERT INTO `+table+` (initiative_id, account_id) VALUES ($1, $2)`, id, acc.ID)
		}
	}
	return f
}

// signal inserts a signal raised now, so it falls in the default period
// (this year, and the last 12 months of before).
func (f *countsFixture) signal(t *testing.T, nb, title string, raisedBy int64, public bool) {
	t.Helper()
	var id int64
	if err := f.s.DB.QueryRow(context.Background(), `INSERT INTO signals (neighbourhood_id, title, theme, addressed_to, raised_by, raised_as,
	        is_public, idempotency_key)
	      VALUES ($1, $2, 'wonen', 'gemeente', $3, 'resident', $4, gen_random_uuid()) RETURNING id`,
		f.nbIDs[nb], title, raisedBy, public).Scan(&id); err != nil {
		t.Fatal(err)
	}
	f.signalIDs[title] = id
}

func (f *countsFixture) period(deel string) string {
	return fmt.Sprintf("jaar=%d&deel=%s", f.year, deel)
}

func (f *countsFixture) dates(p testPeriod) (string, string) {
	from := time.Date(f.year, time.Month(p.months[0]+1), 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(f.year, time.Month(p.months[len(p.months)-1]+2), 0, 0, 0, 0, 0, time.UTC)
	return from.Format(time.DateOnly), to.Format(time.DateOnly)
}

// personMetrics are the person count columns of the overview table, with
// their CSV header and JSON key.
var personMetrics = []struct{ col, csv, json string }{
	{"deelnemers", "Deelnemers initiatieven", "initiative_members"},
	{"personen", "Personen in gesprekken", "people_reached"},
	{"activiteitdeelnemers", "Deelnemers activiteiten", "activity_participants"},
}

// isPublishable reports whether s is a value the rule may publish: "0",
// "< 5" or a positive multiple of 5.
func isPublishable(s string) bool {
	if s == "0" || s == "< 5" {
		return true
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64)
	return err == nil && n > 0 && n%5 == 0
}

func numeric(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64)
	return n, err == nil
}

// csvRecords reads a CSV export and returns its rows as maps by header,
// with each hidden cell (empty and named in "Verborgen (< 5)") read as "< 5".
func csvRecords(t *testing.T, res testkit.Response) []map[string]string {
	t.Helper()
	recs := parseCSV(t, res)
	header := recs[0]
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range header {
			row[h] = rec[i]
		}
		hidden := strings.Split(row["Verborgen (< 5)"], ", ")
		for _, h := range header {
			if slices.Contains(hidden, h) {
				if row[h] != "" {
					t.Errorf("CSV: hidden column %s holds %q, want an empty cell", h, row[h])
				}
				row[h] = "< 5"
			}
		}
		for h, v := range row {
			if strings.Contains(v, "<") && !slices.Contains(hidden, h) {
				t.Errorf("CSV: column %s holds %q: text in a number column", h, v)
			}
		}
		out = append(out, row)
	}
	return out
}

type apiCounts struct {
	Neighbourhoods, Districts []map[string]any
	Total                     map[string]any
}

// jsonValue reads a person count of the JSON export: null must come with
// the key in "suppressed" (read as "< 5"), a number must not.
func jsonValue(t *testing.T, row map[string]any, key string) string {
	t.Helper()
	var suppressed []string
	for _, s := range row["suppressed"].([]any) {
		suppressed = append(suppressed, s.(string))
	}
	switch v := row[key].(type) {
	case nil:
		if !slices.Contains(suppressed, key) {
			t.Errorf("JSON %v: %s is null but not in suppressed", row["code"], key)
		}
		return "< 5"
	case float64:
		if slices.Contains(suppressed, key) {
			t.Errorf("JSON %v: %s is %v and in suppressed", row["code"], key, v)
		}
		return strconv.FormatInt(int64(v), 10)
	}
	t.Fatalf("JSON %v: %s is %T", row["code"], key, row[key])
	return ""
}

// TestDifferencingCannotRecoverHiddenCounts (the privacy promise of
// DOMAIN.md): the attack of overlapping free periods is refused, and over
// every period the overview allows for a year (12 months, 4 quarters, the
// year), for a neighbourhood, its district and the municipality, through
// the page, the comparison, the drill-down and the CSV and JSON exports,
// every published person count is 0, "< 5" or a multiple of 5, equal in
// every place, published from the true number, and no subtraction of
// published numbers gives back a hidden cell.
func TestDifferencingCannotRecoverHiddenCounts(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)

	// The precondition: the true data hold hidden cells at every level, and
	// October of Oog in Al is a hidden 3 (the attack's target).
	hiddenCells := map[string]int{}
	for _, l := range levels {
		for _, pm := range personMetrics[1:] {
			for m := range 12 {
				if v := trueValue(l.nbs, pm.col, []int{m}); v > 0 && v < 5 {
					hiddenCells[l.code]++
				}
			}
		}
	}
	for _, code := range []string{nbA, "WK034401", "GM0344"} {
		if hiddenCells[code] == 0 {
			t.Fatalf("precondition: no hidden monthly cell at %s: %v", code, hiddenCells)
		}
	}
	if v := trueValue([]string{nbA}, "personen", []int{9}); v != 3 {
		t.Fatalf("precondition: Oog in Al's October is %d, want a hidden 3", v)
	}

	// (a) The attack: January–September and January–October as free
	// periods, subtracted. Both are refused, on the page and in the exports.
	y := f.year
	for _, q := range []string{
		fmt.Sprintf("periode=eigen&van=%d-01&tot=%d-09", y, y), fmt.Sprintf("periode=eigen&van=%d-01&tot=%d-10", y, y),
	} {
		for _, path := range []string{"/overzicht?", "/overzicht/export.csv?", "/overzicht/buurten/" + nbA + "?", "/overzicht/buurten/" + nbA + "/export.csv?"} {
			res := c.Get(path + q)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-testid="period-error"`) ||
				!strings.Contains(res.Body, "hele maand, een heel kwartaal of een heel jaar") {
				t.Errorf("GET %s%s: %d, want 422 with the message", path, q, res.StatusCode)
			}
		}
	}
	for _, q := range []string{fmt.Sprintf("from=%d-01-01&to=%d-09-30", y, y), fmt.Sprintf("from=%d-01-01&to=%d-10-31", y, y)} {
		if res := c.Get("/api/v1/municipalities/GM0344/overview?" + q); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `"error"`) {
			t.Errorf("JSON %s: %d, want 422", q, res.StatusCode)
		}
	}
	// October on its own reads "< 5", in the table and in the drill-down.
	if got := cells(t, c.Get("/overzicht?"+f.period("okt")).Body, nbA)["personen"]; got != "< 5" {
		t.Errorf("October of Oog in Al in the table: %q, want < 5", got)
	}
	if got := monthCells(t, c.Get("/overzicht/buurten/"+nbA+"?"+f.period("jaar")).Body, fmt.Sprintf("%d-10", y))["personen"]; got != "< 5" {
		t.Errorf("October of Oog in Al in the drill-down: %q, want < 5", got)
	}

	// (b) Every allowed period, every place.
	published := map[string]string{} // level|metric|deel -> value
	record := func(where, level, metric, deel, v string) {
		t.Helper()
		if !isPublishable(v) {
			t.Errorf("%s: %s %s in %s published as %q: not 0, < 5 or a multiple of 5", where, level, metric, deel, v)
		}
		key := level + "|" + metric + "|" + deel
		if prev, ok := published[key]; ok && prev != v {
			t.Errorf("%s: %s %s in %s is %q here but %q elsewhere", where, level, metric, deel, v, prev)
		}
		published[key] = v
	}
	for _, p := range allowedPeriods() {
		q := f.period(p.deel)
		page := c.Get("/overzicht?" + q)
		if page.StatusCode != http.StatusOK {
			t.Fatalf("overview %s: %d", q, page.StatusCode)
		}
		for _, l := range levels {
			got := cells(t, page.Body, l.code)
			for _, pm := range personMetrics {
				record("page", l.code, pm.col, p.deel, got[pm.col])
			}
		}
		for _, row := range csvRecords(t, c.Get("/overzicht/export.csv?"+q)) {
			for _, pm := range personMetrics {
				record("CSV", row["Code"], pm.col, p.deel, row[pm.csv])
			}
		}
		from, to := f.dates(p)
		res := c.Get("/api/v1/municipalities/GM0344/overview?from=" + from + "&to=" + to)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("JSON %s–%s: %d %s", from, to, res.StatusCode, res.Body)
		}
		var api apiCounts
		if err := json.Unmarshal([]byte(res.Body), &api); err != nil {
			t.Fatal(err)
		}
		for _, row := range append(append(api.Neighbourhoods, api.Districts...), api.Total) {
			for _, pm := range personMetrics {
				record("JSON", row["code"].(string), pm.col, p.deel, jsonValue(t, row, pm.json))
			}
		}
		cmp := c.Get("/overzicht/vergelijk?buurt=" + nbA + "&buurt=" + nbB + "&buurt=" + nbC + "&" + q)
		for _, nb := range []string{nbA, nbB, nbC} {
			for label, col := range map[string]string{"Deelnemers initiatieven": "deelnemers", "Personen in gesprekken": "personen", "Deelnemers activiteiten": "activiteitdeelnemers"} {
				record("comparison", nb, col, p.deel, compareCell(t, cmp.Body, label, nb))
			}
		}
		// The drill-down's months, on the page and in its CSV, are the
		// neighbourhood's monthly cells.
		drill := c.Get("/overzicht/buurten/" + nbA + "?" + q)
		drillCSV := csvRecords(t, c.Get("/overzicht/buurten/"+nbA+"/export.csv?"+q))
		for i, m := range p.months {
			month := fmt.Sprintf("%d-%02d", y, m+1)
			deel := allowedPeriods()[5+m].deel
			got := monthCells(t, drill.Body, month)
			for _, col := range []string{"personen", "activiteitdeelnemers"} {
				record("drill-down", nbA, col, deel, got[col])
			}
			record("drill-down CSV", nbA, "personen", deel, drillCSV[i]["Personen in gesprekken"])
			record("drill-down CSV", nbA, "activiteitdeelnemers", deel, drillCSV[i]["Deelnemers activiteiten"])
		}
		for _, members := range regexp.MustCompile(`data-testid="initiative-members">([^<]*)<`).FindAllStringSubmatch(drill.Body, -1) {
			record("drill-down initiatives", nbA, "deelnemers", p.deel, text(members[1]))
		}
	}
	if len(published) != len(levels)*len(personMetrics)*17 {
		t.Fatalf("collected %d published counts, want %d", len(published), len(levels)*len(personMetrics)*17)
	}

	// Each published value is the true value under the rule (totals from the
	// true numbers, never from the published rows).
	for _, l := range levels {
		for _, pm := range personMetrics {
			for _, p := range allowedPeriods() {
				if got, want := published[l.code+"|"+pm.col+"|"+p.deel], shown(trueValue(l.nbs, pm.col, p.months)); got != want {
					t.Errorf("%s %s in %s: published %q, want %q", l.code, pm.col, p.deel, got, want)
				}
			}
		}
	}

	// Explicit differencing. In time: a quarter or the year minus the
	// published periods that make up the rest of it leaves one month. In
	// space: a district or the municipality minus its other neighbourhoods
	// leaves one neighbourhood. Wherever what is left is hidden, the
	// published numbers must not give it back.
	pub := func(level, metric, deel string) (int64, bool) { return numeric(published[level+"|"+metric+"|"+deel]) }
	periods := allowedPeriods()
	attempts := 0
	try := func(what string, target int64, whole int64, parts []int64) {
		t.Helper()
		attempts++
		diff := whole
		for _, p := range parts {
			diff -= p
		}
		if diff == target {
			t.Errorf("%s: published numbers give back the hidden %d", what, target)
		}
	}
	for _, l := range levels {
		for _, pm := range personMetrics[1:] {
			for m := range 12 {
				target := trueValue(l.nbs, pm.col, []int{m})
				if target < 1 || target > 4 {
					continue
				}
				q := m / 3
				quarter, year := periods[1+q].deel, periods[0].deel
				var others []string // the other months of the quarter
				for _, om := range []int{3 * q, 3*q + 1, 3*q + 2} {
					if om != m {
						others = append(others, periods[5+om].deel)
					}
				}
				var otherQuarters []string
				for oq := range 4 {
					if oq != q {
						otherQuarters = append(otherQuarters, periods[1+oq].deel)
					}
				}
				for _, c := range []struct {
					whole string
					parts []string
				}{{quarter, others}, {year, append(slices.Clone(otherQuarters), others...)}} {
					w, ok := pub(l.code, pm.col, c.whole)
					parts := make([]int64, 0, len(c.parts))
					for _, part := range c.parts {
						v, okPart := pub(l.code, pm.col, part)
						ok = ok && okPart
						parts = append(parts, v)
					}
					if ok {
						try(fmt.Sprintf("%s %s: %s minus %v", l.code, pm.col, c.whole, c.parts), target, w, parts)
					}
				}
			}
		}
	}
	for _, pm := range personMetrics {
		for _, p := range periods {
			for _, sp := range []struct{ whole, target string }{{"WK034401", nbA}, {"WK034401", nbB}, {"GM0344", nbA}, {"GM0344", nbC}} {
				target := trueValue([]string{sp.target}, pm.col, p.months)
				if target < 1 || target > 4 {
					continue
				}
				w, ok := pub(sp.whole, pm.col, p.deel)
				var parts []int64
				for _, l := range levels {
					if len(l.nbs) == 1 && l.code != sp.target && (sp.whole == "GM0344" || slices.Contains([]string{nbA, nbB}, l.code)) {
						v, okPart := pub(l.code, pm.col, p.deel)
						ok = ok && okPart
						parts = append(parts, v)
					}
				}
				if ok {
					try(fmt.Sprintf("%s %s in %s minus its other neighbourhoods", sp.whole, pm.col, p.deel), target, w, parts)
				}
			}
		}
	}
	// The October of the attack is among the attempts that could be made
	// with numbers (the fourth quarter, November and December are published
	// as numbers), so the test is not vacuous.
	for _, deel := range []string{"k4", "nov", "dec"} {
		if _, ok := pub(nbA, "personen", deel); !ok {
			t.Fatalf("precondition: Oog in Al's people in %s are not a published number", deel)
		}
	}
	if attempts < 10 {
		t.Fatalf("only %d differencing attempts with published numbers", attempts)
	}
}

// monthCells returns the data-col cells of the drill-down's row for month (YYYY-MM).
func monthCells(t *testing.T, body, month string) map[string]string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr[^>]*data-month="` + month + `"[^>]*>(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no drill-down row for %s", month)
	}
	out := map[string]string{}
	for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
		out[c[1]] = text(c[2])
	}
	return out
}

// compareCell returns the comparison's cell of row label for neighbourhood code.
func compareCell(t *testing.T, body, label, code string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr[^>]*>\s*<th[^>]*>` + regexp.QuoteMeta(label) + `</th>(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("comparison has no row %q", label)
	}
	cell := regexp.MustCompile(`(?s)<td[^>]*data-code="` + code + `"[^>]*>(.*?)</td>`).FindStringSubmatch(row[1])
	if cell == nil {
		t.Fatalf("comparison row %q has no cell for %s", label, code)
	}
	return text(cell[1])
}

// TestTotalsFromTrueNumbers: a district or municipality total is the true
// sum published by the rule, so it never reads "0" over rows of "< 5", and
// can differ from the sum of the published rows.
func TestTotalsFromTrueNumbers(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	for _, tc := range []struct {
		deel                          string
		oogInAl, lombok, west, zuilen string
		utrecht                       string
	}{
		// February: 0 + 1 in West, 0 in Noordwest: the totals are 1, hidden, not 0.
		{"feb", "0", "< 5", "< 5", "0", "< 5"},
		// October: 3 + 0 in West, 2 in Noordwest: hidden rows, a municipality total of 5.
		{"okt", "< 5", "0", "< 5", "< 5", "5"},
		// November: 6 + 4 = 10, though the published rows add up to 5.
		{"nov", "5", "< 5", "10", "0", "10"},
		// March: 2 + 0 and 4: rows all hidden or 0, the municipality 6 → 5.
		{"mrt", "< 5", "0", "< 5", "< 5", "5"},
	} {
		t.Run(tc.deel, func(t *testing.T) {
			body := c.Get("/overzicht?" + f.period(tc.deel)).Body
			for code, want := range map[string]string{nbA: tc.oogInAl, nbB: tc.lombok, "WK034401": tc.west, nbC: tc.zuilen, "GM0344": tc.utrecht} {
				if got := cells(t, body, code)["personen"]; got != want {
					t.Errorf("%s: people in contacts %q, want %q", code, got, want)
				}
			}
		})
	}
}

// TestExportTotalRowNamed: the municipality total of the CSV and JSON
// exports carries the municipality's code and name and no district, not
// the last neighbourhood's name.
func TestExportTotalRowNamed(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	recs := csvRecords(t, c.Get("/overzicht/export.csv?"+f.period("jaar")))
	total := recs[len(recs)-1]
	if total["Niveau"] != "gemeente" || total["Code"] != "GM0344" || total["Naam"] != "Utrecht" || total["Wijkcode"] != "" || total["Wijk"] != "" {
		t.Errorf("CSV total row: %v", total)
	}
	for _, r := range recs {
		if r["Niveau"] == "wijk" && (r["Naam"] != r["Wijk"] || r["Code"] != r["Wijkcode"]) {
			t.Errorf("CSV district row names another place: %v", r)
		}
	}
	res := c.Get(fmt.Sprintf("/api/v1/municipalities/GM0344/overview?from=%d-01-01&to=%d-12-31", f.year, f.year))
	var api apiCounts
	if err := json.Unmarshal([]byte(res.Body), &api); err != nil {
		t.Fatal(err)
	}
	if api.Total["code"] != "GM0344" || api.Total["name"] != "Utrecht" || api.Total["district_code"] != nil || api.Total["district_name"] != nil {
		t.Errorf("JSON total: code %v, name %v, district %v %v", api.Total["code"], api.Total["name"], api.Total["district_code"], api.Total["district_name"])
	}
}

// TestCSVLeavesHiddenCellsEmpty: hidden person counts are empty cells,
// named in "Verborgen (< 5)", in the overview and the drill-down exports;
// a row without hidden cells names none.
func TestCSVLeavesHiddenCellsEmpty(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	raw := parseCSV(t, c.Get("/overzicht/export.csv?"+f.period("okt")))
	header := raw[0]
	if header[len(header)-1] != "Verborgen (< 5)" {
		t.Fatalf("last column %q", header[len(header)-1])
	}
	col := func(rec []string, name string) string { return rec[slices.Index(header, name)] }
	for _, rec := range raw[1:] {
		switch col(rec, "Code") {
		case nbA: // October: 3 people, 4 participants, 3 members: all hidden.
			if col(rec, "Personen in gesprekken") != "" || col(rec, "Deelnemers activiteiten") != "" || col(rec, "Deelnemers initiatieven") != "" ||
				col(rec, "Verborgen (< 5)") != "Deelnemers initiatieven, Personen in gesprekken, Deelnemers activiteiten" {
				t.Errorf("Oog in Al, October: %v", rec)
			}
		case nbB: // 0 people, 0 participants, 6 members → 5.
			if col(rec, "Personen in gesprekken") != "0" || col(rec, "Deelnemers initiatieven") != "5" || col(rec, "Verborgen (< 5)") != "" {
				t.Errorf("Lombok, October: %v", rec)
			}
		}
		for i, v := range rec {
			if strings.Contains(v, "<") && header[i] != "Verborgen (< 5)" {
				t.Errorf("column %s holds %q", header[i], v)
			}
		}
	}
	raw = parseCSV(t, c.Get("/overzicht/buurten/"+nbA+"/export.csv?"+f.period("k4")))
	if want := []string{"Maand", "Straatcontacten", "Personen in gesprekken", "Activiteiten", "Deelnemers activiteiten",
		"Initiatieven gestart", "Signalen", "Verbinden", "Overbruggen", "Koppelen", "Verborgen (< 5)"}; !slices.Equal(raw[0], want) {
		t.Errorf("drill-down CSV header %v", raw[0])
	}
	for _, rec := range raw[1:] {
		want := map[string][]string{ // October: 3 and 4 hidden; November: 6 → 5 and 0; December: 8 → 10 and 13 → 15.
			fmt.Sprintf("%d-10", f.year): {"", "", "Personen in gesprekken, Deelnemers activiteiten"},
			fmt.Sprintf("%d-11", f.year): {"5", "0", ""},
			fmt.Sprintf("%d-12", f.year): {"10", "15", ""},
		}[rec[0]]
		if got := []string{rec[2], rec[4], rec[10]}; !slices.Equal(got, want) {
			t.Errorf("drill-down CSV %s: %q, want %q", rec[0], got, want)
		}
	}
}

// TestPeopleInContactsNamed: the sum of people over contacts is called what
// it counts, everywhere, and the counting notes say a resident met five
// times counts five times.
func TestPeopleInContactsNamed(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	q := f.period("jaar")
	for _, path := range []string{"/overzicht?" + q, "/overzicht/buurten/" + nbA + "?" + q, "/overzicht/vergelijk?buurt=" + nbA + "&buurt=" + nbB + "&" + q,
		"/overzicht/export.csv?" + q, "/overzicht/buurten/" + nbA + "/export.csv?" + q} {
		res := c.Get(path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Personen in gesprekken") || strings.Contains(strings.ToLower(res.Body), "bereikte bewoners") {
			t.Errorf("%s: %d, not named Personen in gesprekken (or still Bereikte bewoners)", path, res.StatusCode)
		}
	}
	body := c.Get("/overzicht?" + q).Body
	notes := regexp.MustCompile(`(?s)data-testid="counting-notes".*?</details>`).FindString(body)
	for _, want := range []string{"wie vijf keer is gesproken, telt vijf keer", "hele maand, een heel kwartaal of een heel jaar",
		"veelvoud van 5", "&lt; 5", "uit de echte aantallen", "afwijken van de som"} {
		if !strings.Contains(notes, want) {
			t.Errorf("Hoe we tellen lacks %q", want)
		}
	}
}

// TestMixShowsBasis: the strategy mix says how many contacts and
// activities it rests on, so a 100% on one contact is visible as such.
func TestMixShowsBasis(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	body := c.Get("/overzicht?" + f.period("mrt")).Body
	if got := cells(t, body, nbC)["koppelen"]; got != "Verbinden 100%, Overbruggen 0%, Koppelen 0% (op basis van 1 straatcontact)" {
		t.Errorf("Zuilen in March: %q", got)
	}
	if got := cells(t, body, nbA)["koppelen"]; !strings.HasSuffix(got, "(op basis van 1 straatcontact en 1 activiteit)") {
		t.Errorf("Oog in Al in March: %q", got)
	}
	drill := c.Get("/overzicht/buurten/" + nbC + "?" + f.period("mrt")).Body
	if got := monthCells(t, drill, fmt.Sprintf("%d-03", f.year))["mix"]; !strings.HasSuffix(got, "(op basis van 1 straatcontact)") {
		t.Errorf("Zuilen's March in the drill-down: %q", got)
	}
}

// TestMapLegendWholeNumbers: a map of counts has whole-number classes.
func TestMapLegendWholeNumbers(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	for _, kaart := range []string{"contacten", "initiatieven"} {
		body := c.Get("/overzicht?kaart=" + kaart + "&" + f.period("jaar")).Body
		legend := regexp.MustCompile(`(?s)data-testid="map-legend">(.*?)</ul>`).FindStringSubmatch(body)
		if legend == nil {
			t.Fatalf("%s: no legend", kaart)
		}
		var labels []string
		for _, li := range regexp.MustCompile(`(?s)<li>(.*?)</li>`).FindAllStringSubmatch(legend[1], -1) {
			labels = append(labels, text(li[1]))
		}
		for _, l := range labels {
			if strings.Contains(l, ",") || strings.Contains(l, "meer dan") {
				t.Errorf("%s: legend label %q is not whole numbers", kaart, l)
			}
		}
		// Contacts: 11, 8 and 3 contacts in the year, so 0 and 1–3, 4–6, 7–9, 10–11.
		if kaart == "contacten" && !slices.Equal(labels, []string{"0", "1 tot en met 3", "4 tot en met 6", "7 tot en met 9", "10 tot en met 11"}) {
			t.Errorf("contacts legend %q", labels)
		}
		// One active initiative at most: 0 and 1.
		if kaart == "initiatieven" && !slices.Equal(labels, []string{"0", "1"}) {
			t.Errorf("initiatives legend %q", labels)
		}
	}
}

// TestResponseTimeShowsUnanswered: the median counts answered signals
// only, so beside it stand how many signals of the period still wait and
// how long the oldest has waited, on the page and in both exports.
func TestResponseTimeShowsUnanswered(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	c := f.s.Login(t, f.officer)
	oldest := time.Date(f.year, time.March, 2, 12, 0, 0, 0, ams)
	for i, answered := range []bool{true, false, false, false} {
		created := oldest.Add(time.Duration(i) * 24 * time.Hour)
		var first any
		if answered {
			first = created.Add(6 * time.Minute)
		}
		f.exec(`INSERT INTO signals (neighbourhood_id, title, theme, addressed_to, raised_by, raised_as, idempotency_key, created_at, first_response_at)
		      VALUES ($1, $2, 'wonen', 'gemeente', $3, 'resident', gen_random_uuid(), $4, $5)`,
			f.nbIDs[nbA], fmt.Sprintf("Signaal %d", i), f.residentID, created, first)
	}
	// The first signal got its response; the wait of the second, the oldest
	// unanswered, is measured when the page is made: between before and after.
	waiting := oldest.Add(24 * time.Hour)
	before := time.Since(waiting)
	page := c.Get("/overzicht?" + f.period("mrt"))
	recs := csvRecords(t, c.Get("/overzicht/export.csv?"+f.period("mrt")))
	res := c.Get(fmt.Sprintf("/api/v1/municipalities/GM0344/overview?from=%d-03-01&to=%d-03-31", f.year, f.year))
	after := time.Since(waiting)

	days := func(d time.Duration) string { return strconv.Itoa(int(d.Hours() / 24)) }
	got := cells(t, page.Body, nbA)["reactietijd"]
	okText := false
	for _, d := range []time.Duration{before, after} {
		if got == "0,1 uur 3 van 4 nog zonder reactie; de oudste wacht al "+days(d)+" dagen" {
			okText = true
		}
	}
	if !okText {
		t.Errorf("response time of Oog in Al: %q", got)
	}
	for _, code := range []string{"WK034401", "GM0344"} {
		if got := cells(t, page.Body, code)["reactietijd"]; !strings.HasPrefix(got, "0,1 uur 3 van 4 nog zonder reactie; de oudste wacht al ") {
			t.Errorf("response time of total %s: %q", code, got)
		}
	}
	if got := cells(t, page.Body, nbB)["reactietijd"]; got != "–" {
		t.Errorf("response time without signals: %q", got)
	}

	for _, r := range recs {
		if r["Code"] != nbA {
			continue
		}
		wait, err := strconv.ParseFloat(strings.Replace(r["Langst wachtend zonder reactie (uren)"], ",", ".", 1), 64)
		if r["Signalen gemeld"] != "4" || r["Signalen zonder reactie"] != "3" || r["Mediane tijd tot eerste reactie, beantwoorde signalen (uren)"] != "0,1" ||
			err != nil || wait < before.Hours()-0.1 || wait > after.Hours()+0.1 {
			t.Errorf("CSV Oog in Al: %v (wait between %.1f and %.1f hours)", r, before.Hours(), after.Hours())
		}
	}

	var api struct {
		Neighbourhoods []struct {
			Code       string
			Raised     int64    `json:"signals_raised"`
			Unanswered int64    `json:"signals_unanswered"`
			Median     *float64 `json:"median_hours_to_first_response"`
			Wait       *float64 `json:"oldest_unanswered_wait_hours"`
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &api); err != nil {
		t.Fatal(err)
	}
	for _, n := range api.Neighbourhoods {
		if n.Code != nbA {
			continue
		}
		if n.Raised != 4 || n.Unanswered != 3 || n.Median == nil || *n.Median < 0.09 || *n.Median > 0.11 ||
			n.Wait == nil || *n.Wait < before.Hours() || *n.Wait > after.Hours() {
			t.Errorf("JSON Oog in Al: raised %d, unanswered %d, median %v, wait %v", n.Raised, n.Unanswered, n.Median, n.Wait)
		}
	}
}

// TestDrillDownSignalsFollowSignalRule: the drill-down lists a signal only
// when its viewer may read it on the signal page (signal.VisibleSQL): a
// worker of other areas does not see a resident's private signal, an
// officer sees their municipality's signals (they answer them), and an
// administrator is, as on the signal list, not shown others' private
// signals in a list.
func TestDrillDownSignalsFollowSignalRule(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	f.signal(t, nbC, "Privé in Zuilen", f.residentID, false)
	f.signal(t, nbC, "Openbaar in Zuilen", f.residentID, true)
	f.signal(t, nbC, "Eigen melding van de werker", f.workerID, false)
	f.signal(t, nbA, "Privé in Oog in Al", f.residentID, false)
	titles := []string{"Privé in Zuilen", "Openbaar in Zuilen", "Eigen melding van de werker", "Privé in Oog in Al"}

	cases := []struct {
		who  string
		nb   string
		want []string // the titles listed; the others of titles are not
		// sameAsSignalPage: the listed titles are exactly those the viewer's
		// GET /signalen/{id} answers 200 for.
		sameAsSignalPage bool
	}{
		{f.worker, nbC, []string{"Openbaar in Zuilen", "Eigen melding van de werker"}, true},
		{f.worker, nbA, []string{"Privé in Oog in Al"}, true},
		{f.officer, nbC, []string{"Privé in Zuilen", "Openbaar in Zuilen", "Eigen melding van de werker"}, true},
		{f.officer, nbA, []string{"Privé in Oog in Al"}, true},
		{f.admin, nbC, []string{"Openbaar in Zuilen"}, false},
	}
	clients := map[string]*testkit.Client{}
	for _, tc := range cases {
		t.Run(tc.who+" "+tc.nb, func(t *testing.T) {
			c, ok := clients[tc.who]
			if !ok {
				c = f.s.Login(t, tc.who)
				clients[tc.who] = c
			}
			res := c.Get("/overzicht/buurten/" + tc.nb)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("drill-down: %d", res.StatusCode)
			}
			for _, title := range titles {
				listed := strings.Contains(res.Body, title)
				if listed != slices.Contains(tc.want, title) {
					t.Errorf("%q listed: %v, want %v", title, listed, !listed)
				}
				if !tc.sameAsSignalPage || !listed && f.nbIDs[tc.nb] != f.signalNeighbourhood(t, title) {
					continue
				}
				page := c.Get("/signalen/" + strconv.FormatInt(f.signalIDs[title], 10))
				if (page.StatusCode == http.StatusOK) != listed {
					t.Errorf("%q: drill-down lists it %v, the signal page answers %d", title, listed, page.StatusCode)
				}
			}
		})
	}
}

// signalNeighbourhood is the neighbourhood id of the signal with title.
func (f *countsFixture) signalNeighbourhood(t *testing.T, title string) int64 {
	t.Helper()
	var id int64
	if err := f.s.DB.QueryRow(context.Background(), `SELECT neighbourhood_id FROM signals WHERE id = $1`, f.signalIDs[title]).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestDrillDownSignalListAudited: a professional's drill-down that lists
// signals leaves one audit record, like the signal list; a reload within
// the minute adds none.
func TestDrillDownSignalListAudited(t *testing.T) {
	t.Parallel()
	f := newCountsFixture(t)
	f.signal(t, nbA, "Privé in Oog in Al", f.residentID, false)
	c := f.s.Login(t, f.worker)
	for range 2 {
		if res := c.Get("/overzicht/buurten/" + nbA); res.StatusCode != http.StatusOK {
			t.Fatalf("drill-down: %d", res.StatusCode)
		}
	}
	var n int
	if err := f.s.DB.QueryRow(context.Background(), `
		SELECT count(*) FROM audit_log
		 WHERE actor_id = $1 AND action = 'signal.list' AND subject_type = 'neighbourhood' AND subject_id = $2`,
		f.workerID, f.nbIDs[nbA]).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("audit records of the drill-down's signal list: %d, want 1", n)
	}
}
