package notify_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// send notifies to of n in its own transaction, as a feature does.
func send(t *testing.T, s *testkit.Server, n notify.Note, to ...int64) {
	t.Helper()
	err := pgx.BeginFunc(context.Background(), s.DB, func(tx pgx.Tx) error { return notify.Send(context.Background(), tx, n, to) })
	if err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, s *testkit.Server, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// countEventually is count, asked again until it gives want or 10 seconds
// have passed; it returns the last answer.
func countEventually(t *testing.T, s *testkit.Server, want int, sql string, args ...any) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := count(t, s, sql, args...)
		if n == want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// An offer notifies at once: one multipart Dutch mail with the why, the
// link and a one-click unsubscribe that works without a session.
func TestImmediateMailAndUnsubscribe(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	owner := s.CreateUser(t, "eigenaar@example.nl")
	helper := s.CreateUser(t, "helper@example.nl")

	send(t, s, notify.Note{Category: notify.Offers, Link: "/initiatieven/7", Text: "helper biedt hulp aan bij ‘Moestuin’: kennis.", Actor: helper.ID},
		owner.ID, helper.ID)
	smtp.WaitFor(t, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	got := smtp.Mails()
	if len(got) != 1 {
		t.Fatalf("%d mails, want 1 (the actor is never notified)", len(got))
	}
	m := got[0]
	if len(m.To) != 1 || m.To[0] != "eigenaar@example.nl" {
		t.Fatalf("to %v", m.To)
	}
	for _, want := range []string{"Hallo eigenaar,", "helper biedt hulp aan bij ‘Moestuin’: kennis.", "http://localhost:8080/initiatieven/7",
		"Je krijgt deze e-mail omdat", "Aanbod van hulp"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `<html lang="nl">`) || !strings.Contains(m.HTML, "Moestuin") {
		t.Errorf("html part: %s", m.HTML)
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", m.Header.Get("List-Unsubscribe-Post"))
	}
	unsub := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	u, err := url.Parse(unsub)
	if err != nil || u.Path != "/afmelden" {
		t.Fatalf("List-Unsubscribe %q", unsub)
	}
	// The job marks the notification mailed after the SMTP server took the
	// mail, in its own transaction: wait for that (a loaded machine takes
	// longer than the 300 ms above).
	if n := countEventually(t, s, 1, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND mailed_at IS NOT NULL`, owner.ID); n != 1 {
		t.Errorf("mailed notifications: %d", n)
	}

	anon := s.Client(t)
	// A tampered token: a clear page, nothing changes.
	bad := strings.Replace(u.RawQuery, "t=", "t=x", 1)
	res := anon.Get("/afmelden?" + bad)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Deze link werkt niet") {
		t.Fatalf("tampered link: %d\n%s", res.StatusCode, res.Body)
	}
	if res := anon.PostForm("/afmelden?"+bad, url.Values{"List-Unsubscribe": {"One-Click"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("tampered one-click POST: %d", res.StatusCode)
	}
	// The GET only asks; the one-click POST (RFC 8058, no session) unsubscribes.
	if res := anon.Get("/afmelden?" + u.RawQuery); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Aanbod van hulp") {
		t.Fatalf("unsubscribe page: %d\n%s", res.StatusCode, res.Body)
	}
	if n := count(t, s, `SELECT count(*) FROM notification_preferences WHERE account_id = $1`, owner.ID); n != 0 {
		t.Fatalf("a GET changed preferences")
	}
	res = anon.PostForm("/afmelden?"+u.RawQuery, url.Values{"List-Unsubscribe": {"One-Click"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Afgemeld") {
		t.Fatalf("one-click: %d\n%s", res.StatusCode, res.Body)
	}
	if n := count(t, s, `SELECT count(*) FROM notification_preferences WHERE account_id = $1 AND category = 'aanbod' AND mode = 'platform'`, owner.ID); n != 1 {
		t.Fatal("one-click did not unsubscribe")
	}
	// Afterwards: still in the platform, no mail.
	send(t, s, notify.Note{Category: notify.Offers, Link: "/initiatieven/7", Text: "Nog een aanbod.", Actor: helper.ID}, owner.ID)
	time.Sleep(time.Second)
	if n := len(smtp.Mails()); n != 1 {
		t.Fatalf("%d mails after unsubscribing, want still 1", n)
	}
	if n := count(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, owner.ID); n != 2 {
		t.Fatalf("notifications in the platform: %d, want 2", n)
	}
}

// A rolled-back event notifies nobody: notification and job share its transaction.
func TestRollbackSendsNothing(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	a := s.CreateUser(t, "a@example.nl")
	ctx := context.Background()
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := notify.Send(ctx, tx, notify.Note{Category: notify.Messages, Link: "/berichten", Text: "x"}, []int64{a.ID}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM notifications`) + count(t, s, `SELECT count(*) FROM river_job WHERE kind = 'notify_mail'`); n != 0 {
		t.Fatalf("%d rows after rollback", n)
	}
	// Committed: both there.
	send(t, s, notify.Note{Category: notify.Messages, Link: "/berichten", Text: "x"}, a.ID)
	if n := count(t, s, `SELECT count(*) FROM river_job WHERE kind = 'notify_mail'`); n != 1 {
		t.Fatalf("%d mail jobs after commit, want 1", n)
	}
}

// Fifty workers of a signal: one statement inserts them all, unknown ids are
// skipped, bad categories and links are refused.
func TestSendBatchAndInput(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ids := make([]int64, 0, 51)
	for i := range 50 {
		ids = append(ids, s.CreateUser(t, "w"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.nl").ID)
	}
	ids = append(ids, 999999)
	send(t, s, notify.Note{Category: notify.Signals, Link: "/signalen/1", Text: strings.Repeat("lang ", 200)}, ids...)
	if n := count(t, s, `SELECT count(*) FROM notifications WHERE length(body) <= 300`); n != 50 {
		t.Fatalf("%d notifications (shortened), want 50", n)
	}
	// Signals default to the daily digest: no mail job.
	if n := count(t, s, `SELECT count(*) FROM river_job WHERE kind = 'notify_mail'`); n != 0 {
		t.Fatalf("%d mail jobs for a daily category", n)
	}
	for _, n := range []notify.Note{{Category: "onzin", Link: "/x", Text: "x"}, {Category: notify.Signals, Link: "https://evil.example/", Text: "x"},
		{Category: notify.Signals, Link: "//evil.example/", Text: "x"}} {
		err := pgx.BeginFunc(context.Background(), s.DB, func(tx pgx.Tx) error { return notify.Send(context.Background(), tx, n, ids[:1]) })
		if err == nil {
			t.Errorf("note %+v accepted", n)
		}
	}
}

// Ten events in a day give one digest listing ten at 07:30; nothing new, no
// mail; planning twice queues once; 'platform' gives no mail at all.
func TestDailyDigest(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	a := s.CreateUser(t, "anna@example.nl")
	b := s.CreateUser(t, "bram@example.nl")
	quiet := s.CreateUser(t, "stil@example.nl")
	ctx := context.Background()
	if _, err := s.DB.Exec(ctx, `INSERT INTO notification_preferences (account_id, category, mode) VALUES ($1, 'signalen', 'platform')`, quiet.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		send(t, s, notify.Note{Category: notify.Signals, Link: "/signalen/" + string(rune('1'+i)), Text: "Nieuw signaal nummer " + string(rune('A'+i)), Actor: b.ID},
			a.ID, quiet.ID)
	}
	// The events happen a year ahead of the real clock: the app's own
	// digest planner (a background job on the real time) must not plan them
	// before this test does. (With fixed dates it did, on the day after them.)
	y, m, d := time.Now().In(dutch.Amsterdam).AddDate(1, 0, 0).Date()
	at := func(days, hour, minute int) time.Time {
		return time.Date(y, m, d+days, hour, minute, 0, 0, dutch.Amsterdam)
	}
	// Before 07:30 the events belong to the next digest.
	if _, err := s.DB.Exec(ctx, `UPDATE notifications SET created_at = $1`, at(-1, 12, 0)); err != nil {
		t.Fatal(err)
	}
	early := at(0, 7, 0)
	if n, err := s.App.Notices().PlanDigests(ctx, early.Add(-24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("planned before the events' slot: %d %v", n, err)
	}
	due := at(0, 7, 31)
	n, err := s.App.Notices().PlanDigests(ctx, due)
	if err != nil || n != 1 {
		t.Fatalf("planned %d digests (%v), want 1", n, err)
	}
	if n, _ := s.App.Notices().PlanDigests(ctx, due.Add(5*time.Minute)); n != 0 {
		t.Fatalf("second planning queued %d more", n)
	}
	smtp.WaitFor(t, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	got := smtp.Mails()
	if len(got) != 1 || got[0].To[0] != "anna@example.nl" {
		t.Fatalf("mails: %d %v", len(got), got)
	}
	for i := range 10 {
		if !strings.Contains(got[0].Text, "Nieuw signaal nummer "+string(rune('A'+i))) {
			t.Errorf("digest lacks event %d", i)
		}
	}
	if !strings.Contains(got[0].Text, "sinds je vorige overzicht (10)") || got[0].Header.Get("List-Unsubscribe") == "" {
		t.Errorf("digest intro or unsubscribe missing:\n%s", got[0].Text)
	}
	// Nothing new: no mail the next day.
	if n, _ := s.App.Notices().PlanDigests(ctx, due.Add(24*time.Hour)); n != 0 {
		t.Fatalf("a digest with nothing new was planned")
	}
}

func TestSlots(t *testing.T) {
	ams := dutch.Amsterdam
	for _, c := range []struct {
		now           time.Time
		daily, weekly string
	}{
		{time.Date(2026, 12, 6, 7, 29, 0, 0, ams), "2026-12-05 07:30", "2026-11-30 07:30"}, // Sunday before 07:30
		{time.Date(2026, 12, 7, 7, 30, 0, 0, ams), "2026-12-07 07:30", "2026-12-07 07:30"}, // Monday at 07:30
		{time.Date(2026, 12, 7, 7, 29, 0, 0, ams), "2026-12-06 07:30", "2026-11-30 07:30"}, // Monday before
		{time.Date(2026, 3, 29, 12, 0, 0, 0, ams), "2026-03-29 07:30", "2026-03-23 07:30"}, // summer time starts
	} {
		d, w := notify.Slots(c.now)
		if got := d.Format("2006-01-02 15:04"); got != c.daily {
			t.Errorf("daily slot at %v = %s, want %s", c.now, got, c.daily)
		}
		if got := w.Format("2006-01-02 15:04"); got != c.weekly {
			t.Errorf("weekly slot at %v = %s, want %s", c.now, got, c.weekly)
		}
	}
}
