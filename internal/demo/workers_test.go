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

// The demo resident's neighbourhood page shows its CBS figures and the demo
// worker with a message button, and the resident has a conversation with
// that worker.
func TestDemoNeighbourhoodHub(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "194 met kerncijfers") {
		t.Errorf("seed output does not report the kerncijfers:\n%s", out.String())
	}
	c := s.Client(t)
	if res := c.PostForm("/inloggen", url.Values{"email": {demo.ResidentEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo login: %d", res.StatusCode)
	}
	page := c.Get("/buurten/BU03440112").Body
	for _, want := range []string{"4.155 inwoners (1 januari 2024).", "StatLine 85984NED", `data-testid="worker"`,
		"Opbouwwerker (demo)", ", " + demo.OrganisationName, "over=opbouwwerker"} {
		if !strings.Contains(page, want) {
			t.Errorf("home neighbourhood page lacks %q", want)
		}
	}
	if list := c.Get("/berichten").Body; !strings.Contains(list, "Opbouwwerk: Oog in Al") {
		t.Error("the demo resident has no conversation with the worker")
	}
}
