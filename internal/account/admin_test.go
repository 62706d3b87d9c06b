package account_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func idPath(a account.Account) string { return "/beheer/accounts/" + strconv.FormatInt(a.ID, 10) }

func municipalityID(t *testing.T, s *testkit.Server, code string) string {
	t.Helper()
	var id int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM municipalities WHERE code = $1`, code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

func auditCount(t *testing.T, s *testkit.Server, action string, actor, subject int64) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND subject_type = 'account' AND subject_id = $3`,
		action, actor, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The demo story: an administrator makes a resident an opbouwwerker for a
// Utrecht neighbourhood; it takes effect at the user's next request.
func TestAdminMakesWorker(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	places := seedPlaces(t, s.DB)
	admin := s.CreateUser(t, "beheer@example.nl", role.Resident, role.Admin)
	lies := s.CreateUser(t, "lies@example.nl")
	ac := s.Login(t, "beheer@example.nl")
	lc := s.Login(t, "lies@example.nl")
	if page := lc.Get("/account"); strings.Contains(page.Body, "opbouwwerker") {
		t.Fatal("already a worker")
	}

	list := ac.Get("/beheer/accounts?q=lies")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `href="`+idPath(lies)+`"`) {
		t.Fatalf("account list: %d", list.StatusCode)
	}
	page := ac.Get(idPath(lies))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "lies@example.nl") {
		t.Fatalf("account page: %d", page.StatusCode)
	}
	if auditCount(t, s, "account.view", admin.ID, lies.ID) != 1 {
		t.Fatal("viewing another account was not audited")
	}
	// Pick Utrecht to list its neighbourhoods; the draft keeps ticked roles.
	utrecht := municipalityID(t, s, "GM0344")
	draft := ac.Get(idPath(lies) + "?toon=1&rollen=worker&toon_gemeente=" + utrecht)
	for _, want := range []string{"Binnenstad (Utrecht)", "Oost (Utrecht)", ">Domplein <", `value="worker" checked`} {
		if !strings.Contains(draft.Body, want) {
			t.Errorf("draft lacks %s", want)
		}
	}
	if strings.Contains(draft.Body, "Pieterswijk") {
		t.Error("Leiden's neighbourhoods listed for Utrecht")
	}

	domplein := strconv.FormatInt(places["BU03440101"], 10)
	res := ac.PostForm(idPath(lies)+"/rollen", url.Values{"rollen": {"worker"}, "werkgebied": {domplein}, "toon_gemeente": {utrecht}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != idPath(lies) {
		t.Fatalf("assign: %d %q: %s", res.StatusCode, res.Location(), res.Body)
	}
	if auditCount(t, s, "account.roles", admin.ID, lies.ID) != 1 {
		t.Fatal("role change not audited")
	}
	// Lies' very next request sees the new role and work area.
	mine := lc.Get("/account")
	for _, want := range []string{"bewoner, opbouwwerker", "Domplein"} {
		if !strings.Contains(mine.Body, want) {
			t.Errorf("Lies' account page lacks %q", want)
		}
	}
	// The detail page now preselects Utrecht and the ticked work area.
	again := ac.Get(idPath(lies))
	if !strings.Contains(again.Body, `value="`+domplein+`" checked`) || !strings.Contains(again.Body, "Binnenstad (Utrecht)") {
		t.Error("saved work area not shown as ticked")
	}
	// Taking the role away removes the work areas too.
	if res := ac.PostForm(idPath(lies)+"/rollen", url.Values{"werkgebied": {domplein}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove role: %d", res.StatusCode)
	}
	var areas int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM account_work_areas WHERE account_id = $1`, lies.ID).Scan(&areas); err != nil {
		t.Fatal(err)
	}
	if areas != 0 || strings.Contains(lc.Get("/account").Body, "opbouwwerker") {
		t.Errorf("role removal not effective (%d work areas left)", areas)
	}
	audit := ac.Get("/beheer/audit")
	for _, want := range []string{"Account bekeken", "Rollen gewijzigd", "rollen: bewoner, opbouwwerker; werkgebied: 1 buurten"} {
		if !strings.Contains(audit.Body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}

func TestAdminAssignValidation(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	places := seedPlaces(t, s.DB)
	admin := s.CreateUser(t, "beheer@example.nl", role.Resident, role.Admin)
	mo := s.CreateUser(t, "mo@example.nl")
	ac := s.Login(t, "beheer@example.nl")
	domplein := strconv.FormatInt(places["BU03440101"], 10)
	tests := []struct {
		name    string
		target  account.Account
		form    url.Values
		message string
	}{
		{"worker without work area", mo, url.Values{"rollen": {"worker"}}, "Kies minstens één buurt als werkgebied"},
		{"officer without municipality", mo, url.Values{"rollen": {"officer"}}, "Kies de gemeente waarvoor deze medewerker werkt."},
		{"officer with unknown municipality", mo, url.Values{"rollen": {"officer"}, "gemeente": {"999999"}}, "Kies de gemeente waarvoor deze medewerker werkt."},
		{"unknown role", mo, url.Values{"rollen": {"superuser"}}, "Kies alleen rollen uit de lijst."},
		{"unknown organisation", mo, url.Values{"organisatie": {"424242"}}, "Kies uit de lijst."},
		{"unknown neighbourhood", mo, url.Values{"rollen": {"worker"}, "werkgebied": {"987654"}}, "Kies uit de lijst."},
		{"junk neighbourhood", mo, url.Values{"rollen": {"worker"}, "werkgebied": {domplein, "x"}}, "Kies uit de lijst."},
		{"own admin role", admin, url.Values{"rollen": {"worker"}, "werkgebied": {domplein}}, "Je kunt je eigen beheerdersrol niet intrekken."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ac.PostForm(idPath(tt.target)+"/rollen", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.message) {
				t.Fatalf("status %d, body lacks %q", res.StatusCode, tt.message)
			}
			if tt.form.Get("rollen") != "" && tt.form.Get("rollen") != "superuser" && !strings.Contains(res.Body, `value="`+tt.form.Get("rollen")+`" checked`) {
				t.Error("ticked role not kept")
			}
		})
	}
	var roles []string
	if err := s.DB.QueryRow(context.Background(), `SELECT roles FROM accounts WHERE id = $1`, mo.ID).Scan(&roles); err != nil {
		t.Fatal(err)
	}
	if strings.Join(roles, ",") != "resident" {
		t.Fatalf("invalid posts changed roles to %v", roles)
	}
	if res := ac.PostForm("/beheer/accounts/999999/rollen", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown account: %d", res.StatusCode)
	}
	if res := ac.Get("/beheer/accounts/abc"); res.StatusCode != http.StatusNotFound {
		t.Errorf("junk id: %d", res.StatusCode)
	}
}

func TestAdminRoleChangesTakeEffect(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedPlaces(t, s.DB)
	s.CreateUser(t, "eerste@example.nl", role.Admin)
	tweede := s.CreateUser(t, "tweede@example.nl", role.Admin)
	first := s.Login(t, "eerste@example.nl")
	second := s.Login(t, "tweede@example.nl")
	if res := second.Get("/beheer"); res.StatusCode != http.StatusOK {
		t.Fatalf("second admin: %d", res.StatusCode)
	}
	// An officer for Leiden instead of an admin.
	leiden := municipalityID(t, s, "GM0546")
	if res := first.PostForm(idPath(tweede)+"/rollen", url.Values{"rollen": {"officer"}, "gemeente": {leiden}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", res.StatusCode, res.Body)
	}
	if res := second.Get("/beheer"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("former admin on /beheer: %d", res.StatusCode)
	}
	if page := second.Get("/account"); !strings.Contains(page.Body, "Leiden") || !strings.Contains(page.Body, "gemeente") {
		t.Error("officer's municipality not shown")
	}

	// Changing one's own roles renews the session token.
	before := sessionCookie(t, s, first)
	self := s.CreateUser(t, "ignored@example.nl") // keep ids apart
	_ = self
	var firstID int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM accounts WHERE email = 'eerste@example.nl'`).Scan(&firstID); err != nil {
		t.Fatal(err)
	}
	res := first.PostForm("/beheer/accounts/"+strconv.FormatInt(firstID, 10)+"/rollen", url.Values{"rollen": {"admin", "officer"}, "gemeente": {leiden}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own roles: %d %s", res.StatusCode, res.Body)
	}
	if after := sessionCookie(t, s, first); after == before || after == "" {
		t.Error("session token not renewed after changing own roles")
	}
	if page := first.Get("/beheer"); page.StatusCode != http.StatusOK {
		t.Errorf("admin after own change: %d", page.StatusCode)
	}
	if auditCount(t, s, "account.view", firstID, firstID) != 0 {
		t.Error("viewing one's own account audited as access to someone else's data")
	}
}

func TestAdminAccountSearchAndPaging(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	s.CreateUser(t, "werker@example.nl", role.Worker)
	if _, err := s.DB.Exec(context.Background(), `INSERT INTO accounts (email, display_name, password_hash)
		SELECT 'persoon' || i || '@voorbeeld.nl', 'Persoon ' || i, 'x' FROM generate_series(1, 30) i;
		INSERT INTO accounts (email, display_name, password_hash) VALUES ('anna@example.nl', 'Anna de Vries', 'x'), ('pct@example.nl', '100% _raar_', 'x')`); err != nil {
		t.Fatal(err)
	}
	c := s.Login(t, "beheer@example.nl")
	tests := []struct {
		query     string
		count     string
		want, not []string
	}{
		{"", "34 accounts gevonden.", []string{"Anna de Vries", "Volgende pagina", "Pagina 1 van 2"}, nil},
		{"?pagina=2", "34 accounts gevonden.", []string{"Vorige pagina", "Pagina 2 van 2"}, []string{"Volgende pagina"}},
		{"?q=vries", "1 account gevonden.", []string{"Anna de Vries"}, []string{"Persoon"}},
		{"?q=ANNA%40", "1 account gevonden.", []string{"Anna de Vries"}, nil},
		{"?q=anna+vr", "1 account gevonden.", []string{"Anna de Vries"}, nil},
		{"?q=persoon1", "11 accounts gevonden.", []string{"Persoon 10"}, []string{"Anna"}},
		{"?q=%25", "0 accounts gevonden.", nil, []string{"Anna"}},
		{"?q=100%25", "1 account gevonden.", []string{"100% _raar_"}, nil},
		{"?q=%3Cscript%3E", "0 accounts gevonden.", []string{"&lt;script&gt;"}, []string{"<script>"}},
		{"?q=a%00b", "", nil, nil},
		{"?rol=worker", "1 account gevonden.", []string{"werker@example.nl"}, []string{"Anna"}},
		{"?rol=admin&q=beh", "1 account gevonden.", []string{"beheer@example.nl"}, nil},
		{"?rol=bestaat-niet", "34 accounts gevonden.", nil, nil},
		{"?pagina=-3", "34 accounts gevonden.", []string{"Pagina 1 van 2"}, nil},
	}
	for _, tt := range tests {
		res := c.Get("/beheer/accounts" + tt.query)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.query, res.StatusCode)
			continue
		}
		if tt.count != "" && !strings.Contains(res.Body, tt.count) {
			t.Errorf("%s: lacks %q", tt.query, tt.count)
		}
		for _, w := range tt.want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("%s: lacks %q", tt.query, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(res.Body, n) {
				t.Errorf("%s: shows %q", tt.query, n)
			}
		}
	}
	// The page-2 link keeps the filter.
	res := c.Get("/beheer/accounts?q=persoon")
	if !strings.Contains(res.Body, `href="/beheer/accounts?pagina=2&amp;q=persoon"`) {
		t.Error("next-page link drops the search")
	}
}

func TestAdminOrganisations(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	c := s.Login(t, "beheer@example.nl")
	res := c.PostForm("/beheer/organisaties", url.Values{"naam": {"Welzijn Utrecht <b>"}, "soort": {"welzijn"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/beheer/organisaties" {
		t.Fatalf("create: %d %q", res.StatusCode, res.Location())
	}
	page := c.Get("/beheer/organisaties")
	if !strings.Contains(page.Body, "Welzijn Utrecht &lt;b&gt;") || !strings.Contains(page.Body, "Welzijnsorganisatie") {
		t.Fatal("new organisation not listed (escaped)")
	}
	bad := []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"naam": {"Welzijn Utrecht <b>"}, "soort": {"welzijn"}}, "naam", "Er is al een organisatie met deze naam."},
		{url.Values{"naam": {""}, "soort": {"school"}}, "naam", "Vul dit veld in."},
		{url.Values{"naam": {strings.Repeat("x", 201)}, "soort": {"school"}}, "naam", "hoogstens 200 tekens"},
		{url.Values{"naam": {"a\x00b"}, "soort": {"school"}}, "naam", "tekens die we niet kunnen opslaan"},
		{url.Values{"naam": {"Bieb"}, "soort": {"kerk"}}, "soort", "Kies het soort organisatie."},
	}
	for _, tt := range bad {
		res := c.PostForm("/beheer/organisaties", tt.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.msg) || !strings.Contains(res.Body, `href="#veld-`+tt.field+`"`) {
			t.Errorf("%v: status %d, lacks %q", tt.form, res.StatusCode, tt.msg)
		}
	}
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM organisations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d organisations, want 1", n)
	}
}

func TestAdminAuditPaging(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	admin := s.CreateUser(t, "beheer@example.nl", role.Admin)
	if _, err := s.DB.Exec(context.Background(), `INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, detail)
		SELECT now() - i * interval '1 minute', $1, 'contact.view', 'contact', i, 'regel ' || i FROM generate_series(1, 60) i`, admin.ID); err != nil {
		t.Fatal(err)
	}
	c := s.Login(t, "beheer@example.nl")
	first := c.Get("/beheer/audit")
	if !strings.Contains(first.Body, "regel 1<") || strings.Contains(first.Body, "regel 51<") || !strings.Contains(first.Body, "Pagina 1 van 2") {
		t.Error("first page is not the newest 50")
	}
	second := c.Get("/beheer/audit?pagina=2")
	if !strings.Contains(second.Body, "regel 60<") || strings.Contains(second.Body, "regel 50<") {
		t.Error("second page wrong")
	}
	if !strings.Contains(first.Body, "Bekeken: contact") {
		t.Error("action not described")
	}
	_ = fmt.Sprint
}
