package account_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// accountForms are the requests FuzzAccountHTTP sends, by the fuzzed selector
// (account deletion by an account of its own, which a lucky guess may end).
// Anonymous forms get a fresh browser each time (a registration leaves
// its account's id in that browser's session).
var accountForms = []struct {
	method, path string
	as           string // "", "resident" or "admin"
}{
	{"POST", "/registreren", ""},
	{"POST", "/inloggen", ""},
	{"POST", "/wachtwoord-vergeten", ""},
	{"POST", "/wachtwoord-herstellen", ""},
	{"POST", "/account/wachtwoord", "resident"},
	{"POST", "/beheer/organisaties", "admin"},
	{"POST", "/beheer/accounts/{id}/rollen", "admin"},
	{"GET", "/beheer/accounts", "admin"},
	{"GET", "/beheer/accounts/{id}", "admin"},
	{"GET", "/beheer/audit", "admin"},
	{"POST", "/account/verwijderen", "leaver"},
	{"GET", "/email-bevestigen", ""},
	{"POST", "/email-bevestigen", ""},
	{"POST", "/account/bevestiging-opnieuw", "resident"},
}

// FuzzAccountHTTP posts fuzzed registration, login, password and
// administration forms (and list filters) to the running platform: never a
// 5xx, and every refusal is a 4xx page that says what is wrong.
func FuzzAccountHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	g := fuzzcheck.SeedGeo(f, s.DB)
	s.CreateUser(f, "bewoner@voorbeeld.nl")
	target := s.CreateUser(f, "doel@voorbeeld.nl")
	s.CreateUser(f, "beheerder@voorbeeld.nl", role.Admin)
	resident := s.Login(f, "bewoner@voorbeeld.nl")
	admin := s.Login(f, "beheerder@voorbeeld.nl")
	s.CreateUser(f, "vertrekker@voorbeeld.nl")
	leaver := s.Login(f, "vertrekker@voorbeeld.nl")
	home := strconv.FormatInt(g.Neighbourhoods[fuzzcheck.GeoCodes[0]], 10)

	seeds := [][]url.Values{
		{{"email": {"nieuw@voorbeeld.nl"}, "name": {"Nieuwe Buur"}, "password": {"een lange zin als wachtwoord"}, "buurt": {home}},
			{"email": {"x"}, "name": {"\x00"}, "password": {"kort"}, "buurt": {"-1"}},
			{"email": {"a@b.nl"}, "name": {"<script>alert(1)</script>"}, "password": {"aaaaaaaaaaaa"}, "buurt": {"99999999999999999999"}}},
		{{"email": {"bewoner@voorbeeld.nl"}, "password": {testkit.Password}, "volgende": {"//evil.example"}},
			{"email": {"geen@voorbeeld.nl"}, "password": {"fout"}}, {"email": {"\xff"}}},
		{{"email": {"bewoner@voorbeeld.nl"}}, {"email": {""}}, {"email": {"a@b"}}},
		{{"token": {"abc"}, "password": {"een lange zin als wachtwoord"}}, {"token": {""}}},
		{{"current_password": {testkit.Password}, "new_password": {"kort"}}, {"current_password": {""}, "new_password": {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"}}},
		{{"naam": {"Buurthuis De Pijp"}, "soort": {"welzijn"}}, {"naam": {""}, "soort": {"onbekend"}}, {"naam": {"a\x00"}, "soort": {"school"}}},
		{{"rollen": {"worker"}, "werkgebied": {home}}, {"rollen": {"officer"}, "gemeente": {"x"}}, {"rollen": {"koning"}, "organisatie": {"1"}},
			{"rollen": {"worker"}, "werkgebied": {"1", "abc", "-5", "99999999"}}},
		{{"q": {"bewoner"}, "rol": {"admin"}, "pagina": {"2"}}, {"q": {"%_\\"}, "pagina": {"99999999"}}, {"q": {"\x00"}, "rol": {"'; DROP TABLE accounts; --"}}},
		{{"toon": {"1"}, "rollen": {"worker"}, "werkgebied": {"abc", home}, "toon_gemeente": {"-1"}}},
		{{"pagina": {"100000"}}, {"pagina": {"-3"}}},
		{{"password": {"fout wachtwoord"}, "confirm": {"ja"}}, {"password": {""}}, {"password": {"\x00"}, "confirm": {"misschien"}}},
		{{"t": {"MTI6YWJj.zz.c2ln"}}, {"t": {""}}, {"t": {"..."}}},
		{{"t": {"MTI6YWJj.zz.c2ln"}}, {"t": {"\x00"}}, {"t": {strings.Repeat("a", 600)}}},
		{{}},
	}
	for which, vs := range seeds {
		for _, v := range vs {
			f.Add(uint8(which), v.Encode())
		}
	}
	f.Add(uint8(0), "email=%zz&password=%")
	f.Add(uint8(6), "rollen=worker&rollen=worker&werkgebied="+home+"&werkgebied="+home)

	f.Fuzz(func(t *testing.T, which uint8, body string) {
		form := accountForms[int(which)%len(accountForms)]
		path := strings.ReplaceAll(form.path, "{id}", strconv.FormatInt(target.ID, 10))
		c := s.Client(t).HTTP
		switch form.as {
		case "resident":
			c = resident.HTTP
		case "admin":
			c = admin.HTTP
		case "leaver":
			c = leaver.HTTP
		}
		var res fuzzcheck.Response
		if form.method == "GET" {
			res = fuzzcheck.Get(t, c, s.URL, path, fuzzcheck.Query(body))
		} else {
			res = fuzzcheck.PostForm(t, c, s.URL+path, body)
		}
		fuzzcheck.Answer(t, form.method+" "+path, res)
	})
}
