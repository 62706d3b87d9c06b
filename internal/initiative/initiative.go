// Package initiative holds residents' initiatives (bewonersinitiatieven):
// registering, finding and managing them, joining and offering help,
// moderation. Applications to funds (potjes) live in internal/fund; the
// initiative page shows them.
package initiative

import (
	"context"
	"time"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/money"
)

// HelpFinder renders "Wie kan helpen?" for an initiative: assets and talents
// in its neighbourhoods that match its needs. The asset feature implements it;
// the app wires it. A nil HelpFinder shows nothing.
type HelpFinder interface {
	HelpFor(ctx context.Context, neighbourhoodIDs []int64, needs []string, v *httpx.Viewer) (templ.Component, error)
}

// Photos renders an initiative's photos on its page (internal/photo); the
// app wires it. A nil Photos shows nothing.
type Photos interface {
	InitiativePhotos(ctx context.Context, id int64, v *httpx.Viewer) (templ.Component, error)
}

// AgendaSection renders the agenda on an initiative's page: its upcoming
// events, and for owners a link to publish one. The event feature
// implements it; the app wires it. A nil AgendaSection shows nothing.
type AgendaSection interface {
	InitiativeAgenda(ctx context.Context, initiativeID int64, owner bool, v *httpx.Viewer) (templ.Component, error)
}

// Errors of the store. Each is of one of the shared kinds (package fault),
// so a handler can return it as it is and httpx answers with the page that
// fits; the handlers that answer differently (a form message, a flash) check
// for the error itself.
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "initiative: not found")
	ErrConflict  = fault.Wrap(fault.ErrConflict, "initiative: changed meanwhile")
	ErrBadPlaces = fault.Wrap(fault.ErrInvalid, "initiative: neighbourhoods outside the municipality")
	// ErrLastOwner: an initiative always keeps at least one owner.
	ErrLastOwner = fault.Wrap(fault.ErrConflict, "initiative: the last owner cannot leave")
	// ErrNotOwner: the account to remove is not (or no longer) an owner.
	ErrNotOwner = fault.Wrap(fault.ErrConflict, "initiative: not an owner")
	// ErrNoInvitation: no pending invitation (withdrawn, answered or expired).
	ErrNoInvitation = fault.Wrap(fault.ErrGone, "initiative: no pending invitation")
	// ErrTooManyInvitations: the initiative has MaxPendingInvitations open.
	ErrTooManyInvitations = fault.Wrap(fault.ErrConflict, "initiative: too many pending invitations")
)

// Limits of the form fields (characters); the migration checks the same.
const (
	MaxTitle          = 120
	MaxSummary        = 200
	MaxDescription    = 5000
	MaxContact        = 200
	MaxNeedDetails    = 200
	MaxNeighbourhoods = 5
	MaxMessage        = 1000
	MaxUpdate         = 2000
	MaxNote           = 500
	MaxReason         = 1000
	MaxPurpose        = 200
	MaxBudget         = 2000
	// MaxPendingInvitations is how many co-owner invitations an initiative
	// may have open at once: enough for any real group, too few to spam.
	MaxPendingInvitations = 20
	// InvitationDays is how long an invitation to become co-owner stays open.
	InvitationDays = 30
	// MaxAmountCents caps a funding request at € 100.000.
	MaxAmountCents = 10_000_000
	PageSize       = 20
)

// Status is how far an initiative has come.
type Status string

// The statuses, in their lifecycle order.
const (
	Idea     Status = "idee"
	Building Status = "in_opbouw"
	Active   Status = "actief"
	Paused   Status = "gepauzeerd"
	Stopped  Status = "gestopt"
)

// Statuses in their lifecycle order.
var Statuses = []Status{Idea, Building, Active, Paused, Stopped}

// Form is the legal or organisational form of an initiative.
type Form string

// The forms, in the order the form offers them.
const (
	FormInformal         Form = "informal"
	FormAssociation      Form = "vereniging"
	FormFoundation       Form = "stichting"
	FormCooperative      Form = "cooperatie"
	FormResidentsCompany Form = "bewonersbedrijf"
	FormBreadFund        Form = "broodfonds"
	FormOther            Form = "anders"
)

// Forms are the legal or organisational forms of an initiative.
var Forms = []Form{FormInformal, FormAssociation, FormFoundation, FormCooperative, FormResidentsCompany, FormBreadFund, FormOther}

// NeedCode is something an initiative can ask for. The asset feature knows
// the same codes for what an asset can help with.
type NeedCode string

// The needs, in their fixed order.
const (
	NeedSpace      NeedCode = "ruimte"
	NeedMoney      NeedCode = "geld"
	NeedVolunteers NeedCode = "vrijwilligers"
	NeedKnowledge  NeedCode = "kennis"
	NeedMaterials  NeedCode = "materiaal"
)

// Needs are what an initiative can ask for, in their fixed order.
var Needs = []NeedCode{NeedSpace, NeedMoney, NeedVolunteers, NeedKnowledge, NeedMaterials}

// ContactPreference says how owners want to be reached.
type ContactPreference string

// The contact preferences.
const (
	ContactPlatform ContactPreference = "platform"
	ContactEmail    ContactPreference = "email"
	ContactPhone    ContactPreference = "telefoon"
)

// ContactPreferences say how owners want to be reached.
var ContactPreferences = []ContactPreference{ContactPlatform, ContactEmail, ContactPhone}

// NeedsDetails reports whether the preference comes with contact details
// (an address or a number) the owners fill in.
func (p ContactPreference) NeedsDetails() bool { return p == ContactEmail || p == ContactPhone }

// Visibility says who may see an initiative.
type Visibility string

// Public for everyone, Members for logged-in users only.
const (
	Public  Visibility = "public"
	Members Visibility = "members"
)

// Visibilities: public for everyone, members only for logged-in users.
var Visibilities = []Visibility{Public, Members}

// FundingStatus is where a funding request stands.
type FundingStatus string

// A request is submitted, then granted or rejected by an officer.
const (
	Submitted FundingStatus = "ingediend"
	Granted   FundingStatus = "toegekend"
	Rejected  FundingStatus = "afgewezen"
)

// Decisions are the statuses an officer's decision gives a request.
var Decisions = []FundingStatus{Granted, Rejected}

// Initiative is one residents' initiative as stored.
type Initiative struct {
	ID                int64
	Title             string
	Summary           string
	Description       string
	MunicipalityID    int64
	MunicipalityCode  string
	MunicipalityName  string
	Themes            []string
	Form              Form
	Status            Status
	ContactPreference ContactPreference
	ContactDetails    string
	Visibility        Visibility
	Version           int
	HiddenAt          *time.Time
	HiddenReason      string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Supporters        int
	Neighbourhoods    []Place
	Needs             []Need
}

// Hidden reports whether a moderator hid the initiative.
func (i Initiative) Hidden() bool { return i.HiddenAt != nil }

// NeighbourhoodIDs lists the ids of the initiative's neighbourhoods.
func (i Initiative) NeighbourhoodIDs() []int64 {
	out := make([]int64, len(i.Neighbourhoods))
	for k, p := range i.Neighbourhoods {
		out[k] = p.ID
	}
	return out
}

// NeedCodes lists the codes of what the initiative needs.
func (i Initiative) NeedCodes() []NeedCode {
	out := make([]NeedCode, len(i.Needs))
	for k, n := range i.Needs {
		out[k] = n.Code
	}
	return out
}

// Place is a neighbourhood an initiative works in.
type Place struct {
	ID           int64
	Code         string
	Name         string
	DistrictCode string
	DistrictName string
}

// Need is one thing an initiative asks for, with a short explanation.
type Need struct {
	Code    NeedCode
	Details string
}

// Person is an account as shown on an initiative: the display name only.
// Nobody's e-mail address is shown to another resident; people reach each
// other through messages.
type Person struct {
	ID    int64
	Name  string
	Since time.Time
}

// Offer is someone's offer to help with a need.
type Offer struct {
	ID        int64
	From      Person
	Need      NeedCode
	Message   string
	CreatedAt time.Time
}

// Update is a short post by an owner.
type Update struct {
	ID        int64
	Author    string
	Body      string
	CreatedAt time.Time
	AuthorID  int64 // 0 once the author's account is gone
	// Hidden by an administrator: only its author and administrators still
	// see it, with the reason.
	HiddenAt     *time.Time
	HiddenReason string
}

// StatusChange is one line of the status history.
type StatusChange struct {
	From      Status // empty for the first line
	To        Status
	Note      string
	By        string
	ChangedAt time.Time
}

// Report is a user's report of an initiative to the moderators.
type Report struct {
	Reporter  string
	Reason    string
	CreatedAt time.Time
}

// FundingRequest is an application of the initiative to a fund, as its
// page shows it (internal/fund owns applying and deciding).
type FundingRequest struct {
	ID           int64
	InitiativeID int64
	FundName     string
	AmountCents  int64
	GrantedCents int64
	Purpose      string
	Status       FundingStatus
	CreatedAt    time.Time
	DecidedAt    *time.Time
	Reason       string // owners only
	Conditions   string // owners only
	Advised      bool   // the fund asks residents' advice (or a jury)
	Paid         bool   // owners only: a payout was recorded
	Accounted    bool   // owners only: the account was given
}

// Pending reports whether the request awaits a decision.
func (f FundingRequest) Pending() bool { return f.Status == Submitted }

// Input is what the create and edit forms submit, kept as typed so a form
// shown again loses nothing.
type Input struct {
	Title             string
	Summary           string
	Description       string
	Municipality      string   // GM code
	Neighbourhoods    []string // BU codes
	Themes            []string
	Form              Form
	Status            Status
	ContactPreference ContactPreference
	ContactDetails    string
	Visibility        Visibility
	Needs             map[NeedCode]bool
	NeedDetails       map[NeedCode]string
	Version           int
	Key               string // idempotency token of the create form
}

// NeedList returns the checked needs in the fixed order.
func (in Input) NeedList() []Need {
	var out []Need
	for _, c := range Needs {
		if in.Needs[c] {
			out = append(out, Need{Code: c, Details: in.NeedDetails[c]})
		}
	}
	return out
}

// Filter narrows the list of initiatives. Empty fields do not filter.
type Filter struct {
	Query         string
	Municipality  string // GM code
	District      string // WK code
	Neighbourhood string // BU code
	Theme         string
	Status        Status
	Need          NeedCode

	neighbourhoodID int64 // the neighbourhood page's section
}

// ParseAmount reads an amount in euros as people type it; see money.Parse.
func ParseAmount(s string) (cents int64, ok bool) { return money.Parse(s) }

// FormatAmount writes cents the Dutch way: "€ 1.250,50".
func FormatAmount(cents int64) string { return money.Format(cents) }
