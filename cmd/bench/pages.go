package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/synth"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// baselineQuery is the bare page's one indexed query: Utrecht's first twenty
// neighbourhoods. Both baselines (in-process and external) run it.
const baselineQuery = `
	SELECT code, name FROM neighbourhoods
	 WHERE municipality_id = (SELECT id FROM municipalities WHERE code = 'GM0344') ORDER BY code LIMIT 20`

// contactPrefix starts the client id of every street contact the bench
// posts, so they can be deleted afterwards.
const contactPrefix = "b0000000-0000-4000-8000-"

// subjects are the data the pages are about, picked from the bench database.
type subjects struct {
	utrechtID       int64
	busiest         string // Utrecht's neighbourhood with the most contacts
	busiestName     string
	area            string // the first work area of worker 1
	initiativeID    int64  // a public, visible Utrecht initiative
	initiativeTitle string
	year            string // the overview allows whole years: the current one
}

func findSubjects(ctx context.Context, pool *pgxpool.Pool) (subjects, error) {
	var s subjects
	s.year = strconv.Itoa(time.Now().Year())
	if err := pool.QueryRow(ctx, `SELECT id FROM municipalities WHERE code = $1`, synth.LargeCode).Scan(&s.utrechtID); err != nil {
		return s, fmt.Errorf("gemeente Utrecht: %w", err)
	}
	if err := pool.QueryRow(ctx, `
		SELECT n.code, n.name FROM neighbourhood_month_contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
		 WHERE n.municipality_id = $1 GROUP BY n.code, n.name ORDER BY sum(c.contacts) DESC LIMIT 1`, s.utrechtID).Scan(&s.busiest, &s.busiestName); err != nil {
		return s, fmt.Errorf("drukste buurt: %w", err)
	}
	if err := pool.QueryRow(ctx, `
		SELECT n.code FROM account_work_areas w JOIN accounts a ON a.id = w.account_id JOIN neighbourhoods n ON n.id = w.neighbourhood_id
		 WHERE a.email = $1 ORDER BY n.code LIMIT 1`, synth.WorkerEmail(1)).Scan(&s.area); err != nil {
		return s, fmt.Errorf("werkgebied: %w", err)
	}
	// The public initiative with the most supporters: anonymous visitors may
	// see it, and its page has the most to show.
	if err := pool.QueryRow(ctx, `
		SELECT i.id, i.title FROM initiatives i
		 WHERE i.municipality_id = $1 AND i.visibility = 'public' AND i.hidden_at IS NULL AND NOT i.hidden_by_suspension
		 ORDER BY (SELECT count(*) FROM initiative_supporters s WHERE s.initiative_id = i.id) DESC, i.id LIMIT 1`,
		s.utrechtID).Scan(&s.initiativeID, &s.initiativeTitle); err != nil {
		return s, fmt.Errorf("openbaar initiatief: %w", err)
	}
	return s, nil
}

// benchPages are the pages both modes measure after the baseline: the
// public pages of issue 15 as an anonymous visitor, then the logged-in
// pages (officer and worker).
func benchPages(s subjects) []page {
	id := strconv.FormatInt(s.initiativeID, 10)
	runID := time.Now().UnixNano()
	var seq atomic.Int64
	list := "data-testid=\"initiative\""
	return []page{
		{"home", "/ (home)", classPublic, anonymous, get("/"), []string{`id="inhoud"`, "</html>"}},
		{"buurten", "/buurten", classPublic, anonymous, get("/buurten"), []string{"Buurten</h1>", "</html>"}},
		{"buurt", "/buurten/" + s.busiest, classPublic, anonymous, get("/buurten/" + s.busiest),
			[]string{html.EscapeString(s.busiestName), `data-testid="neighbourhood-lead"`, "</html>"}},
		{"initiatieven", "/initiatieven", classPublic, anonymous, get("/initiatieven"), []string{list, "</html>"}},
		{"initiatieven-filter", "/initiatieven?thema=wonen&status=actief", classPublic, anonymous,
			get("/initiatieven?thema=wonen&status=actief"), []string{list, "</html>"}},
		{"initiatief", "/initiatieven/" + id, classPublic, anonymous, get("/initiatieven/" + id),
			[]string{"<h1 class=\"utrecht-heading-1\">" + html.EscapeString(s.initiativeTitle) + "</h1>", "</html>"}},
		{"api-lijst", "/api/v1/initiatives?municipality=GM0344", classPublic, anonymous,
			get("/api/v1/initiatives?municipality=GM0344"), []string{`"municipality":{"code":"GM0344"`}},
		{"api-initiatief", "/api/v1/initiatives/" + id, classPublic, anonymous, get("/api/v1/initiatives/" + id),
			[]string{`{"id":` + id + `,`}},
		{"overzicht", "overzicht Utrecht, heel jaar (gemeente)", classMember, officer,
			get("/overzicht?gemeente=GM0344&jaar=" + s.year + "&deel=jaar"), []string{"Utrecht", s.busiestName, "</html>"}},
		{"drill-down", "buurt " + s.busiest + ", heel jaar (gemeente)", classMember, officer,
			get("/overzicht/buurten/" + s.busiest + "?jaar=" + s.year + "&deel=jaar"), []string{html.EscapeString(s.busiestName), "</html>"}},
		{"initiatieven-gemeente", "initiatieven, thema+status (gemeente)", classMember, officer,
			get("/initiatieven?thema=wonen&status=actief"), []string{list, "</html>"}},
		{"straatcontact", "straatcontact vastleggen (POST)", classMember, worker,
			func(ctx context.Context, base string) (*http.Request, int) {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/contacten",
					strings.NewReader(contactForm(s.area, runID, seq.Add(1)).Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return req, http.StatusSeeOther
			}, nil},
		{"overzicht-api", "overzicht als JSON (API, gemeente)", classMember, officer,
			get("/api/v1/municipalities/GM0344/overview?from=" + s.year + "-01-01&to=" + s.year + "-12-31"), []string{"GM0344"}},
	}
}

// contactForm is a worker's quick street contact, with a unique client id
// that the clean-up recognises.
func contactForm(area string, runID, n int64) url.Values {
	return url.Values{"client_id": {fmt.Sprintf("%s%06x%06x", contactPrefix, runID&0xffffff, n&0xffffff)},
		"occurred_at": {time.Now().In(dutch.Amsterdam).Format("2006-01-02T15:04")}, "neighbourhood": {area},
		"place_type": {"straat"}, "people_count": {"2"}, "themes": {"wonen"}, "strategy": {string(strategy.Bonding)},
		"energy": {"wil een moestuin"}, "follow_up": {"geen"}}
}

// deletePosted removes the street contacts the bench posted, so runs stay
// comparable (the triggers keep the aggregates right).
func deletePosted(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `DELETE FROM contacts WHERE client_id::text LIKE $1`, contactPrefix+"%")
	return err
}
