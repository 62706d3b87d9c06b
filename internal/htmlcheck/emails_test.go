package htmlcheck

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestNoResidentSeesAnotherResidentsEmail crawls every page a resident can
// reach (links, GET forms, every fillable form submitted empty, their own
// data download) with the demo data plus a neighbour who offered help on,
// joined, messaged and was notified about the resident's initiative, and
// fails on any page that holds another account's e-mail address. People
// reach each other through messages, never through addresses (DOMAIN.md).
func TestNoResidentSeesAnotherResidentsEmail(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	cfg := s.Cfg
	cfg.Env = "development"
	if err := demo.Seed(ctx, s.DB, cfg, io.Discard); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	neighbour := s.CreateUser(t, "buurvrouw.geheim@example.nl")
	// The neighbour offers help on, and joins, every initiative the demo
	// resident owns; so the owner's pages have someone else's data to leak.
	for _, q := range []string{
		`INSERT INTO initiative_offers (initiative_id, account_id, need, message)
		 SELECT o.initiative_id, $1, 'kennis', 'Ik weet veel van tuinen.' FROM initiative_owners o
		 JOIN accounts a ON a.id = o.account_id WHERE a.email = $2`,
		`INSERT INTO initiative_supporters (initiative_id, account_id)
		 SELECT o.initiative_id, $1 FROM initiative_owners o JOIN accounts a ON a.id = o.account_id WHERE a.email = $2`,
	} {
		if _, err := s.DB.Exec(ctx, q, neighbour.ID, demo.ResidentEmail); err != nil {
			t.Fatal(err)
		}
	}
	var owned int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM initiative_offers WHERE account_id = $1`, neighbour.ID).Scan(&owned); err != nil || owned == 0 {
		t.Fatalf("the demo resident owns no initiative to offer help on (%d, %v)", owned, err)
	}
	rows, err := s.DB.Query(ctx, `SELECT email::text FROM accounts WHERE email <> $1`, demo.ResidentEmail)
	if err != nil {
		t.Fatal(err)
	}
	others, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}

	c := s.Client(t)
	if res := c.PostForm("/inloggen", url.Values{"email": {demo.ResidentEmail}, "password": {cfg.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	pages := c.Crawl(testkit.CrawlOptions{SubmitForms: true, MaxPages: 400}, "/", "/account/gegevens.json", "/meldingen", "/berichten")
	if len(pages) < 30 {
		t.Fatalf("crawl reached only %d pages", len(pages))
	}
	sawOffers := false
	for _, p := range pages {
		body := strings.ToLower(p.Body)
		if strings.Contains(body, "ik weet veel van tuinen") {
			sawOffers = true
		}
		for _, e := range others {
			if strings.Contains(body, strings.ToLower(e)) {
				t.Errorf("%s %s (via %s) shows the address %s", p.Method, p.Path, p.From, e)
			}
		}
	}
	// The check only means something if the crawl saw the offer list.
	if !sawOffers {
		t.Error("the crawl never reached the owner's list of offers")
	}
}
