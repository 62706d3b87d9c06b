package overview

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// nl writes n with Dutch thousands separators: 12.345.
func nl(n int64) string { return dutch.Int(n) }

// String shows a published person count: "< 5" when hidden.
func (c Count) String() string {
	if c.Hidden {
		return "< 5"
	}
	return nl(c.N)
}

// sortKey orders hidden counts between 0 and 5 without telling them apart.
func (c Count) sortKey() float64 {
	if c.Hidden {
		return 2.5
	}
	return float64(c.N)
}

// decimal writes f with a decimal comma and the given digits: 3,5.
func decimal(f float64, digits int) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', digits, 64), ".", ",", 1)
}

// euros writes cents as whole euros with separators: € 1.250.
func euros(cents int64) string {
	return "€ " + nl(int64(math.Round(float64(cents)/100)))
}

// eurosCSV writes cents as euros with a decimal comma and no separators: 1250,00.
func eurosCSV(cents int64) string {
	return decimal(float64(cents)/100, 2)
}

// duration writes a number of hours as hours below two days, else days.
func duration(h *float64) string {
	if h == nil {
		return "–"
	}
	if *h < 48 {
		return decimal(*h, 1) + " uur"
	}
	return decimal(*h/24, 1) + " dagen"
}

// monthLabel writes "maart 2025".
func monthLabel(t time.Time) string { return dutch.Month(t.Month()) + " " + strconv.Itoa(t.Year()) }

// shortMonth writes "mrt '25" style labels for chart axes: "mrt 25".
func shortMonth(t time.Time) string {
	return dutch.Month(t.Month())[:3] + " " + strconv.Itoa(t.Year()%100)
}

func dutchDate(t time.Time) string { return dutch.Date(t) }

// periodLabel writes "heel 2025", "het 3e kwartaal van 2025", "oktober
// 2025", or for a bare range of months "januari 2025 t/m juni 2025".
func periodLabel(p Period) string {
	if pp, ok := partOf(p.Part); ok {
		switch {
		case p.Part == PartYear:
			return "heel " + strconv.Itoa(p.Year)
		case pp.months == 3:
			return "het " + p.Part[1:] + "e kwartaal van " + strconv.Itoa(p.Year)
		}
	}
	if p.Months() == 1 {
		return monthLabel(p.From)
	}
	return monthLabel(p.From) + " t/m " + monthLabel(p.To)
}

// basis says how many street contacts and activities a strategy mix rests
// on: a mix of 100% on one contact says little.
func basis(contacts, activities int64) string {
	var parts []string
	if contacts > 0 {
		parts = append(parts, plural(contacts, "straatcontact", "straatcontacten"))
	}
	if activities > 0 {
		parts = append(parts, plural(activities, "activiteit", "activiteiten"))
	}
	if len(parts) == 0 {
		return ""
	}
	return "op basis van " + strings.Join(parts, " en ")
}

// basisParens is basis in parentheses, or empty.
func basisParens(contacts, activities int64) string {
	if b := basis(contacts, activities); b != "" {
		return "(" + b + ")"
	}
	return ""
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return nl(n) + " " + many
}

// waitText writes a waiting time: hours below two days, else whole days.
func waitText(h float64) string {
	if h < 48 {
		return decimal(h, 1) + " uur"
	}
	return nl(int64(h/24)) + " dagen"
}

// unanswered says how many signals of the period still wait for a first
// response and how long the oldest has waited; empty when none waits.
func unanswered(r Row, now time.Time) string {
	if r.SignalsUnanswered == 0 {
		return ""
	}
	s := nl(r.SignalsUnanswered) + " van " + nl(r.SignalsRaised) + " nog zonder reactie"
	if w := r.OldestWaitHours(now); w != nil {
		if r.SignalsUnanswered == 1 {
			s += "; wacht al " + waitText(*w)
		} else {
			s += "; de oudste wacht al " + waitText(*w)
		}
	}
	return s
}

// responseText is the response time of a row in one line (comparison).
func responseText(r Row, now time.Time) string {
	s := duration(r.MedianResponseHours)
	if u := unanswered(r, now); u != "" {
		s += " (" + u + ")"
	}
	return s
}

func themeList(codes []string) string {
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = theme.Label(c)
	}
	return strings.Join(labels, ", ")
}

// mixText writes the mix in words: "Verbinden 50%, Overbruggen 30%, Koppelen 20%".
func mixText(m Mix) string {
	if m.Total() == 0 {
		return "geen contacten of activiteiten"
	}
	p := m.Percentages()
	return strategy.Label(strategy.Bonding) + " " + strconv.Itoa(p[0]) + "%, " +
		strategy.Label(strategy.Bridging) + " " + strconv.Itoa(p[1]) + "%, " +
		strategy.Label(strategy.Linking) + " " + strconv.Itoa(p[2]) + "%"
}

func population(p *int64) string {
	if p == nil {
		return "onbekend"
	}
	return nl(*p)
}

// PopulationPartial reports whether a total adds up the inhabitants of
// only some of its neighbourhoods (the others are unknown).
func (r Row) PopulationPartial() bool {
	return r.Population != nil && r.PopulationKnown < r.Neighbourhoods
}

// rowPopulation is a row's inhabitants; a total with unknown parts says
// what it covers: "374.200 (van 109 van 111 buurten)".
func rowPopulation(r Row) string {
	if r.PopulationPartial() {
		return nl(*r.Population) + " (van " + nl(r.PopulationKnown) + " van " + nl(r.Neighbourhoods) + " buurten)"
	}
	return population(r.Population)
}

// authorLabel names who wrote an entry of a signal's timeline: a role,
// or the raiser replying ("melder").
func authorLabel(a signal.Author) string {
	if a == signal.AuthorRaiser {
		return "melder"
	}
	return role.Label(role.Role(a))
}

// statusChange is what a signal event adds after "reactie van …" when it
// moved the status: "; status Gesignaleerd → In behandeling".
func statusChange(e SignalEvent) string {
	if e.StatusTo == "" {
		return ""
	}
	return "; status " + signal.StatusLabel(e.StatusFrom) + " → " + signal.StatusLabel(e.StatusTo)
}

// recognisedBy says how many people recognise a signal (published: "herkend
// door < 5 mensen", "herkend door 10 mensen"), or "nog door niemand herkend".
func recognisedBy(c Count) string {
	if c.N == 0 && !c.Hidden {
		return "nog door niemand herkend"
	}
	return "herkend door " + c.String() + " mensen"
}
