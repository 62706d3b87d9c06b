package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestSecurityHeadersOnEveryPageType(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	for _, path := range []string{"/", "/over", "/bestaat-niet", "/healthz", "/readyz", "/static/css/app.css"} {
		t.Run(path, func(t *testing.T) {
			res := c.Get(path)
			want := map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
			}
			for k, v := range want {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, part := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, part) {
					t.Errorf("CSP %q lacks %q", csp, part)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe script: %q", csp)
			}
		})
	}
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/", http.StatusOK, "Samen bouwen aan de buurt"},
		{"/over", http.StatusOK, "Bron: CBS, Kadaster (PDOK)"},
		{"/bestaat-niet", http.StatusNotFound, "Pagina niet gevonden"},
		{"/healthz", http.StatusOK, "ok"},
		{"/readyz", http.StatusOK, "ok"},
	}
	for _, tt := range tests {
		res := c.Get(tt.path)
		if res.StatusCode != tt.status || !strings.Contains(res.Body, tt.want) {
			t.Errorf("GET %s = %d, body lacks %q", tt.path, res.StatusCode, tt.want)
		}
	}
	// An anonymous GET must not create a session row (no row per bot hit).
	var n int
	if err := s.DB.QueryRow(t.Context(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("anonymous GETs wrote %d session rows", n)
	}
	if res := c.Get("/"); res.Header.Get("Set-Cookie") != "" {
		t.Errorf("anonymous GET sets a cookie: %s", res.Header.Get("Set-Cookie"))
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	c.Header.Set("Origin", "https://evil.example")
	c.Header.Set("Sec-Fetch-Site", "cross-site")
	res := c.PostForm("/uitloggen", url.Values{})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Geen toegang") {
		t.Fatalf("cross-origin POST: status %d", res.StatusCode)
	}
}

func TestStaticAssetsAreCachedByHash(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	home := c.Get("/")
	i := strings.Index(home.Body, "/static/css/app.css?v=")
	if i < 0 {
		t.Fatal("home page does not link the hashed stylesheet")
	}
	href := home.Body[i : i+strings.Index(home.Body[i:], `"`)]
	res := c.Get(href)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s: %d, Cache-Control %q", href, res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if res := c.Get("/static/css/app.css?v=old"); strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatal("stale hash cached as immutable")
	}
}
