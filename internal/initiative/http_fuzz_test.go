package initiative_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// initiativeForms are the requests FuzzInitiativeHTTP sends, by the fuzzed
// selector; {id} is an initiative of the owner. (Applications to funds are
// fuzzed in internal/fund.)
var initiativeForms = []struct {
	method, path, as string
}{
	{"POST", "/initiatieven/nieuw", "owner"},
	{"POST", "/initiatieven/{id}/bewerken", "owner"},
	{"POST", "/initiatieven/{id}/status", "owner"},
	{"POST", "/initiatieven/{id}/eigenaren", "owner"},
	{"POST", "/initiatieven/{id}/berichten", "owner"},
	{"POST", "/initiatieven/{id}/meedoen", "other"},
	{"POST", "/initiatieven/{id}/aanbod", "other"},
	{"POST", "/initiatieven/{id}/melden", "other"},
	{"POST", "/initiatieven/{id}/verbergen", "admin"},
	{"GET", "/initiatieven", "anonymous"},
	{"GET", "/api/v1/initiatives", "anonymous"},
	{"GET", "/initiatieven/nieuw", "owner"},
}

// FuzzInitiativeHTTP posts fuzzed initiative, update, offer, report,
// and fuzzed list and API filters, to the running
// platform: never a 5xx, and every refusal is a 4xx that says what is wrong
// (an HTML page, or JSON "error" for the API).
func FuzzInitiativeHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	g := fuzzcheck.SeedGeo(f, s.DB)
	s.CreateUser(f, "eigenaar@voorbeeld.nl")
	s.CreateUser(f, "buur@voorbeeld.nl")
	s.CreateUser(f, "gemeente@voorbeeld.nl", role.Officer)
	s.CreateUser(f, "beheerder@voorbeeld.nl", role.Admin)
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET municipality_id = $1 WHERE email = 'gemeente@voorbeeld.nl'`, g.Municipality); err != nil {
		f.Fatal(err)
	}
	clients := map[string]*testkit.Client{
		"owner": s.Login(f, "eigenaar@voorbeeld.nl"), "other": s.Login(f, "buur@voorbeeld.nl"),
		"officer": s.Login(f, "gemeente@voorbeeld.nl"), "admin": s.Login(f, "beheerder@voorbeeld.nl"), "anonymous": s.Client(f),
	}
	create := url.Values{
		"gemeente": {"GM0344"}, "sleutel": {uuid.New()}, "titel": {"Moestuin Lombok"}, "samenvatting": {"Samen groente kweken."},
		"beschrijving": {"Met vijf buren.\nIedereen welkom."}, "buurt": {"BU03440101"}, "thema": {"ontmoeting"}, "vorm": {"informal"},
		"status": {"idee"}, "behoefte": {"geld", "vrijwilligers"}, "contact": {"platform"}, "zichtbaarheid": {"public"},
	}
	res := clients["owner"].PostForm("/initiatieven/nieuw", create)
	if res.StatusCode != http.StatusSeeOther {
		f.Fatalf("create initiative: %d", res.StatusCode)
	}
	id := strings.TrimPrefix(res.Location(), "/initiatieven/")
	edit := url.Values{}
	for k, v := range create {
		edit[k] = v
	}
	edit.Set("versie", "1")

	seeds := [][]string{
		{create.Encode(), "gemeente=GM0344&sleutel=" + uuid.New() + "&titel=%00&buurt=BU99999999&thema=x&vorm=bv",
			"gemeente=GM9999&sleutel=" + uuid.New(), "gemeente=GM0344&sleutel=kapot", "titel=%zz"},
		{edit.Encode(), "versie=0&titel=" + strings.Repeat("x", 121)},
		{"nieuwe_status=actief&toelichting=We+zijn+begonnen", "nieuwe_status=klaar", "nieuwe_status=gepauzeerd&toelichting=%00"},
		{"eigenaar_email=buur@voorbeeld.nl", "eigenaar_email=onbekend@voorbeeld.nl", "eigenaar_email=x"},
		{"bericht_sleutel=" + uuid.New() + "&bericht=Eerste+oogst!", "bericht_sleutel=" + uuid.New() + "&bericht=", "bericht=zonder+sleutel"},
		{"actie=mee", "actie=af", "actie=misschien"},
		{"hulp=geld&hulp_bericht=Ik+doneer+50+euro", "hulp=ruimte&hulp_bericht=", "hulp=liefde&hulp_bericht=x"},
		{"melding=Dit+is+reclame", "melding=", "melding=%00"},
		{"reden=Ongepast", "reden="},
		{"zoek=moestuin&gemeente=GM0344&thema=ontmoeting&status=idee&behoefte=geld", "zoek=%00", "buurt=BU0344", "pagina=-1", "thema=%27%3B--"},
		{"q=moestuin&limit=5", "limit=0", "limit=101", "cursor=%%%", "cursor=aTEuNQ", "municipality=GM0344&district=WK034401&neighbourhood=BU03440101&need=geld", "theme=x"},
		{"gemeente=GM0344", "kies=1", "gemeente=%00"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}

	f.Fuzz(func(t *testing.T, which uint8, body string) {
		form := initiativeForms[int(which)%len(initiativeForms)]
		path := strings.ReplaceAll(form.path, "{id}", id)
		c := clients[form.as].HTTP
		var res fuzzcheck.Response
		if form.method == "GET" {
			res = fuzzcheck.Get(t, c, s.URL, path, fuzzcheck.Query(body))
		} else {
			res = fuzzcheck.PostForm(t, c, s.URL+path, body)
		}
		fuzzcheck.Answer(t, form.method+" "+path, res)
	})
}
