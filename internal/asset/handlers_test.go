package asset_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestCreateEditDeleteEveryKind(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "eigenaar@example.nl")
	c := s.Login(t, "eigenaar@example.nl")

	tests := []struct {
		kind string
		form url.Values
		want string // how the list shows it
	}{
		{"plek", placeForm(), "Buurthuis De Boog"},
		{"netwerk", url.Values{"soort": {"netwerk"}, "naam": {"Volkstuinvereniging Ons Buiten"}, "buurt": {codeWest},
			"nodig": {"vrijwilligers"}, "zichtbaarheid": {"public"}}, "Volkstuinvereniging Ons Buiten"},
		{"bedrijf", url.Values{"soort": {"bedrijf"}, "naam": {"Fietsenmaker Spaak"}, "buurt": {codeWest},
			"nodig": {"materiaal", "geld"}, "site": {"https://spaak.example.nl/"}, "zichtbaarheid": {"public"}}, "Fietsenmaker Spaak"},
		{"talent", talentForm("Ik kan fietsen repareren"), "eigenaar kan fietsen repareren"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			if tt.form.Get("token") == "" {
				tt.form.Set("token", newTok())
			}
			// The form of the kind opens.
			if res := c.Get("/hulpbronnen/nieuw?soort=" + tt.kind + "&buurt=" + codeWest); res.StatusCode != http.StatusOK ||
				!strings.Contains(res.Body, `name="token"`) || !strings.Contains(res.Body, "Welgelegen, Den Hommel") {
				t.Fatalf("new form: %d", res.StatusCode)
			}
			id := create(t, c, tt.form)
			list := c.Get("/buurten/" + codeWest + "/wie-kan-helpen")
			if list.StatusCode != http.StatusOK {
				t.Fatalf("list: %d", list.StatusCode)
			}
			mustContain(t, list.Body, tt.want, `id="hulpbron-`)
			if t.Failed() {
				t.Log(list.Body)
			}

			// Edit: the form shows the stored values, a change is saved.
			edit := c.Get(path(id, "bewerken"))
			if edit.StatusCode != http.StatusOK {
				t.Fatalf("edit form: %d", edit.StatusCode)
			}
			changed := withValues(tt.form, "naam", tt.form.Get("naam")+" bijgewerkt", "buurt", codeOog)
			changed.Del("token")
			if res := c.PostForm(path(id, "bewerken"), changed); res.StatusCode != http.StatusSeeOther ||
				!strings.HasPrefix(res.Location(), "/buurten/"+codeOog+"/wie-kan-helpen") {
				t.Fatalf("update: %d %s %s", res.StatusCode, res.Location(), res.Body)
			}
			if body := c.Get("/buurten/" + codeOog + "/wie-kan-helpen").Body; !strings.Contains(body, "bijgewerkt") {
				t.Fatal("updated asset not listed in its new neighbourhood")
			}
			var kind string
			if err := s.DB.QueryRow(context.Background(), `SELECT kind FROM assets WHERE id = $1`, id).Scan(&kind); err != nil || kind != tt.kind {
				t.Fatalf("kind after edit = %q, %v", kind, err)
			}

			// Delete.
			res := c.PostForm(path(id, "verwijderen"), url.Values{"volgende": {"/mijn/talenten"}})
			if res.StatusCode != http.StatusSeeOther || res.Location() != "/mijn/talenten" {
				t.Fatalf("delete: %d %s", res.StatusCode, res.Location())
			}
			if body := c.Get("/buurten/" + codeOog + "/wie-kan-helpen").Body; strings.Contains(body, "bijgewerkt") {
				t.Fatal("deleted asset still listed")
			}
			if res := c.Get(path(id, "bewerken")); res.StatusCode != http.StatusNotFound {
				t.Fatalf("edit of deleted asset: %d", res.StatusCode)
			}
		})
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "dubbel@example.nl")
	c := s.Login(t, "dubbel@example.nl")
	form := placeForm()
	first := c.PostForm("/hulpbronnen/nieuw", form)
	second := c.PostForm("/hulpbronnen/nieuw", form)
	if first.StatusCode != http.StatusSeeOther || second.StatusCode != http.StatusSeeOther || first.Location() != second.Location() {
		t.Fatalf("double submit: %d %s / %d %s", first.StatusCode, first.Location(), second.StatusCode, second.Location())
	}
	if n := countAssets(t, s); n != 1 {
		t.Fatalf("double submit stored %d assets", n)
	}
	// Another user replaying the same token gets no access to the first asset.
	s.CreateUser(t, "ander@example.nl")
	other := s.Login(t, "ander@example.nl")
	if res := other.PostForm("/hulpbronnen/nieuw", form); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("token of someone else: %d %s", res.StatusCode, res.Location())
	}
	// A form without a valid token is refused.
	if res := c.PostForm("/hulpbronnen/nieuw", withValues(form, "token", "kort")); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad token: %d", res.StatusCode)
	}
	if n := countAssets(t, s); n != 1 {
		t.Fatalf("refused submits stored assets: %d", n)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "invuller@example.nl")
	c := s.Login(t, "invuller@example.nl")

	long := strings.Repeat("x", 151)
	tests := []struct {
		name string
		form url.Values
		msg  string
		kept string // a value that must be shown again
	}{
		{"empty name", withValues(placeForm(), "naam", "   "), "Vul dit veld in.", "Boogstraat 1"},
		{"name too long", withValues(placeForm(), "naam", long), "Gebruik hoogstens 150 tekens (nu 151).", long},
		{"NUL in name", withValues(placeForm(), "naam", "Boog\x00huis"), "Deze tekst bevat tekens die we niet kunnen opslaan.", "Boogstraat 1"},
		{"NUL in description", withValues(placeForm(), "beschrijving", "a\x00b"), "Deze tekst bevat tekens die we niet kunnen opslaan.", "Buurthuis De Boog"},
		{"description too long", withValues(placeForm(), "beschrijving", strings.Repeat("é", 2001)), "Gebruik hoogstens 2000 tekens", "Buurthuis De Boog"},
		{"unknown kind", withValues(placeForm(), "soort", "kerk"), "Kies wat voor hulpbron je toevoegt.", "Buurthuis De Boog"},
		{"unknown place type", withValues(placeForm(), "type", "kasteel"), "Kies wat voor plek het is.", "Buurthuis De Boog"},
		{"unknown need", withValues(placeForm(), "nodig", "liefde"), "Kies alleen uit de genoemde mogelijkheden.", "Buurthuis De Boog"},
		{"no need", func() url.Values { v := placeForm(); v.Del("nodig"); return v }(), "Kies minstens één ding waarmee dit kan helpen.", "Buurthuis De Boog"},
		{"unknown neighbourhood", withValues(placeForm(), "buurt", "BU99999999"), "Kies een buurt uit de lijst.", "Buurthuis De Boog"},
		{"NUL in neighbourhood", withValues(placeForm(), "buurt", "BU\x00"), "Kies een buurt uit de lijst.", "Buurthuis De Boog"},
		{"bad website", withValues(placeForm(), "site", "javascript:alert(1)"), "Vul een geldig webadres in", "Buurthuis De Boog"},
		{"bad phone", withValues(placeForm(), "telefoon", "bel me"), "Vul een geldig telefoonnummer in", "bel me"},
		{"unknown visibility", withValues(placeForm(), "zichtbaarheid", "geheim"), "Kies wie dit mag zien.", "Buurthuis De Boog"},
		{"empty talent", talentForm("Ik kan…"), "Vul in wat je kunt.", ""},
		{"script shown escaped", withValues(placeForm(), "naam", "<script>alert(1)</script>", "telefoon", "x"),
			"Vul een geldig telefoonnummer in", "&lt;script&gt;alert(1)&lt;/script&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.PostForm("/hulpbronnen/nieuw", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			mustContain(t, res.Body, tt.msg, `data-testid="error-summary"`, tt.kept)
			mustNotContain(t, res.Body, "<script>alert(1)</script>")
		})
	}
	if n := countAssets(t, s); n != 0 {
		t.Fatalf("invalid forms stored %d assets", n)
	}

	// HTML in a stored name is shown escaped on every page.
	create(t, c, withValues(placeForm(), "naam", `<script>alert("x")</script>`, "beschrijving", `<img src=x onerror=alert(1)>`))
	for _, p := range []string{"/buurten/" + codeWest + "/wie-kan-helpen", "/mijn/talenten", "/account"} {
		body := c.Get(p).Body
		mustNotContain(t, body, `<script>alert("x")</script>`, `<img src=x`)
		mustContain(t, body, "&lt;script&gt;")
	}

	// Edit validates the same way and keeps input.
	id := create(t, c, placeForm())
	res := c.PostForm(path(id, "bewerken"), withValues(placeForm(), "naam", "", "adres", "Nieuwe straat 2"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("edit with empty name: %d", res.StatusCode)
	}
	mustContain(t, res.Body, "Vul dit veld in.", "Nieuwe straat 2")
	// An unknown id in the path is a 404, not a 500.
	for _, p := range []string{"/hulpbronnen/abc/bewerken", "/hulpbronnen/0/bewerken", "/hulpbronnen/99999999999999999999/bewerken"} {
		if res := c.Get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
	}
	if res := c.Get("/buurten/BU00000000/wie-kan-helpen"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown neighbourhood page: %d", res.StatusCode)
	}
}

func TestTalentWithoutContactDetails(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "bewoner@example.nl")
	c := s.Login(t, "bewoner@example.nl")
	// Contact fields and a public visibility sent along with a talent are dropped.
	id := create(t, c, withValues(talentForm("koken voor dertig mensen"), "telefoon", "0612345678", "site", "www.mijn.nl",
		"adres", "Thuisstraat 3", "zichtbaarheid", "public"))
	var vis, phone, site, addr, name string
	if err := s.DB.QueryRow(context.Background(), `SELECT visibility, phone, website, address, name FROM assets WHERE id = $1`, id).
		Scan(&vis, &phone, &site, &addr, &name); err != nil {
		t.Fatal(err)
	}
	if vis != "members" || phone != "" || site != "" || addr != "" || name != "koken voor dertig mensen" {
		t.Fatalf("talent stored as %q %q %q %q %q", vis, phone, site, addr, name)
	}
}

func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "eigenaar@example.nl")
	s.CreateUser(t, "ander@example.nl")
	s.CreateUser(t, "werker@example.nl", role.Worker)
	s.CreateUser(t, "gemeente@example.nl", role.Officer)
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	owner := s.Login(t, "eigenaar@example.nl")
	clients := map[string]*testkit.Client{
		"anonymous": s.Client(t),
		"owner":     owner,
		"other":     s.Login(t, "ander@example.nl"),
		"worker":    s.Login(t, "werker@example.nl"),
		"officer":   s.Login(t, "gemeente@example.nl"),
		"admin":     s.Login(t, "beheer@example.nl"),
	}
	roles := []string{"anonymous", "owner", "other", "worker", "officer", "admin"}
	const login = 303 // anonymous: to the login page

	type route struct {
		method, path string
		form         func() url.Values
		want         map[string]int
	}
	fresh := func() int64 { return create(t, owner, placeForm()) }
	editForm := func() url.Values { v := placeForm(); v.Del("token"); return v }
	ok := func(anon, own, other, worker, officer, admin int) map[string]int {
		return map[string]int{"anonymous": anon, "owner": own, "other": other, "worker": worker, "officer": officer, "admin": admin}
	}
	listPath := "/buurten/" + codeWest + "/wie-kan-helpen"
	routes := []route{
		{"GET", listPath, nil, ok(200, 200, 200, 200, 200, 200)},
		{"GET", "/hulpbronnen/nieuw", nil, ok(login, 200, 200, 200, 403, 200)},
		{"GET", "/hulpbronnen/nieuw?soort=plek&buurt=" + codeWest, nil, ok(login, 200, 200, 200, 403, 200)},
		{"POST", "/hulpbronnen/nieuw", placeForm, ok(login, 303, 303, 303, 403, 303)},
		{"GET", "/mijn/talenten", nil, ok(login, 200, 200, 200, 200, 200)},
		{"GET", "edit", nil, ok(login, 200, 404, 404, 404, 200)},
		{"POST", "edit", editForm, ok(login, 303, 404, 404, 404, 303)},
		{"POST", "delete", func() url.Values { return url.Values{} }, ok(login, 303, 404, 404, 404, 303)},
		{"GET", "hide", nil, ok(login, 403, 403, 403, 403, 200)},
		{"POST", "hide", func() url.Values { return url.Values{"reden": {"Reclame"}} }, ok(login, 403, 403, 403, 403, 303)},
		{"POST", "show", func() url.Values { return url.Values{} }, ok(login, 403, 403, 403, 403, 303)},
	}
	actions := map[string]string{"edit": "bewerken", "delete": "verwijderen", "hide": "verbergen", "show": "tonen"}
	for _, rt := range routes {
		for _, role := range roles {
			p := rt.path
			if a, isAction := actions[rt.path]; isAction {
				p = path(fresh(), a) // a fresh asset of owner per check
			}
			c := clients[role]
			var res testkit.Response
			if rt.method == "GET" {
				res = c.Get(p)
			} else {
				res = c.PostForm(p, rt.form())
			}
			if want := rt.want[role]; res.StatusCode != want {
				t.Errorf("%s %s as %s: %d, want %d", rt.method, rt.path, role, res.StatusCode, want)
			} else if role == "anonymous" && want == login && !strings.HasPrefix(res.Location(), "/inloggen") {
				t.Errorf("%s %s as anonymous: redirect to %q, want login", rt.method, rt.path, res.Location())
			}
		}
	}
	// The changes of those who were refused left nothing behind.
	var audited int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action LIKE 'asset.%'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	// admin: edit (1), delete (1), hide (1), show (1) of someone else's asset.
	if audited != 4 {
		t.Errorf("audit lines for admin actions = %d, want 4", audited)
	}
}

func TestTalentsOnlyForLoggedInWithFirstName(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	fatima := s.CreateUser(t, "f.elamrani@example.nl")
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET display_name = 'Fatima El Amrani' WHERE id = $1`, fatima.ID); err != nil {
		t.Fatal(err)
	}
	s.CreateUser(t, "buur@example.nl")
	fc := s.Login(t, "f.elamrani@example.nl")
	create(t, fc, talentForm("naaimachines repareren", "kennis", "materiaal"))
	create(t, fc, withValues(placeForm(), "naam", "Ledenruimte Het Hok", "zichtbaarheid", "members"))
	create(t, fc, placeForm())

	listPath := "/buurten/" + codeWest + "/wie-kan-helpen"
	anon := s.Client(t)
	res := anon.Get(listPath)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", res.StatusCode)
	}
	mustContain(t, res.Body, "Buurthuis De Boog", "Talenten van bewoners", "ingelogd")
	mustNotContain(t, res.Body, "naaimachines", "Fatima", "Het Hok", "f.elamrani")
	// Filtering does not open a way round it.
	mustNotContain(t, anon.Get(listPath+"?nodig=kennis&nodig=materiaal").Body, "naaimachines", "Het Hok")

	buur := s.Login(t, "buur@example.nl")
	body := buur.Get(listPath).Body
	mustContain(t, body, "Fatima kan naaimachines repareren", "Ledenruimte Het Hok", "alleen voor ingelogde gebruikers")
	mustNotContain(t, body, "El Amrani", "f.elamrani@example.nl")

	// The neighbourhood section and the help block follow the same rule.
	h := newHandler(s)
	for _, v := range []struct {
		name     string
		loggedIn bool
	}{{"anonymous", false}, {"logged in", true}} {
		viewer := viewerFor(v.loggedIn, 999)
		sec := render(t, must(h.NeighbourhoodSection(context.Background(), g.west, viewer)))
		help := render(t, must(h.HelpFor(context.Background(), []int64{g.west}, []string{"kennis", "materiaal", "ruimte"}, viewer)))
		for _, html := range []string{sec, help} {
			if v.loggedIn {
				mustContain(t, html, "Fatima kan naaimachines repareren")
				mustNotContain(t, html, "El Amrani", "f.elamrani")
			} else {
				mustNotContain(t, html, "naaimachines", "Fatima", "Het Hok")
			}
		}
	}

	// A municipality officer sees members-only places but never residents'
	// talents (aggregates and shared stories only), on no page or block.
	s.CreateUser(t, "ambtenaar-talent@example.nl", role.Resident, role.Officer)
	officer := s.Login(t, "ambtenaar-talent@example.nl")
	body = officer.Get(listPath).Body
	mustContain(t, body, "Ledenruimte Het Hok")
	mustNotContain(t, body, "naaimachines", "Fatima")
	officerView := &httpx.Viewer{ID: 998, Name: "Ambtenaar", Roles: []role.Role{role.Resident, role.Officer}}
	for _, html := range []string{
		render(t, must(h.NeighbourhoodSection(context.Background(), g.west, officerView))),
		render(t, must(h.HelpFor(context.Background(), []int64{g.west}, []string{"kennis", "materiaal", "ruimte"}, officerView))),
	} {
		mustNotContain(t, html, "naaimachines", "Fatima")
	}

	// Deleting the account deletes the talent; a place stays on the map.
	if _, err := s.DB.Exec(context.Background(), `DELETE FROM accounts WHERE id = $1`, fatima.ID); err != nil {
		t.Fatal(err)
	}
	var talents, places int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE kind = 'talent'), count(*) FILTER (WHERE kind = 'plek') FROM assets`).
		Scan(&talents, &places); err != nil {
		t.Fatal(err)
	}
	if talents != 0 || places != 2 {
		t.Fatalf("after account deletion: %d talents, %d places", talents, places)
	}
}

func TestFirstNameNeverAnEmail(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	u := s.CreateUser(t, "mail@example.nl")
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET display_name = 'mail@example.nl' WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	c := s.Login(t, "mail@example.nl")
	create(t, c, talentForm("tuinieren"))
	body := c.Get("/buurten/" + codeWest + "/wie-kan-helpen").Body
	mustContain(t, body, "Een bewoner kan tuinieren")
	mustNotContain(t, body, "mail@example.nl kan")
}

func TestFilterByNeed(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "filter@example.nl")
	c := s.Login(t, "filter@example.nl")
	create(t, c, withValues(placeForm(), "naam", "Zaal Ruimtelijk", "nodig", "ruimte"))
	create(t, c, withValues(placeForm(), "naam", "Kas Geldig", "nodig", "geld"))
	body := c.Get("/buurten/" + codeWest + "/wie-kan-helpen?nodig=ruimte&nodig=onbekend").Body
	mustContain(t, body, "Zaal Ruimtelijk", "1 hulpbron gevonden.")
	mustNotContain(t, body, "Kas Geldig")
	body = c.Get("/buurten/" + codeWest + "/wie-kan-helpen").Body
	mustContain(t, body, "Zaal Ruimtelijk", "Kas Geldig", "2 hulpbronnen gevonden.")
}

func TestAdminHidesAndShows(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "eigenaar@example.nl")
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	owner := s.Login(t, "eigenaar@example.nl")
	admin := s.Login(t, "beheer@example.nl")
	id := create(t, owner, withValues(placeForm(), "naam", "Foute Reclame BV"))
	listPath := "/buurten/" + codeWest + "/wie-kan-helpen"

	if res := admin.PostForm(path(id, "verbergen"), url.Values{"reden": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Schrijf kort op waarom je dit verbergt.") {
		t.Fatalf("hide without reason: %d", res.StatusCode)
	}
	if res := admin.PostForm(path(id, "verbergen"), url.Values{"reden": {strings.Repeat("r", 301)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("hide with long reason: %d", res.StatusCode)
	}
	if res := admin.PostForm(path(id, "verbergen"), url.Values{"reden": {"Dit is <b>reclame</b>."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.StatusCode)
	}
	mustNotContain(t, s.Client(t).Get(listPath).Body, "Foute Reclame BV")
	mustNotContain(t, owner.Get(listPath).Body, "Foute Reclame BV")
	mine := owner.Get("/mijn/talenten").Body
	mustContain(t, mine, "Foute Reclame BV", "Verborgen door een beheerder: Dit is &lt;b&gt;reclame&lt;/b&gt;.")
	adminList := admin.Get(listPath).Body
	mustContain(t, adminList, "Foute Reclame BV", "Weer tonen")

	if res := admin.PostForm(path(id, "tonen"), url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("show: %d", res.StatusCode)
	}
	mustContain(t, s.Client(t).Get(listPath).Body, "Foute Reclame BV")
	if res := admin.Get(path(99999, "verbergen")); res.StatusCode != http.StatusNotFound {
		t.Fatalf("hide unknown: %d", res.StatusCode)
	}
}

func TestMineAndAccountSection(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "ik@example.nl")
	s.CreateUser(t, "jij@example.nl")
	s.CreateUser(t, "ambtenaar@example.nl", role.Officer)
	me := s.Login(t, "ik@example.nl")
	you := s.Login(t, "jij@example.nl")
	id := create(t, me, talentForm("gitaar spelen"))
	create(t, you, talentForm("schilderen"))

	for _, p := range []string{"/mijn/talenten", "/account"} {
		body := me.Get(p).Body
		mustContain(t, body, "Ik kan gitaar spelen", path(id, "bewerken"), path(id, "verwijderen"), "Mijn talenten en hulpbronnen")
		mustNotContain(t, body, "schilderen")
	}
	// An officer, who cannot add assets, gets no empty section on /account.
	officer := s.Login(t, "ambtenaar@example.nl")
	if body := officer.Get("/account").Body; strings.Contains(body, "asset-account-section") {
		t.Error("officer without assets sees the asset section")
	}
}

func TestMunicipalityChooser(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "nieuw@example.nl")
	c := s.Login(t, "nieuw@example.nl")
	// Without any tie to a municipality, the form asks for one first.
	res := c.Get("/hulpbronnen/nieuw?soort=netwerk")
	mustContain(t, res.Body, `data-testid="choose-municipality"`, "Leiden", "Utrecht")
	mustNotContain(t, res.Body, `name="naam"`)
	// Choosing Leiden lists its neighbourhoods, grouped by municipality.
	res = c.Get("/hulpbronnen/nieuw?soort=netwerk&gemeente=GM0546")
	mustContain(t, res.Body, `<optgroup label="Gemeente Leiden">`, "Levendaal-West", `name="naam"`)
	mustNotContain(t, res.Body, "Oog in Al")
	// Junk in the query is ignored, never echoed.
	res = c.Get("/hulpbronnen/nieuw?soort=plek&gemeente=%3Cscript%3E&buurt=%00x")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("junk query: %d", res.StatusCode)
	}
	mustNotContain(t, res.Body, "<script>", "&lt;script", "\x00x")
	// The first step offers the four kinds.
	res = c.Get("/hulpbronnen/nieuw?buurt=" + codeWest)
	mustContain(t, res.Body, "buurt="+codeWest+"&amp;soort=talent", "Ontmoetingsplek", "Netwerk of vereniging", "Ondernemer")
}

func TestNeighbourhoodPageShowsSection(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "buurtpagina@example.nl")
	c := s.Login(t, "buurtpagina@example.nl")
	create(t, c, placeForm())
	create(t, c, talentForm("zingen"))

	anon := s.Client(t).Get("/buurten/" + codeWest)
	if anon.StatusCode != http.StatusOK {
		t.Fatalf("neighbourhood page: %d", anon.StatusCode)
	}
	mustContain(t, anon.Body, `data-testid="asset-section"`, "Buurthuis De Boog", "/buurten/"+codeWest+"/wie-kan-helpen")
	mustNotContain(t, anon.Body, "zingen")
	mustContain(t, c.Get("/buurten/"+codeWest).Body, "buurtpagina kan zingen")
}

// TestInitiativePageShowsWhoCanHelp checks the wiring of initiative.HelpFinder: an
// initiative needing room shows the room in its neighbourhood, and the
// talent only to a logged-in viewer.
func TestInitiativePageShowsWhoCanHelp(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "trekker@example.nl")
	c := s.Login(t, "trekker@example.nl")
	create(t, c, withValues(placeForm(), "nodig", "ruimte"))
	create(t, c, talentForm("tafels sjouwen", "ruimte"))
	create(t, c, withValues(placeForm(), "naam", "Zaal in Leiden", "buurt", codeLeid, "nodig", "ruimte"))

	form := c.Get("/initiatieven/nieuw?gemeente=GM0344")
	m := regexp.MustCompile(`name="sleutel" value="([^"]+)"`).FindStringSubmatch(form.Body)
	if form.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("initiative form: %d", form.StatusCode)
	}
	res := c.PostForm("/initiatieven/nieuw", url.Values{
		"gemeente": {"GM0344"}, "sleutel": {m[1]}, "titel": {"Buurtmaaltijd"}, "samenvatting": {"Samen eten op vrijdag."},
		"beschrijving": {"Elke vrijdag koken buren voor buren."}, "buurt": {codeWest}, "thema": {"ontmoeting"}, "vorm": {"informal"},
		"status": {"idee"}, "behoefte": {"ruimte"}, "behoefte_ruimte": {"Een zaal met keuken"}, "contact": {"email"},
		"contactgegevens": {"maaltijd@example.org"}, "zichtbaarheid": {"public"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create initiative: %d", res.StatusCode)
	}
	page := res.Location()
	anon := s.Client(t).Get(page)
	if anon.StatusCode != http.StatusOK {
		t.Fatalf("initiative page: %d", anon.StatusCode)
	}
	mustContain(t, anon.Body, `data-testid="help-for"`, "Voor ruimte", "Buurthuis De Boog")
	mustNotContain(t, anon.Body, "tafels sjouwen", "Zaal in Leiden")
	mustContain(t, c.Get(page).Body, "trekker kan tafels sjouwen")
}
