package account_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/signedlink"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// reConfirmLink finds the confirmation link in a mail (test BaseURL).
var reConfirmLink = regexp.MustCompile(`http://localhost:8080/email-bevestigen\?t=([A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]+)`)

// register creates an account through the form and returns the logged-in client.
func register(t *testing.T, s *testkit.Server, email string) *testkit.Client {
	t.Helper()
	c := s.Client(t)
	res := c.PostForm("/registreren", url.Values{"email": {email}, "name": {"Nina"}, "password": {"paarse fiets op het dak"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("register %s: %d to %q", email, res.StatusCode, res.Location())
	}
	return c
}

func confirmedAt(t *testing.T, s *testkit.Server, email string) *time.Time {
	t.Helper()
	var at *time.Time
	if err := s.DB.QueryRow(context.Background(), `SELECT email_confirmed_at FROM accounts WHERE email = $1`, email).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

func confirmJobs(t *testing.T, s *testkit.Server, id int64) int {
	t.Helper()
	var n int
	err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'account_confirm_mail' AND (args->>'account_id')::bigint = $1`, id).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// linkIn returns the path and query of the confirmation link in m, which
// must be in the plain text and the HTML part alike.
func linkIn(t *testing.T, m smtptest.Mail) string {
	t.Helper()
	text := reConfirmLink.FindString(m.Text)
	if text == "" {
		t.Fatalf("no confirmation link in the text part:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `href="`+text+`"`) {
		t.Fatalf("HTML part lacks a link to %s:\n%s", text, m.HTML)
	}
	return strings.TrimPrefix(text, "http://localhost:8080")
}

// The whole path of a new resident: register, blocked from posting with the
// reason, the mail with the link (plain and HTML), a second mail on request,
// confirm without a session, then allowed to post.
func TestRegisterConfirmByMail(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	const email = "nina@example.nl"
	c := register(t, s, email)

	page := c.Get("/account")
	for _, want := range []string{"We hebben je een e-mail gestuurd", `data-testid="email-unconfirmed"`, "Je e-mailadres is nog niet bevestigd",
		`action="/account/bevestiging-opnieuw"`, "(nog niet bevestigd)"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("account page after registering lacks %q", want)
		}
	}
	if confirmedAt(t, s, email) != nil {
		t.Fatal("a registered account starts confirmed")
	}
	res := c.Get("/initiatieven/nieuw")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Bevestig eerst je e-mailadres") ||
		!strings.Contains(res.Body, "Waarom?") || !strings.Contains(res.Body, email) || !strings.Contains(res.Body, `action="/account/bevestiging-opnieuw"`) {
		t.Fatalf("unconfirmed on /initiatieven/nieuw: %d\n%s", res.StatusCode, res.Body)
	}
	if res := c.PostForm("/initiatieven/nieuw", url.Values{"titel": {"Moestuin"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("unconfirmed POST /initiatieven/nieuw: %d", res.StatusCode)
	}

	mails := smtp.WaitFor(t, 1, 10*time.Second)
	m := mails[0]
	if len(m.To) != 1 || m.To[0] != email || m.Header.Get("Subject") == "" {
		t.Fatalf("mail to %v, subject %q", m.To, m.Header.Get("Subject"))
	}
	for _, want := range []string{"Hallo Nina,", "Bevestig je e-mailadres", "48 uur", "negeren"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `<html lang="nl">`) || !strings.Contains(m.HTML, "<h1") || !strings.Contains(m.HTML, ">E-mailadres bevestigen</a>") {
		t.Errorf("HTML part:\n%s", m.HTML)
	}
	if m.Header.Get("List-Unsubscribe") != "" {
		t.Error("a confirmation mail has an unsubscribe header")
	}
	first := linkIn(t, m)

	// Asking again sends a second mail with a link of its own.
	if res := c.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("resend: %d to %q", res.StatusCode, res.Location())
	}
	if page := c.Get("/account"); !strings.Contains(page.Body, "We hebben een nieuwe bevestigingsmail gestuurd naar "+email) {
		t.Error("no flash after asking again")
	}
	second := linkIn(t, smtp.WaitFor(t, 2, 10*time.Second)[1])

	// The link works without a session; the GET only asks.
	anon := s.Client(t)
	res = anon.Get(first)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `action="/email-bevestigen"`) || strings.Contains(res.Body, email) {
		t.Fatalf("confirm page: %d\n%s", res.StatusCode, res.Body)
	}
	if confirmedAt(t, s, email) != nil {
		t.Fatal("a GET confirmed the address")
	}
	token := strings.TrimPrefix(first, "/email-bevestigen?t=")
	res = anon.PostForm("/email-bevestigen", url.Values{"t": {token}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Je e-mailadres is bevestigd") || !strings.Contains(res.Body, `href="/inloggen"`) {
		t.Fatalf("confirm: %d\n%s", res.StatusCode, res.Body)
	}
	at := confirmedAt(t, s, email)
	if at == nil {
		t.Fatal("not confirmed")
	}
	// The other link still works and changes nothing; so does confirming twice.
	if res := anon.Get(second); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Je e-mailadres is bevestigd") {
		t.Errorf("second link after confirming: %d", res.StatusCode)
	}
	if res := c.PostForm("/email-bevestigen", url.Values{"t": {token}}); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="/account"`) {
		t.Errorf("confirming again, logged in: %d", res.StatusCode)
	}
	if again := confirmedAt(t, s, email); !again.Equal(*at) {
		t.Errorf("confirmed_at moved from %v to %v", at, again)
	}

	// The same session now may post, and sees no more notice.
	if res := c.Get("/initiatieven/nieuw"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Initiatief aanmelden") {
		t.Fatalf("confirmed on /initiatieven/nieuw: %d", res.StatusCode)
	}
	if res := c.PostForm("/initiatieven/nieuw", url.Values{}); res.StatusCode == http.StatusForbidden {
		t.Fatalf("confirmed POST /initiatieven/nieuw refused")
	}
	if page := c.Get("/account"); strings.Contains(page.Body, "email-unconfirmed") || strings.Contains(page.Body, "nog niet bevestigd") {
		t.Error("account page still says unconfirmed")
	}
	if res := c.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("resend when confirmed: %d", res.StatusCode)
	} else if page := c.Get("/account"); !strings.Contains(page.Body, "Je e-mailadres is al bevestigd.") {
		t.Error("no 'already confirmed' flash")
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(smtp.Mails()); n != 2 {
		t.Errorf("%d mails, want 2 (none after confirming)", n)
	}
	// Each mail went out once, under its own delivery key.
	var keys int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM mail_deliveries WHERE key LIKE 'c-%'`).Scan(&keys); err != nil || keys != 2 {
		t.Errorf("delivery keys %d (%v), want 2", keys, err)
	}
}

// Links that do not work get one clear Dutch page (404, or 410 when expired), never a 500, the
// same whether or not an account exists, and confirm nothing.
func TestConfirmLinkRefused(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	hash, err := account.HashPassword(testkit.Password)
	if err != nil {
		t.Fatal(err)
	}
	store := account.NewStore(s.DB)
	mk := func(email string) account.Account {
		a, err := store.Create(ctx, account.NewAccount{Email: email, DisplayName: "Bo", PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	bo, moved := mk("bo@example.nl"), mk("oud@example.nl")
	signer := signedlink.New(s.DB)
	sign := func(purpose, payload string, expires time.Time) string {
		tok, err := signer.Sign(ctx, purpose, payload, expires)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	later := time.Now().Add(time.Hour)
	valid := sign(notify.PurposeConfirm, notify.ConfirmPayload(bo.ID, bo.Email), later)
	parts := strings.Split(valid, ".")
	// The signature of bo's token on another account's payload.
	otherPayload := base64.RawURLEncoding.EncodeToString([]byte(notify.ConfirmPayload(moved.ID, moved.Email)))
	forMoved := sign(notify.PurposeConfirm, notify.ConfirmPayload(moved.ID, moved.Email), later)
	if _, err := s.DB.Exec(ctx, `UPDATE accounts SET email = 'nieuw@example.nl' WHERE id = $1`, moved.ID); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, token string
		expired     bool
	}{
		{"empty", "", false},
		{"garbage", "niet-een-token", false},
		{"other account's payload", otherPayload + "." + parts[1] + "." + parts[2], false},
		{"expiry moved", parts[0] + "." + strconv.FormatInt(time.Now().Add(1000*time.Hour).Unix(), 36) + "." + parts[2], false},
		{"signature cut", parts[0] + "." + parts[1] + "." + parts[2][:20], false},
		{"other purpose", sign("unsubscribe", notify.ConfirmPayload(bo.ID, bo.Email), later), false},
		{"old address", forMoved, false},
		{"no such account", sign(notify.PurposeConfirm, notify.ConfirmPayload(987654, "weg@example.nl"), later), false},
		{"malformed payload", sign(notify.PurposeConfirm, "abc", later), false},
		{"expired", sign(notify.PurposeConfirm, notify.ConfirmPayload(bo.ID, bo.Email), time.Now().Add(-time.Minute)), true},
	}
	anon := s.Client(t)
	var invalidPage string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, res := range []testkit.Response{
				anon.Get("/email-bevestigen?t=" + url.QueryEscape(tc.token)),
				anon.PostForm("/email-bevestigen", url.Values{"t": {tc.token}}),
			} {
				status := http.StatusNotFound
				if tc.expired {
					status = http.StatusGone
				}
				if res.StatusCode != status || !strings.Contains(res.Body, "Deze link werkt niet") {
					t.Fatalf("status %d, want %d with the Dutch page:\n%s", res.StatusCode, status, res.Body)
				}
				want := `data-testid="link-invalid"`
				if tc.expired {
					want = `data-testid="link-expired"`
				}
				if !strings.Contains(res.Body, want) {
					t.Errorf("page lacks %s", want)
				}
				if strings.Contains(res.Body, "@example.nl") {
					t.Error("page names an address")
				}
			}
		})
		if !tc.expired {
			body := anon.Get("/email-bevestigen?t=" + url.QueryEscape(tc.token)).Body
			if invalidPage == "" {
				invalidPage = body
			} else if body != invalidPage {
				t.Errorf("%s: the page differs from other refused links; it may tell whether an account exists", tc.name)
			}
		}
	}
	for _, email := range []string{"bo@example.nl", "nieuw@example.nl"} {
		if confirmedAt(t, s, email) != nil {
			t.Errorf("%s confirmed by a refused link", email)
		}
	}
	// The genuine link still works.
	if res := anon.PostForm("/email-bevestigen", url.Values{"t": {valid}}); res.StatusCode != http.StatusOK || confirmedAt(t, s, "bo@example.nl") == nil {
		t.Fatalf("valid link: %d", res.StatusCode)
	}
}

// Asking for a new mail queues one, five times an hour at most; the job
// holds only the account id, never the link.
func TestResendConfirmationRateLimited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t) // no job queue: the jobs wait in river_job
	c := register(t, s, "rie@example.nl")
	acc, err := account.NewStore(s.DB).ByEmail(t.Context(), "rie@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if n := confirmJobs(t, s, acc.ID); n != 1 {
		t.Fatalf("%d confirmation jobs after registering, want 1", n)
	}
	var args string
	if err := s.DB.QueryRow(t.Context(), `SELECT args::text FROM river_job WHERE kind = 'account_confirm_mail'`).Scan(&args); err != nil {
		t.Fatal(err)
	}
	if want := `{"account_id": ` + strconv.FormatInt(acc.ID, 10) + `}`; args != want {
		t.Errorf("job args %s, want %s", args, want)
	}
	for i := range 5 {
		if res := c.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
			t.Fatalf("resend %d: %d to %q", i+1, res.StatusCode, res.Location())
		}
	}
	res := c.PostForm("/account/bevestiging-opnieuw", nil)
	assertLimited(t, res, 3600, "Te veel bevestigingsmails in korte tijd.")
	if !strings.Contains(res.Body, "Je e-mailadres is nog niet bevestigd") {
		t.Error("the 429 page is not the account page")
	}
	if n := confirmJobs(t, s, acc.ID); n != 6 {
		t.Fatalf("%d confirmation jobs, want 6 (1 + 5 asked for)", n)
	}
	// The limit is per account: someone else may still ask.
	other := register(t, s, "ander@example.nl")
	if res := other.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("other account's resend: %d", res.StatusCode)
	}
	// A confirmed account queues nothing.
	s.CreateUser(t, "klaar@example.nl")
	done := s.Login(t, "klaar@example.nl")
	if res := done.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed resend: %d", res.StatusCode)
	}
	var n int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM river_job j JOIN accounts a ON a.id = (j.args->>'account_id')::bigint
		WHERE j.kind = 'account_confirm_mail' AND a.email = 'klaar@example.nl'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("confirmed account has %d confirmation jobs (%v)", n, err)
	}
	// Anonymous visitors are sent to log in.
	if res := s.Client(t).PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous resend: %d to %q", res.StatusCode, res.Location())
	}
}

// Accounts made by the test kit (like those of the CLI and the demo) are
// confirmed: they post without any mail.
func TestCreatedAccountsAreConfirmed(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "kit@example.nl")
	if confirmedAt(t, s, "kit@example.nl") == nil {
		t.Fatal("testkit account unconfirmed")
	}
	c := s.Login(t, "kit@example.nl")
	if res := c.Get("/initiatieven/nieuw"); res.StatusCode != http.StatusOK {
		t.Fatalf("testkit account on /initiatieven/nieuw: %d", res.StatusCode)
	}
	if page := c.Get("/account"); strings.Contains(page.Body, "email-unconfirmed") {
		t.Error("account page asks a confirmed account to confirm")
	}
}
