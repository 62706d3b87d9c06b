package neighbourhood_test

import (
	"context"
	"slices"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// nearby_neighbourhoods (migration 000089) is what "neighbouring" means for
// "Wie kan helpen?" and help between neighbours: the home first, then its
// district by distance, those without a centre last, never another district.
func TestNearbyNeighbourhoods(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	g := testkit.NewGeo(t, db)
	g.Municipality("GM0344", "Utrecht")
	for _, n := range []struct {
		code, name string
		lat, lon   float64
	}{
		{"BU03440101", "Thuis", 52.090, 5.120},
		{"BU03440102", "Ver weg", 52.090, 5.180},
		{"BU03440103", "Dichtbij", 52.092, 5.121},
		{"BU03440104", "Halverwege", 52.100, 5.140},
		{"BU03440201", "Andere wijk, naast de deur", 52.0901, 5.1201},
	} {
		g.Neighbourhood(n.code, n.name)
		g.Centroid(n.code, n.lat, n.lon)
	}
	g.Neighbourhood("BU03440105", "Zonder middelpunt")

	var home int64
	if err := db.QueryRow(context.Background(), `SELECT id FROM neighbourhoods WHERE code = 'BU03440101'`).Scan(&home); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(context.Background(), `
		SELECT n.name FROM nearby_neighbourhoods($1) x JOIN neighbourhoods n ON n.id = x.neighbourhood_id
		ORDER BY x.distance_rank`, home)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"Thuis", "Dichtbij", "Halverwege", "Ver weg", "Zonder middelpunt"}
	if !slices.Equal(got, want) {
		t.Fatalf("nearby = %q, want %q", got, want)
	}
}
