package overview

import (
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/strategy"
)

// Chart is a server-rendered bar chart of one figure per month. It is an
// image (role="img") named by its title and described in words; the table
// "Cijfers per maand" next to it holds every value.
type Chart struct {
	ID, Title, Desc string
	Width, Height   int
	Bars            []Bar
	Ticks           []Tick
	Max             string
	Baseline        int
}

// Bar is one month's bar, or one segment of a stacked bar.
type Bar struct {
	X, Y, W, H int
	Fill       string
}

// Tick is a month label under the bars.
type Tick struct {
	X     int
	Label string
}

const (
	chartWidth  = 640
	chartHeight = 170
	chartTop    = 18
	chartBottom = 26
	chartLeft   = 8
	barColour   = "#44546a" // neutral: the strategy colours mean something else
)

func chartGeometry(n int) (slot, bar int) {
	slot = (chartWidth - 2*chartLeft) / max(n, 1)
	bar = max(slot*7/10, 2)
	return slot, bar
}

func ticks(months []time.Time, slot int) []Tick {
	every := 1
	if len(months) > 12 {
		every = (len(months) + 11) / 12
	}
	var out []Tick
	for i, m := range months {
		if i%every == 0 {
			out = append(out, Tick{X: chartLeft + i*slot + slot/2, Label: shortMonth(m)})
		}
	}
	return out
}

// barChart draws one value per month.
func barChart(id, title string, months []time.Time, values []int64) Chart {
	slot, bw := chartGeometry(len(values))
	var top int64
	maxAt := 0
	var total int64
	for i, v := range values {
		total += v
		if v > top {
			top, maxAt = v, i
		}
	}
	c := Chart{ID: id, Title: title, Width: chartWidth, Height: chartHeight, Baseline: chartHeight - chartBottom,
		Max: nl(top), Ticks: ticks(months, slot)}
	plot := chartHeight - chartBottom - chartTop
	for i, v := range values {
		h := 0
		if top > 0 {
			h = int(float64(v) / float64(top) * float64(plot))
		}
		if v > 0 && h < 1 {
			h = 1
		}
		c.Bars = append(c.Bars, Bar{X: chartLeft + i*slot + (slot-bw)/2, Y: c.Baseline - h, W: bw, H: h, Fill: barColour})
	}
	if len(months) == 0 {
		c.Desc = "Geen maanden in deze periode."
		return c
	}
	c.Desc = title + " per maand, " + periodLabel(Period{From: months[0], To: months[len(months)-1]}) + ": samen " + nl(total)
	if top > 0 {
		c.Desc += "; het meest in " + monthLabel(months[maxAt]) + " (" + nl(top) + ")"
	}
	c.Desc += ". Alle waarden staan in de tabel Cijfers per maand."
	return c
}

// Strategy colours: the same as --bk-bonding, --bk-bridging and --bk-linking
// in web/static/css/app.css, so a strategy has one colour on every page (the
// worker's contact tags, the overview's mix bars and charts). The text next
// to every bar gives the percentages, so colour is never the only cue.
var strategyColours = map[strategy.Strategy]string{strategy.Bonding: "#0b5c4b", strategy.Bridging: "#1c5fa8", strategy.Linking: "#8a3b00"}

// mixChart draws the strategy mix of every month as a 100% stacked bar.
func mixChart(id string, months []time.Time, mixes []Mix) Chart {
	slot, bw := chartGeometry(len(mixes))
	c := Chart{ID: id, Title: "Strategiemix per maand", Width: chartWidth, Height: chartHeight,
		Baseline: chartHeight - chartBottom, Max: "100%", Ticks: ticks(months, slot)}
	plot := chartHeight - chartBottom - chartTop
	var sum Mix
	for i, m := range mixes {
		sum = Mix{sum.Bonding + m.Bonding, sum.Bridging + m.Bridging, sum.Linking + m.Linking}
		if m.Total() == 0 {
			continue
		}
		y := c.Baseline
		parts := []struct {
			n    int64
			code strategy.Strategy
		}{{m.Bonding, strategy.Bonding}, {m.Bridging, strategy.Bridging}, {m.Linking, strategy.Linking}}
		acc := int64(0)
		for _, p := range parts {
			// Cumulative rounding, so the segments always fill the bar exactly.
			prev := int(float64(acc) / float64(m.Total()) * float64(plot))
			acc += p.n
			next := int(float64(acc) / float64(m.Total()) * float64(plot))
			if next > prev {
				c.Bars = append(c.Bars, Bar{X: chartLeft + i*slot + (slot-bw)/2, Y: y - (next - prev), W: bw, H: next - prev, Fill: strategyColours[p.code]})
				y -= next - prev
			}
		}
	}
	c.Desc = "Aandeel van verbinden, overbruggen en koppelen in de straatcontacten en activiteiten van elke maand. Over de hele periode: " +
		mixText(sum) + ". De percentages per maand staan in de tabel Cijfers per maand."
	return c
}

func (c Chart) viewBox() string { return "0 0 " + strconv.Itoa(c.Width) + " " + strconv.Itoa(c.Height) }

func trendMonths(ms []Month) []time.Time {
	out := make([]time.Time, len(ms))
	for i, m := range ms {
		out[i] = m.Month
	}
	return out
}

func trendValues(ms []Month, what string) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		switch what {
		case "contacten":
			out[i] = m.Contacts
		case "activiteiten":
			out[i] = m.Activities
		case "initiatieven":
			out[i] = m.InitiativesStarted
		case "signalen":
			out[i] = m.Signals
		}
	}
	return out
}

func trendMixes(ms []Month) []Mix {
	out := make([]Mix, len(ms))
	for i, m := range ms {
		out[i] = m.Mix()
	}
	return out
}
