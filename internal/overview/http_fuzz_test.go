package overview_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

var overviewPaths = []string{
	"/overzicht", "/overzicht/export.csv", "/overzicht/vergelijk", "/overzicht/buurten/BU03440101",
	"/overzicht/buurten/BU03440101/export.csv", "/api/v1/municipalities/GM0344/overview", "/overzicht/buurten/{code}", "/api/v1/municipalities/{code}/overview",
}

// FuzzOverviewHTTP sends fuzzed query strings (periods, sorting, map metric,
// districts, compared neighbourhoods) and path codes to the overview pages,
// CSV exports and API as an officer: never a 5xx, and every refusal is a 4xx
// with a message (HTML page or JSON "error").
func FuzzOverviewHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	g := fuzzcheck.SeedGeo(f, s.DB)
	o := s.CreateUser(f, "gemeente@voorbeeld.nl", role.Officer)
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET municipality_id = $1 WHERE id = $2`, g.Municipality, o.ID); err != nil {
		f.Fatal(err)
	}
	c := s.Login(f, "gemeente@voorbeeld.nl")
	for i, qs := range [][]string{
		{"gemeente=GM0344&periode=3&sorteer=contacten&richting=af&kaart=signalen", "periode=eigen&van=2025-12&tot=2025-01", "wijk=WK034401&kaart=%00"},
		{"periode=eigen&van=2000-01&tot=2100-12", "gemeente=GM9999"},
		{"buurt=BU03440101&buurt=BU03440102&periode=12", "buurt=x&buurt=%00", "buurt=BU99999999"},
		{"periode=eigen&van=2025-01&tot=2025-06", "periode=x"},
		{"periode=3"},
		{"from=2025-01-01&to=2025-12-31", "from=2025-12-31&to=2025-01-01", "from=x", "to=2025-01-01", "from=2000-01-01&to=2100-12-31"},
		{"BU03440103", "bu0344", "%00", "BU99999999"},
		{"gm0344", "GM9999", "x", "%25"},
	} {
		for _, q := range qs {
			f.Add(uint8(i), q)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, in string) {
		path := overviewPaths[int(which)%len(overviewPaths)]
		query := fuzzcheck.Query(in)
		if strings.Contains(path, "{code}") {
			path, query = strings.ReplaceAll(path, "{code}", url.PathEscape(in)), ""
		}
		fuzzcheck.Answer(t, "GET "+path+"?"+query, fuzzcheck.Get(t, c.HTTP, s.URL, path, query))
	})
}
