package neighbourhood_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// cbs holds the contents of the four CBS files, so tests can break them.
type cbs struct{ gemeenten, wijken, buurten, geojson string }

func realCBS(t testing.TB) cbs {
	t.Helper()
	read := func(name string) string {
		b, err := fs.ReadFile(neighbourhood.EmbeddedFS(), "cbsdata/"+name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return cbs{
		gemeenten: read("gemeenten_2025.csv"),
		wijken:    read("wijken_2025_sample.csv"),
		buurten:   read("buurten_2025_sample.csv"),
		geojson:   read("buurten_2025_sample.geojson"),
	}
}

func (c cbs) files() neighbourhood.Files {
	src := func(name, content string) neighbourhood.Source {
		if content == "" {
			return neighbourhood.Source{}
		}
		return neighbourhood.Source{Name: name, Reader: strings.NewReader(content)}
	}
	return neighbourhood.Files{
		Municipalities: src("gemeenten.csv", c.gemeenten),
		Districts:      src("wijken.csv", c.wijken),
		Neighbourhoods: src("buurten.csv", c.buurten),
		Boundaries:     src("buurten.geojson", c.geojson),
	}
}

// snapshot fingerprints the geography tables, including updated_at, so a
// test can tell that nothing at all was written.
func snapshot(t testing.TB, db *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := db.QueryRow(context.Background(), `
		SELECT (SELECT count(*) FROM municipalities) || '/' || (SELECT count(*) FROM districts) || '/' ||
		       (SELECT count(*) FROM neighbourhoods) || '/' ||
		       (SELECT count(*) FROM neighbourhoods WHERE boundary IS NOT NULL) || ' ' ||
		       md5((SELECT coalesce(string_agg(m::text, '|' ORDER BY code), '') FROM municipalities m) ||
		           (SELECT coalesce(string_agg(d::text, '|' ORDER BY code), '') FROM districts d) ||
		           (SELECT coalesce(string_agg(n::text, '|' ORDER BY code), '') FROM neighbourhoods n))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportRealFiles(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()

	start := time.Now()
	sum, err := neighbourhood.Import(ctx, db, neighbourhood.EmbeddedFiles())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("import of the real CBS files took %s", time.Since(start))
	want := neighbourhood.Summary{
		Municipalities: neighbourhood.Counts{Inserted: 342},
		Districts:      neighbourhood.Counts{Inserted: 46},
		Neighbourhoods: neighbourhood.Counts{Inserted: 196},
		Boundaries:     neighbourhood.Counts{Inserted: 196},
		Figures:        neighbourhood.Counts{Inserted: 194},
	}
	if sum != want {
		t.Fatalf("summary = %+v, want %+v", sum, want)
	}
	if got := snapshot(t, db); !strings.HasPrefix(got, "342/46/196/196 ") {
		t.Fatalf("counts = %s, want 342/46/196/196", got)
	}

	// Spot checks: nesting, Unicode names, numbers and a boundary.
	var wk, gm, name string
	var area float64
	var lat float64
	var geomType string
	err = db.QueryRow(ctx, `
		SELECT d.code, m.code, n.name, n.area_km2, n.centroid_lat, n.boundary->>'type'
		FROM neighbourhoods n JOIN districts d ON d.id = n.district_id JOIN municipalities m ON m.id = n.municipality_id
		WHERE n.name = 'Mûnein'`).Scan(&wk, &gm, &name, &area, &lat, &geomType)
	if err != nil {
		t.Fatal(err)
	}
	if gm != "GM0737" || !strings.HasPrefix(wk, "WK0737") || area <= 0 || lat < 53 || (geomType != "Polygon" && geomType != "MultiPolygon") {
		t.Errorf("Mûnein: wk %s gm %s area %v lat %v type %s", wk, gm, area, lat, geomType)
	}
	var pops int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM neighbourhoods WHERE population IS NOT NULL AND figures_year = 2024`).Scan(&pops); err != nil || pops != 194 {
		t.Errorf("population: %d rows set from the kerncijfers, want 194, err %v", pops, err)
	}

	// A second import changes and inserts nothing, not even updated_at.
	before := snapshot(t, db)
	start = time.Now()
	sum, err = neighbourhood.Import(ctx, db, neighbourhood.EmbeddedFiles())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("re-import took %s", time.Since(start))
	want = neighbourhood.Summary{
		Municipalities: neighbourhood.Counts{Unchanged: 342},
		Districts:      neighbourhood.Counts{Unchanged: 46},
		Neighbourhoods: neighbourhood.Counts{Unchanged: 196},
		Boundaries:     neighbourhood.Counts{Unchanged: 196},
		Figures:        neighbourhood.Counts{Unchanged: 194},
	}
	if sum != want {
		t.Fatalf("re-import summary = %+v, want %+v", sum, want)
	}
	if after := snapshot(t, db); after != before {
		t.Fatalf("re-import changed the database: %s → %s", before, after)
	}
}

// The copies shipped in the binary are the project's shared data files.
func TestEmbeddedFilesMatchSharedData(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared data directory not present in this checkout")
	}
	for _, name := range []string{"gemeenten_2025.csv", "wijken_2025_sample.csv", "buurten_2025_sample.csv", "buurten_2025_sample.geojson", "kerncijfers_2024_sample.csv"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := fs.ReadFile(neighbourhood.EmbeddedFS(), "cbsdata/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the shared copy", name)
		}
	}
}

func TestImportUpdatesChangedRows(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()
	c := realCBS(t)
	if _, err := neighbourhood.Import(ctx, db, c.files()); err != nil {
		t.Fatal(err)
	}
	// Rename one neighbourhood and give it a population; import only buurten.
	c2 := cbs{buurten: strings.Replace(c.buurten, "BU03440112,Oog in Al,,", "BU03440112,Oog in Al & Co,1234,", 1)}
	sum, err := neighbourhood.Import(ctx, db, c2.files())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Neighbourhoods != (neighbourhood.Counts{Updated: 1, Unchanged: 195}) || sum.Municipalities != (neighbourhood.Counts{}) {
		t.Fatalf("summary %+v", sum)
	}
	var name string
	var pop int
	var hasBoundary bool
	if err := db.QueryRow(ctx, `SELECT name, population, boundary IS NOT NULL FROM neighbourhoods WHERE code = 'BU03440112'`).Scan(&name, &pop, &hasBoundary); err != nil {
		t.Fatal(err)
	}
	if name != "Oog in Al & Co" || pop != 1234 || !hasBoundary {
		t.Errorf("got %q %d boundary %v", name, pop, hasBoundary)
	}

	// A boundary for a neighbourhood already in the database, with an empty
	// buurten file: only that boundary changes, stored without extra members.
	c3 := cbs{
		buurten: "gm_code,wk_code,wk_name,bu_code,bu_name\n",
		geojson: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440111"},"geometry":{"type":"Polygon","bbox":[1,2,3,4],"coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}}]}`,
	}
	sum, err = neighbourhood.Import(ctx, db, c3.files())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Boundaries != (neighbourhood.Counts{Updated: 1}) || sum.Neighbourhoods != (neighbourhood.Counts{}) {
		t.Fatalf("summary %+v", sum)
	}
	var geom string
	if err := db.QueryRow(ctx, `SELECT boundary::text FROM neighbourhoods WHERE code = 'BU03440111'`).Scan(&geom); err != nil {
		t.Fatal(err)
	}
	if geom != `{"type": "Polygon", "coordinates": [[[5.1, 52.1], [5.2, 52.1], [5.2, 52.2], [5.1, 52.1]]]}` {
		t.Errorf("stored geometry %s", geom)
	}
}

func TestImportRefusesBrokenFiles(t *testing.T) {
	t.Parallel()
	real := realCBS(t)
	const hdr = "gm_code,gm_name,wk_code,wk_name,bu_code,bu_name,population,centroid_lat,centroid_lon,area_km2_generalised\n"
	feature := func(code, geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"` + code + `"},"geometry":` + geom + `}]}`
	}
	square := `{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}`
	onlyBuurten := func(rows string) cbs { return cbs{gemeenten: real.gemeenten, buurten: hdr + rows} }
	withGeo := func(geo string) cbs { c := real; c.geojson = geo; return c }

	tests := []struct {
		name string
		// preload imports the real files first, so "unchanged" means more than an empty database.
		preload bool
		in      cbs
		want    []string // fragments of the error message
	}{
		{"missing column", true, cbs{buurten: strings.Replace(real.buurten, ",bu_name,", ",naam,", 1)},
			[]string{"buurten.csv, regel 1", `verplichte kolom "bu_name" ontbreekt`}},
		{"missing column in gemeenten", false, cbs{gemeenten: "gm_code,naam\nGM0344,Utrecht\n", buurten: real.buurten},
			[]string{"gemeenten.csv, regel 1", `"gm_name"`}},
		{"bad neighbourhood code", true, cbs{gemeenten: real.gemeenten, buurten: strings.Replace(real.buurten, "BU03440112", "BU0344011X", 1)},
			[]string{"buurten.csv, regel 3", `ongeldige code "BU0344011X"`}},
		{"bad municipality code", false, cbs{gemeenten: real.gemeenten + "G0344X,Nergens,0344\n", buurten: real.buurten},
			[]string{"gemeenten.csv, regel 344", `"G0344X"`}},
		{"duplicate neighbourhood code", true, onlyBuurten(
			"GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een,,,,\nGM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Twee,,,,\n"),
			[]string{"buurten.csv, regel 3", "BU03440111 komt dubbel voor (ook op regel 2)"}},
		{"duplicate municipality code", false, cbs{gemeenten: real.gemeenten + "GM0344,Utrecht,0344\n", buurten: real.buurten},
			[]string{"gemeenten.csv, regel 344", "GM0344 komt dubbel voor"}},
		{"neighbourhood not nested in its district", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440211,Fout,,,,\n"),
			[]string{"buurten.csv, regel 2", "buurt BU03440211 hoort niet bij wijk WK034401"}},
		{"district not nested in its municipality", true, onlyBuurten("GM0344,Utrecht,WK054601,Wijk,BU05460101,Fout,,,,\n"),
			[]string{"regel 2", "wijk WK054601 hoort niet bij gemeente GM0344"}},
		{"unknown municipality", false, cbs{buurten: hdr + "GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een,,,,\n"},
			[]string{"buurten.csv, regel 2", "gemeente GM0344 is onbekend"}},
		{"district name differs", true, cbs{wijken: real.wijken, buurten: strings.Replace(real.buurten, "WK034401,Wijk 01 West,BU03440112", "WK034401,West,BU03440112", 1)},
			[]string{"buurten.csv, regel 3", `wijknaam "West" wijkt af`}},
		{"negative population", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een,-5,,,\n"),
			[]string{"regel 2", `ongeldig inwonertal "-5"`}},
		{"text population", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een,veel,,,\n"),
			[]string{"regel 2", "inwonertal"}},
		{"RD coordinates as centroid", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een,,455000,136000,\n"),
			[]string{"regel 2", "niet in Nederland"}},
		{"negative area", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een,,,,-1\n"),
			[]string{"regel 2", "oppervlakte"}},
		{"empty name", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111, ,,,,\n"),
			[]string{"regel 2", "buurtnaam ontbreekt"}},
		{"wrong number of fields", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,Een\n"),
			[]string{"regel 2", "aantal kolommen"}},
		{"invalid UTF-8", true, onlyBuurten("GM0344,Utrecht,WK034401,Wijk 01 West,BU03440111,M\xfbnein,,,,\n"),
			[]string{"regel 2", "UTF-8"}},
		{"empty buurten file", false, cbs{buurten: "\n"}, []string{"buurten.csv", "leeg"}},
		{"GeoJSON that is not JSON", true, withGeo("{\"type\": \"FeatureCollection\",\n \"features\": [\n oops"),
			[]string{"buurten.geojson, regel 3", "geen geldige GeoJSON"}},
		{"GeoJSON that is not a FeatureCollection", true, withGeo(`{"type":"Feature"}`),
			[]string{"buurten.geojson", "FeatureCollection"}},
		{"GeoJSON in RD New", true, withGeo(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[]}`),
			[]string{"buurten.geojson", "niet WGS84"}},
		{"wrong geometry type", true, withGeo(feature("BU03440111", `{"type":"Point","coordinates":[5.1,52.1]}`)),
			[]string{"buurten.geojson, feature 1", `geometrietype "Point" wordt niet ondersteund`}},
		{"unclosed ring", true, withGeo(feature("BU03440111", `{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.2]]]}`)),
			[]string{"feature 1", "BU03440111", "ring 1 is niet gesloten"}},
		{"ring too short", true, withGeo(feature("BU03440111", `{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.1,52.1]]]}`)),
			[]string{"feature 1", "minder dan 4 punten"}},
		{"polygon coordinates of a MultiPolygon", true, withGeo(feature("BU03440111", `{"type":"MultiPolygon","coordinates":[[5.1,52.1]]}`)),
			[]string{"feature 1", "MultiPolygon"}},
		{"swapped axes", true, withGeo(feature("BU03440111", `{"type":"Polygon","coordinates":[[[52.1,5.1],[52.1,5.2],[52.2,5.2],[52.1,5.1]]]}`)),
			[]string{"feature 1", "niet in Nederland"}},
		{"missing geometry", true, withGeo(feature("BU03440111", `null`)),
			[]string{"feature 1", "geen geometrie"}},
		{"unknown bu_code", true, withGeo(feature("BU99999999", square)),
			[]string{"buurten.geojson, feature 1", "buurt BU99999999 is onbekend"}},
		{"missing bu_code", true, withGeo(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + square + `}]}`),
			[]string{"feature 1", "bu_code"}},
		{"duplicate feature", true, withGeo(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440111"},"geometry":` + square + `},{"type":"Feature","properties":{"bu_code":"BU03440111"},"geometry":` + square + `}]}`),
			[]string{"feature 2", "dubbel"}},
		{"bad feature late in the real file", true, withGeo(strings.Replace(real.geojson, `"bu_code":"BU07370909"`, `"bu_code":"BU0737090"`, 1)),
			[]string{"buurten.geojson, feature", `"BU0737090"`, "feature 196"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := testkit.NewPool(t)
			ctx := context.Background()
			if tc.preload {
				if _, err := neighbourhood.Import(ctx, db, real.files()); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, db)
			_, err := neighbourhood.Import(ctx, db, tc.in.files())
			var ie *neighbourhood.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *ImportError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("refused import changed the database: %s → %s", before, after)
			}
		})
	}
}

// A refused import later in the same run (boundaries) also undoes the rows
// the earlier files would have written.
func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	c := realCBS(t)
	c.geojson = strings.Replace(c.geojson, `"bu_code":"BU03440111"`, `"bu_code":"BU99990000"`, 1)
	if _, err := neighbourhood.Import(context.Background(), db, c.files()); err == nil {
		t.Fatal("import with an unknown bu_code in the GeoJSON succeeded")
	}
	if got := snapshot(t, db); !strings.HasPrefix(got, "0/0/0/0 ") {
		t.Fatalf("database not empty after a refused import: %s", got)
	}
}

func TestImportRequiresNeighbourhoods(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	_, err := neighbourhood.Import(context.Background(), db, neighbourhood.Files{})
	var ie *neighbourhood.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
}

// Files saved by spreadsheet programs: a byte order mark, CRLF line ends,
// quoted names with commas and spaces around values.
func TestImportAcceptsSpreadsheetCSV(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	c := cbs{
		gemeenten: "\uFEFFgm_code,gm_name\r\nGM0344,Utrecht\r\n",
		buurten: "\uFEFF GM_CODE , wk_code,wk_name,bu_code,bu_name,population\r\n" +
			"GM0344,WK034401,Wijk 01 West,BU03440111,\"Welgelegen, Den Hommel\", 1200 \r\n",
	}
	sum, err := neighbourhood.Import(context.Background(), db, c.files())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Neighbourhoods.Inserted != 1 || sum.Districts.Inserted != 1 || sum.Municipalities.Inserted != 1 {
		t.Fatalf("summary %+v", sum)
	}
	var name string
	var pop int
	if err := db.QueryRow(context.Background(), `SELECT name, population FROM neighbourhoods WHERE code = 'BU03440111'`).Scan(&name, &pop); err != nil {
		t.Fatal(err)
	}
	if name != "Welgelegen, Den Hommel" || pop != 1200 {
		t.Errorf("got %q, %d", name, pop)
	}
}
