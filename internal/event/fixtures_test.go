package event_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// world is a server with two neighbourhoods of one Utrecht district and one
// of Leiden, a worker of Lombok-Oost, a resident who owns an initiative in
// Lombok-West, a meeting place and two more residents.
type world struct {
	s                       *testkit.Server
	store                   *event.Store
	utrecht, west           int64
	lombokOost, lombokWest  int64
	leiden                  int64
	worker, owner, ann, bob int64
	initiative              int64
	place                   int64
}

const (
	codeOost   = "BU03440311"
	codeWest   = "BU03440312"
	codeLeiden = "BU05460101"
)

func newWorld(t *testing.T) world {
	t.Helper()
	s := testkit.NewServer(t)
	w := world{s: s, store: event.NewStore(s.DB)}
	g := testkit.NewGeo(t, s.DB)
	w.utrecht = g.Municipality("GM0344", "Utrecht")
	w.west = g.District("WK034403", "West")
	w.lombokOost = g.Neighbourhood(codeOost, "Lombok-Oost")
	w.lombokWest = g.Neighbourhood(codeWest, "Lombok-West")
	g.Municipality("GM0546", "Leiden")
	w.leiden = g.Neighbourhood(codeLeiden, "Leiden-Centrum")
	w.worker = s.CreateUser(t, "werker@example.nl", role.Worker).ID
	w.owner = s.CreateUser(t, "eigenaar@example.nl", role.Resident).ID
	w.ann = s.CreateUser(t, "ann@example.nl", role.Resident).ID
	w.bob = s.CreateUser(t, "bob@example.nl", role.Resident).ID
	exec(t, s, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, w.worker, w.lombokOost)
	w.initiative = id(t, s, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		VALUES ('Buurtmoestuin Lombok', 'Samen tuinieren', $1, 'informal', 'actief', 'platform', 'public', $2) RETURNING id`, w.utrecht, w.owner)
	exec(t, s, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, w.initiative, w.lombokWest)
	exec(t, s, `INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2)`, w.initiative, w.owner)
	w.place = id(t, s, `INSERT INTO assets (kind, place_type, name, neighbourhood_id, needs, created_by, create_token)
		VALUES ('plek', 'buurthuis', 'Buurthuis De Boog', $1, '{ruimte}', $2, 'eventtest-token-0001') RETURNING id`, w.lombokOost, w.worker)
	return w
}

func exec(t *testing.T, s *testkit.Server, sql string, args ...any) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func id(t *testing.T, s *testkit.Server, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return n
}

// ev is an event to insert straight into the database (past ones too).
type ev struct {
	title      string
	start, end time.Time
	capacity   int
	members    bool
	by         int64
	initiative int64
	nbs        []int64
	theme      string
}

func (w world) insert(t *testing.T, e ev) int64 {
	t.Helper()
	vis := "public"
	if e.members {
		vis = "members"
	}
	if e.theme == "" {
		e.theme = "ontmoeting"
	}
	if e.by == 0 {
		e.by = w.worker
	}
	if e.nbs == nil {
		e.nbs = []int64{w.lombokOost}
	}
	n := id(t, w.s, `INSERT INTO events (title, description, theme, starts_at, ends_at, place_text, visibility, capacity, initiative_id, created_by)
		VALUES ($1, 'Kom ook!', $2, $3, $4, 'Het plein', $5, NULLIF($6, 0), NULLIF($7, 0::bigint), $8) RETURNING id`,
		e.title, e.theme, e.start, e.end, vis, e.capacity, e.initiative, e.by)
	for _, nb := range e.nbs {
		exec(t, w.s, `INSERT INTO event_neighbourhoods (event_id, neighbourhood_id) VALUES ($1, $2)`, n, nb)
	}
	return n
}

// soon is an event tomorrow evening, two hours long.
func soon(title string) ev {
	s := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	return ev{title: title, start: s, end: s.Add(2 * time.Hour)}
}

var keyRe = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)

func formKey(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	res := c.Get(path)
	m := keyRe.FindStringSubmatch(res.Body)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("GET %s: %d, no key\n%s", path, res.StatusCode, res.Body)
	}
	return m[1]
}

func notifications(t *testing.T, w world, account int64, category string) []string {
	t.Helper()
	rows, err := w.s.DB.Query(context.Background(), `SELECT body FROM notifications WHERE recipient_id = $1 AND category = $2 ORDER BY id`, account, category)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
