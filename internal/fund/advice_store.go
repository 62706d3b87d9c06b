package fund

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// FollowUpStore holds the SQL of advice, payouts, accounts and the
// dashboard. Every read and write carries its scope in the SQL.
type FollowUpStore struct {
	db *pgxpool.Pool
}

// NewFollowUpStore returns a store on db.
func NewFollowUpStore(db *pgxpool.Pool) *FollowUpStore { return &FollowUpStore{db: db} }

// AdviceApplication is an application as residents see it when they
// advise: the plan, never the decision's motivation.
type AdviceApplication struct {
	ID                   int64
	InitiativeID         int64
	InitiativeTitle      string
	FundName             string
	Jury                 bool // the residents' advice is the jury's decision
	AmountCents          int64
	OwnContributionCents int64
	Purpose              string
	Impact               string
	Status               FollowUpStatus
	GrantedCents         int64 // when granted
	CreatedAt            time.Time
	ClosesAt             time.Time // end of the advice window
	Open                 bool      // the window is open and the application not decided
}

// AdviceStanding is what the viewer may do on the advice page.
type AdviceStanding int

// The viewer's standings, in the order they are checked.
const (
	AdviceCan         AdviceStanding = iota // may advise now
	AdviceAnonymous                         // not logged in
	AdviceGiven                             // advised before (once each)
	AdviceClosed                            // the window ended, or the application was decided
	AdviceOwn                               // owner of the initiative or submitter of the application
	AdviceStaff                             // decides on it (the funder's staff)
	AdviceUnconfirmed                       // e-mail address not confirmed
	AdviceOutOfScope                        // home neighbourhood not (set, or) in the fund's scope
)

// adviceSelect loads an application of a fund that asks residents'
// advice, with the standing of viewer $2 (0: anonymous). Hidden
// initiatives are not shown; members-only ones only to logged-in viewers.
var adviceSelect = `
	SELECT r.id, r.initiative_id, i.title, f.name, f.decision_mode = 'jury', r.amount_cents, r.own_contribution_cents,
	       r.purpose, r.impact, r.status, COALESCE(r.granted_cents, 0), r.created_at,
	       r.created_at + make_interval(days => f.advice_days),
	       r.status = 'ingediend' AND now() < r.created_at + make_interval(days => f.advice_days),
	       EXISTS (SELECT 1 FROM funding_advice fa WHERE fa.request_id = r.id AND fa.account_id = $2),
	       r.created_by IS NOT DISTINCT FROM $2 OR EXISTS (SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $2),
	       ` + followUpStaffSQL("$2") + `,
	       COALESCE((SELECT a.email_confirmed_at IS NOT NULL FROM accounts a WHERE a.id = $2), false),
	       EXISTS (SELECT 1 FROM accounts a JOIN neighbourhoods n ON n.id = a.home_neighbourhood_id
	               WHERE a.id = $2 AND n.municipality_id = f.scope_municipality_id
	                 AND (NOT EXISTS (SELECT 1 FROM fund_areas ar WHERE ar.fund_id = f.id)
	                      OR EXISTS (SELECT 1 FROM fund_areas ar WHERE ar.fund_id = f.id
	                                 AND (ar.neighbourhood_id = n.id OR ar.district_id = n.district_id))))
	FROM funding_requests r
	JOIN funds f ON f.id = r.fund_id
	JOIN initiatives i ON i.id = r.initiative_id
	WHERE r.id = $1 AND f.decision_mode IN ('advice', 'jury') AND i.hidden_at IS NULL
	  AND (i.visibility = 'public' OR $2 <> 0 OR $3)`

// AdviceApplication returns application id with what viewer (0 when
// anonymous) may do; ErrNotFound when it does not exist, its fund takes
// no advice, or the viewer may not see the initiative.
func (s *FollowUpStore) AdviceApplication(ctx context.Context, id, viewer int64) (AdviceApplication, AdviceStanding, error) {
	return adviceLoad(ctx, s.db, id, viewer, false)
}

// adviceForDecider loads application id for the decision page, whatever
// the initiative's visibility (the caller is the decider).
func (s *FollowUpStore) adviceForDecider(ctx context.Context, id int64) (AdviceApplication, error) {
	a, _, err := adviceLoad(ctx, s.db, id, 0, true)
	return a, err
}

type adviceQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func adviceLoad(ctx context.Context, q adviceQuerier, id, viewer int64, anyVisibility bool) (AdviceApplication, AdviceStanding, error) {
	var a AdviceApplication
	var given, own, staff, confirmed, inScope bool
	err := q.QueryRow(ctx, adviceSelect, id, viewer, anyVisibility).Scan(&a.ID, &a.InitiativeID, &a.InitiativeTitle, &a.FundName, &a.Jury,
		&a.AmountCents, &a.OwnContributionCents, &a.Purpose, &a.Impact, &a.Status, &a.GrantedCents, &a.CreatedAt,
		&a.ClosesAt, &a.Open, &given, &own, &staff, &confirmed, &inScope)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, 0, fault.Wrap(fault.ErrNotFound, "fund: no advice page")
	}
	if err != nil {
		return a, 0, fmt.Errorf("fund: advice application %d: %w", id, err)
	}
	switch {
	case viewer == 0:
		return a, AdviceAnonymous, nil
	case given:
		return a, AdviceGiven, nil
	case !a.Open:
		return a, AdviceClosed, nil
	case own:
		return a, AdviceOwn, nil
	case staff:
		return a, AdviceStaff, nil
	case !confirmed:
		return a, AdviceUnconfirmed, nil
	case !inScope:
		return a, AdviceOutOfScope, nil
	}
	return a, AdviceCan, nil
}

// AdviceSummary is the residents' advice on one application: counts, and
// the comments without names (the advice is about the plan, not about
// who gave it; a name would put neighbours under pressure).
type AdviceSummary struct {
	For, Against int
	Comments     []AdviceComment
}

// AdviceComment is one resident's comment, anonymous.
type AdviceComment struct {
	Support bool
	Text    string
	At      time.Time
}

// Total is the number of residents who advised.
func (a AdviceSummary) Total() int { return a.For + a.Against }

// AdviceSummary returns the advice on application id, oldest comment first.
func (s *FollowUpStore) AdviceSummary(ctx context.Context, id int64) (AdviceSummary, error) {
	var sum AdviceSummary
	rows, err := s.db.Query(ctx, `
		SELECT support, comment, created_at, count(*) FILTER (WHERE support) OVER (), count(*) FILTER (WHERE NOT support) OVER ()
		FROM funding_advice WHERE request_id = $1 ORDER BY created_at, account_id`, id)
	if err != nil {
		return sum, fmt.Errorf("fund: advice summary %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c AdviceComment
		var yes, no int
		if err := rows.Scan(&c.Support, &c.Text, &c.At, &yes, &no); err != nil {
			return sum, fmt.Errorf("fund: advice summary %d: %w", id, err)
		}
		sum.For, sum.Against = yes, no
		if c.Text != "" {
			sum.Comments = append(sum.Comments, c)
		}
	}
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("fund: advice summary %d: %w", id, err)
	}
	return sum, nil
}

// GiveAdvice records viewer's advice on application id, once: the
// standing is checked in the transaction, and the primary key holds
// against two at the same moment (adviceErrTwice).
func (s *FollowUpStore) GiveAdvice(ctx context.Context, id, viewer int64, support bool, comment string) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		_, standing, err := adviceLoad(ctx, tx, id, viewer, false)
		if err != nil {
			return err
		}
		switch standing {
		case AdviceCan:
		case AdviceGiven:
			return adviceErrTwice
		default:
			return adviceErrNotAllowed
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO funding_advice (request_id, account_id, support, comment) VALUES ($1, $2, $3, $4)
			ON CONFLICT (request_id, account_id) DO NOTHING`, id, viewer, support, comment)
		if err != nil {
			return fmt.Errorf("fund: give advice on %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return adviceErrTwice
		}
		return nil
	})
}
