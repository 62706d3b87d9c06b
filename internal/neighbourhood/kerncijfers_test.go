package neighbourhood_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

const kernHeader = "buurtcode;jaar;inwoners;huishoudens;leeftijd_0_15;leeftijd_15_25;leeftijd_25_45;leeftijd_45_65;leeftijd_65_plus\n"

func kerncijfers(content string) neighbourhood.Files {
	return neighbourhood.Files{Kerncijfers: neighbourhood.Source{Name: "kerncijfers.csv", Reader: strings.NewReader(content)}}
}

// geographyOnly imports the CBS geography without the key figures.
func geographyOnly(t *testing.T) *pgxpool.Pool {
	t.Helper()
	db := testkit.NewPool(t)
	if _, err := neighbourhood.Import(context.Background(), db, realCBS(t).files()); err != nil {
		t.Fatal(err)
	}
	return db
}

// The sums over the sample are those of the data's README; the two
// business parks without figures stay unknown, not 0.
func TestKerncijfersTotalsPerMunicipality(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()
	if _, err := neighbourhood.Import(ctx, db, neighbourhood.EmbeddedFiles()); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(ctx, `
		SELECT m.name, sum(n.population), count(*) - count(n.population)
		FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id
		GROUP BY m.name ORDER BY m.name`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	for rows.Next() {
		var name string
		var sum, unknown int64
		if err := rows.Scan(&name, &sum, &unknown); err != nil {
			t.Fatal(err)
		}
		got[name] = [2]int64{sum, unknown}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int64{"Utrecht": {374200, 2}, "Leiden": {130095, 0}, "Tytsjerksteradiel": {32600, 0}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: inhabitants %d with %d unknown, want %d with %d unknown", name, got[name][0], got[name][1], w[0], w[1])
		}
	}
	for _, code := range []string{"BU03440911", "BU03440952"} {
		var pop, year, hh *int
		if err := db.QueryRow(ctx, `SELECT population, figures_year, households FROM neighbourhoods WHERE code = $1`, code).Scan(&pop, &year, &hh); err != nil {
			t.Fatal(err)
		}
		if pop != nil || year != nil || hh != nil {
			t.Errorf("%s: population %v, year %v, households %v; want all unknown (NULL)", code, pop, year, hh)
		}
	}
	var fig string
	if err := db.QueryRow(ctx, `SELECT concat_ws(';', figures_year, population, households, age_0_15, age_15_25, age_25_45, age_45_65, age_65_plus)
		FROM neighbourhoods WHERE code = 'BU03440111'`).Scan(&fig); err != nil {
		t.Fatal(err)
	}
	if fig != "2024;1800;1100;195;240;775;250;340" {
		t.Errorf("BU03440111 figures %s", fig)
	}
}

func TestKerncijfersRefusesBadLines(t *testing.T) {
	t.Parallel()
	db := geographyOnly(t)
	ok := "BU03440111;2024;1800;1100;195;240;775;250;340\n"
	cases := []struct {
		name, content string
		line          int
		reason        string
	}{
		{"comma separated", strings.ReplaceAll(kernHeader+ok, ";", ","), 1, "verplichte kolom"},
		{"missing column", "buurtcode;jaar;inwoners\n" + ok, 1, "verplichte kolom \"huishoudens\""},
		{"bad code", kernHeader + ok + "BU0344011;2024;10;5;0;0;5;5;0\n", 3, "ongeldige code"},
		{"duplicate", kernHeader + ok + ok, 3, "dubbel"},
		{"bad year", kernHeader + "BU03440111;24;1800;1100;195;240;775;250;340\n", 2, "ongeldig jaar"},
		{"no inhabitants", kernHeader + "BU03440111;2024;;1100;195;240;775;250;340\n", 2, "inwoners ontbreekt"},
		{"negative", kernHeader + ok + "BU03440112;2024;4155;-1;1030;450;965;1205;505\n", 3, "kolom huishoudens"},
		{"not a number", kernHeader + "BU03440111;2024;1.800;1100;195;240;775;250;340\n", 2, "kolom inwoners"},
		{"ages do not add up", kernHeader + "BU03440111;2024;1800;1100;340;240;775;250;195000\n", 2, "leeftijdsgroepen"},
		{"wrong field count", kernHeader + "BU03440111;2024;1800\n", 2, "aantal kolommen"},
		{"unknown neighbourhood", kernHeader + ok + "BU99990101;2024;10;5;0;5;0;5;0\n", 3, "BU99990101 is onbekend"},
	}
	before := snapshot(t, db)
	for _, c := range cases {
		_, err := neighbourhood.Import(context.Background(), db, kerncijfers(c.content))
		var ie *neighbourhood.ImportError
		if !errors.As(err, &ie) {
			t.Errorf("%s: err = %v, want an ImportError", c.name, err)
			continue
		}
		if ie.File != "kerncijfers.csv" || ie.Line != c.line || !strings.Contains(ie.Reason, c.reason) {
			t.Errorf("%s: %v; want kerncijfers.csv, regel %d, %q", c.name, ie, c.line, c.reason)
		}
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("a refused import wrote: %s → %s", before, after)
	}
}

// Figures change population with them; neighbourhoods missing from the file
// keep NULL; a buurten file with an empty population column does not undo
// the figures; a second run changes nothing.
func TestKerncijfersUpdatesAndKeepsUnknown(t *testing.T) {
	t.Parallel()
	db := geographyOnly(t)
	ctx := context.Background()
	pop := func(code string) *int {
		t.Helper()
		var p *int
		if err := db.QueryRow(ctx, `SELECT population FROM neighbourhoods WHERE code = $1`, code).Scan(&p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := kernHeader + "BU03440111;2024;1800;1100;195;240;775;250;340\nBU03440112;2024;4155;;;;;;\n"
	sum, err := neighbourhood.Import(ctx, db, kerncijfers(first))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Figures != (neighbourhood.Counts{Inserted: 2}) {
		t.Errorf("first import %+v", sum.Figures)
	}
	if p := pop("BU03440112"); p == nil || *p != 4155 {
		t.Errorf("BU03440112 population %v", p)
	}
	if p := pop("BU03440113"); p != nil {
		t.Errorf("BU03440113 is not in the file but has population %d", *p)
	}

	second := kernHeader + "BU03440111;2024;1805;1100;200;240;775;250;340\nBU03440112;2024;4155;;;;;;\n"
	if sum, err = neighbourhood.Import(ctx, db, kerncijfers(second)); err != nil {
		t.Fatal(err)
	}
	if sum.Figures != (neighbourhood.Counts{Updated: 1, Unchanged: 1}) {
		t.Errorf("changed import %+v", sum.Figures)
	}
	if p := pop("BU03440111"); p == nil || *p != 1805 {
		t.Errorf("BU03440111 population %v, want 1805", p)
	}

	// The buurten file's empty population column leaves the figures alone.
	before := snapshot(t, db)
	sum, err = neighbourhood.Import(ctx, db, realCBS(t).files())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Neighbourhoods.Unchanged != 196 {
		t.Errorf("re-import of the buurten %+v", sum.Neighbourhoods)
	}
	if sum, err = neighbourhood.Import(ctx, db, kerncijfers(second)); err != nil || sum.Figures.Unchanged != 2 {
		t.Errorf("same figures again: %+v, %v", sum.Figures, err)
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("re-import changed the database: %s → %s", before, after)
	}
}

// The embedded figures are the shared file; its header is the one parsed.
func TestEmbeddedKerncijfersHeader(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(neighbourhood.EmbeddedFS(), "cbsdata/kerncijfers_2024_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), kernHeader) || strings.Count(string(b), "\n") != 195 {
		t.Errorf("embedded kerncijfers: unexpected header or %d lines", strings.Count(string(b), "\n"))
	}
}
