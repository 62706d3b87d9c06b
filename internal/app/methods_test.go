package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestMethods: probes and pages answer HEAD; OPTIONS answers 204 with Allow
// on existing paths; a wrong method on an existing path is 405 with Allow
// and the Dutch error page (JSON on the API); unknown paths stay 404.
func TestMethods(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	tests := []struct {
		method, path string
		status       int
		allow        string // "" = no Allow header
		contentType  string // prefix; "" = not checked
		body         string // must be in the body; "" = body must be empty
	}{
		{"HEAD", "/healthz", 200, "", "text/plain", ""},
		{"HEAD", "/readyz", 200, "", "text/plain", ""},
		{"HEAD", "/", 200, "", "text/html", ""},
		{"HEAD", "/static/css/app.css", 200, "", "text/css", ""},
		{"HEAD", "/api/v1/initiatives/", 200, "", "application/json", ""},
		{"HEAD", "/bestaat-niet", 404, "", "text/html", ""},
		{"OPTIONS", "/", 204, "GET, HEAD, OPTIONS", "", ""},
		{"OPTIONS", "/healthz", 204, "GET, HEAD, OPTIONS", "", ""},
		{"OPTIONS", "/inloggen", 204, "GET, HEAD, POST, OPTIONS", "", ""},
		{"OPTIONS", "/uitloggen", 204, "POST, OPTIONS", "", ""},
		{"OPTIONS", "/initiatieven/12", 204, "GET, HEAD, OPTIONS", "", ""},
		{"OPTIONS", "/api/v1/contacts/", 204, "GET, HEAD, POST, OPTIONS", "", ""},
		{"OPTIONS", "/bestaat-niet", 404, "", "text/html", "Pagina niet gevonden"},
		{"POST", "/healthz", 405, "GET, HEAD, OPTIONS", "text/html", "Dit kan niet op deze pagina"},
		{"POST", "/over", 405, "GET, HEAD, OPTIONS", "text/html", "Dit kan niet op deze pagina"},
		{"DELETE", "/inloggen", 405, "GET, HEAD, POST, OPTIONS", "text/html", `lang="nl"`},
		{"GET", "/uitloggen", 405, "POST, OPTIONS", "text/html", "Dit kan niet op deze pagina"},
		{"HEAD", "/uitloggen", 405, "POST, OPTIONS", "text/html", ""},
		{"PUT", "/initiatieven/12", 405, "GET, HEAD, OPTIONS", "text/html", "Dit kan niet op deze pagina"},
		{"PATCH", "/api/v1/initiatives/", 405, "GET, HEAD, OPTIONS", "application/json", `"error"`},
		{"PROPFIND", "/over", 405, "GET, HEAD, OPTIONS", "text/html", "Dit kan niet op deze pagina"},
		{"POST", "/bestaat-niet", 404, "", "text/html", "Pagina niet gevonden"},
		{"PROPFIND", "/bestaat-niet", 404, "", "text/html", "Pagina niet gevonden"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, s.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res := c.Do(req)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tt.contentType)
			}
			if tt.body == "" && res.Body != "" {
				t.Errorf("body of %d bytes, want none", len(res.Body))
			}
			if !strings.Contains(res.Body, tt.body) {
				t.Errorf("body lacks %q:\n%s", tt.body, res.Body)
			}
			// Every answer keeps the security headers.
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("security headers missing: %v", res.Header)
			}
		})
	}
}
