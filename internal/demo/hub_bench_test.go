package demo_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// BenchmarkNeighbourhoodHub is the demo resident's home page (issue 11):
// every section of the hub (agenda, initiatives, burenhulp, who can help,
// signals, stories, workers), the CBS figures and the map, on the demo data,
// through the whole handler chain with a session. Each section runs a fixed
// number of queries, so the time does not grow with the neighbourhood's
// content. Re-measure: go test -run '^$' -bench NeighbourhoodHub ./internal/demo/
func BenchmarkNeighbourhoodHub(b *testing.B) {
	s := testkit.NewServer(b)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
		b.Fatalf("seed: %v\n%s", err, out.String())
	}
	for _, viewer := range []struct{ name, email string }{{"anoniem", ""}, {"bewoner", demo.ResidentEmail}} {
		b.Run(viewer.name, func(b *testing.B) {
			c := s.Client(b)
			if viewer.email != "" {
				c.Get("/inloggen")
				if res := c.PostForm("/inloggen", url.Values{"email": {viewer.email}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
					b.Fatalf("login: %d", res.StatusCode)
				}
			}
			if res := c.Get("/buurten/BU03440112"); res.StatusCode != http.StatusOK {
				b.Fatalf("hub: %d", res.StatusCode)
			}
			b.ResetTimer()
			for b.Loop() {
				if res := c.Get("/buurten/BU03440112"); res.StatusCode != http.StatusOK {
					b.Fatalf("hub: %d", res.StatusCode)
				}
			}
		})
	}
}
