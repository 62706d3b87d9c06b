package account_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// reChangeLink finds the link for a new address in a mail (test BaseURL).
var reChangeLink = regexp.MustCompile(`http://localhost:8080/email-wijzigen\?t=([A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]+)`)

func emailOf(t *testing.T, s *testkit.Server, id int64) string {
	t.Helper()
	var email string
	if err := s.DB.QueryRow(context.Background(), `SELECT email::text FROM accounts WHERE id = $1`, id).Scan(&email); err != nil {
		t.Fatal(err)
	}
	return email
}

// byRecipient sorts mails by their one recipient.
func byRecipient(t *testing.T, mails []smtptest.Mail) map[string]smtptest.Mail {
	t.Helper()
	out := map[string]smtptest.Mail{}
	for _, m := range mails {
		if len(m.To) != 1 {
			t.Fatalf("mail to %v", m.To)
		}
		out[m.To[0]] = m
	}
	return out
}

// The whole change of address: bad input refused with 422 (input kept,
// never the password), then a link to the NEW address (plain and HTML)
// and a notice to the OLD one; the old address keeps working until the
// link is followed; a GET of the link changes nothing; the POST changes
// the address (audited), after which only the new address logs in and the
// link is spent.
func TestChangeEmailByMail(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	acc := s.CreateUser(t, "oud@example.nl")
	c := s.Login(t, "oud@example.nl")

	if page := c.Get("/account"); !strings.Contains(page.Body, `href="/account/email"`) {
		t.Fatal("account page does not link to the e-mail form")
	}
	form := c.Get("/account/email")
	if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, "<strong>oud@example.nl</strong>") || !strings.Contains(form.Body, `name="current_password"`) {
		t.Fatalf("e-mail form: %d\n%s", form.StatusCode, form.Body)
	}
	bad := []struct {
		name, email, password, field, msg string
	}{
		{"no address", "", testkit.Password, "email", "Vul je nieuwe e-mailadres in."},
		{"not an address", "nieuw@", testkit.Password, "email", "Vul een geldig e-mailadres in"},
		{"the same address", "OUD@example.nl", testkit.Password, "email", "Dit is al je e-mailadres."},
		{"no password", "nieuw@example.nl", "", "current_password", "Vul je huidige wachtwoord in."},
		{"wrong password", "nieuw@example.nl", "verkeerd-wachtwoord", "current_password", "Dit is niet je huidige wachtwoord."},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			res := c.PostForm("/account/email", url.Values{"email": {tc.email}, "current_password": {tc.password}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.msg) || !strings.Contains(res.Body, `href="#veld-`+tc.field+`"`) {
				t.Fatalf("status %d, want 422 with %q at %s\n%s", res.StatusCode, tc.msg, tc.field, res.Body)
			}
			if tc.email != "" && !strings.Contains(res.Body, `value="`+tc.email+`"`) {
				t.Errorf("address %q not kept", tc.email)
			}
			if tc.password != "" && strings.Contains(res.Body, tc.password) {
				t.Error("the password is sent back")
			}
		})
	}
	var rows int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM email_changes`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("refused requests left %d changes (%v)", rows, err)
	}

	res := c.PostForm("/account/email", url.Values{"email": {"Nieuw@example.nl"}, "current_password": {testkit.Password}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("request: %d to %q\n%s", res.StatusCode, res.Location(), res.Body)
	}
	page := c.Get("/account")
	if !strings.Contains(page.Body, "gestuurd naar Nieuw@example.nl") || !strings.Contains(page.Body, "blijft oud@example.nl in gebruik") {
		t.Errorf("account page after asking lacks the flash:\n%s", page.Body)
	}
	if !strings.Contains(page.Body, `data-testid="email-change-waiting"`) {
		t.Error("the account page does not show the waiting change")
	}
	if got := emailOf(t, s, acc.ID); got != "oud@example.nl" {
		t.Fatalf("address changed before confirming: %s", got)
	}
	if page := c.Get("/account/email"); !strings.Contains(page.Body, `data-testid="email-pending"`) || !strings.Contains(page.Body, "Nieuw@example.nl") {
		t.Error("the e-mail form does not show the waiting change")
	}
	// The waiting change is in the person's data download.
	if export := c.Get("/account/gegevens.json"); !strings.Contains(export.Body, `"new_email" : "Nieuw@example.nl"`) && !strings.Contains(export.Body, `"new_email": "Nieuw@example.nl"`) {
		t.Errorf("the data download lacks the waiting change:\n%s", export.Body)
	}
	// The old address still logs in.
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {"oud@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the old address while waiting: %d", res.StatusCode)
	}

	mails := byRecipient(t, smtp.WaitFor(t, 2, 10*time.Second))
	notice, ok := mails["oud@example.nl"]
	if !ok || !strings.Contains(notice.Text, "N…@example.nl") || strings.Contains(notice.Text, "Nieuw@example.nl") ||
		reChangeLink.MatchString(notice.Text) || !strings.Contains(notice.Text, "/wachtwoord-vergeten") {
		t.Errorf("notice to the old address:\n%s", notice.Text)
	}
	linkMail, ok := mails["Nieuw@example.nl"]
	if !ok {
		t.Fatalf("no mail to the new address; mails to %v", mails)
	}
	text := reChangeLink.FindString(linkMail.Text)
	if text == "" || !strings.Contains(linkMail.HTML, `href="`+text+`"`) || !strings.Contains(linkMail.Text, "Hallo oud,") || !strings.Contains(linkMail.Text, "24 uur") {
		t.Fatalf("link mail:\n%s\n%s", linkMail.Text, linkMail.HTML)
	}
	link := strings.TrimPrefix(text, "http://localhost:8080")
	token := strings.TrimPrefix(link, "/email-wijzigen?t=")

	// The link works without a session; the GET only asks, naming no address.
	anon := s.Client(t)
	get := anon.Get(link)
	if get.StatusCode != http.StatusOK || !strings.Contains(get.Body, `action="/email-wijzigen"`) || strings.Contains(strings.ToLower(get.Body), "example.nl") {
		t.Fatalf("link page: %d\n%s", get.StatusCode, get.Body)
	}
	if got := emailOf(t, s, acc.ID); got != "oud@example.nl" {
		t.Fatal("a GET changed the address")
	}
	res = c.PostForm("/email-wijzigen", url.Values{"t": {token}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("confirm: %d to %q\n%s", res.StatusCode, res.Location(), res.Body)
	}
	if got := emailOf(t, s, acc.ID); got != "Nieuw@example.nl" {
		t.Fatalf("address after confirming: %s", got)
	}
	if page := c.Get("/account"); !strings.Contains(page.Body, "Je e-mailadres is gewijzigd.") || !strings.Contains(page.Body, "Nieuw@example.nl") {
		t.Error("account page after confirming lacks the flash or the new address")
	}
	for _, action := range []string{"account.email_change", "account.email"} {
		if n := ownAuditCount(t, s, acc.ID, action); n != 1 {
			t.Errorf("%d audit entries %s, want 1", n, action)
		}
	}
	var detail string
	if err := s.DB.QueryRow(t.Context(), `SELECT string_agg(detail, ' ') FROM audit_log WHERE subject_id = $1`, acc.ID).Scan(&detail); err != nil || strings.Contains(detail, "example.nl") {
		t.Errorf("audit names an address: %q (%v)", detail, err)
	}
	// Only the new address logs in now; the link is spent.
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {"oud@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("login with the old address after the change: %d", res.StatusCode)
	}
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {"nieuw@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new address: %d", res.StatusCode)
	}
	if res := anon.PostForm("/email-wijzigen", url.Values{"t": {token}}); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, `data-testid="link-invalid"`) {
		t.Errorf("the link a second time: %d", res.StatusCode)
	}
}

// An address that belongs to another account gets the same answer as a
// free one: the same redirect, flash and waiting change; its owner gets a
// notice, nobody a link; and a forged link for it changes nothing.
func TestChangeEmailTakenAddress(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	// Two accounts alike but for their address: one asks for a free
	// address, the other for one that is taken.
	s.CreateUser(t, "a@example.nl")
	a := s.CreateUser(t, "a@example.org")
	s.CreateUser(t, "bezet@example.nl")
	free, taken := s.Login(t, "a@example.nl"), s.Login(t, "a@example.org")

	// What the requester sees: the answer to the POST, the account page
	// with its flash and the e-mail page with the waiting change (the
	// address typed and the expiry minute set aside).
	expiry := regexp.MustCompile(`werkt tot [^.]*\.`)
	answer := func(c *testkit.Client, own, email string) []string {
		res := c.PostForm("/account/email", url.Values{"email": {email}, "current_password": {testkit.Password}})
		norm := func(s string) string {
			return expiry.ReplaceAllString(strings.ReplaceAll(strings.ReplaceAll(s, email, "ADRES"), own, "EIGEN"), "")
		}
		return []string{fmt.Sprintf("%d %s", res.StatusCode, res.Location()), norm(c.Get("/account").Body), norm(c.Get("/account/email").Body)}
	}
	freeAnswer, takenAnswer := answer(free, "a@example.nl", "vrij@example.nl"), answer(taken, "a@example.org", "bezet@example.nl")
	for i := range freeAnswer {
		if freeAnswer[i] != takenAnswer[i] {
			t.Errorf("answer %d differs between a free and a taken address:\n%s\n----\n%s", i, freeAnswer[i], takenAnswer[i])
		}
	}
	if !strings.Contains(freeAnswer[2], `data-testid="email-pending"`) {
		t.Error("no waiting change shown")
	}
	mails := byRecipient(t, smtp.WaitFor(t, 4, 10*time.Second))
	time.Sleep(500 * time.Millisecond) // nothing else may come
	if n := len(smtp.Mails()); n != 4 {
		t.Fatalf("%d mails, want 4 (two notices to the old addresses, the link, the notice to the owner)", n)
	}
	owner, ok := mails["bezet@example.nl"]
	if !ok || reChangeLink.MatchString(owner.Text) || !strings.Contains(owner.Text, "hoort al bij jouw account") {
		t.Errorf("mail to the owner of the taken address:\n%s", owner.Text)
	}
	if m, ok := mails["vrij@example.nl"]; !ok || !reChangeLink.MatchString(m.Text) {
		t.Error("no link to the free address")
	}
	for _, old := range []string{"a@example.nl", "a@example.org"} {
		if m, ok := mails[old]; !ok || reChangeLink.MatchString(m.Text) || !strings.Contains(m.Text, "te wijzigen in") {
			t.Errorf("notice to the old address %s:\n%s", old, m.Text)
		}
	}
	// A link for the change (were one ever made) does not take the address.
	var changeID int64
	if err := s.DB.QueryRow(t.Context(), `SELECT id FROM email_changes WHERE account_id = $1`, a.ID).Scan(&changeID); err != nil {
		t.Fatal(err)
	}
	tok := changeToken(t, s, changeID, a.ID, time.Now().Add(time.Hour))
	if res := taken.PostForm("/email-wijzigen", url.Values{"t": {tok}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("confirming a taken address: %d", res.StatusCode)
	}
	if got := emailOf(t, s, a.ID); got != "a@example.org" {
		t.Errorf("address is now %s", got)
	}
}

func changeToken(t *testing.T, s *testkit.Server, changeID, accountID int64, expires time.Time) string {
	t.Helper()
	tok, err := signedlink.New(s.DB).Sign(context.Background(), notify.PurposeEmailChange, notify.EmailChangePayload(changeID, accountID), expires)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Links that do not work: expired (the token or the change), tampered,
// for another account, replaced by a newer request, or ended by a new
// password. Each gives the one bad-link page (410 or 404) and changes
// nothing; the newest link still works.
func TestChangeEmailBadLinks(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	acc := s.CreateUser(t, "eva@example.nl")
	other := s.CreateUser(t, "ander@example.nl")
	c := s.Login(t, "eva@example.nl")
	ask := func(email string) int64 {
		t.Helper()
		if res := c.PostForm("/account/email", url.Values{"email": {email}, "current_password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %s: %d\n%s", email, res.StatusCode, res.Body)
		}
		var id int64
		if err := s.DB.QueryRow(t.Context(), `SELECT id FROM email_changes WHERE account_id = $1`, acc.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := ask("eerste@example.nl")
	second := ask("tweede@example.nl")
	if first == second {
		t.Fatal("a second request kept the first change")
	}
	hour := time.Now().Add(time.Hour)
	good := changeToken(t, s, second, acc.ID, hour)
	tests := []struct {
		name   string
		token  string
		status int
	}{
		{"expired token", changeToken(t, s, second, acc.ID, time.Now().Add(-time.Minute)), http.StatusGone},
		{"tampered token", good[:len(good)-2] + "xx", http.StatusNotFound},
		{"another account's change", changeToken(t, s, second, other.ID, hour), http.StatusNotFound},
		{"replaced by a newer request", changeToken(t, s, first, acc.ID, hour), http.StatusNotFound},
		{"no token", "", http.StatusNotFound},
		{"a confirmation token", confirmToken(t, s, acc), http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, res := range []testkit.Response{c.Get("/email-wijzigen?t=" + url.QueryEscape(tc.token)), c.PostForm("/email-wijzigen", url.Values{"t": {tc.token}})} {
				if res.StatusCode != tc.status || !strings.Contains(res.Body, "Deze link werkt niet") {
					t.Errorf("status %d, want %d", res.StatusCode, tc.status)
				}
			}
			if got := emailOf(t, s, acc.ID); got != "eva@example.nl" {
				t.Fatalf("address changed to %s", got)
			}
		})
	}
	// The change itself expired (the token would still work).
	if _, err := s.DB.Exec(t.Context(), `UPDATE email_changes SET requested_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`, second); err != nil {
		t.Fatal(err)
	}
	if res := c.PostForm("/email-wijzigen", url.Values{"t": {good}}); res.StatusCode != http.StatusGone || !strings.Contains(res.Body, `data-testid="link-expired"`) {
		t.Errorf("expired change: %d", res.StatusCode)
	}
	if page := c.Get("/account/email"); strings.Contains(page.Body, `data-testid="email-pending"`) {
		t.Error("an expired change still shows as waiting")
	}
	// A new password ends a waiting change.
	third := ask("derde@example.nl")
	if res := c.PostForm("/account/wachtwoord", url.Values{"current_password": {testkit.Password}, "new_password": {"een heel nieuw wachtwoord"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if res := c.PostForm("/email-wijzigen", url.Values{"t": {changeToken(t, s, third, acc.ID, hour)}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("link after a new password: %d", res.StatusCode)
	}
	if got := emailOf(t, s, acc.ID); got != "eva@example.nl" {
		t.Fatalf("address changed to %s", got)
	}
	// Too many requests in an hour: 429, nothing recorded.
	res := c.PostForm("/account/email", url.Values{"email": {"vierde@example.nl"}, "current_password": {"een heel nieuw wachtwoord"}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "vierde@example.nl") {
		t.Errorf("fourth request within the hour: %d", res.StatusCode)
	}
}

func confirmToken(t *testing.T, s *testkit.Server, acc account.Account) string {
	t.Helper()
	tok, err := signedlink.New(s.DB).Sign(context.Background(), notify.PurposeConfirm, notify.ConfirmPayload(acc.ID, acc.Email), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// A waiting change can be withdrawn from the e-mail page: its link stops
// working, the old address stays, the account page no longer shows it, and
// a second withdrawal changes nothing.
func TestCancelEmailChange(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	acc := s.CreateUser(t, "ria@example.nl")
	c := s.Login(t, "ria@example.nl")
	if res := c.PostForm("/account/email", url.Values{"email": {"nieuw@example.nl"}, "current_password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request: %d", res.StatusCode)
	}
	var change int64
	if err := s.DB.QueryRow(t.Context(), `SELECT id FROM email_changes WHERE account_id = $1`, acc.ID).Scan(&change); err != nil {
		t.Fatal(err)
	}
	if page := c.Get("/account/email"); !strings.Contains(page.Body, `data-testid="email-cancel"`) {
		t.Fatal("the e-mail page offers no way to withdraw the waiting change")
	}
	for range 2 {
		res := c.PostForm("/account/email/intrekken", url.Values{})
		if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
			t.Fatalf("withdraw: %d to %q", res.StatusCode, res.Location())
		}
	}
	if page := c.Get("/account"); strings.Contains(page.Body, `data-testid="email-change-waiting"`) || !strings.Contains(page.Body, "ingetrokken") {
		t.Error("the account page still shows the change, or says nothing of the withdrawal")
	}
	tok := changeToken(t, s, change, acc.ID, time.Now().Add(time.Hour))
	if res := c.PostForm("/email-wijzigen", url.Values{"t": {tok}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("link after withdrawing: %d, want 404", res.StatusCode)
	}
	if got := emailOf(t, s, acc.ID); got != "ria@example.nl" {
		t.Fatalf("address changed to %s", got)
	}
	var audited int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'account.email_change_cancel' AND subject_id = $1`, acc.ID).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("withdrawals audited: %d (%v), want 1", audited, err)
	}
}
