// Package overview shows municipalities what happens in their
// neighbourhoods: figures and shared stories per neighbourhood, district and
// municipality, a choropleth map, a drill-down per neighbourhood, a
// comparison and exports. It is a cross-feature read: its own SQL over the
// monthly pre-aggregates (migration 000050, kept in step by triggers) and a
// few small direct queries; it imports no other feature.
package overview

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Errors of the store.
var (
	ErrNotFound  = errors.New("overview: not found")
	ErrForbidden = errors.New("overview: outside the viewer's scope")
)

// amsterdam is the zone months are counted in (as in the aggregates).
var amsterdam = dutch.Amsterdam

// Period is a range of whole calendar months, From and To inclusive (both
// the first day of their month). The figures are kept per month, so a
// custom period is widened to whole months.
type Period struct {
	From, To time.Time
	Kind     string // "3", "12" or "eigen"
}

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

// MaxMonths bounds a custom period (the synthetic data spans three years).
const MaxMonths = 120

func monthOf(t time.Time) time.Time {
	t = t.In(amsterdam)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// LastMonths is the period of n months ending with the current month.
func LastMonths(now time.Time, n int) Period {
	to := monthOf(now)
	return Period{From: to.AddDate(0, -(n - 1), 0), To: to, Kind: fmt.Sprint(n)}
}

// parseMonth accepts YYYY-MM and YYYY-MM-DD (the day is ignored: periods
// are whole months).
func parseMonth(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 2000 || t.Year() > 2100 {
				return time.Time{}, false
			}
			return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// ParsePeriod reads periode (3, 12, eigen), van and tot. It returns the
// period and a Dutch message when the custom period is invalid (the page
// then shows the default period with the message).
func ParsePeriod(now time.Time, kind, from, to string) (Period, string) {
	switch kind {
	case "3":
		return LastMonths(now, 3), ""
	case "", "12":
		return LastMonths(now, 12), ""
	case "eigen":
		return CustomPeriod(now, from, to)
	default:
		return LastMonths(now, 12), msgBadPeriodKind
	}
}

// CustomPeriod parses a from/to pair (YYYY-MM or YYYY-MM-DD).
func CustomPeriod(now time.Time, from, to string) (Period, string) {
	f, ok1 := parseMonth(from)
	t, ok2 := parseMonth(to)
	switch {
	case !ok1 || !ok2:
		return LastMonths(now, 12), msgBadDates
	case t.Before(f):
		return LastMonths(now, 12), msgToBeforeFrom
	}
	p := Period{From: f, To: t, Kind: "eigen"}
	if p.Months() > MaxMonths {
		return LastMonths(now, 12), msgPeriodTooLong
	}
	return p, ""
}

// Strategies in display order.
var Strategies = []string{"bonding", "bridging", "linking"}

// MinCount is the smallest person count shown; 1 to MinCount-1 read "< 5".
const MinCount = 5

// Suppressed reports whether a person count is hidden (1–4). Zero is shown:
// it tells nothing about a person.
func Suppressed(n int64) bool { return n > 0 && n < MinCount }

// Row is one line of the overview table: a neighbourhood, a district total
// or the municipality total.
//
// Person counts (suppressed below 5): People (residents reached in street
// contacts), ActivityParticipants and InitiativeMembers. The other columns
// count events or things (contacts, activities, initiatives, signals) and
// money, and are shown as they are.
type Row struct {
	Level        string // "buurt", "wijk" or "gemeente"
	Code, Name   string
	DistrictCode string
	DistrictName string
	Population   *int64 // nil when unknown (always nil on totals with an unknown part)

	ActiveInitiatives    int64
	InitiativeMembers    Count // owners and supporters of those initiatives
	Contacts             int64
	People               Count
	Activities           int64
	ActivityParticipants Count
	Mix                  Mix
	TopThemes            []string
	OpenSignals          int64
	MedianResponseHours  *float64 // nil when no signal in the period got a response
	FundingCents         int64
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
