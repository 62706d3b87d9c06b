package contact_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// contactRequests are the requests FuzzContactHTTP sends, by the fuzzed
// selector; {id} is a contact of the worker. "json" posts the body as JSON
// (with the API token for /api/).
var contactRequests = []struct {
	method, path string
}{
	{"POST", "/contacten"},
	{"JSON", "/contacten/sync"},
	{"JSON", "/api/v1/contacts"},
	{"POST", "/contacten/{id}/bewerken"},
	{"POST", "/contacten/{id}/verhaal"},
	{"GET", "/contacten"},
	{"GET", "/contacten/team"},
	{"GET", "/api/v1/contacts"},
	{"POST", "/account/tokens"},
	{"POST", "/account/tokens/{token}/intrekken"},
}

// FuzzContactHTTP posts fuzzed quick-log forms, edits, stories and JSON
// (session sync and bearer-token API) and fuzzed list filters as a community
// worker: never a 5xx, and every refusal is a 4xx with a message (HTML page,
// or JSON "error"/"errors").
func FuzzContactHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	g := fuzzcheck.SeedGeo(f, s.DB)
	w := s.CreateUser(f, "opbouwwerker@voorbeeld.nl", role.Resident, role.Worker)
	for _, code := range fuzzcheck.GeoCodes[:2] {
		if _, err := s.DB.Exec(context.Background(), `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, w.ID, g.Neighbourhoods[code]); err != nil {
			f.Fatal(err)
		}
	}
	_, token, err := apitoken.NewStore(s.DB).Create(context.Background(), w.ID, "fuzz", apitoken.DefaultLifetime)
	if err != nil {
		f.Fatal(err)
	}
	spare, _, err := apitoken.NewStore(s.DB).Create(context.Background(), w.ID, "revoked by the fuzzer", apitoken.DefaultLifetime)
	if err != nil {
		f.Fatal(err)
	}
	c := s.Login(f, "opbouwwerker@voorbeeld.nl")
	quick := url.Values{"client_id": {uuid.New()}, "neighbourhood": {"BU03440101"}, "place_type": {"straat"}, "strategy": {"bonding"},
		"note": {"Privé notitie"}, "themes": {"ontmoeting"}}
	if res := c.PostForm("/contacten", quick); res.StatusCode != http.StatusSeeOther {
		f.Fatalf("quick log: %d", res.StatusCode)
	}
	var id int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM contacts`).Scan(&id); err != nil {
		f.Fatal(err)
	}
	seeds := [][]string{
		{quick.Encode(), "client_id=x&neighbourhood=BU03440103&place_type=maan&strategy=x&people_count=0",
			"client_id=" + uuid.New() + "&neighbourhood=BU03440102&place_type=online&strategy=linking&occurred_at=2001-01-01T00:00&note=%00", "%zz"},
		{`{"client_id":"` + uuid.New() + `","neighbourhood":"BU03440101","place_type":"straat","strategy":"bridging","people_count":2}`,
			`{"client_id":"x","people_count":"veel","themes":["x"],"follow_up":"initiatief","initiative_id":999}`, `{"onbekend":1}`, `{} {}`, `[`, `null`},
		{`{"client_id":"` + uuid.New() + `","neighbourhood":"BU03440102","place_type":"online","strategy":"linking","note":"\u0000"}`,
			`{"client_id":"` + uuid.New() + `","neighbourhood":"BU03440102","place_type":"online","strategy":"linking","follow_up":"initiatief","initiative_id":"12"}`,
			`{"people_count":1e400}`, `"tekst"`},
		{quick.Encode(), "neighbourhood=&place_type=&strategy=", "client_id=" + uuid.New() + "&neighbourhood=BU03440101&place_type=straat&strategy=bonding&follow_up=doorverwijzing&referral=Buurtteam"},
		{"story=Een+buurvrouw+wil+een+moestuin&confirm=ja", "story=&confirm=nee", "story=%00&confirm=ja"},
		{"buurt=BU03440101&strategie=bonding&thema=zorg&van=2026-01-01&tot=2026-12-31&pagina=2", "weergave=kalender&maand=2026-02",
			"weergave=kalender&maand=0000-01", "van=0000-01-01&tot=9999-12-31", "pagina=99999"},
		{"buurt=BU03440103&pagina=-1", "thema=%27%3B--"},
		{"from=2026-01-01&to=2026-02-01", "from=2026-02-01&to=2026-01-01", "from=gisteren", "from=0000-01-01&to=9999-12-31"},
		{"token_name=Veldapp", "token_name=", "token_name=%00", "token_name=" + strings.Repeat("x", 200)},
		{"", "x=1"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := contactRequests[int(which)%len(contactRequests)]
		path := strings.NewReplacer("{id}", strconv.FormatInt(id, 10), "{token}", strconv.FormatInt(spare.ID, 10)).Replace(req.path)
		var res fuzzcheck.Response
		switch {
		case req.method == "GET" && strings.HasPrefix(path, "/api/"):
			r, err := http.NewRequest(http.MethodGet, s.URL+path+"?"+fuzzcheck.Query(body), nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Authorization", "Bearer "+token)
			res = fuzzcheck.Do(t, http.DefaultClient, r)
		case req.method == "GET":
			res = fuzzcheck.Get(t, c.HTTP, s.URL, path, fuzzcheck.Query(body))
		case req.method == "JSON" && strings.HasPrefix(path, "/api/"):
			res = fuzzcheck.PostJSON(t, http.DefaultClient, s.URL+path, body, token)
		case req.method == "JSON":
			res = fuzzcheck.PostJSON(t, c.HTTP, s.URL+path, body, "")
		default:
			res = fuzzcheck.PostForm(t, c.HTTP, s.URL+path, body)
		}
		fuzzcheck.Answer(t, req.method+" "+path, res)
	})
}
