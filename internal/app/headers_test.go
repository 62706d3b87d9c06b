package app_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestOneCacheControl: every response carries at most one Cache-Control
// header, also those that set the session cookie (scs adds its own
// no-cache="Set-Cookie" to the no-store of the pages).
func TestOneCacheControl(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	personas := matrixPersonas(t, s)
	var anon, officer *testkit.Client
	for _, p := range personas {
		switch p.name {
		case "anoniem":
			anon = p.c
		case "gemeente":
			officer = p.c
		}
	}
	s.CreateUser(t, "lies@example.nl")
	login := func() testkit.Response {
		return s.Client(t).PostForm("/inloggen", url.Values{"email": {"lies@example.nl"}, "password": {testkit.Password}})
	}
	logout := func() testkit.Response { return s.Login(t, "lies@example.nl").PostForm("/uitloggen", nil) }
	head := func(path string) testkit.Response {
		req, err := http.NewRequest(http.MethodHead, s.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return anon.Do(req)
	}
	tests := []struct {
		name   string
		res    func() testkit.Response
		status int
		want   string
	}{
		{"page", func() testkit.Response { return anon.Get("/") }, 200, "no-store"},
		{"login sets the session cookie", login, 303, "no-store"},
		{"logout clears the session cookie", logout, 303, "no-store"},
		{"static file", func() testkit.Response { return anon.Get("/static/css/app.css") }, 200, "public, max-age=300"},
		{"csv export", func() testkit.Response { return officer.Get("/overzicht/export.csv") }, 200, "no-store"},
		{"error page", func() testkit.Response { return anon.Get("/bestaat-niet") }, 404, "no-store"},
		{"405 page", func() testkit.Response { return anon.PostForm("/over", nil) }, 405, "no-store"},
		{"healthz", func() testkit.Response { return anon.Get("/healthz") }, 200, "no-store"},
		{"healthz HEAD", func() testkit.Response { return head("/healthz") }, 200, "no-store"},
		{"api", func() testkit.Response { return anon.Get("/api/v1/initiatives/") }, 200, "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.res()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != tt.want {
				t.Errorf("Cache-Control %q, want one: %q", got, tt.want)
			}
		})
	}
}

// TestHSTSOnlyOverHTTPS: Strict-Transport-Security goes out on answers to
// requests that came over TLS, or through a trusted proxy that received
// them over HTTPS, and never on plain HTTP, whatever BASE_URL says.
func TestHSTSOnlyOverHTTPS(t *testing.T) {
	t.Parallel()
	httpsSite := func(c *config.Config) { c.BaseURL, c.SecureCookies = "https://buurt.example.nl", true }
	proxiedBy := func(prefix string) testkit.ServerOption {
		return func(c *config.Config) {
			httpsSite(c)
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix(prefix)}
		}
	}
	plainHTTPS := testkit.NewServer(t, httpsSite)
	trusted := testkit.NewServer(t, proxiedBy("127.0.0.0/8"))
	untrusted := testkit.NewServer(t, proxiedBy("10.0.0.0/8"))
	tls := testkit.NewHTTPSServer(t)
	tests := []struct {
		name  string
		c     *testkit.Client
		proto string // X-Forwarded-Proto sent
		hsts  bool
	}{
		{"https BASE_URL, plain HTTP request", plainHTTPS.Client(t), "", false},
		{"https BASE_URL, forwarded header from a client", plainHTTPS.Client(t), "https", false},
		{"trusted proxy, https", trusted.Client(t), "https", true},
		{"trusted proxy, appended values end in https", trusted.Client(t), "http, https", true},
		{"trusted proxy, http", trusted.Client(t), "http", false},
		{"trusted proxy, no header", trusted.Client(t), "", false},
		{"trusted proxy, client wrote https left of the proxy's http", trusted.Client(t), "https, http", false},
		{"untrusted peer, https", untrusted.Client(t), "https", false},
		{"TLS", tls.Client(t), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.proto != "" {
				tt.c.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			for _, path := range []string{"/", "/bestaat-niet", "/healthz", "/static/css/app.css"} {
				got := tt.c.Get(path).Header.Get("Strict-Transport-Security")
				if tt.hsts && !strings.HasPrefix(got, "max-age=63072000") {
					t.Errorf("GET %s: Strict-Transport-Security %q, want it", path, got)
				}
				if !tt.hsts && got != "" {
					t.Errorf("GET %s: Strict-Transport-Security %q over plain HTTP", path, got)
				}
			}
		})
	}
}

// TestCrossOriginSchemeRefused: for browsers without Sec-Fetch-Site, the
// Origin check compares the scheme too, so a page on http://our-host cannot
// post to https://our-host (and the other way round).
func TestCrossOriginSchemeRefused(t *testing.T) {
	t.Parallel()
	plain := testkit.NewServer(t)
	behindProxy := testkit.NewServer(t, func(c *config.Config) { c.BaseURL, c.SecureCookies = "https://buurt.example.nl", true })
	trusted := testkit.NewServer(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	tls := testkit.NewHTTPSServer(t)
	host := func(s *testkit.Server) string { u, _ := url.Parse(s.URL); return u.Host }
	tests := []struct {
		name    string
		c       *testkit.Client
		origin  string
		proto   string // X-Forwarded-Proto sent
		refused bool
	}{
		{"http site, http origin", plain.Client(t), "http://" + host(plain), "", false},
		{"http site, https origin", plain.Client(t), "https://" + host(plain), "", true},
		{"https site over TLS, https origin", tls.Client(t), "https://" + host(tls.Server), "", false},
		{"https site over TLS, http origin", tls.Client(t), "http://" + host(tls.Server), "", true},
		{"https BASE_URL behind an unlisted proxy, https origin", behindProxy.Client(t), "https://" + host(behindProxy), "", false},
		{"https BASE_URL behind an unlisted proxy, http origin", behindProxy.Client(t), "http://" + host(behindProxy), "", true},
		{"trusted proxy over https, http origin", trusted.Client(t), "http://" + host(trusted), "https", true},
		{"trusted proxy over https, https origin", trusted.Client(t), "https://" + host(trusted), "https", false},
		{"foreign origin", plain.Client(t), "http://evil.example", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.Header.Set("Origin", tt.origin)
			if tt.proto != "" {
				tt.c.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			// An empty login form: 422 when let through, 403 when refused.
			res := tt.c.PostForm("/inloggen", url.Values{})
			if refused := res.StatusCode == http.StatusForbidden; refused != tt.refused {
				t.Errorf("status %d, refused %v, want refused %v", res.StatusCode, refused, tt.refused)
			}
			if tt.refused && !strings.Contains(res.Body, "Geen toegang") {
				t.Errorf("refusal is not the Dutch 403 page:\n%s", res.Body)
			}
		})
	}
}
