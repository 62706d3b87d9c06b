// Package signal is "signaleren en agenderen": residents and community workers
// raise what they notice in a neighbourhood, address it to the municipality,
// a housing corporation or another party, and follow it through its statuses
// with a timeline of responses from workers and municipality officers.
package signal

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Status is where a signal stands: a code stored in the database.
type Status string

// Statuses of a signal, in their natural order.
const (
	Raised     Status = "gesignaleerd"
	OnAgenda   Status = "geagendeerd"
	InProgress Status = "in_behandeling"
	TakenUp    Status = "opgepakt"
	NotTakenUp Status = "niet_opgepakt"
)

// Statuses lists every status in order.
var Statuses = []Status{Raised, OnAgenda, InProgress, TakenUp, NotTakenUp}

// StatusLabel is the Dutch name of a status.
func StatusLabel(s Status) string {
	switch s {
	case Raised:
		return "Gesignaleerd"
	case OnAgenda:
		return "Geagendeerd"
	case InProgress:
		return "In behandeling"
	case TakenUp:
		return "Opgepakt"
	case NotTakenUp:
		return "Niet opgepakt"
	}
	return string(s)
}

// Author is the capacity in which someone wrote an entry of a signal's
// timeline: a responder's role, or the raiser replying.
type Author string

// The authors of timeline entries, as stored in signal_responses.author_role.
const (
	AuthorWorker         = Author(role.Worker)
	AuthorOfficer        = Author(role.Officer)
	AuthorRaiser  Author = "raiser"
)

// transitions says which status changes each responding author may make.
var transitions = map[Author]map[Status][]Status{
	AuthorOfficer: {
		Raised:     {OnAgenda, InProgress, NotTakenUp},
		OnAgenda:   {InProgress, NotTakenUp},
		InProgress: {TakenUp, NotTakenUp},
	},
	AuthorWorker: {
		Raised: {OnAgenda},
	},
}

// NextStatuses returns the statuses a may move a signal to from from.
func NextStatuses(a Author, from Status) []Status { return transitions[a][from] }

// CanMove reports whether a may move a signal from from to to.
func CanMove(a Author, from, to Status) bool {
	return slices.Contains(NextStatuses(a, from), to)
}

// Addressee is whom a signal is addressed to: a code stored in the database.
type Addressee string

// The parties a signal can be addressed to.
const (
	ToMunicipality Addressee = "gemeente"
	ToHousing      Addressee = "woningcorporatie"
	ToOther        Addressee = "anders" // named in AddressedToOther
)

// Addressees a signal can be addressed to, in form order.
var Addressees = []struct {
	Code  Addressee
	Label string
}{
	{ToMunicipality, "De gemeente"},
	{ToHousing, "De woningcorporatie"},
	{ToOther, "Iemand anders"},
}

// AddresseeLabel is the Dutch name of an addressee code.
func AddresseeLabel(code Addressee) string {
	for _, a := range Addressees {
		if a.Code == code {
			return a.Label
		}
	}
	return string(code)
}

// Errors of the store.
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "signal: not found")
	ErrForbidden = fault.Wrap(fault.ErrForbidden, "signal: outside the viewer's scope")
	ErrDuplicate = errors.New("signal: form already handled")
	// ErrTransition reports a status change the role may not make now.
	ErrTransition = fault.Wrap(fault.ErrConflict, "signal: status change not allowed")
	// ErrOwnSignal refuses recognising or following one's own signal: the
	// raiser follows it anyway.
	ErrOwnSignal = errors.New("signal: own signal")
)

// Signal is one raised signal as a viewer may see it.
type Signal struct {
	ID                int64
	NeighbourhoodID   int64
	NeighbourhoodCode string
	NeighbourhoodName string
	MunicipalityID    int64
	MunicipalityName  string
	Title             string
	Description       string
	Theme             string
	AddressedTo       Addressee
	AddressedToOther  string
	RaisedBy          int64     // 0 when the account is gone
	RaisedAs          role.Role // resident or worker
	Public            bool
	Status            Status
	CreatedAt         time.Time
	UpdatedAt         time.Time
	FirstResponseAt   *time.Time
	Responses         int
	Recognitions      int // people who said "Dit herken ik"
	// Hidden by an administrator (the raiser and administrators still see
	// it, with the reason); nil when not hidden.
	HiddenAt     *time.Time
	HiddenReason string
}

// Addressee is the full "addressed to" text.
func (s Signal) Addressee() string {
	if s.AddressedTo == ToOther && s.AddressedToOther != "" {
		return s.AddressedToOther
	}
	if s.AddressedTo == ToHousing && s.AddressedToOther != "" {
		return "De woningcorporatie (" + s.AddressedToOther + ")"
	}
	return AddresseeLabel(s.AddressedTo)
}

// Response is one entry of a signal's timeline.
type Response struct {
	ID         int64
	AuthorName string // "" when the account is gone
	AuthorRole Author
	Body       string
	StatusFrom Status // "" when the status stayed
	StatusTo   Status
	CreatedAt  time.Time
}

// Scope is who is asking, as the store applies it in SQL: an account, the
// work areas it serves as a worker and the municipality it serves as an
// officer.
type Scope struct {
	AccountID      int64
	WorkAreas      []int64 // empty unless the viewer is a worker
	MunicipalityID int64   // 0 unless the viewer is an officer
	Admin          bool
}

// ScopeOf derives the scope from the logged-in viewer (nil: anonymous).
func ScopeOf(v *httpx.Viewer) Scope {
	if v == nil {
		return Scope{}
	}
	s := Scope{AccountID: v.ID, Admin: v.Has(role.Admin), WorkAreas: []int64{}}
	if v.Has(role.Worker) && v.WorkAreas != nil {
		s.WorkAreas = v.WorkAreas
	}
	if v.Has(role.Officer) {
		s.MunicipalityID = v.MunicipalityID
	}
	return s
}

// Form is the raw "new signal" form.
type Form struct {
	Municipality     string // CBS code of the municipality chosen in step 1 (hidden field)
	Neighbourhood    string
	Title            string
	Description      string
	Theme            string
	AddressedTo      string
	AddressedToOther string
	Public           bool
	Token            string
}

// Input is a validated new signal.
type Input struct {
	NeighbourhoodID  int64
	Title            string
	Description      string
	Theme            string
	AddressedTo      Addressee
	AddressedToOther string
	Public           bool
	Token            string
}

const (
	maxTitle = 150
	maxText  = 4000
	maxOther = 150
)

// Validate checks the form; place returns "" when a neighbourhood id may be
// used (it exists and lies in the form's municipality) and else the Dutch
// message that says why not.
func (f Form) Validate(place func(int64) string) (Input, validate.Errors) {
	errs := validate.Errors{}
	in := Input{Public: f.Public, Token: f.Token}
	nb, _ := validate.CleanText(f.Neighbourhood, false)
	if nb == "" {
		errs.Add("neighbourhood", msgNeighbourhoodRequired)
	} else if id, err := strconv.ParseInt(nb, 10, 64); err != nil || id <= 0 {
		errs.Add("neighbourhood", msgNeighbourhoodUnknown)
	} else if msg := place(id); msg != "" {
		errs.Add("neighbourhood", msg)
	} else {
		in.NeighbourhoodID = id
	}
	in.Title = errs.Text("title", f.Title, validate.Rule{Required: true, Max: maxTitle})
	in.Description = errs.Text("description", f.Description, validate.Rule{Max: maxText, Multiline: true})
	if t, _ := validate.CleanText(f.Theme, false); t == "" {
		errs.Add("theme", msgThemeRequired)
	} else if !theme.Valid(t) {
		errs.Add("theme", msgThemeUnknown)
	} else {
		in.Theme = t
	}
	switch a, _ := validate.CleanText(f.AddressedTo, false); Addressee(a) {
	case "":
		errs.Add("addressed_to", msgAddresseeRequired)
	case ToMunicipality, ToHousing, ToOther:
		in.AddressedTo = Addressee(a)
	default:
		errs.Add("addressed_to", msgAddresseeUnknown)
	}
	in.AddressedToOther = errs.Text("addressed_to_other", f.AddressedToOther, validate.Rule{Required: in.AddressedTo == ToOther, Max: maxOther})
	if in.AddressedTo == ToOther && errs.Get("addressed_to_other") == "Vul dit veld in." {
		errs["addressed_to_other"] = msgOtherRequired
	}
	if in.AddressedTo == ToMunicipality {
		in.AddressedToOther = ""
	}
	return in, errs
}

// ResponseForm is the raw response form.
type ResponseForm struct {
	Body   string
	Status string // "" keeps the status
	Token  string
}

// ResponseInput is a validated response.
type ResponseInput struct {
	Body   string
	Status Status // "" keeps the status
	Token  string
}

// Validate checks the response form for a responder writing as a, given
// the signal's current status.
func (f ResponseForm) Validate(a Author, current Status) (ResponseInput, validate.Errors) {
	errs := validate.Errors{}
	in := ResponseInput{Token: f.Token}
	in.Body = errs.Text("body", f.Body, validate.Rule{Max: maxText, Multiline: true})
	raw, _ := validate.CleanText(f.Status, false)
	if st := Status(raw); st != "" && st != current {
		if !CanMove(a, current, st) {
			errs.Add("status", transitionMessage(a, current, st))
		} else {
			in.Status = st
		}
	}
	if in.Body == "" && in.Status == "" && !errs.Has("body") && !errs.Has("status") {
		errs.Add("body", msgEmptyResponse)
	}
	return in, errs
}

// ReplyForm is the raw form in which the raiser replies on the timeline.
type ReplyForm struct {
	Body  string
	Token string
}

// ReplyInput is a validated reply.
type ReplyInput struct {
	Body  string
	Token string
}

// Validate checks the reply form: a text is required.
func (f ReplyForm) Validate() (ReplyInput, validate.Errors) {
	errs := validate.Errors{}
	in := ReplyInput{Token: f.Token}
	if t, ok := validate.CleanText(f.Body, true); ok && t == "" {
		errs.Add(fieldReply, msgEmptyReply)
		return in, errs
	}
	in.Body = errs.Text(fieldReply, f.Body, validate.Rule{Required: true, Max: maxText, Multiline: true})
	return in, errs
}

// fieldReply is the name of the reply's text field.
const fieldReply = "reply"

// The two forms of a signal's page. Each posts to a URL ending in the
// fragment of its own error summary, so the page shown again with errors
// opens there.
const (
	formReply    = "antwoord"
	formResponse = "reactie"
)
