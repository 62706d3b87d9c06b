package testkit_test

import (
	"context"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestGeoFollowsCodes(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	g := testkit.NewGeo(t, db)
	utrecht := g.Municipality("GM0344", "Utrecht")
	oog := g.Neighbourhood("BU03440112", "Oog in Al")
	if again := g.Neighbourhood("BU03440112", "Oog in Al"); again != oog {
		t.Errorf("second insert gave id %d, want %d", again, oog)
	}
	var muni int64
	var district, name string
	if err := db.QueryRow(context.Background(), `
		SELECT n.municipality_id, d.code, n.name FROM neighbourhoods n JOIN districts d ON d.id = n.district_id
		 WHERE n.id = $1 AND d.municipality_id = n.municipality_id`, oog).Scan(&muni, &district, &name); err != nil {
		t.Fatal(err)
	}
	if muni != utrecht || district != "WK034401" || name != "Oog in Al" {
		t.Errorf("neighbourhood in municipality %d (want %d), district %s, name %q", muni, utrecht, district, name)
	}
	var muniName string
	if err := db.QueryRow(context.Background(), `SELECT name FROM municipalities WHERE id = $1`, utrecht).Scan(&muniName); err != nil || muniName != "Utrecht" {
		t.Errorf("municipality name %q (%v): a later implicit insert must not rename it", muniName, err)
	}
}
