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

// TestDemoActivitiesAndSignals checks the demo's activities and signals: the
// amounts, every signal status, a second run adding nothing, and what the demo
// accounts see.
func TestDemoActivitiesAndSignals(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	counts := func() (acts, stories, sigs, statuses, responses int) {
		t.Helper()
		if err := s.DB.QueryRow(ctx, `SELECT (SELECT count(*) FROM activities), (SELECT count(*) FROM activities WHERE story_shared_at IS NOT NULL),
			(SELECT count(*) FROM signals), (SELECT count(DISTINCT status) FROM signals), (SELECT count(*) FROM signal_responses)`).
			Scan(&acts, &stories, &sigs, &statuses, &responses); err != nil {
			t.Fatal(err)
		}
		return
	}
	for run := 1; run <= 2; run++ {
		var out bytes.Buffer
		if err := demo.Seed(ctx, s.DB, s.Cfg, &out); err != nil {
			t.Fatalf("seed run %d: %v\n%s", run, err, out.String())
		}
		acts, stories, sigs, statuses, responses := counts()
		if acts != 15 || stories != 3 || sigs != 8 || statuses != 5 || responses != 9 {
			t.Fatalf("run %d: %d activities (%d stories), %d signals in %d statuses, %d responses", run, acts, stories, sigs, statuses, responses)
		}
	}
	login := func(email string) *testkit.Client {
		c := s.Client(t)
		if res := c.PostForm("/inloggen", url.Values{"email": {email}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("demo login %s: %d", email, res.StatusCode)
		}
		return c
	}
	if body := login(demo.WorkerEmail).Get("/activiteiten").Body; !strings.Contains(body, "Buurtmaaltijd in De Kaderzaal") {
		t.Error("demo worker does not see the demo activities")
	}
	if body := login(demo.ResidentEmail).Get("/signalen").Body; !strings.Contains(body, "De weggeefwinkel verliest zijn ruimte") || strings.Contains(body, "Gordijnen overdag dicht") {
		t.Error("demo resident's signal list is wrong")
	}
	if body := login(demo.OfficerEmail).Get("/signalen?status=geagendeerd").Body; !strings.Contains(body, "Vocht en schimmel") || strings.Contains(body, "weggeefwinkel") {
		t.Error("demo officer's filtered signal list is wrong")
	}
	if body := s.Client(t).Get("/buurten/BU03440112").Body; !strings.Contains(body, "De weggeefwinkel verliest zijn ruimte") || !strings.Contains(body, "Buurtmaaltijd in De Kaderzaal") ||
		strings.Contains(body, "Geen bankjes langs de Kromme Rijn") || strings.Contains(body, "Twee nieuwe gezichten") {
		t.Error("Oog in Al's page: public signal or activity missing, or private data shown")
	}
}
