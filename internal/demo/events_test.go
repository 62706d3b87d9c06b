package demo_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestSeedEvents(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	for range 2 { // idempotent
		if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
			t.Fatalf("seed: %v\n%s", err, out.String())
		}
	}
	var events, upcoming, past, waiting, signUps, forInitiative int
	if err := s.DB.QueryRow(context.Background(), `
		SELECT count(*), count(*) FILTER (WHERE starts_at > now()), count(*) FILTER (WHERE ends_at < now()),
		       (SELECT count(*) FROM event_signups WHERE waiting), (SELECT count(*) FROM event_signups),
		       count(*) FILTER (WHERE initiative_id IS NOT NULL)
		FROM events`).Scan(&events, &upcoming, &past, &waiting, &signUps, &forInitiative); err != nil {
		t.Fatal(err)
	}
	if events != 6 || upcoming != 5 || past != 1 || waiting != 1 || signUps < 8 || forInitiative != 2 {
		t.Errorf("events %d, upcoming %d, past %d, waiting %d, sign-ups %d, for an initiative %d", events, upcoming, past, waiting, signUps, forInitiative)
	}
	res := s.Client(t).Get("/buurten/BU03440112")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Wat is er te doen") || !strings.Contains(res.Body, "Buurtsoep in De Kaderzaal") {
		t.Errorf("the demo resident's neighbourhood page lacks the agenda: %d", res.StatusCode)
	}
	if res := s.Client(t).Get("/agenda?gemeente=" + demo.UtrechtCode); !strings.Contains(res.Body, "Wandeling langs de Singel") {
		t.Errorf("the Utrecht agenda lacks the Binnenstad walk")
	}
}
