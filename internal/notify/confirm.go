package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
)

// ConfirmArgs is the job that mails a link to confirm an account's e-mail
// address. It holds only the account: the worker makes the link when it
// sends, so no working link is stored anywhere.
type ConfirmArgs struct {
	AccountID int64 `json:"account_id"`
}

// Kind implements river.JobArgs.
func (ConfirmArgs) Kind() string { return "account_confirm_mail" }

// InsertOpts: not unique, since asking again must mail again; the rate
// limit on resending keeps the number in bounds.
func (ConfirmArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: maxAttempts} }

// Confirmation links: their signing purpose and how long they work.
const (
	PurposeConfirm  = "confirm-email"
	ConfirmValidity = 48 * time.Hour
)

// QueueConfirmation queues a confirmation mail for account inside tx, so it
// goes out only when the caller's transaction commits.
func QueueConfirmation(ctx context.Context, tx pgx.Tx, accountID int64) error {
	if _, err := inserter().InsertTx(ctx, tx, ConfirmArgs{AccountID: accountID}, nil); err != nil {
		return fmt.Errorf("notify: queue confirmation for %d: %w", accountID, err)
	}
	return nil
}

// ConfirmPayload is what a confirmation link signs: the account and a digest
// of the address it was mailed to. A link for an earlier address no longer
// matches, and the link does not carry the address itself.
func ConfirmPayload(accountID int64, email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return strconv.FormatInt(accountID, 10) + ":" + base64.RawURLEncoding.EncodeToString(sum[:16])
}

// VerifyConfirmation checks a confirmation token and returns the account it
// names with its payload; the caller compares the payload with
// ConfirmPayload of the account's current address. Errors are those of
// signedlink.Verify.
func VerifyConfirmation(ctx context.Context, s *signedlink.Signer, token string, now time.Time) (int64, string, error) {
	payload, err := s.Verify(ctx, PurposeConfirm, token, now)
	if err != nil {
		return 0, "", err
	}
	idText, _, ok := strings.Cut(payload, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 {
		return 0, "", signedlink.ErrInvalid
	}
	return id, payload, nil
}

// ConfirmURL returns a fresh confirmation link for account at email.
func (m *Mailer) ConfirmURL(ctx context.Context, accountID int64, email string) (string, error) {
	tok, err := m.Signer.Sign(ctx, PurposeConfirm, ConfirmPayload(accountID, email), m.now().Add(ConfirmValidity))
	if err != nil {
		return "", err
	}
	return m.BaseURL + "/email-bevestigen?t=" + tok, nil
}

type confirmWorker struct {
	river.WorkerDefaults[ConfirmArgs]
	m *Mailer
}

// Work mails a link for the address the account has now. A confirmed or
// deleted account gets nothing. The delivery key is the job's, so a retry
// sends nothing twice while asking again (a new job) mails again; the
// advisory lock keeps a rescued job from sending next to the original.
func (w *confirmWorker) Work(ctx context.Context, job *river.Job[ConfirmArgs]) error {
	key := "c-" + strconv.FormatInt(job.ID, 10)
	return pgx.BeginFunc(ctx, w.m.DB, func(tx pgx.Tx) error {
		r, err := lockRecipient(ctx, tx, key, job.Args.AccountID)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && r.Confirmed) {
			return complete(ctx, tx, job)
		}
		if err != nil {
			return err
		}
		msg, err := w.m.confirmation(ctx, r, key)
		if err != nil {
			return err
		}
		return w.m.deliver(ctx, tx, key, msg, nil, jobOf[ConfirmArgs]{job})
	})
}

// confirmation builds the mail with the confirmation link.
func (m *Mailer) confirmation(ctx context.Context, r recipient, key string) (mail.Message, error) {
	link, err := m.ConfirmURL(ctx, r.ID, r.Email)
	if err != nil {
		return mail.Message{}, err
	}
	greeting := fmt.Sprintf(msgGreeting, r.Name)
	text := fmt.Sprintf("%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n-- \n%s\n",
		greeting, msgConfirmIntro, link, msgConfirmValid, msgConfirmWhy, msgConfirmNotYou, msgSignature)
	var html strings.Builder
	err = confirmHTML.Execute(&html, map[string]string{
		"Title": msgConfirmSubject, "Greeting": greeting, "Intro": msgConfirmIntro, "Link": link, "Button": msgConfirmButton,
		"Valid": msgConfirmValid, "Why": msgConfirmWhy, "NotYou": msgConfirmNotYou, "Signature": msgSignature,
	})
	if err != nil {
		return mail.Message{}, fmt.Errorf("notify: confirmation html: %w", err)
	}
	return mail.Message{To: r.Email, Subject: msgConfirmSubject, Body: text, HTML: html.String(), ID: key}, nil
}

// confirmHTML is the HTML part of the confirmation mail, in the style of
// mailHTML: one column, a real link text, inline styles with enough contrast.
// The link is also written out, for mail programs that hide links.
var confirmHTML = template.Must(template.New("confirm").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<main style="max-width:600px;margin:0 auto">
<h1 style="font-size:22px;color:#0b5c4b;margin:0 0 16px">{{.Title}}</h1>
<p>{{.Greeting}}</p>
<p>{{.Intro}}</p>
<p><a href="{{.Link}}" style="display:inline-block;padding:10px 16px;background:#0b5c4b;color:#ffffff;text-decoration:underline;border-radius:4px">{{.Button}}</a></p>
<p style="font-size:14px;color:#4d4d4d;word-break:break-all">{{.Link}}</p>
<p>{{.Valid}}</p>
<p>{{.Why}}</p>
<hr style="border:0;border-top:1px solid #cccccc;margin:24px 0">
<footer style="font-size:14px;color:#4d4d4d">
<p>{{.NotYou}}</p>
<p>{{.Signature}}</p>
</footer>
</main></body></html>
`))
