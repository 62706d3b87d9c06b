package fund_test

import (
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// fundForms are the requests FuzzFundHTTP sends, by the fuzzed selector;
// {id} is the world's initiative, {fund} the municipality's fund, {req} a
// pending application to it.
var fundForms = []struct{ method, path, as string }{
	{"POST", "/initiatieven/{id}/potjes/{fund}/aanvraag", "owner"},
	{"POST", "/aanvragen/{req}", "officer"},
	{"POST", "/fondsen/nieuw", "officer"},
	{"POST", "/fondsen/{fund}/bewerken", "officer"},
	{"POST", "/beheer/financiers", "admin"},
}

// FuzzFundHTTP posts fuzzed applications, decisions and fund forms to the
// running platform: never a 5xx, and every refusal is a 4xx page that says
// what is wrong.
func FuzzFundHTTP(f *testing.F) {
	w := newWorld(f)
	req := w.apply(f, w.muni, applyForm(uuid.New()))
	seeds := [][]string{
		{applyForm(uuid.New()).Encode(), "sleutel=" + uuid.New() + "&regel_wat_1=%00&regel_bedrag_1=1e9&eigen=-1&datum=2026-02-30",
			"sleutel=" + uuid.New() + "&regel_wat_31=x&regel_bedrag_31=5", "sleutel=kapot"},
		{"besluit=deels&bedrag=1.250,50&voorwaarden=x&motivering=y", "besluit=volledig&motivering=z&stap=bevestigen", "besluit=%ff&stap=wijzigen"},
		{fundForm().Encode(), "naam=x&budget=%E2%82%AC+1.2.3&opent=morgen&gebied=WK;;BU", "besluitvorm=jury&eigen_pct=-3"},
		{fundForm().Encode(), "naam=&max=0"},
		{"organisatie=1", "organisatie=-1", "organisatie=99999999999999999999"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}
	replace := strings.NewReplacer("{id}", itoa(w.initiative), "{fund}", itoa(w.muni), "{req}", itoa(req))
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		form := fundForms[int(which)%len(fundForms)]
		path := replace.Replace(form.path)
		c := *w.clients[form.as].HTTP
		c.Timeout = 5 * time.Second // a hang is a failure, with its input kept
		res := fuzzcheck.PostForm(t, &c, w.s.URL+path, body)
		fuzzcheck.Answer(t, form.method+" "+path, res)
		// Whatever was posted, the fund is never overspent.
		if over := scalar[bool](t, w.s, `SELECT COALESCE(sum(granted_cents), 0) > (SELECT budget_cents FROM funds WHERE id = $1)
			FROM funding_requests WHERE fund_id = $1 AND status = 'toegekend'`, w.muni); over {
			t.Fatalf("fund overspent after %s %q", path, body)
		}
	})
}
