package overview

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Query is the state of the overview page, kept in its links.
type Query struct {
	Gemeente string
	Jaar     string // the period's year
	Deel     string // PartYear, a quarter or a month (see ParsePeriod)
	Wijk     string
	Sorteer  string
	Richting string // "op" or "af"
	Kaart    string
	// legacy is set when the request carries the free periods of before
	// (periode, van, tot): refused with a message, never in a link.
	legacy bool
}

func readQuery(q url.Values) Query {
	return Query{
		Gemeente: strings.TrimSpace(q.Get("gemeente")), Jaar: q.Get("jaar"), Deel: q.Get("deel"),
		Wijk: strings.TrimSpace(q.Get("wijk")), Sorteer: q.Get("sorteer"), Richting: q.Get("richting"), Kaart: q.Get("kaart"),
		legacy: q.Get("periode") != "" || q.Get("van") != "" || q.Get("tot") != "",
	}
}

// values returns the query as URL values, leaving out empty ones.
func (q Query) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("gemeente", q.Gemeente)
	set("jaar", q.Jaar)
	set("deel", q.Deel)
	set("wijk", q.Wijk)
	set("sorteer", q.Sorteer)
	set("richting", q.Richting)
	set("kaart", q.Kaart)
	return v
}

// URL returns path with the query.
func (q Query) URL(path string) string {
	if s := q.values().Encode(); s != "" {
		return path + "?" + s
	}
	return path
}

// periodQuery keeps only the municipality and period (for drill-down links).
func (q Query) periodQuery() Query {
	return Query{Gemeente: q.Gemeente, Jaar: q.Jaar, Deel: q.Deel}
}

// withPeriod returns q with the period p spelled out, so every link names
// the period the page shows (and a refused one is not repeated).
func (q Query) withPeriod(p Period) Query {
	q.Jaar, q.Deel, q.legacy = strconv.Itoa(p.Year), p.Part, false
	return q
}

// periodStatus is the status of a page whose requested period was refused.
func periodStatus(perr string) int {
	if perr != "" {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}
