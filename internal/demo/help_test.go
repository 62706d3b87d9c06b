package demo_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestDemoHelp: the demo resident sees the help asked and offered near
// Oog in Al with first names only, and their own, one of them answered.
func TestDemoHelp(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	var answered, helped int
	if err := s.DB.QueryRow(context.Background(), `
		SELECT count(*) FILTER (WHERE answered_at IS NOT NULL), count(*) FILTER (WHERE status = 'geholpen') FROM help_requests`).Scan(&answered, &helped); err != nil {
		t.Fatal(err)
	}
	if answered < 2 || helped != 1 {
		t.Fatalf("demo help: %d answered, %d helped", answered, helped)
	}
	c := s.Client(t)
	if res := c.PostForm("/inloggen", url.Values{"email": {demo.ResidentEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo login: %d", res.StatusCode)
	}
	res := c.Get("/burenhulp")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/burenhulp: %d", res.StatusCode)
	}
	for _, want := range []string{"Fatima", "kast in elkaar", "rondje door het park", `data-testid="mine"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("demo /burenhulp lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "El Amrani") {
		t.Error("demo /burenhulp shows a last name")
	}
	if res := c.Get("/buurten/BU03440112"); !strings.Contains(res.Body, "kast in elkaar") {
		t.Error("the neighbourhood page's Burenhulp section is empty in the demo")
	}
}
