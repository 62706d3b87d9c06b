// Package dutch formats numbers, dates and times the way Dutch text writes
// them, in Dutch time. Every feature's pages use it, so "23 november 2026" and
// "12.345" look the same everywhere (and a translation has one place to go).
package dutch

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Dutch time also on hosts without a zone database
)

// Amsterdam is Dutch time, the one time zone of every page, form and
// calendar (the embedded zone database makes it available on any host).
var Amsterdam = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return l
	}
	return time.UTC
}()

var months = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// Month returns the Dutch name of m: "maart".
func Month(m time.Month) string { return months[m-1] }

// Monday-first weekday names, as Dutch calendars start the week.
var (
	weekdays      = [...]string{"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}
	weekdaysShort = [...]string{"ma", "di", "wo", "do", "vr", "za", "zo"}
)

// WeekdaysFromMonday returns the Dutch weekday names, Monday first: the
// full names and the two-letter abbreviations.
func WeekdaysFromMonday() (long, short [7]string) { return weekdays, weekdaysShort }

// Int writes n with a dot between thousands: 12.345, -1.000.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Date writes t in Dutch time as "14 maart 2026".
func Date(t time.Time) string {
	t = t.In(Amsterdam)
	return strconv.Itoa(t.Day()) + " " + Month(t.Month()) + " " + strconv.Itoa(t.Year())
}

// DateTime writes t in Dutch time as "14 maart 2026, 09:30".
func DateTime(t time.Time) string {
	return Date(t) + ", " + t.In(Amsterdam).Format("15:04")
}
