package asset_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// Fixture neighbourhoods: two in Utrecht, one in Leiden.
const (
	codeWest = "BU03440111"
	codeOog  = "BU03440112"
	codeLeid = "BU05460101"
)

type geo struct {
	west, oog, leiden int64
}

// seedGeo inserts the fixture municipalities, districts and neighbourhoods.
func seedGeo(t *testing.T, s *testkit.Server) geo {
	t.Helper()
	b := testkit.NewGeo(t, s.DB)
	b.Municipality("GM0344", "Utrecht")
	b.Municipality("GM0546", "Leiden")
	b.District("WK034401", "Wijk 01 West")
	b.District("WK054601", "Binnenstad-Noord")
	return geo{
		west:   b.Neighbourhood(codeWest, "Welgelegen, Den Hommel"),
		oog:    b.Neighbourhood(codeOog, "Oog in Al"),
		leiden: b.Neighbourhood(codeLeid, "Levendaal-West"),
	}
}

// newTok returns a fresh, valid idempotency token.
func newTok() string { return uuid.New() }

// placeForm is a valid create form for a meeting place in codeWest.
func placeForm() url.Values {
	return url.Values{
		"token": {newTok()}, "soort": {"plek"}, "type": {"buurthuis"}, "naam": {"Buurthuis De Boog"},
		"beschrijving": {"Zaal voor dertig mensen."}, "buurt": {codeWest}, "nodig": {"ruimte", "kennis"},
		"adres": {"Boogstraat 1"}, "telefoon": {"030 123 45 67"}, "site": {"www.deboog.nl"}, "zichtbaarheid": {"public"},
	}
}

func talentForm(text string, needs ...string) url.Values {
	if len(needs) == 0 {
		needs = []string{"kennis"}
	}
	return url.Values{"token": {newTok()}, "soort": {"talent"}, "naam": {text}, "buurt": {codeWest}, "nodig": needs}
}

func withValues(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

var anchorRe = regexp.MustCompile(`#hulpbron-(\d+)$`)

// create posts a create form and returns the new asset's id.
func create(t *testing.T, c *testkit.Client, v url.Values) int64 {
	t.Helper()
	res := c.PostForm("/hulpbronnen/nieuw", v)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d: %s", res.StatusCode, res.Body)
	}
	m := anchorRe.FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("create: redirect %q has no asset anchor", res.Location())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func path(id int64, action string) string {
	return "/hulpbronnen/" + strconv.FormatInt(id, 10) + "/" + action
}

func countAssets(t *testing.T, s *testkit.Server) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM assets`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("body contains %q", b)
		}
	}
}
