package asset_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The talent form starts from the resident's home neighbourhood: it is
// selected, the municipality chooser folds away, and another neighbourhood
// or municipality can still be chosen. A worker's places start empty.
func TestFormStartsFromHome(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	for _, who := range []struct {
		email string
		roles []role.Role
	}{{"thuis@example.nl", nil}, {"werker@example.nl", []role.Role{role.Worker}}} {
		a := s.CreateUser(t, who.email, who.roles...)
		if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = $1`, a.ID, g.oog); err != nil {
			t.Fatal(err)
		}
		if who.roles != nil {
			if _, err := s.DB.Exec(context.Background(), `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, a.ID, g.west); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.CreateUser(t, "zonder@example.nl")
	resident, worker := s.Login(t, "thuis@example.nl"), s.Login(t, "werker@example.nl")

	homeSelected := `<option value="` + codeOog + `" selected>`
	tests := []struct {
		name     string
		c        *testkit.Client
		path     string
		selected bool // the home neighbourhood is selected
		folded   bool // the municipality chooser is folded away
	}{
		{"talent from home", resident, "/hulpbronnen/nieuw?soort=talent", true, true},
		{"place of a resident from home", resident, "/hulpbronnen/nieuw?soort=plek", true, true},
		{"talent of a worker from home", worker, "/hulpbronnen/nieuw?soort=talent", true, true},
		{"place of a worker: not from home", worker, "/hulpbronnen/nieuw?soort=plek", false, false},
		{"a neighbourhood link wins", resident, "/hulpbronnen/nieuw?soort=talent&buurt=" + codeWest, false, false},
		{"another municipality chosen", resident, "/hulpbronnen/nieuw?soort=talent&gemeente=GM0546", false, false},
		{"no home", s.Login(t, "zonder@example.nl"), "/hulpbronnen/nieuw?soort=talent", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.c.Get(tc.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := strings.Contains(res.Body, homeSelected); got != tc.selected {
				t.Errorf("home selected %v, want %v", got, tc.selected)
			}
			if got := strings.Contains(res.Body, `data-testid="other-municipality"`); got != tc.folded {
				t.Errorf("chooser folded %v, want %v", got, tc.folded)
			}
			if !strings.Contains(res.Body, `name="gemeente"`) {
				t.Error("no way to choose another municipality")
			}
		})
	}
	// The home's neighbours stay a choice, and saving another one works.
	res := resident.Get("/hulpbronnen/nieuw?soort=talent")
	if !strings.Contains(res.Body, `<option value="`+codeWest+`">`) || !strings.Contains(res.Body, `<input type="hidden" name="gemeente" value="GM0344">`) {
		t.Fatalf("talent form from home lacks the other neighbourhood or the municipality:\n%s", res.Body)
	}
	id := create(t, resident, talentForm("Ik kan fietsen repareren"))
	var code string
	if err := s.DB.QueryRow(context.Background(), `SELECT n.code FROM assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id WHERE a.id = $1`, id).Scan(&code); err != nil || code != codeWest {
		t.Errorf("talent saved in %q (%v), want %s", code, err, codeWest)
	}
}
