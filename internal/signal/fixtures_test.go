package signal_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// CBS codes of the world's municipalities.
const (
	gmUtrecht = "GM0344"
	gmLeiden  = "GM0546"
)

// world is a server with two Utrecht neighbourhoods (in two districts) and
// one in Leiden.
type world struct {
	s                 *testkit.Server
	utrecht, leiden   int64
	oogInAl, lombok   int64
	leidenCentrum     int64
	oogInAlCode       string
	lombokCode        string
	leidenCentrumCode string
}

func newWorld(t *testing.T) world {
	t.Helper()
	s := testkit.NewServer(t)
	w := world{s: s, oogInAlCode: "BU03440112", lombokCode: "BU03440311", leidenCentrumCode: "BU05460101"}
	g := testkit.NewGeo(t, s.DB)
	w.utrecht = g.Municipality(gmUtrecht, "Utrecht")
	w.leiden = g.Municipality(gmLeiden, "Leiden")
	w.oogInAl = g.Neighbourhood(w.oogInAlCode, "Oog in Al")
	w.lombok = g.Neighbourhood(w.lombokCode, "Lombok")
	w.leidenCentrum = g.Neighbourhood(w.leidenCentrumCode, "Leiden-Centrum")
	return w
}

// user creates an account with roles, work areas (workers) and municipality
// (officers), and returns a logged-in client.
func (w world) user(t *testing.T, email string, roles []role.Role, areas []int64, muni int64) (*testkit.Client, int64) {
	t.Helper()
	a := w.s.CreateUser(t, email, roles...)
	ctx := context.Background()
	for _, n := range areas {
		if _, err := w.s.DB.Exec(ctx, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, a.ID, n); err != nil {
			t.Fatal(err)
		}
	}
	if muni != 0 {
		if _, err := w.s.DB.Exec(ctx, `UPDATE accounts SET municipality_id = $2 WHERE id = $1`, a.ID, muni); err != nil {
			t.Fatal(err)
		}
	}
	return w.s.Login(t, email), a.ID
}

var tokenRe = regexp.MustCompile(`name="token" value="([0-9a-f-]{36})"`)

// formToken fetches a form page and returns its idempotency token.
func formToken(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	res := c.Get(path)
	m := tokenRe.FindStringSubmatch(res.Body)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("GET %s: %d, no token", path, res.StatusCode)
	}
	return m[1]
}
