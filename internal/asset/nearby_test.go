package asset_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// "Wie kan helpen?" on a neighbourhood page also shows helpers in the
// neighbouring neighbourhoods of the same district, nearest first, each
// with the neighbourhood it is in; never another district's.
func TestSectionLooksInNeighbouringNeighbourhoods(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	g.Municipality("GM0344", "Utrecht")
	g.District("WK034401", "Wijk 01 West")
	for _, n := range []struct {
		code, name string
		lat, lon   float64
	}{
		{"BU03440101", "Lombok-West", 52.090, 5.100},
		{"BU03440102", "Ver weg", 52.090, 5.160},
		{"BU03440103", "Lombok-Oost", 52.091, 5.102},
		{"BU03440201", "Andere wijk", 52.0901, 5.1001},
	} {
		g.Neighbourhood(n.code, n.name)
		g.Centroid(n.code, n.lat, n.lon)
	}
	owner := s.CreateUser(t, "eigenaar@example.nl")
	for i, a := range []struct{ code, name string }{
		{"BU03440102", "Aa ver weg"},
		{"BU03440201", "Aa andere wijk"},
		{"BU03440103", "Zaal in Oost"},
		{"BU03440101", "Zaal in West"},
	} {
		if _, err := s.DB.Exec(context.Background(), `
			INSERT INTO assets (kind, place_type, name, neighbourhood_id, needs, visibility, created_by, create_token)
			SELECT 'plek', 'buurthuis', $1, id, '{ruimte}', 'public', $2, $3 FROM neighbourhoods WHERE code = $4`,
			a.name, owner.ID, fmt.Sprintf("nearby-token-%08d", i), a.code); err != nil {
			t.Fatal(err)
		}
	}
	res := s.Client(t).Get("/buurten/BU03440101")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	_, section, ok := strings.Cut(res.Body, `data-testid="asset-section"`)
	section, _, ok2 := strings.Cut(section, "</section>")
	if !ok || !ok2 {
		t.Fatal("no asset section on the page")
	}
	last := -1
	for _, want := range []string{"Zaal in West</a> <span class=\"bk-muted\">(in deze buurt)",
		"Zaal in Oost</a> <span class=\"bk-muted\">(in Lombok-Oost)", "Aa ver weg</a> <span class=\"bk-muted\">(in Ver weg)"} {
		at := strings.Index(section, want)
		if at < 0 || at < last {
			t.Errorf("section lacks %q, or not nearest first:\n%s", want, section)
		}
		last = at
	}
	if strings.Contains(section, "Aa andere wijk") {
		t.Error("a helper of another district is shown")
	}
	if !strings.Contains(section, `href="/buurten/BU03440103/wie-kan-helpen#hulpbron-`) {
		t.Error("a helper next door does not link to its own neighbourhood's list")
	}
}
