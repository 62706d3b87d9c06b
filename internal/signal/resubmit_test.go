package signal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestResubmitLeadsToExistingSignal: back, then submit again on a refilled
// form (a new token) within half an hour leads to the signal already raised,
// with a message, and stores nothing new. Case and white space do not make
// it new; another neighbourhood, another person, other text or a first
// signal from long ago do.
func TestResubmitLeadsToExistingSignal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	neighbour, _ := w.user(t, "buur@example.nl", nil, nil, 0)
	first := raise(t, resident, signalForm("", gmUtrecht, w.oogInAl))

	f := signalForm(formToken(t, resident, "/signalen/nieuw?gemeente="+gmUtrecht), gmUtrecht, w.oogInAl)
	f.Set("title", " de WEGGEEFWINKEL  verliest zijn ruimte")
	res := resident.PostForm("/signalen/nieuw", f)
	if res.StatusCode != http.StatusSeeOther || res.Location() != sigPath(first) {
		t.Fatalf("resubmit: %d → %q, want 303 → %q", res.StatusCode, res.Location(), sigPath(first))
	}
	if body := resident.Get(res.Location()).Body; !strings.Contains(body, "Dit signaal had je net al gemeld") {
		t.Error("the page after a resubmit does not say it was already saved")
	}
	if n := countSignals(t, w); n != 1 {
		t.Fatalf("%d signals after a resubmit, want 1", n)
	}

	ids := map[int64]bool{first: true}
	for name, id := range map[string]int64{
		"other neighbourhood": raise(t, resident, signalForm("", gmUtrecht, w.lombok)),
		"other person":        raise(t, neighbour, signalForm("", gmUtrecht, w.oogInAl)),
		"other text":          raise(t, resident, otherSignalForm(gmUtrecht, w.oogInAl)),
	} {
		if ids[id] {
			t.Errorf("%s led to an existing signal", name)
		}
		ids[id] = true
	}
	if _, err := w.s.DB.Exec(context.Background(), `UPDATE signals SET created_at = now() - interval '31 minutes'`); err != nil {
		t.Fatal(err)
	}
	if again := raise(t, resident, signalForm("", gmUtrecht, w.oogInAl)); ids[again] {
		t.Error("after 31 minutes the same signal led to an existing one")
	}
}

// TestConcurrentSignalResubmits: the same signal sent at once from five
// forms, each with its own token, is stored once; every answer leads to it.
func TestConcurrentSignalResubmits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	forms := make([]url.Values, 5)
	for k := range forms {
		forms[k] = signalForm(formToken(t, resident, "/signalen/nieuw?gemeente="+gmUtrecht), gmUtrecht, w.oogInAl)
	}
	res := make([]testkit.Response, len(forms))
	var wg sync.WaitGroup
	for k := range forms {
		wg.Go(func() { res[k] = resident.PostForm("/signalen/nieuw", forms[k]) })
	}
	wg.Wait()
	for k, r := range res {
		if r.StatusCode != http.StatusSeeOther || r.Location() != res[0].Location() {
			t.Errorf("submit %d: %d → %q, first → %q", k, r.StatusCode, r.Location(), res[0].Location())
		}
	}
	if n := countSignals(t, w); n != 1 {
		t.Errorf("%d signals from five resubmits at once, want 1", n)
	}
}

func countSignals(t *testing.T, w world) int {
	t.Helper()
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestResponseErrorsAtTheirForm: a refused response comes back (422) with
// its errors in the response form's own summary, which names the field and
// which the form's action fragment points at.
func TestResponseErrorsAtTheirForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, _ := w.user(t, "bewoner@example.nl", nil, nil, 0)
	officer, _ := w.user(t, "ambtenaar@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	id := raise(t, resident, signalForm("", gmUtrecht, w.oogInAl))
	res := respond(t, officer, id, "We kijken ernaar.", "opgepakt")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for _, want := range []string{
		`id="fouten-reactie" tabindex="-1"`,
		`<a href="#veld-status"><span class="bk-error-summary__label">Nieuwe status</span>:`,
		`action="` + sigPath(id) + `/reactie#fouten-reactie"`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("422 page lacks %s", want)
		}
	}
	if strings.Contains(res.Body, `id="fouten-antwoord"`) {
		t.Error("the reply form shows the response's errors")
	}
}
