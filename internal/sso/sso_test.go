package sso_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/sso"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// platform is the whole app with an administrator and an organisation,
// and a secret key so that client secrets are sealed at rest.
type platform struct {
	*testkit.Server
	admin *testkit.Client
	orgID int64
}

func newPlatform(t *testing.T, opts ...testkit.ServerOption) platform {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	opts = append(opts, func(c *config.Config) { c.SSOSecretKey = base64.StdEncoding.EncodeToString(key) })
	s := testkit.NewServer(t, opts...)
	var org int64
	if err := s.DB.QueryRow(context.Background(),
		`INSERT INTO organisations (name, kind) VALUES ('Welzijn Midden', 'welzijn') RETURNING id`).Scan(&org); err != nil {
		t.Fatal(err)
	}
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	return platform{Server: s, admin: s.Login(t, "beheer@example.nl"), orgID: org}
}

func (p platform) callbackURI() string { return p.Cfg.BaseURL + sso.CallbackPath }

// configure adds a provider through the admin form and returns its id.
func (p platform) configure(t *testing.T, issuer string, passwordLogin bool) int64 {
	t.Helper()
	form := url.Values{"eigenaar": {"organisatie-" + strconv.FormatInt(p.orgID, 10)}, "naam": {"Welzijn Midden"},
		"issuer": {issuer}, "client_id": {opClientID}, "client_secret": {opClientSecret}, "domeinen": {"welzijn.nl\n@Welzijn-Midden.nl"}}
	if passwordLogin {
		form.Set("wachtwoord", "ja")
	}
	res := p.admin.PostForm(sso.AdminPath+"/nieuw", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("configure: status %d: %s", res.StatusCode, res.Body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Location(), sso.AdminPath+"/"), 10, 64)
	if err != nil {
		t.Fatalf("configure: redirect to %q", res.Location())
	}
	return id
}

// signOn starts a sign-on with form, lets the provider log in and returns
// the callback URL the provider sent the browser back to.
func signOn(t *testing.T, c *testkit.Client, o *testOP, form url.Values) *url.URL {
	t.Helper()
	res := c.PostForm(sso.StartPath, form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), o.URL) {
		t.Fatalf("start: status %d, location %q: %s", res.StatusCode, res.Location(), res.Body)
	}
	auth, _ := url.Parse(res.Location())
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Fatalf("authorisation request without PKCE, nonce or state: %s", auth)
	}
	return o.follow(t, res.Location())
}

func callback(t *testing.T, c *testkit.Client, back *url.URL) testkit.Response {
	t.Helper()
	if back.Path != sso.CallbackPath {
		t.Fatalf("provider sent the browser to %s", back)
	}
	return c.Get(sso.CallbackPath + "?" + back.RawQuery)
}

func assertLoggedOut(t *testing.T, c *testkit.Client) {
	t.Helper()
	if res := c.Get("/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Fatalf("/account: status %d %q, want a redirect to the login page (not logged in)", res.StatusCode, res.Location())
	}
}

func TestSignOnLogsInTheExistingAccount(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	o := newTestOP(t, p.callbackURI(), nil)
	p.configure(t, o.URL, true)
	var stored string
	if err := p.DB.QueryRow(context.Background(), `SELECT client_secret FROM sso_providers`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "aesgcm:") || strings.Contains(stored, opClientSecret) {
		t.Fatalf("client secret stored as %q, want it sealed", stored)
	}
	acc := p.CreateUser(t, "wim@welzijn.nl", role.Worker)

	c := p.Client(t)
	if res := c.Get("/inloggen"); !strings.Contains(res.Body, `href="/inloggen/organisatie"`) {
		t.Fatal("login page has no link to the organisation sign-on")
	}
	back := signOn(t, c, o, url.Values{"email": {"wim@WELZIJN.nl"}, "volgende": {"/contacten"}})
	res := callback(t, c, back)
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/contacten" {
		t.Fatalf("callback: status %d %q, want 303 to /contacten: %s", res.StatusCode, res.Location(), res.Body)
	}
	if res := c.Get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "wim@welzijn.nl") {
		t.Fatalf("/account after sign-on: status %d", res.StatusCode)
	}
	var n int
	if err := p.DB.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'sso.login' AND actor_id = $1`, acc.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("sso.login audit entries: %d (%v), want 1", n, err)
	}

	// The same answer once more (a replay) logs nobody in.
	other := p.Client(t)
	if res := callback(t, other, back); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed callback: status %d, want 400", res.StatusCode)
	}
	assertLoggedOut(t, other)
}

func TestSignOnRefusals(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	o := newTestOP(t, p.callbackURI(), nil)
	providerID := p.configure(t, o.URL, true)
	p.CreateUser(t, "wim@welzijn.nl", role.Worker)
	byChoice := url.Values{"aanbieder": {strconv.FormatInt(providerID, 10)}}

	t.Run("tampered state", func(t *testing.T) {
		c := p.Client(t)
		o.As("wim")
		back := signOn(t, c, o, url.Values{"email": {"wim@welzijn.nl"}})
		q := back.Query()
		q.Set("state", q.Get("state")+"x")
		back.RawQuery = q.Encode()
		if res := callback(t, c, back); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "sso-problem") {
			t.Fatalf("tampered state: status %d", res.StatusCode)
		}
		assertLoggedOut(t, c)
	})
	t.Run("callback without a started sign-on", func(t *testing.T) {
		c := p.Client(t)
		if res := c.Get(sso.CallbackPath + "?state=x&code=y"); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", res.StatusCode)
		}
		assertLoggedOut(t, c)
	})
	t.Run("domain not allowed", func(t *testing.T) {
		c := p.Client(t)
		o.As("elders")
		res := callback(t, c, signOn(t, c, o, byChoice))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "hoort niet bij deze inlogdienst") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		assertLoggedOut(t, c)
	})
	t.Run("email not verified", func(t *testing.T) {
		c := p.Client(t)
		o.As("onbevestigd")
		res := callback(t, c, signOn(t, c, o, byChoice))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "niet bevestigd") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		assertLoggedOut(t, c)
	})
	t.Run("no account", func(t *testing.T) {
		c := p.Client(t)
		o.As("onbekend")
		res := callback(t, c, signOn(t, c, o, byChoice))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Er is nog geen account") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		assertLoggedOut(t, c)
		var n int
		if err := p.DB.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE email = 'nieuw@welzijn.nl'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("sign-on made an account (%d, %v)", n, err)
		}
	})
	t.Run("domain without a provider", func(t *testing.T) {
		c := p.Client(t)
		res := c.PostForm(sso.StartPath, url.Values{"email": {"iemand@elders.nl"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "geen eigen inlogdienst") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
	t.Run("code from another provider", func(t *testing.T) {
		// Same client id and secret at another OP: its code and ID token
		// are not the configured issuer's.
		other := newTestOP(t, p.callbackURI(), nil)
		c := p.Client(t)
		o.As("wim")
		res := c.PostForm(sso.StartPath, byChoice) // the flow is in the session now
		auth, _ := url.Parse(res.Location())
		q := auth.Query()
		otherAuth, _ := url.Parse(other.URL + "/authorize")
		otherAuth.RawQuery = q.Encode()
		foreign := other.follow(t, otherAuth.String())
		fq := foreign.Query()
		if fq.Get("code") == "" || fq.Get("state") != q.Get("state") {
			t.Fatalf("other provider's answer: %s", foreign)
		}
		if res := callback(t, c, foreign); res.StatusCode == http.StatusSeeOther {
			t.Fatalf("a code of another provider logged in")
		}
		assertLoggedOut(t, c)
	})
}

func TestSignOnRefusesTokensItCannotTrust(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		adjust func(*opStorage)
	}{
		{"expired id token", func(s *opStorage) { s.expired = true }},
		{"nonce mismatch", func(s *opStorage) { s.wrongNonce = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPlatform(t)
			o := newTestOP(t, p.callbackURI(), tc.adjust)
			p.configure(t, o.URL, true)
			p.CreateUser(t, "wim@welzijn.nl", role.Worker)
			c := p.Client(t)
			res := callback(t, c, signOn(t, c, o, url.Values{"email": {"wim@welzijn.nl"}}))
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "kon niet worden gecontroleerd") {
				t.Fatalf("status %d: %s", res.StatusCode, res.Body)
			}
			assertLoggedOut(t, c)
		})
	}
	t.Run("configured issuer differs", func(t *testing.T) {
		t.Parallel()
		p := newPlatform(t)
		o := newTestOP(t, p.callbackURI(), nil)
		p.configure(t, o.URL+"/", true) // the provider calls itself o.URL
		p.CreateUser(t, "wim@welzijn.nl", role.Worker)
		c := p.Client(t)
		res := c.PostForm(sso.StartPath, url.Values{"email": {"wim@welzijn.nl"}})
		if res.StatusCode != http.StatusBadGateway || !strings.Contains(res.Body, "niet bereiken") {
			t.Fatalf("status %d %q", res.StatusCode, res.Location())
		}
		assertLoggedOut(t, c)
	})
}

func TestPasswordLoginRefusedForSignOnDomain(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	p.configure(t, "https://login.welzijn.nl", false)
	p.CreateUser(t, "wim@welzijn.nl", role.Worker)
	p.CreateUser(t, "ans@elders.nl", role.Worker)

	try := func(email string) testkit.Response {
		return p.Client(t).PostForm("/inloggen", url.Values{"email": {email}, "password": {testkit.Password}})
	}
	withAccount := try("wim@welzijn.nl")
	if withAccount.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(withAccount.Body, "Inloggen met je organisatie") {
		t.Fatalf("password login in a sign-on domain: status %d", withAccount.StatusCode)
	}
	// No oracle: an address without an account hears exactly the same.
	without := try("niemand@welzijn.nl")
	if without.StatusCode != withAccount.StatusCode ||
		strings.ReplaceAll(without.Body, "niemand@welzijn.nl", "X") != strings.ReplaceAll(withAccount.Body, "wim@welzijn.nl", "X") {
		t.Fatal("the answer differs for an address with and without an account")
	}
	if res := try("ans@elders.nl"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("password login in another domain: status %d", res.StatusCode)
	}
}

func TestAdminPages(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	p.CreateUser(t, "werker@example.nl", role.Worker, role.Officer)
	worker := p.Login(t, "werker@example.nl")
	for _, path := range []string{sso.AdminPath, sso.AdminPath + "/nieuw"} {
		if res := worker.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as worker/officer: status %d, want 403", path, res.StatusCode)
		}
	}
	if res := worker.PostForm(sso.AdminPath+"/nieuw", url.Values{"naam": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST as worker/officer: status %d, want 403", res.StatusCode)
	}
	if n := providers(t, p); n != 0 {
		t.Fatalf("%d providers after refused posts", n)
	}

	id := p.configure(t, "https://login.welzijn.nl", true)
	edit := sso.AdminPath + "/" + strconv.FormatInt(id, 10)
	res := p.admin.Get(edit)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, opClientSecret) || !strings.Contains(res.Body, "ingesteld") {
		t.Fatalf("edit page: status %d; the secret must not be shown, only that it is set", res.StatusCode)
	}
	if res := p.admin.Get(sso.AdminPath); !strings.Contains(res.Body, "welzijn.nl") || !strings.Contains(res.Body, p.callbackURI()) {
		t.Fatal("list misses the domains or the redirect URI")
	}
	// Editing without a new secret keeps the old one; an env reference is
	// kept as it is; another variable than SSO_SECRET_* is refused.
	form := url.Values{"eigenaar": {"organisatie-" + strconv.FormatInt(p.orgID, 10)}, "naam": {"Welzijn Midden"},
		"issuer": {"https://login.welzijn.nl"}, "client_id": {"buurtkracht"}, "domeinen": {"welzijn.nl"}}
	if res := p.admin.PostForm(edit, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit without secret: status %d", res.StatusCode)
	}
	form.Set("client_secret", "env:DATABASE_URL")
	if res := p.admin.PostForm(edit, form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("env:DATABASE_URL: status %d, want 422", res.StatusCode)
	}
	form.Set("client_secret", "env:SSO_SECRET_WELZIJN")
	if res := p.admin.PostForm(edit, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("env reference: status %d", res.StatusCode)
	}
	// A domain of another provider is refused.
	other := url.Values{"eigenaar": {"organisatie-" + strconv.FormatInt(p.orgID, 10)}, "naam": {"Dubbel"},
		"issuer": {"https://login.dubbel.nl"}, "client_id": {"x"}, "client_secret": {"env:SSO_SECRET_X"}, "domeinen": {"welzijn.nl"}}
	if res := p.admin.PostForm(sso.AdminPath+"/nieuw", other); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("taken domain: status %d, want 422", res.StatusCode)
	}
	if res := p.admin.PostForm(edit+"/verwijderen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: status %d", res.StatusCode)
	}
	var actions []string
	rows, err := p.DB.Query(context.Background(), `SELECT action FROM audit_log WHERE subject_type = 'sso_provider' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		actions = append(actions, a)
	}
	if got := strings.Join(actions, ","); got != "sso.create,sso.update,sso.update,sso.delete" {
		t.Fatalf("audit trail %q", got)
	}
}

func TestPlainSecretNeedsAKey(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	admin := s.Login(t, "beheer@example.nl")
	var gm int64
	if err := s.DB.QueryRow(context.Background(),
		`INSERT INTO municipalities (code, name) VALUES ('GM0344', 'Utrecht') RETURNING id`).Scan(&gm); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"eigenaar": {"gemeente-" + strconv.FormatInt(gm, 10)}, "naam": {"Gemeente Utrecht"},
		"issuer": {"https://login.utrecht.nl"}, "client_id": {"bk"}, "client_secret": {"platte-tekst"}, "domeinen": {"utrecht.nl"}}
	res := admin.PostForm(sso.AdminPath+"/nieuw", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "SSO_SECRET_KEY") {
		t.Fatalf("plain secret without a key: status %d", res.StatusCode)
	}
	form.Set("client_secret", "env:SSO_SECRET_GEMEENTE_UTRECHT")
	if res := admin.PostForm(sso.AdminPath+"/nieuw", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("env reference without a key: status %d: %s", res.StatusCode, res.Body)
	}
}

func providers(t *testing.T, p platform) int {
	t.Helper()
	var n int
	if err := p.DB.QueryRow(context.Background(), `SELECT count(*) FROM sso_providers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMFAAsserted(t *testing.T) {
	t.Parallel()
	for amr, want := range map[string]bool{"pwd": false, "": false, "pwd mfa": true, "otp": true, "HWK": true, "swk pwd": true, "sms": false} {
		if got := sso.MFAAsserted(strings.Fields(amr)); got != want {
			t.Errorf("MFAAsserted(%q) = %v, want %v", amr, got, want)
		}
	}
}

// An officer must use a second factor (REQUIRE_2FA_ROLES). Through a
// provider the administrators trust to ask for one, a token whose amr says
// it did lets the officer in without the platform's own; without that
// claim, or from a provider not trusted, the platform's enrolment follows.
func TestSignOnSecondFactorOfTheProvider(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		trust     bool
		amrMFA    bool
		wantInner bool // /account opens at once (else: sent to set up the platform's second factor)
	}{
		{"trusted provider asserting mfa", true, true, true},
		{"trusted provider without mfa", true, false, false},
		{"untrusted provider asserting mfa", false, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPlatform(t, func(c *config.Config) { c.Require2FARoles = []role.Role{role.Officer} })
			o := newTestOP(t, p.callbackURI(), func(s *opStorage) { s.mfa = tc.amrMFA })
			id := p.configure(t, o.URL, true)
			if tc.trust {
				if _, err := p.DB.Exec(context.Background(), `UPDATE sso_providers SET trust_mfa = true WHERE id = $1`, id); err != nil {
					t.Fatal(err)
				}
			}
			p.CreateUser(t, "wim@welzijn.nl", role.Officer)
			c := p.Client(t)
			o.As("wim")
			res := callback(t, c, signOn(t, c, o, url.Values{"email": {"wim@welzijn.nl"}}))
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("callback: status %d: %s", res.StatusCode, res.Body)
			}
			page := c.Get("/account")
			switch {
			case tc.wantInner && page.StatusCode != http.StatusOK:
				t.Fatalf("/account: status %d %q, want 200", page.StatusCode, page.Location())
			case !tc.wantInner && (page.StatusCode != http.StatusSeeOther || page.Location() != mfa.SettingsPath) &&
				!strings.Contains(page.Body, "tweede-stap"):
				t.Fatalf("/account: status %d %q, want the second factor first", page.StatusCode, page.Location())
			}
		})
	}
}
