package fund_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/fund"
)

// TestFlowLinks checks that every page of the flow links on to the next,
// for the viewers who may follow the link and for nobody else.
func TestFlowLinks(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "advice")
	anon := w.srv.Client(t)
	owner := w.srv.Login(t, w.ownerMail)
	officer := w.srv.Login(t, w.officerMail)
	resident := w.srv.Login(t, w.residentMail)
	away := w.srv.Login(t, "ambtenaar-elders@example.org")
	fundPage := "/fondsen/" + strconv.FormatInt(w.fund, 10)
	initiativePage := "/initiatieven/" + strconv.FormatInt(w.initiative, 10)
	request := "/aanvragen/" + strconv.FormatInt(w.app, 10)
	href := func(p string) string { return `href="` + p + `"` }
	check := func(name, body, link string, want bool) {
		t.Helper()
		if got := strings.Contains(body, href(link)); got != want {
			t.Errorf("%s: link to %s shown = %v, want %v", name, link, got, want)
		}
	}

	// Open for advice: the fund page links to it for everyone; the
	// dashboard only for the fund's staff and its municipality's officers.
	for _, c := range []struct {
		name      string
		body      string
		dashboard bool
	}{
		{"anonymous", anon.Get(fundPage).Body, false},
		{"resident", resident.Get(fundPage).Body, false},
		{"officer of the fund", officer.Get(fundPage).Body, true},
		{"officer elsewhere", away.Get(fundPage).Body, false},
	} {
		check("fund page, "+c.name, c.body, fund.AdvicePath(w.app), true)
		check("fund page, "+c.name, c.body, fund.DashboardFundPath(w.fund), c.dashboard)
	}
	check("fund management", officer.Get("/fondsen/beheer").Body, fund.DashboardFundPath(w.fund), true)
	// The owners see the advice on their application; others do not see
	// pending applications at all.
	check("initiative, owner", owner.Get(initiativePage).Body, fund.AdvicePath(w.app), true)
	check("initiative, anonymous", anon.Get(initiativePage).Body, fund.AdvicePath(w.app), false)
	check("request, pending", officer.Get(request).Body, fund.PayoutPath(w.app), false)

	// Granted: payouts for the decider and the owners, the account for the
	// owners; the advice is closed, so the fund page no longer asks it.
	w.grant(t, w.app, 100000)
	check("fund page, decided", anon.Get(fundPage).Body, fund.AdvicePath(w.app), false)
	req := officer.Get(request).Body
	check("request, granted", req, fund.PayoutPath(w.app), true)
	check("request, granted before a payout", req, fund.AccountPath(w.app), false)
	page := owner.Get(initiativePage).Body
	check("initiative, owner, granted", page, fund.PayoutPath(w.app), true)
	check("initiative, owner, granted", page, fund.AccountPath(w.app), true)
	if !strings.Contains(page, "Verantwoording geven") {
		t.Error("the owners are not asked for their account")
	}
	public := anon.Get(initiativePage).Body
	check("initiative, anonymous, granted", public, fund.PayoutPath(w.app), false)
	check("initiative, anonymous, granted", public, fund.AccountPath(w.app), false)
	if strings.Contains(public, "Past goed bij het fonds") {
		t.Error("the motivation is public")
	}
	check("initiative, resident, granted", resident.Get(initiativePage).Body, fund.PayoutPath(w.app), false)

	// Paid: the decider's page links to the account.
	followUpExec(t, w, `INSERT INTO funding_payouts (request_id, amount_cents, paid_on, recorded_by, idempotency_key)
		VALUES ($1, 50000, current_date, $2, gen_random_uuid())`, w.app, w.officer)
	check("request, paid", officer.Get(request).Body, fund.AccountPath(w.app), true)
}
