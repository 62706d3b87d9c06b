package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
)

// The mails of an e-mail address change (account.RequestEmailChange): the
// link to the NEW address, the notice to the OLD one, and, when the new
// address belongs to another account already, a notice to that account
// instead of the link. The requester's answer is the same either way.
const (
	EmailChangeLink   = "link"
	EmailChangeNotice = "notice"
	EmailChangeTaken  = "taken"
)

// EmailChangeArgs is the job that sends one of those mails. It holds only
// the change's id and which mail: the addresses stay in email_changes, and
// the worker makes the link when it sends, so no working link is stored.
type EmailChangeArgs struct {
	ChangeID int64  `json:"change_id"`
	Mail     string `json:"mail"`
}

// Kind implements river.JobArgs.
func (EmailChangeArgs) Kind() string { return "account_email_change_mail" }

// InsertOpts: not unique; every request is news, and the account's rate
// limit on requests keeps the number in bounds.
func (EmailChangeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts}
}

// Links that confirm a new address: their signing purpose and how long
// they (and the change waiting for them) work.
const (
	PurposeEmailChange  = "change-email"
	EmailChangeValidity = 24 * time.Hour
)

// QueueEmailChange queues, inside tx, the mails of change: the notice to
// the old address and the link to the new one, or, when the new address is
// taken, the notice to its owner instead of the link.
func QueueEmailChange(ctx context.Context, tx pgx.Tx, changeID int64, taken bool) error {
	second := EmailChangeLink
	if taken {
		second = EmailChangeTaken
	}
	for _, m := range []string{EmailChangeNotice, second} {
		if _, err := inserter().InsertTx(ctx, tx, EmailChangeArgs{ChangeID: changeID, Mail: m}, nil); err != nil {
			return fmt.Errorf("notify: queue e-mail change %s for %d: %w", m, changeID, err)
		}
	}
	return nil
}

// EmailChangePayload is what a link for a new address signs: the change
// and its account. The change row holds the address; a newer request gets
// a new id, so the link of an earlier one no longer names a change.
func EmailChangePayload(changeID, accountID int64) string {
	return strconv.FormatInt(changeID, 10) + ":" + strconv.FormatInt(accountID, 10)
}

// VerifyEmailChange checks a link's token and returns the change and the
// account it names. Errors are those of signedlink.Verify.
func VerifyEmailChange(ctx context.Context, s *signedlink.Signer, token string, now time.Time) (changeID, accountID int64, err error) {
	payload, err := s.Verify(ctx, PurposeEmailChange, token, now)
	if err != nil {
		return 0, 0, err
	}
	a, b, ok := strings.Cut(payload, ":")
	changeID, err1 := strconv.ParseInt(a, 10, 64)
	accountID, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || changeID <= 0 || accountID <= 0 {
		return 0, 0, signedlink.ErrInvalid
	}
	return changeID, accountID, nil
}

// EmailChangeURL returns the link that confirms change of account; it
// expires with the change.
func (m *Mailer) EmailChangeURL(ctx context.Context, changeID, accountID int64, expires time.Time) (string, error) {
	tok, err := m.Signer.Sign(ctx, PurposeEmailChange, EmailChangePayload(changeID, accountID), expires)
	if err != nil {
		return "", err
	}
	return m.BaseURL + "/email-wijzigen?t=" + tok, nil
}

// Notices to the owner of a taken address per address per hour, as for
// registration notices: news of an attempt, never a flood.
const takenNoticesPerAddress = 3

type emailChangeWorker struct {
	river.WorkerDefaults[EmailChangeArgs]
	m     *Mailer
	limit *ratelimit.Limiter
}

func newEmailChangeWorker(m *Mailer) *emailChangeWorker {
	return &emailChangeWorker{m: m, limit: ratelimit.New(m.DB, "email-change-taken", takenNoticesPerAddress, time.Hour)}
}

// emailChange is a change as its mails need it.
type emailChange struct {
	AccountID          int64
	Name               string
	OldEmail, NewEmail string
	ExpiresAt          time.Time
	Confirmed          bool
}

// Work sends the job's mail. A change replaced by a newer request (or gone
// with its account) sends nothing; the link goes only while the change
// still waits; the notice to the old address goes even when the change was
// confirmed meanwhile. Delivery key and lock as for the confirmation mail.
func (w *emailChangeWorker) Work(ctx context.Context, job *river.Job[EmailChangeArgs]) error {
	key := "e-" + strconv.FormatInt(job.ID, 10)
	return pgx.BeginFunc(ctx, w.m.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "mail:"+key); err != nil {
			return fmt.Errorf("notify: lock %s: %w", key, err)
		}
		var c emailChange
		err := tx.QueryRow(ctx, `
			SELECT c.account_id, a.display_name, c.old_email::text, c.new_email::text, c.expires_at, c.confirmed_at IS NOT NULL
			FROM email_changes c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1`, job.Args.ChangeID).
			Scan(&c.AccountID, &c.Name, &c.OldEmail, &c.NewEmail, &c.ExpiresAt, &c.Confirmed)
		if errors.Is(err, pgx.ErrNoRows) {
			return complete(ctx, tx, job)
		}
		if err != nil {
			return fmt.Errorf("notify: e-mail change %d: %w", job.Args.ChangeID, err)
		}
		var msg mail.Message
		switch job.Args.Mail {
		case EmailChangeLink:
			if c.Confirmed || !c.ExpiresAt.After(w.m.now()) {
				return complete(ctx, tx, job)
			}
			if msg, err = w.m.emailChangeLink(ctx, job.Args.ChangeID, c); err != nil {
				return err
			}
		case EmailChangeNotice:
			msg = mail.Message{To: c.OldEmail, Subject: msgEmailChangeNoticeSubject,
				Body: emailChangeNoticeBody(c.Name, maskEmail(c.NewEmail), w.m.BaseURL+"/wachtwoord-vergeten")}
		case EmailChangeTaken:
			var name string
			err := tx.QueryRow(ctx, `SELECT display_name FROM accounts WHERE email = $1 AND id <> $2`, c.NewEmail, c.AccountID).Scan(&name)
			if errors.Is(err, pgx.ErrNoRows) {
				return complete(ctx, tx, job) // the other account is gone: nobody to tell
			}
			if err != nil {
				return fmt.Errorf("notify: owner of a taken address: %w", err)
			}
			if job.Attempt == 1 {
				ok, _, err := w.limit.Allow(ctx, strings.ToLower(c.NewEmail))
				if err != nil {
					return err
				}
				if !ok {
					return complete(ctx, tx, job)
				}
			}
			msg = mail.Message{To: c.NewEmail, Subject: msgEmailTakenSubject,
				Body: emailTakenBody(name, w.m.BaseURL+"/inloggen", w.m.BaseURL+"/wachtwoord-vergeten")}
		default:
			return complete(ctx, tx, job) // a kind of mail this version does not know
		}
		msg.ID = key
		return w.m.deliver(ctx, tx, key, msg, nil, jobOf[EmailChangeArgs]{job})
	})
}

// emailChangeLink builds the mail with the link to the new address, in the
// form of the confirmation mail.
func (m *Mailer) emailChangeLink(ctx context.Context, changeID int64, c emailChange) (mail.Message, error) {
	link, err := m.EmailChangeURL(ctx, changeID, c.AccountID, c.ExpiresAt)
	if err != nil {
		return mail.Message{}, err
	}
	greeting := fmt.Sprintf(msgGreeting, c.Name)
	text := fmt.Sprintf("%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n-- \n%s\n",
		greeting, msgEmailChangeIntro, link, msgEmailChangeValid, msgEmailChangeWhy, msgEmailChangeNotYou, msgSignature)
	var html strings.Builder
	err = confirmHTML.Execute(&html, map[string]string{
		"Title": msgEmailChangeSubject, "Greeting": greeting, "Intro": msgEmailChangeIntro, "Link": link, "Button": msgEmailChangeButton,
		"Valid": msgEmailChangeValid, "Why": msgEmailChangeWhy, "NotYou": msgEmailChangeNotYou, "Signature": msgSignature,
	})
	if err != nil {
		return mail.Message{}, fmt.Errorf("notify: e-mail change html: %w", err)
	}
	return mail.Message{To: c.NewEmail, Subject: msgEmailChangeSubject, Body: text, HTML: html.String()}, nil
}

// maskEmail shows enough of an address for its owner to recognise it and
// little for anyone else reading the old mailbox: "n…@example.nl".
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "…"
	}
	r := []rune(local)
	return string(r[0]) + "…@" + domain
}

const (
	msgEmailChangeSubject = "Bevestig je nieuwe e-mailadres voor Buurtkracht"
	msgEmailChangeIntro   = "Je hebt gevraagd om dit e-mailadres voortaan te gebruiken voor je account bij Buurtkracht. Bevestig het via deze link:"
	msgEmailChangeButton  = "Nieuw e-mailadres bevestigen"
	msgEmailChangeValid   = "De link werkt 24 uur. Tot je bevestigt, blijft je oude e-mailadres in gebruik, ook om in te loggen."
	msgEmailChangeWhy     = "We vragen dit om zeker te weten dat dit adres echt van jou is."
	msgEmailChangeNotYou  = "Heb je dit niet gevraagd? Dan kun je deze e-mail negeren; er verandert niets."

	msgEmailChangeNoticeSubject = "Er is gevraagd het e-mailadres van je account te wijzigen"
	msgEmailTakenSubject        = "Iemand wilde jouw e-mailadres gebruiken op Buurtkracht"
)

// emailChangeNoticeBody is the notice to the old address. It says that
// nothing changes before the new address is confirmed, and how to stop a
// change someone else asked for: a new password ends every session and
// the waiting change.
func emailChangeNoticeBody(name, masked, resetLink string) string {
	return fmt.Sprintf(`Hallo %s,

Er is gevraagd om het e-mailadres van je account bij Buurtkracht te wijzigen in %s.
Dat gebeurt pas als op de link wordt geklikt die we naar dat nieuwe adres hebben gestuurd.
Tot die tijd blijft dit adres bij je account horen.

Was jij dit? Dan hoef je niets te doen.

Was jij dit niet? Kies dan meteen een nieuw wachtwoord via:
%s
Dan gaat de wijziging niet door en word je op alle apparaten uitgelogd.

Groet,
Buurtkracht
`, name, masked, resetLink)
}

// emailTakenBody is the notice to the owner of an address another account
// asked to move to. Like the registration notice it says what did not
// happen, so nobody worries needlessly.
func emailTakenBody(name, loginLink, resetLink string) string {
	return fmt.Sprintf(`Hallo %s,

Iemand wilde net het e-mailadres van een ander account op Buurtkracht wijzigen in dit adres.
Dit adres hoort al bij jouw account, dus er is niets veranderd. Je account en wachtwoord zijn niet veranderd.

Wilde je inloggen? Dat kan hier:
%s

Weet je je wachtwoord niet meer? Kies dan een nieuw wachtwoord via:
%s

Was jij dit niet? Dan hoef je niets te doen.

Groet,
Buurtkracht
`, name, loginLink, resetLink)
}
