// Package privacy gives residents (and every other user) their rights over
// their own data: a JSON download of everything the platform holds about
// them, and deleting their account. Both cut across every feature, so the
// package writes its own SQL over all tables that refer to an account.
package privacy

import (
	"encoding/json"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Format names the version of the export's layout (see README, "Privacy").
const Format = "buurtkracht-gegevens/1"

// Errors of the store.
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "privacy: account not found")
	ErrLastAdmin = fault.Wrap(fault.ErrConflict, "privacy: the last administrator cannot delete their account")
)

// Export is the downloadable document. Each part is built as JSON by
// PostgreSQL in one query; the parts are kept in this order.
type Export struct {
	Format      string    `json:"format"`
	GeneratedAt time.Time `json:"generated_at"`
	// About explains the document in Dutch for the person reading it.
	About string `json:"about"`

	Account                json.RawMessage `json:"account"`
	InitiativesOwned       json.RawMessage `json:"initiatives_owned"`
	InitiativesSupported   json.RawMessage `json:"initiatives_supported"`
	InitiativeInvitations  json.RawMessage `json:"initiative_invitations"`
	Offers                 json.RawMessage `json:"offers"`
	UpdatesWritten         json.RawMessage `json:"updates_written"`
	Reports                json.RawMessage `json:"reports"`
	FundingDecisions       json.RawMessage `json:"funding_decisions"`
	FunderStaff            json.RawMessage `json:"funder_staff"` // the funder organisations whose funds the account manages
	Assets                 json.RawMessage `json:"assets"`
	SignalsRaised          json.RawMessage `json:"signals_raised"`
	SignalResponsesWritten json.RawMessage `json:"signal_responses_written"`
	SignalsRecognised      json.RawMessage `json:"signals_recognised"`
	SignalsFollowed        json.RawMessage `json:"signals_followed"`
	Contacts               json.RawMessage `json:"contacts"`
	Activities             json.RawMessage `json:"activities"`
	EventsOrganised        json.RawMessage `json:"events_organised"`
	EventSignUps           json.RawMessage `json:"event_sign_ups"`
	MessagesSent           json.RawMessage `json:"messages_sent"`
	MessageReports         json.RawMessage `json:"message_reports"`
	ContentReports         json.RawMessage `json:"content_reports"`
	HelpRequests           json.RawMessage `json:"help_requests"` // burenhulp asked or offered
	HelpAnswered           json.RawMessage `json:"help_answered"` // burenhulp the account answered
	TwoFactor              json.RawMessage `json:"two_factor"`    // on or off and since when; never the secret or codes
	Sessions               json.RawMessage `json:"sessions"`
	APITokens              json.RawMessage `json:"api_tokens"`
	PasswordResets         json.RawMessage `json:"password_resets"`
	AuditAboutYou          json.RawMessage `json:"audit_about_you"`
	AuditByYou             json.RawMessage `json:"audit_by_you"`
	PhotosUploaded         json.RawMessage `json:"photos_uploaded"`  // with links to the stored widths
	FundingAdvice          json.RawMessage `json:"funding_advice"`   // advice given on applications to funds
	FundingAccounts        json.RawMessage `json:"funding_accounts"` // light accounts written for an initiative
}

// Preview tells a user, before they delete their account, what will happen
// to what they made.
type Preview struct {
	PassedOn   []string // titles of initiatives a co-owner keeps
	Anonymous  []string // titles of initiatives left without an owner
	Supports   int      // initiatives joined
	Offers     int      // offers of help
	Talents    int      // talents (deleted)
	Assets     int      // places, networks, businesses (kept, without name)
	Signals    int      // signals raised (kept, without name)
	Photos     int      // photos uploaded (kept with their initiative or place, without name)
	Contacts   int      // street contacts (kept as counts, notes erased)
	Activities int      // activities (kept, notes erased)
	Tokens     int      // API tokens (deleted)
	SignUps    int      // sign-ups for events (deleted; the waiting list moves up)
	Events     int      // events published (kept, without name)
	Help       int      // help asked or offered between neighbours (deleted)
	LastAdmin  bool     // the only administrator: deletion is refused
	IsAdmin    bool
	IsWorker   bool
}

// Result is what a deletion did, for the flash message and the tests.
type Result struct {
	PassedOn  int // initiatives handed to a co-owner
	Anonymous int // initiatives left without owner
}
