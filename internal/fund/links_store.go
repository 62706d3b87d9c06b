package fund

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Links between the pages of the flow: what the decider's page, the fund
// page and the owners' view need to know to link on to advice, payouts,
// the account and the dashboard.

// FollowState is how far an application got after its decision.
type FollowState struct {
	Paid      bool // at least one payout recorded
	Accounted bool // the owners gave their account
}

// FollowState loads how far application id got; the caller checked the
// viewer may see it.
func (s *Store) FollowState(ctx context.Context, id int64) (FollowState, error) {
	var st FollowState
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM funding_payouts WHERE request_id = $1),
		       EXISTS (SELECT 1 FROM funding_accounts WHERE request_id = $1)`, id).Scan(&st.Paid, &st.Accounted)
	if err != nil {
		return st, fmt.Errorf("fund: follow state of %d: %w", id, err)
	}
	return st, nil
}

// AdviceLink is an application open for residents' advice, as the fund
// page links to it.
type AdviceLink struct {
	ID              int64
	InitiativeTitle string
}

// OpenForAdvice lists the applications to fund id that are open for
// residents' advice now, as the advice page shows them to viewer (0:
// anonymous): not hidden, members-only initiatives for logged-in viewers.
func (s *Store) OpenForAdvice(ctx context.Context, id, viewer int64) ([]AdviceLink, error) {
	rows, err := s.db.Query(ctx, `
		SELECT r.id, i.title
		FROM funding_requests r JOIN funds f ON f.id = r.fund_id JOIN initiatives i ON i.id = r.initiative_id
		WHERE f.id = $1 AND f.decision_mode IN ('advice', 'jury') AND r.status = 'ingediend'
		  AND now() < r.created_at + make_interval(days => f.advice_days)
		  AND i.hidden_at IS NULL AND (i.visibility = 'public' OR $2 <> 0)
		ORDER BY r.created_at, r.id`, id, viewer)
	if err != nil {
		return nil, fmt.Errorf("fund: open for advice in %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AdviceLink])
	if err != nil {
		return nil, fmt.Errorf("fund: open for advice in %d: %w", id, err)
	}
	return list, nil
}

// SeesDashboard reports whether viewer sees the dashboard of fund id: its
// staff and officers of the municipality it works in.
func (s *Store) SeesDashboard(ctx context.Context, id, viewer int64) (bool, error) {
	if viewer == 0 {
		return false, nil
	}
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM funds f WHERE f.id = $1 AND (`+
		followUpStaffSQL("$2")+` OR `+followUpScopeOfficerSQL("$2")+`))`, id, viewer).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("fund: dashboard of %d for %d: %w", id, viewer, err)
	}
	return ok, nil
}
