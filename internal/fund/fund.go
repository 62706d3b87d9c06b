// Package fund holds funds (potjes) of funders — a municipality, a housing
// corporation, a charitable fund — the funding finder (potjeswijzer) that
// shows an initiative's owners which open funds fit, applications to a
// fund with budget lines, and the decision on them, which can never spend
// more than a fund holds.
//
// Who decides: officers on their municipality's funds, funder staff
// (funder_staff) on their organisation's funds, never on an application of
// an initiative they own or filed. The scope is part of every query.
package fund

import (
	"context"
	"time"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Mode is how a fund decides.
type Mode string

// The decision modes of the migration's funds.decision_mode.
const (
	ByFunder Mode = "funder" // the funder decides
	ByAdvice Mode = "advice" // the funder decides after residents' advice
	ByJury   Mode = "jury"   // a residents' jury decides; the funder records it
)

// Status is where an application stands (funding_requests.status).
type Status string

// The statuses of an application.
const (
	Submitted Status = "ingediend"
	Granted   Status = "toegekend"
	Refused   Status = "afgewezen"
)

// Verdict is what a decider chooses on the decision form.
type Verdict string

// The three decisions.
const (
	GrantFull    Verdict = "volledig"
	GrantPartial Verdict = "deels"
	Refuse       Verdict = "afwijzen"
)

// Verdicts lists the decisions in form order.
var Verdicts = []Verdict{GrantFull, GrantPartial, Refuse}

// Limits of the application form (the migration's CHECKs).
const (
	MaxLines        = 30
	FormLines       = 5 // empty rows the form offers without JavaScript
	MaxLineText     = 200
	MaxLineCents    = 10000000 // € 100.000
	MaxPurpose      = 200
	MaxImpact       = 2000
	MaxReason       = 1000
	MaxConditions   = 1000
	MaxRequestCents = 10000000
)

var (
	// ErrNotFound: no such fund or application (or not one the viewer may see).
	ErrNotFound = fault.Wrap(fault.ErrNotFound, "fund: not found")
	// ErrOutOfScope: the application is of a fund the viewer does not decide on.
	ErrOutOfScope = fault.Wrap(fault.ErrForbidden, "fund: application outside the viewer's funds")
	// ErrNotOwner: only the owners of an initiative apply for it.
	ErrNotOwner = fault.Wrap(fault.ErrForbidden, "fund: not an owner of the initiative")
	// ErrAlreadyDecided: someone decided first.
	ErrAlreadyDecided = fault.Wrap(fault.ErrConflict, "fund: application already decided")
	// ErrConflictOfInterest: the decider filed the application or owns the initiative.
	ErrConflictOfInterest = fault.Wrap(fault.ErrForbidden, "fund: decider owns the initiative or filed the application")
	// ErrOverspent: the grant is more than the fund has left.
	ErrOverspent = fault.Wrap(fault.ErrConflict, "fund: grant exceeds the fund's remaining budget")
	// ErrClosed: the fund takes no applications today.
	ErrClosed = fault.Wrap(fault.ErrConflict, "fund: fund not open")
)

// Fund is a pot of money with its rules.
type Fund struct {
	ID                 int64
	Name               string
	Description        string
	Funder             string // the municipality's or organisation's name
	MunicipalityID     int64  // scope_municipality_id
	Municipality       string
	FunderMunicipality int64 // funder_municipality_id, 0 for an organisation's fund
	FunderOrganisation int64 // funder_organisation_id, 0 for a municipality's fund
	PeriodLabel        string
	OpensOn            time.Time
	ClosesOn           *time.Time
	BudgetCents        int64
	MaxPerRequestCents int64 // 0: no maximum but the budget
	MinSupporters      int
	OwnContributionPct int
	Cofinancing        bool
	Mode               Mode
	AdviceDays         int
	AccountDueDays     int
	ReceiptsRequired   bool
	Themes             []string // none: any theme
	Areas              []string // names of districts and neighbourhoods; none: the whole municipality
	GrantedCents       int64    // granted so far (open data)
	Applications       int      // all applications (open data)
	GrantedCount       int
}

// RemainingCents is what the fund can still grant.
func (f Fund) RemainingCents() int64 { return max(f.BudgetCents-f.GrantedCents, 0) }

// MaxAskCents is the most one application may ask today: the maximum per
// request, but never more than remains.
func (f Fund) MaxAskCents() int64 {
	m := f.RemainingCents()
	if f.MaxPerRequestCents > 0 && f.MaxPerRequestCents < m {
		m = f.MaxPerRequestCents
	}
	return min(m, MaxRequestCents)
}

// OpenOn reports whether the fund takes applications on day (a date in
// Dutch time).
func (f Fund) OpenOn(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return f.OpensOn.Format(time.DateOnly) <= d && (f.ClosesOn == nil || d <= f.ClosesOn.Format(time.DateOnly))
}

// MinOwnCents is the own contribution the fund asks of a plan of total cents.
func (f Fund) MinOwnCents(total int64) int64 {
	return (total*int64(f.OwnContributionPct) + 99) / 100
}

// Line is one line of an application's budget.
type Line struct {
	What        string
	AmountCents int64
}

// Application is a funding request to a fund.
type Application struct {
	ID                 int64
	FundID             int64
	FundName           string
	Funder             string
	InitiativeID       int64
	InitiativeTitle    string
	Description        string   // the initiative's description (for the decider)
	Neighbourhoods     []string // the initiative's neighbourhoods
	Members            int      // owners and supporters of the initiative
	AmountCents        int64    // asked
	OwnCents           int64
	Purpose            string
	Budget             string
	Impact             string
	ActivityOn         *time.Time
	Lines              []Line
	Status             Status
	GrantedCents       int64
	Conditions         string
	Reason             string
	RequestedBy        string
	CreatedAt          time.Time
	DecidedBy          string
	DecidedAt          *time.Time
	FundRemainingCents int64
	Conflicted         bool // the viewer may not decide on it
}

// Pending reports whether the application awaits a decision.
func (a Application) Pending() bool { return a.Status == Submitted }

// TotalCents is the plan's total: what is asked plus the own contribution.
func (a Application) TotalCents() int64 { return a.AmountCents + a.OwnCents }

// Decision is a decider's choice on an application.
type Decision struct {
	Verdict      Verdict
	GrantedCents int64 // full: the amount asked; partial: less, with conditions
	Conditions   string
	Reason       string
}

// Status is the application status the decision leads to.
func (d Decision) Status() Status {
	if d.Verdict == Refuse {
		return Refused
	}
	return Granted
}

// Scope is what a decider decides on: their municipality's funds (officers)
// and their organisation's funds (funder staff). Zero values: none.
type Scope struct {
	Municipality int64
	Organisation int64
}

// Any reports whether the scope holds any fund at all.
func (s Scope) Any() bool { return s.Municipality != 0 || s.Organisation != 0 }

// AdviceSource shows the residents' advice on an application beside it
// on the decider's page. The advice feature implements it; nil: no advice
// shown.
type AdviceSource interface {
	AdviceFor(ctx context.Context, requestID int64) (templ.Component, error)
}
