package asset_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// assetRequests are the requests FuzzAssetHTTP sends, by the fuzzed selector;
// {id} is an asset of the resident.
var assetRequests = []struct {
	method, path, as string
}{
	{"POST", "/hulpbronnen/nieuw", "resident"},
	{"POST", "/hulpbronnen/{id}/bewerken", "resident"},
	{"POST", "/hulpbronnen/{id}/verbergen", "admin"},
	{"POST", "/hulpbronnen/{id}/tonen", "admin"},
	{"GET", "/hulpbronnen/nieuw", "resident"},
	{"GET", "/buurten/BU03440101/wie-kan-helpen", "anonymous"},
}

// FuzzAssetHTTP posts fuzzed asset forms and list filters to the running
// platform: never a 5xx, and every refusal is a 4xx page with a message.
func FuzzAssetHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	fuzzcheck.SeedGeo(f, s.DB)
	s.CreateUser(f, "bewoner@voorbeeld.nl")
	s.CreateUser(f, "beheerder@voorbeeld.nl", role.Admin)
	clients := map[string]*testkit.Client{
		"resident": s.Login(f, "bewoner@voorbeeld.nl"), "admin": s.Login(f, "beheerder@voorbeeld.nl"), "anonymous": s.Client(f),
	}
	valid := url.Values{"soort": {"plek"}, "type": {"buurthuis"}, "naam": {"Buurthuis De Boog"}, "beschrijving": {"Open op dinsdag."},
		"buurt": {"BU03440101"}, "nodig": {"ruimte"}, "site": {"www.deboog.nl"}, "telefoon": {"030 123 45 67"}, "adres": {"Boog 1"},
		"zichtbaarheid": {"public"}, "gemeente": {"GM0344"}, "token": {"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"}}
	if res := clients["resident"].PostForm("/hulpbronnen/nieuw", valid); res.StatusCode != http.StatusSeeOther {
		f.Fatalf("create asset: %d", res.StatusCode)
	}
	var id int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM assets`).Scan(&id); err != nil {
		f.Fatal(err)
	}
	talent := url.Values{"soort": {"talent"}, "naam": {"ik kan fietsen repareren"}, "buurt": {"BU03440102"}, "nodig": {"kennis"}, "token": {"1b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"}}
	seeds := [][]string{
		{valid.Encode(), talent.Encode(), "soort=plek&token=kapot", "soort=netwerk&naam=%00&buurt=BU99999999&nodig=x&token=2b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c",
			"soort=bedrijf&naam=Bakker&buurt=BU03440101&nodig=geld&site=javascript:alert(1)&telefoon=12&token=3b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "website=bot"},
		{valid.Encode(), "naam=&nodig=liefde&buurt=", "naam=" + strings.Repeat("x", 151) + "&buurt=BU03440101&nodig=geld&zichtbaarheid=geheim"},
		{"reden=Reclame", "reden=", "reden=%00&volgende=//evil.example"},
		{"volgende=/buurten", "volgende=https://evil.example"},
		{"soort=plek&buurt=BU03440101&gemeente=GM0344", "soort=%00", "buurt=%27"},
		{"nodig=ruimte&nodig=geld", "nodig=liefde", "nodig=%00"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := assetRequests[int(which)%len(assetRequests)]
		path := strings.ReplaceAll(req.path, "{id}", strconv.FormatInt(id, 10))
		c := clients[req.as].HTTP
		var res fuzzcheck.Response
		if req.method == "GET" {
			res = fuzzcheck.Get(t, c, s.URL, path, fuzzcheck.Query(body))
		} else {
			res = fuzzcheck.PostForm(t, c, s.URL+path, body)
		}
		fuzzcheck.Answer(t, req.method+" "+path, res)
	})
}
