package neighbourhood_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// newServer starts the app on a database holding the real CBS files.
func newServer(t *testing.T) *testkit.Server {
	t.Helper()
	s := testkit.NewServer(t)
	if _, err := neighbourhood.Import(context.Background(), s.DB, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatal(err)
	}
	return s
}

var neighbourhoodLink = regexp.MustCompile(`<a href="/buurten/(BU[0-9]{8})"`)

// linkedCodes returns the neighbourhood codes linked from the page's main
// content, in order.
func linkedCodes(body string) []string {
	main := body
	if i := strings.Index(main, "<main"); i >= 0 {
		main = main[i:]
	}
	var codes []string
	for _, m := range neighbourhoodLink.FindAllStringSubmatch(main, -1) {
		codes = append(codes, m[1])
	}
	return codes
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	tests := []struct {
		q         string
		want      []string // codes that must be linked
		wantCount int      // exact number of linked neighbourhoods, -1 to skip
		text      string   // must appear in the page
	}{
		{"Oog in Al", []string{"BU03440112"}, 1, "1 buurt gevonden"},
		{"oog IN al", []string{"BU03440112"}, 1, ""},
		{"Mûnein", []string{"BU07370200", "BU07370208"}, -1, "Wijk 02 Mûnein"},
		{"munein", []string{"BU07370200", "BU07370208"}, -1, ""},
		{"MÛNEIN", []string{"BU07370200"}, -1, ""},
		{"Earnewâld", []string{}, -1, ""},
		{"BU03440112", []string{"BU03440112"}, 1, ""},
		{"bu0344011", []string{"BU03440111", "BU03440112"}, -1, ""},
		{"WK034401", []string{"BU03440111", "BU03440112"}, 11, "Wijk 01 West"},
		{"GM0546", []string{}, -1, "Gemeente Leiden"},
		{"Binnenstad", []string{}, -1, "Wijk 06 Binnenstad"},
		{"xyzzy", nil, 0, "Geen buurten gevonden"},
		{"%", nil, 0, "Geen buurten gevonden"}, // a LIKE wildcard matches literally
		{"_", nil, 0, "Geen buurten gevonden"},
		{"straat", nil, -1, ""},
		{"ee", nil, -1, ""},
		{"oo", []string{"BU03440112"}, -1, ""}, // short terms match the start of names
		{"uu", nil, 0, "Geen buurten gevonden"},
		{"wijk", nil, neighbourhood.SearchLimit, "Meer dan 50 buurten gevonden"}, // all of them, by district name
	}
	for _, tc := range tests {
		res := c.Get("/buurten?q=" + url.QueryEscape(tc.q))
		if res.StatusCode != http.StatusOK {
			t.Errorf("q=%q: status %d", tc.q, res.StatusCode)
			continue
		}
		codes := linkedCodes(res.Body)
		for _, w := range tc.want {
			if !contains(codes, w) {
				t.Errorf("q=%q: %s not in results %v", tc.q, w, codes)
			}
		}
		if tc.wantCount >= 0 && len(codes) != tc.wantCount {
			t.Errorf("q=%q: %d results, want %d", tc.q, len(codes), tc.wantCount)
		}
		if tc.text != "" && !strings.Contains(res.Body, tc.text) {
			t.Errorf("q=%q: page lacks %q", tc.q, tc.text)
		}
		if !strings.Contains(res.Body, `value="`+templ.EscapeString(tc.q)+`"`) {
			t.Errorf("q=%q: search term not kept in the field", tc.q)
		}
	}

	// Frisian names are found by their exact name and grouped under their
	// municipality and district.
	res := c.Get("/buurten?q=" + url.QueryEscape("Earnewâld"))
	codes := linkedCodes(res.Body)
	if len(codes) == 0 || !strings.Contains(res.Body, "Gemeente Tytsjerksteradiel") {
		t.Errorf("Earnewâld: %v", codes)
	}

	// A name search also offers the municipality itself.
	res = c.Get("/buurten?q=leiden")
	if !strings.Contains(res.Body, `href="/buurten?gemeente=GM0546">Alle buurten in Leiden`) {
		t.Error("search for leiden does not offer the municipality")
	}
}

func TestSearchWithinMunicipality(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	// "Binnenstad" is a district in Utrecht (06) and a name in Leiden.
	all := linkedCodes(c.Get("/buurten?q=binnenstad").Body)
	res := c.Get("/buurten?q=binnenstad&gemeente=GM0344")
	in := linkedCodes(res.Body)
	if len(in) == 0 || len(in) >= len(all) {
		t.Fatalf("within Utrecht %d results, everywhere %d", len(in), len(all))
	}
	for _, code := range in {
		if !strings.HasPrefix(code, "BU0344") {
			t.Errorf("%s outside Utrecht in a search within Utrecht", code)
		}
	}
	if !strings.Contains(res.Body, `name="gemeente" value="GM0344"`) {
		t.Error("search within a municipality does not keep the municipality")
	}
}

func TestSearchRejectsBadInput(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	for _, q := range []string{"oog\x00al", "\xff\xfe", strings.Repeat("a", 101)} {
		res := c.Get("/buurten?q=" + url.QueryEscape(q))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("q=%q: status %d, want 422", q, res.StatusCode)
		}
		if !strings.Contains(res.Body, `class="bk-error`) || !strings.Contains(res.Body, `aria-invalid="true"`) {
			t.Errorf("q=%q: no error next to the field", q)
		}
		if strings.Contains(res.Body, "\x00") {
			t.Errorf("q=%q: NUL byte echoed", q)
		}
	}
}

func TestIndexAndMunicipality(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	res := c.Get("/buurten")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	// Only municipalities with neighbourhoods: not Zwolle (districts only), not Amsterdam.
	for _, want := range []string{`href="/buurten?gemeente=GM0344">Utrecht`, `href="/buurten?gemeente=GM0546">Leiden`, `href="/buurten?gemeente=GM0737">Tytsjerksteradiel`, "(111 buurten)"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	for _, bad := range []string{"GM0193", "GM0363"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("index lists %s, which has no neighbourhoods", bad)
		}
	}

	res = c.Get("/buurten?gemeente=GM0344")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if codes := linkedCodes(res.Body); len(codes) != 111 {
		t.Errorf("Utrecht lists %d neighbourhoods, want 111", len(codes))
	}
	if n := strings.Count(res.Body, `<h2 class="utrecht-heading-2" id="WK0344`); n != 10 {
		t.Errorf("Utrecht has %d district headings, want 10", n)
	}
	if !strings.Contains(res.Body, "<h1 class=\"utrecht-heading-1\">Buurten in Utrecht</h1>") {
		t.Error("no h1 naming the municipality")
	}

	for path, want := range map[string]int{
		"/buurten?gemeente=GM9999":  http.StatusNotFound,
		"/buurten?gemeente=utrecht": http.StatusNotFound,
		"/buurten?gemeente=GM0363":  http.StatusOK, // exists, no neighbourhoods yet
	} {
		if got := c.Get(path).StatusCode; got != want {
			t.Errorf("%s: status %d, want %d", path, got, want)
		}
	}
}

func TestShow(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	res := c.Get("/buurten/BU03440112")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<h1 class="utrecht-heading-1">Oog in Al</h1>`,
		"Wijk 01 West", `href="/buurten?gemeente=GM0344">Utrecht`,
		`<dd data-testid="inhabitants">4.155 <span class="bk-muted">(op 1 januari 2024)</span></dd>`,
		`<dd data-testid="households">1.545</dd>`,
		"4.155 inwoners (1 januari 2024).", "<td class=\"utrecht-table__cell bk-num\">1.030</td>",
		"Bron: CBS, Kerncijfers wijken en buurten 2024 (StatLine 85984NED), CC BY 4.0.",
		"0,42 km²",
		`<svg`, `role="group"`, `aria-labelledby="buurtkaart-titel"`, `aria-describedby="buurtkaart-beschrijving"`,
		"Kaart van Oog in Al in Wijk 01 West",
		`bk-map__shape--highlight`, `data-code="BU03440112"`,
		"Bron: CBS, Kadaster (PDOK)",
		"Buurten in Wijk 01 West", `<strong>Oog in Al</strong> (deze buurt)`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The attribution sits next to the map, not only in the footer.
	svgEnd := strings.Index(res.Body, "</svg>")
	if attr := strings.Index(res.Body[svgEnd:], "Bron: CBS, Kadaster (PDOK)"); svgEnd < 0 || attr < 0 || attr > 200 {
		t.Error("attribution is not right after the map")
	}
	// The other 10 neighbourhoods of the district are links on the map and in the list.
	svg := res.Body[strings.Index(res.Body, "<svg"):svgEnd]
	if n := len(linkedCodes(svg)); n != 10 {
		t.Errorf("map has %d links, want 10", n)
	}
	if strings.Contains(svg, `href="/buurten/BU03440112"`) {
		t.Error("the map links the current neighbourhood to itself")
	}
	if strings.Contains(res.Body, "style=") {
		t.Error("style attribute on the page (CSP forbids it)")
	}

	// A population without kerncijfers (from a buurten file) is shown
	// with Dutch thousands separators, without a year or CBS attribution.
	if _, err := s.DB.Exec(context.Background(), `UPDATE neighbourhoods SET population = 12345, figures_year = NULL, households = NULL,
		age_0_15 = NULL, age_15_25 = NULL, age_25_45 = NULL, age_45_65 = NULL, age_65_plus = NULL WHERE code = 'BU03440112'`); err != nil {
		t.Fatal(err)
	}
	if res := c.Get("/buurten/BU03440112"); !strings.Contains(res.Body, `<dd data-testid="inhabitants">12.345</dd>`) ||
		strings.Contains(res.Body, "StatLine") || !strings.Contains(res.Body, `<dd data-testid="households">onbekend</dd>`) {
		t.Error("population not shown as 12.345 without kerncijfers")
	}

	// Without a boundary: no map, but a sentence saying so.
	if _, err := s.DB.Exec(context.Background(), `UPDATE neighbourhoods SET boundary = NULL WHERE code = 'BU03440112'`); err != nil {
		t.Fatal(err)
	}
	res = c.Get("/buurten/BU03440112")
	if strings.Contains(res.Body, "<svg") || !strings.Contains(res.Body, "geen grens bekend") {
		t.Error("neighbourhood without boundary: map shown or not explained")
	}
}

func TestShowNotFound(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	for path, want := range map[string]int{
		"/buurten/BU99999999":        http.StatusNotFound, // well-formed, unknown
		"/buurten/BU123":             http.StatusNotFound, // malformed
		"/buurten/WK034401":          http.StatusNotFound,
		"/buurten/BU034401120":       http.StatusNotFound,
		"/buurten/%3Cscript%3E":      http.StatusNotFound,
		"/buurten/bu03440112":        http.StatusMovedPermanently, // to the canonical upper-case address
		"/buurten/BU03440112/onzin":  http.StatusNotFound,
		"/buurten/BU03440112?x=%00":  http.StatusOK,
		"/buurten/BU03440112%00":     http.StatusNotFound,
		"/buurten/BU03440112%20":     http.StatusNotFound,
		"/buurten/%E2%80%AEBU034401": http.StatusNotFound,
	} {
		res := c.Get(path)
		if res.StatusCode != want {
			t.Errorf("%s: status %d, want %d", path, res.StatusCode, want)
		}
		if want == http.StatusNotFound && !strings.Contains(res.Body, "Pagina niet gevonden") {
			t.Errorf("%s: not the 404 page", path)
		}
	}
	if loc := c.Get("/buurten/bu03440112").Location(); loc != "/buurten/BU03440112" {
		t.Errorf("redirect to %q", loc)
	}
}

func TestNamesAreEscaped(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client(t)
	const evil = `<script>alert("x")</script> & 'Buurt'`
	ctx := context.Background()
	if _, err := s.DB.Exec(ctx, `UPDATE neighbourhoods SET name = $1 WHERE code IN ('BU03440112', 'BU03440111')`, evil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `UPDATE districts SET name = $1 WHERE code = 'WK034401'`, "Wijk <b>West</b>"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/buurten/BU03440112", "/buurten/BU03440113", "/buurten?q=" + url.QueryEscape("<script>"),
		"/buurten?gemeente=GM0344", "/buurten?q=" + url.QueryEscape(`"><img src=x onerror=alert(1)>`),
	} {
		res := c.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		for _, bad := range []string{"<script>alert", "<b>West</b>", "<img src=x"} {
			if strings.Contains(res.Body, bad) {
				t.Errorf("%s: unescaped %q", path, bad)
			}
		}
	}
	res := c.Get("/buurten/BU03440112")
	if !strings.Contains(res.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Buurt&#39;") {
		t.Error("escaped name not shown in the h1")
	}
	// On a sibling's page the evil name is a map link label and list item.
	res = c.Get("/buurten/BU03440113")
	if !strings.Contains(res.Body, `aria-label="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Buurt&#39;"`) {
		t.Error("map link label not escaped as expected")
	}
}

// Sections of other features are rendered in the order given, and a failing
// section fails the page instead of hiding part of it.
type fakeSection struct {
	html string
	err  error
	seen *int64
}

func (f fakeSection) NeighbourhoodSection(_ context.Context, id int64, _ *httpx.Viewer) (templ.Component, error) {
	if f.seen != nil {
		*f.seen = id
	}
	if f.err != nil {
		return nil, f.err
	}
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, f.html)
		return err
	}), nil
}

func TestSections(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	if _, err := neighbourhood.Import(context.Background(), db, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatal(err)
	}
	var seen int64
	sections := []neighbourhood.Section{
		fakeSection{html: `<section><h2>Eerste</h2></section>`, seen: &seen},
		fakeSection{html: `<section><h2>Tweede</h2></section>`},
	}
	router := func(sections ...neighbourhood.Section) chi.Router {
		r := chi.NewRouter()
		r.Get("/buurten/{code}", httpx.Handle(neighbourhood.NewHandler(neighbourhood.NewStore(db), sections...).Show))
		return r
	}
	r := router(sections...)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/buurten/BU03440112", nil))
	body := rec.Body.String()
	first, second, mapAt := strings.Index(body, "Eerste"), strings.Index(body, "Tweede"), strings.Index(body, "<svg")
	if rec.Code != http.StatusOK || first < 0 || second < first || mapAt < second {
		t.Fatalf("status %d, map at %d, sections at %d and %d", rec.Code, mapAt, first, second)
	}
	var id int64
	if err := db.QueryRow(context.Background(), `SELECT id FROM neighbourhoods WHERE code = 'BU03440112'`).Scan(&id); err != nil || seen != id {
		t.Errorf("section got neighbourhood %d, want %d", seen, id)
	}

	r = router(append(sections, fakeSection{err: errors.New("boom")})...)
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/buurten/BU03440112", nil))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("failing section: status %d", rec.Code)
	}
}

// TestShowWithCachedMaps: with the page caches on, each neighbourhood
// keeps its own drawn map (highlight and links follow the neighbourhood,
// not the district), served again without reading the boundaries, and a
// boundary that disappears takes the map away at once.
func TestShowWithCachedMaps(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, func(c *config.Config) { c.PageCacheTTL = time.Minute })
	if _, err := neighbourhood.Import(context.Background(), s.DB, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatal(err)
	}
	// An anonymous visitor (a login would make the next reads fresh), and a
	// different query string each time, so that the page cache renders the
	// page every time and only the maps come from their cache.
	c := s.Client(t)
	first := c.Get("/buurten/BU03440112?v=1")
	// A renamed neighbourhood (as a CBS import would) does not reach the
	// cached map and list of another page: proof that they come from the cache.
	if _, err := s.DB.Exec(context.Background(), `UPDATE neighbourhoods SET name = 'Hernoemde buurt' WHERE code = 'BU03440113'`); err != nil {
		t.Fatal(err)
	}
	again := c.Get("/buurten/BU03440112?v=2")
	if strings.Contains(again.Body, "Hernoemde buurt") {
		t.Error("the map and list were drawn again instead of coming from the cache")
	}
	sibling := c.Get("/buurten/BU03440113")
	mapOf := func(body string) string {
		start, end := strings.Index(body, "<svg"), strings.Index(body, "</svg>")
		if start < 0 || end < start {
			t.Fatalf("no map on the page")
		}
		return body[start:end]
	}
	if mapOf(first.Body) != mapOf(again.Body) {
		t.Error("the cached map differs from the first drawing")
	}
	if m := mapOf(sibling.Body); strings.Contains(m, `href="/buurten/BU03440113"`) || !strings.Contains(m, `href="/buurten/BU03440112"`) {
		t.Error("the sibling's map highlights the wrong neighbourhood")
	}
	if !strings.Contains(again.Body, `<strong>Oog in Al</strong> (deze buurt)`) {
		t.Error("the list under the cached map lost the current neighbourhood")
	}
	if _, err := s.DB.Exec(context.Background(), `UPDATE neighbourhoods SET boundary = NULL WHERE code = 'BU03440112'`); err != nil {
		t.Fatal(err)
	}
	if res := c.Get("/buurten/BU03440112?v=3"); strings.Contains(res.Body, "<svg") || !strings.Contains(res.Body, "geen grens bekend") {
		t.Error("a neighbourhood whose boundary was removed still shows its cached map")
	}
}
