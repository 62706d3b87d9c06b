package overview

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/web/ui/svgmap"
)

// Column is a sortable column of the overview table.
type Column struct {
	Key     string
	Label   string
	Numeric bool
	value   func(Row) float64
}

func optional(p *float64) float64 {
	if p == nil {
		return math.Inf(1) // no response time sorts last going up
	}
	return *p
}

// Columns lists the table's columns in order. Hidden person counts sort as
// one value between 0 and 5, so the order tells nothing about them.
var Columns = []Column{
	{Key: "naam", Label: "Buurt"},
	{Key: "wijk", Label: "Wijk"},
	{Key: "inwoners", Label: "Inwoners", Numeric: true, value: func(r Row) float64 {
		if r.Population == nil {
			return -1
		}
		return float64(*r.Population)
	}},
	{Key: "initiatieven", Label: "Actieve initiatieven", Numeric: true, value: func(r Row) float64 { return float64(r.ActiveInitiatives) }},
	{Key: "deelnemers", Label: "Deelnemers initiatieven", Numeric: true, value: func(r Row) float64 { return r.InitiativeMembers.sortKey() }},
	{Key: "contacten", Label: "Straatcontacten", Numeric: true, value: func(r Row) float64 { return float64(r.Contacts) }},
	{Key: "personen", Label: "Personen in gesprekken", Numeric: true, value: func(r Row) float64 { return r.People.sortKey() }},
	{Key: "activiteiten", Label: "Activiteiten", Numeric: true, value: func(r Row) float64 { return float64(r.Activities) }},
	{Key: "activiteitdeelnemers", Label: "Deelnemers activiteiten", Numeric: true, value: func(r Row) float64 { return r.ActivityParticipants.sortKey() }},
	{Key: "koppelen", Label: "Strategiemix", Numeric: true, value: func(r Row) float64 { return r.Mix.LinkingShare() }},
	{Key: "themas", Label: "Meest genoemde thema's"},
	{Key: "signalen", Label: "Open signalen", Numeric: true, value: func(r Row) float64 { return float64(r.OpenSignals) }},
	{Key: "reactietijd", Label: "Mediane tijd tot eerste reactie", Numeric: true, value: func(r Row) float64 { return optional(r.MedianResponseHours) }},
	{Key: "budget", Label: "Toegekend buurtbudget", Numeric: true, value: func(r Row) float64 { return float64(r.FundingCents) }},
	{Key: "hulpvragen", Label: "Hulpvragen van buren", Numeric: true, value: func(r Row) float64 { return r.HelpAsked.sortKey() }},
	{Key: "hulpbeantwoord", Label: "Hulpvragen beantwoord", Numeric: true, value: func(r Row) float64 { return r.HelpAnswered.sortKey() }},
}

// sortable reports whether the column has a sort link (themes do not).
func (c Column) sortable() bool { return c.Key != "themas" }

// sortRows sorts the neighbourhood rows in place by the column key and
// direction ("op", "af"), and returns the ones it used. The default is by
// district, then name.
func sortRows(rows []Row, key, dir string) (string, string) {
	key, dir = normaliseSort(key, dir)
	var col *Column
	for i := range Columns {
		if Columns[i].Key == key && Columns[i].sortable() {
			col = &Columns[i]
		}
	}
	byName := func(a, b Row) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.Code, b.Code))
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		var c int
		switch {
		case col == nil:
			c = cmp.Or(strings.Compare(a.DistrictCode, b.DistrictCode), byName(a, b))
			return c
		case col.Key == "naam":
			c = byName(a, b)
		case col.Key == "wijk":
			c = cmp.Or(strings.Compare(strings.ToLower(a.DistrictName), strings.ToLower(b.DistrictName)), byName(a, b))
		default:
			c = cmp.Compare(col.value(a), col.value(b))
		}
		if dir == "af" {
			c = -c
		}
		if c == 0 {
			return byName(a, b)
		}
		return c
	})
	return key, dir
}

// normaliseSort normalises a sort column and direction: an unknown or unsortable
// column means the default order ("", "op").
func normaliseSort(key, dir string) (string, string) {
	if dir != "af" {
		dir = "op"
	}
	for _, c := range Columns {
		if c.Key == key && c.sortable() {
			return key, dir
		}
	}
	return "", "op"
}

// ariaSort is the aria-sort value of a column header.
func (q Query) ariaSort(key string) string {
	if q.Sorteer != key {
		return "none"
	}
	if q.Richting == "af" {
		return "descending"
	}
	return "ascending"
}

// sortURL is the link of a column header: the other direction when the
// table is sorted by it, else up for names and down for figures.
func (q Query) sortURL(c Column) string {
	n := q
	n.Sorteer = c.Key
	switch {
	case q.Sorteer == c.Key && q.Richting == "af":
		n.Richting = "op"
	case q.Sorteer == c.Key:
		n.Richting = "af"
	case c.Numeric:
		n.Richting = "af"
	default:
		n.Richting = "op"
	}
	return n.URL("/overzicht") + "#buurten"
}

// Map metrics.
const (
	MetricContacts    = "contacten"
	MetricInitiatives = "initiatieven"
	MetricLinking     = "koppelen"
	MetricSignals     = "signalen"
)

// Metrics in the order of the form.
var Metrics = []string{MetricContacts, MetricInitiatives, MetricLinking, MetricSignals}

func validMetric(m string) string {
	if slices.Contains(Metrics, m) {
		return m
	}
	return MetricContacts
}

// Palette: five greens from light to dark (sequential).
var Palette = []string{"#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"}

// UnknownColour fills a neighbourhood whose rate cannot be computed (no
// known population): grey, outside the green scale.
const UnknownColour = "#b0b0b0"

// MapView is the choropleth and its legend.
type MapView struct {
	Metric      string
	MetricLabel string
	PerThousand bool // contacts per 1,000 residents (some neighbourhood has a population)
	Props       svgmap.Props
	SVG         templ.Component // the drawn map (svgmap.Map of Props, rendered once and reused)
	Legend      []LegendItem
	Drawn       int // neighbourhoods with an outline
}

// LegendItem is one colour class.
type LegendItem struct {
	Colour string
	Label  string
}

func metricLabel(metric string, perThousand bool) string {
	switch metric {
	case MetricInitiatives:
		return "Actieve initiatieven"
	case MetricLinking:
		return "Aandeel koppelen (%)"
	case MetricSignals:
		return "Open signalen"
	}
	if perThousand {
		return "Straatcontacten per 1.000 inwoners"
	}
	return "Straatcontacten per buurt"
}

// metricValue returns a row's value for the map metric.
func metricValue(metric string, perThousand bool, r Row) float64 {
	switch metric {
	case MetricInitiatives:
		return float64(r.ActiveInitiatives)
	case MetricLinking:
		return r.Mix.LinkingShare() * 100
	case MetricSignals:
		return float64(r.OpenSignals)
	}
	if perThousand {
		return float64(r.Contacts) * 1000 / float64(*r.Population)
	}
	return float64(r.Contacts)
}

// hasPopulation reports whether a row's inhabitants are known (and not 0,
// which no rate can be based on).
func hasPopulation(r Row) bool { return r.Population != nil && *r.Population > 0 }

// countBin is one colour class of a count metric: the whole numbers from
// lo to hi.
type countBin struct{ lo, hi int64 }

func (b countBin) label() string {
	if b.lo == b.hi {
		return nl(b.lo)
	}
	return nl(b.lo) + " tot en met " + nl(b.hi)
}

// countBins splits the whole numbers 1 to top into at most classes bins of
// equal width, so every bin holds at least one possible value and no two
// bins share one (0 has its own class). With top 3 and 4 classes the bins
// are 1, 2 and 3; with top 10 they are 1–3, 4–6, 7–9 and 10.
func countBins(top int64, classes int) []countBin {
	if top <= 0 || classes <= 0 {
		return nil
	}
	n := min(int64(classes), top)
	width := (top + n - 1) / n
	var out []countBin
	for lo := int64(1); lo <= top; lo += width {
		out = append(out, countBin{lo, min(lo+width-1, top)})
	}
	return out
}

// isCount reports whether the map metric is a whole count (per
// neighbourhood), not a share or a rate.
func isCount(metric string, perThousand bool) bool {
	return metric == MetricInitiatives || metric == MetricSignals || metric == MetricContacts && !perThousand
}

// buildMap colours every neighbourhood by the metric: zero is the lightest
// class; counts go in whole-number bins (countBins), shares and rates in
// four equal steps up to the highest value. The highest class is always the
// darkest.
func buildMap(m Municipality, rows []Row, shapes []Shape, q Query) MapView {
	// Contacts become a rate per 1,000 inhabitants as soon as one
	// neighbourhood has a known population; those without one are drawn
	// grey as unknown, never as 0.
	perThousand := slices.ContainsFunc(rows, hasPopulation)
	mv := MapView{Metric: q.Kaart, PerThousand: perThousand, MetricLabel: metricLabel(q.Kaart, perThousand)}
	values := map[string]float64{}
	names := map[string]string{}
	unknown := map[string]bool{}
	maxV := 0.0
	for _, r := range rows {
		names[r.Code] = r.Name
		if perThousand && q.Kaart == MetricContacts && !hasPopulation(r) {
			unknown[r.Code] = true
			continue
		}
		v := metricValue(q.Kaart, perThousand, r)
		values[r.Code] = v
		maxV = math.Max(maxV, v)
	}
	steps := len(Palette) - 1
	digits := 1
	var class func(v float64) int
	mv.Legend = append(mv.Legend, LegendItem{Colour: Palette[0], Label: "0"})
	if isCount(q.Kaart, perThousand) {
		digits = 0
		bins := countBins(int64(maxV), steps)
		// The top bin takes the darkest colour, whatever the number of bins.
		first := len(Palette) - len(bins)
		for i, b := range bins {
			mv.Legend = append(mv.Legend, LegendItem{Colour: Palette[first+i], Label: b.label()})
		}
		class = func(v float64) int {
			for i, b := range bins {
				if int64(v) >= b.lo && int64(v) <= b.hi {
					return first + i
				}
			}
			return 0
		}
	} else {
		if maxV > 0 {
			step := maxV / float64(steps)
			for i := 1; i <= steps; i++ {
				lo, hi := step*float64(i-1), step*float64(i)
				mv.Legend = append(mv.Legend, LegendItem{Colour: Palette[i], Label: "meer dan " + decimal(lo, digits) + " tot en met " + decimal(hi, digits)})
			}
		}
		class = func(v float64) int {
			if maxV <= 0 || v <= 0 {
				return 0
			}
			c := int(math.Ceil(v / maxV * float64(steps)))
			return min(max(c, 1), steps)
		}
	}
	pq := q.periodQuery()
	drawnUnknown := false
	for _, s := range shapes {
		if unknown[s.Code] {
			mv.Props.Shapes = append(mv.Props.Shapes, svgmap.Shape{
				Code: s.Code, Label: names[s.Code] + ": " + msgPopulationUnknown, Href: pq.URL("/overzicht/buurten/" + s.Code),
				Geometry: s.Boundary, Fill: UnknownColour,
			})
			mv.Drawn++
			drawnUnknown = true
			continue
		}
		v, ok := values[s.Code]
		if !ok {
			continue
		}
		label := names[s.Code] + ": " + decimal(v, digits)
		mv.Props.Shapes = append(mv.Props.Shapes, svgmap.Shape{
			Code: s.Code, Label: label, Href: pq.URL("/overzicht/buurten/" + s.Code),
			Geometry: s.Boundary, Fill: Palette[class(v)],
		})
		mv.Drawn++
	}
	if drawnUnknown {
		mv.Legend = append(mv.Legend, LegendItem{Colour: UnknownColour, Label: msgPopulationUnknown})
	}
	mv.Props.ID = "overzichtkaart"
	mv.Props.Title = "Kaart van " + m.Name + ": " + strings.ToLower(mv.MetricLabel[:1]) + mv.MetricLabel[1:]
	mv.Props.Desc = "Elke buurt is gekleurd naar " + strings.ToLower(mv.MetricLabel) +
		"; hoe donkerder, hoe hoger. Dezelfde cijfers staan in de tabel hieronder. Elke buurt is een link naar haar cijfers."
	mv.Props.Width = 640
	return mv
}

func sortLabel(key string) string {
	for _, c := range Columns {
		if c.Key == key {
			if key == "koppelen" {
				return "aandeel koppelen"
			}
			return strings.ToLower(c.Label)
		}
	}
	return key
}

func sortDirLabel(dir string) string {
	if dir == "af" {
		return "aflopend"
	}
	return "oplopend"
}
