package account_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// assertLimited checks a 429 answer: Retry-After within (0, max] seconds and
// the Dutch notice on the page.
func assertLimited(t *testing.T, res testkit.Response, maxSeconds int, notice string) {
	t.Helper()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", res.StatusCode)
	}
	s, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || s < 1 || s > maxSeconds {
		t.Errorf("Retry-After %q, want 1..%d seconds", res.Header.Get("Retry-After"), maxSeconds)
	}
	if !strings.Contains(res.Body, notice) {
		t.Errorf("page lacks notice %q", notice)
	}
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, func(c *config.Config) { c.LoginLimitPerIP = 3 })
	s.CreateUser(t, "bea@example.nl")
	c := s.Client(t)
	for i := range 3 {
		res := c.PostForm("/inloggen", url.Values{"email": {"bea@example.nl"}, "password": {"fout-wachtwoord-" + strconv.Itoa(i)}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i+1, res.StatusCode)
		}
	}
	// The fourth attempt is refused even with the right password.
	res := c.PostForm("/inloggen", url.Values{"email": {"bea@example.nl"}, "password": {testkit.Password}})
	assertLimited(t, res, 15*60, "Te veel inlogpogingen in korte tijd. Probeer het over 15 minuten opnieuw.")
	if !strings.Contains(res.Body, `value="bea@example.nl"`) {
		t.Error("e-mail address not kept on the 429 page")
	}
	if strings.Contains(res.Body, "horen niet bij elkaar") {
		t.Error("429 page also shows the wrong-credentials message")
	}
	// Another visitor from the same address is limited too: the key is the IP.
	assertLimited(t, s.Client(t).PostForm("/inloggen", url.Values{"email": {"ander@example.nl"}, "password": {"x"}}), 15*60, "Te veel inlogpogingen")
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t) // 5 failed attempts per account per 15 minutes
	s.CreateUser(t, "cor@example.nl")
	s.CreateUser(t, "dirk@example.nl")
	c := s.Client(t)
	for i := range 5 {
		res := c.PostForm("/inloggen", url.Values{"email": {"cor@example.nl"}, "password": {"fout-wachtwoord"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "horen niet bij elkaar") {
			t.Fatalf("attempt %d: status %d", i+1, res.StatusCode)
		}
	}
	for _, email := range []string{"cor@example.nl", "COR@example.nl"} {
		res := s.Client(t).PostForm("/inloggen", url.Values{"email": {email}, "password": {testkit.Password}})
		assertLimited(t, res, 15*60, "Te veel mislukte inlogpogingen voor dit e-mailadres")
	}
	// Unknown addresses are limited the same way (no enumeration through the limit).
	for range 5 {
		c.PostForm("/inloggen", url.Values{"email": {"niemand@example.nl"}, "password": {"fout-wachtwoord"}})
	}
	assertLimited(t, c.PostForm("/inloggen", url.Values{"email": {"niemand@example.nl"}, "password": {"x"}}), 15*60, "Te veel mislukte")
	// Other accounts are not affected.
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {"dirk@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("other account: status %d", res.StatusCode)
	}
}

func TestSuccessfulLoginResetsFailureCount(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "eva@example.nl")
	c := s.Client(t)
	for range 4 {
		c.PostForm("/inloggen", url.Values{"email": {"eva@example.nl"}, "password": {"fout-wachtwoord"}})
	}
	s.Login(t, "eva@example.nl")
	for i := range 4 {
		if res := c.PostForm("/inloggen", url.Values{"email": {"eva@example.nl"}, "password": {"fout-wachtwoord"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d after a good login: status %d", i+1, res.StatusCode)
		}
	}
}

// Behind a trusted reverse proxy the login limit counts the forwarded client
// addresses; without one, X-Forwarded-For is ignored, so a client cannot
// dodge the limit by inventing addresses.
func TestLoginRateLimitBehindProxy(t *testing.T) {
	t.Parallel()
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	attempt := func(s *testkit.Server, from string) testkit.Response {
		req, err := http.NewRequest(http.MethodPost, s.URL+"/inloggen",
			strings.NewReader(url.Values{"email": {"bea@example.nl"}, "password": {"fout-wachtwoord"}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", from)
		return s.Client(t).Do(req)
	}
	tests := []struct {
		name    string
		proxies []netip.Prefix
		// status of a third attempt from a new forwarded address, after two
		// from 203.0.113.9 used up the limit of 2
		want int
	}{
		{"trusted proxy: another visitor may still try", loopback, http.StatusUnprocessableEntity},
		{"no trusted proxy: the header changes nothing", nil, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testkit.NewServer(t, func(c *config.Config) {
				c.LoginLimitPerIP, c.LoginLimitPerAccount, c.TrustedProxies = 2, 100, tt.proxies
			})
			for i := range 2 {
				if res := attempt(s, "203.0.113.9"); res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("attempt %d: status %d", i+1, res.StatusCode)
				}
			}
			if tt.proxies != nil {
				assertLimited(t, attempt(s, "203.0.113.9"), 15*60, "Te veel inlogpogingen")
			}
			if res := attempt(s, "198.51.100.4"); res.StatusCode != tt.want {
				t.Errorf("attempt from another address: status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}
