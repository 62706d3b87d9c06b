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

func TestDemoAssets(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	var kinds int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(DISTINCT kind) FROM assets`).Scan(&kinds); err != nil {
		t.Fatal(err)
	}
	if kinds != 4 {
		t.Fatalf("demo assets cover %d kinds, want 4", kinds)
	}
	const page = "/buurten/BU03440112/wie-kan-helpen"
	anon := s.Client(t).Get(page)
	if anon.StatusCode != http.StatusOK || !strings.Contains(anon.Body, "Buurthuis De Kaderzaal") || strings.Contains(anon.Body, "naaimachines") {
		t.Fatalf("anonymous demo page: %d", anon.StatusCode)
	}
	c := s.Client(t)
	if res := c.PostForm("/inloggen", url.Values{"email": {demo.ResidentEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo login: %d", res.StatusCode)
	}
	body := c.Get(page).Body
	if !strings.Contains(body, "Fatima kan naaimachines repareren") || strings.Contains(body, "El Amrani") {
		t.Fatal("logged-in demo page does not show the talent with a first name only")
	}
}
