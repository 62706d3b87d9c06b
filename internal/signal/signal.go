// Package signal is "signaleren en agenderen": residents and community workers
// raise what they notice in a neighbourhood, address it to the municipality,
// a housing corporation or another party, and follow it through its statuses
// with a timeline of responses from workers and municipality officers.
package signal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Statuses of a signal, in their natural order.
const (
	Raised     = "gesignaleerd"
	OnAgenda   = "geagendeerd"
	InProgress = "in_behandeling"
	TakenUp    = "opgepakt"
	NotTakenUp = "niet_opgepakt"
	// The roles a signal's timeline and raised_as column speak of: the
	// platform's role codes as stored text, and the raiser's own replies.
	roleWorker  = string(role.Worker)
	roleOfficer = string(role.Officer)
	// roleRaiser is the timeline role of the raiser's own replies.
	roleRaiser = "raiser"
)

// Statuses lists every status in order.
var Statuses = []string{Raised, OnAgenda, InProgress, TakenUp, NotTakenUp}

// StatusLabel is the Dutch name of a status.
func StatusLabel(s string) string {
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
	return s
}

// transitions says which status changes each responding role may make.
var transitions = map[string]map[string][]string{
	roleOfficer: {
		Raised:     {OnAgenda, InProgress, NotTakenUp},
		OnAgenda:   {InProgress, NotTakenUp},
		InProgress: {TakenUp, NotTakenUp},
	},
	roleWorker: {
		Raised: {OnAgenda},
	},
}

// NextStatuses returns the statuses role may move a signal to from from.
func NextStatuses(role, from string) []string { return transitions[role][from] }

// CanMove reports whether role may move a signal from from to to.
func CanMove(role, from, to string) bool {
	return validate.In(to, NextStatuses(role, from)...)
}

// Addressees a signal can be addressed to.
var Addressees = []struct{ Code, Label string }{
	{"gemeente", "De gemeente"},
	{"woningcorporatie", "De woningcorporatie"},
	{"anders", "Iemand anders"},
}

// AddresseeLabel is the Dutch name of an addressee code.
func AddresseeLabel(code string) string {
	for _, a := range Addressees {
		if a.Code == code {
			return a.Label
		}
	}
	return code
}

// Errors of the store.
var (
	ErrNotFound  = errors.New("signal: not found")
	ErrForbidden = errors.New("signal: outside the viewer's scope")
	ErrDuplicate = errors.New("signal: form already handled")
	// ErrTransition reports a status change the role may not make now.
	ErrTransition = errors.New("signal: status change not allowed")
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
	AddressedTo       string
	AddressedToOther  string
	RaisedBy          int64 // 0 when the account is gone
	RaisedAs          string
	Public            bool
	Status            string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	FirstResponseAt   *time.Time
	Responses         int
	Recognitions      int // people who said "Dit herken ik"
}

// Addressee is the full "addressed to" text.
func (s Signal) Addressee() string {
	if s.AddressedTo == "anders" && s.AddressedToOther != "" {
		return s.AddressedToOther
	}
	if s.AddressedTo == "woningcorporatie" && s.AddressedToOther != "" {
		return "De woningcorporatie (" + s.AddressedToOther + ")"
	}
	return AddresseeLabel(s.AddressedTo)
}

// Response is one entry of a signal's timeline.
type Response struct {
	ID         int64
	AuthorName string // "" when the account is gone
	AuthorRole string
	Body       string
	StatusFrom string
	StatusTo   string
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
	AddressedTo      string
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
	switch a, _ := validate.CleanText(f.AddressedTo, false); a {
	case "":
		errs.Add("addressed_to", msgAddresseeRequired)
	case "gemeente", "woningcorporatie", "anders":
		in.AddressedTo = a
	default:
		errs.Add("addressed_to", msgAddresseeUnknown)
	}
	in.AddressedToOther = errs.Text("addressed_to_other", f.AddressedToOther, validate.Rule{Required: in.AddressedTo == "anders", Max: maxOther})
	if in.AddressedTo == "anders" && errs.Get("addressed_to_other") == "Vul dit veld in." {
		errs["addressed_to_other"] = msgOtherRequired
	}
	if in.AddressedTo == "gemeente" {
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
	Status string
	Token  string
}

// Validate checks the response form for a responder in role, given the
// signal's current status.
func (f ResponseForm) Validate(role, current string) (ResponseInput, validate.Errors) {
	errs := validate.Errors{}
	in := ResponseInput{Token: f.Token}
	in.Body = errs.Text("body", f.Body, validate.Rule{Max: maxText, Multiline: true})
	st, _ := validate.CleanText(f.Status, false)
	if st != "" && st != current {
		if !CanMove(role, current, st) {
			errs.Add("status", transitionMessage(role, current, st))
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

// Shapes of CBS codes in the form's query string and hidden field.
var (
	reMunicipality  = regexp.MustCompile(`^GM[0-9]{4}$`)
	reNeighbourhood = regexp.MustCompile(`^BU[0-9]{8}$`)
)

var tokenRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func validToken(s string) bool { return tokenRe.MatchString(s) }
