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
