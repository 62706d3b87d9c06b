// Package activity lets community workers record the activities they
// organise or support (title, date, neighbourhood, strategy, participants,
// partners, outcome), keep a private note on them and turn that note into an
// anonymised story for the municipality.
package activity

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Limits of the form fields, shared by validation, the form and the schema.
const (
	maxTitle        = 150
	maxText         = 4000
	maxPartners     = 20
	maxPartner      = 150
	maxParticipants = 100000
)

// Errors of the store.
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "activity: not found")
	ErrForbidden = fault.Wrap(fault.ErrForbidden, "activity: not yours or outside your work areas")
	// ErrDuplicate reports a replayed form whose activity already exists.
	ErrDuplicate = errors.New("activity: already created with this form token")
)

// Activity is one recorded activity. Note is the author's private note and is
// only filled in for the author.
type Activity struct {
	ID                int64
	Title             string
	Date              time.Time
	NeighbourhoodID   int64
	NeighbourhoodName string
	NeighbourhoodCode string
	WorkerOrganised   bool
	InitiativeID      *int64
	InitiativeTitle   string
	Strategy          strategy.Strategy
	ParticipantCount  int
	Partners          []string
	Outcome           string
	Note              string
	NoteWrittenAt     *time.Time
	Story             string
	StorySharedAt     *time.Time
	CreatedBy         int64 // 0 when the author's account is gone
	AuthorName        string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Mine reports whether viewer id wrote the activity.
func (a Activity) Mine(id int64) bool { return a.CreatedBy != 0 && a.CreatedBy == id }

// Input is a validated create or edit form.
type Input struct {
	Title            string
	Date             time.Time
	NeighbourhoodID  int64
	WorkerOrganised  bool
	InitiativeID     *int64
	Strategy         strategy.Strategy
	ParticipantCount int
	Partners         []string
	Outcome          string
	Note             string
	Token            string // idempotency key of a create form
}

// Form holds the raw form values, kept as typed when the form is shown again.
type Form struct {
	Title           string
	Date            string
	Neighbourhood   string
	WorkerOrganised bool
	Initiative      string
	Strategy        string
	Participants    string
	Partners        string
	Outcome         string
	Note            string
	Token           string
}

// FormFrom fills a form from an existing activity, for editing.
func FormFrom(a Activity) Form {
	f := Form{
		Title:           a.Title,
		Date:            a.Date.Format(time.DateOnly),
		Neighbourhood:   strconv.FormatInt(a.NeighbourhoodID, 10),
		WorkerOrganised: a.WorkerOrganised,
		Strategy:        string(a.Strategy),
		Participants:    strconv.Itoa(a.ParticipantCount),
		Partners:        strings.Join(a.Partners, "\n"),
		Outcome:         a.Outcome,
		Note:            a.Note,
	}
	if a.InitiativeID != nil {
		f.Initiative = strconv.FormatInt(*a.InitiativeID, 10)
	}
	return f
}

// Validate checks the form against the rules and the worker's choices:
// areas are the neighbourhoods the worker may record in, initiatives the
// initiatives offered in the form. now fixes "today" for the date range.
func (f Form) Validate(areas []int64, initiatives []int64, now time.Time) (Input, validate.Errors) {
	errs := validate.Errors{}
	in := Input{WorkerOrganised: f.WorkerOrganised}
	in.Title = errs.Text("title", f.Title, validate.Rule{Required: true, Max: maxTitle})

	d, ok := validate.CleanText(f.Date, false)
	switch {
	case !ok:
		errs.Add("date", msgBadChars)
	case d == "":
		errs.Add("date", msgDateRequired)
	default:
		t, err := time.Parse(time.DateOnly, d)
		switch {
		case err != nil:
			errs.Add("date", msgDateInvalid)
		case t.Year() < 2000 || t.After(now.AddDate(1, 0, 0)):
			errs.Add("date", msgDateRange)
		default:
			in.Date = t
		}
	}

	nb, _ := validate.CleanText(f.Neighbourhood, false)
	switch id, err := strconv.ParseInt(nb, 10, 64); {
	case nb == "":
		errs.Add("neighbourhood", msgNeighbourhoodRequired)
	case err != nil || !slices.Contains(areas, id):
		errs.Add("neighbourhood", msgOutsideAreas)
	default:
		in.NeighbourhoodID = id
	}

	if s, _ := validate.CleanText(f.Strategy, false); s == "" {
		errs.Add("strategy", msgStrategyRequired)
	} else if st := strategy.Strategy(s); !st.Valid() {
		errs.Add("strategy", msgStrategyUnknown)
	} else {
		in.Strategy = st
	}

	if p, ok := validate.CleanText(f.Participants, false); !ok {
		errs.Add("participants", msgBadChars)
	} else if p != "" {
		n, err := strconv.Atoi(p)
		switch {
		case err != nil:
			errs.Add("participants", msgParticipantsNumber)
		case n < 0 || n > maxParticipants:
			errs.Add("participants", msgParticipantsRange)
		default:
			in.ParticipantCount = n
		}
	}

	partners := errs.Text("partners", f.Partners, validate.Rule{Max: maxPartners * (maxPartner + 2), Multiline: true})
	seen := map[string]bool{}
	// One partner per line; a lone carriage return (old Mac line breaks)
	// also ends a line, so it never stays inside a name.
	for _, line := range strings.FieldsFunc(partners, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.TrimSpace(line)
		if line == "" || seen[strings.ToLower(line)] {
			continue
		}
		seen[strings.ToLower(line)] = true
		if len([]rune(line)) > maxPartner {
			errs.Add("partners", msgPartnerTooLong)
		}
		in.Partners = append(in.Partners, line)
	}
	if len(in.Partners) > maxPartners {
		errs.Add("partners", msgTooManyPartners)
	}

	if ini, _ := validate.CleanText(f.Initiative, false); ini != "" {
		id, err := strconv.ParseInt(ini, 10, 64)
		if err != nil || !slices.Contains(initiatives, id) {
			errs.Add("initiative", msgInitiativeUnknown)
		} else {
			in.InitiativeID = &id
		}
	}
	if !in.WorkerOrganised && in.InitiativeID == nil {
		errs.Add("worker_organised", msgOrganiserRequired)
	}

	in.Outcome = errs.Text("outcome", f.Outcome, validate.Rule{Max: maxText, Multiline: true})
	in.Note = errs.Text("note", f.Note, validate.Rule{Max: maxText, Multiline: true})
	in.Token = f.Token
	return in, errs
}

// StoryForm is the story page's input.
type StoryForm struct {
	Story     string
	Confirmed bool
}

// Validate checks that the story has text and that the worker confirmed it
// identifies nobody.
func (f StoryForm) Validate() (string, validate.Errors) {
	errs := validate.Errors{}
	s := errs.Text("story", f.Story, validate.Rule{Required: true, Max: maxText, Multiline: true})
	errs.Check(f.Confirmed, "confirm", msgConfirmStory)
	return s, errs
}

// Filter narrows the activity list.
type Filter struct {
	NeighbourhoodID int64
	Strategy        strategy.Strategy // "" for all
	From, To        *time.Time
	Page            int // 1-based
}

// pageSize is the number of activities per list page.
const pageSize = 50
