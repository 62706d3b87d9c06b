package demo_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/fund"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestDemoFundsFollowUp: the demo has advice on a pending application that
// the demo resident may still give, a paid and accounted application, and
// an overdue account that the reminder job reminds once.
func TestDemoFundsFollowUp(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	var pending int64
	if err := s.DB.QueryRow(context.Background(), `
		SELECT r.id FROM funding_requests r JOIN funds f ON f.id = r.fund_id
		WHERE f.name = $1 AND r.status = 'ingediend'`, demo.DemoAdviceFund).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	c := s.Client(t)
	if res := c.PostForm("/inloggen", url.Values{"email": {demo.ResidentEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo login: %d", res.StatusCode)
	}
	acc := c.Get("/account")
	for _, want := range []string{fund.AdvicePath(pending), "Verantwoording: Broodfonds Utrecht West"} {
		if !strings.Contains(acc.Body, want) {
			t.Errorf("demo resident's account page lacks %q", want)
		}
	}
	page := c.Get(fund.AdvicePath(pending))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "1 voor, 0 tegen") || !strings.Contains(page.Body, `name="advies"`) {
		t.Fatalf("demo advice page: %d, results or form missing", page.StatusCode)
	}
	if res := c.PostForm(fund.AdvicePath(pending), url.Values{"advies": {"voor"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo resident advises: %d", res.StatusCode)
	}
	n, err := fund.NewFollowUpStore(s.DB).AccountRemindOverdue(context.Background(), time.Now())
	if err != nil || n != 1 {
		t.Fatalf("overdue demo accounts reminded: %d (%v), want 1", n, err)
	}
	var fundID int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM funds WHERE name = $1`, demo.DemoAdviceFund).Scan(&fundID); err != nil {
		t.Fatal(err)
	}
	o := s.Client(t)
	if res := o.PostForm("/inloggen", url.Values{"email": {demo.OfficerEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo officer login: %d", res.StatusCode)
	}
	if acc := o.Get("/account"); !strings.Contains(acc.Body, `href="`+fund.DashboardPath+`"`) {
		t.Error("demo officer's account page does not link the fund dashboards")
	}
	dash := o.Get(fund.DashboardFundPath(fundID))
	if dash.StatusCode != http.StatusOK || !strings.Contains(dash.Body, "€ 1.450,00") {
		t.Fatalf("demo dashboard: %d, granted total missing:\n%s", dash.StatusCode, dash.Body)
	}
	if res := o.Get(fund.DashboardPath); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, strconv.Quote(fund.DashboardFundPath(fundID))) {
		t.Fatalf("demo fund list: %d", res.StatusCode)
	}
}
