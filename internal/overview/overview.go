// Package overview shows municipalities what happens in their
// neighbourhoods: figures and shared stories per neighbourhood, district and
// municipality, a choropleth map, a drill-down per neighbourhood, a
// comparison and exports. It is a cross-feature read: its own SQL over the
// monthly pre-aggregates (migration 000050, kept in step by triggers) and a
// few small direct queries. From other features it takes only rules and
// names: signal's visibility rule (signal.VisibleSQL), so the drill-down
// lists exactly the signals the signal pages would show, and the status
// types and Dutch labels of signals and initiatives.
//
// Reads go through caches (cachedStore, pageCache): the figures are at most
// TableTTL old, and concurrent requests for the same figures share one query.
package overview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Errors of the store and the handlers; httpx answers them with 404 and 403.
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "overview: not found")
	ErrForbidden = fault.Wrap(fault.ErrForbidden, "overview: outside the viewer's scope")
)

// amsterdam is the zone months are counted in (as in the aggregates).
var amsterdam = dutch.Amsterdam

// Period is one whole calendar month, quarter or year, From and To
// inclusive (both the first day of their month). Only these periods exist:
// with free ranges, two overlapping requests (January–September and
// January–October) would give away October's hidden person counts by
// subtraction.
type Period struct {
	From, To time.Time
	Year     int
	Part     string // PartYear, a quarter ("k1"–"k4") or a month ("jan"–"dec")
}

// PartYear is the Part of a whole year.
const PartYear = "jaar"

// PeriodPart is a choice of the period picker besides the year.
type PeriodPart struct {
	Code, Label string
	first       time.Month
	months      int
}

// Quarters and MonthParts are the parts of a year, in order.
var (
	Quarters = []PeriodPart{
		{"k1", "1e kwartaal (januari t/m maart)", time.January, 3},
		{"k2", "2e kwartaal (april t/m juni)", time.April, 3},
		{"k3", "3e kwartaal (juli t/m september)", time.July, 3},
		{"k4", "4e kwartaal (oktober t/m december)", time.October, 3},
	}
	MonthParts = func() []PeriodPart {
		codes := []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
		out := make([]PeriodPart, 12)
		for i, c := range codes {
			m := time.Month(i + 1)
			out[i] = PeriodPart{c, dutch.Month(m), m, 1}
		}
		return out
	}()
)

func partOf(code string) (PeriodPart, bool) {
	if code == PartYear {
		return PeriodPart{Code: PartYear, Label: "Het hele jaar", first: time.January, months: 12}, true
	}
	for _, p := range append(slices.Clone(Quarters), MonthParts...) {
		if p.Code == code {
			return p, true
		}
	}
	return PeriodPart{}, false
}

// MakePeriod returns the period of part (PartYear, a quarter or a month) in year.
func MakePeriod(year int, part string) (Period, bool) {
	pp, ok := partOf(part)
	if !ok {
		return Period{}, false
	}
	from := time.Date(year, pp.first, 1, 0, 0, 0, 0, time.UTC)
	return Period{From: from, To: from.AddDate(0, pp.months-1, 0), Year: year, Part: part}, true
}

// YearPeriod is the whole calendar year.
func YearPeriod(year int) Period {
	p, _ := MakePeriod(year, PartYear)
	return p
}

// PickerYears is how many years the period picker offers (this year and
// the ones before); older years are refused, so every period that can be
// asked for is one the picker shows.
const PickerYears = 10

// Years returns the years the period picker offers, newest first.
func Years(now time.Time) []int {
	last := now.In(amsterdam).Year()
	out := make([]int, PickerYears)
	for i := range out {
		out[i] = last - i
	}
	return out
}

// DefaultPeriod is the current calendar year.
func DefaultPeriod(now time.Time) Period { return YearPeriod(now.In(amsterdam).Year()) }

// Months is the number of months in the period.
func (p Period) Months() int {
	return (p.To.Year()-p.From.Year())*12 + int(p.To.Month()-p.From.Month()) + 1
}

// End is the first moment after the period.
func (p Period) End() time.Time { return p.To.AddDate(0, 1, 0) }

// StartTime is midnight at the start of the period in Amsterdam.
func (p Period) StartTime() time.Time {
	return time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, amsterdam)
}

// EndTime is midnight after the period in Amsterdam.
func (p Period) EndTime() time.Time {
	e := p.End()
	return time.Date(e.Year(), e.Month(), 1, 0, 0, 0, 0, amsterdam)
}

// LastDay is the last day of the period.
func (p Period) LastDay() time.Time { return p.End().AddDate(0, 0, -1) }

// ParsePeriod reads the period of q (jaar and deel). Without either it is
// the current year. It returns the period and, when the request asked for
// something else than a whole month, quarter or year of the picker's years,
// a Dutch message; the period is then the current year, and the handler
// answers 422 with the message.
func ParsePeriod(now time.Time, q Query) (Period, string) {
	def := DefaultPeriod(now)
	if q.legacy {
		return def, msgWholePeriodsOnly
	}
	if q.Jaar == "" && q.Deel == "" {
		return def, ""
	}
	years := Years(now)
	year := def.Year
	if q.Jaar != "" {
		y, err := strconv.Atoi(strings.TrimSpace(q.Jaar))
		if err != nil || !slices.Contains(years, y) {
			return def, fmt.Sprintf(msgBadYear, years[len(years)-1], years[0])
		}
		year = y
	}
	part := q.Deel
	if part == "" {
		part = PartYear
	}
	p, ok := MakePeriod(year, part)
	if !ok {
		return def, msgBadPart
	}
	return p, ""
}

// PeriodOfDates returns the whole month, quarter or year that runs from
// from to to (both dates inclusive), for the JSON export's from/to.
func PeriodOfDates(now time.Time, from, to time.Time) (Period, bool) {
	if !slices.Contains(Years(now), from.Year()) {
		return Period{}, false
	}
	for _, part := range append(append([]PeriodPart{{Code: PartYear}}, Quarters...), MonthParts...) {
		p, _ := MakePeriod(from.Year(), part.Code)
		if p.From.Equal(from) && p.LastDay().Equal(to) {
			return p, true
		}
	}
	return Period{}, false
}

// Strategies in display order.
var Strategies = []strategy.Strategy{strategy.Bonding, strategy.Bridging, strategy.Linking}

// MinCount is the smallest person count published; 1 to MinCount-1 read "< 5".
const MinCount = 5

// Rounding is the multiple person counts from MinCount up are rounded to.
const Rounding = 5

// Suppressed reports whether a person count is hidden (1–4). Zero is shown:
// it tells nothing about a person.
func Suppressed(n int64) bool { return n > 0 && n < MinCount }

// publish is the one rule by which every person count leaves the overview
// (page, drill-down, comparison, CSV and JSON), as CBS does: 0 stays 0, 1–4
// is hidden, 5 and up is rounded to the nearest multiple of 5 (an integer
// never lies halfway). Every published number is then 0 or a multiple of 5,
// so no sum or difference of published numbers can equal a hidden 1–4.
// Totals are summed from the true numbers first and published by this rule
// afterwards, never summed from published values.
func publish(n int64) Count {
	switch {
	case n <= 0:
		return Count{}
	case Suppressed(n):
		return Count{Hidden: true}
	}
	return Count{N: (n + Rounding/2) / Rounding * Rounding}
}

// Row is one line of the overview table: a neighbourhood, a district total
// or the municipality total.
//
// Person counts (published by publish): People (the people of every street
// contact added up: someone met five times counts five times),
// ActivityParticipants and InitiativeMembers. The other columns count
// events or things (contacts, activities, initiatives, signals) and money,
// and are shown as they are.
type Row struct {
	Level        string // "buurt", "wijk" or "gemeente"
	Code, Name   string
	DistrictCode string // empty on the municipality total
	DistrictName string
	// Population is the sum of the known inhabitants (CBS), nil when none
	// is known; PopulationKnown of the row's Neighbourhoods have one.
	Population      *int64
	PopulationKnown int64
	Neighbourhoods  int64

	ActiveInitiatives    int64
	InitiativeMembers    Count // owners and supporters of those initiatives
	Contacts             int64
	People               Count
	Activities           int64
	ActivityParticipants Count
	Mix                  Mix
	TopThemes            []string
	OpenSignals          int64
	// Signals raised in the period: how many, how many still without any
	// response, and when the oldest of those was raised. The median counts
	// answered signals only, so it is never shown without these.
	SignalsRaised       int64
	SignalsUnanswered   int64
	OldestUnanswered    *time.Time
	MedianResponseHours *float64 // nil when no signal in the period got a response
	FundingCents        int64
	// Help between neighbours: requests asked in the period (each by a
	// person, so published like person counts) and how many of them a
	// neighbour answered. No names, no texts.
	HelpAsked    Count
	HelpAnswered Count
}

// OldestWaitHours is how long the oldest unanswered signal of the period
// has waited at now; nil when every signal got a response.
func (r Row) OldestWaitHours(now time.Time) *float64 {
	if r.OldestUnanswered == nil {
		return nil
	}
	h := max(now.Sub(*r.OldestUnanswered).Hours(), 0)
	return &h
}

// Mix counts street contacts plus activities per strategy.
type Mix struct{ Bonding, Bridging, Linking int64 }

// Total is the number of contacts and activities with a strategy.
func (m Mix) Total() int64 { return m.Bonding + m.Bridging + m.Linking }

// Percentages returns the three shares, rounded so that they add up to 100
// (largest remainder); all zero when there is nothing.
func (m Mix) Percentages() [3]int {
	t := m.Total()
	if t == 0 {
		return [3]int{}
	}
	vals := [3]int64{m.Bonding, m.Bridging, m.Linking}
	var out [3]int
	var rem [3]int64
	sum := 0
	for i, v := range vals {
		out[i] = int(v * 100 / t)
		rem[i] = v * 100 % t
		sum += out[i]
	}
	for sum < 100 {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
		sum++
	}
	return out
}

// LinkingShare is linking as a fraction of the mix (0 when empty).
func (m Mix) LinkingShare() float64 {
	if m.Total() == 0 {
		return 0
	}
	return float64(m.Linking) / float64(m.Total())
}
