package mail

import (
	"bufio"
	"context"
	"io"
	"mime"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// received is what the test SMTP server got in one session.
type received struct {
	helo       string
	from       string
	mailParams string
	rcpt       []string
	data       string
	commands   []string
}

// smtpServer is a tiny SMTP server for one test: it speaks just enough of
// RFC 5321 (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for net/smtp, offers
// neither STARTTLS nor AUTH, and refuses recipients at refuse.example.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	got  []received
	wg   sync.WaitGroup
	mute bool // accept connections but never greet
	done chan struct{}
}

func newSMTPServer(t *testing.T, mute bool) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, mute: mute, done: make(chan struct{}, 16)}
	s.wg.Go(s.serve)
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// sessions waits for n finished sessions (the client may return before the
// server has recorded its QUIT) and returns all of them.
func (s *smtpServer) sessions(t *testing.T, n int) []received {
	t.Helper()
	for range n {
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			t.Fatal("SMTP session did not finish")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *smtpServer) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() {
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
			if s.mute {
				_, _ = io.Copy(io.Discard, conn)
				return
			}
			r := s.session(textproto.NewConn(conn))
			s.mu.Lock()
			s.got = append(s.got, r)
			s.mu.Unlock()
			s.done <- struct{}{}
		})
	}
}

func (s *smtpServer) session(c *textproto.Conn) received {
	var r received
	reply := func(code int, msg string) { _ = c.PrintfLine("%d %s", code, msg) }
	reply(220, "test.local ESMTP ready")
	for {
		line, err := c.ReadLine()
		if err != nil {
			return r
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		r.commands = append(r.commands, verb)
		switch verb {
		case "EHLO":
			r.helo = arg
			_ = c.PrintfLine("250-test.local greets %s", arg)
			_ = c.PrintfLine("250 8BITMIME")
		case "HELO":
			r.helo = arg
			reply(250, "test.local")
		case "MAIL":
			addr, params := angle(arg)
			r.from, r.mailParams = addr, params
			reply(250, "OK")
		case "RCPT":
			to, _ := angle(arg)
			if strings.HasSuffix(to, "@refuse.example") {
				reply(550, "no such user")
				continue
			}
			r.rcpt = append(r.rcpt, to)
			reply(250, "OK")
		case "DATA":
			if r.from == "" || len(r.rcpt) == 0 {
				reply(503, "need MAIL and RCPT first")
				continue
			}
			reply(354, "end with <CRLF>.<CRLF>")
			b, err := io.ReadAll(c.DotReader()) // undoes dot-stuffing, normalises CRLF to LF
			if err != nil {
				return r
			}
			r.data = string(b)
			reply(250, "queued")
		case "RSET", "NOOP":
			reply(250, "OK")
		case "QUIT":
			reply(221, "bye")
			return r
		default:
			reply(502, "not implemented")
		}
	}
}

// angle splits "FROM:<a@b> BODY=8BITMIME" into the address and the parameters.
func angle(arg string) (string, string) {
	i, j := strings.Index(arg, "<"), strings.Index(arg, ">")
	if i < 0 || j < i {
		return "", ""
	}
	return arg[i+1 : j], strings.TrimSpace(arg[j+1:])
}

func TestSMTPSend(t *testing.T) {
	t.Parallel()
	srv := newSMTPServer(t, false)
	s := SMTP{Host: "127.0.0.1", Port: srv.port(), From: "Buurtkracht <noreply@buurtkracht.nl>"}
	msg := Message{
		To:      "anna@example.nl",
		Subject: "Nieuw wachtwoord – één keer geldig",
		Body:    "Hallo Anna,\n\nKlik op de link.\n.Een regel die met een punt begint.\nGroet, Zoë",
	}
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.sessions(t, 1)
	if len(got) != 1 {
		t.Fatalf("%d sessions, want 1", len(got))
	}
	r := got[0]
	if r.from != "noreply@buurtkracht.nl" {
		t.Errorf("envelope sender %q", r.from)
	}
	if r.mailParams != "BODY=8BITMIME" {
		t.Errorf("MAIL parameters %q: the 8-bit UTF-8 body must be announced", r.mailParams)
	}
	if len(r.rcpt) != 1 || r.rcpt[0] != "anna@example.nl" {
		t.Errorf("recipients %v", r.rcpt)
	}
	if want := []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}; strings.Join(r.commands, " ") != strings.Join(want, " ") {
		t.Errorf("commands %v, want %v", r.commands, want)
	}

	head, body, ok := strings.Cut(r.data, "\n\n")
	if !ok {
		t.Fatalf("no header/body separator in %q", r.data)
	}
	tp := textproto.NewReader(bufio.NewReader(strings.NewReader(head + "\n\n")))
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		t.Fatal(err)
	}
	if h.Get("From") != "Buurtkracht <noreply@buurtkracht.nl>" || h.Get("To") != "anna@example.nl" {
		t.Errorf("From %q, To %q", h.Get("From"), h.Get("To"))
	}
	raw := h.Get("Subject")
	for _, c := range raw {
		if c > 127 {
			t.Fatalf("subject header is not 7-bit: %q", raw)
		}
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil || subject != msg.Subject {
		t.Errorf("subject %q decodes to %q (%v), want %q", raw, subject, err, msg.Subject)
	}
	if ct := h.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if _, err := time.Parse(time.RFC1123Z, h.Get("Date")); err != nil {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if body != msg.Body+"\n" && body != msg.Body {
		t.Errorf("body arrived as %q, want %q", body, msg.Body)
	}
}

func TestSMTPSendRefusedRecipient(t *testing.T) {
	t.Parallel()
	srv := newSMTPServer(t, false)
	s := SMTP{Host: "127.0.0.1", Port: srv.port(), From: "noreply@buurtkracht.nl"}
	err := s.Send(context.Background(), Message{To: "weg@refuse.example", Subject: "x", Body: "x"})
	if err == nil || !strings.Contains(err.Error(), "RCPT TO") {
		t.Fatalf("refused recipient: err = %v", err)
	}
}

func TestSMTPSendTimesOut(t *testing.T) {
	t.Parallel()
	srv := newSMTPServer(t, true)
	s := SMTP{Host: "127.0.0.1", Port: srv.port(), From: "noreply@buurtkracht.nl"}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.Send(ctx, Message{To: "a@example.nl", Subject: "x", Body: "x"}); err == nil {
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
	s := SMTP{Host: "127.0.0.1", Port: port, From: "noreply@buurtkracht.nl"}
	if err := s.Send(context.Background(), Message{To: "a@example.nl", Subject: "x", Body: "x"}); err == nil || !strings.Contains(err.Error(), "dial") {
		t.Fatalf("closed port: err = %v", err)
	}
}
