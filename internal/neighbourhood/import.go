package neighbourhood

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/jackc/pgx/v5"
)

// Source is one input file of an import: the name used in error messages and
// its content. A zero Source means the file was not given.
type Source struct {
	Name   string
	Reader io.Reader
}

func (s Source) present() bool { return s.Reader != nil }

// Files are the inputs of Import. Neighbourhoods or Kerncijfers is
// required.
//
//   - Municipalities (gemeenten CSV): gm_code, gm_name.
//   - Districts (wijken CSV): gm_code, wk_code, wk_name [, gm_name].
//   - Neighbourhoods (buurten CSV): gm_code, wk_code, wk_name, bu_code, bu_name
//     [, gm_name, population, centroid_lat + centroid_lon, area_km2_generalised or area_km2].
//   - Boundaries (GeoJSON FeatureCollection): one Polygon or MultiPolygon in
//     WGS84 per feature, with properties.bu_code.
//   - Kerncijfers (CBS key figures, ';'-separated): buurtcode, jaar,
//     inwoners, huishoudens and the five age groups (see parseKerncijfers).
//
// A district named in the buurten file is created from its wk_code and
// wk_name; a municipality must be in the gemeenten file or already in the
// database.
type Files struct {
	Municipalities Source
	Districts      Source
	Neighbourhoods Source
	Boundaries     Source
	Kerncijfers    Source
}

// Counts says what an import did at one level.
type Counts struct {
	Inserted  int
	Updated   int
	Unchanged int
}

// Summary is the result of an import per level.
type Summary struct {
	Municipalities Counts
	Districts      Counts
	Neighbourhoods Counts
	Boundaries     Counts
	Figures        Counts
}

// ImportError is a refused import: the file, the CSV line or GeoJSON feature
// (both 1-based, 0 when the problem is about the whole file) and the reason
// in Dutch. Nothing of the import was written.
type ImportError struct {
	File    string
	Line    int
	Feature int
	Reason  string
}

func (e *ImportError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s, regel %d: %s", e.File, e.Line, e.Reason)
	case e.Feature > 0:
		return fmt.Sprintf("%s, feature %d: %s", e.File, e.Feature, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}

// Beginner is what Import needs of the database: a pool, or a transaction
// (then the import runs in a savepoint).
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Maximum length of a CBS name; real names are far shorter.
const maxNameLen = 200

// Import loads CBS files in one transaction, upserting by CBS code. It checks
// everything first (headers, code formats and nesting, duplicates, numbers,
// geometries, references) and refuses the whole import with an *ImportError
// on the first bad row, so the database is left unchanged. Importing the same
// files again changes nothing.
func Import(ctx context.Context, db Beginner, f Files) (Summary, error) {
	if !f.Neighbourhoods.present() && !f.Kerncijfers.present() {
		return Summary{}, &ImportError{File: "buurten", Reason: "het buurtenbestand (of een bestand met kerncijfers) is verplicht"}
	}
	in, err := parseFiles(f)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		// One import at a time: concurrent imports would race on the checks below.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('buurtkracht:cbs-import'))`); err != nil {
			return err
		}
		if err := in.checkReferences(ctx, tx); err != nil {
			return err
		}
		var err error
		sum, err = in.write(ctx, tx)
		return err
	})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return Summary{}, ie
		}
		return Summary{}, fmt.Errorf("neighbourhood: import: %w", err)
	}
	return sum, nil
}

type municipalityRow struct {
	code, name string
	line       int
}

type districtRow struct {
	code, municipality, name string
	file                     string
	line                     int
}

type neighbourhoodRow struct {
	code, district, municipality, name string
	population                         *int32
	lat, lon, area                     *float64
	line                               int
}

type boundaryRow struct {
	code    string
	geom    []byte
	feature int
}

// parsed holds the checked contents of all files.
type parsed struct {
	municipalities []municipalityRow
	muniByCode     map[string]municipalityRow
	districts      []districtRow
	districtByCode map[string]districtRow
	neighbourhoods []neighbourhoodRow
	buByCode       map[string]bool
	boundaries     []boundaryRow
	boundaryFile   string
	figures        []figuresRow
	figuresFile    string
	// first place each municipality code is referenced, for error messages
	muniRefs []muniRef
	// which optional columns the buurten file has
	hasPopulation, hasCentroid, hasArea bool
}

type muniRef struct {
	code, file string
	line       int
}

func parseFiles(f Files) (*parsed, error) {
	p := &parsed{muniByCode: map[string]municipalityRow{}, districtByCode: map[string]districtRow{}, buByCode: map[string]bool{}}
	if f.Municipalities.present() {
		if err := p.parseMunicipalities(f.Municipalities); err != nil {
			return nil, err
		}
	}
	if f.Districts.present() {
		if err := p.parseDistricts(f.Districts); err != nil {
			return nil, err
		}
	}
	if f.Neighbourhoods.present() {
		if err := p.parseNeighbourhoods(f.Neighbourhoods); err != nil {
			return nil, err
		}
	}
	if f.Boundaries.present() {
		if err := p.parseBoundaries(f.Boundaries); err != nil {
			return nil, err
		}
	}
	if f.Kerncijfers.present() {
		if err := p.parseKerncijfers(f.Kerncijfers); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// table is a CSV file read whole, with column positions by header name.
type table struct {
	file  string
	cols  map[string]int
	rows  [][]string
	lines []int
}

func (t *table) has(col string) bool { _, ok := t.cols[col]; return ok }

// get returns the trimmed value of col in row i ("" when the column is absent).
func (t *table) get(i int, col string) string {
	c, ok := t.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

func readTable(src Source, required []string) (*table, error) {
	return readTableSep(src, ',', required)
}

// readTableSep reads a CSV file whose fields are separated by comma.
func readTableSep(src Source, comma rune, required []string) (*table, error) {
	name := src.Name
	lineErr := func(line int, format string, a ...any) error {
		return &ImportError{File: name, Line: line, Reason: fmt.Sprintf(format, a...)}
	}
	r := csv.NewReader(src.Reader)
	r.Comma = comma
	r.ReuseRecord = false
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{File: name, Reason: "het bestand is leeg (geen kopregel)"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	t := &table{file: name, cols: map[string]int{}}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.cols[h]; dup {
			return nil, lineErr(1, "kolom %q staat twee keer in de kopregel", h)
		}
		t.cols[h] = i
	}
	for _, col := range required {
		if !t.has(col) {
			return nil, lineErr(1, "verplichte kolom %q ontbreekt (verwacht: %s)", col, strings.Join(required, ", "))
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return nil, lineErr(line, "ongeldige tekens: het bestand moet UTF-8 zijn")
			}
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			reason = "het aantal kolommen klopt niet met de kopregel"
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			reason = "aanhalingstekens staan niet goed"
		}
		return &ImportError{File: file, Line: pe.Line, Reason: reason}
	}
	return &ImportError{File: file, Reason: "kan het bestand niet lezen: " + err.Error()}
}

// checkName validates a name column.
func checkName(t *table, i int, col, what string) (string, error) {
	v := t.get(i, col)
	switch {
	case v == "":
		return "", &ImportError{File: t.file, Line: t.lines[i], Reason: what + " ontbreekt (kolom " + col + ")"}
	case utf8.RuneCountInString(v) > maxNameLen:
		return "", &ImportError{File: t.file, Line: t.lines[i], Reason: fmt.Sprintf("%s is langer dan %d tekens", what, maxNameLen)}
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", &ImportError{File: t.file, Line: t.lines[i], Reason: what + " bevat stuurtekens"}
	}
	return v, nil
}

func checkCode(t *table, i int, col string, valid func(string) bool, want string) (string, error) {
	v := t.get(i, col)
	if !valid(v) {
		return "", &ImportError{File: t.file, Line: t.lines[i], Reason: fmt.Sprintf("ongeldige code %q in kolom %s (verwacht %s)", v, col, want)}
	}
	return v, nil
}

// checkDistrictCodes reads the gm_code and wk_code of row i and checks
// that the district lies in the municipality.
func checkDistrictCodes(t *table, i int) (gm, wk string, err error) {
	if gm, err = checkCode(t, i, "gm_code", cbs.IsMunicipality, wantGM); err != nil {
		return "", "", err
	}
	if wk, err = checkCode(t, i, "wk_code", cbs.IsDistrict, wantWK); err != nil {
		return "", "", err
	}
	if !nested(wk, gm) {
		return "", "", &ImportError{File: t.file, Line: t.lines[i], Reason: fmt.Sprintf("wijk %s hoort niet bij gemeente %s (de cijfers van de wijkcode beginnen niet met die van de gemeente)", wk, gm)}
	}
	return gm, wk, nil
}

const (
	wantGM = "GM gevolgd door 4 cijfers, bijvoorbeeld GM0344"
	wantWK = "WK gevolgd door 6 cijfers, bijvoorbeeld WK034401"
	wantBU = "BU gevolgd door 8 cijfers, bijvoorbeeld BU03440111"
)

func (p *parsed) parseMunicipalities(src Source) error {
	t, err := readTable(src, []string{"gm_code", "gm_name"})
	if err != nil {
		return err
	}
	for i := range t.rows {
		code, err := checkCode(t, i, "gm_code", cbs.IsMunicipality, wantGM)
		if err != nil {
			return err
		}
		name, err := checkName(t, i, "gm_name", "gemeentenaam")
		if err != nil {
			return err
		}
		if prev, dup := p.muniByCode[code]; dup {
			return &ImportError{File: t.file, Line: t.lines[i], Reason: fmt.Sprintf("gemeentecode %s komt dubbel voor (ook op regel %d)", code, prev.line)}
		}
		row := municipalityRow{code: code, name: name, line: t.lines[i]}
		p.muniByCode[code] = row
		p.municipalities = append(p.municipalities, row)
	}
	return nil
}

// checkMunicipalityName compares an optional gm_name column with the gemeenten file.
func (p *parsed) checkMunicipalityName(t *table, i int, code string) error {
	if !t.has("gm_name") {
		return nil
	}
	if m, ok := p.muniByCode[code]; ok && t.get(i, "gm_name") != m.name {
		return &ImportError{File: t.file, Line: t.lines[i], Reason: fmt.Sprintf("gemeentenaam %q wijkt af van %q voor %s in het gemeentenbestand", t.get(i, "gm_name"), m.name, code)}
	}
	return nil
}

func (p *parsed) referMunicipality(code, file string, line int) {
	p.muniRefs = append(p.muniRefs, muniRef{code: code, file: file, line: line})
}

func (p *parsed) parseDistricts(src Source) error {
	t, err := readTable(src, []string{"gm_code", "wk_code", "wk_name"})
	if err != nil {
		return err
	}
	for i := range t.rows {
		gm, wk, err := checkDistrictCodes(t, i)
		if err != nil {
			return err
		}
		name, err := checkName(t, i, "wk_name", "wijknaam")
		if err != nil {
			return err
		}
		if err := p.checkMunicipalityName(t, i, gm); err != nil {
			return err
		}
		if prev, dup := p.districtByCode[wk]; dup {
			return &ImportError{File: t.file, Line: t.lines[i], Reason: fmt.Sprintf("wijkcode %s komt dubbel voor (ook op regel %d)", wk, prev.line)}
		}
		row := districtRow{code: wk, municipality: gm, name: name, file: t.file, line: t.lines[i]}
		p.districtByCode[wk] = row
		p.districts = append(p.districts, row)
		p.referMunicipality(gm, t.file, t.lines[i])
	}
	return nil
}

// Bounding box of the Netherlands (European part) with a margin, in WGS84.
// It also catches swapped axes and RD New (metre) coordinates.
const (
	minLon, maxLon = 3.0, 7.5
	minLat, maxLat = 50.5, 54.0
)

func inNetherlands(lon, lat float64) bool {
	return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat
}

func (p *parsed) parseNeighbourhoods(src Source) error {
	t, err := readTable(src, []string{"gm_code", "wk_code", "wk_name", "bu_code", "bu_name"})
	if err != nil {
		return err
	}
	p.hasPopulation = t.has("population")
	p.hasCentroid = t.has("centroid_lat") || t.has("centroid_lon")
	if p.hasCentroid && (!t.has("centroid_lat") || !t.has("centroid_lon")) {
		return &ImportError{File: t.file, Line: 1, Reason: "de kolommen centroid_lat en centroid_lon horen samen"}
	}
	areaCol := "area_km2_generalised"
	if !t.has(areaCol) {
		areaCol = "area_km2"
	}
	p.hasArea = t.has(areaCol)
	seen := map[string]int{}
	for i := range t.rows {
		line := t.lines[i]
		bad := func(format string, a ...any) error {
			return &ImportError{File: t.file, Line: line, Reason: fmt.Sprintf(format, a...)}
		}
		gm, wk, err := checkDistrictCodes(t, i)
		if err != nil {
			return err
		}
		bu, err := checkCode(t, i, "bu_code", cbs.IsNeighbourhood, wantBU)
		if err != nil {
			return err
		}
		if !nested(bu, wk) {
			return bad("buurt %s hoort niet bij wijk %s (de cijfers van de buurtcode beginnen niet met die van de wijk)", bu, wk)
		}
		if prev, dup := seen[bu]; dup {
			return bad("buurtcode %s komt dubbel voor (ook op regel %d)", bu, prev)
		}
		seen[bu] = line
		wkName, err := checkName(t, i, "wk_name", "wijknaam")
		if err != nil {
			return err
		}
		name, err := checkName(t, i, "bu_name", "buurtnaam")
		if err != nil {
			return err
		}
		if err := p.checkMunicipalityName(t, i, gm); err != nil {
			return err
		}
		if d, ok := p.districtByCode[wk]; ok {
			if d.name != wkName {
				return bad("wijknaam %q wijkt af van %q voor %s (%s, regel %d)", wkName, d.name, wk, d.file, d.line)
			}
		} else {
			d := districtRow{code: wk, municipality: gm, name: wkName, file: t.file, line: line}
			p.districtByCode[wk] = d
			p.districts = append(p.districts, d)
		}
		row := neighbourhoodRow{code: bu, district: wk, municipality: gm, name: name, line: line}
		if v := t.get(i, "population"); v != "" {
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil || n < 0 {
				return bad("ongeldig inwonertal %q (verwacht een geheel getal van 0 of meer, of leeg)", v)
			}
			n32 := int32(n)
			row.population = &n32
		}
		if p.hasCentroid {
			la, lo := t.get(i, "centroid_lat"), t.get(i, "centroid_lon")
			switch {
			case la == "" && lo == "":
			case la == "" || lo == "":
				return bad("centroid_lat en centroid_lon moeten allebei gevuld of allebei leeg zijn")
			default:
				lat, err1 := parseFloat(la)
				lon, err2 := parseFloat(lo)
				if err1 != nil || err2 != nil {
					return bad("ongeldige coördinaten %q, %q (verwacht decimale graden met een punt)", la, lo)
				}
				if !inNetherlands(lon, lat) {
					return bad("coördinaten %s, %s liggen niet in Nederland (verwacht WGS84: breedtegraad %.1f–%.1f, lengtegraad %.1f–%.1f)", la, lo, minLat, maxLat, minLon, maxLon)
				}
				row.lat, row.lon = &lat, &lon
			}
		}
		if v := t.get(i, areaCol); v != "" {
			a, err := parseFloat(v)
			if err != nil || a < 0 {
				return bad("ongeldige oppervlakte %q (verwacht km² als getal van 0 of meer, met een punt)", v)
			}
			row.area = &a
		}
		p.buByCode[bu] = true
		p.neighbourhoods = append(p.neighbourhoods, row)
		p.referMunicipality(gm, t.file, line)
	}
	return nil
}

func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		err = errors.New("not finite")
	}
	return f, err
}

// GeoJSON shapes as read from the file.
type featureCollection struct {
	Type     string            `json:"type"`
	CRS      *json.RawMessage  `json:"crs"`
	Features []json.RawMessage `json:"features"`
}

type feature struct {
	Type       string          `json:"type"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func (p *parsed) parseBoundaries(src Source) error {
	file := src.Name
	p.boundaryFile = file
	data, err := io.ReadAll(src.Reader)
	if err != nil {
		return &ImportError{File: file, Reason: "kan het bestand niet lezen: " + err.Error()}
	}
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		return &ImportError{File: file, Line: jsonErrorLine(data, err), Reason: "geen geldige GeoJSON: " + jsonReason(err)}
	}
	if fc.Type != "FeatureCollection" {
		return &ImportError{File: file, Reason: fmt.Sprintf("verwacht een GeoJSON FeatureCollection, niet %q", fc.Type)}
	}
	if fc.CRS != nil && !isWGS84CRS(*fc.CRS) {
		return &ImportError{File: file, Reason: "het coördinatenstelsel (crs) is niet WGS84; zet het bestand eerst om naar WGS84 (EPSG:4326)"}
	}
	seen := map[string]int{}
	for i, raw := range fc.Features {
		n := i + 1
		bad := func(format string, a ...any) error {
			return &ImportError{File: file, Feature: n, Reason: fmt.Sprintf(format, a...)}
		}
		var ft feature
		if err := json.Unmarshal(raw, &ft); err != nil || ft.Type != "Feature" {
			return bad("geen GeoJSON Feature")
		}
		code, _ := ft.Properties["bu_code"].(string)
		code = strings.TrimSpace(code)
		if !cbs.IsNeighbourhood(code) {
			return bad("ongeldige of ontbrekende properties.bu_code %q (verwacht %s)", code, wantBU)
		}
		if prev, dup := seen[code]; dup {
			return bad("%s komt dubbel voor (ook in feature %d)", code, prev)
		}
		seen[code] = n
		geom, err := normaliseGeometry(ft.Geometry)
		if err != nil {
			return bad("%s: %s", code, err.Error())
		}
		p.boundaries = append(p.boundaries, boundaryRow{code: code, geom: geom, feature: n})
	}
	return nil
}

func isWGS84CRS(raw json.RawMessage) bool {
	var c struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return false
	}
	switch strings.ToUpper(c.Properties.Name) {
	case "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "EPSG:4326", "URN:OGC:DEF:CRS:EPSG::4326":
		return true
	}
	return false
}

// geometryError is a Dutch reason why a geometry is refused.
type geometryError string

func (e geometryError) Error() string { return string(e) }

// normaliseGeometry checks a Polygon or MultiPolygon in WGS84 and returns it
// as compact GeoJSON with only type and coordinates.
func normaliseGeometry(raw json.RawMessage) ([]byte, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, geometryError("geen geometrie")
	}
	var g geometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, geometryError("geometrie is geen GeoJSON-object")
	}
	switch g.Type {
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return nil, geometryError("de coördinaten hebben niet de vorm van een Polygon")
		}
		if err := checkPolygon(rings, ""); err != nil {
			return nil, err
		}
		return json.Marshal(struct {
			Type        string        `json:"type"`
			Coordinates [][][]float64 `json:"coordinates"`
		}{g.Type, rings})
	case "MultiPolygon":
		var polys [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, geometryError("de coördinaten hebben niet de vorm van een MultiPolygon")
		}
		if len(polys) == 0 {
			return nil, geometryError("MultiPolygon zonder polygonen")
		}
		for i, rings := range polys {
			if err := checkPolygon(rings, fmt.Sprintf("polygoon %d, ", i+1)); err != nil {
				return nil, err
			}
		}
		return json.Marshal(struct {
			Type        string          `json:"type"`
			Coordinates [][][][]float64 `json:"coordinates"`
		}{g.Type, polys})
	case "":
		return nil, geometryError("geometrie zonder type")
	}
	return nil, geometryError(fmt.Sprintf("geometrietype %q wordt niet ondersteund (alleen Polygon en MultiPolygon)", g.Type))
}

func checkPolygon(rings [][][]float64, where string) error {
	if len(rings) == 0 {
		return geometryError(where + "polygoon zonder ringen")
	}
	for r, ring := range rings {
		at := fmt.Sprintf("%sring %d", where, r+1)
		if len(ring) < 4 {
			return geometryError(at + " heeft minder dan 4 punten")
		}
		for _, pos := range ring {
			if len(pos) < 2 || len(pos) > 3 {
				return geometryError(at + ": een punt heeft geen 2 coördinaten (lengtegraad, breedtegraad)")
			}
			if !inNetherlands(pos[0], pos[1]) {
				return geometryError(fmt.Sprintf("%s: punt [%g, %g] ligt niet in Nederland; verwacht WGS84 [lengtegraad, breedtegraad]", at, pos[0], pos[1]))
			}
		}
		first, last := ring[0], ring[len(ring)-1]
		if first[0] != last[0] || first[1] != last[1] {
			return geometryError(at + " is niet gesloten (het eerste en laatste punt verschillen)")
		}
	}
	return nil
}

// jsonErrorLine turns the byte offset of a JSON syntax error into a line number.
func jsonErrorLine(data []byte, err error) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var off int64
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "syntaxfout (" + se.Error() + ")"
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("veld %q heeft het verkeerde type", te.Field)
	}
	return err.Error()
}

// checkReferences verifies, inside the transaction, that every referenced
// municipality and every neighbourhood of a boundary exists in the files or
// in the database.
func (p *parsed) checkReferences(ctx context.Context, tx pgx.Tx) error {
	var missing []string
	for _, r := range p.muniRefs {
		if _, ok := p.muniByCode[r.code]; !ok {
			missing = append(missing, r.code)
		}
	}
	if len(missing) > 0 {
		known, err := existingCodes(ctx, tx, `SELECT code FROM municipalities WHERE code = ANY($1)`, missing)
		if err != nil {
			return err
		}
		for _, r := range p.muniRefs {
			if _, ok := p.muniByCode[r.code]; !ok && !known[r.code] {
				return &ImportError{File: r.file, Line: r.line, Reason: fmt.Sprintf("gemeente %s is onbekend: die staat niet in het gemeentenbestand en niet in de database", r.code)}
			}
		}
	}
	if err := p.checkFigureReferences(ctx, tx); err != nil {
		return err
	}
	missing = missing[:0]
	for _, b := range p.boundaries {
		if !p.buByCode[b.code] {
			missing = append(missing, b.code)
		}
	}
	if len(missing) > 0 {
		known, err := existingCodes(ctx, tx, `SELECT code FROM neighbourhoods WHERE code = ANY($1)`, missing)
		if err != nil {
			return err
		}
		for _, b := range p.boundaries {
			if !p.buByCode[b.code] && !known[b.code] {
				return &ImportError{File: p.boundaryFile, Feature: b.feature, Reason: fmt.Sprintf("buurt %s is onbekend: die staat niet in het buurtenbestand en niet in de database", b.code)}
			}
		}
	}
	return nil
}

func existingCodes(ctx context.Context, tx pgx.Tx, sql string, codes []string) (map[string]bool, error) {
	rows, err := tx.Query(ctx, sql, codes)
	if err != nil {
		return nil, err
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(found))
	for _, c := range found {
		known[c] = true
	}
	return known, nil
}

// write upserts every level with one statement each and counts what changed.
// Rows whose values are unchanged are not touched (updated_at stays).
func (p *parsed) write(ctx context.Context, tx pgx.Tx) (Summary, error) {
	var s Summary
	var err error

	codes, names := make([]string, len(p.municipalities)), make([]string, len(p.municipalities))
	for i, m := range p.municipalities {
		codes[i], names[i] = m.code, m.name
	}
	if s.Municipalities, err = upsertCount(ctx, tx, `
		WITH up AS (
			INSERT INTO municipalities AS m (code, name)
			SELECT code, name FROM unnest($1::text[], $2::text[]) AS i(code, name)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
			WHERE m.name IS DISTINCT FROM EXCLUDED.name
			RETURNING (xmax = 0) AS inserted)
		SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up`,
		len(codes), codes, names); err != nil {
		return s, fmt.Errorf("municipalities: %w", err)
	}

	n := len(p.districts)
	codes, names = make([]string, n), make([]string, n)
	munis := make([]string, n)
	for i, d := range p.districts {
		codes[i], munis[i], names[i] = d.code, d.municipality, d.name
	}
	if s.Districts, err = upsertCount(ctx, tx, `
		WITH up AS (
			INSERT INTO districts AS d (code, municipality_id, name)
			SELECT i.code, m.id, i.name
			FROM unnest($1::text[], $2::text[], $3::text[]) AS i(code, gm, name)
			JOIN municipalities m ON m.code = i.gm
			ON CONFLICT (code) DO UPDATE SET municipality_id = EXCLUDED.municipality_id, name = EXCLUDED.name, updated_at = now()
			WHERE (d.municipality_id, d.name) IS DISTINCT FROM (EXCLUDED.municipality_id, EXCLUDED.name)
			RETURNING (xmax = 0) AS inserted)
		SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up`,
		n, codes, munis, names); err != nil {
		return s, fmt.Errorf("districts: %w", err)
	}

	n = len(p.neighbourhoods)
	codes, names = make([]string, n), make([]string, n)
	wks := make([]string, n)
	pops := make([]*int32, n)
	lats, lons, areas := make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, b := range p.neighbourhoods {
		codes[i], wks[i], names[i] = b.code, b.district, b.name
		pops[i], lats[i], lons[i], areas[i] = b.population, b.lat, b.lon, b.area
	}
	// Columns absent from the file keep their current values, and so does
	// the population of a neighbourhood with kerncijfers: those win.
	if s.Neighbourhoods, err = upsertCount(ctx, tx, `
		WITH up AS (
			INSERT INTO neighbourhoods AS n (code, district_id, municipality_id, name, population, centroid_lat, centroid_lon, area_km2)
			SELECT i.code, d.id, d.municipality_id, i.name, i.population, i.lat, i.lon, i.area
			FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::float8[], $6::float8[], $7::float8[])
				AS i(code, wk, name, population, lat, lon, area)
			JOIN districts d ON d.code = i.wk
			ON CONFLICT (code) DO UPDATE SET
				district_id = EXCLUDED.district_id,
				municipality_id = EXCLUDED.municipality_id,
				name = EXCLUDED.name,
				population = CASE WHEN $8 AND n.figures_year IS NULL THEN EXCLUDED.population ELSE n.population END,
				centroid_lat = CASE WHEN $9 THEN EXCLUDED.centroid_lat ELSE n.centroid_lat END,
				centroid_lon = CASE WHEN $9 THEN EXCLUDED.centroid_lon ELSE n.centroid_lon END,
				area_km2 = CASE WHEN $10 THEN EXCLUDED.area_km2 ELSE n.area_km2 END,
				updated_at = now()
			WHERE (n.district_id, n.municipality_id, n.name) IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.municipality_id, EXCLUDED.name)
				OR ($8 AND n.figures_year IS NULL AND n.population IS DISTINCT FROM EXCLUDED.population)
				OR ($9 AND (n.centroid_lat, n.centroid_lon) IS DISTINCT FROM (EXCLUDED.centroid_lat, EXCLUDED.centroid_lon))
				OR ($10 AND n.area_km2 IS DISTINCT FROM EXCLUDED.area_km2)
			RETURNING (xmax = 0) AS inserted)
		SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up`,
		n, codes, wks, names, pops, lats, lons, areas, p.hasPopulation, p.hasCentroid, p.hasArea); err != nil {
		return s, fmt.Errorf("neighbourhoods: %w", err)
	}

	n = len(p.boundaries)
	codes = make([]string, n)
	geoms := make([]string, n)
	for i, b := range p.boundaries {
		codes[i], geoms[i] = b.code, string(b.geom)
	}
	// Inserted counts boundaries that were missing before, Updated changed ones.
	if s.Boundaries, err = upsertCount(ctx, tx, `
		WITH i AS (SELECT code, geom::jsonb AS geom FROM unnest($1::text[], $2::text[]) AS t(code, geom)),
		changed AS (
			SELECT n.id, n.boundary IS NULL AS was_missing, i.geom
			FROM neighbourhoods n JOIN i ON i.code = n.code
			WHERE n.boundary IS DISTINCT FROM i.geom),
		up AS (
			UPDATE neighbourhoods n SET boundary = changed.geom, updated_at = now()
			FROM changed WHERE n.id = changed.id
			RETURNING changed.was_missing)
		SELECT count(*) FILTER (WHERE was_missing), count(*) FILTER (WHERE NOT was_missing) FROM up`,
		n, codes, geoms); err != nil {
		return s, fmt.Errorf("boundaries: %w", err)
	}
	if s.Figures, err = p.writeFigures(ctx, tx); err != nil {
		return s, fmt.Errorf("figures: %w", err)
	}
	return s, nil
}

// upsertCount runs a statement returning (inserted, updated) and derives the
// unchanged count from the number of input rows.
func upsertCount(ctx context.Context, tx pgx.Tx, sql string, total int, args ...any) (Counts, error) {
	var c Counts
	if total == 0 {
		return c, nil
	}
	if err := tx.QueryRow(ctx, sql, args...).Scan(&c.Inserted, &c.Updated); err != nil {
		return c, err
	}
	c.Unchanged = total - c.Inserted - c.Updated
	return c, nil
}
