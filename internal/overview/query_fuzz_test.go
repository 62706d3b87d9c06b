package overview

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// FuzzOverviewQuery: the query string of /overzicht and its exports. The
// period is always one whole calendar month, quarter or year of the
// picker's years (anything else falls back to the current year with a
// Dutch message); the sort key and metric are from their lists; and the
// links the page builds from the normalised query read back to the same
// query and the same period.
func FuzzOverviewQuery(f *testing.F) {
	for _, s := range []string{"gemeente=GM0344&jaar=2026&deel=k1", "jaar=2025&deel=okt&sorteer=contacten&richting=af&kaart=per1000",
		"jaar=2025", "deel=mrt", "jaar=2016&deel=jaar", "jaar=2027", "jaar=x&deel=k5", "periode=eigen&van=2025-01&tot=2025-12",
		"periode=12", "van=2025-01", "wijk=WK034401&sorteer=%00&richting=op", "gemeente=+GM0344+&wijk=%0A", "%zz"} {
		f.Add(s)
	}
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		q := readQuery(mustQuery(raw))
		p, msg := ParsePeriod(now, q)
		if msg != "" {
			fuzzcheck.Message(t, "periode", msg)
			if p != DefaultPeriod(now) {
				t.Fatalf("refused period did not fall back to the current year: %+v", p)
			}
		}
		whole := false
		for _, months := range []int{1, 3, 12} {
			if p.Months() == months && (int(p.From.Month())-1)%months == 0 {
				whole = true
			}
		}
		if p.From.Day() != 1 || p.To.Year() != p.From.Year() || !whole || !slices.Contains(Years(now), p.Year) || p.From.Year() != p.Year {
			t.Fatalf("period %v – %v (%d months) from %q is not a whole month, quarter or year of the picker", p.From, p.To, p.Months(), raw)
		}
		if m := validMetric(q.Kaart); !strings.Contains(strings.Join(Metrics, "\x00")+"\x00", m+"\x00") {
			t.Fatalf("metric %q", m)
		}
		key, dir := sortRows(nil, q.Sorteer, q.Richting)
		if dir != "op" && dir != "af" || key != "" && key != q.Sorteer {
			t.Fatalf("sort %q %q from %q %q", key, dir, q.Sorteer, q.Richting)
		}
		norm := q.withPeriod(p)
		link := norm.URL("/overzicht")
		u, err := url.Parse(link)
		if err != nil || u.Path != "/overzicht" || u.Host != "" {
			t.Fatalf("link %q from %q: %v", link, raw, err)
		}
		back := readQuery(u.Query())
		if back != norm {
			t.Fatalf("link %q reads back as %+v, want %+v", link, back, norm)
		}
		if p2, msg2 := ParsePeriod(now, back); msg2 != "" || p2 != p {
			t.Fatalf("link %q gives period %+v (%q), want %+v", link, p2, msg2, p)
		}
		if norm.Jaar != strconv.Itoa(p.Year) {
			t.Fatalf("link year %q for %d", norm.Jaar, p.Year)
		}
	})
}

func mustQuery(raw string) url.Values {
	v, _ := url.ParseQuery(raw)
	return v
}
