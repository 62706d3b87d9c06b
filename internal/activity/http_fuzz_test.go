package activity_test

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

var activityRequests = []struct{ method, path string }{
	{"POST", "/activiteiten/nieuw"},
	{"POST", "/activiteiten/{id}/bewerken"},
	{"POST", "/activiteiten/{id}/verhaal"},
	{"GET", "/activiteiten"},
	{"GET", "/activiteiten/nieuw"},
}

// FuzzActivityHTTP posts fuzzed activity, edit and story forms and fuzzed
// list filters as a community worker: never a 5xx, and every refusal is a
// 4xx page with a message.
func FuzzActivityHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	g := fuzzcheck.SeedGeo(f, s.DB)
	w := s.CreateUser(f, "opbouwwerker@voorbeeld.nl", role.Resident, role.Worker)
	if _, err := s.DB.Exec(context.Background(), `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, w.ID, g.Neighbourhoods["BU03440101"]); err != nil {
		f.Fatal(err)
	}
	c := s.Login(f, "opbouwwerker@voorbeeld.nl")
	nb := strconv.FormatInt(g.Neighbourhoods["BU03440101"], 10)
	other := strconv.FormatInt(g.Neighbourhoods["BU03440103"], 10)
	valid := url.Values{"title": {"Buurtmaaltijd"}, "date": {"2026-06-01"}, "neighbourhood": {nb}, "worker_organised": {"ja"}, "strategy": {"bridging"},
		"participants": {"35"}, "partners": {"Buurthuis\nBibliotheek"}, "outcome": {"Nieuwe vrijwilligers"}, "token": {"0b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"}}
	if res := c.PostForm("/activiteiten/nieuw", valid); res.StatusCode != http.StatusSeeOther {
		f.Fatalf("create activity: %d", res.StatusCode)
	}
	var id int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM activities`).Scan(&id); err != nil {
		f.Fatal(err)
	}
	seeds := [][]string{
		{valid.Encode(), "title=%00&date=1999-01-01&neighbourhood=" + other + "&strategy=x&participants=-1&token=1b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c",
			"title=x&token=kapot", "date=0000-01-01&neighbourhood=99999999999999999999&initiative=7&token=2b7e1c1e-2f6a-4d2e-9c1a-1d2e3f4a5b6c"},
		{valid.Encode(), "title=&date=2100-01-01&partners=" + strings.Repeat("a%0A", 25)},
		{"story=Twee+buren+ontmoetten+elkaar&confirm=ja", "story=&confirm=nee", "action=intrekken", "story=%00&confirm=ja"},
		{"buurt=" + nb + "&strategie=bonding&van=2026-01-01&tot=2026-12-31&pagina=2", "van=0000-01-01&tot=9999-12-31", "pagina=9999", "buurt=-1"},
		{"", "buurt=%00"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := activityRequests[int(which)%len(activityRequests)]
		path := strings.ReplaceAll(req.path, "{id}", strconv.FormatInt(id, 10))
		var res fuzzcheck.Response
		if req.method == "GET" {
			res = fuzzcheck.Get(t, c.HTTP, s.URL, path, fuzzcheck.Query(body))
		} else {
			res = fuzzcheck.PostForm(t, c.HTTP, s.URL+path, body)
		}
		fuzzcheck.Answer(t, req.method+" "+path, res)
	})
}
