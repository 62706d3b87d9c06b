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

func TestSeedInitiatives(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	var initiatives, members, pending, granted, supporters, updates int
	if err := s.DB.QueryRow(context.Background(), `
		SELECT (SELECT count(*) FROM initiatives),
		       (SELECT count(*) FROM initiatives WHERE visibility = 'members'),
		       (SELECT count(*) FROM funding_requests WHERE status = 'ingediend'),
		       (SELECT count(*) FROM funding_requests WHERE status = 'toegekend' AND decided_by IS NOT NULL),
		       (SELECT count(*) FROM initiative_supporters),
		       (SELECT count(*) FROM initiative_updates)`).Scan(&initiatives, &members, &pending, &granted, &supporters, &updates); err != nil {
		t.Fatal(err)
	}
	if initiatives != 4 || members != 1 || pending != 1 || granted != 1 || supporters < 4 || updates < 1 {
		t.Errorf("initiatives %d, members-only %d, pending %d, granted %d, supporters %d, updates %d",
			initiatives, members, pending, granted, supporters, updates)
	}
	// The demo shows on the pages: three public ones for visitors, the pending
	// request in the officer's queue.
	anon := s.Client(t).Get("/initiatieven")
	if anon.StatusCode != http.StatusOK || !strings.Contains(anon.Body, "3 initiatieven gevonden") || !strings.Contains(anon.Body, "Repair Café De Spaak") {
		t.Errorf("list for visitors: %d", anon.StatusCode)
	}
	if res := s.Client(t).Get("/initiatieven?zoek=moestuinen"); !strings.Contains(res.Body, "Moestuin Oog in Al") {
		t.Error("search for moestuinen misses the demo garden")
	}
	officer := s.Client(t)
	if res := officer.PostForm("/inloggen", map[string][]string{"email": {demo.OfficerEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("officer login: %d", res.StatusCode)
	}
	if q := officer.Get("/gemeente/aanvragen"); !strings.Contains(q.Body, "€ 850,00") || !strings.Contains(q.Body, "Toegekend") {
		t.Error("officer queue lacks the demo requests")
	}
}
