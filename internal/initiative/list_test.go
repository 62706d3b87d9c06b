package initiative_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var reCard = regexp.MustCompile(`data-testid="initiative"`)

func titles(body string) int { return len(reCard.FindAllString(body, -1)) }

func TestSearchAndFilters(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	create(t, c, func(f url.Values) { f.Set("beschrijving", "Samen zaaien, wieden en oogsten.") })
	create(t, c, func(f url.Values) {
		f.Set("titel", "Repair Café Binnenstad")
		f.Set("samenvatting", "Kapotte spullen samen repareren in plaats van weggooien.")
		f.Set("beschrijving", "")
		f["buurt"] = []string{"BU03440101"}
		f["thema"] = []string{"duurzaamheid"}
		f["behoefte"] = []string{"ruimte", "kennis"}
		f.Del("behoefte_materiaal")
		f.Set("status", "actief")
	})
	create(t, c, func(f url.Values) {
		f.Set("gemeente", "GM0363")
		f.Set("titel", "Broodfonds Zeedijk")
		f.Set("samenvatting", "Zelfstandigen vangen elkaar op bij ziekte.")
		f["buurt"] = []string{"BU03630000"}
		f["thema"] = []string{"bestaanszekerheid"}
		f.Set("vorm", "broodfonds")
		f["behoefte"] = []string{"geld"}
		f.Del("behoefte_materiaal")
	})
	anon := s.Client(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Moestuin Oudwijk", "Repair Café Binnenstad", "Broodfonds Zeedijk"}},
		{"zoek=moestuinen", []string{"Moestuin Oudwijk"}},
		{"zoek=oogst", []string{"Moestuin Oudwijk"}},                  // oogsten → oogst
		{"zoek=repareer+spullen", []string{"Repair Café Binnenstad"}}, // reparer & spull
		{"zoek=zelfstandige", []string{"Broodfonds Zeedijk"}},         // Zelfstandigen
		{"zoek=fietsen", nil},
		{"gemeente=GM0363", []string{"Broodfonds Zeedijk"}},
		{"gemeente=GM0344&wijk=WK034401", []string{"Repair Café Binnenstad"}},
		{"gemeente=GM0344&buurt=BU03440302", []string{"Moestuin Oudwijk"}},
		{"thema=duurzaamheid", []string{"Repair Café Binnenstad"}},
		{"status=idee", []string{"Moestuin Oudwijk", "Broodfonds Zeedijk"}},
		{"behoefte=geld", []string{"Broodfonds Zeedijk"}},
		{"behoefte=kennis&status=actief&zoek=repareren", []string{"Repair Café Binnenstad"}},
	}
	all := []string{"Moestuin Oudwijk", "Repair Café Binnenstad", "Broodfonds Zeedijk"}
	for _, tt := range tests {
		res := anon.Get("/initiatieven?" + tt.query)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", tt.query, res.StatusCode)
			continue
		}
		if got := titles(res.Body); got != len(tt.want) {
			t.Errorf("%s: %d results, want %d", tt.query, got, len(tt.want))
		}
		for _, title := range all {
			in := strings.Contains(res.Body, title)
			wanted := false
			for _, w := range tt.want {
				wanted = wanted || w == title
			}
			if in != wanted {
				t.Errorf("%s: %q shown=%v, want %v", tt.query, title, in, wanted)
			}
		}
	}
	if body := anon.Get("/initiatieven?status=idee").Body; !strings.Contains(body, "2 initiatieven gevonden") {
		t.Error("result count missing")
	}
	for _, bad := range []string{"thema=voetbal", "status=klaar", "behoefte=liefde", "gemeente=Utrecht", "wijk=WK1", "buurt=x", "pagina=999999", "zoek=%00"} {
		if res := anon.Get("/initiatieven?" + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.StatusCode)
		}
	}
}

// insertMany adds n public initiatives in Utrecht straight into the database,
// each with two neighbourhoods and two needs.
func insertMany(t testing.TB, db *pgxpool.Pool, muni int64, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := db.Exec(ctx, `
		WITH i AS (
			INSERT INTO initiatives (title, summary, municipality_id, themes, form, status, contact_preference, visibility)
			SELECT 'Initiatief ' || g, 'Samenvatting ' || g, $1, '{ontmoeting}', 'informal', 'actief', 'platform', 'public'
			FROM generate_series(1, $2) g RETURNING id),
		b AS (INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id)
			SELECT i.id, nb.id FROM i, (SELECT id FROM neighbourhoods WHERE municipality_id = $1 ORDER BY id LIMIT 2) nb)
		INSERT INTO initiative_needs (initiative_id, need, details)
		SELECT i.id, x, 'iets' FROM i, unnest(ARRAY['ruimte','kennis']) x`, muni, n)
	if err != nil {
		t.Fatal(err)
	}
}

// countingTracer counts the queries sent to PostgreSQL.
type countingTracer struct{ n atomic.Int64 }

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func TestListRunsFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	queries := func(rows int, path string) int64 {
		cfg, err := pgxpool.ParseConfig(testkit.NewDB(t))
		if err != nil {
			t.Fatal(err)
		}
		tr := &countingTracer{}
		cfg.ConnConfig.Tracer = tr
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		a := app.New(testkit.TestConfig(), pool, app.Options{Mailer: &testkit.MailBox{}})
		ts := httptest.NewServer(a.Handler())
		t.Cleanup(func() { ts.Close(); a.Close() })
		s := &testkit.Server{URL: ts.URL, DB: pool, App: a}
		g := seedGeo(t, s)
		insertMany(t, pool, g.utrecht, rows)
		c := s.Client(t)
		tr.n.Store(0)
		res := c.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		if want := min(rows, 20); titles(res.Body) != want && strings.HasPrefix(path, "/initiatieven") {
			t.Fatalf("%s shows %d initiatives, want %d", path, titles(res.Body), want)
		}
		return tr.n.Load()
	}
	for _, p := range []string{"/initiatieven", "/initiatieven?gemeente=GM0344&behoefte=kennis", "/api/v1/initiatives?limit=100"} {
		few, many := queries(3, p), queries(30, p)
		if few != many {
			t.Errorf("%s: %d queries for 3 rows, %d for 30", p, few, many)
		}
		if many > 6 {
			t.Errorf("%s: %d queries", p, many)
		}
		t.Logf("%s: %d queries for 3 and for 30 rows", p, many)
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	insertMany(t, s.DB, g.utrecht, 25)
	c := s.Client(t)
	first := c.Get("/initiatieven?thema=ontmoeting")
	if titles(first.Body) != 20 || !strings.Contains(first.Body, "25 initiatieven gevonden") || !strings.Contains(first.Body, `href="/initiatieven?pagina=2&amp;thema=ontmoeting"`) {
		t.Fatalf("first page: %d items", titles(first.Body))
	}
	second := c.Get("/initiatieven?thema=ontmoeting&pagina=2")
	if titles(second.Body) != 5 || !strings.Contains(second.Body, "Pagina 2 van 2") {
		t.Errorf("second page: %d items", titles(second.Body))
	}
	if beyond := c.Get("/initiatieven?pagina=3"); beyond.StatusCode != http.StatusOK || titles(beyond.Body) != 0 {
		t.Errorf("page beyond the end: %d", beyond.StatusCode)
	}
}
