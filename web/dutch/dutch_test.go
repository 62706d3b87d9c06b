package dutch

import (
	"strings"
	"testing"
	"time"
)

func TestInt(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 18003: "18.003", 1234567: "1.234.567", -1000: "-1.000", -12: "-12"} {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	// 23:30 UTC on 31 March is already 1 April in Amsterdam (summer time).
	ts := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	if got := Date(ts); got != "1 april 2026" {
		t.Errorf("Date = %q", got)
	}
	if got := DateTime(ts); got != "1 april 2026, 01:30" {
		t.Errorf("DateTime = %q", got)
	}
	if Month(time.December) != "december" {
		t.Error("Month")
	}
}

func TestWeekdaysFromMonday(t *testing.T) {
	long, short := WeekdaysFromMonday()
	// 2026-11-23 is a Monday; the week runs from it.
	monday := time.Date(2026, 11, 23, 12, 0, 0, 0, Amsterdam)
	for i := range 7 {
		day := monday.AddDate(0, 0, i)
		if got := long[i]; !strings.HasPrefix(got, short[i]) {
			t.Errorf("%s: %q does not start with %q", day.Weekday(), got, short[i])
		}
		if i == 0 && long[i] != "maandag" || i == 6 && long[i] != "zondag" {
			t.Errorf("day %d (%s) is %q", i, day.Weekday(), long[i])
		}
	}
}
