package fund

import (
	"context"
	"fmt"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// AccountLink is one application on the account page: an account to give,
// or an application to advise on.
type AccountLink struct {
	ID              int64
	InitiativeTitle string
	FundName        string
}

// AccountTodo is what the account page shows of funds: accounts the viewer
// still owes, applications open for their advice, and whether they see a
// fund dashboard.
type AccountTodo struct {
	Accounts   []AccountLink
	Advice     []AccountLink
	Dashboards bool
}

// accountAdviceShown is how many applications open for advice the account
// page lists.
const accountAdviceShown = 10

// AccountTodo loads the viewer's follow-up: three small queries.
func (s *FollowUpStore) AccountTodo(ctx context.Context, viewer int64) (AccountTodo, error) {
	var t AccountTodo
	links := func(sql string, args ...any) ([]AccountLink, error) {
		rows, err := s.db.Query(ctx, sql, args...)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowToStructByPos[AccountLink])
	}
	var err error
	t.Accounts, err = links(`
		SELECT r.id, i.title, f.name
		FROM funding_requests r JOIN initiatives i ON i.id = r.initiative_id JOIN funds f ON f.id = r.fund_id
		WHERE r.status = 'toegekend'
		  AND EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $1)
		  AND NOT EXISTS (SELECT 1 FROM funding_accounts fa WHERE fa.request_id = r.id)
		ORDER BY r.decided_at, r.id`, viewer)
	if err != nil {
		return t, fmt.Errorf("fund: accounts owed by %d: %w", viewer, err)
	}
	t.Advice, err = links(`
		SELECT r.id, i.title, f.name
		FROM funding_requests r JOIN initiatives i ON i.id = r.initiative_id JOIN funds f ON f.id = r.fund_id
		JOIN accounts a ON a.id = $1 JOIN neighbourhoods n ON n.id = a.home_neighbourhood_id
		WHERE f.decision_mode IN ('advice', 'jury') AND r.status = 'ingediend' AND i.hidden_at IS NULL
		  AND now() < r.created_at + make_interval(days => f.advice_days)
		  AND a.email_confirmed_at IS NOT NULL AND n.municipality_id = f.scope_municipality_id
		  AND (NOT EXISTS (SELECT 1 FROM fund_areas ar WHERE ar.fund_id = f.id)
		       OR EXISTS (SELECT 1 FROM fund_areas ar WHERE ar.fund_id = f.id AND (ar.neighbourhood_id = n.id OR ar.district_id = n.district_id)))
		  AND NOT EXISTS (SELECT 1 FROM funding_advice fa WHERE fa.request_id = r.id AND fa.account_id = $1)
		  AND r.created_by IS DISTINCT FROM $1
		  AND NOT EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $1)
		  AND NOT `+followUpStaffSQL("$1")+`
		ORDER BY r.created_at, r.id LIMIT $2`, viewer, accountAdviceShown)
	if err != nil {
		return t, fmt.Errorf("fund: advice open to %d: %w", viewer, err)
	}
	err = s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM funds f WHERE `+followUpStaffSQL("$1")+` OR `+followUpScopeOfficerSQL("$1")+`)`, viewer).Scan(&t.Dashboards)
	if err != nil {
		return t, fmt.Errorf("fund: dashboards of %d: %w", viewer, err)
	}
	return t, nil
}

// AccountSection is the account page's part on funds; nothing when there
// is nothing to do or see.
func (h *FollowUpHandler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if v == nil {
		return templ.NopComponent, nil
	}
	t, err := h.store.AccountTodo(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if len(t.Accounts) == 0 && len(t.Advice) == 0 && !t.Dashboards {
		return templ.NopComponent, nil
	}
	return AccountFundsSection(t), nil
}
