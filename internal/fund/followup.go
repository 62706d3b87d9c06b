package fund

import (
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// What happens after an application came in: residents' advice, payouts
// in instalments, the light account afterwards, and the fund's dashboard.
// The deciding itself is in the rest of this package.

// Errors of the follow-up; each wraps one of fault's kinds.
var (
	adviceErrTwice      = fault.Wrap(fault.ErrConflict, "fund: advice given before")
	adviceErrNotAllowed = fault.Wrap(fault.ErrForbidden, "fund: may not advise")
	payoutErrNotGranted = fault.Wrap(fault.ErrConflict, "fund: payout on an application not granted")
	payoutErrTooMuch    = fault.Wrap(fault.ErrConflict, "fund: payouts above the granted amount")
	accountErrTwice     = fault.Wrap(fault.ErrConflict, "fund: account given before")
	accountErrNotYet    = fault.Wrap(fault.ErrConflict, "fund: account before a grant")
)

// Limits of the follow-up's texts (the migration's CHECKs).
const (
	adviceMaxComment   = 1000
	payoutMaxNote      = 300
	accountMaxAnswer   = 2000
	payoutMaxCents     = 10000000 // as an application: up to € 100.000
	followUpAmountSize = 30
)

// FollowUpStatus is an application's status as funding_requests keeps it.
type FollowUpStatus string

// The statuses of an application.
const (
	FollowUpPending FollowUpStatus = "ingediend"
	FollowUpGranted FollowUpStatus = "toegekend"
	FollowUpRefused FollowUpStatus = "afgewezen"
)

// followUpStatusLabel is the Dutch name of a status.
func followUpStatusLabel(s FollowUpStatus) string {
	switch s {
	case FollowUpGranted:
		return "Toegekend"
	case FollowUpRefused:
		return "Afgewezen"
	}
	return "Ingediend"
}

// followUpDate is a date in Dutch ("6 december 2026").
func followUpDate(t time.Time) string { return dutch.Date(t) }

// followUpIsoDate is a date for a datetime attribute or a date input.
func followUpIsoDate(t time.Time) string { return t.Format(time.DateOnly) }

// followUpStaffSQL is the condition that account $n manages fund f: an
// officer of the funding municipality, or staff of the funding
// organisation. It is the scope of payouts, accounts and the dashboard.
func followUpStaffSQL(n string) string {
	return `((f.funder_municipality_id IS NOT NULL AND EXISTS (
			SELECT 1 FROM accounts st WHERE st.id = ` + n + ` AND 'officer' = ANY (st.roles)
			  AND st.municipality_id = f.funder_municipality_id))
		OR (f.funder_organisation_id IS NOT NULL AND EXISTS (
			SELECT 1 FROM funder_staff fs WHERE fs.account_id = ` + n + ` AND fs.organisation_id = f.funder_organisation_id)))`
}

// followUpScopeOfficerSQL is the condition that account $n is an officer
// of the municipality the fund works in: they see its dashboard's
// aggregates, also of an organisation's fund.
func followUpScopeOfficerSQL(n string) string {
	return `EXISTS (SELECT 1 FROM accounts so WHERE so.id = ` + n + ` AND 'officer' = ANY (so.roles)
			  AND so.municipality_id = f.scope_municipality_id)`
}

// followUpStaffRecipientsSQL lists the accounts that manage fund f ($1 is
// the fund id), for notifications to the funder.
const followUpStaffRecipientsSQL = `
	SELECT st.id FROM funds f JOIN accounts st ON 'officer' = ANY (st.roles) AND st.municipality_id = f.funder_municipality_id
	WHERE f.id = $1
	UNION
	SELECT fs.account_id FROM funds f JOIN funder_staff fs ON fs.organisation_id = f.funder_organisation_id
	WHERE f.id = $1`

// followUpApplicationPath is where the follow-up pages of application id live.
func followUpApplicationPath(id int64, page string) string {
	return "/aanvragen/" + strconv.FormatInt(id, 10) + "/" + page
}
