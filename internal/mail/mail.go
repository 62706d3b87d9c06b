// Package mail sends the platform's e-mails (password reset, address
// confirmation, notifications and digests) over SMTP with go-mail, or writes
// them to the log in development when no SMTP server is set.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail: plain text, and HTML as an alternative when set.
type Message struct {
	To, Subject, Body string
	HTML              string // optional; sent as multipart/alternative next to Body
	// ID, when set, makes the Message-ID <ID@host of From>: a mail sent again
	// after a crash carries the same id, so mail programs can tell.
	ID string
	// Unsubscribe is an https URL that unsubscribes with one POST (RFC 8058);
	// it becomes the List-Unsubscribe and List-Unsubscribe-Post headers.
	Unsubscribe string
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// TLS policies of SMTP_TLS.
const (
	TLSNone          = "none"          // plain SMTP (Mailpit, a relay on localhost)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSStartTLS      = "starttls"      // STARTTLS required (the default)
	TLSImplicit      = "tls"           // TLS from the first byte (port 465)
)

// SMTP delivers over an SMTP server.
type SMTP struct {
	Host, Username, Password, From string
	Port                           int
	TLS                            string // one of the TLS* policies; empty means starttls
}

// Send delivers m. The context bounds the whole exchange.
func (s SMTP) Send(ctx context.Context, m Message) error {
	msg, err := Build(s.From, m)
	if err != nil {
		return err
	}
	// go-mail applies its timeout to the connection but not the context's
	// deadline to the server's greeting, so the deadline becomes the timeout.
	timeout := 30 * time.Second
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12})}
	switch s.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: client for %s: %w", s.Host, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s:%d: %w", s.Host, s.Port, err)
	}
	return nil
}

// Build turns m into a go-mail message from the address from.
func Build(from string, m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.ID != "" {
		domain := "buurtkracht.local"
		if at := strings.LastIndex(from, "@"); at >= 0 {
			domain = strings.TrimRight(from[at+1:], ">")
		}
		msg.SetMessageIDWithValue(m.ID + "@" + domain)
	} else {
		msg.SetMessageID()
	}
	if m.Unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// Log writes messages to the log instead of sending them. Only for
// development: config refuses production without SMTP_HOST.
type Log struct{ Logger *slog.Logger }

// Send logs m.
func (l Log) Send(ctx context.Context, m Message) error {
	l.Logger.InfoContext(ctx, "e-mail not sent (no SMTP_HOST set; development only)", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}
