// Package contact lets community workers log street contacts in seconds (also
// offline, and through the API for field apps), keep a private note that only
// they read and that expires, and turn a note into an anonymised story for
// the municipality.
package contact

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Limits of the free-text fields, in characters (also CHECKs in the schema).
const (
	MaxText     = 500  // energy, concern, private note
	MaxReferral = 200  // where a resident was referred to
	MaxStory    = 1000 // the anonymised story
	MaxPeople   = 500
	// UndoWindow is how long after saving the worker may take a contact back.
	UndoWindow = 10 * time.Minute
	// maxBackdate limits how far back a new contact may be dated.
	maxBackdate = 2 * 365 * 24 * time.Hour
	// maxAhead allows for a phone whose clock runs a little fast.
	maxAhead = time.Hour
)

// Errors of the contact store.
var (
	ErrNotFound    = fault.Wrap(fault.ErrNotFound, "contact: not found")
	ErrOutsideArea = errors.New("contact: neighbourhood is not a work area of the worker")
	ErrUndoExpired = errors.New("contact: undo window has passed")
)

// PlaceType is where a contact happened: a code stored in the database.
type PlaceType string

// The places where a contact happens.
const (
	PlaceStreet        PlaceType = "straat"
	PlaceSchoolyard    PlaceType = "schoolplein"
	PlaceCommunityHall PlaceType = "buurthuis"
	PlaceShopMarket    PlaceType = "winkel_markt"
	PlacePlayground    PlaceType = "speelplek"
	PlaceHomeVisit     PlaceType = "huisbezoek"
	PlacePopUp         PlaceType = "popup"
	PlaceBus           PlaceType = "buurtbus"
	PlaceOnline        PlaceType = "online"
	PlaceElsewhere     PlaceType = "anders"
)

// PlaceTypes are the places where a contact happens, in form order.
var PlaceTypes = []PlaceType{PlaceStreet, PlaceSchoolyard, PlaceCommunityHall, PlaceShopMarket, PlacePlayground,
	PlaceHomeVisit, PlacePopUp, PlaceBus, PlaceOnline, PlaceElsewhere}

// FollowUp is the next step after a contact: a code stored in the database.
type FollowUp string

// The next steps after a contact.
const (
	FollowUpNone       FollowUp = "geen"
	FollowUpSignal     FollowUp = "signaal" // "signaal afgeven": on to the signal form
	FollowUpInitiative FollowUp = "initiatief"
	FollowUpReferral   FollowUp = "doorverwijzing"
)

// FollowUps are the possible next steps after a contact, in form order.
var FollowUps = []FollowUp{FollowUpNone, FollowUpSignal, FollowUpInitiative, FollowUpReferral}

// Contact is one logged street contact. Note is filled only for its author.
type Contact struct {
	ID                int64
	WorkerID          int64
	WorkerName        string
	OccurredAt        time.Time
	NeighbourhoodID   int64
	NeighbourhoodCode string
	NeighbourhoodName string
	PlaceType         PlaceType
	PeopleCount       int
	Themes            []string
	Strategy          strategy.Strategy
	Energy            string
	Concern           string
	Note              *string
	NoteErasedAt      *time.Time
	FollowUp          FollowUp
	InitiativeID      *int64
	Referral          string
	Story             *string
	StorySharedAt     *time.Time
	ClientID          string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Input is a contact as entered in the form or posted to the API, validated.
type Input struct {
	ClientID          string
	OccurredAt        time.Time
	NeighbourhoodCode string
	PlaceType         PlaceType
	PeopleCount       int
	Themes            []string
	Strategy          strategy.Strategy
	Energy            string
	Concern           string
	Note              string
	FollowUp          FollowUp
	InitiativeID      *int64
	Referral          string
}

// Raw is the unparsed input: form values or JSON fields, all as text.
type Raw struct {
	ClientID      string
	OccurredAt    string
	Neighbourhood string
	PlaceType     string
	PeopleCount   string
	Themes        []string
	Strategy      string
	Energy        string
	Concern       string
	Note          string
	FollowUp      string
	InitiativeID  string
	Referral      string
}

// Field names shared by the form, the API and the error messages.
const (
	fClientID     = "client_id"
	fOccurredAt   = "occurred_at"
	fNeighbourh   = "neighbourhood"
	fPlaceType    = "place_type"
	fPeopleCount  = "people_count"
	fThemes       = "themes"
	fStrategy     = "strategy"
	fEnergy       = "energy"
	fConcern      = "concern"
	fNote         = "note"
	fFollowUp     = "follow_up"
	fInitiativeID = "initiative_id"
	fReferral     = "referral"
)

// fieldOrder is the order of the error summary.
var fieldOrder = []string{fNeighbourh, fPlaceType, fStrategy, fOccurredAt, fPeopleCount, fThemes, fEnergy, fConcern, fNote, fFollowUp, fInitiativeID, fReferral, fClientID}

// Validate turns raw input into an Input. areaCodes are the CBS codes of the
// worker's work areas; now is the reference for the moment's range. For an
// edit, keep is the stored moment, which may stay as it is even when old.
func Validate(raw Raw, areaCodes []string, now time.Time, keep *time.Time) (Input, validate.Errors) {
	errs := validate.Errors{}
	in := Input{}

	in.ClientID = strings.ToLower(strings.TrimSpace(raw.ClientID))
	errs.Check(uuid.Valid(in.ClientID), fClientID, msgClientID)

	code, ok := validate.CleanText(raw.Neighbourhood, false)
	switch {
	case !ok:
		errs.Add(fNeighbourh, msgBadChars)
	case code == "":
		errs.Add(fNeighbourh, msgNeighbourhoodRequired)
	case !slices.Contains(areaCodes, code):
		errs.Add(fNeighbourh, msgOutsideArea)
	}
	in.NeighbourhoodCode = code

	in.PlaceType = PlaceType(strings.TrimSpace(raw.PlaceType))
	switch {
	case in.PlaceType == "":
		errs.Add(fPlaceType, msgPlaceRequired)
	case !slices.Contains(PlaceTypes, in.PlaceType):
		errs.Add(fPlaceType, msgPlaceUnknown)
	}

	in.Strategy = strategy.Strategy(strings.TrimSpace(raw.Strategy))
	switch {
	case in.Strategy == "":
		errs.Add(fStrategy, msgStrategyRequired)
	case !in.Strategy.Valid():
		errs.Add(fStrategy, msgStrategyUnknown)
	}

	in.OccurredAt = now
	if s := strings.TrimSpace(raw.OccurredAt); s != "" {
		t, err := ParseMoment(s)
		switch {
		case err != nil:
			errs.Add(fOccurredAt, msgMomentFormat)
		case keep != nil && t.Equal(*keep):
			in.OccurredAt = t
		case t.After(now.Add(maxAhead)):
			errs.Add(fOccurredAt, msgMomentFuture)
		case t.Before(now.Add(-maxBackdate)):
			errs.Add(fOccurredAt, msgMomentPast)
		default:
			in.OccurredAt = t
		}
	}

	in.PeopleCount = 1
	if s := strings.TrimSpace(raw.PeopleCount); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs.Add(fPeopleCount, msgPeopleNumber)
		case n < 1 || n > MaxPeople:
			errs.Add(fPeopleCount, msgPeopleRange)
		default:
			in.PeopleCount = n
		}
	}

	in.Themes = []string{}
	for _, t := range raw.Themes {
		if t = strings.TrimSpace(t); t != "" {
			in.Themes = append(in.Themes, t)
		}
	}
	errs.Check(theme.ValidAll(in.Themes), fThemes, msgThemeUnknown)

	in.Energy = errs.Text(fEnergy, raw.Energy, validate.Rule{Max: MaxText, Multiline: true})
	in.Concern = errs.Text(fConcern, raw.Concern, validate.Rule{Max: MaxText, Multiline: true})
	in.Note = errs.Text(fNote, raw.Note, validate.Rule{Max: MaxText, Multiline: true})

	in.FollowUp = FollowUp(strings.TrimSpace(raw.FollowUp))
	if in.FollowUp == "" {
		in.FollowUp = FollowUpNone
	}
	errs.Check(slices.Contains(FollowUps, in.FollowUp), fFollowUp, msgFollowUpUnknown)
	in.Referral = errs.Text(fReferral, raw.Referral, validate.Rule{Max: MaxReferral})
	if in.FollowUp != FollowUpReferral {
		in.Referral = ""
	}
	if s := strings.TrimSpace(raw.InitiativeID); s != "" && in.FollowUp == FollowUpInitiative {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			errs.Add(fInitiativeID, msgInitiativeUnknown)
		} else {
			in.InitiativeID = &id
		}
	}
	return in, errs
}

// ParseMoment reads an RFC 3339 time (the API) or a local
// "2006-01-02T15:04" value (the datetime-local form field).
func ParseMoment(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, dutch.Amsterdam); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("contact: moment %q not understood", s)
}

// FormatMoment is t as the value of a datetime-local field.
func FormatMoment(t time.Time) string { return t.In(dutch.Amsterdam).Format("2006-01-02T15:04") }
