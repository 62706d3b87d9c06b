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
		       (SELECT count(*) FROM funding_requests WHERE status = 'ingediend' AND fund_id IN (SELECT id FROM funds WHERE is_default)),
		       (SELECT count(*) FROM funding_requests WHERE status = 'toegekend' AND decided_by IS NOT NULL AND fund_id IN (SELECT id FROM funds WHERE is_default)),
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
	if q := officer.Get("/aanvragen"); !strings.Contains(q.Body, "€ 850,00") || !strings.Contains(q.Body, "Toegekend") {
		t.Error("officer queue lacks the demo requests")
	}
}

// The demo has three funds and applications in every state; the funder's
// staff member sees the corporation's applications only.
func TestSeedFunds(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	if err := demo.Seed(context.Background(), s.DB, s.Cfg, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var funds, states, lines int
	if err := s.DB.QueryRow(context.Background(), `
		SELECT (SELECT count(*) FROM funds), (SELECT count(DISTINCT status) FROM funding_requests),
		       (SELECT count(*) FROM funding_request_lines)`).Scan(&funds, &states, &lines); err != nil {
		t.Fatal(err)
	}
	// Three funds of the applications here, and the residents' advice fund
	// of zz_funds_followup.go.
	if funds != 4 || states != 3 || lines < 4 {
		t.Errorf("%d funds, %d states, %d budget lines", funds, states, lines)
	}
	staff := s.Client(t)
	if res := staff.PostForm("/inloggen", map[string][]string{"email": {demo.FunderEmail}, "password": {s.Cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff login: %d", res.StatusCode)
	}
	q := staff.Get("/aanvragen")
	if q.StatusCode != http.StatusOK || !strings.Contains(q.Body, "Buurtkamer Halve Maan") || strings.Contains(q.Body, "Buurtbudget Utrecht") {
		t.Errorf("staff queue: %d", q.StatusCode)
	}
	if res := s.Client(t).Get("/fondsen"); !strings.Contains(res.Body, "Het Goede Buurtfonds") || !strings.Contains(res.Body, "toegekend: € 800,00") {
		t.Error("fund list lacks the demo funds")
	}
}
