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

// TestDemoContacts checks the demo worker's street contacts: 60 in their own
// work areas, all three strategies, a few shared stories, nothing added by a
// second run, and the worker's list showing them.
func TestDemoContacts(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		var out bytes.Buffer
		if err := demo.Seed(ctx, s.DB, s.Cfg, &out); err != nil {
			t.Fatalf("seed run %d: %v\n%s", run, err, out.String())
		}
		var n, strategies, stories, outside, places int
		if err := s.DB.QueryRow(ctx, `SELECT count(*), count(DISTINCT strategy), count(*) FILTER (WHERE story_shared_at IS NOT NULL),
			count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM account_work_areas w WHERE w.account_id = c.worker_id AND w.neighbourhood_id = c.neighbourhood_id)),
			count(DISTINCT place_type)
			FROM contacts c JOIN accounts a ON a.id = c.worker_id WHERE a.email = $1`, demo.WorkerEmail).Scan(&n, &strategies, &stories, &outside, &places); err != nil {
			t.Fatal(err)
		}
		if n != 60 || strategies != 3 || stories < 2 || outside != 0 || places < 8 {
			t.Fatalf("run %d: %d contacts, %d strategies, %d stories, %d outside the work areas, %d places", run, n, strategies, stories, outside, places)
		}
	}
	c := s.Client(t)
	if res := c.PostForm("/inloggen", url.Values{"email": {demo.WorkerEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo login: %d", res.StatusCode)
	}
	if body := c.Get("/contacten").Body; !strings.Contains(body, "60 contacten") {
		t.Error("demo worker's list does not show 60 contacts")
	}
}
