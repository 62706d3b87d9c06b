package event

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// productID names the calendar's producer (RFC 5545 PRODID).
const productID = "-//Buurtkracht//Buurtagenda//NL"

// tzid is the time zone every event time is written in, with its
// VTIMEZONE in the calendar so no client has to know the name.
const tzid = "Europe/Amsterdam"

// UID is the stable iCalendar UID of event id: it never changes, so a
// calendar updates the event rather than adding a second one.
func UID(id int64, host string) string {
	return "bijeenkomst-" + strconv.FormatInt(id, 10) + "@" + host
}

// Calendar writes events as one iCalendar document (RFC 5545). name is
// the calendar's name; baseURL (https://host) makes the links absolute and
// names the UID's host.
func Calendar(name string, events []Event, baseURL string) ([]byte, error) {
	host := "buurtkracht"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, productID)
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	if name != "" {
		cal.Props.SetText("X-WR-CALNAME", name)
	}
	cal.Props.SetText("X-WR-TIMEZONE", tzid)
	cal.Children = append(cal.Children, amsterdam())
	for _, e := range events {
		cal.Children = append(cal.Children, vevent(e, host, baseURL).Component)
	}
	var b bytes.Buffer
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return nil, fmt.Errorf("event: encode calendar: %w", err)
	}
	return b.Bytes(), nil
}

func vevent(e Event, host, baseURL string) *ical.Event {
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, UID(e.ID, host))
	// DTSTAMP: when this version of the event was made (its last change).
	ev.Props.SetDateTime(ical.PropDateTimeStamp, e.UpdatedAt.UTC())
	ev.Props.SetDateTime(ical.PropLastModified, e.UpdatedAt.UTC())
	ev.Props.SetDateTime(ical.PropCreated, e.CreatedAt.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeStart, e.StartsAt.In(dutch.Amsterdam))
	ev.Props.SetDateTime(ical.PropDateTimeEnd, e.EndsAt.In(dutch.Amsterdam))
	ev.Props.SetText(ical.PropSummary, e.Title)
	desc := e.Description
	if e.Cancelled() && e.CancelMessage != "" {
		desc = "Gaat niet door: " + e.CancelMessage + "\n\n" + desc
	}
	if desc != "" {
		ev.Props.SetText(ical.PropDescription, strings.TrimSpace(desc))
	}
	if p := e.Place(); p != "" {
		ev.Props.SetText(ical.PropLocation, p)
	}
	seq := ical.NewProp(ical.PropSequence)
	seq.SetValueType(ical.ValueInt)
	seq.Value = strconv.Itoa(e.Sequence)
	ev.Props.Set(seq)
	if e.Cancelled() {
		ev.SetStatus(ical.EventCancelled)
	} else {
		ev.SetStatus(ical.EventConfirmed)
	}
	if e.Visibility == Members {
		ev.Props.SetText(ical.PropClass, "PRIVATE")
	} else {
		ev.Props.SetText(ical.PropClass, "PUBLIC")
	}
	if u, err := url.Parse(strings.TrimSuffix(baseURL, "/") + Path(e.ID)); err == nil {
		ev.Props.SetURI(ical.PropURL, u)
	}
	return ev
}

// amsterdam is the VTIMEZONE of Europe/Amsterdam: CET, and CEST from the
// last Sunday of March to the last Sunday of October (the EU rule since 1996).
func amsterdam() *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, tzid)
	part := func(name, from, to, abbr, start, month string) *ical.Component {
		c := ical.NewComponent(name)
		c.Props.SetText(ical.PropTimezoneOffsetFrom, from)
		c.Props.SetText(ical.PropTimezoneOffsetTo, to)
		c.Props.SetText(ical.PropTimezoneName, abbr)
		dt := ical.NewProp(ical.PropDateTimeStart)
		dt.Value = start
		c.Props.Set(dt)
		rr := ical.NewProp(ical.PropRecurrenceRule)
		rr.SetValueType(ical.ValueRecurrence)
		rr.Value = "FREQ=YEARLY;BYMONTH=" + month + ";BYDAY=-1SU"
		c.Props.Set(rr)
		return c
	}
	tz.Children = append(tz.Children,
		part(ical.CompTimezoneDaylight, "+0100", "+0200", "CEST", "19700329T020000", "3"),
		part(ical.CompTimezoneStandard, "+0200", "+0100", "CET", "19701025T030000", "10"))
	return tz
}

// feedWindow is how far back a feed keeps events: calendars keep what
// they had, and a cancellation of last week still reaches them.
const feedWindow = 30 * 24 * time.Hour
