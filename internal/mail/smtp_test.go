package mail_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
)

func TestSMTPSendMultipart(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	s := mail.SMTP{Host: srv.Host, Port: srv.Port, From: "Buurtkracht <noreply@buurtkracht.nl>", TLS: mail.TLSNone}
	msg := mail.Message{
		To:          "anna@example.nl",
		Subject:     "Nieuw wachtwoord – één keer geldig",
		Body:        "Hallo Anna,\n\nKlik op de link.\n.Een regel die met een punt begint.\nGroet, Zoë",
		HTML:        "<p>Hallo Anna,</p><p>Groet, Zoë</p>",
		ID:          "n-42",
		Unsubscribe: "https://buurtkracht.example/afmelden?t=abc",
	}
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.From != "noreply@buurtkracht.nl" || len(got.To) != 1 || got.To[0] != "anna@example.nl" {
		t.Errorf("envelope from %q to %v", got.From, got.To)
	}
	checks := map[string]string{
		"Message-Id":            "<n-42@buurtkracht.nl>",
		"List-Unsubscribe":      "<https://buurtkracht.example/afmelden?t=abc>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}
	for h, want := range checks {
		if g := got.Header.Get(h); g != want {
			t.Errorf("header %s = %q, want %q", h, g, want)
		}
	}
	if subj, _ := new(mimeDecoder).decode(got.Header.Get("Subject")); subj != msg.Subject {
		t.Errorf("subject %q, want %q", subj, msg.Subject)
	}
	if !strings.Contains(got.Text, ".Een regel die met een punt begint.") || !strings.Contains(got.Text, "Zoë") {
		t.Errorf("text part lost a line or an accent:\n%s", got.Text)
	}
	if !strings.Contains(got.HTML, "<p>Groet, Zoë</p>") {
		t.Errorf("html part: %q", got.HTML)
	}
}

func TestSMTPSendWithoutOptionalParts(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	s := mail.SMTP{Host: srv.Host, Port: srv.Port, From: "noreply@buurtkracht.nl", TLS: mail.TLSOpportunistic}
	if err := s.Send(context.Background(), mail.Message{To: "a@example.nl", Subject: "x", Body: "alleen tekst"}); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.HTML != "" || got.Header.Get("List-Unsubscribe") != "" || !strings.Contains(got.Text, "alleen tekst") {
		t.Errorf("plain mail: html %q, unsubscribe %q, text %q", got.HTML, got.Header.Get("List-Unsubscribe"), got.Text)
	}
}

// A server that answers with a temporary failure makes Send fail, so the job
// queue can retry.
func TestSMTPSendTemporaryFailure(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	srv.Fail(true)
	s := mail.SMTP{Host: srv.Host, Port: srv.Port, From: "noreply@buurtkracht.nl", TLS: mail.TLSNone}
	if err := s.Send(context.Background(), mail.Message{To: "a@example.nl", Subject: "x", Body: "x"}); err == nil {
		t.Fatal("451 from the server: no error")
	}
	if n := len(srv.Mails()); n != 0 {
		t.Fatalf("%d mails accepted", n)
	}
}

// The default policy demands STARTTLS; a server without it is refused, so a
// misconfigured production never sends mail in the clear.
func TestSMTPSendRequiresTLSByDefault(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	s := mail.SMTP{Host: srv.Host, Port: srv.Port, From: "noreply@buurtkracht.nl"}
	if err := s.Send(context.Background(), mail.Message{To: "a@example.nl", Subject: "x", Body: "x"}); err == nil {
		t.Fatal("plain server with the default policy: no error")
	}
	if n := len(srv.Mails()); n != 0 {
		t.Fatalf("%d mails accepted without TLS", n)
	}
}

func TestSMTPSendTimesOut(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept, never greet
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s := mail.SMTP{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, From: "noreply@buurtkracht.nl", TLS: mail.TLSNone}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.Send(ctx, mail.Message{To: "a@example.nl", Subject: "x", Body: "x"}); err == nil {
		t.Fatal("silent server: no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Send took %v despite a 200 ms deadline", d)
	}
}

func TestSMTPSendNoServer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := mail.SMTP{Host: "127.0.0.1", Port: port, From: "noreply@buurtkracht.nl", TLS: mail.TLSNone}
	if err := s.Send(context.Background(), mail.Message{To: "a@example.nl", Subject: "x", Body: "x"}); err == nil {
		t.Fatal("closed port: no error")
	}
}
