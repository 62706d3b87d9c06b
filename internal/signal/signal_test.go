package signal_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var idRe = regexp.MustCompile(`^/signalen/([0-9]+)$`)

// signalForm is a valid form for neighbourhood nb of municipality gm (the
// hidden field of step 2).
func signalForm(token, gm string, nb int64) url.Values {
	return url.Values{
		"token":         {token},
		"gemeente":      {gm},
		"neighbourhood": {strconv.FormatInt(nb, 10)},
		"title":         {"De weggeefwinkel verliest zijn ruimte"},
		"description":   {"Het buurthuis sluit in juni; de winkel heeft nog geen nieuwe plek."},
		"theme":         {"bestaanszekerheid"},
		"addressed_to":  {"gemeente"},
	}
}

// otherSignalForm is signalForm with another description: a second signal
// by the same person, not a resubmission of the first.
func otherSignalForm(gm string, nb int64) url.Values {
	f := signalForm("", gm, nb)
	f.Set("description", "Een tweede signaal: de vrijwilligers weten nog van niets.")
	return f
}

// raise posts a signal as c and returns its id.
func raise(t *testing.T, c *testkit.Client, f url.Values) int64 {
	t.Helper()
	f.Set("token", formToken(t, c, "/signalen/nieuw?gemeente="+f.Get("gemeente")))
	res := c.PostForm("/signalen/nieuw", f)
	m := idRe.FindStringSubmatch(res.Location())
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("raise: %d %q\n%s", res.StatusCode, res.Location(), res.Body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// respond posts a response as c with a fresh token from the signal page.
func respond(t *testing.T, c *testkit.Client, id int64, body, status string) testkit.Response {
	t.Helper()
	p := "/signalen/" + strconv.FormatInt(id, 10)
	return c.PostForm(p+"/reactie", url.Values{"token": {formToken(t, c, p)}, "body": {body}, "status": {status}})
}

func statusOf(t *testing.T, w world, id int64) string {
	t.Helper()
	var s string
	if err := w.s.DB.QueryRow(context.Background(), `SELECT status FROM signals WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignalWorkflow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	worker, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	officer, _ := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)

	id := raise(t, resident, signalForm("", gmUtrecht, w.oogInAl))
	p := "/signalen/" + strconv.FormatInt(id, 10)
	res := resident.Get(p)
	for _, want := range []string{"De weggeefwinkel verliest zijn ruimte", "Gesignaleerd", "Oog in Al", "Bestaanszekerheid", "De gemeente", "door jou", "Nog geen reacties."} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("raiser's page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, `action="/signalen/`+strconv.FormatInt(id, 10)+`/reactie`) {
		t.Error("the resident raiser is offered the response form")
	}

	steps := []struct {
		who          string
		c            *testkit.Client
		body, status string
		code         int
		want         string // in the body on 422
		after        string // status afterwards
	}{
		{"worker cannot skip to in behandeling", worker, "", "in_behandeling", 422, "Als opbouwwerker kun je alleen een gesignaleerd signaal agenderen", "gesignaleerd"},
		{"officer cannot jump to opgepakt", officer, "Top", "opgepakt", 422, "Van Gesignaleerd kan het signaal niet naar Opgepakt. Kies: Geagendeerd, In behandeling, Niet opgepakt.", "gesignaleerd"},
		{"unknown status", officer, "", "gesloten", 422, "Kies een status uit de lijst.", "gesignaleerd"},
		{"empty response", officer, "  ", "", 422, "Schrijf een reactie of kies een nieuwe status.", "gesignaleerd"},
		{"NUL in response", officer, "a\x00b", "", 422, "tekens die we niet kunnen opslaan", "gesignaleerd"},
		{"response too long", officer, strings.Repeat("x", 4001), "", 422, "hoogstens 4000 tekens", "gesignaleerd"},
		{"worker puts it on the agenda", worker, "Ik breng het in bij het wijkoverleg.", "geagendeerd", 303, "", "geagendeerd"},
		{"worker cannot move it further", worker, "", "in_behandeling", 422, "Als opbouwwerker kun je alleen", "geagendeerd"},
		{"worker may still respond", worker, "Wijkoverleg is op 3 juni.", "", 303, "", "geagendeerd"},
		{"officer cannot go back", officer, "", "gesignaleerd", 422, "Van Geagendeerd kan het signaal niet naar Gesignaleerd", "geagendeerd"},
		{"officer takes it in hand", officer, "We zoeken met de corporatie naar een ruimte.", "in_behandeling", 303, "", "in_behandeling"},
		{"officer closes it", officer, "De winkel kan naar de oude bibliotheek.", "opgepakt", 303, "", "opgepakt"},
		{"a closed signal stays closed", officer, "", "niet_opgepakt", 422, "De status Opgepakt is definitief", "opgepakt"},
	}
	for _, st := range steps {
		res := respond(t, st.c, id, st.body, st.status)
		if res.StatusCode != st.code {
			t.Fatalf("%s: status %d, want %d", st.who, res.StatusCode, st.code)
		}
		if st.code == 422 {
			if !strings.Contains(res.Body, st.want) {
				t.Errorf("%s: body lacks %q", st.who, st.want)
			}
			if st.body != "" && !strings.Contains(st.body, "\x00") && len(st.body) < 100 && !strings.Contains(res.Body, st.body) {
				t.Errorf("%s: response text not kept", st.who)
			}
		}
		if got := statusOf(t, w, id); got != st.after {
			t.Fatalf("%s: status %q, want %q", st.who, got, st.after)
		}
	}

	// The raiser sees every response, with names and status changes.
	res = resident.Get(p)
	for _, want := range []string{"Ik breng het in bij het wijkoverleg.", "Wijkoverleg is op 3 juni.", "We zoeken met de corporatie naar een ruimte.",
		"De winkel kan naar de oude bibliotheek.", "werker (opbouwwerker)", "ambtenaar (gemeente)", "Geagendeerd", "In behandeling", "Opgepakt"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("raiser's page lacks %q", want)
		}
	}
	var n int
	var firstSet bool
	if err := w.s.DB.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM signal_responses WHERE signal_id = $1), first_response_at IS NOT NULL FROM signals WHERE id = $1`, id).Scan(&n, &firstSet); err != nil {
		t.Fatal(err)
	}
	if n != 4 || !firstSet {
		t.Errorf("%d responses stored (want 4), first_response_at set %v", n, firstSet)
	}
	// The raiser's list shows it as theirs.
	if res := resident.Get("/signalen"); !strings.Contains(res.Body, "De weggeefwinkel verliest zijn ruimte") || !strings.Contains(res.Body, "(door jou)") {
		t.Error("raiser's list lacks the signal")
	}
}

func TestDoubleSubmitsDoNotDuplicate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	officer, _ := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	f := signalForm(formToken(t, resident, "/signalen/nieuw?gemeente="+gmUtrecht), gmUtrecht, w.lombok)
	a, b := resident.PostForm("/signalen/nieuw", f), resident.PostForm("/signalen/nieuw", f)
	if a.StatusCode != 303 || b.StatusCode != 303 || a.Location() != b.Location() {
		t.Fatalf("double raise: %d %q / %d %q", a.StatusCode, a.Location(), b.StatusCode, b.Location())
	}
	p := a.Location()
	r := url.Values{"token": {formToken(t, officer, p)}, "body": {"Dank, we pakken het op."}, "status": {"geagendeerd"}}
	a, b = officer.PostForm(p+"/reactie", r), officer.PostForm(p+"/reactie", r)
	if a.StatusCode != 303 || b.StatusCode != 303 {
		t.Fatalf("double respond: %d / %d\n%s", a.StatusCode, b.StatusCode, b.Body)
	}
	var signals, responses int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM signals), (SELECT count(*) FROM signal_responses)`).Scan(&signals, &responses); err != nil {
		t.Fatal(err)
	}
	if signals != 1 || responses != 1 {
		t.Errorf("%d signals, %d responses; want 1 and 1", signals, responses)
	}
}

func TestRaiseBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	token := formToken(t, c, "/signalen/nieuw?gemeente="+gmUtrecht)
	tests := []struct{ name, field, value, want string }{
		{"empty title", "title", "", "Vul dit veld in."},
		{"NUL in title", "title", "Afval\x00", "tekens die we niet kunnen opslaan"},
		{"title too long", "title", strings.Repeat("t", 151), "hoogstens 150 tekens"},
		{"description too long", "description", strings.Repeat("d", 4001), "hoogstens 4000 tekens"},
		{"NUL in description", "description", "x\x00", "tekens die we niet kunnen opslaan"},
		{"no neighbourhood", "neighbourhood", "", "Kies de buurt waar het speelt."},
		{"unknown neighbourhood", "neighbourhood", "999999", "Deze buurt kennen we niet."},
		{"neighbourhood not a number", "neighbourhood", "BU03440112", "Deze buurt kennen we niet."},
		{"neighbourhood id zero", "neighbourhood", "0", "Deze buurt kennen we niet."},
		{"neighbourhood of another municipality", "neighbourhood", strconv.FormatInt(w.leidenCentrum, 10), "Deze buurt ligt niet in de gemeente Utrecht."},
		{"no theme", "theme", "", "Kies een thema."},
		{"unknown theme", "theme", "parkeren", "Kies een thema uit de lijst."},
		{"unknown addressee", "addressed_to", "politie", "Kies de gemeente, de woningcorporatie of iemand anders."},
		{"other without a name", "addressed_to", "anders", "Vul in aan wie het signaal gericht is."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := signalForm(token, gmUtrecht, w.oogInAl)
			f.Set(tt.field, tt.value)
			if tt.field != "title" {
				f.Set("title", "Gevaarlijke <script>alert(1)</script> oversteek")
			}
			res := c.PostForm("/signalen/nieuw", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			if strings.Contains(res.Body, "<script>alert(1)</script>") {
				t.Error("script echoed unescaped")
			}
			if tt.field != "title" && !strings.Contains(res.Body, "Gevaarlijke &lt;script&gt;alert(1)&lt;/script&gt; oversteek") {
				t.Error("title not kept")
			}
			if tt.field != "description" && !strings.Contains(res.Body, "Het buurthuis sluit in juni") {
				t.Error("description not kept")
			}
			// The form comes back for the same municipality, with its list only.
			if !strings.Contains(res.Body, `name="gemeente" value="GM0344"`) || !strings.Contains(res.Body, ">Lombok</option>") ||
				strings.Contains(res.Body, "Leiden-Centrum") {
				t.Error("form not shown again with Utrecht's neighbourhoods only")
			}
		})
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d signals stored from bad input", n)
	}
	// A script in a stored signal is shown escaped.
	f := signalForm("", gmUtrecht, w.oogInAl)
	f.Set("title", "Gevaarlijke <script>alert(1)</script> oversteek")
	id := raise(t, c, f)
	res := c.Get("/signalen/" + strconv.FormatInt(id, 10))
	if strings.Contains(res.Body, "<script>alert(1)</script>") || !strings.Contains(res.Body, "&lt;script&gt;") {
		t.Error("stored script not escaped")
	}
}

func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raiser, _ := w.user(t, "melder@example.nl", nil, nil, 0)
	other, _ := w.user(t, "buur@example.nl", nil, nil, 0)
	inArea, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl}, 0)
	outArea, _ := w.user(t, "elders@example.nl", []role.Role{role.Worker}, []int64{w.leidenCentrum}, 0)
	officer, _ := w.user(t, "utrecht@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	otherOfficer, _ := w.user(t, "leiden@example.nl", []role.Role{role.Officer}, nil, w.leiden)
	admin, adminID := w.user(t, "beheer@example.nl", []role.Role{role.Admin}, nil, 0)
	anon := w.s.Client(t)

	private := raise(t, raiser, signalForm("", gmUtrecht, w.oogInAl))
	pub := signalForm("", gmUtrecht, w.oogInAl)
	pub.Set("public", "ja")
	pub.Set("title", "Openbaar signaal over de speeltuin")
	public := raise(t, raiser, pub)
	pp := "/signalen/" + strconv.FormatInt(private, 10)
	pu := "/signalen/" + strconv.FormatInt(public, 10)

	type route struct{ method, path string }
	routes := []route{
		{"GET", "/signalen"}, {"GET", "/signalen/nieuw"}, {"POST", "/signalen/nieuw"},
		{"GET", pp}, {"GET", pu}, {"POST", pp + "/reactie"}, {"POST", pu + "/reactie"},
		{"GET", "/signalen/999999"},
		// The conversation: reply (raiser only), recognise and follow (who may see it).
		{"POST", pp + "/antwoord"}, {"POST", pu + "/antwoord"},
		{"POST", pp + "/herkennen"}, {"POST", pu + "/herkennen"},
		{"POST", pp + "/volgen"}, {"POST", pu + "/volgen"},
		{"POST", "/signalen/999999/herkennen"},
	}
	// POSTs send an empty form: 400 (no token) for those who may post; an
	// empty recognise or follow form recognises or follows (303), except for
	// the raiser (422). Who may not see a signal gets 404 on these.
	tests := []struct {
		who  string
		c    *testkit.Client
		want []int
	}{
		{"anonymous", anon, []int{303, 303, 303, 303, 200, 303, 303, 404, 303, 303, 303, 303, 303, 303, 303}},
		{"resident raiser", raiser, []int{200, 200, 400, 200, 200, 403, 403, 404, 400, 400, 422, 422, 422, 422, 404}},
		{"other resident", other, []int{200, 200, 400, 403, 200, 403, 403, 404, 404, 403, 404, 303, 404, 303, 404}},
		{"worker in the area", inArea, []int{200, 200, 400, 200, 200, 400, 400, 404, 403, 403, 303, 303, 303, 303, 404}},
		{"worker outside the area", outArea, []int{200, 200, 400, 403, 200, 403, 403, 404, 404, 403, 404, 303, 404, 303, 404}},
		{"officer of the municipality", officer, []int{200, 403, 403, 200, 200, 400, 400, 404, 403, 403, 303, 303, 303, 303, 404}},
		{"officer of another municipality", otherOfficer, []int{200, 403, 403, 403, 200, 403, 403, 404, 404, 403, 404, 303, 404, 303, 404}},
		{"admin", admin, []int{200, 403, 403, 200, 200, 403, 403, 404, 403, 403, 404, 303, 404, 303, 404}},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			for i, rt := range routes {
				var res testkit.Response
				if rt.method == "GET" {
					res = tt.c.Get(rt.path)
				} else {
					res = tt.c.PostForm(rt.path, url.Values{})
				}
				if res.StatusCode != tt.want[i] {
					t.Errorf("%s %s = %d, want %d", rt.method, rt.path, res.StatusCode, tt.want[i])
				}
				if res.StatusCode == 303 && tt.c == anon && !strings.HasPrefix(res.Location(), "/inloggen") {
					t.Errorf("%s %s redirects to %q", rt.method, rt.path, res.Location())
				}
				if res.StatusCode == 403 && strings.Contains(res.Body, "Het buurthuis sluit in juni") {
					t.Errorf("%s %s: 403 page shows the signal", rt.method, rt.path)
				}
			}
		})
	}

	// An officer of another municipality with a valid form changes nothing.
	if res := otherOfficer.PostForm(pu+"/reactie", url.Values{"token": {"0b8a3c1e-1111-4222-8333-444455556666"}, "body": {"Niet van ons"}, "status": {"geagendeerd"}}); res.StatusCode != 403 {
		t.Errorf("other officer's valid response: %d", res.StatusCode)
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signal_responses`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 || statusOf(t, w, public) != "gesignaleerd" {
		t.Errorf("outsiders changed something: %d responses, status %s", n, statusOf(t, w, public))
	}
	// The administrator's read of a private signal is in the audit log.
	entries, err := audit.New(w.s.DB).Recent(context.Background(), 10, "signal", private)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || (e.Action == "signal.view" && e.ActorID != nil && *e.ActorID == adminID)
	}
	if !found {
		t.Error("admin read of a private signal not audited")
	}
}

func TestListScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	leidenaar, _ := w.user(t, "leidenaar@example.nl", nil, nil, 0)
	worker, _ := w.user(t, "werker@example.nl", []role.Role{role.Worker, role.Resident}, []int64{w.lombok}, 0)
	officer, _ := w.user(t, "utrecht@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	leidenOfficer, _ := w.user(t, "leiden@example.nl", []role.Role{role.Officer}, nil, w.leiden)

	mk := func(c *testkit.Client, gm string, nb int64, title string) int64 {
		f := signalForm("", gm, nb)
		f.Set("title", title)
		return raise(t, c, f)
	}
	mk(resident, gmUtrecht, w.oogInAl, "Signaal Oog in Al")
	lombokID := mk(resident, gmUtrecht, w.lombok, "Signaal Lombok")
	mk(leidenaar, gmLeiden, w.leidenCentrum, "Signaal Leiden")
	if res := respond(t, officer, lombokID, "", "geagendeerd"); res.StatusCode != 303 {
		t.Fatalf("agenda: %d", res.StatusCode)
	}

	all := []string{"Signaal Oog in Al", "Signaal Lombok", "Signaal Leiden"}
	tests := []struct {
		who   string
		c     *testkit.Client
		query string
		want  []string
	}{
		{"resident sees own", resident, "", []string{"Signaal Oog in Al", "Signaal Lombok"}},
		{"leidenaar sees own", leidenaar, "", []string{"Signaal Leiden"}},
		{"worker sees own area", worker, "", []string{"Signaal Lombok"}},
		{"officer sees municipality", officer, "", []string{"Signaal Oog in Al", "Signaal Lombok"}},
		{"officer filters by status", officer, "?status=geagendeerd", []string{"Signaal Lombok"}},
		{"officer filters by other status", officer, "?status=gesignaleerd", []string{"Signaal Oog in Al"}},
		{"other officer", leidenOfficer, "", []string{"Signaal Leiden"}},
	}
	for _, tt := range tests {
		res := tt.c.Get("/signalen" + tt.query)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", tt.who, res.StatusCode)
		}
		for _, title := range all {
			want := false
			for _, x := range tt.want {
				want = want || x == title
			}
			if got := strings.Contains(res.Body, title); got != want {
				t.Errorf("%s: shows %q = %v, want %v", tt.who, title, got, want)
			}
		}
	}
}

func TestSectionShowsPublicSignalsOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	f := signalForm("", gmUtrecht, w.oogInAl)
	f.Set("public", "ja")
	f.Set("title", "Openbaar: losliggende stoeptegels")
	raise(t, c, f)
	f = signalForm("", gmUtrecht, w.oogInAl)
	f.Set("title", "Besloten: gordijnen dicht overdag")
	raise(t, c, f)

	h := signal.NewHandler(signal.NewStore(w.s.DB), nil, nil)
	comp, err := h.NeighbourhoodSection(context.Background(), w.oogInAl, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := comp.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{"<section", "<h2", "Signalen", "Openbaar: losliggende stoeptegels", "Gesignaleerd", "/signalen/nieuw?buurt=" + w.oogInAlCode} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	if strings.Contains(html, "Besloten") || strings.Contains(html, "bewoner") {
		t.Error("section shows a non-public signal or the raiser")
	}
	// Through the neighbourhood page, for an anonymous visitor.
	res := w.s.Client(t).Get("/buurten/" + w.oogInAlCode)
	if res.StatusCode != 200 || !strings.Contains(res.Body, "Openbaar: losliggende stoeptegels") || strings.Contains(res.Body, "Besloten") {
		t.Errorf("neighbourhood page (%d): public signal missing or private one shown", res.StatusCode)
	}
}

func TestAccountPageListsOwnSignals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	other, _ := w.user(t, "buur@example.nl", nil, nil, 0)
	officer, _ := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	id := raise(t, resident, signalForm("", gmUtrecht, w.oogInAl))
	if res := respond(t, officer, id, "We pakken het op.", "in_behandeling"); res.StatusCode != 303 {
		t.Fatalf("respond: %d", res.StatusCode)
	}
	body := resident.Get("/account").Body
	for _, want := range []string{"Mijn signalen", "De weggeefwinkel verliest zijn ruimte", "In behandeling", "1 reactie"} {
		if !strings.Contains(body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	if body := other.Get("/account").Body; strings.Contains(body, "De weggeefwinkel") || !strings.Contains(body, "Je hebt nog geen signalen gemeld.") {
		t.Error("another resident's account page is wrong")
	}
	if body := officer.Get("/account").Body; strings.Contains(body, "Mijn signalen") {
		t.Error("an officer-only account is offered to raise signals")
	}
}
