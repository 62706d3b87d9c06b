package testkit

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Geo inserts municipalities, districts and neighbourhoods into a test
// database: the CBS tables every feature hangs its rows on. A district is
// made on first use; inserting a code twice answers the id of the first.
//
//	g := testkit.NewGeo(t, s.DB)
//	utrecht := g.Municipality("GM0344", "Utrecht")
//	oog := g.Neighbourhood("BU03440112", "Oog in Al") // district WK034401, municipality GM0344
//
// The district and municipality codes follow from the neighbourhood code
// (BU + GM digits + WK digits + 2), so a test names only what it needs;
// a municipality not yet made is made with its code as name.
type Geo struct {
	t  testing.TB
	db *pgxpool.Pool
}

// NewGeo returns a builder on db.
func NewGeo(t testing.TB, db *pgxpool.Pool) Geo { return Geo{t: t, db: db} }

// Municipality inserts (or finds) the municipality code (GM + 4 digits) and returns its id.
func (g Geo) Municipality(code, name string) int64 {
	g.t.Helper()
	var id int64
	if err := g.db.QueryRow(context.Background(), `
		INSERT INTO municipalities (code, name) VALUES ($1, $2)
		ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`, code, name).Scan(&id); err != nil {
		g.t.Fatalf("testkit: municipality %s: %v", code, err)
	}
	return id
}

// District inserts (or finds) the district code (WK + 6 digits) in the
// municipality its code names, and returns its id.
func (g Geo) District(code, name string) int64 {
	g.t.Helper()
	m := g.Municipality("GM"+code[2:6], "GM"+code[2:6])
	var id int64
	if err := g.db.QueryRow(context.Background(), `
		INSERT INTO districts (code, municipality_id, name) VALUES ($1, $2, $3)
		ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`, code, m, name).Scan(&id); err != nil {
		g.t.Fatalf("testkit: district %s: %v", code, err)
	}
	return id
}

// Neighbourhood inserts (or finds) the neighbourhood code (BU + 8 digits)
// in the district and municipality its code names, and returns its id.
func (g Geo) Neighbourhood(code, name string) int64 {
	g.t.Helper()
	d := g.District("WK"+code[2:8], "WK"+code[2:8])
	var id int64
	if err := g.db.QueryRow(context.Background(), `
		INSERT INTO neighbourhoods (code, district_id, municipality_id, name)
		SELECT $1, d.id, d.municipality_id, $3 FROM districts d WHERE d.id = $2
		ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`, code, d, name).Scan(&id); err != nil {
		g.t.Fatalf("testkit: neighbourhood %s: %v", code, err)
	}
	return id
}

// Centroid sets the centre of neighbourhood code (for "nearest first").
func (g Geo) Centroid(code string, lat, lon float64) {
	g.t.Helper()
	if _, err := g.db.Exec(context.Background(),
		`UPDATE neighbourhoods SET centroid_lat = $2, centroid_lon = $3 WHERE code = $1`, code, lat, lon); err != nil {
		g.t.Fatalf("testkit: centroid %s: %v", code, err)
	}
}
