package overview

import (
	"slices"
	"testing"
	"time"
)

func TestPublish(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int64
		want Count
	}{
		{0, Count{}}, {-1, Count{}},
		{1, Count{Hidden: true}}, {2, Count{Hidden: true}}, {3, Count{Hidden: true}}, {4, Count{Hidden: true}},
		{5, Count{N: 5}}, {6, Count{N: 5}}, {7, Count{N: 5}}, {8, Count{N: 10}}, {12, Count{N: 10}},
		{13, Count{N: 15}}, {17, Count{N: 15}}, {18, Count{N: 20}}, {1002, Count{N: 1000}}, {1003, Count{N: 1005}},
	} {
		if got := publish(tc.n); got != tc.want {
			t.Errorf("publish(%d) = %+v, want %+v", tc.n, got, tc.want)
		}
	}
	// Every published number is 0 or a multiple of 5, at most 2 from the truth.
	for n := int64(0); n < 1000; n++ {
		c := publish(n)
		if c.Hidden != (n >= 1 && n <= 4) || c.N%5 != 0 || !c.Hidden && (c.N-n > 2 || n-c.N > 2) {
			t.Fatalf("publish(%d) = %+v", n, c)
		}
	}
}

func TestCountBins(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		top  int64
		want []countBin
	}{
		{0, nil},
		{1, []countBin{{1, 1}}},
		{2, []countBin{{1, 1}, {2, 2}}},
		{4, []countBin{{1, 1}, {2, 2}, {3, 3}, {4, 4}}},
		{5, []countBin{{1, 2}, {3, 4}, {5, 5}}},
		{8, []countBin{{1, 2}, {3, 4}, {5, 6}, {7, 8}}},
		{9, []countBin{{1, 3}, {4, 6}, {7, 9}}},
		{10, []countBin{{1, 3}, {4, 6}, {7, 9}, {10, 10}}},
		{100, []countBin{{1, 25}, {26, 50}, {51, 75}, {76, 100}}},
	} {
		got := countBins(tc.top, 4)
		if !slices.Equal(got, tc.want) {
			t.Errorf("countBins(%d) = %v, want %v", tc.top, got, tc.want)
		}
	}
	// Whatever the top: bins cover 1 to top, each value once, none empty.
	for top := int64(1); top <= 500; top++ {
		bins := countBins(top, 4)
		next := int64(1)
		for _, b := range bins {
			if b.lo != next || b.hi < b.lo {
				t.Fatalf("countBins(%d) = %v", top, bins)
			}
			next = b.hi + 1
		}
		if next != top+1 || len(bins) > 4 {
			t.Fatalf("countBins(%d) = %v", top, bins)
		}
	}
}

func TestMapLegendCounts(t *testing.T) {
	t.Parallel()
	rows := []Row{{Code: "BU1", Name: "A", Contacts: 1}, {Code: "BU2", Name: "B", Contacts: 2}, {Code: "BU3", Name: "C"}}
	mv := buildMap(Municipality{Name: "X"}, rows, nil, Query{Kaart: MetricContacts})
	var labels []string
	for _, l := range mv.Legend {
		labels = append(labels, l.Label)
	}
	// Before, this read "meer dan 0,0 tot en met 0,5" and so on: decimal
	// bins for whole contacts, two of them holding no possible value.
	if want := []string{"0", "1", "2"}; !slices.Equal(labels, want) {
		t.Errorf("legend %q, want %q", labels, want)
	}
	if mv.Legend[len(mv.Legend)-1].Colour != Palette[len(Palette)-1] {
		t.Error("the highest class is not the darkest colour")
	}
}

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	cur := Period{From: month(2026, 1), To: month(2026, 12), Year: 2026, Part: PartYear}
	for _, tc := range []struct {
		name    string
		q       Query
		want    Period
		refused bool
	}{
		{"default is this year", Query{}, cur, false},
		{"year", Query{Jaar: "2025", Deel: "jaar"}, Period{From: month(2025, 1), To: month(2025, 12), Year: 2025, Part: "jaar"}, false},
		{"quarter", Query{Jaar: "2025", Deel: "k3"}, Period{From: month(2025, 7), To: month(2025, 9), Year: 2025, Part: "k3"}, false},
		{"month", Query{Jaar: "2025", Deel: "okt"}, Period{From: month(2025, 10), To: month(2025, 10), Year: 2025, Part: "okt"}, false},
		{"part without year is this year", Query{Deel: "feb"}, Period{From: month(2026, 2), To: month(2026, 2), Year: 2026, Part: "feb"}, false},
		{"oldest year of the picker", Query{Jaar: "2017"}, Period{From: month(2017, 1), To: month(2017, 12), Year: 2017, Part: "jaar"}, false},
		{"older than the picker", Query{Jaar: "2016"}, cur, true},
		{"next year", Query{Jaar: "2027"}, cur, true},
		{"not a year", Query{Jaar: "twintig"}, cur, true},
		{"unknown part", Query{Jaar: "2025", Deel: "k5"}, cur, true},
		{"free range of before", Query{legacy: true, Jaar: "2025"}, cur, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, msg := ParsePeriod(now, tc.q)
			if got != tc.want || (msg != "") != tc.refused {
				t.Errorf("ParsePeriod(%+v) = %+v, %q; want %+v, refused %v", tc.q, got, msg, tc.want, tc.refused)
			}
		})
	}
}

func TestPeriodOfDates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		from, to string
		part     string // "" = refused
	}{
		{"2025-01-01", "2025-12-31", "jaar"},
		{"2025-04-01", "2025-06-30", "k2"},
		{"2025-10-01", "2025-10-31", "okt"},
		{"2024-02-01", "2024-02-29", "feb"},
		{"2025-01-01", "2025-09-30", ""}, // January–September: the attack's first half
		{"2025-01-01", "2025-10-31", ""},
		{"2025-02-01", "2025-04-30", ""}, // three months, not a quarter
		{"2025-10-02", "2025-10-31", ""},
		{"2025-01-01", "2026-12-31", ""},
		{"2010-01-01", "2010-12-31", ""}, // older than the picker
	} {
		p, ok := PeriodOfDates(now, day(tc.from), day(tc.to))
		if ok != (tc.part != "") || ok && p.Part != tc.part {
			t.Errorf("%s – %s: %+v, %v; want part %q", tc.from, tc.to, p, ok, tc.part)
		}
	}
}
