package neighbourhood

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Dutch text used from Go code; the pages' own text is in views.templ.
const (
	msgQueryInvalid = "Deze zoekterm bevat tekens die we niet kunnen gebruiken."
	msgQueryTooLong = "Gebruik een kortere zoekterm (hoogstens 100 tekens)."
)

// formatInt writes n with a dot between thousands, as Dutch text does: 12.345.
func formatInt(n int) string { return dutch.Int(int64(n)) }

// formatArea writes an area in km² with a decimal comma: 0,39 km².
func formatArea(km2 float64) string {
	prec := 2
	if km2 >= 100 {
		prec = 0
	} else if km2 >= 10 {
		prec = 1
	}
	return strings.Replace(strconv.FormatFloat(km2, 'f', prec, 64), ".", ",", 1) + " km²"
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatInt(n) + " " + many
}

func queryEscape(s string) string { return url.QueryEscape(s) }

// figuresDate is the day the figures describe: "1 januari 2024".
func figuresDate(f *Figures) string { return "1 januari " + strconv.Itoa(f.Year) }

// leadPopulation is the inhabitants in the page's first lines.
func leadPopulation(n Neighbourhood) string {
	switch {
	case n.Figures != nil:
		return formatInt(n.Figures.Inhabitants) + " inwoners (" + figuresDate(n.Figures) + ")."
	case n.Population != nil:
		return formatInt(*n.Population) + " inwoners."
	}
	return "Inwonertal onbekend."
}

// countOrUnknown writes a count, or "onbekend" (never 0) when missing.
func countOrUnknown(n *int) string {
	if n == nil {
		return "onbekend"
	}
	return formatInt(*n)
}

// share writes part of total as a whole percentage: "12%".
func share(part *int, total int) string {
	if part == nil || total <= 0 {
		return "onbekend"
	}
	return strconv.Itoa(int(float64(*part)*100/float64(total)+0.5)) + "%"
}

// organisationSuffix follows a worker's name: ", Buurtwerk Utrecht".
func organisationSuffix(w Worker) string {
	if w.Organisation == "" {
		return ""
	}
	return ", " + w.Organisation
}
