package asset_test

import (
	"context"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// BenchmarkHelpForAndList measures the two read paths on 20,000 assets
// spread over 200 neighbourhoods (go test -bench . ./internal/asset/).
func BenchmarkHelpForAndList(b *testing.B) {
	s := testkit.NewServer(b)
	ctx := context.Background()
	u := s.CreateUser(b, "bench@example.nl")
	places := testkit.NewGeo(b, s.DB)
	places.Municipality("GM0344", "Utrecht")
	west := places.District("WK034401", "West")
	// The 200 neighbourhoods in one statement, all in district West (their
	// codes do not nest in it, which the benchmark does not need).
	_, err := s.DB.Exec(ctx, `
		INSERT INTO neighbourhoods (code, district_id, municipality_id, name)
		SELECT 'BU0344' || lpad(g::text, 4, '0'), d.id, d.municipality_id, 'Buurt ' || g
		FROM districts d, generate_series(1, 200) g WHERE d.id = $1`, west)
	if err != nil {
		b.Fatal(err)
	}
	_, err = s.DB.Exec(ctx, `
		INSERT INTO assets (kind, place_type, name, neighbourhood_id, needs, visibility, created_by, create_token)
		SELECT k.kind, CASE WHEN k.kind = 'plek' THEN 'buurthuis' ELSE '' END, 'Hulpbron ' || g,
		       (SELECT id FROM neighbourhoods ORDER BY id OFFSET (g % 200) LIMIT 1),
		       ARRAY[(ARRAY['ruimte','geld','vrijwilligers','kennis','materiaal'])[1 + g % 5]],
		       CASE WHEN k.kind = 'talent' THEN 'members' ELSE 'public' END, $1, 'bench-token-' || lpad(g::text, 8, '0')
		FROM generate_series(1, 20000) g
		CROSS JOIN LATERAL (SELECT (ARRAY['plek','netwerk','bedrijf','talent'])[1 + g % 4] AS kind) k`, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `ANALYZE assets`); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	if err := s.DB.QueryRow(ctx, `SELECT array_agg(id) FROM (SELECT id FROM neighbourhoods ORDER BY id LIMIT 3) t`).Scan(&ids); err != nil {
		b.Fatal(err)
	}
	h := newHandler(s)
	v := viewerFor(true, u.ID)
	all := []string{"ruimte", "geld", "vrijwilligers", "kennis", "materiaal"}
	b.Run("HelpFor", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.HelpFor(ctx, ids, all, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	c := s.Login(b, "bench@example.nl")
	b.Run("ListPage", func(b *testing.B) {
		for b.Loop() {
			if res := c.Get("/buurten/BU03440001/wie-kan-helpen"); res.StatusCode != 200 {
				b.Fatal(res.StatusCode)
			}
		}
	})
	b.Run("Section", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.NeighbourhoodSection(ctx, ids[0], v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
