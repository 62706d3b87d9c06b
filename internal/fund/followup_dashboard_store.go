package fund

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// DashboardFigures are the money figures of a fund or of a part of it.
// Accounted is what was paid on applications whose account is in.
type DashboardFigures struct {
	Applications int64
	Requested    int64
	Granted      int64
	Paid         int64
	Accounted    int64
}

// DashboardGroup is one row of a breakdown: a neighbourhood, theme or
// strategy, by code and name.
type DashboardGroup struct {
	Kind string // "buurt", "thema" or "strategie"
	Code string
	Name string
	DashboardFigures
}

// DashboardFund is a fund as its dashboard shows it.
type DashboardFund struct {
	ID          int64
	Name        string
	PeriodLabel string
	BudgetCents int64
	Staff       bool // the viewer manages it (and may download the CSV)
	Totals      DashboardFigures
}

// RemainingCents is the budget not yet granted.
func (f DashboardFund) RemainingCents() int64 { return f.BudgetCents - f.Totals.Granted }

// dashboardApps is the applications of fund $1 with their paid sum and
// whether their account is in: the base of every figure.
const dashboardApps = `
	WITH app AS (
		SELECT r.id, r.initiative_id, r.amount_cents AS requested, COALESCE(r.granted_cents, 0) AS granted,
		       COALESCE(p.paid, 0) AS paid, fa.request_id IS NOT NULL AS accounted
		FROM funding_requests r
		LEFT JOIN (SELECT request_id, sum(amount_cents) AS paid FROM funding_payouts GROUP BY request_id) p ON p.request_id = r.id
		LEFT JOIN funding_accounts fa ON fa.request_id = r.id
		WHERE r.fund_id = $1)`

const dashboardSums = `count(*) AS n, COALESCE(sum(requested), 0)::bigint AS requested_sum,
	COALESCE(sum(granted), 0)::bigint AS granted_sum, COALESCE(sum(paid), 0)::bigint AS paid_sum,
	COALESCE(sum(paid) FILTER (WHERE accounted), 0)::bigint AS accounted_sum`

// DashboardFunds lists the funds whose dashboard viewer may see: those
// they manage, and as an officer those working in their municipality,
// with the totals of each (one query).
func (s *FollowUpStore) DashboardFunds(ctx context.Context, viewer int64) ([]DashboardFund, error) {
	rows, err := s.db.Query(ctx, `
		SELECT f.id, f.name, f.period_label, f.budget_cents, `+followUpStaffSQL("$1")+`,
		       count(r.id), COALESCE(sum(r.amount_cents), 0)::bigint, COALESCE(sum(r.granted_cents), 0)::bigint,
		       COALESCE(sum(p.paid), 0)::bigint, COALESCE(sum(p.paid) FILTER (WHERE fa.request_id IS NOT NULL), 0)::bigint
		FROM funds f
		LEFT JOIN funding_requests r ON r.fund_id = f.id
		LEFT JOIN (SELECT request_id, sum(amount_cents) AS paid FROM funding_payouts GROUP BY request_id) p ON p.request_id = r.id
		LEFT JOIN funding_accounts fa ON fa.request_id = r.id
		WHERE `+followUpStaffSQL("$1")+` OR `+followUpScopeOfficerSQL("$1")+`
		GROUP BY f.id
		ORDER BY f.opens_on DESC, f.name, f.id`, viewer)
	if err != nil {
		return nil, fmt.Errorf("fund: dashboard funds: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DashboardFund, error) {
		var f DashboardFund
		t := &f.Totals
		err := row.Scan(&f.ID, &f.Name, &f.PeriodLabel, &f.BudgetCents, &f.Staff, &t.Applications, &t.Requested, &t.Granted, &t.Paid, &t.Accounted)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("fund: dashboard funds: %w", err)
	}
	return list, nil
}

// dashboardFund loads fund id if viewer may see its dashboard.
func (s *FollowUpStore) dashboardFund(ctx context.Context, id, viewer int64) (DashboardFund, error) {
	var f DashboardFund
	t := &f.Totals
	err := s.db.QueryRow(ctx, dashboardApps+`
		SELECT f.id, f.name, f.period_label, f.budget_cents, `+followUpStaffSQL("$2")+`,
		       t.n, t.requested_sum, t.granted_sum, t.paid_sum, t.accounted_sum
		FROM funds f CROSS JOIN (SELECT `+dashboardSums+` FROM app) t
		WHERE f.id = $1 AND (`+followUpStaffSQL("$2")+` OR `+followUpScopeOfficerSQL("$2")+`)`, id, viewer).
		Scan(&f.ID, &f.Name, &f.PeriodLabel, &f.BudgetCents, &f.Staff, &t.Applications, &t.Requested, &t.Granted, &t.Paid, &t.Accounted)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fault.Wrap(fault.ErrNotFound, "fund: no dashboard for the viewer")
	}
	if err != nil {
		return f, fmt.Errorf("fund: dashboard %d: %w", id, err)
	}
	return f, nil
}

// Dashboard returns fund id with its figures per neighbourhood, theme and
// strategy, in one query over the applications. An initiative in two
// neighbourhoods (or with two themes) counts in each, so a breakdown's rows
// may add up to more than the total. Initiatives carry no strategy of their
// own: an application counts under the strategies of the activities that
// workers logged for its initiative, or under "none logged".
func (s *FollowUpStore) Dashboard(ctx context.Context, id, viewer int64) (DashboardFund, []DashboardGroup, error) {
	f, err := s.dashboardFund(ctx, id, viewer)
	if err != nil {
		return f, nil, err
	}
	rows, err := s.db.Query(ctx, dashboardApps+`
		SELECT 'buurt', n.code, n.name, `+dashboardSums+`
		FROM app JOIN initiative_neighbourhoods inb ON inb.initiative_id = app.initiative_id
		JOIN neighbourhoods n ON n.id = inb.neighbourhood_id
		GROUP BY n.code, n.name
		UNION ALL
		SELECT 'thema', t.theme, '', `+dashboardSums+`
		FROM app JOIN initiatives i ON i.id = app.initiative_id CROSS JOIN LATERAL unnest(i.themes) AS t(theme)
		GROUP BY t.theme
		UNION ALL
		SELECT 'strategie', st.strategy, '', `+dashboardSums+`
		FROM app CROSS JOIN LATERAL (
			SELECT DISTINCT a.strategy FROM activities a WHERE a.initiative_id = app.initiative_id
			UNION ALL SELECT '' WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.initiative_id = app.initiative_id)) st
		GROUP BY st.strategy
		ORDER BY 1, 3, 2`, id)
	if err != nil {
		return f, nil, fmt.Errorf("fund: dashboard %d: %w", id, err)
	}
	groups, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DashboardGroup, error) {
		var g DashboardGroup
		t := &g.DashboardFigures
		err := row.Scan(&g.Kind, &g.Code, &g.Name, &t.Applications, &t.Requested, &t.Granted, &t.Paid, &t.Accounted)
		return g, err
	})
	if err != nil {
		return f, nil, fmt.Errorf("fund: dashboard %d: %w", id, err)
	}
	return f, groups, nil
}

// DashboardRow is one application in the financial administration's CSV.
type DashboardRow struct {
	ID              int64
	InitiativeTitle string
	Neighbourhoods  string
	CreatedAt       time.Time
	Status          FollowUpStatus
	Requested       int64
	OwnContribution int64
	Granted         int64
	Paid            int64
	LastPaidOn      *time.Time
	Accounted       bool
}

// DashboardRows lists the applications of fund id for its staff only
// (ErrNotFound for anyone else), oldest first.
func (s *FollowUpStore) DashboardRows(ctx context.Context, id, viewer int64) (DashboardFund, []DashboardRow, error) {
	f, err := s.dashboardFund(ctx, id, viewer)
	if err != nil {
		return f, nil, err
	}
	if !f.Staff {
		return f, nil, fault.Wrap(fault.ErrNotFound, "fund: applications list for staff only")
	}
	rows, err := s.db.Query(ctx, `
		SELECT r.id, i.title,
		       COALESCE((SELECT string_agg(n.name, ', ' ORDER BY n.name) FROM initiative_neighbourhoods inb
		                 JOIN neighbourhoods n ON n.id = inb.neighbourhood_id WHERE inb.initiative_id = i.id), ''),
		       r.created_at, r.status, r.amount_cents, r.own_contribution_cents, COALESCE(r.granted_cents, 0),
		       COALESCE((SELECT sum(p.amount_cents) FROM funding_payouts p WHERE p.request_id = r.id), 0)::bigint,
		       (SELECT max(p.paid_on) FROM funding_payouts p WHERE p.request_id = r.id),
		       EXISTS (SELECT 1 FROM funding_accounts fa WHERE fa.request_id = r.id)
		FROM funding_requests r JOIN initiatives i ON i.id = r.initiative_id
		WHERE r.fund_id = $1
		ORDER BY r.created_at, r.id`, id)
	if err != nil {
		return f, nil, fmt.Errorf("fund: dashboard rows %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
	if err != nil {
		return f, nil, fmt.Errorf("fund: dashboard rows %d: %w", id, err)
	}
	return f, list, nil
}
