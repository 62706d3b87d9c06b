// Package help is help between neighbours (burenhulp): a resident asks for a
// small hand (boodschappen, een klusje, vervoer…) or offers one, for a
// period, in a neighbourhood. Members whose home lies in that neighbourhood
// or a neighbouring one of the same district see it, with the author's
// first name only and never an address or phone number; a neighbour answers
// with a message (internal/message). The author marks it helped or
// withdraws it; when its period has ended it counts as expired, computed in
// the SQL from the dates (no job has to run for it). Community workers see
// the requests of their work areas, those nobody answered first.
package help

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Kind says whether an item asks for help or offers it.
type Kind string

// The kinds, as stored.
const (
	Ask   Kind = "vraag"
	Offer Kind = "aanbod"
)

// Category is what kind of hand it is about.
type Category string

// The categories, in form order.
const (
	Shopping  Category = "boodschappen"
	Chore     Category = "klusje"
	Transport Category = "vervoer"
	Company   Category = "gezelschap"
	Language  Category = "taal"
	Computer  Category = "computer"
	Other     Category = "anders"
)

// Categories lists every category in form order.
var Categories = []Category{Shopping, Chore, Transport, Company, Language, Computer, Other}

// Status is where an item stands; Expired is never stored but computed
// from the period.
type Status string

// The statuses.
const (
	Open      Status = "open"
	Helped    Status = "geholpen"
	Withdrawn Status = "ingetrokken"
	Expired   Status = "verlopen"
)

// Limits of the form.
const (
	MaxBody = 500
	// MaxDays is how far ahead a period may end: three months, so the
	// lists hold what is current.
	MaxDays = 92
	// DefaultDays is the period the form proposes.
	DefaultDays = 14
)

// Errors of the store.
var (
	ErrNotFound = fault.Wrap(fault.ErrNotFound, "help: not found")
	// ErrClosed: helped, withdrawn or expired; nobody can answer it now.
	ErrClosed = fault.Wrap(fault.ErrGone, "help: closed")
	// ErrNoHome: the viewer has no home neighbourhood to ask or look from.
	ErrNoHome = fault.Wrap(fault.ErrConflict, "help: no home neighbourhood")
)

// Request is one request or offer as a viewer may see it: the author by
// first name only.
type Request struct {
	ID                int64
	Kind              Kind
	Category          Category
	Body              string
	NeighbourhoodID   int64
	NeighbourhoodCode string
	NeighbourhoodName string
	AuthorID          int64
	FirstName         string
	StartsOn          time.Time
	EndsOn            time.Time
	Status            Status // Expired when open and past its period
	CreatedAt         time.Time
	Responses         int
	Responded         bool // the viewer answered it
	HiddenReason      string
	Hidden            bool
}

// Open reports whether neighbours can still answer it.
func (r Request) Open() bool { return r.Status == Open && !r.Hidden }

// FirstName is the first word of a display name; a name that is an e-mail
// address (or nothing) becomes "Een buurtbewoner".
func FirstName(display string) string {
	f := strings.Fields(display)
	if len(f) == 0 || strings.Contains(f[0], "@") {
		return msgSomeone
	}
	return f[0]
}

// Today is the current date in Dutch time, at midnight UTC (a date).
func Today(now time.Time) time.Time {
	y, m, d := now.In(dutch.Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateLayout is the format of the date inputs.
const dateLayout = "2006-01-02"

// Form is the raw new-request form.
type Form struct {
	Kind          string
	Category      string
	Body          string
	Neighbourhood string // id, one of the choices
	From, Until   string // YYYY-MM-DD
	Key           string
}

// Input is a validated form.
type Input struct {
	Kind            Kind
	Category        Category
	Body            string
	NeighbourhoodID int64
	StartsOn        time.Time
	EndsOn          time.Time
	Key             string
}

// Validate checks f on date today; allowed reports whether a neighbourhood
// id is one the author may choose (their home or a neighbouring one).
func (f Form) Validate(today time.Time, allowed func(int64) bool) (Input, validate.Errors) {
	errs := validate.Errors{}
	in := Input{Key: f.Key}
	switch k := Kind(strings.TrimSpace(f.Kind)); k {
	case Ask, Offer:
		in.Kind = k
	default:
		errs.Add("soort", msgKindMissing)
	}
	c := Category(strings.TrimSpace(f.Category))
	switch {
	case c == "":
		errs.Add("categorie", msgCategoryMissing)
	case !validCategory(c):
		errs.Add("categorie", msgCategoryUnknown)
	default:
		in.Category = c
	}
	if t, ok := validate.CleanText(f.Body, true); ok && t == "" {
		errs.Add("tekst", msgBodyMissing)
	} else {
		in.Body = errs.Text("tekst", f.Body, validate.Rule{Required: true, Max: MaxBody, Multiline: true})
		if errs.Valid() && HasContactDetails(in.Body) {
			errs.Add("tekst", msgContactDetails)
		}
	}
	id, err := strconv.ParseInt(strings.TrimSpace(f.Neighbourhood), 10, 64)
	if err != nil {
		id = 0
	}
	switch {
	case strings.TrimSpace(f.Neighbourhood) == "":
		errs.Add("buurt", msgNeighbourhoodMissing)
	case id <= 0 || !allowed(id):
		errs.Add("buurt", msgNeighbourhoodUnknown)
	default:
		in.NeighbourhoodID = id
	}
	from, fromOK := parseDate(f.From)
	until, untilOK := parseDate(f.Until)
	switch {
	case strings.TrimSpace(f.From) == "":
		errs.Add("van", msgFromMissing)
	case !fromOK:
		errs.Add("van", msgDateInvalid)
	case from.Before(today):
		errs.Add("van", msgFromPast)
	}
	switch {
	case strings.TrimSpace(f.Until) == "":
		errs.Add("tot", msgUntilMissing)
	case !untilOK:
		errs.Add("tot", msgDateInvalid)
	case until.Before(today):
		errs.Add("tot", msgUntilPast)
	case fromOK && until.Before(from):
		errs.Add("tot", msgUntilBeforeFrom)
	case until.After(today.AddDate(0, 0, MaxDays)):
		errs.Add("tot", msgUntilTooFar)
	}
	in.StartsOn, in.EndsOn = from, until
	return in, errs
}

// contactRe finds an e-mail address or a Dutch phone number (06-12345678,
// 030 123 45 67, +31 6 12345678).
var contactRe = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}|(?:\+31|0031|\b0)[\s-]*\(?0?\)?[1-9](?:[\s-]*\d){8}\b`)

// HasContactDetails reports whether text holds an e-mail address or phone
// number: the list shows the text to the whole district, so people reach
// each other through messages instead.
func HasContactDetails(text string) bool {
	return contactRe.MatchString(dateRe.ReplaceAllString(text, " "))
}

// dateRe finds dates and times ("01-12-2026", "10:30"), which are no phone
// numbers however many digits they hold together.
var dateRe = regexp.MustCompile(`\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{1,2}[:.]\d{2}\b`)

func validCategory(c Category) bool { return slices.Contains(Categories, c) }

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, strings.TrimSpace(s))
	return t, err == nil && t.Year() >= 2000 && t.Year() < 3000
}

// RespondForm is the answer to a request or offer: a first message.
type RespondForm struct {
	Body string
	Key  string
}
