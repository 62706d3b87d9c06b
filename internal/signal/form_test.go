package signal_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// option is how the form offers neighbourhood id (selected or not).
func option(id int64, name string, selected bool) string {
	sel := ""
	if selected {
		sel = " selected"
	}
	return `<option value="` + strconv.FormatInt(id, 10) + `"` + sel + `>` + name + `</option>`
}

var chooseAgainRe = regexp.MustCompile(`href="/signalen/nieuw\?gemeente=(GM[0-9]{4})&amp;kies=1"`)

// TestRaiseFormSteps: without a municipality the form first asks for one;
// with one (chosen, implied by a neighbourhood link or by a worker's work
// areas) it offers only that municipality's neighbourhoods, by district.
func TestRaiseFormSteps(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	leidenWorker, _ := w.user(t, "leiden@example.nl", []role.Role{role.Worker}, []int64{w.leidenCentrum}, 0)
	utrechtWorker, _ := w.user(t, "utrecht@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl, w.lombok}, 0)
	roamingWorker, _ := w.user(t, "overal@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl, w.leidenCentrum}, 0)

	const chooser = "In welke gemeente speelt het?"
	oogInAl, lombok, centrum := option(w.oogInAl, "Oog in Al", false), option(w.lombok, "Lombok", false), option(w.leidenCentrum, "Leiden-Centrum", false)
	tests := []struct {
		name   string
		c      *testkit.Client
		path   string
		status int
		want   []string // in the body
		absent []string // not in the body
		muni   string   // the municipality of step 2 ("" for step 1)
	}{
		{"no municipality: step 1", resident, "/signalen/nieuw", 200,
			[]string{chooser, `<option value="GM0344">Utrecht</option>`, `<option value="GM0546">Leiden</option>`, `method="get" action="/signalen/nieuw"`},
			[]string{`name="neighbourhood"`, `name="token"`, "bk-error"}, ""},
		{"Utrecht chosen", resident, "/signalen/nieuw?gemeente=GM0344", 200,
			[]string{oogInAl, lombok, `<optgroup label="WK034401">`, `<optgroup label="WK034403">`, "Gemeente: <strong>Utrecht</strong>", "Andere gemeente kiezen"},
			[]string{centrum, chooser}, "GM0344"},
		{"Leiden chosen", resident, "/signalen/nieuw?gemeente=GM0546", 200,
			[]string{centrum, "Gemeente: <strong>Leiden</strong>"},
			[]string{oogInAl, lombok}, "GM0546"},
		{"neighbourhood link implies its municipality and preselects", resident, "/signalen/nieuw?buurt=" + w.lombokCode, 200,
			[]string{option(w.lombok, "Lombok", true), oogInAl},
			[]string{centrum, chooser}, "GM0344"},
		{"neighbourhood link with its own municipality", resident, "/signalen/nieuw?buurt=" + w.leidenCentrumCode + "&gemeente=GM0546", 200,
			[]string{option(w.leidenCentrum, "Leiden-Centrum", true)}, []string{lombok}, "GM0546"},
		{"chosen municipality wins over a neighbourhood elsewhere", resident, "/signalen/nieuw?buurt=" + w.leidenCentrumCode + "&gemeente=GM0344", 200,
			[]string{lombok}, []string{"Leiden-Centrum", " selected>"}, "GM0344"},
		{"unknown neighbourhood link: step 1", resident, "/signalen/nieuw?buurt=BU99999999", 200,
			[]string{chooser}, []string{`name="neighbourhood"`, "bk-error"}, ""},
		{"unknown municipality", resident, "/signalen/nieuw?gemeente=GM9999", 422,
			[]string{chooser, `id="veld-gemeente-fout">Deze gemeente kennen we niet. Kies een gemeente uit de lijst.</p>`, `aria-invalid="true"`, `data-testid="error-summary"`},
			[]string{`name="neighbourhood"`}, ""},
		{"malformed municipality", resident, "/signalen/nieuw?gemeente=%27%3B--", 422,
			[]string{"Deze gemeente kennen we niet."}, []string{`name="neighbourhood"`}, ""},
		{"no municipality chosen in step 1", resident, "/signalen/nieuw?gemeente=", 422,
			[]string{`id="veld-gemeente-fout">Kies de gemeente waar het speelt.</p>`}, []string{`name="neighbourhood"`}, ""},
		{"choose again keeps the choice", resident, "/signalen/nieuw?kies=1&gemeente=GM0546", 200,
			[]string{chooser, `<option value="GM0546" selected>Leiden</option>`}, []string{`name="neighbourhood"`}, ""},
		{"worker with one area: its municipality and the area", leidenWorker, "/signalen/nieuw", 200,
			[]string{option(w.leidenCentrum, "Leiden-Centrum", true)}, []string{lombok, chooser}, "GM0546"},
		{"worker with areas in one municipality: no preselection", utrechtWorker, "/signalen/nieuw", 200,
			[]string{oogInAl, lombok}, []string{centrum, " selected>"}, "GM0344"},
		{"worker with areas in two municipalities: step 1", roamingWorker, "/signalen/nieuw", 200,
			[]string{chooser}, []string{`name="neighbourhood"`}, ""},
		{"worker may choose another municipality", leidenWorker, "/signalen/nieuw?kies=1", 200,
			[]string{chooser}, []string{`name="neighbourhood"`}, ""},
		{"worker follows a neighbourhood link elsewhere", leidenWorker, "/signalen/nieuw?buurt=" + w.oogInAlCode, 200,
			[]string{option(w.oogInAl, "Oog in Al", true)}, []string{centrum}, "GM0344"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.c.Get(tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			for _, s := range tt.want {
				if !strings.Contains(res.Body, s) {
					t.Errorf("page lacks %s", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(res.Body, s) {
					t.Errorf("page has %s", s)
				}
			}
			hidden := `<input type="hidden" name="gemeente" value="` + tt.muni + `">`
			if tt.muni != "" && (!strings.Contains(res.Body, hidden) || !tokenRe.MatchString(res.Body)) {
				t.Errorf("step 2 lacks the hidden municipality %s or the token", tt.muni)
			}
			if m := chooseAgainRe.FindStringSubmatch(res.Body); tt.muni != "" && (m == nil || m[1] != tt.muni) {
				t.Errorf("step 2 lacks the link back to step 1 for %s", tt.muni)
			}
		})
	}
}

// TestRaiseFormOneMunicipality: with only one municipality there is nothing
// to choose, and no way back to a choice.
func TestRaiseFormOneMunicipality(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	g.Municipality("GM0363", "Amsterdam")
	g.District("WK036300", "Burgwallen-Oude Zijde")
	nb := g.Neighbourhood("BU03630000", "Kop Zeedijk")
	s.CreateUser(t, "bewoner@example.nl")
	res := s.Login(t, "bewoner@example.nl").Get("/signalen/nieuw")
	if res.StatusCode != 200 || !strings.Contains(res.Body, option(nb, "Kop Zeedijk", false)) || !strings.Contains(res.Body, `name="gemeente" value="GM0363"`) {
		t.Fatalf("form not shown at once (%d)", res.StatusCode)
	}
	if strings.Contains(res.Body, "Andere gemeente kiezen") {
		t.Error("offers another municipality where there is none")
	}
}

// TestRaiseChecksMunicipality: a neighbourhood is accepted only in the
// municipality of the form; a form without a known municipality is not ours.
func TestRaiseChecksMunicipality(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	token := formToken(t, c, "/signalen/nieuw?gemeente="+gmUtrecht)

	// Leiden-Centrum posted on Utrecht's form: the neighbourhood field says why.
	f := signalForm(token, gmUtrecht, w.leidenCentrum)
	f.Set("public", "ja")
	f.Set("addressed_to", "woningcorporatie")
	f.Set("addressed_to_other", "Mitros")
	res := c.PostForm("/signalen/nieuw", f)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for _, want := range []string{
		`id="veld-neighbourhood-fout">Deze buurt ligt niet in de gemeente Utrecht. Kies een buurt uit de lijst of kies eerst een andere gemeente.</p>`,
		`href="#veld-neighbourhood"`, // in the error summary
		`value="De weggeefwinkel verliest zijn ruimte"`, "Het buurthuis sluit in juni", `value="Mitros"`,
		`value="woningcorporatie" checked`, `value="ja" checked`, `value="bestaanszekerheid" selected`,
		`name="gemeente" value="GM0344"`, `name="token" value="` + token + `"`,
		option(w.oogInAl, "Oog in Al", false), option(w.lombok, "Lombok", false),
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("422 page lacks %s", want)
		}
	}
	if strings.Contains(res.Body, "Leiden-Centrum") {
		t.Error("422 page offers Leiden's neighbourhood on Utrecht's form")
	}

	// Without a known municipality (and no neighbourhood to take it from)
	// the form is refused outright.
	for _, gm := range []string{"", "GM9999", "Utrecht"} {
		f := signalForm(token, gm, w.oogInAl)
		if gm == "" {
			f.Del("gemeente")
			f.Del("neighbourhood")
		}
		if res := c.PostForm("/signalen/nieuw", f); res.StatusCode != http.StatusBadRequest {
			t.Errorf("municipality %q: status %d, want 400", gm, res.StatusCode)
		}
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d signals stored from refused forms", n)
	}

	// The same form for Leiden is accepted, once, also when sent twice.
	f = signalForm(formToken(t, c, "/signalen/nieuw?gemeente="+gmLeiden), gmLeiden, w.leidenCentrum)
	a, b := c.PostForm("/signalen/nieuw", f), c.PostForm("/signalen/nieuw", f)
	if a.StatusCode != http.StatusSeeOther || b.StatusCode != http.StatusSeeOther || a.Location() != b.Location() || !idRe.MatchString(a.Location()) {
		t.Fatalf("raise twice: %d %q / %d %q", a.StatusCode, a.Location(), b.StatusCode, b.Location())
	}
	var nbID int64
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*), max(neighbourhood_id) FROM signals`).Scan(&n, &nbID); err != nil {
		t.Fatal(err)
	}
	if n != 1 || nbID != w.leidenCentrum {
		t.Errorf("%d signals stored (want 1), in neighbourhood %d (want %d)", n, nbID, w.leidenCentrum)
	}

	// A form opened before the municipality step existed (no gemeente
	// field) is not lost: the neighbourhood's municipality is taken.
	old := signalForm(formToken(t, c, "/signalen/nieuw?gemeente=GM0344"), "", w.oogInAl)
	old.Del("gemeente")
	if res := c.PostForm("/signalen/nieuw", old); res.StatusCode != http.StatusSeeOther || !idRe.MatchString(res.Location()) {
		t.Fatalf("form without municipality: %d %q", res.StatusCode, res.Location())
	}
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signals WHERE neighbourhood_id = $1`, w.oogInAl).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d signals in Oog in Al from the form without municipality, want 1", n)
	}
}
