package notify

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Notification is one notification as pages and mails show it.
type Notification struct {
	ID        int64
	Category  Category
	Link      string
	Text      string
	CreatedAt time.Time
}

type recipient struct {
	ID        int64
	Email     string
	Name      string
	Confirmed bool
}

// Unsubscribe links stay valid this long.
const unsubscribeValid = 365 * 24 * time.Hour

// UnsubscribeURL returns the one-click link that stops mail of category c
// (or, with c empty, every category in mode) for account.
func (m *Mailer) UnsubscribeURL(ctx context.Context, account int64, c Category, mode Mode) (string, error) {
	payload := strconv.FormatInt(account, 10) + ":" + string(c)
	if c == "" {
		payload += ":" + string(mode)
	}
	tok, err := m.Signer.Sign(ctx, purposeUnsubscribe, payload, m.now().Add(unsubscribeValid))
	if err != nil {
		return "", err
	}
	return m.BaseURL + "/afmelden?t=" + tok, nil
}

const purposeUnsubscribe = "unsubscribe"

// single builds the mail for one notification.
func (m *Mailer) single(ctx context.Context, r recipient, n Notification, key string) (mail.Message, error) {
	unsub, err := m.UnsubscribeURL(ctx, r.ID, n.Category, "")
	if err != nil {
		return mail.Message{}, err
	}
	link := m.BaseURL + n.Link
	settings := m.BaseURL + "/account/meldingen"
	why := fmt.Sprintf(msgWhyDirect, n.Category.Label(), strings.ToLower(Direct.Label()))
	var text strings.Builder
	fmt.Fprintf(&text, msgGreeting+"\n\n%s\n\n%s: %s\n\n-- \n%s\n%s: %s\n%s: %s\n\n%s\n",
		r.Name, n.Text, msgOpen, link, why, msgChange, settings,
		fmt.Sprintf(msgUnsubscribe, n.Category.Label()), unsub, msgSignature)
	html, err := render(mailPage{
		Title: mailSubjects[n.Category], Greeting: fmt.Sprintf(msgGreeting, r.Name),
		Items: []mailItem{{Text: n.Text, Link: link, When: dutch.DateTime(n.CreatedAt)}},
		Open:  msgOpen, Why: why, Change: msgChange, Settings: settings,
		Unsubscribe: fmt.Sprintf(msgUnsubscribe, n.Category.Label()), UnsubscribeURL: unsub, Signature: msgSignature,
	})
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{To: r.Email, Subject: mailSubjects[n.Category], Body: text.String(), HTML: html,
		ID: key, Unsubscribe: unsub}, nil
}

// digest builds the mail that lists notes.
func (m *Mailer) digest(ctx context.Context, r recipient, mode Mode, notes []Notification, key string) (mail.Message, error) {
	unsub, err := m.UnsubscribeURL(ctx, r.ID, "", mode)
	if err != nil {
		return mail.Message{}, err
	}
	subject := msgDailySubject
	if mode == Weekly {
		subject = msgWeeklySubject
	}
	var cats []string
	items := make([]mailItem, len(notes))
	for i, n := range notes {
		if l := n.Category.Label(); !slices.Contains(cats, l) {
			cats = append(cats, l)
		}
		items[i] = mailItem{Text: n.Text, Link: m.BaseURL + n.Link, When: dutch.DateTime(n.CreatedAt), Category: n.Category.Label()}
	}
	settings := m.BaseURL + "/account/meldingen"
	why := fmt.Sprintf(msgWhyDigest, strings.ToLower(mode.Label())+" ("+strings.Join(cats, ", ")+")")
	intro := fmt.Sprintf(msgDigestIntro, len(notes))
	var text strings.Builder
	fmt.Fprintf(&text, msgGreeting+"\n\n%s\n\n", r.Name, intro)
	for _, it := range items {
		fmt.Fprintf(&text, "* %s (%s, %s)\n  %s\n\n", it.Text, it.Category, it.When, it.Link)
	}
	fmt.Fprintf(&text, "-- \n%s\n%s: %s\n%s: %s\n\n%s\n", why, msgChange, settings, msgUnsubscribeAll, unsub, msgSignature)
	html, err := render(mailPage{
		Title: subject, Greeting: fmt.Sprintf(msgGreeting, r.Name), Intro: intro, Items: items, Open: msgOpen,
		Why: why, Change: msgChange, Settings: settings, Unsubscribe: msgUnsubscribeAll, UnsubscribeURL: unsub, Signature: msgSignature,
	})
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{To: r.Email, Subject: subject, Body: text.String(), HTML: html, ID: key, Unsubscribe: unsub}, nil
}

type mailItem struct{ Text, Link, When, Category string }

type mailPage struct {
	Title, Greeting, Intro                 string
	Items                                  []mailItem
	Open, Why, Change, Settings, Signature string
	Unsubscribe, UnsubscribeURL            string
}

// mailHTML is the HTML part: one column, real headings and link texts, and
// colours with enough contrast; mail programs drop style sheets, so styles
// are inline and few.
var mailHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<main style="max-width:600px;margin:0 auto">
<h1 style="font-size:22px;color:#0b5c4b;margin:0 0 16px">{{.Title}}</h1>
<p>{{.Greeting}}</p>
{{if .Intro}}<p>{{.Intro}}</p>{{end}}
<ul style="padding-left:20px">
{{range .Items}}<li style="margin-bottom:12px"><p style="margin:0">{{.Text}}</p>
<p style="margin:0;color:#4d4d4d;font-size:14px">{{if .Category}}{{.Category}}, {{end}}{{.When}}</p>
<p style="margin:4px 0 0"><a href="{{.Link}}" style="color:#0b5c4b">{{$.Open}}</a></p></li>
{{end}}</ul>
<hr style="border:0;border-top:1px solid #cccccc;margin:24px 0">
<footer style="font-size:14px;color:#4d4d4d">
<p>{{.Why}}</p>
<p><a href="{{.Settings}}" style="color:#0b5c4b">{{.Change}}</a> · <a href="{{.UnsubscribeURL}}" style="color:#0b5c4b">{{.Unsubscribe}}</a></p>
<p>{{.Signature}}</p>
</footer>
</main></body></html>
`))

func render(p mailPage) (string, error) {
	var b strings.Builder
	if err := mailHTML.Execute(&b, p); err != nil {
		return "", fmt.Errorf("notify: mail html: %w", err)
	}
	return b.String(), nil
}
