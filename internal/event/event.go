// Package event is the neighbourhood agenda: initiative owners (for their
// initiative) and community workers (in their work areas) publish events in
// one or more neighbourhoods; members sign up and cancel, a full event keeps
// a waiting list that moves up by itself, and the agenda is also served as
// iCalendar feeds (RFC 5545). A worker can turn a past event into an activity
// (internal/activity reads the event with its own SQL).
package event

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Errors of the store, each of a shared kind (package fault).
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "event: not found")
	ErrForbidden = fault.Wrap(fault.ErrForbidden, "event: not an organiser")
	// ErrCancelled: the event was cancelled; nobody signs up any more.
	ErrCancelled = fault.Wrap(fault.ErrGone, "event: cancelled")
	// ErrStarted: the event has begun (or is over); sign-ups are closed.
	ErrStarted = fault.Wrap(fault.ErrConflict, "event: already started")
	// ErrCapacityBelow: the new capacity is lower than the places taken.
	ErrCapacityBelow = fault.Wrap(fault.ErrInvalid, "event: capacity below sign-ups")
)

// Visibility says who sees an event.
type Visibility string

// The visibilities.
const (
	Public  Visibility = "public"  // everyone, also in the iCalendar feeds
	Members Visibility = "members" // logged-in accounts only
)

// Neighbourhood is one of an event's neighbourhoods.
type Neighbourhood struct {
	ID   int64
	Code string
	Name string
}

// Event is one event as a viewer may see it.
type Event struct {
	ID              int64
	Title           string
	Description     string
	Theme           string
	StartsAt        time.Time
	EndsAt          time.Time
	PlaceText       string
	AssetID         int64  // 0: no place from the asset map
	AssetName       string // the place's name on the asset map
	Visibility      Visibility
	Capacity        int // 0: no limit
	InitiativeID    int64
	InitiativeTitle string
	CreatedBy       int64
	Sequence        int
	CancelledAt     *time.Time
	CancelMessage   string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	HiddenAt        *time.Time
	HiddenReason    string
	Neighbourhoods  []Neighbourhood
	SignedUp        int // places taken
	Waiting         int // on the waiting list
}

// Place is where the event is, as one line.
func (e Event) Place() string {
	switch {
	case e.AssetName != "" && e.PlaceText != "":
		return e.AssetName + ", " + e.PlaceText
	case e.AssetName != "":
		return e.AssetName
	}
	return e.PlaceText
}

// Full reports whether every place is taken.
func (e Event) Full() bool { return e.Capacity > 0 && e.SignedUp >= e.Capacity }

// Cancelled reports whether the organiser cancelled the event.
func (e Event) Cancelled() bool { return e.CancelledAt != nil }

// Hidden reports whether an administrator (or a suspension) hid it.
func (e Event) Hidden() bool { return e.HiddenAt != nil }

// Past reports whether the event has ended at now.
func (e Event) Past(now time.Time) bool { return !e.EndsAt.After(now) }

// Started reports whether the event has begun at now.
func (e Event) Started(now time.Time) bool { return !e.StartsAt.After(now) }

// NeighbourhoodIDs are the ids of the event's neighbourhoods.
func (e Event) NeighbourhoodIDs() []int64 {
	ids := make([]int64, len(e.Neighbourhoods))
	for i, n := range e.Neighbourhoods {
		ids[i] = n.ID
	}
	return ids
}

// SignUp is one person's sign-up as the organisers see it.
type SignUp struct {
	Name      string // display name only
	Waiting   bool
	CreatedAt time.Time
}

// Status is the viewer's own sign-up state for an event.
type Status int

// The sign-up states.
const (
	NotSignedUp Status = iota
	SignedUp
	OnWaitingList
)

// Viewer is who is asking, as the store applies it in SQL.
type Viewer struct {
	ID        int64   // 0: anonymous
	WorkAreas []int64 // a worker's neighbourhoods; empty otherwise
	Admin     bool
}

// ViewerOf derives the store's viewer from the logged-in one (nil: anonymous).
func ViewerOf(v *httpx.Viewer) Viewer {
	if v == nil {
		return Viewer{}
	}
	out := Viewer{ID: v.ID, Admin: v.Has(role.Admin), WorkAreas: []int64{}}
	if v.Has(role.Worker) && v.WorkAreas != nil {
		out.WorkAreas = v.WorkAreas
	}
	return out
}

// Limits of the form.
const (
	maxTitle       = 150
	maxText        = 4000
	maxPlace       = 200
	maxCancel      = 1000
	maxCapacity    = 10000
	maxDuration    = 14 * 24 * time.Hour
	timeLayout     = "2006-01-02T15:04"
	maxAheadInYear = 3
)

// Form is the raw event form, kept as typed when shown again.
type Form struct {
	Title          string
	Description    string
	Theme          string
	Start          string // datetime-local, Dutch time
	End            string
	PlaceText      string
	Asset          string // id of a place on the asset map, or ""
	Visibility     string
	Capacity       string
	Initiative     string // id, or "" (a worker's own event)
	Neighbourhoods []string
	Token          string
}

// Input is a validated event.
type Input struct {
	Title            string
	Description      string
	Theme            string
	StartsAt         time.Time
	EndsAt           time.Time
	PlaceText        string
	AssetID          int64
	Visibility       Visibility
	Capacity         int
	InitiativeID     int64
	NeighbourhoodIDs []int64
	Token            string
}

// Choices are what the viewer may pick in the form: the initiatives they
// may publish for, the neighbourhoods of each way of publishing, and the
// meeting places in those neighbourhoods.
type Choices struct {
	Worker bool
	// WorkAreas are a worker's neighbourhoods (empty for others).
	WorkAreas []Option
	// Initiatives the viewer owns or, as a worker, that lie in their work
	// areas, with the neighbourhoods an owner may publish in.
	Initiatives []InitiativeChoice
	Places      []Option // meeting places ('plek') in any allowed neighbourhood
}

// Option is an id with its label.
type Option struct {
	ID    int64
	Label string
}

// InitiativeChoice is an initiative one may publish for.
type InitiativeChoice struct {
	ID             int64
	Title          string
	Owner          bool
	Neighbourhoods []Option
}

// CanPublish reports whether the viewer may publish anything at all.
func (c Choices) CanPublish() bool {
	if c.Worker && len(c.WorkAreas) > 0 {
		return true
	}
	return slices.ContainsFunc(c.Initiatives, func(i InitiativeChoice) bool { return i.Owner })
}

// allowedNeighbourhoods are the neighbourhoods an event for initiative
// (0: none) may be placed in by this viewer.
func (c Choices) allowedNeighbourhoods(initiative int64) []int64 {
	var ids []int64
	if c.Worker {
		for _, o := range c.WorkAreas {
			ids = append(ids, o.ID)
		}
	}
	for _, i := range c.Initiatives {
		if i.ID == initiative && i.Owner {
			for _, n := range i.Neighbourhoods {
				ids = append(ids, n.ID)
			}
		}
	}
	return ids
}

// NeighbourhoodOptions lists every neighbourhood the form offers, once.
func (c Choices) NeighbourhoodOptions() []Option {
	var out []Option
	seen := map[int64]bool{}
	add := func(o Option) {
		if !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	for _, o := range c.WorkAreas {
		add(o)
	}
	for _, i := range c.Initiatives {
		if i.Owner {
			for _, o := range i.Neighbourhoods {
				add(o)
			}
		}
	}
	return out
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return id, err == nil && id > 0
}

// Validate checks the form against the viewer's choices at now. editing
// allows a start in the past to stay as it was (old is the stored start).
func (f Form) Validate(c Choices, now time.Time, old *time.Time) (Input, validate.Errors) {
	errs := validate.Errors{}
	in := Input{Token: f.Token}
	in.Title = errs.Text(fTitle, f.Title, validate.Rule{Required: true, Max: maxTitle})
	if errs.Get(fTitle) == msgRequiredGeneric {
		errs[fTitle] = msgTitleRequired
	}
	in.Description = errs.Text(fDescription, f.Description, validate.Rule{Max: maxText, Multiline: true})
	switch t, _ := validate.CleanText(f.Theme, false); {
	case t == "":
		errs.Add(fTheme, msgThemeRequired)
	case !theme.Valid(t):
		errs.Add(fTheme, msgThemeUnknown)
	default:
		in.Theme = t
	}

	start, startOK := parseLocal(f.Start)
	end, endOK := parseLocal(f.End)
	switch {
	case strings.TrimSpace(f.Start) == "":
		errs.Add(fStart, msgStartRequired)
	case !startOK:
		errs.Add(fStart, msgTimeInvalid)
	case !start.After(now) && (old == nil || !start.Equal(*old)):
		errs.Add(fStart, msgStartPast)
	case start.After(now.AddDate(maxAheadInYear, 0, 0)):
		errs.Add(fStart, msgStartFar)
	}
	switch {
	case strings.TrimSpace(f.End) == "":
		errs.Add(fEnd, msgEndRequired)
	case !endOK:
		errs.Add(fEnd, msgTimeInvalid)
	case startOK && !end.After(start):
		errs.Add(fEnd, msgEndBeforeStart)
	case startOK && end.Sub(start) > maxDuration:
		errs.Add(fEnd, msgTooLong)
	}
	in.StartsAt, in.EndsAt = start, end

	switch v := Visibility(strings.TrimSpace(f.Visibility)); v {
	case Public, Members:
		in.Visibility = v
	case "":
		errs.Add(fVisibility, msgVisibilityRequired)
	default:
		errs.Add(fVisibility, msgVisibilityUnknown)
	}

	if s := strings.TrimSpace(f.Capacity); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs.Add(fCapacity, msgCapacityNumber)
		case n <= 0:
			errs.Add(fCapacity, msgCapacityPositive)
		case n > maxCapacity:
			errs.Add(fCapacity, msgCapacityTooLarge)
		default:
			in.Capacity = n
		}
	}

	if s := strings.TrimSpace(f.Initiative); s != "" {
		id, ok := parseID(s)
		if !ok || !slices.ContainsFunc(c.Initiatives, func(i InitiativeChoice) bool { return i.ID == id }) {
			errs.Add(fInitiative, msgInitiativeUnknown)
		} else {
			in.InitiativeID = id
		}
	} else if !c.Worker {
		errs.Add(fInitiative, msgInitiativeRequired)
	}
	if in.InitiativeID != 0 && !c.Worker {
		// Residents publish for the initiatives they own only.
		if !slices.ContainsFunc(c.Initiatives, func(i InitiativeChoice) bool { return i.ID == in.InitiativeID && i.Owner }) {
			errs.Add(fInitiative, msgInitiativeUnknown)
		}
	}

	allowed := c.allowedNeighbourhoods(in.InitiativeID)
	for _, raw := range f.Neighbourhoods {
		id, ok := parseID(raw)
		if !ok || !slices.Contains(allowed, id) {
			errs.Add(fNeighbourhoods, msgNeighbourhoodElsewhere)
			break
		}
		if !slices.Contains(in.NeighbourhoodIDs, id) {
			in.NeighbourhoodIDs = append(in.NeighbourhoodIDs, id)
		}
	}
	if len(f.Neighbourhoods) == 0 {
		errs.Add(fNeighbourhoods, msgNeighbourhoodRequired)
	}

	in.PlaceText = errs.Text(fPlaceText, f.PlaceText, validate.Rule{Max: maxPlace})
	if s := strings.TrimSpace(f.Asset); s != "" {
		id, ok := parseID(s)
		if !ok || !slices.ContainsFunc(c.Places, func(o Option) bool { return o.ID == id }) {
			errs.Add(fAsset, msgPlaceUnknown)
		} else {
			in.AssetID = id
		}
	}
	if in.PlaceText == "" && in.AssetID == 0 && !errs.Has(fPlaceText) && !errs.Has(fAsset) {
		errs.Add(fPlaceText, msgPlaceRequired)
	}
	return in, errs
}

// parseLocal reads a datetime-local value as Dutch time.
func parseLocal(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) == len(timeLayout)+3 { // seconds sent by some browsers
		s = s[:len(timeLayout)]
	}
	t, err := time.ParseInLocation(timeLayout, s, dutch.Amsterdam)
	return t, err == nil
}

// localValue writes t as a datetime-local value in Dutch time.
func localValue(t time.Time) string { return t.In(dutch.Amsterdam).Format(timeLayout) }

// FormFrom fills the form from a stored event, for editing.
func FormFrom(e Event) Form {
	f := Form{
		Title: e.Title, Description: e.Description, Theme: e.Theme,
		Start: localValue(e.StartsAt), End: localValue(e.EndsAt), PlaceText: e.PlaceText,
		Visibility: string(e.Visibility),
	}
	if e.AssetID != 0 {
		f.Asset = strconv.FormatInt(e.AssetID, 10)
	}
	if e.Capacity > 0 {
		f.Capacity = strconv.Itoa(e.Capacity)
	}
	if e.InitiativeID != 0 {
		f.Initiative = strconv.FormatInt(e.InitiativeID, 10)
	}
	for _, n := range e.Neighbourhoods {
		f.Neighbourhoods = append(f.Neighbourhoods, strconv.FormatInt(n.ID, 10))
	}
	return f
}

// Form field names.
const (
	fTitle          = "titel"
	fDescription    = "beschrijving"
	fTheme          = "thema"
	fStart          = "begin"
	fEnd            = "einde"
	fPlaceText      = "plaats"
	fAsset          = "plek"
	fVisibility     = "zichtbaarheid"
	fCapacity       = "plaatsen"
	fInitiative     = "initiatief"
	fNeighbourhoods = "buurten"
	fKey            = "sleutel"
	fMessage        = "bericht"
)
