package contact_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// Neighbourhood codes of the fixture: Lombok and Oog in Al are work areas of
// the workers below, Zuilen is nobody's.
const (
	lombok = "BU03440101"
	oog    = "BU03440102"
	zuilen = "BU03440103"
)

type fixture struct {
	*testkit.Server
	ids map[string]int64 // neighbourhood code -> id
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := testkit.NewServer(t)
	f := &fixture{Server: s, ids: map[string]int64{}}
	g := testkit.NewGeo(t, s.DB)
	g.Municipality("GM0344", "Utrecht")
	g.District("WK034401", "West")
	for code, name := range map[string]string{lombok: "Lombok", oog: "Oog in Al", zuilen: "Zuilen"} {
		f.ids[code] = g.Neighbourhood(code, name)
	}
	return f
}

// worker creates a worker with the given work areas and logs in.
func (f *fixture) worker(t *testing.T, email string, areas ...string) (account.Account, *testkit.Client) {
	t.Helper()
	a := f.CreateUser(t, email, role.Resident, role.Worker)
	for _, code := range areas {
		if _, err := f.DB.Exec(context.Background(), `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, a.ID, f.ids[code]); err != nil {
			t.Fatal(err)
		}
	}
	return a, f.Login(t, email)
}

// quick is a minimal valid quick-log form.
func quick(code, place, strategy string) url.Values {
	return url.Values{"client_id": {uuid.New()}, "neighbourhood": {code}, "place_type": {place}, "strategy": {strategy}}
}

func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// lastID returns the id of the worker's newest contact.
func (f *fixture) lastID(t *testing.T, workerID int64) int64 {
	t.Helper()
	var id int64
	if err := f.DB.QueryRow(context.Background(), `SELECT id FROM contacts WHERE worker_id = $1 ORDER BY id DESC LIMIT 1`, workerID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
