package neighbourhood_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// syntheticCBS builds files the size of the whole country: 350
// municipalities × 10 districts × 4 neighbourhoods = 14,000, each with a
// small square boundary.
func syntheticCBS() cbs {
	var gm, bu, geo strings.Builder
	gm.WriteString("gm_code,gm_name\n")
	bu.WriteString("gm_code,gm_name,wk_code,wk_name,bu_code,bu_name,population,centroid_lat,centroid_lon,area_km2_generalised\n")
	geo.WriteString(`{"type":"FeatureCollection","features":[`)
	words := []string{"Noord", "Zuid", "Oost", "West", "Centrum", "Dorp", "Haven", "Veld", "Hof", "Akker"}
	first := true
	for m := 1; m <= 350; m++ {
		gmCode := fmt.Sprintf("GM%04d", 5000+m)
		fmt.Fprintf(&gm, "%s,Gemeente %d\n", gmCode, m)
		for d := 0; d < 10; d++ {
			wk := fmt.Sprintf("WK%04d%02d", 5000+m, d)
			for b := 0; b < 4; b++ {
				code := fmt.Sprintf("BU%04d%02d%02d", 5000+m, d, b)
				lon := 3.5 + float64(m%25)*0.14 + float64(b)*0.01
				lat := 51.0 + float64(m/25)*0.12 + float64(d)*0.01
				fmt.Fprintf(&bu, "%s,Gemeente %d,%s,Wijk %d %s,%s,%s %s %d-%d,%d,%.5f,%.5f,0.5\n",
					gmCode, m, wk, d, words[d], code, words[b], words[(m+d)%10], m, b, 100*b, lat, lon)
				if !first {
					geo.WriteByte(',')
				}
				first = false
				fmt.Fprintf(&geo, `{"type":"Feature","properties":{"bu_code":"%s"},"geometry":{"type":"Polygon","coordinates":[[[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f]]]}}`,
					code, lon, lat, lon+0.009, lat, lon+0.009, lat+0.009, lon, lat+0.009, lon, lat)
			}
		}
	}
	geo.WriteString("]}")
	return cbs{gemeenten: gm.String(), buurten: bu.String(), geojson: geo.String()}
}

// BenchmarkImportCountry measures a first import and a no-op re-import of
// 14,000 neighbourhoods with boundaries.
func BenchmarkImportCountry(b *testing.B) {
	db := testkit.NewPool(b)
	c := syntheticCBS()
	ctx := context.Background()
	start := time.Now()
	sum, err := neighbourhood.Import(ctx, db, c.files())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first import: %s, %+v", time.Since(start), sum.Neighbourhoods)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum, err := neighbourhood.Import(ctx, db, c.files())
		if err != nil || sum.Neighbourhoods.Inserted+sum.Neighbourhoods.Updated != 0 {
			b.Fatalf("re-import: %+v %v", sum, err)
		}
	}
}

// BenchmarkSearchCountry measures /buurten searches over 14,000 neighbourhoods.
func BenchmarkSearchCountry(b *testing.B) {
	s := testkit.NewServer(b)
	if _, err := neighbourhood.Import(context.Background(), s.DB, syntheticCBS().files()); err != nil {
		b.Fatal(err)
	}
	c := s.Client(b)
	for _, q := range []string{"oost", "centrum haven 12", "BU5001", "WK500203", "e", "wijk", "zzz"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if res := c.Get("/buurten?q=" + url.QueryEscape(q)); res.StatusCode != 200 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
	b.Run("index", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if res := c.Get("/buurten"); res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.Run("municipality", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if res := c.Get("/buurten?gemeente=GM5001"); res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.Run("show", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if res := c.Get("/buurten/BU50010203"); res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}
