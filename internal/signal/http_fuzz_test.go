package signal_test

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

var signalRequests = []struct{ method, path, as string }{
	{"POST", "/signalen/nieuw", "resident"},
	{"POST", "/signalen/{id}/reactie", "worker"},
	{"POST", "/signalen/{id}/reactie", "officer"},
	{"GET", "/signalen", "resident"},
	{"GET", "/signalen/nieuw", "resident"},
	{"POST", "/signalen/{id}/antwoord", "resident"},
	{"POST", "/signalen/{id}/herkennen", "worker"},
	{"POST", "/signalen/{id}/volgen", "officer"},
}

// FuzzSignalHTTP posts fuzzed signals and responses (as worker and as
// officer, so every status transition is tried), replies by the raiser,
// recognitions and follows, and fuzzed list filters:
// never a 5xx, and every refusal is a 4xx page with a message.
func FuzzSignalHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	g := fuzzcheck.SeedGeo(f, s.DB)
	s.CreateUser(f, "bewoner@voorbeeld.nl")
	w := s.CreateUser(f, "opbouwwerker@voorbeeld.nl", role.Resident, role.Worker)
	o := s.CreateUser(f, "gemeente@voorbeeld.nl", role.Officer)
	ctx := context.Background()
	if _, err := s.DB.Exec(ctx, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, w.ID, g.Neighbourhoods["BU03440101"]); err != nil {
		f.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, `UPDATE accounts SET municipality_id = $1 WHERE id = $2`, g.Municipality, o.ID); err != nil {
		f.Fatal(err)
	}
	clients := map[string]*testkit.Client{
		"resident": s.Login(f, "bewoner@voorbeeld.nl"), "worker": s.Login(f, "opbouwwerker@voorbeeld.nl"), "officer": s.Login(f, "gemeente@voorbeeld.nl"),
	}
	nb := strconv.FormatInt(g.Neighbourhoods["BU03440101"], 10)
	valid := url.Values{"gemeente": {"GM0344"}, "neighbourhood": {nb}, "title": {"Losliggende stoeptegels"}, "description": {"Bij de school."}, "theme": {"openbare-ruimte"},
		"addressed_to": {"gemeente"}, "public": {"ja"}, "token": {"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"}}
	if res := clients["resident"].PostForm("/signalen/nieuw", valid); res.StatusCode != http.StatusSeeOther {
		f.Fatalf("raise signal: %d", res.StatusCode)
	}
	var id int64
	if err := s.DB.QueryRow(ctx, `SELECT id FROM signals`).Scan(&id); err != nil {
		f.Fatal(err)
	}
	seeds := [][]string{
		{valid.Encode(), "neighbourhood=x&title=%00&theme=x&addressed_to=koning&token=1b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c",
			"gemeente=GM0344&neighbourhood=" + nb + "&title=Afval&theme=openbare-ruimte&addressed_to=anders&addressed_to_other=&token=2b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "title=x&token=kapot",
			"gemeente=GM9999&neighbourhood=" + nb + "&title=Afval&theme=openbare-ruimte&addressed_to=gemeente&token=9b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"},
		{"body=Ik+neem+het+mee&status=geagendeerd&token=3b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "status=opgepakt&token=4b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "body=&token=kapot"},
		{"body=Staat+op+de+agenda&status=in_behandeling&token=5b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "status=x&token=6b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c",
			"body=%00&token=7b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "status=gesignaleerd&token=8b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"},
		{"status=gesignaleerd&pagina=2", "status=x&pagina=-1", "pagina=99999999999"},
		{"buurt=BU03440101", "buurt=%00", "gemeente=GM0344", "gemeente=GM9999", "gemeente=", "kies=1&gemeente=%00", "buurt=BU03440101&gemeente=GM0345",
			"contact=1", "contact=-1&buurt=BU03440101", "contact=%00"},
		{"reply=Nog+steeds+zo&token=ab7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "reply=%00&token=bb7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c", "reply=%FF", "reply=&token=kapot"},
		{"actie=herkennen", "actie=intrekken", "actie=%FF", ""},
		{"actie=volgen", "actie=ontvolgen", "actie=x%00"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := signalRequests[int(which)%len(signalRequests)]
		path := strings.ReplaceAll(req.path, "{id}", strconv.FormatInt(id, 10))
		c := clients[req.as].HTTP
		var res fuzzcheck.Response
		if req.method == "GET" {
			res = fuzzcheck.Get(t, c, s.URL, path, fuzzcheck.Query(body))
		} else {
			res = fuzzcheck.PostForm(t, c, s.URL+path, body)
		}
		fuzzcheck.Answer(t, req.method+" "+path+" as "+req.as, res)
	})
}
