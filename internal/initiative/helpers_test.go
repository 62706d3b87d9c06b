package initiative_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// geo is the small piece of the map every test uses: two districts of
// Utrecht and one neighbourhood of Amsterdam.
type geo struct {
	utrecht, amsterdam int64
}

func seedGeo(t testing.TB, s *testkit.Server) geo {
	t.Helper()
	b := testkit.NewGeo(t, s.DB)
	g := geo{utrecht: b.Municipality("GM0344", "Utrecht"), amsterdam: b.Municipality("GM0363", "Amsterdam")}
	b.District("WK034401", "Binnenstad")
	b.District("WK034403", "Oost")
	b.District("WK036300", "Burgwallen-Oude Zijde")
	for _, n := range []struct{ code, name string }{
		{"BU03440101", "Domplein"},
		{"BU03440102", "Lange Nieuwstraat"},
		{"BU03440103", "Wolvenplein"},
		{"BU03440301", "Oudwijk"},
		{"BU03440302", "Wittevrouwen"},
		{"BU03440303", "Abstede"},
		{"BU03630000", "Kop Zeedijk"},
	} {
		b.Neighbourhood(n.code, n.name)
	}
	return g
}

// officer creates an officer of municipality id.
func officer(t testing.TB, s *testkit.Server, email string, municipality int64) {
	t.Helper()
	s.CreateUser(t, email, role.Officer)
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET municipality_id = $1 WHERE email = $2`, municipality, email); err != nil {
		t.Fatal(err)
	}
}

var reKey = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)

// validForm is a complete, valid create form for Utrecht.
func validForm(key string) url.Values {
	return url.Values{
		"gemeente":           {"GM0344"},
		"sleutel":            {key},
		"titel":              {"Moestuin Oudwijk"},
		"samenvatting":       {"Samen groente kweken op het braakliggende veldje."},
		"beschrijving":       {"We zijn met vijf buren begonnen.\nIedereen is welkom."},
		"buurt":              {"BU03440301", "BU03440302"},
		"thema":              {"openbare-ruimte", "ontmoeting"},
		"vorm":               {"informal"},
		"status":             {"idee"},
		"behoefte":           {"vrijwilligers", "materiaal"},
		"behoefte_materiaal": {"Een kruiwagen en schoppen"},
		"contact":            {"email"},
		"contactgegevens":    {"moestuin@example.org"},
		"zichtbaarheid":      {"public"},
	}
}

// formKey fetches the create form and returns its idempotency token.
func formKey(t testing.TB, c *testkit.Client) string {
	t.Helper()
	res := c.Get("/initiatieven/nieuw?gemeente=GM0344")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET form: %d", res.StatusCode)
	}
	m := reKey.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("form has no idempotency token")
	}
	return m[1]
}

// create registers an initiative through the form and returns its id.
func create(t testing.TB, c *testkit.Client, change func(url.Values)) int64 {
	t.Helper()
	f := validForm(formKey(t, c))
	if change != nil {
		change(f)
	}
	res := c.PostForm("/initiatieven/nieuw", f)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d: %s", res.StatusCode, errorsIn(res.Body))
	}
	return idFrom(t, res.Location())
}

func idFrom(t testing.TB, loc string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/initiatieven/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q: %v", loc, err)
	}
	return id
}

func path(id int64, suffix string) string {
	return "/initiatieven/" + strconv.FormatInt(id, 10) + suffix
}

var reError = regexp.MustCompile(`<p class="bk-error[^"]*" id="([^"]+)">([^<]*)</p>`)

// errorsIn lists the field errors of a page, for failure messages.
func errorsIn(body string) string {
	var out []string
	for _, m := range reError.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+": "+m[2])
	}
	return strings.Join(out, "; ")
}

// fieldError returns the error shown next to field, or "".
func fieldError(body, field string) string {
	for _, m := range reError.FindAllStringSubmatch(body, -1) {
		if m[1] == "veld-"+field+"-fout" {
			return m[2]
		}
	}
	return ""
}

func count(t testing.TB, s *testkit.Server, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// officerOf gives an existing account the municipality it serves.
func officerOf(t *testing.T, s *testkit.Server, email string, municipality int64) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET municipality_id = $1 WHERE email = $2`, municipality, email); err != nil {
		t.Fatal(err)
	}
}
