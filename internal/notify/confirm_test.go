package notify_test

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var reConfirmToken = regexp.MustCompile(`/email-bevestigen\?t=([A-Za-z0-9_.-]+)`)

// A confirmation job mails a link for the address the account has when the
// mail goes out, valid 48 hours; after an SMTP failure the retry sends it
// once; a confirmed account gets nothing.
func TestConfirmationMail(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	ctx := context.Background()
	hash, err := account.HashPassword(testkit.Password)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.NewStore(s.DB).Create(ctx, account.NewAccount{Email: "oud@example.nl", DisplayName: "Ada", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	done := s.CreateUser(t, "klaar@example.nl")
	// The address changes after the job was queued: the mail goes to the new one.
	smtp.Fail(true)
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := notify.QueueConfirmation(ctx, tx, a.ID); err != nil {
			return err
		}
		if err := notify.QueueConfirmation(ctx, tx, done.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE accounts SET email = 'nieuw@example.nl' WHERE id = $1`, a.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Refused once, then accepted on River's retry.
	for deadline := time.Now().Add(10 * time.Second); count(t, s, `SELECT count(*) FROM river_job WHERE kind = 'account_confirm_mail' AND attempt >= 1 AND state = 'retryable'`) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the refused mail was not scheduled for a retry")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The server takes mail again; do not wait out River's backoff.
	smtp.Fail(false)
	if _, err := s.DB.Exec(ctx, `UPDATE river_job SET scheduled_at = now() WHERE kind = 'account_confirm_mail' AND state = 'retryable'`); err != nil {
		t.Fatal(err)
	}
	m := smtp.WaitFor(t, 1, 15*time.Second)[0]
	time.Sleep(500 * time.Millisecond)
	if n := len(smtp.Mails()); n != 1 {
		t.Fatalf("%d mails, want 1 (none for the confirmed account, none twice)", n)
	}
	if len(m.To) != 1 || m.To[0] != "nieuw@example.nl" {
		t.Fatalf("mail to %v, want the current address", m.To)
	}
	if !strings.Contains(m.Header.Get("Message-Id"), "<c-") {
		t.Errorf("Message-ID %q does not carry the delivery key", m.Header.Get("Message-Id"))
	}
	if n := count(t, s, `SELECT count(*) FROM mail_deliveries WHERE key LIKE 'c-%'`); n != 1 {
		t.Errorf("%d delivery keys, want 1", n)
	}
	if n := count(t, s, `SELECT count(*) FROM river_job WHERE kind = 'account_confirm_mail' AND state = 'completed'`); n != 2 {
		t.Errorf("%d completed confirmation jobs, want 2", n)
	}

	match := reConfirmToken.FindStringSubmatch(m.Text)
	if match == nil {
		t.Fatalf("no link in:\n%s", m.Text)
	}
	token := match[1]
	id, payload, err := notify.VerifyConfirmation(ctx, signedlink.New(s.DB), token, time.Now())
	if err != nil || id != a.ID || payload != notify.ConfirmPayload(a.ID, "nieuw@example.nl") {
		t.Fatalf("token: account %d, payload %q, err %v", id, payload, err)
	}
	if payload == notify.ConfirmPayload(a.ID, "oud@example.nl") || strings.Contains(token, "example") {
		t.Error("the token is not tied to the current address, or carries it in the clear")
	}
	exp, err := strconv.ParseInt(strings.Split(token, ".")[1], 36, 64)
	if left := time.Until(time.Unix(exp, 0)); err != nil || left < 47*time.Hour || left > 48*time.Hour+time.Minute {
		t.Errorf("link valid for %v, want 48 hours", left)
	}
	if _, _, err := notify.VerifyConfirmation(ctx, signedlink.New(s.DB), token, time.Now().Add(49*time.Hour)); !errors.Is(err, signedlink.ErrExpired) {
		t.Errorf("after 49 hours: %v, want ErrExpired", err)
	}
}
