package contact

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/web/ui"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// FormView is the quick-log or edit form.
type FormView struct {
	Action      string
	Edit        *Contact // the contact being edited; nil for a new one
	Raw         Raw
	Areas       []Area
	Initiatives []Initiative
	Undo        *Contact // the contact just saved, offered for undo
	Fresh       bool     // a new, untouched form: scripts may set the moment to now
}

// OpenDetails reports whether the optional fields start expanded: when
// editing, or when one of them holds a value the worker typed.
func (f FormView) OpenDetails() bool {
	r := f.Raw
	return f.Edit != nil || (r.PeopleCount != "" && r.PeopleCount != "1") || len(r.Themes) > 0 || r.Energy != "" ||
		r.Concern != "" || r.Note != "" || (r.FollowUp != "" && r.FollowUp != string(FollowUpNone)) || r.Referral != ""
}

func (f FormView) areaOptions() []ui.Option {
	out := make([]ui.Option, len(f.Areas))
	for i, a := range f.Areas {
		out[i] = ui.Option{Value: a.Code, Label: a.Name}
	}
	return out
}

func (f FormView) initiativeOptions() []ui.Option {
	out := make([]ui.Option, len(f.Initiatives))
	for i, in := range f.Initiatives {
		out[i] = ui.Option{Value: strconv.FormatInt(in.ID, 10), Label: in.Title}
	}
	return out
}

func (f FormView) followUp() string {
	if f.Raw.FollowUp == "" {
		return string(FollowUpNone)
	}
	return f.Raw.FollowUp
}

func placeOptions() []ui.Option {
	out := make([]ui.Option, len(PlaceTypes))
	for i, p := range PlaceTypes {
		out[i] = ui.Option{Value: string(p), Label: PlaceLabel(p)}
	}
	return out
}

func followUpOptions() []ui.Option {
	out := make([]ui.Option, len(FollowUps))
	for i, f := range FollowUps {
		out[i] = ui.Option{Value: string(f), Label: FollowUpLabel(f)}
	}
	return out
}

func themeLabels(codes []string) string {
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = theme.Label(c)
	}
	return strings.Join(labels, ", ")
}

// FilterView is the list filter as shown in the filter form.
type FilterView struct {
	Neighbourhood, Strategy, Theme, From, To string
	Page                                     int
}

// Active reports whether any filter is set.
func (f FilterView) Active() bool {
	return f.Neighbourhood != "" || f.Strategy != "" || f.Theme != "" || f.From != "" || f.To != ""
}

func (f FilterView) query(page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"buurt": f.Neighbourhood, "strategie": f.Strategy, "thema": f.Theme, "van": f.From, "tot": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if page > 1 {
		q.Set("pagina", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// ListView is one page of a contact list with its filter.
type ListView struct {
	Filter FilterView
	Areas  []Area
	Page   Page
	Path   string // the list's own URL, for filter and page links
	Own    bool   // the viewer's own contacts: notes, edit and story links
}

// Pages is the number of pages.
func (l ListView) Pages() int { return (l.Page.Total + pageSize - 1) / pageSize }

// PrevURL and NextURL link to the neighbouring pages ("" when none).
func (l ListView) PrevURL() string {
	if l.Filter.Page <= 1 {
		return ""
	}
	return l.Path + l.Filter.query(l.Filter.Page-1)
}

// NextURL links to the next page ("" when none).
func (l ListView) NextURL() string {
	if l.Filter.Page >= l.Pages() {
		return ""
	}
	return l.Path + l.Filter.query(l.Filter.Page+1)
}

func (l ListView) areaOptions() []ui.Option { return FormView{Areas: l.Areas}.areaOptions() }

// StoryView is the story form of one contact.
type StoryView struct {
	Contact   Contact
	Text      string
	Confirmed bool
}

// CalendarView is one month of the worker's contacts, Monday first.
type CalendarView struct {
	Month      time.Time
	Weeks      [][7]CalendarDay
	Total      int
	Prev, Next string // month keys "2006-01"
}

// CalendarDay is one cell; Day 0 is a blank cell outside the month.
type CalendarDay struct {
	Day   int
	Date  string // "2006-01-02"
	Count int
}

// Title is e.g. "november 2026".
func (c CalendarView) Title() string {
	return dutch.Month(c.Month.Month()) + " " + strconv.Itoa(c.Month.Year())
}

func parseMonth(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01", s, dutch.Amsterdam)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

func buildCalendar(month time.Time, counts map[string]int) CalendarView {
	cv := CalendarView{Month: month, Prev: month.AddDate(0, -1, 0).Format("2006-01"), Next: month.AddDate(0, 1, 0).Format("2006-01")}
	// Monday = column 0.
	col := (int(month.Weekday()) + 6) % 7
	var week [7]CalendarDay
	for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		week[col] = CalendarDay{Day: d.Day(), Date: key, Count: counts[key]}
		cv.Total += counts[key]
		col++
		if col == 7 {
			cv.Weeks = append(cv.Weeks, week)
			week = [7]CalendarDay{}
			col = 0
		}
	}
	if col > 0 {
		cv.Weeks = append(cv.Weeks, week)
	}
	return cv
}

// savedAnchor is the id of the confirmation (with its undo button) shown
// after a save; the quick log opens there.
const savedAnchor = "opgeslagen"

// fieldLabels names the form's fields in the error summary, in its order.
var fieldLabels = []ui.Label{
	{Field: fNeighbourh, Text: lblNeighbourhood},
	{Field: fPlaceType, Text: lblPlaceType},
	{Field: fStrategy, Text: lblStrategy},
	{Field: fOccurredAt, Text: lblOccurredAt},
	{Field: fPeopleCount, Text: lblPeopleCount},
	{Field: fThemes, Text: lblThemes},
	{Field: fEnergy, Text: lblEnergy},
	{Field: fConcern, Text: lblConcern},
	{Field: fNote, Text: lblNote},
	{Field: fFollowUp, Text: lblFollowUp},
	{Field: fInitiativeID, Text: lblInitiative},
	{Field: fReferral, Text: lblReferral},
	{Field: fClientID, Text: lblClientID},
}
