package mfa_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var (
	secretPattern   = regexp.MustCompile(`data-testid="totp-secret">([A-Z2-7 ]+)<`)
	recoveryPattern = regexp.MustCompile(`<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code></li>`)
)

// enrolled is what enrolment left: the secret, the code that confirmed it
// and the recovery codes shown.
type enrolled struct {
	secret   string
	first    string
	recovery []string
}

// enrol sets up TOTP for the logged-in client c, as a person with an app would.
func enrol(t *testing.T, c *testkit.Client) enrolled {
	t.Helper()
	page := c.Get(mfa.SetupPath)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("setup page: %d %s", page.StatusCode, page.Location())
	}
	m := secretPattern.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no secret on the setup page:\n%s", page.Body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if qr := c.Get(mfa.QRPath); qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.Body, "\x89PNG") {
		t.Fatalf("QR code: %d %s", qr.StatusCode, qr.Header.Get("Content-Type"))
	}
	if res := c.PostForm(mfa.SetupPath, url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Deze code klopt niet") {
		t.Fatalf("wrong first code: %d", res.StatusCode)
	}
	first := code(t, secret, time.Now())
	if res := c.PostForm(mfa.SetupPath, url.Values{"code": {first}}); res.StatusCode != http.StatusSeeOther || res.Location() != mfa.SettingsPath {
		t.Fatalf("confirm: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	settings := c.Get(mfa.SettingsPath)
	var codes []string
	for _, m := range recoveryPattern.FindAllStringSubmatch(settings.Body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != mfa.RecoveryCodeCount || !strings.Contains(settings.Body, "Aan sinds") {
		t.Fatalf("after enrolment: %d recovery codes shown\n%s", len(codes), settings.Body)
	}
	if again := c.Get(mfa.SettingsPath); recoveryPattern.MatchString(again.Body) {
		t.Fatal("recovery codes shown a second time")
	}
	return enrolled{secret: secret, first: first, recovery: codes}
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := mfa.Code(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// nextCode is a code of the step after the current one: accepted (the
// phone's clock may run ahead) and always later than a code used just now.
func nextCode(t *testing.T, secret string) string {
	return code(t, secret, time.Now().Add(30*time.Second))
}

// password logs in with the password only and expects the second step.
func password(t *testing.T, s *testkit.Server, email string) *testkit.Client {
	t.Helper()
	c := s.Client(t)
	res := c.PostForm("/inloggen", url.Values{"email": {email}, "password": {testkit.Password}, "volgende": {"/meldingen"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != mfa.SecondStepPath {
		t.Fatalf("login %s: %d %s", email, res.StatusCode, res.Location())
	}
	return c
}

func countAudit(t *testing.T, s *testkit.Server, action string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSecondStep(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "anna@example.nl")
	e := enrol(t, s.Login(t, "anna@example.nl"))
	if countAudit(t, s, "mfa.enable") != 1 {
		t.Error("enrolment not audited")
	}

	c := password(t, s, "anna@example.nl")
	// Identified, not logged in: every other page sees an anonymous visitor.
	if res := c.Get("/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Fatalf("/account while waiting for the code: %d %s", res.StatusCode, res.Location())
	}
	if res := c.Get(mfa.SecondStepPath); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="code"`) {
		t.Fatalf("second step page: %d", res.StatusCode)
	}
	res := c.PostForm(mfa.SecondStepPath, url.Values{"code": {"000000"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Deze code klopt niet") {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	// The code that confirmed the enrolment was used: it never works again.
	res = c.PostForm(mfa.SecondStepPath, url.Values{"code": {e.first}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "al gebruikt") {
		t.Fatalf("reused enrolment code: %d", res.StatusCode)
	}
	login := nextCode(t, e.secret)
	res = c.PostForm(mfa.SecondStepPath, url.Values{"code": {login}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/meldingen" {
		t.Fatalf("right code: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	if res := c.Get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Aan sinds") {
		t.Fatalf("/account after the second step: %d", res.StatusCode)
	}

	// The same code in another browser within its window: refused.
	other := password(t, s, "anna@example.nl")
	if res := other.PostForm(mfa.SecondStepPath, url.Values{"code": {login}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("reused login code: %d", res.StatusCode)
	}
	// A recovery code works once, in any spelling.
	rc := strings.ToUpper(strings.ReplaceAll(e.recovery[3], "-", " "))
	if res := other.PostForm(mfa.SecondStepPath, url.Values{"code": {rc}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d\n%s", res.StatusCode, res.Body)
	}
	third := password(t, s, "anna@example.nl")
	if res := third.PostForm(mfa.SecondStepPath, url.Values{"code": {e.recovery[3]}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "al gebruikt") {
		t.Fatalf("recovery code used twice: %d", res.StatusCode)
	}
	if n := countAudit(t, s, "mfa.failure"); n != 4 {
		t.Errorf("%d failures audited, want 4", n)
	}
	var leaked int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE detail LIKE '%' || $1 || '%' OR detail LIKE '%' || $2 || '%'`,
		e.first, e.recovery[3]).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("codes in the audit trail: %d %v", leaked, err)
	}
	// The data download says two-factor is on, and holds no secret or code.
	export := c.Get("/account/gegevens.json").Body
	if !strings.Contains(export, `"enabled": true`) || !strings.Contains(export, `"device": "Onbekend apparaat"`) ||
		strings.Contains(export, e.secret) || strings.Contains(export, e.recovery[0]) {
		t.Errorf("export: two_factor or sessions wrong, or a secret in it")
	}
	// The secret is stored sealed.
	var sealed []byte
	if err := s.DB.QueryRow(t.Context(), `SELECT secret_sealed FROM mfa_totp`).Scan(&sealed); err != nil || strings.Contains(string(sealed), e.secret) {
		t.Errorf("secret stored in the clear (%v)", err)
	}
}

func TestSecondStepRateLimited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "bram@example.nl")
	e := enrol(t, s.Login(t, "bram@example.nl"))
	c := password(t, s, "bram@example.nl")
	for i := range 5 {
		if res := c.PostForm(mfa.SecondStepPath, url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	// A new password login does not reset the count: it is per account.
	c = password(t, s, "bram@example.nl")
	res := c.PostForm(mfa.SecondStepPath, url.Values{"code": {nextCode(t, e.secret)}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "Te veel verkeerde codes") {
		t.Fatalf("after 5 wrong codes: %d", res.StatusCode)
	}
}

func TestNoPendingLogin(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	if res := c.Get(mfa.SecondStepPath); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Er wacht geen inlogpoging") {
		t.Fatalf("second step without a login: %d", res.StatusCode)
	}
	if res := c.PostForm(mfa.SecondStepPath, url.Values{"code": {"123456"}}); res.StatusCode != http.StatusGone {
		t.Fatalf("code without a login: %d", res.StatusCode)
	}
	// Without a second factor the password is enough.
	s.CreateUser(t, "cor@example.nl")
	if res := s.Login(t, "cor@example.nl").Get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Tweestapsverificatie") {
		t.Fatalf("account page: %d", res.StatusCode)
	}
}

func requireOfficers(c *config.Config) { c.Require2FARoles = []role.Role{role.Officer, role.Admin} }

func TestRequiredRoleMustEnrol(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, requireOfficers)
	s.CreateUser(t, "gemeente@example.nl", role.Resident, role.Officer)
	c := s.Login(t, "gemeente@example.nl")
	for _, path := range []string{"/overzicht", "/account", "/", "/aanvragen"} {
		if res := c.Get(path); res.StatusCode != http.StatusSeeOther || res.Location() != mfa.SettingsPath {
			t.Errorf("%s before enrolment: %d %s, want %s", path, res.StatusCode, res.Location(), mfa.SettingsPath)
		}
	}
	if res := c.Get(mfa.SettingsPath); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "verplicht") {
		t.Fatalf("settings page: %d", res.StatusCode)
	}
	e := enrol(t, c)
	if res := c.Get("/overzicht"); res.StatusCode == http.StatusSeeOther {
		t.Fatalf("/overzicht after enrolment: %d %s", res.StatusCode, res.Location())
	}
	// A required second factor cannot be turned off.
	res := c.PostForm(mfa.SettingsPath+"/uitzetten", url.Values{"off_password": {testkit.Password}, "off_code": {e.recovery[0]}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("turning a required factor off: %d", res.StatusCode)
	}
	// A resident is not held.
	s.CreateUser(t, "bewoner@example.nl")
	if res := s.Login(t, "bewoner@example.nl").Get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("resident: %d", res.StatusCode)
	}
}

func TestNewCodesAndDisable(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "dirk@example.nl")
	c := s.Login(t, "dirk@example.nl")
	e := enrol(t, c)

	if res := c.PostForm(mfa.SettingsPath+"/herstelcodes", url.Values{"codes_password": {"verkeerd-wachtwoord"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("new codes with a wrong password: %d", res.StatusCode)
	}
	if res := c.PostForm(mfa.SettingsPath+"/herstelcodes", url.Values{"codes_password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new codes: %d", res.StatusCode)
	}
	fresh := recoveryPattern.FindAllStringSubmatch(c.Get(mfa.SettingsPath).Body, -1)
	if len(fresh) != mfa.RecoveryCodeCount || countAudit(t, s, "mfa.recovery_codes") != 1 {
		t.Fatalf("%d new codes shown", len(fresh))
	}
	// An old code no longer turns it off; a wrong password neither.
	res := c.PostForm(mfa.SettingsPath+"/uitzetten", url.Values{"off_password": {testkit.Password}, "off_code": {e.recovery[0]}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "herstelcode klopt niet") {
		t.Fatalf("old recovery code: %d", res.StatusCode)
	}
	res = c.PostForm(mfa.SettingsPath+"/uitzetten", url.Values{"off_password": {"verkeerd-wachtwoord"}, "off_code": {fresh[0][1]}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "wachtwoord klopt niet") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res = c.PostForm(mfa.SettingsPath+"/uitzetten", url.Values{"off_password": {testkit.Password}, "off_code": {nextCode(t, e.secret)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d\n%s", res.StatusCode, res.Body)
	}
	if countAudit(t, s, "mfa.disable") != 1 {
		t.Error("disabling not audited")
	}
	var left int
	if err := s.DB.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM mfa_totp) + (SELECT count(*) FROM mfa_recovery_codes)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows left after disabling (%v)", left, err)
	}
	// The password alone logs in again.
	s.Login(t, "dirk@example.nl")
}

func TestSessions(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "eva@example.nl")
	s.CreateUser(t, "fien@example.nl")
	laptop := s.Login(t, "eva@example.nl")
	laptop.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	phone := s.Login(t, "eva@example.nl")
	phone.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36")
	tablet := s.Login(t, "eva@example.nl")
	stranger := s.Login(t, "fien@example.nl")
	for _, c := range []*testkit.Client{laptop, phone, tablet, stranger} {
		if res := c.Get("/account"); res.StatusCode != http.StatusOK {
			t.Fatalf("account: %d", res.StatusCode)
		}
	}
	page := laptop.Get(mfa.SessionsPath)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("sessions: %d", page.StatusCode)
	}
	for _, want := range []string{"Firefox op Linux", "Chrome op Android", "127.0.0.x", `data-testid="this-session"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("sessions page lacks %q", want)
		}
	}
	if n := strings.Count(page.Body, `data-testid="session"`); n != 3 {
		t.Fatalf("%d sessions listed, want 3", n)
	}
	var phoneID, fienID int64
	if err := s.DB.QueryRow(t.Context(), `SELECT id FROM session_meta WHERE device = 'Chrome op Android'`).Scan(&phoneID); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.QueryRow(t.Context(), `SELECT m.id FROM session_meta m JOIN accounts a ON a.id = m.account_id WHERE a.email = 'fien@example.nl'`).Scan(&fienID); err != nil {
		t.Fatal(err)
	}
	// Someone else's session is not hers to end.
	if res := laptop.PostForm(mfa.SessionsPath+"/"+itoa(fienID)+"/beeindigen", nil); res.StatusCode != http.StatusSeeOther ||
		!strings.Contains(laptop.Get(mfa.SessionsPath).Body, "bestaat niet meer") {
		t.Fatalf("ending another person's session: %d", res.StatusCode)
	}
	if res := stranger.Get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("the other person was logged out: %d", res.StatusCode)
	}
	// Ending the phone's session logs the phone out at its next request.
	if res := laptop.PostForm(mfa.SessionsPath+"/"+itoa(phoneID)+"/beeindigen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end session: %d", res.StatusCode)
	}
	if res := phone.Get("/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Fatalf("phone after its session was ended: %d %s", res.StatusCode, res.Location())
	}
	if res := tablet.Get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("tablet: %d", res.StatusCode)
	}
	// All others: the tablet goes, the laptop stays.
	if res := laptop.PostForm(mfa.SessionsPath+"/andere-beeindigen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end others: %d", res.StatusCode)
	}
	if res := tablet.Get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("tablet after ending all others: %d", res.StatusCode)
	}
	after := laptop.Get(mfa.SessionsPath)
	if after.StatusCode != http.StatusOK || strings.Count(after.Body, `data-testid="session"`) != 1 || !strings.Contains(after.Body, "1 andere sessie is beëindigd") {
		t.Fatalf("laptop after ending others: %d\n%s", after.StatusCode, after.Body)
	}
	if res := stranger.Get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("the other person was logged out: %d", res.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
