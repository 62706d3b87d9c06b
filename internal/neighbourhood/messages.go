package neighbourhood

import (
	"net/url"
	"strconv"
	"strings"
)

// Dutch text used from Go code; the pages' own text is in views.templ.
const (
	msgQueryInvalid = "Deze zoekterm bevat tekens die we niet kunnen gebruiken."
	msgQueryTooLong = "Gebruik een kortere zoekterm (hoogstens 100 tekens)."
)

// formatInt writes n with a dot between thousands, as Dutch text does: 12.345.
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

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
