package event

import (
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// AgendaQuery is the agenda's filter as typed.
type AgendaQuery struct {
	Theme string
	From  string // yyyy-mm-dd
	To    string
}

// AgendaView is the model of an agenda page.
type AgendaView struct {
	Place      *Place // nil: everywhere
	Query      AgendaQuery
	Errors     validate.Errors
	Events     []Event
	More       bool
	LoggedIn   bool
	CanPublish bool
}

func (av *AgendaView) errs() validate.Errors {
	if av.Errors == nil {
		av.Errors = validate.Errors{}
	}
	return av.Errors
}

// Title is the page's title.
func (av AgendaView) Title() string {
	if av.Place == nil {
		return "Agenda"
	}
	switch av.Place.Kind {
	case "wijk":
		return "Agenda van " + av.Place.Name
	case "gemeente":
		return "Agenda van gemeente " + av.Place.Name
	}
	return "Agenda van " + av.Place.Name
}

// Action is where the filter form goes.
func (av AgendaView) Action() string {
	if av.Place != nil && av.Place.Kind == "buurt" {
		return "/buurten/" + av.Place.Code + "/agenda"
	}
	return "/agenda"
}

// FeedURL is the place's iCalendar feed ("" when there is none).
func (av AgendaView) FeedURL() string {
	if av.Place != nil && av.Place.Kind == "buurt" {
		return "/buurten/" + av.Place.Code + "/agenda.ics"
	}
	return ""
}

// CancelForm is the organiser's cancellation form as typed.
type CancelForm struct {
	Message string
}

// ShowView is the model of the event page.
type ShowView struct {
	E              Event
	A              Access
	LoggedIn       bool
	Now            time.Time
	SignUps        []SignUp // organisers only
	CanLogActivity bool
	CanReport      bool
	Photos         templ.Component // the event's photos; nil when none
	Cancel         CancelForm
	Errors         validate.Errors // of the cancellation form
}

// SignUpOpen reports whether members can still sign up.
func (sv ShowView) SignUpOpen() bool {
	return !sv.E.Cancelled() && !sv.E.Started(sv.Now) && !sv.E.Hidden()
}

// FormView is the model of the event form.
type FormView struct {
	Form    Form
	Choices Choices
	Errors  validate.Errors
	Action  string
	New     bool
	Event   *Event // when editing
}

func (fv FormView) err(field string) string { return fv.Errors.Get(field) }

func (fv FormView) initiativeOptions() []ui.Option {
	out := make([]ui.Option, 0, len(fv.Choices.Initiatives))
	for _, i := range fv.Choices.Initiatives {
		out = append(out, ui.Option{Value: strconv.FormatInt(i.ID, 10), Label: i.Title})
	}
	return out
}

func (fv FormView) neighbourhoodOptions() []ui.Option {
	var out []ui.Option
	for _, o := range fv.Choices.NeighbourhoodOptions() {
		out = append(out, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Label})
	}
	return out
}

func (fv FormView) placeOptions() []ui.Option {
	out := make([]ui.Option, 0, len(fv.Choices.Places))
	for _, o := range fv.Choices.Places {
		out = append(out, ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Label})
	}
	return out
}

func visibilityOptions() []ui.Option {
	return []ui.Option{
		{Value: string(Public), Label: "Openbaar", Hint: "Iedereen ziet de bijeenkomst, ook in de agenda-abonnementen."},
		{Value: string(Members), Label: "Alleen voor leden", Hint: "Alleen wie ingelogd is ziet de bijeenkomst."},
	}
}

func themeOptions() []ui.Option { return theme.Options() }

func themeLabel(code string) string { return theme.Label(code) }

func itoa(n int) string { return strconv.Itoa(n) }

func idURL(id int64, suffix string) templ.SafeURL { return templ.SafeURL(Path(id) + suffix) }

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// capacityLine says how many places there are and how many are left.
func capacityLine(e Event) string {
	if e.Capacity == 0 {
		return "Geen maximum; " + people(e.SignedUp) + " aangemeld."
	}
	left := e.Capacity - e.SignedUp
	if left <= 0 {
		line := "Vol: " + places(e.Capacity) + " bezet."
		if e.Waiting > 0 {
			line += " Op de wachtlijst: " + people(e.Waiting) + "."
		}
		return line
	}
	return places(left) + " vrij van de " + itoa(e.Capacity) + "."
}
