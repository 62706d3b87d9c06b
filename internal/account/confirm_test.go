package account_test

import (
	"context"
	"crypto/sha256"
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

// register creates an account through the form and returns the browser
// that did, which is not logged in until the address is confirmed.
func register(t *testing.T, s *testkit.Server, email string) *testkit.Client {
	t.Helper()
	c := s.Client(t)
	res := c.PostForm("/registreren", url.Values{"email": {email}, "name": {"Nina"}, "password": {"paarse fiets op het dak"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/registreren/verstuurd" {
		t.Fatalf("register %s: %d to %q", email, res.StatusCode, res.Location())
	}
	return c
}

// legacySession returns a logged-in session of an account whose address is
// not confirmed. Registration no longer makes these (a new account logs in
// once confirmed), but sessions from before that change still exist.
func legacySession(t *testing.T, s *testkit.Server, email string) (*testkit.Client, account.Account) {
	t.Helper()
	acc := s.CreateUser(t, email)
	c := s.Login(t, email)
	if _, err := s.DB.Exec(t.Context(), `UPDATE accounts SET email_confirmed_at = NULL WHERE id = $1`, acc.ID); err != nil {
		t.Fatal(err)
	}
	return c, acc
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

// The whole path of a new resident: register, "check your e-mail", no
// login before confirming, the mail with the link (plain and HTML), the
// link confirming without a session, and the registering browser logged in
// by it, then allowed to post; confirming again is harmless.
func TestRegisterConfirmByMail(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	const email = "nina@example.nl"
	c := register(t, s, email)

	page := c.Get("/registreren/verstuurd")
	for _, want := range []string{`data-testid="check-mail"`, "We hebben een e-mail gestuurd naar <strong>" + email + "</strong>", "48 uur",
		`href="/wachtwoord-vergeten"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page after registering lacks %q", want)
		}
	}
	if confirmedAt(t, s, email) != nil {
		t.Fatal("a registered account starts confirmed")
	}
	// Not logged in; the password does not log in before the address is confirmed.
	if res := c.Get("/initiatieven/nieuw"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Fatalf("before confirming, /initiatieven/nieuw: %d to %q", res.StatusCode, res.Location())
	}
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {email}, "password": {"paarse fiets op het dak"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "nog niet bevestigd") {
		t.Fatalf("login before confirming: %d", res.StatusCode)
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
	link := linkIn(t, m)
	token := strings.TrimPrefix(link, "/email-bevestigen?t=")

	// The link works without a session; the GET only asks.
	anon := s.Client(t)
	res := anon.Get(link)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `action="/email-bevestigen"`) || strings.Contains(res.Body, email) {
		t.Fatalf("confirm page: %d\n%s", res.StatusCode, res.Body)
	}
	if confirmedAt(t, s, email) != nil {
		t.Fatal("a GET confirmed the address")
	}
	// Confirmed in the browser that registered: logged in, on to the account page.
	res = c.PostForm("/email-bevestigen", url.Values{"t": {token}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("confirm in the registering browser: %d to %q", res.StatusCode, res.Location())
	}
	at := confirmedAt(t, s, email)
	if at == nil {
		t.Fatal("not confirmed")
	}
	if page := c.Get("/account"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Je e-mailadres is bevestigd en je bent ingelogd.") ||
		strings.Contains(page.Body, "email-unconfirmed") || strings.Contains(page.Body, "nog niet bevestigd") {
		t.Fatalf("account page after confirming: %d", page.StatusCode)
	}
	// Another browser confirming again changes nothing and logs nobody in.
	res = anon.PostForm("/email-bevestigen", url.Values{"t": {token}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Je e-mailadres is bevestigd") || !strings.Contains(res.Body, `href="/inloggen"`) {
		t.Fatalf("confirm again elsewhere: %d\n%s", res.StatusCode, res.Body)
	}
	if res := anon.Get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Error("confirming in another browser logged it in")
	}
	if again := confirmedAt(t, s, email); !again.Equal(*at) {
		t.Errorf("confirmed_at moved from %v to %v", at, again)
	}
	if res := c.PostForm("/email-bevestigen", url.Values{"t": {token}}); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="/account"`) {
		t.Errorf("confirming again, logged in: %d", res.StatusCode)
	}

	// The session may post; the password logs in now.
	if res := c.Get("/initiatieven/nieuw"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Initiatief aanmelden") {
		t.Fatalf("confirmed on /initiatieven/nieuw: %d", res.StatusCode)
	}
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {email}, "password": {"paarse fiets op het dak"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after confirming: %d", res.StatusCode)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(smtp.Mails()); n != 1 {
		t.Errorf("%d mails, want 1", n)
	}
}

// Only the browser that registered logs in on confirming: a link followed
// elsewhere (or by someone who did not register the account) confirms the
// address and asks to log in with the password.
func TestConfirmLogsInOnlyTheRegisteringBrowser(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	signer := signedlink.New(s.DB)
	link := func(email string) string {
		acc, err := account.NewStore(s.DB).ByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := signer.Sign(ctx, notify.PurposeConfirm, notify.ConfirmPayload(acc.ID, acc.Email), time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	a := register(t, s, "a@example.nl")
	register(t, s, "b@example.nl")
	cases := []struct {
		name     string
		browser  *testkit.Client
		email    string
		loggedIn bool
	}{
		{"another browser", s.Client(t), "a@example.nl", false},
		{"the browser that registered another account", a, "b@example.nl", false},
		{"the browser that registered it", a, "a@example.nl", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.browser.PostForm("/email-bevestigen", url.Values{"t": {link(tc.email)}})
			if tc.loggedIn != (res.StatusCode == http.StatusSeeOther) {
				t.Fatalf("confirm: %d to %q, logged in %v wanted", res.StatusCode, res.Location(), tc.loggedIn)
			}
			page := tc.browser.Get("/account")
			if got := page.StatusCode == http.StatusOK; got != tc.loggedIn {
				t.Errorf("/account: %d, logged in %v wanted", page.StatusCode, tc.loggedIn)
			}
			if tc.loggedIn && !strings.Contains(page.Body, tc.email) {
				t.Errorf("logged in, but not as %s", tc.email)
			}
			if confirmedAt(t, s, tc.email) == nil {
				t.Error("not confirmed")
			}
		})
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

// Asking for a new mail (from a session of an unconfirmed account) queues
// one, five times an hour at most; the job holds only the account id, never
// the link.
func TestResendConfirmationRateLimited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t) // no job queue: the jobs wait in river_job
	c, acc := legacySession(t, s, "rie@example.nl")
	if res := c.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("resend: %d to %q", res.StatusCode, res.Location())
	}
	if page := c.Get("/account"); !strings.Contains(page.Body, "We hebben een nieuwe bevestigingsmail gestuurd naar rie@example.nl") {
		t.Error("no flash after asking again")
	}
	var args string
	if err := s.DB.QueryRow(t.Context(), `SELECT args::text FROM river_job WHERE kind = 'account_confirm_mail'`).Scan(&args); err != nil {
		t.Fatal(err)
	}
	if want := `{"account_id": ` + strconv.FormatInt(acc.ID, 10) + `}`; args != want {
		t.Errorf("job args %s, want %s", args, want)
	}
	for i := range 4 {
		if res := c.PostForm("/account/bevestiging-opnieuw", nil); res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
			t.Fatalf("resend %d: %d to %q", i+1, res.StatusCode, res.Location())
		}
	}
	res := c.PostForm("/account/bevestiging-opnieuw", nil)
	assertLimited(t, res, 3600, "Te veel bevestigingsmails in korte tijd.")
	if !strings.Contains(res.Body, "Je e-mailadres is nog niet bevestigd") {
		t.Error("the 429 page is not the account page")
	}
	if n := confirmJobs(t, s, acc.ID); n != 5 {
		t.Fatalf("%d confirmation jobs, want 5", n)
	}
	// The limit is per account: someone else may still ask.
	other, _ := legacySession(t, s, "ander@example.nl")
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

// A password reset proves the mailbox as the confirmation link does: an
// account whose link expired gets in that way.
func TestResetConfirmsAddress(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	register(t, s, "laat@example.nl")
	acc, err := account.NewStore(s.DB).ByEmail(t.Context(), "laat@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	const link = "herstel-link-van-een-laatkomer-met-verlopen-bevestiging"
	sum := sha256.Sum256([]byte(link))
	if err := account.NewStore(s.DB).CreateReset(t.Context(), acc.ID, sum[:], time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if res := s.Client(t).PostForm("/wachtwoord-herstellen", url.Values{"token": {link}, "password": {"heel nieuw wachtwoord"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if confirmedAt(t, s, "laat@example.nl") == nil {
		t.Fatal("a reset left the address unconfirmed")
	}
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {"laat@example.nl"}, "password": {"heel nieuw wachtwoord"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after the reset: %d", res.StatusCode)
	}
}
