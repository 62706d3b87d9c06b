package overview

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// FuzzOverviewQuery: the query string of /overzicht and its exports. The
// period is always whole months, from 1 to MaxMonths long, not reversed (a
// bad custom period falls back to the last 12 months with a Dutch message);
// the sort key and metric are from their lists; and the links the page
// builds from the query read back to the same query.
func FuzzOverviewQuery(f *testing.F) {
	for _, s := range []string{"gemeente=GM0344&periode=3", "periode=12&sorteer=contacten&richting=af&kaart=per1000",
		"periode=eigen&van=2025-01&tot=2025-12", "periode=eigen&van=2025-12&tot=2025-01", "periode=eigen&van=2000-01&tot=2100-12",
		"periode=eigen&van=2025-01-31&tot=2025-02-30", "periode=eigen&van=1999-12&tot=2025-01", "periode=eigen&van=x", "periode=24",
		"wijk=WK034401&sorteer=%00&richting=op", "gemeente=+GM0344+&wijk=%0A", "%zz"} {
		f.Add(s)
	}
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		q := readQuery(mustQuery(raw))
		p, msg := ParsePeriod(now, q.Periode, q.Van, q.Tot)
		if msg != "" {
			fuzzcheck.Message(t, "periode", msg)
		}
		if p.From.Day() != 1 || p.To.Day() != 1 || p.To.Before(p.From) || p.Months() < 1 || p.Months() > MaxMonths {
			t.Fatalf("period %v – %v (%d months) from %q", p.From, p.To, p.Months(), raw)
		}
		if msg != "" && (p.Months() != 12 || !p.To.Equal(monthOf(now))) {
			t.Fatalf("refused period did not fall back to the last 12 months: %v – %v", p.From, p.To)
		}
		if m := validMetric(q.Kaart); !strings.Contains(strings.Join(Metrics, "\x00")+"\x00", m+"\x00") {
			t.Fatalf("metric %q", m)
		}
		key, dir := sortRows(nil, q.Sorteer, q.Richting)
		if dir != "op" && dir != "af" || key != "" && key != q.Sorteer {
			t.Fatalf("sort %q %q from %q %q", key, dir, q.Sorteer, q.Richting)
		}
		link := q.URL("/overzicht")
		u, err := url.Parse(link)
		if err != nil || u.Path != "/overzicht" || u.Host != "" {
			t.Fatalf("link %q from %q: %v", link, raw, err)
		}
		back := readQuery(u.Query())
		want := q
		if q.Periode != "eigen" {
			want.Van, want.Tot = "", ""
		}
		if back != want {
			t.Fatalf("link %q reads back as %+v, want %+v", link, back, want)
		}
	})
}

func mustQuery(raw string) url.Values {
	v, _ := url.ParseQuery(raw)
	return v
}
