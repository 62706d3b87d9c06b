package help_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// world: Lombok-Oost and Lombok-West lie in one district of Utrecht,
// Oog in Al in another. Anna and Dirk live in Lombok-Oost, Bert in
// Lombok-West, Carla in Oog in Al; Wim is a community worker of
// Lombok-Oost, Gemma a municipality officer and Beheer an administrator.
type world struct {
	s                                *testkit.Server
	oost, west, oog                  int64
	anna, bert, carla, dirk, wim     *testkit.Client
	gemma                            *testkit.Client
	annaID, bertID, carlaID, adminID int64
	admin                            *testkit.Client
}

const (
	codeOost = "BU03440301"
	codeWest = "BU03440302"
	codeOog  = "BU03440101"
)

func newWorld(t *testing.T) world {
	t.Helper()
	s := testkit.NewServer(t)
	g := testkit.NewGeo(t, s.DB)
	g.Municipality("GM0344", "Utrecht")
	w := world{s: s}
	w.oost = g.Neighbourhood(codeOost, "Lombok-Oost")
	w.west = g.Neighbourhood(codeWest, "Lombok-West")
	w.oog = g.Neighbourhood(codeOog, "Oog in Al")
	var muni int64
	w.query(t, &muni, `SELECT id FROM municipalities WHERE code = 'GM0344'`)
	w.anna, w.annaID = w.user(t, "anna@example.nl", "Anna de Vries", w.oost, role.Resident)
	w.bert, w.bertID = w.user(t, "bert@example.nl", "Bert Jansen", w.west, role.Resident)
	w.carla, w.carlaID = w.user(t, "carla@example.nl", "Carla Smit", w.oog, role.Resident)
	w.dirk, _ = w.user(t, "dirk@example.nl", "Dirk Smit", w.oost, role.Resident)
	var wimID, gemmaID int64
	w.wim, wimID = w.user(t, "wim@example.nl", "Wim Opbouw", 0, role.Worker)
	w.exec(t, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, wimID, w.oost)
	w.gemma, gemmaID = w.user(t, "gemma@example.nl", "Gemma Gemeente", w.oost, role.Officer)
	w.exec(t, `UPDATE accounts SET municipality_id = $2 WHERE id = $1`, gemmaID, muni)
	w.admin, w.adminID = w.user(t, "beheer@example.nl", "Beheer", 0, role.Admin)
	return w
}

func (w world) user(t *testing.T, email, name string, home int64, roles ...role.Role) (*testkit.Client, int64) {
	t.Helper()
	a := w.s.CreateUser(t, email, roles...)
	w.exec(t, `UPDATE accounts SET display_name = $2, home_neighbourhood_id = NULLIF($3::bigint, 0) WHERE id = $1`, a.ID, name, home)
	return w.s.Login(t, email), a.ID
}

func (w world) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := w.s.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func (w world) query(t *testing.T, dst any, sql string, args ...any) {
	t.Helper()
	if err := w.s.DB.QueryRow(context.Background(), sql, args...).Scan(dst); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func (w world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	w.query(t, &n, sql, args...)
	return n
}

var keyRe = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)

// key fetches a form page and returns its idempotency key.
func key(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	res := c.Get(path)
	m := keyRe.FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no key", path, res.StatusCode)
	}
	return m[1]
}

func today() time.Time {
	y, m, d := time.Now().In(dutch.Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func day(offset int) string { return today().AddDate(0, 0, offset).Format("2006-01-02") }

// ask posts a request (or offer) by c in neighbourhood nb and returns its id.
func (w world) ask(t *testing.T, c *testkit.Client, kind, category, body string, nb int64) int64 {
	t.Helper()
	res := c.PostForm("/burenhulp/nieuw", url.Values{"sleutel": {key(t, c, "/burenhulp/nieuw")}, "soort": {kind},
		"categorie": {category}, "tekst": {body}, "buurt": {strconv.FormatInt(nb, 10)}, "van": {day(0)}, "tot": {day(7)}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/burenhulp/") {
		t.Fatalf("ask: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Location(), "/burenhulp/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func path(id int64) string { return "/burenhulp/" + strconv.FormatInt(id, 10) }

func wantStatus(t *testing.T, what string, res testkit.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d (%s)", what, res.StatusCode, status, res.Location())
	}
}

func contains(t *testing.T, what, body, want string, yes bool) {
	t.Helper()
	if strings.Contains(body, want) != yes {
		t.Errorf("%s: contains %q = %v, want %v", what, want, !yes, yes)
	}
}
