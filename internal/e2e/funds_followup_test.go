package e2e

import (
	"context"
	"io"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/fund"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestFundFollowUpPagesAccessible opens the follow-up pages of the demo
// with axe-core at every size: the advice page with its form and error
// summary, the light account form, and the officer's fund dashboard,
// payouts pages (one with its form and error summary) and an account given.
func TestFundFollowUpPagesAccessible(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	cfg := s.Cfg
	cfg.Env = "development"
	if err := demo.Seed(context.Background(), s.DB, cfg, io.Discard); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	id := func(sql string) int64 {
		var n int64
		if err := s.DB.QueryRow(context.Background(), sql, demo.DemoAdviceFund).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	base := `SELECT r.id FROM funding_requests r JOIN funds f ON f.id = r.fund_id LEFT JOIN funding_accounts a ON a.request_id = r.id WHERE f.name = $1 AND `
	pending := id(base + `r.status = 'ingediend'`)
	accounted := id(base + `a.request_id IS NOT NULL`)
	owed := id(base + `r.status = 'toegekend' AND a.request_id IS NULL AND EXISTS (SELECT 1 FROM funding_payouts p WHERE p.request_id = r.id)`)
	unpaid := id(base + `r.status = 'toegekend' AND NOT EXISTS (SELECT 1 FROM funding_payouts p WHERE p.request_id = r.id)`)
	fundID := id(`SELECT id FROM funds WHERE name = $1`)
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			login(t, ctx, s.URL, demo.ResidentEmail, cfg.DemoPassword)
			open(t, ctx, s.URL+fund.AdvicePath(pending))
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `form[action="`+fund.AdvicePath(pending)+`"] button[type="submit"]`)
			if !exists(t, ctx, `[data-testid="error-summary"]`) {
				t.Fatal("no error summary after advice without a choice")
			}
			testkit.AssertAccessible(t, ctx)
			open(t, ctx, s.URL+fund.AccountPath(owed))
			testkit.AssertAccessible(t, ctx)

			officer := testkit.NewTab(t, v)
			login(t, officer, s.URL, demo.OfficerEmail, cfg.DemoPassword)
			for _, p := range []string{fund.DashboardPath, fund.DashboardFundPath(fundID), fund.PayoutPath(owed), fund.AccountPath(accounted), fund.PayoutPath(unpaid)} {
				open(t, officer, s.URL+p)
				testkit.AssertAccessible(t, officer)
			}
			// The payout form, sent empty: the error summary.
			click(t, officer, `form[action="`+fund.PayoutPath(unpaid)+`"] button[type="submit"]`)
			if !exists(t, officer, `[data-testid="error-summary"]`) {
				t.Fatal("no error summary after an empty payout")
			}
			testkit.AssertAccessible(t, officer)
		})
	}
}
