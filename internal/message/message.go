// Package message lets members reach each other without anyone's e-mail
// address being shown: conversations (gesprekken) about an initiative, an
// offer of help or a place or talent on the asset map, read by their
// participants only. A person can block another, and report a message; the
// administrators see reported messages and nothing else.
package message

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// SubjectKind is what a conversation is about; the values are those of the
// start URL (/berichten/nieuw?over=…) and of the table.
type SubjectKind string

// The subjects a conversation can be about.
const (
	AboutInitiative SubjectKind = "initiatief" // to the initiative's owners
	AboutOffer      SubjectKind = "aanbod"     // between the owners and who offered help
	AboutAsset      SubjectKind = "hulpbron"   // to the person behind a place or talent
	AboutHelp       SubjectKind = "burenhulp"  // between a help request's author and a neighbour who answered
	// AboutWorker: to a community worker of a neighbourhood, from that
	// neighbourhood's page (the start URL names it: &buurt=id).
	AboutWorker SubjectKind = "opbouwwerker"
)

// Valid reports whether k is a known subject.
func (k SubjectKind) Valid() bool {
	return k == AboutInitiative || k == AboutOffer || k == AboutAsset || k == AboutWorker || k == AboutHelp
}

// Limits of a message, also enforced by the tables' CHECK constraints.
const (
	MaxBody   = 4000
	MaxReason = 1000
	// PerHour is how many messages one person may send in an hour.
	PerHour = 30
	// LinkAge is how old an account must be before its messages may hold links.
	LinkAge = 24 * time.Hour
)

// Errors of the store.
var (
	ErrNotFound = fault.Wrap(fault.ErrNotFound, "message: not found")
	// ErrSelf: the only person the message would go to is the sender.
	ErrSelf = errors.New("message: to oneself")
	// ErrNoRecipient: nobody is left to receive it (owners or the other
	// participant deleted their account).
	ErrNoRecipient = errors.New("message: nobody to send to")
	// ErrBlocked: a recipient has blocked the sender.
	ErrBlocked = errors.New("message: blocked by a recipient")
	// ErrLinkTooEarly: a link from an account younger than LinkAge.
	ErrLinkTooEarly = errors.New("message: link from a new account")
)

// Person is a participant as others see them: the display name only.
type Person struct {
	ID   int64
	Name string
}

// Subject is what a new conversation is about and who takes part, as the
// start form shows it.
type Subject struct {
	Kind  SubjectKind
	ID    int64 // the id in the start URL: initiative, offer or asset
	Title string
	// InitiativeID, OfferID, AssetID, WorkerID (an account) and HelpID
	// are the subject's rows (0: none).
	InitiativeID, OfferID, AssetID, WorkerID, HelpID int64
	// Party is the person on the other side of the owners.
	Party int64
	// Recipients are the participants but the viewer, by name.
	Recipients []Person
	// Existing is the conversation already held about it by these people (0: none).
	Existing int64
}

// Summary is one conversation on the viewer's list.
type Summary struct {
	ID          int64
	Kind        SubjectKind
	Title       string
	LastMessage time.Time
	Unread      bool
	Others      []string // display names of the other participants
}

// Message is one message in a thread.
type Message struct {
	ID         int64
	SenderID   int64  // 0 once the sender's account is gone
	SenderName string // empty once the sender's account is gone
	Body       string
	CreatedAt  time.Time
	Reported   bool // reported by the viewer
}

// Thread is a conversation with its messages, as one participant sees it.
type Thread struct {
	ID           int64
	Kind         SubjectKind
	Title        string
	InitiativeID int64  // 0 when none or gone
	AssetAnchor  string // asset map page of the asset, or the help request's page; "" when none or gone
	Others       []Other
	Messages     []Message
}

// Other is another participant of a thread and whether the viewer blocked them.
type Other struct {
	Person
	Blocked bool
}

// Report is a reported message as administrators see it.
type Report struct {
	ID        int64
	Reason    string
	At        time.Time
	Reporter  string
	MessageID int64
	Body      string
	SentAt    time.Time
	Sender    string
	Subject   string
}

// Draft is the message form's input, kept as typed when shown again.
type Draft struct {
	Kind SubjectKind
	ID   int64
	Area int64 // AboutWorker: the neighbourhood whose worker is written to
	Body string
	Key  string // idempotency token (uuid.New)
}

// HasLink reports whether body holds a web link, which accounts younger
// than LinkAge may not send (spam).
func HasLink(body string) bool {
	l := strings.ToLower(body)
	return strings.Contains(l, "http://") || strings.Contains(l, "https://") || strings.Contains(l, "www.")
}

// Path is the page of conversation id.
func Path(id int64) string { return fmt.Sprintf("/berichten/%d", id) }

// StartPath is the start form of a conversation about a subject.
func StartPath(k SubjectKind, id int64) string {
	return fmt.Sprintf("/berichten/nieuw?over=%s&id=%d", k, id)
}

// WorkerStartPath is the start form of a conversation with worker as a
// community worker of neighbourhood area.
func WorkerStartPath(worker, area int64) string {
	return fmt.Sprintf("/berichten/nieuw?over=%s&id=%d&buurt=%d", AboutWorker, worker, area)
}

// StartView is the start form: who it goes to, about what, and the draft;
// or, instead of the form, why there is none.
type StartView struct {
	Subject     Subject
	Draft       Draft
	Errs        validate.Errors
	Notice      string // the hourly limit was reached
	Problem     string // no form: one's own subject, or nobody to send to
	Unconfirmed bool   // no form until the e-mail address is confirmed
}

// ThreadView is a conversation with the reply form.
type ThreadView struct {
	Thread
	Viewer      int64
	Reply       Draft
	Errs        validate.Errors
	Notice      string
	Unconfirmed bool
}

// ReportView is the form to report one message.
type ReportView struct {
	Conversation int64
	Title        string
	Message      Message
	Reason       string
	Errs         validate.Errors
}
