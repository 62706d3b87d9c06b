package notify_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// Two instances work one queue: every notification is mailed exactly once.
func TestTwoInstancesMailEachOnce(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	url := testkit.NewDB(t)
	a := testkit.NewMailServerOn(t, testkit.OpenPool(t, url, 10), smtp)
	_ = testkit.NewMailServerOn(t, testkit.OpenPool(t, url, 10), smtp)
	actor := a.CreateUser(t, "actor@example.nl")
	var to []int64
	for i := range 20 {
		to = append(to, a.CreateUser(t, "r"+strconv.Itoa(i)+"@example.nl").ID)
	}
	for i := range 3 {
		send(t, a, notify.Note{Category: notify.Messages, Link: "/berichten", Text: "Bericht " + strconv.Itoa(i), Actor: actor.ID}, to...)
	}
	smtp.WaitFor(t, 60, 20*time.Second)
	time.Sleep(time.Second) // a duplicate would arrive now
	got := smtp.Mails()
	seen := map[string]int{}
	for _, m := range got {
		seen[m.To[0]+" "+m.Header.Get("Message-Id")]++
	}
	if len(got) != 60 || len(seen) != 60 {
		t.Fatalf("%d mails, %d distinct (recipient, id) pairs; want 60 and 60", len(got), len(seen))
	}
	if n := count(t, a, `SELECT count(*) FROM mail_deliveries`); n != 60 {
		t.Fatalf("%d delivery keys, want 60", n)
	}
}

// An instance dies while the SMTP server holds its mail; another instance
// takes the job up again and the mail arrives once.
func TestCrashMidSendMailsOnceAfterRestart(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	url := testkit.NewDB(t)
	first := testkit.NewMailServerOn(t, testkit.OpenPool(t, url, 10), smtp)
	actor := first.CreateUser(t, "actor@example.nl")
	rcpt := first.CreateUser(t, "ontvanger@example.nl")
	smtp.Hold()
	send(t, first, notify.Note{Category: notify.Offers, Link: "/initiatieven/1", Text: "Hulp aangeboden", Actor: actor.ID}, rcpt.ID)
	select {
	case <-smtp.DataStarted():
	case <-time.After(15 * time.Second):
		t.Fatal("the first instance never started sending")
	}
	first.App.KillJobs() // the process dies mid-send
	smtp.Release()       // the held transaction fails: nothing was delivered
	if n := len(smtp.Mails()); n != 0 {
		t.Fatalf("%d mails delivered by the dead instance", n)
	}
	// A new instance on the same database rescues the stuck job and sends it.
	_ = testkit.NewMailServerOn(t, testkit.OpenPool(t, url, 10), smtp)
	smtp.WaitFor(t, 1, 30*time.Second)
	time.Sleep(time.Second)
	if got := smtp.Mails(); len(got) != 1 || got[0].To[0] != "ontvanger@example.nl" {
		t.Fatalf("%d mails after the restart, want exactly 1", len(got))
	}
}

// SMTP down: the event commits at once and the mail goes out when SMTP is
// back; the admin page shows the failure meanwhile.
func TestSMTPDownRetriesAndShowsQueue(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	admin := s.CreateUser(t, "beheer@example.nl", "resident", "admin")
	actor := s.CreateUser(t, "actor@example.nl")
	rcpt := s.CreateUser(t, "ontvanger@example.nl")
	smtp.Fail(true)
	start := time.Now()
	send(t, s, notify.Note{Category: notify.Messages, Link: "/berichten", Text: "Hallo", Actor: actor.ID}, rcpt.ID)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the event waited %v on SMTP", d)
	}
	deadline := time.Now().Add(15 * time.Second)
	for count(t, s, `SELECT count(*) FROM river_job WHERE kind = 'notify_mail' AND errors IS NOT NULL`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no failed attempt recorded")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The page lists the failure while the job waits for its retry; while
	// a retry is running (River retries after a second or so at first) the
	// job is not failed, so look again until it waits.
	c := s.Login(t, "beheer@example.nl")
	res := c.Get("/beheer/wachtrij")
	for res.StatusCode == http.StatusOK && !strings.Contains(res.Body, "451") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		res = c.Get("/beheer/wachtrij")
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "notify_mail") || !strings.Contains(res.Body, "451") {
		t.Fatalf("queue page: %d\n%s", res.StatusCode, res.Body)
	}
	if strings.Contains(res.Body, "Hallo") {
		t.Error("the queue page shows a notification's text")
	}
	_ = admin
	smtp.Fail(false)
	// Make the retry due now instead of after River's backoff.
	if _, err := s.DB.Exec(context.Background(), `UPDATE river_job SET scheduled_at = now() WHERE state = 'retryable'`); err != nil {
		t.Fatal(err)
	}
	smtp.WaitFor(t, 1, 20*time.Second)
	// Non-admins never see the queue.
	if res := s.Login(t, "actor@example.nl").Get("/beheer/wachtrij"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("resident on the queue page: %d", res.StatusCode)
	}
}

// The notifications page: newest first, the unread count in the header on
// every page, opening marks one read and follows its link, "alles gelezen",
// and nobody opens another person's notification.
func TestNotificationsPage(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	anna := s.CreateUser(t, "anna@example.nl")
	bram := s.CreateUser(t, "bram@example.nl")
	send(t, s, notify.Note{Category: notify.Offers, Link: "/initiatieven", Text: "Eerste melding"}, anna.ID)
	send(t, s, notify.Note{Category: notify.SignUps, Link: "/buurten", Text: "Tweede melding"}, anna.ID)
	c := s.Login(t, "anna@example.nl")
	res := c.Get("/over")
	if !strings.Contains(res.Body, "Meldingen (2 ongelezen)") {
		t.Fatalf("header lacks the unread count:\n%s", res.Body)
	}
	res = c.Get("/meldingen")
	if res.StatusCode != http.StatusOK || strings.Index(res.Body, "Tweede melding") > strings.Index(res.Body, "Eerste melding") {
		t.Fatalf("list not newest first: %d", res.StatusCode)
	}
	var first int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM notifications WHERE body = 'Eerste melding'`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	// Bram cannot open (or learn anything of) Anna's notification.
	if res := s.Login(t, "bram@example.nl").PostForm("/meldingen/"+strconv.FormatInt(first, 10)+"/openen", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another person's notification: %d", res.StatusCode)
	}
	res = c.PostForm("/meldingen/"+strconv.FormatInt(first, 10)+"/openen", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/initiatieven" {
		t.Fatalf("open: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.Get("/over"); !strings.Contains(res.Body, "Meldingen (1 ongelezen)") {
		t.Fatal("count did not drop after opening")
	}
	// Paging parameters that are not ids, or too big for one, are ignored.
	for _, q := range []string{"?voor=99999999999999999999", "?voor=abc", "?voor=-1", "?voor=9223372036854775807"} {
		if res := c.Get("/meldingen" + q); res.StatusCode != http.StatusOK {
			t.Errorf("/meldingen%s: %d", q, res.StatusCode)
		}
	}
	if res := c.PostForm("/meldingen/alles-gelezen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("all read: %d", res.StatusCode)
	}
	if res := c.Get("/over"); strings.Contains(res.Body, "ongelezen") {
		t.Fatal("unread count after 'alles gelezen'")
	}
	_ = bram
}

func TestPreferencesForm(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "anna@example.nl")
	c := s.Login(t, "anna@example.nl")
	res := c.Get("/account/meldingen")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Meteen een e-mail") {
		t.Fatalf("preferences: %d", res.StatusCode)
	}
	// Only what a person can receive: no "beheer" for a resident; the
	// agenda's reminders and cancellations are theirs.
	if strings.Contains(res.Body, `name="mode_beheer"`) {
		t.Error("a resident is offered categories they never receive")
	}
	if !strings.Contains(res.Body, `name="mode_agenda"`) {
		t.Error("a resident is not offered 'agenda'")
	}
	s.CreateUser(t, "beheer@example.nl", "resident", "admin")
	if res := s.Login(t, "beheer@example.nl").Get("/account/meldingen"); !strings.Contains(res.Body, `name="mode_beheer"`) {
		t.Error("an administrator is not offered 'beheer'")
	}
	for name, form := range map[string]url.Values{
		"unknown mode":     {"mode_signalen": {"elk-uur"}, "mode_berichten": {"wekelijks"}},
		"unknown category": {"mode_onzin": {"direct"}, "mode_berichten": {"wekelijks"}},
		"NUL byte":         {"mode_signalen": {"direct\x00"}, "mode_berichten": {"wekelijks"}},
	} {
		res := c.PostForm("/account/meldingen", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, res.StatusCode)
			continue
		}
		// The valid choice in the same form is kept on the page.
		if !strings.Contains(res.Body, `name="mode_berichten" value="wekelijks" checked`) {
			t.Errorf("%s: the other choice was not kept", name)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM notification_preferences`); n != 0 {
		t.Fatalf("an invalid form stored %d preferences", n)
	}
	res = c.PostForm("/account/meldingen", url.Values{"mode_signalen": {"wekelijks"}, "mode_berichten": {"platform"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if n := count(t, s, `SELECT count(*) FROM notification_preferences WHERE (category, mode) IN (('signalen', 'wekelijks'), ('berichten', 'platform'))`); n != 2 {
		t.Fatalf("saved %d preferences, want 2", n)
	}
}
