package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestAxeCatchesViolations proves the accessibility check can fail: a page
// with an image without alt text and an input without a label.
func TestAxeCatchesViolations(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="nl"><head><title>Kapot</title></head><body><main id="inhoud">
<h1>Kapot</h1><img src="/x.png"><form><input type="text" name="q"></form></main></body></html>`))
	}))
	defer ts.Close()
	ctx := testkit.NewTab(t, testkit.Desktop)
	open(t, ctx, ts.URL)
	vs, err := testkit.CheckAccessible(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range vs {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "label"} {
		if !found[id] {
			t.Errorf("axe-core did not report %s; got %v", id, found)
		}
	}
}

// TestTabsAreIsolated: a login in one tab is not seen in another, so
// parallel tests with different users don't mix.
func TestTabsAreIsolated(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "een@example.nl")
	a := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, a, s.URL, "een@example.nl")
	b := testkit.NewTab(t, testkit.Desktop)
	open(t, b, s.URL+"/")
	var html string
	if err := runText(b, &html); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "Ingelogd als") {
		t.Fatal("the second tab shares the first tab's session")
	}
}
