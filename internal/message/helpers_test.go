package message_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// world is the fixture: Piet and Anna own the initiative "Moestuin", Hans
// offered help with it, Tom has a talent and a place on the asset map, Eva
// is a bystander, Beheer an administrator and Gemma a municipality officer.
type world struct {
	piet, anna, hans, tom, eva, admin, officer account.Account
	nb, initiative, offer, talent, place       int64
}

const (
	title     = "Moestuin"
	offerText = "Ik kan helpen met de bakken."
)

func scalar(t testing.TB, s *testkit.Server, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return n
}

func exec(t testing.TB, s *testkit.Server, sql string, args ...any) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func seedWorld(t testing.TB, s *testkit.Server) world {
	t.Helper()
	w := world{
		piet:    s.CreateUser(t, "piet@example.nl"),
		anna:    s.CreateUser(t, "anna@example.nl"),
		hans:    s.CreateUser(t, "hans@example.nl"),
		tom:     s.CreateUser(t, "tom@example.nl"),
		eva:     s.CreateUser(t, "eva@example.nl"),
		admin:   s.CreateUser(t, "beheer@example.nl", role.Resident, role.Admin),
		officer: s.CreateUser(t, "gemma@example.nl", role.Officer),
	}
	// Accounts older than a day, so links are allowed unless a test says otherwise.
	exec(t, s, `UPDATE accounts SET created_at = now() - interval '3 days'`)
	geo := testkit.NewGeo(t, s.DB)
	geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", "West")
	w.nb = geo.Neighbourhood("BU03440111", "Oog in Al")
	w.initiative = scalar(t, s, `
		INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		SELECT $1, 'Samen groente kweken.', municipality_id, 'informal', 'actief', 'platform', 'public', $2
		FROM neighbourhoods WHERE id = $3 RETURNING id`, title, w.piet.ID, w.nb)
	exec(t, s, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, w.initiative, w.nb)
	exec(t, s, `INSERT INTO initiative_owners (initiative_id, account_id, added_at) VALUES ($1, $2, now() - interval '1 day'), ($1, $3, now())`,
		w.initiative, w.piet.ID, w.anna.ID)
	w.offer = scalar(t, s, `INSERT INTO initiative_offers (initiative_id, account_id, need, message) VALUES ($1, $2, 'kennis', $3) RETURNING id`,
		w.initiative, w.hans.ID, offerText)
	w.talent = scalar(t, s, `
		INSERT INTO assets (kind, name, neighbourhood_id, needs, visibility, created_by, create_token)
		VALUES ('talent', 'fietsen repareren', $1, '{kennis}', 'members', $2, 'talent-token-0000001') RETURNING id`, w.nb, w.tom.ID)
	w.place = scalar(t, s, `
		INSERT INTO assets (kind, place_type, name, neighbourhood_id, needs, visibility, created_by, create_token)
		VALUES ('plek', 'buurthuis', 'Buurthuis De Boog', $1, '{ruimte}', 'public', $2, 'place-token-00000001') RETURNING id`, w.nb, w.tom.ID)
	return w
}

var keyRe = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)

// key reads the idempotency key of the form on a page.
func key(t testing.TB, res testkit.Response) string {
	t.Helper()
	m := keyRe.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no form key on the page (status %d):\n%s", res.StatusCode, res.Body)
	}
	return m[1]
}

func startPath(over string, id int64) string {
	return "/berichten/nieuw?over=" + over + "&id=" + strconv.FormatInt(id, 10)
}

// start opens the start form and sends body; it returns the response of the POST.
func start(t testing.TB, c *testkit.Client, over string, id int64, body string) testkit.Response {
	t.Helper()
	form := c.Get(startPath(over, id))
	if form.StatusCode != http.StatusOK {
		t.Fatalf("start form %s %d: %d\n%s", over, id, form.StatusCode, form.Body)
	}
	return c.PostForm("/berichten/nieuw", url.Values{"over": {over}, "id": {strconv.FormatInt(id, 10)}, "sleutel": {key(t, form)}, "bericht": {body}})
}

// mustStart is start that must succeed; it returns the conversation's path.
func mustStart(t testing.TB, c *testkit.Client, over string, id int64, body string) string {
	t.Helper()
	res := start(t, c, over, id, body)
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/berichten/[0-9]+$`).MatchString(res.Location()) {
		t.Fatalf("start %s %d: %d %q\n%s", over, id, res.StatusCode, res.Location(), res.Body)
	}
	return res.Location()
}

// reply opens conversation path and answers body in its form.
func reply(t testing.TB, c *testkit.Client, path, body string) testkit.Response {
	t.Helper()
	page := c.Get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("open %s: %d", path, page.StatusCode)
	}
	return c.PostForm(path, url.Values{"sleutel": {key(t, page)}, "bericht": {body}})
}

func mustContain(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}

func mustNotContain(t testing.TB, what, body string, bans ...string) {
	t.Helper()
	for _, ban := range bans {
		if strings.Contains(body, ban) {
			t.Errorf("%s contains %q", what, ban)
		}
	}
}

// esc is s as the HTML shows it.
func esc(s string) string { return html.EscapeString(s) }

func convID(t testing.TB, path string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.TrimPrefix(path, "/berichten/"), 10, 64)
	if err != nil {
		t.Fatalf("conversation path %q", path)
	}
	return n
}
