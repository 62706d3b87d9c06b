package overview_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The hand-made data set: two municipalities, three neighbourhoods in
// Utrecht (two districts), one in Tytsjerksteradiel. Months are counted
// back from December of last year (0 = that December); the tests ask for
// last year (f.q), so months 12 and older fall outside it.

type fxContact struct {
	nb              string
	k               int
	strategy        string
	people          int
	themes          []string
	energy, concern bool
	story           string
}

type fxActivity struct {
	nb           string
	k            int
	strategy     string
	participants int
	story        string
}

type fxSignal struct {
	nb, theme     string
	status        signal.Status
	k             int
	responseHours float64 // 0 = no response
}

type fxInitiative struct {
	title      string
	nbs        []string
	status     initiative.Status
	owners     int
	supporters int
	hidden     bool
	grants     []fxGrant
}

type fxGrant struct {
	cents int64
	k     int
	ok    bool
}

const (
	nbA = "BU03440101"
	nbB = "BU03440102"
	nbC = "BU03440201"
	nbM = "BU07370200"
)

var (
	contactsFx = []fxContact{
		{nb: nbA, k: 0, strategy: "bonding", people: 1, themes: []string{"wonen", "ontmoeting"}, energy: true, story: "Op het bankje vertelde iemand over de buurtmoestuin."},
		{nb: nbA, k: 1, strategy: "linking", people: 2, themes: []string{"wonen"}, concern: true},
		{nb: nbB, k: 0, strategy: "bridging", people: 5, themes: []string{"veiligheid"}, energy: true, concern: true},
		{nb: nbB, k: 2, strategy: "bonding", people: 4, themes: []string{"veiligheid", "wonen"}},
		{nb: nbB, k: 3, strategy: "linking", people: 3, themes: []string{}},
		{nb: nbC, k: 1, strategy: "bonding", people: 7, themes: []string{"zorg"}, energy: true},
		{nb: nbA, k: 14, strategy: "bonding", people: 50, themes: []string{"sport"}},
		{nb: nbM, k: 0, strategy: "bonding", people: 9, themes: []string{"ontmoeting"}},
	}
	activitiesFx = []fxActivity{
		{nb: nbA, k: 0, strategy: "bridging", participants: 3, story: "Het buurtfeest bracht twee straten samen."},
		{nb: nbB, k: 1, strategy: "linking", participants: 20},
		{nb: nbC, k: 2, strategy: "bonding", participants: 0},
		{nb: nbA, k: 13, strategy: "bonding", participants: 100},
	}
	signalsFx = []fxSignal{
		{nb: nbA, k: 0, theme: "wonen", status: signal.OnAgenda, responseHours: 10},
		{nb: nbA, k: 1, theme: "veiligheid", status: signal.TakenUp, responseHours: 30},
		{nb: nbB, k: 0, theme: "zorg", status: signal.InProgress},
		{nb: nbC, k: 2, theme: "wonen", status: signal.Raised, responseHours: 5},
		{nb: nbB, k: 15, theme: "wonen", status: signal.Raised},
	}
	initiativesFx = []fxInitiative{
		{title: "Moestuin", nbs: []string{nbA}, status: initiative.Active, owners: 1, supporters: 2, grants: []fxGrant{{100000, 0, true}}},
		{title: "Repair café", nbs: []string{nbA, nbB}, status: initiative.Active, owners: 1, supporters: 5, grants: []fxGrant{{30001, 1, true}, {5000, 1, false}}},
		{title: "Idee voor een bank", nbs: []string{nbB}, status: initiative.Idea, owners: 1},
		{title: "Verborgen", nbs: []string{nbC}, status: initiative.Active, owners: 1, hidden: true},
		{title: "Buurtkamer", nbs: []string{nbC}, status: initiative.Active, owners: 1, supporters: 2, grants: []fxGrant{{50000, 13, true}}},
	}
)

const secretNote = "GEHEIME-NOTITIE-VAN-DE-OPBOUWWERKER"

type fixture struct {
	s                      *testkit.Server
	officer, other, worker string
	admin, resident        string
	months                 []time.Time // months[k] = first day of the month k months before December of last year (Amsterdam)
	q                      string      // the query of last year as a whole: "jaar=2025&deel=jaar"
}

var ams, _ = time.LoadLocation("Europe/Amsterdam")

// lastYear is the year before the current one: whole and in the past, so
// the tests do not depend on the day they run.
func lastYear() int { return time.Now().In(ams).Year() - 1 }

func monthsBack(n int) []time.Time {
	first := time.Date(lastYear(), time.December, 1, 0, 0, 0, 0, ams)
	out := make([]time.Time, n)
	for k := range out {
		out[k] = first.AddDate(0, -k, 0)
	}
	return out
}

// at is a moment inside month k: the 2nd at noon.
func (f *fixture) at(k int) time.Time { return f.months[k].Add(36 * time.Hour) }

func square(lon, lat float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
		lon, lat, lon+0.01, lat, lon+0.01, lat+0.01, lon, lat+0.01, lon, lat)
}

// execer returns a function that runs a statement on the test database.
func execer(t *testing.T, s *testkit.Server) func(sql string, args ...any) {
	return func(sql string, args ...any) {
		t.Helper()
		if _, err := s.DB.Exec(context.Background(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
}

// utrechtGeo inserts the two municipalities and Utrecht's two districts
// that every fixture has.
func utrechtGeo(t *testing.T, s *testkit.Server) testkit.Geo {
	geo := testkit.NewGeo(t, s.DB)
	geo.Municipality("GM0344", "Utrecht")
	geo.Municipality("GM0737", "Tytsjerksteradiel")
	geo.District("WK034401", "West")
	geo.District("WK034402", "Noordwest")
	return geo
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := testkit.NewServer(t)
	f := &fixture{s: s, officer: "gemeente@example.nl", other: "friesland@example.nl", worker: "werker@example.nl",
		admin: "beheer@example.nl", resident: "bewoner@example.nl", months: monthsBack(20),
		q: fmt.Sprintf("jaar=%d&deel=jaar", lastYear())}
	ctx := context.Background()
	exec := execer(t, s)
	geo := utrechtGeo(t, s)
	geo.District("WK073702", "Wijk 02 Mûnein")
	oog := geo.Neighbourhood(nbA, "Oog in Al")
	lombok := geo.Neighbourhood(nbB, "Lombok")
	geo.Neighbourhood(nbC, "Zuilen")
	geo.Neighbourhood(nbM, "Mûnein")
	exec(`UPDATE neighbourhoods SET population = $2, boundary = $3::jsonb WHERE id = $1`, oog, 1000, square(5.08, 52.08))
	exec(`UPDATE neighbourhoods SET population = $2, boundary = $3::jsonb WHERE id = $1`, lombok, 2000, square(5.09, 52.08))

	officer := s.CreateUser(t, f.officer, role.Resident, role.Officer)
	other := s.CreateUser(t, f.other, role.Resident, role.Officer)
	worker := s.CreateUser(t, f.worker, role.Resident, role.Worker)
	s.CreateUser(t, f.admin, role.Resident, role.Admin)
	s.CreateUser(t, f.resident, role.Resident)
	exec(`UPDATE accounts SET municipality_id = (SELECT id FROM municipalities WHERE code = 'GM0344') WHERE id = $1`, officer.ID)
	exec(`UPDATE accounts SET municipality_id = (SELECT id FROM municipalities WHERE code = 'GM0737') WHERE id = $1`, other.ID)
	exec(`INSERT INTO account_work_areas (account_id, neighbourhood_id) SELECT $1, id FROM neighbourhoods WHERE code = $2`, worker.ID, nbA)

	nb := func(code string) string { return `(SELECT id FROM neighbourhoods WHERE code = '` + code + `')` }
	for _, c := range contactsFx {
		energy, concern := "", ""
		if c.energy {
			energy = "wil een moestuin"
		}
		if c.concern {
			concern = "zorgen over de huur"
		}
		var story any
		if c.story != "" {
			story = c.story
		}
		exec(`INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy, energy, concern,
		        note, story, story_shared_at, client_id)
		      VALUES ($1, $2, `+nb(c.nb)+`, 'straat', $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9::text IS NOT NULL THEN $2::timestamptz END, gen_random_uuid())`,
			worker.ID, f.at(c.k), c.people, c.themes, c.strategy, energy, concern, secretNote, story)
	}
	for _, a := range activitiesFx {
		exec(`INSERT INTO activities (title, date, neighbourhood_id, strategy, participant_count, note, story, story_shared_at, created_by, idempotency_key)
		      VALUES ('Buurtfeest', $1, `+nb(a.nb)+`, $2, $3, $4, $5, CASE WHEN $5 <> '' THEN $6::timestamptz END, $7, gen_random_uuid())`,
			f.at(a.k).Format(time.DateOnly), a.strategy, a.participants, secretNote, a.story, f.at(a.k), worker.ID)
	}
	for _, sg := range signalsFx {
		var first any
		if sg.responseHours > 0 {
			first = f.at(sg.k).Add(time.Duration(sg.responseHours * float64(time.Hour)))
		}
		var id int64
		if err := s.DB.QueryRow(ctx, `INSERT INTO signals (neighbourhood_id, title, theme, addressed_to, raised_by, raised_as, status,
		        idempotency_key, created_at, first_response_at)
		      VALUES (`+nb(sg.nb)+`, 'Signaal '||$1, $1, 'gemeente', $2, 'resident', $3, gen_random_uuid(), $4, $5) RETURNING id`,
			sg.theme, worker.ID, sg.status, f.at(sg.k), first).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if first != nil {
			exec(`INSERT INTO signal_responses (signal_id, author_id, author_role, body, status_from, status_to, idempotency_key, created_at)
			      VALUES ($1, $2, 'officer', 'We pakken het op', 'gesignaleerd', $3, gen_random_uuid(), $4)`, id, officer.ID, sg.status, first)
		}
	}
	for i, in := range initiativesFx {
		var id int64
		if err := s.DB.QueryRow(ctx, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility,
		        hidden_at, hidden_reason, created_by, created_at)
		      VALUES ($1, 'Samen', (SELECT id FROM municipalities WHERE code = 'GM0344'), 'informal', $2, 'platform', 'public',
		        CASE WHEN $3 THEN now() END, CASE WHEN $3 THEN 'spam' ELSE '' END, $4, $5) RETURNING id`,
			in.title, in.status, in.hidden, worker.ID, f.at(i%3)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		for _, code := range in.nbs {
			exec(`INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, `+nb(code)+`)`, id)
		}
		for j := range in.owners + in.supporters {
			acc := s.CreateUser(t, fmt.Sprintf("lid%d-%d@example.nl", i, j))
			table := "initiative_supporters"
			if j < in.owners {
				table = "initiative_owners"
			}
			exec(`INSERT INTO `+table+` (initiative_id, account_id) VALUES ($1, $2)`, id, acc.ID)
		}
		for _, g := range in.grants {
			status := initiative.Rejected
			if g.ok {
				status = initiative.Granted
			}
			exec(`INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, granted_cents, purpose, budget, status, created_by, decided_by, decided_at, reason)
			      VALUES ($1, $7, $2, CASE WHEN $3 = 'toegekend' THEN $2::bigint END, 'Zaden en gereedschap', 'Begroting', $3, $4, $5, $6, 'Past bij het buurtbudget')`,
				id, g.cents, status, worker.ID, officer.ID, f.at(g.k), testkit.DefaultFund(t, s.DB, id))
		}
	}
	return f
}

// expected computes a neighbourhood's shown figures for months 0..11
// straight from the fixtures.
type expectRow struct {
	contacts, people, activities, participants int64
	active, members, open                      int64
	mix                                        [3]int64
	responses                                  []float64
	raised, unanswered                         int64 // signals raised in the period, of which without response
	cents                                      int64
	themes                                     map[string]int64
}

func inPeriod(k int) bool { return k >= 0 && k < 12 }

func expectFor(codes ...string) expectRow {
	e := expectRow{themes: map[string]int64{}}
	has := func(c string) bool { return slices.Contains(codes, c) }
	si := map[string]int{"bonding": 0, "bridging": 1, "linking": 2}
	for _, c := range contactsFx {
		if has(c.nb) && inPeriod(c.k) {
			e.contacts++
			e.people += int64(c.people)
			e.mix[si[c.strategy]]++
			for _, th := range c.themes {
				e.themes[th]++
			}
		}
	}
	for _, a := range activitiesFx {
		if has(a.nb) && inPeriod(a.k) {
			e.activities++
			e.participants += int64(a.participants)
			e.mix[si[a.strategy]]++
		}
	}
	for _, s := range signalsFx {
		if has(s.nb) && (s.status == signal.Raised || s.status == signal.OnAgenda || s.status == signal.InProgress) {
			e.open++
		}
		if has(s.nb) && inPeriod(s.k) {
			e.raised++
			if s.responseHours > 0 {
				e.responses = append(e.responses, s.responseHours)
			} else {
				e.unanswered++
			}
		}
	}
	for _, in := range initiativesFx {
		for _, n := range in.nbs {
			if !has(n) || in.hidden {
				continue
			}
			if in.status == initiative.Active {
				e.active++
				e.members += int64(in.owners + in.supporters)
			}
			for _, g := range in.grants {
				if g.ok && inPeriod(g.k) {
					// Split evenly over the initiative's neighbourhoods (sorted by id = by code here), remainder first.
					share := g.cents / int64(len(in.nbs))
					if int64(slices.Index(in.nbs, n)) < g.cents%int64(len(in.nbs)) {
						share++
					}
					e.cents += share
				}
			}
		}
	}
	return e
}

// shown is a true person count as the overview publishes it: 0, "< 5" for
// 1–4, else rounded to the nearest multiple of 5 (written out here rather
// than calling the package, so the test states the rule independently).
func shown(n int64) string {
	switch {
	case n == 0:
		return "0"
	case n < 5:
		return "< 5"
	}
	return strconv.FormatInt((n+2)/5*5, 10)
}

// trueSum adds the true values of the neighbourhoods: totals are published
// from this, never from the published cells.
func trueSum(codes []string, get func(expectRow) int64) int64 {
	var sum int64
	for _, c := range codes {
		sum += get(expectFor(c))
	}
	return sum
}

func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

var (
	rowRe  = `(?s)<tr[^>]*data-code="%s"[^>]*>(.*?)</tr>`
	cellRe = regexp.MustCompile(`(?s)data-col="([a-z]+)"[^>]*>(.*?)</td>`)
	tagRe  = regexp.MustCompile(`<[^>]*>`)
	spRe   = regexp.MustCompile(`\s+`)
)

func text(html string) string {
	s := tagRe.ReplaceAllString(html, " ")
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#39;", "'", "&#34;", `"`).Replace(s)
	return strings.TrimSpace(spRe.ReplaceAllString(s, " "))
}

// cells returns the data-col cells of the row with data-code code.
func cells(t *testing.T, body, code string) map[string]string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(rowRe, code)).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no row %s in the page", code)
	}
	out := map[string]string{}
	for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
		out[c[1]] = text(c[2])
	}
	return out
}

func euro(cents int64) string {
	s := strconv.FormatInt((cents+50)/100, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return "€ " + b.String()
}

func mixWords(m [3]int64) string {
	t := m[0] + m[1] + m[2]
	if t == 0 {
		return "geen contacten of activiteiten"
	}
	// Largest remainder, as documented.
	var p [3]int64
	var rem [3]int64
	sum := int64(0)
	for i := range m {
		p[i], rem[i] = m[i]*100/t, m[i]*100%t
		sum += p[i]
	}
	for sum < 100 {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		p[best]++
		rem[best] = -1
		sum++
	}
	return fmt.Sprintf("Verbinden %d%%, Overbruggen %d%%, Koppelen %d%%", p[0], p[1], p[2])
}

// basisWords is what the mix rests on: "(op basis van 1 straatcontact en 2 activiteiten)".
func basisWords(contacts, activities int64) string {
	var parts []string
	for _, x := range []struct {
		n         int64
		one, many string
	}{{contacts, "straatcontact", "straatcontacten"}, {activities, "activiteit", "activiteiten"}} {
		switch {
		case x.n == 1:
			parts = append(parts, "1 "+x.one)
		case x.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", x.n, x.many))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(op basis van " + strings.Join(parts, " en ") + ")"
}

func hoursText(h float64) string {
	if h < 48 {
		return strings.Replace(strconv.FormatFloat(h, 'f', 1, 64), ".", ",", 1) + " uur"
	}
	return strings.Replace(strconv.FormatFloat(h/24, 'f', 1, 64), ".", ",", 1) + " dagen"
}

func checkRow(t *testing.T, where string, got map[string]string, codes []string, total bool) {
	t.Helper()
	e := expectFor(codes...)
	person := func(get func(expectRow) int64) string {
		if total {
			return shown(trueSum(codes, get))
		}
		return shown(get(e))
	}
	want := map[string]string{
		"initiatieven":         strconv.FormatInt(e.active, 10),
		"deelnemers":           person(func(r expectRow) int64 { return r.members }),
		"contacten":            strconv.FormatInt(e.contacts, 10),
		"personen":             person(func(r expectRow) int64 { return r.people }),
		"activiteiten":         strconv.FormatInt(e.activities, 10),
		"activiteitdeelnemers": person(func(r expectRow) int64 { return r.participants }),
		"koppelen":             strings.TrimSpace(mixWords(e.mix) + " " + basisWords(e.contacts, e.activities)),
		"signalen":             strconv.FormatInt(e.open, 10),
		"budget":               euro(e.cents),
		"reactietijd":          "–",
	}
	if m, ok := median(e.responses); ok {
		want["reactietijd"] = hoursText(m)
	}
	if e.unanswered > 0 {
		want["reactietijd"] += fmt.Sprintf(" %d van %d nog zonder reactie", e.unanswered, e.raised)
	}
	for col, w := range want {
		// The response time goes on with how long the oldest has waited,
		// which depends on the clock (see TestResponseTimeShowsUnanswered).
		waitGoesOn := col == "reactietijd" && e.unanswered > 0 && strings.HasPrefix(got[col], w+"; ")
		if got[col] != w && !waitGoesOn {
			t.Errorf("%s, column %s: got %q, want %q", where, col, got[col], w)
		}
	}
}

func TestOverviewNumbersAndTotals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.s.Login(t, f.officer)
	res := c.Get("/overzicht?" + f.q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("overview: %d\n%s", res.StatusCode, res.Body)
	}
	for _, code := range []string{nbA, nbB, nbC} {
		checkRow(t, code, cells(t, res.Body, code), []string{code}, false)
	}
	checkRow(t, "district West", cells(t, res.Body, "WK034401"), []string{nbA, nbB}, true)
	checkRow(t, "district Noordwest", cells(t, res.Body, "WK034402"), []string{nbC}, true)
	checkRow(t, "municipality", cells(t, res.Body, "GM0344"), []string{nbA, nbB, nbC}, true)
	if strings.Contains(res.Body, nbM) {
		t.Error("a neighbourhood of another municipality is on Utrecht's overview")
	}
	// Small cells: Oog in Al's contacts had 3 people (hidden); West's total
	// is the true 3 + 12 = 15, published as 15.
	if got := cells(t, res.Body, nbA)["personen"]; got != "< 5" {
		t.Errorf("3 people in contacts shown as %q", got)
	}
	if got := cells(t, res.Body, "WK034401")["personen"]; got != "15" {
		t.Errorf("district total of people in contacts %q, want 15 (from the true numbers)", got)
	}
	// Event counts add up over the rows exactly (person counts need not:
	// their totals are rounded from the true numbers).
	for _, col := range []string{"contacten", "activiteiten", "initiatieven", "signalen"} {
		var sumRows, sumDistricts int64
		for _, code := range []string{nbA, nbB, nbC} {
			v, _ := strconv.ParseInt(cells(t, res.Body, code)[col], 10, 64) // "< 5" parses as 0
			sumRows += v
		}
		for _, code := range []string{"WK034401", "WK034402"} {
			v, _ := strconv.ParseInt(cells(t, res.Body, code)[col], 10, 64)
			sumDistricts += v
		}
		total, _ := strconv.ParseInt(cells(t, res.Body, "GM0344")[col], 10, 64)
		if sumRows != total || sumDistricts != total {
			t.Errorf("column %s: rows add up to %d, districts to %d, total says %d", col, sumRows, sumDistricts, total)
		}
	}
	// Top themes.
	if got := cells(t, res.Body, nbA)["themas"]; got != "Wonen, Ontmoeting" {
		t.Errorf("top themes of Oog in Al: %q", got)
	}
	if strings.Contains(res.Body, secretNote) {
		t.Error("a private note is on the overview")
	}
	// Outside the period: the contact of 50 people two Octobers ago does not count.
	res = c.Get(fmt.Sprintf("/overzicht?jaar=%d&deel=k4", lastYear()))
	if got := cells(t, res.Body, nbB)["contacten"]; got != "2" {
		t.Errorf("Lombok, last year's 4th quarter: %q contacts, want 2", got)
	}
	res = c.Get(fmt.Sprintf("/overzicht?jaar=%d&deel=k4", lastYear()-1))
	if got := cells(t, res.Body, nbA); got["contacten"] != "1" || got["personen"] != "50" || got["activiteitdeelnemers"] != "100" {
		t.Errorf("Oog in Al, the 4th quarter of the year before: %v", got)
	}
	res = c.Get("/overzicht?periode=eigen&van=2025-13&tot=x")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-testid="period-error"`) {
		t.Errorf("bad custom period: %d, no message", res.StatusCode)
	}
}

func TestOverviewSortMapAndDistrictFilter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.s.Login(t, f.officer)
	res := c.Get("/overzicht?sorteer=contacten&richting=af&" + f.q)
	row := func(code string) int {
		return strings.Index(res.Body, `<tr data-code="`+code)
	}
	iB, iA, iC := row(nbB), row(nbA), row(nbC)
	if iB >= iA || iA >= iC {
		t.Errorf("sorted by contacts descending: positions B %d, A %d, C %d", iB, iA, iC)
	}
	if !strings.Contains(res.Body, `aria-sort="descending"`) {
		t.Error("no aria-sort=descending on the sorted column")
	}
	res = c.Get("/overzicht?kaart=signalen&" + f.q)
	if !strings.Contains(res.Body, `data-metric="signalen"`) || !strings.Contains(res.Body, `href="/overzicht/buurten/`+nbA) {
		t.Errorf("map coloured by open signals with links: not found")
	}
	res = c.Get("/overzicht?wijk=WK034402&" + f.q)
	if strings.Contains(res.Body, `data-code="`+nbA+`"`) || !strings.Contains(res.Body, `data-code="`+nbC+`"`) {
		t.Error("district filter does not filter")
	}
	checkRow(t, "municipality total in district Noordwest", cells(t, res.Body, "GM0344"), []string{nbC}, true)
}

func TestOverviewScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	anon := f.s.Client(t)
	if res := anon.Get("/overzicht"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous: %d %s", res.StatusCode, res.Location())
	}
	if res := anon.Get("/api/v1/municipalities/GM0344/overview"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Errorf("anonymous API: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cases := []struct {
		who, path string
		want      int
	}{
		{f.resident, "/overzicht", 403},
		{f.resident, "/overzicht/buurten/" + nbA, 403},
		{f.resident, "/api/v1/municipalities/GM0344/overview", 403},
		{f.other, "/overzicht?gemeente=GM0344", 403},
		{f.other, "/overzicht/buurten/" + nbA, 403},
		{f.other, "/overzicht/buurten/" + nbA + "/export.csv", 403},
		{f.other, "/overzicht/export.csv?gemeente=GM0344", 403},
		{f.other, "/overzicht/vergelijk?buurt=" + nbA + "&buurt=" + nbB, 403},
		{f.other, "/api/v1/municipalities/GM0344/overview", 403},
		{f.other, "/overzicht", 200},
		{f.other, "/overzicht/buurten/" + nbM, 200},
		{f.officer, "/overzicht/buurten/" + nbM, 403},
		{f.officer, "/overzicht/buurten/BU99999999", 404},
		{f.worker, "/overzicht", 200},
		{f.worker, "/overzicht/buurten/" + nbC, 200}, // the whole municipality of the work area
		{f.worker, "/overzicht?gemeente=GM0737", 403},
		{f.admin, "/overzicht", 200},
		{f.admin, "/overzicht?gemeente=GM0737", 200},
		{f.admin, "/api/v1/municipalities/GM0737/overview", 200},
	}
	clients := map[string]*testkit.Client{}
	for _, tc := range cases {
		c, ok := clients[tc.who]
		if !ok {
			c = f.s.Login(t, tc.who)
			clients[tc.who] = c
		}
		res := c.Get(tc.path)
		if res.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.who, tc.path, res.StatusCode, tc.want)
		}
		if tc.want == 403 && (strings.Contains(res.Body, "Oog in Al") || strings.Contains(res.Body, "Mûnein")) {
			t.Errorf("%s %s: 403 page shows data", tc.who, tc.path)
		}
	}
	// The Frisian officer sees Mûnein, with its û intact.
	res := clients[f.other].Get("/overzicht")
	if !strings.Contains(res.Body, "Mûnein") || strings.Contains(res.Body, "Oog in Al") {
		t.Error("officer of Tytsjerksteradiel: wrong neighbourhoods")
	}
}

func TestDrillDown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.s.Login(t, f.officer)
	res := c.Get("/overzicht/buurten/" + nbA + "?" + f.q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("drill-down: %d\n%s", res.StatusCode, res.Body)
	}
	body := res.Body
	// Month by month, against the fixtures.
	for k := 0; k < 12; k++ {
		month := f.months[k].Format("2006-01")
		m := regexp.MustCompile(`(?s)<tr[^>]*data-month="` + month + `"[^>]*>(.*?)</tr>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no row for month %s", month)
		}
		got := map[string]string{}
		for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
			got[c[1]] = text(c[2])
		}
		var contacts, people, acts, parts, signals, started int64
		for _, c := range contactsFx {
			if c.nb == nbA && c.k == k {
				contacts++
				people += int64(c.people)
			}
		}
		for _, a := range activitiesFx {
			if a.nb == nbA && a.k == k {
				acts++
				parts += int64(a.participants)
			}
		}
		for _, s := range signalsFx {
			if s.nb == nbA && s.k == k {
				signals++
			}
		}
		for i, in := range initiativesFx {
			if slices.Contains(in.nbs, nbA) && !in.hidden && i%3 == k {
				started++
			}
		}
		want := map[string]string{"contacten": strconv.FormatInt(contacts, 10), "personen": shown(people),
			"activiteiten": strconv.FormatInt(acts, 10), "activiteitdeelnemers": shown(parts),
			"signalen": strconv.FormatInt(signals, 10), "initiatieven": strconv.FormatInt(started, 10)}
		for col, w := range want {
			if got[col] != w {
				t.Errorf("month %s, %s: got %q, want %q", month, col, got[col], w)
			}
		}
	}
	// Themes (energy vs concern).
	m := regexp.MustCompile(`(?s)<tr[^>]*data-theme="wonen"[^>]*>(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no theme row for wonen")
	}
	got := map[string]string{}
	for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
		got[c[1]] = text(c[2])
	}
	if got["contacten"] != "2" || got["energie"] != "1" || got["zorgen"] != "1" {
		t.Errorf("theme wonen: %v, want 2 contacts, 1 with energy, 1 with concern", got)
	}
	// Stories newest first, never notes.
	iContact := strings.Index(body, "Op het bankje")
	iActivity := strings.Index(body, "Het buurtfeest bracht")
	if iContact < 0 || iActivity < 0 {
		t.Error("shared stories missing")
	}
	if strings.Contains(body, secretNote) {
		t.Error("a private note is on the drill-down")
	}
	for _, want := range []string{"Moestuin", "Repair café", "€ 1.000", "€ 300", "Toegekend", "Signaal wonen", "reactie van gemeente",
		`data-testid="grafiek-contacten"`, `role="img"`} {
		if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "é", "&eacute;")) {
			t.Errorf("drill-down lacks %q", want)
		}
	}
	if strings.Contains(body, ">Verborgen</a>") {
		t.Error("a hidden initiative is listed")
	}
	// CSV of the drill-down figures.
	res = c.Get("/overzicht/buurten/" + nbA + "/export.csv?" + f.q)
	recs := parseCSV(t, res)
	if len(recs) != 13 || recs[0][0] != "Maand" || len(recs[1]) != len(recs[0]) {
		t.Fatalf("drill-down CSV: %d records, header %v", len(recs), recs[0])
	}
}

func parseCSV(t *testing.T, res testkit.Response) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("CSV: status %d", res.StatusCode)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV headers: %v", res.Header)
	}
	body, ok := strings.CutPrefix(res.Body, "\uFEFF")
	if !ok {
		t.Error("CSV has no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return recs
}

func TestExports(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.s.Login(t, f.officer)
	recs := parseCSV(t, c.Get("/overzicht/export.csv?"+f.q))
	header := recs[0]
	if header[0] != "Niveau" || !slices.Contains(header, "Personen in gesprekken") || !slices.Contains(header, "Toegekend buurtbudget (euro)") {
		t.Errorf("CSV header: %v", header)
	}
	// 3 neighbourhoods, 2 districts, 1 municipality.
	if len(recs) != 7 {
		t.Fatalf("CSV has %d records, want 7", len(recs))
	}
	col := func(rec []string, name string) string { return rec[slices.Index(header, name)] }
	for _, rec := range recs[1:] {
		if len(rec) != len(header) {
			t.Errorf("record %v has %d fields", rec, len(rec))
		}
		if col(rec, "Code") == nbA {
			if col(rec, "Personen in gesprekken") != "" || !strings.Contains(col(rec, "Verborgen (< 5)"), "Personen in gesprekken") ||
				col(rec, "Straatcontacten") != "2" || col(rec, "Toegekend buurtbudget (euro)") != "1150,01" {
				t.Errorf("Oog in Al in CSV: %v", rec)
			}
		}
	}
	if col(recs[6], "Niveau") != "gemeente" || col(recs[6], "Personen in gesprekken") != shown(trueSum([]string{nbA, nbB, nbC}, func(r expectRow) int64 { return r.people })) {
		t.Errorf("municipality total in CSV: %v", recs[6])
	}
	// Dutch characters intact: the Frisian officer's export.
	recs = parseCSV(t, f.s.Login(t, f.other).Get("/overzicht/export.csv?"+f.q))
	if col(recs[1], "Naam") != "Mûnein" || col(recs[1], "Wijk") != "Wijk 02 Mûnein" {
		t.Errorf("Mûnein not intact: %v", recs[1])
	}

	// JSON.
	res := c.Get(fmt.Sprintf("/api/v1/municipalities/GM0344/overview?from=%d-01-01&to=%d-12-31", lastYear(), lastYear()))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("JSON: %d %s", res.StatusCode, res.Body)
	}
	var out struct {
		Municipality   struct{ Code string }
		Neighbourhoods []struct {
			Code           string
			StreetContacts int64    `json:"street_contacts"`
			PeopleReached  *int64   `json:"people_reached"`
			Suppressed     []string `json:"suppressed"`
		}
		Districts []json.RawMessage
		Total     struct {
			PeopleReached *int64 `json:"people_reached"`
			Contacts      int64  `json:"street_contacts"`
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Municipality.Code != "GM0344" || len(out.Neighbourhoods) != 3 || len(out.Districts) != 2 {
		t.Fatalf("JSON: %s", res.Body)
	}
	for _, n := range out.Neighbourhoods {
		e := expectFor(n.Code)
		if n.StreetContacts != e.contacts {
			t.Errorf("JSON %s: %d contacts, want %d", n.Code, n.StreetContacts, e.contacts)
		}
		if hidden := e.people > 0 && e.people < 5; hidden != (n.PeopleReached == nil) || hidden != slices.Contains(n.Suppressed, "people_reached") {
			t.Errorf("JSON %s: people %v, suppressed %v (raw %d)", n.Code, n.PeopleReached, n.Suppressed, e.people)
		}
	}
	if out.Total.Contacts != expectFor(nbA, nbB, nbC).contacts || out.Total.PeopleReached == nil ||
		strconv.FormatInt(*out.Total.PeopleReached, 10) != shown(trueSum([]string{nbA, nbB, nbC}, func(r expectRow) int64 { return r.people })) {
		t.Errorf("JSON total: %+v", out.Total)
	}
	for _, q := range []string{"from=2025-13-01&to=2025-12-31", "from=2025-06-01&to=2025-01-01", "from=gisteren&to=vandaag", "from=2025-01-01",
		"from=2025-01-01&to=2025-09-30", "from=2025-01-15&to=2025-01-31", "from=2025-02-01&to=2025-04-30", "from=2025-01-01&to=2026-12-31"} {
		res := c.Get("/api/v1/municipalities/GM0344/overview?" + q)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `"error"`) {
			t.Errorf("JSON %s: %d %s", q, res.StatusCode, res.Body)
		}
	}
}

func TestAPIWithToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	w, err := account.NewStore(f.s.DB).ByEmail(ctx, f.worker)
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := apitoken.NewStore(f.s.DB).Create(ctx, w.ID, "rapportage", apitoken.DefaultLifetime)
	if err != nil {
		t.Fatal(err)
	}
	c := f.s.Client(t)
	for _, tc := range []struct {
		path, token string
		want        int
	}{
		{"/api/v1/municipalities/GM0344/overview", secret, 200},
		{"/api/v1/municipalities/GM0737/overview", secret, 403},
		{"/api/v1/municipalities/GM0344/overview", "bk_ongeldig", 401},
	} {
		req, _ := http.NewRequest(http.MethodGet, f.s.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		res := c.Do(req)
		if res.StatusCode != tc.want || !strings.Contains(res.Header.Get("Content-Type"), "json") {
			t.Errorf("%s with token %.6s: %d (%s), want %d", tc.path, tc.token, res.StatusCode, res.Header.Get("Content-Type"), tc.want)
		}
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.s.Login(t, f.officer)
	res := c.Get("/overzicht/vergelijk?buurt=" + nbB + "&buurt=" + nbA)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="compare-table"`) {
		t.Fatalf("compare: %d", res.StatusCode)
	}
	if strings.Index(res.Body, "Lombok") > strings.Index(res.Body, "Oog in Al") {
		t.Error("compare does not keep the chosen order")
	}
	if res := c.Get("/overzicht/vergelijk?buurt=" + nbA); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("one neighbourhood: %d, want 422", res.StatusCode)
	}
	admin := f.s.Login(t, f.admin)
	if res := admin.Get("/overzicht/vergelijk?buurt=" + nbA + "&buurt=" + nbM); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("two municipalities: %d, want 422", res.StatusCode)
	}
	if res := c.Get("/overzicht/vergelijk?buurt=%3Cscript%3E&buurt=" + nbA); res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "<script>") {
		t.Errorf("bad code: %d", res.StatusCode)
	}
}

func TestOverviewBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.s.Login(t, f.officer)
	admin := f.s.Login(t, f.admin)
	cases := []struct {
		c      *testkit.Client
		path   string
		status int
	}{
		{admin, "/overzicht?gemeente=GM9999", 404},
		{admin, "/overzicht?gemeente=%3Cscript%3Ealert(1)%3C/script%3E", 404},
		{c, "/overzicht?wijk=%3Cscript%3Ealert(1)%3C/script%3E&sorteer=%3Cscript%3E&richting=x&kaart=%3Cscript%3E", 200},
		{c, "/overzicht?periode=eigen&van=%00&tot=2025-01", 422},
		{c, "/overzicht?periode=eigen&van=2001-01&tot=2025-01", 422},
		{c, "/overzicht?periode=%3Cscript%3E", 422},
		{c, "/overzicht?jaar=%3Cscript%3Ealert(1)%3C/script%3E&deel=%3Cscript%3E", 422},
		{c, "/overzicht?jaar=2001", 422}, // older than the picker offers
		{c, "/overzicht/buurten/%3Cscript%3E", 404},
		{c, "/overzicht/buurten/" + nbA + "?periode=eigen&van=2025-05&tot=2025-01", 422},
		{c, "/overzicht/export.csv?deel=k5", 422},
		{c, "/overzicht/buurten/" + nbA + "/export.csv?periode=3", 422},
		{c, "/overzicht/vergelijk?buurt=" + nbA + "&buurt=" + nbB + "&jaar=1999", 422},
		{c, "/api/v1/municipalities/%3Cscript%3E/overview", 404},
		{c, "/api/v1/municipalities/GM0344/overview?from=2001-01-01&to=2025-01-01", 422},
	}
	for _, tc := range cases {
		res := tc.c.Get(tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if strings.Contains(res.Body, "<script>alert") || strings.Contains(res.Body, "\x00") {
			t.Errorf("%s: input echoed unescaped", tc.path)
		}
	}
	res := c.Get("/overzicht/buurten/" + nbA + "?periode=eigen&van=2025-05&tot=2025-01")
	if !strings.Contains(res.Body, `data-testid="period-error"`) {
		t.Error("a period ending before it starts: no message")
	}
}

// The filters, map and table are rendered once and reused for every viewer
// of the same query: the page chrome must still be the viewer's own, and a
// warm cache must not let a viewer outside the scope in.
func TestOverviewRenderedPartSharedSafely(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	officer := f.s.Login(t, f.officer)
	admin := f.s.Login(t, f.admin)
	other := f.s.Login(t, f.other)
	const path = "/overzicht?gemeente=GM0344&sorteer=contacten&richting=af"
	first := officer.Get(path)
	if first.StatusCode != http.StatusOK || !strings.Contains(first.Body, "Oog in Al") {
		t.Fatalf("officer: %d", first.StatusCode)
	}
	if res := other.Get(path); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "Oog in Al") {
		t.Errorf("officer of another municipality after a warm cache: %d", res.StatusCode)
	}
	second := admin.Get(path)
	if second.StatusCode != http.StatusOK {
		t.Fatalf("admin: %d", second.StatusCode)
	}
	if !strings.Contains(first.Body, "Ingelogd als </span>gemeente") || strings.Contains(first.Body, "Ingelogd als </span>beheer") {
		t.Error("officer's page does not name the officer")
	}
	if !strings.Contains(second.Body, "Ingelogd als </span>beheer") || strings.Contains(second.Body, "Ingelogd als </span>gemeente") {
		t.Error("administrator's page names someone else")
	}
	// Only the administrator may pick another municipality.
	if strings.Contains(first.Body, "Andere gemeente") || !strings.Contains(second.Body, "Andere gemeente") {
		t.Error("municipality choice shown to the wrong viewer")
	}
	table := func(body string) string {
		i, j := strings.Index(body, `data-testid="overview-table"`), strings.Index(body, `data-testid="municipality-total"`)
		if i < 0 || j < i {
			t.Fatal("no overview table")
		}
		return body[i:j]
	}
	if table(first.Body) != table(second.Body) {
		t.Error("the same query shows different tables")
	}
	if !strings.Contains(second.Body, `aria-sort="descending"`) {
		t.Error("sort order lost")
	}
}
