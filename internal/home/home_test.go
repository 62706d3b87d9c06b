package home_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestIndexShowsOwnCards: anonymous visitors get the introduction with a
// card for every kind of user; a logged-in person sees only the cards of
// their own roles (and the card for the curious).
func TestIndexShowsOwnCards(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	all := []string{"resident", "worker", "officer", "admin"}
	tests := []struct {
		name  string
		roles []role.Role // nil: anonymous
		want  []string
	}{
		{"anonymous", nil, []string{"resident", "worker", "officer"}},
		{"resident", []role.Role{role.Resident}, []string{"resident"}},
		{"worker", []role.Role{role.Worker}, []string{"worker"}},
		{"officer", []role.Role{role.Officer}, []string{"officer"}},
		{"admin", []role.Role{role.Admin}, []string{"admin"}},
		{"resident and worker", []role.Role{role.Resident, role.Worker}, []string{"resident", "worker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.Client(t)
			if tt.roles != nil {
				email := strings.ReplaceAll(tt.name, " ", "-") + "@example.org"
				s.CreateUser(t, email, tt.roles...)
				c = s.Login(t, email)
			}
			res := c.Get("/")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET /: %d", res.StatusCode)
			}
			for _, card := range all {
				shown := strings.Contains(res.Body, `data-testid="card-`+card+`"`)
				want := false
				for _, w := range tt.want {
					want = want || w == card
				}
				if shown != want {
					t.Errorf("card %s shown %v, want %v", card, shown, want)
				}
			}
			if !strings.Contains(res.Body, `data-testid="card-curious"`) {
				t.Error("the card for the curious is missing")
			}
		})
	}
}
