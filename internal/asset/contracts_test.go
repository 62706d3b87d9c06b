package asset_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/asset"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func newHandler(s *testkit.Server) *asset.Handler { return handlerOn(s.DB) }

// handlerOn is an asset handler on pool, without sessions (the blocks it
// renders for other features need none).
func handlerOn(pool *pgxpool.Pool) *asset.Handler {
	return asset.NewHandler(asset.NewStore(pool), nil, audit.New(pool))
}

func viewerFor(loggedIn bool, id int64) *httpx.Viewer {
	if !loggedIn {
		return nil
	}
	return &httpx.Viewer{ID: id, Name: "Kijker", Roles: []role.Role{role.Resident}}
}

func must(c templ.Component, err error) templ.Component {
	if err != nil {
		panic(err)
	}
	return c
}

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// queryCounter counts the statements a pool sends.
type queryCounter struct {
	mu  sync.Mutex
	sql []string
}

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	q.mu.Lock()
	q.sql = append(q.sql, d.SQL)
	q.mu.Unlock()
	return ctx
}

func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (q *queryCounter) reset() { q.mu.Lock(); q.sql = nil; q.mu.Unlock() }
func (q *queryCounter) count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.sql)
}

// countingHandler is an asset handler on its own pool that counts queries.
func countingHandler(t *testing.T, s *testkit.Server) (*asset.Handler, *queryCounter) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(s.DB.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	qc := &queryCounter{}
	cfg.ConnConfig.Tracer = qc
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := pool.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	return handlerOn(pool), qc
}

func TestHelpForMatchesByNeedAndNeighbourhoodInOneQuery(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	s.CreateUser(t, "helper@example.nl")
	c := s.Login(t, "helper@example.nl")
	create(t, c, withValues(placeForm(), "naam", "Zaal West", "nodig", "ruimte"))
	create(t, c, withValues(placeForm(), "naam", "Kennisbank West", "nodig", "kennis"))
	create(t, c, withValues(placeForm(), "naam", "Zaal Oog", "buurt", codeOog, "nodig", "ruimte"))
	create(t, c, withValues(placeForm(), "naam", "Zaal Leiden", "buurt", codeLeid, "nodig", "ruimte"))
	create(t, c, talentForm("klussen", "vrijwilligers"))
	hidden := create(t, c, withValues(placeForm(), "naam", "Verborgen Zaal", "nodig", "ruimte"))
	if _, err := s.DB.Exec(context.Background(), `UPDATE assets SET hidden = true WHERE id = $1`, hidden); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 7; i++ {
		create(t, c, withValues(placeForm(), "naam", "Geldpot "+string(rune('A'+i)), "nodig", "geld"))
	}

	h, qc := countingHandler(t, s)
	h.PerNeed = 5
	ctx := context.Background()
	viewer := viewerFor(true, 1)
	all := []string{"ruimte", "geld", "vrijwilligers", "kennis", "materiaal"}

	qc.reset()
	html := render(t, must(h.HelpFor(ctx, []int64{g.west, g.oog}, all, viewer)))
	// One query for the neighbourhoods' names, one for every need at once.
	if n := qc.count(); n != 2 {
		t.Fatalf("HelpFor with %d needs ran %d queries, want 2", len(all), n)
	}
	qc.reset()
	render(t, must(h.HelpFor(ctx, []int64{g.west}, []string{"ruimte"}, viewer)))
	if n := qc.count(); n != 2 {
		t.Fatalf("HelpFor with 1 need ran %d queries, want 2", n)
	}

	mustContain(t, html, "Voor ruimte", "Zaal West", "Zaal Oog", "Voor kennis", "Kennisbank West",
		"Voor vrijwilligers", "kan klussen", "Voor materiaal", "Hiervoor hebben we in de buurt nog niemand gevonden.",
		"Geldpot A", "Geldpot E", "En nog 2 meer.", "/buurten/"+codeWest+"/wie-kan-helpen")
	mustNotContain(t, html, "Zaal Leiden", "Verborgen Zaal", "Geldpot F")
	// Needs keep the order the initiative gave.
	if strings.Index(html, "Voor ruimte") > strings.Index(html, "Voor geld") {
		t.Error("needs out of order")
	}
	// Matches per need: the room section lists rooms only.
	ruimte := html[strings.Index(html, "Voor ruimte"):strings.Index(html, "Voor geld")]
	mustNotContain(t, ruimte, "Kennisbank", "Geldpot")

	// Unknown needs are ignored; nothing to look for renders nothing.
	qc.reset()
	if out := render(t, must(h.HelpFor(ctx, []int64{g.west}, []string{"liefde"}, viewer))); out != "" {
		t.Errorf("unknown need rendered %q", out)
	}
	if qc.count() != 0 {
		t.Error("unknown need queried the database")
	}

	// Nothing found: a kind message and a link to add an asset.
	none := render(t, must(h.HelpFor(ctx, []int64{g.leiden}, []string{"materiaal"}, nil)))
	mustContain(t, none, `data-testid="help-none"`, "/hulpbronnen/nieuw?buurt="+codeLeid, "Levendaal-West")
}

func TestNeighbourhoodSection(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	s.CreateUser(t, "sectie@example.nl")
	c := s.Login(t, "sectie@example.nl")
	for i := 0; i < 7; i++ {
		create(t, c, withValues(placeForm(), "naam", "Plek "+string(rune('A'+i))))
	}
	create(t, c, withValues(placeForm(), "soort", "netwerk", "type", "", "naam", "Buurtnetwerk Noord"))
	create(t, c, talentForm("bakken"))

	h, qc := countingHandler(t, s)
	qc.reset()
	html := render(t, must(h.NeighbourhoodSection(context.Background(), g.west, nil)))
	if n := qc.count(); n != 2 {
		t.Fatalf("section ran %d queries, want 2", n)
	}
	mustContain(t, html, "<section", "<h2", "Wie kan helpen?", "Ontmoetingsplekken", "(7)", "Plek A", "Plek E", "En nog 2 meer.",
		"Netwerken en verenigingen", "Buurtnetwerk Noord", "Ondernemers", "(0)",
		`href="/buurten/`+codeWest+`/wie-kan-helpen"`, `href="/hulpbronnen/nieuw?buurt=`+codeWest+`"`)
	mustNotContain(t, html, "Plek F", "Talenten van bewoners (", "bakken")

	html = render(t, must(h.NeighbourhoodSection(context.Background(), g.west, viewerFor(true, 1))))
	mustContain(t, html, "Talenten van bewoners", "sectie kan bakken")

	// An empty neighbourhood still renders its invitation.
	html = render(t, must(h.NeighbourhoodSection(context.Background(), g.leiden, nil)))
	mustContain(t, html, "Nog niets toegevoegd.", "Voeg een hulpbron toe")
}
