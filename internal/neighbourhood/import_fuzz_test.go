package neighbourhood

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
)

// SeedsCSV and SeedsGeoJSON are the seed inputs of FuzzParseCSV and
// FuzzParseGeoJSON, exported for the database test in package
// neighbourhood_test (TestImportRefusalLeavesDatabaseUnchanged).
var (
	SeedsCSV = [][3]string{
		{"gm_code,gm_name\nGM0344,Utrecht\n", "gm_code,wk_code,wk_name\nGM0344,WK034401,West\n",
			"gm_code,wk_code,wk_name,bu_code,bu_name,population,centroid_lat,centroid_lon,area_km2\nGM0344,WK034401,West,BU03440101,Lombok,4000,52.09,5.10,0.5\n"},
		{"", "", "\uFEFFgm_code,gm_name,wk_code,wk_name,bu_code,bu_name,area_km2_generalised\nGM0344,Utrecht,WK034401,West,BU03440102,\"Oog in Al, Noord\",0.4\n"},
		{"gm_code,gm_name\nGM0344,Utrecht\nGM0344,Utrecht\n", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101,Lombok\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK036301,West,BU03440101,Lombok\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101,Lombok\nGM0344,WK034401,Oost,BU03440102,Oog\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name,population\nGM0344,WK034401,West,BU03440101,Lombok,-1\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name,centroid_lat,centroid_lon\nGM0344,WK034401,West,BU03440101,Lombok,5.1,52.1\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name,centroid_lat\nGM0344,WK034401,West,BU03440101,Lombok,52.1\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name,area_km2\nGM0344,WK034401,West,BU03440101,Lombok,NaN\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101,Lom\"bok\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101,Lo\x00mbok\n"},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101,\xff\n"},
		{"", "", "gm_code,gm_code,wk_code,wk_name,bu_code,bu_name\n"},
		{"", "", ""},
		{"", "", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM9999,WK999901,X,BU99990101,Y\n"},
		{"gm_code,gm_name\nGM0344,Utrecht\n", "gm_code,gm_name,wk_code,wk_name\nGM0344,Utrecht-Stad,WK034401,West\n", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU03440101,Lombok\n"},
	}
	SeedsGeoJSON = []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}}]}`,
		`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:4326"}},"features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"MultiPolygon","coordinates":[[[[5.1,52.1,0],[5.2,52.1,0],[5.2,52.2,0],[5.1,52.1,0]]]]}}]}`,
		`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:28992"}},"features":[]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Polygon","coordinates":[[[120000,480000],[120001,480000],[120001,480001],[120000,480000]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.3]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Point","coordinates":[5.1,52.1]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":null}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU99990101"},"geometry":{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":1}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}},{"type":"Feature","properties":{"bu_code":"BU03440101"}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]],"extra":"\u0000"}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"bu_code":"BU03440101"},"geometry":{"type":"Polygon","coordinates":[[[1e400,52.1]]]}}]}`,
		`{"type":"Feature"}`, `{"type":`, "\n\n{\"type\": tru}", `[]`, ``,
	}
	// fuzzBuurten is the buurten file next to a fuzzed GeoJSON file.
	fuzzBuurten = "gm_code,gm_name,wk_code,wk_name,bu_code,bu_name\nGM0344,Utrecht,WK034401,West,BU03440101,Lombok\nGM0344,Utrecht,WK034401,West,BU03440102,Oog in Al\n"
)

// SeedFiles returns the import files of one fuzz input (a GeoJSON input
// comes with a fixed buurten file).
func SeedFiles(gemeenten, wijken, buurten, geojson string) Files {
	src := func(name, content string) Source {
		if content == "" {
			return Source{}
		}
		return Source{Name: name, Reader: strings.NewReader(content)}
	}
	f := Files{Municipalities: src("gemeenten.csv", gemeenten), Districts: src("wijken.csv", wijken), Neighbourhoods: src("buurten.csv", buurten)}
	if geojson != "" {
		f.Neighbourhoods = src("buurten.csv", fuzzBuurten)
		f.Boundaries = Source{Name: "buurten.geojson", Reader: strings.NewReader(geojson)}
	}
	return f
}

// checkRefusal asserts that a refused import names its file, a line within
// the file (or a feature within the collection) and a readable reason.
func checkRefusal(t *testing.T, err error, contents map[string]string) {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("refusal is not an *ImportError: %T %v", err, err)
	}
	content, ok := contents[ie.File]
	if !ok {
		t.Fatalf("refusal names file %q, not one of the inputs: %v", ie.File, ie)
	}
	if ie.Line < 0 || ie.Line > strings.Count(content, "\n")+1 {
		t.Fatalf("line %d outside %s (%d lines): %v", ie.Line, ie.File, strings.Count(content, "\n")+1, ie)
	}
	if ie.Feature < 0 || (ie.Feature > 0 && ie.Feature > strings.Count(content, "{")) {
		t.Fatalf("feature %d cannot be in %s: %v", ie.Feature, ie.File, ie)
	}
	if ie.Reason == "" || !utf8.ValidString(ie.Reason) || strings.ContainsRune(ie.Reason, 0) {
		t.Fatalf("reason %q not readable", ie.Reason)
	}
}

// checkAcceptedName asserts an accepted CBS name is storable and within the limit.
func checkAcceptedName(t *testing.T, what, name string) {
	t.Helper()
	if name == "" || utf8.RuneCountInString(name) > maxNameLen || !utf8.ValidString(name) || strings.TrimSpace(name) != name ||
		strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Fatalf("accepted %s %q", what, name)
	}
}

// FuzzParseCSV: the three CBS CSV files of the importer. It never panics; a
// refusal is an *ImportError naming the file, the line and the reason; what
// it accepts has valid, nested codes, storable names, a population of 0 or
// more, coordinates in the Netherlands and a finite area of 0 or more.
func FuzzParseCSV(f *testing.F) {
	for _, s := range SeedsCSV {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, gemeenten, wijken, buurten string) {
		if buurten == "" {
			return // Import refuses a missing buurten file before parsing
		}
		p, err := parseFiles(SeedFiles(gemeenten, wijken, buurten, ""))
		if err != nil {
			checkRefusal(t, err, map[string]string{"gemeenten.csv": gemeenten, "wijken.csv": wijken, "buurten.csv": buurten})
			return
		}
		for _, m := range p.municipalities {
			if !cbs.IsMunicipality(m.code) {
				t.Fatalf("accepted municipality code %q", m.code)
			}
			checkAcceptedName(t, "gemeentenaam", m.name)
		}
		for _, d := range p.districts {
			if !cbs.IsDistrict(d.code) || !nested(d.code, d.municipality) {
				t.Fatalf("accepted district %q of %q", d.code, d.municipality)
			}
			checkAcceptedName(t, "wijknaam", d.name)
		}
		seen := map[string]bool{}
		for _, n := range p.neighbourhoods {
			if !cbs.IsNeighbourhood(n.code) || !nested(n.code, n.district) || seen[n.code] {
				t.Fatalf("accepted neighbourhood %q of %q (twice: %v)", n.code, n.district, seen[n.code])
			}
			seen[n.code] = true
			checkAcceptedName(t, "buurtnaam", n.name)
			if n.population != nil && *n.population < 0 {
				t.Fatalf("accepted population %d", *n.population)
			}
			if (n.lat == nil) != (n.lon == nil) || n.lat != nil && !inNetherlands(*n.lon, *n.lat) {
				t.Fatalf("accepted centroid %v, %v", n.lat, n.lon)
			}
			if n.area != nil && (*n.area < 0 || math.IsNaN(*n.area) || math.IsInf(*n.area, 0)) {
				t.Fatalf("accepted area %v", *n.area)
			}
		}
	})
}

// FuzzParseGeoJSON: the boundaries file of the importer. It never panics; a
// refusal is an *ImportError naming the file and the feature (or line); an
// accepted geometry is a compact Polygon or MultiPolygon whose closed rings
// lie in the Netherlands.
func FuzzParseGeoJSON(f *testing.F) {
	for _, s := range SeedsGeoJSON {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return // an empty file is not given (Source{} means absent)
		}
		p, err := parseFiles(SeedFiles("", "", "", string(data)))
		if err != nil {
			checkRefusal(t, err, map[string]string{"buurten.csv": fuzzBuurten, "buurten.geojson": string(data)})
			return
		}
		seen := map[string]bool{}
		for _, b := range p.boundaries {
			if !cbs.IsNeighbourhood(b.code) || seen[b.code] {
				t.Fatalf("accepted boundary for %q (twice: %v)", b.code, seen[b.code])
			}
			seen[b.code] = true
			var g struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			}
			dec := json.NewDecoder(bytes.NewReader(b.geom))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&g); err != nil {
				t.Fatalf("stored geometry %s is not compact GeoJSON: %v", b.geom, err)
			}
			var polys [][][][]float64
			switch g.Type {
			case "Polygon":
				var rings [][][]float64
				if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
					t.Fatal(err)
				}
				polys = [][][][]float64{rings}
			case "MultiPolygon":
				if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
					t.Fatal(err)
				}
			default:
				t.Fatalf("accepted geometry type %q", g.Type)
			}
			for _, rings := range polys {
				for _, ring := range rings {
					if len(ring) < 4 || ring[0][0] != ring[len(ring)-1][0] || ring[0][1] != ring[len(ring)-1][1] {
						t.Fatalf("accepted open or short ring %v", ring)
					}
					for _, pos := range ring {
						if !inNetherlands(pos[0], pos[1]) {
							t.Fatalf("accepted point %v outside the Netherlands", pos)
						}
					}
				}
			}
		}
	})
}
