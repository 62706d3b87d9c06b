package initiative_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// setHome gives the account with email the home neighbourhood code.
func setHome(t testing.TB, s *testkit.Server, email, code string) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET home_neighbourhood_id = (SELECT id FROM neighbourhoods WHERE code = $2)
		WHERE email = $1`, email, code); err != nil {
		t.Fatal(err)
	}
}

// The create form starts from the resident's home neighbourhood: the
// municipality step is skipped, the home ticked and its district open,
// while other neighbourhoods and another municipality stay a choice.
func TestNewStartsFromHome(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "thuis@example.org")
	setHome(t, s, "thuis@example.org", "BU03440302")
	s.CreateUser(t, "zonder@example.org")
	home := s.Login(t, "thuis@example.org")

	ticked := `value="BU03440302" checked`
	tests := []struct {
		name, path   string
		c            *testkit.Client
		form, ticked bool
	}{
		{"home decides the municipality", "/initiatieven/nieuw", home, true, true},
		{"own municipality chosen", "/initiatieven/nieuw?gemeente=GM0344", home, true, true},
		{"other municipality chosen", "/initiatieven/nieuw?gemeente=GM0363", home, true, false},
		{"asked to choose again", "/initiatieven/nieuw?kies=1", home, false, false},
		{"no home: municipality step", "/initiatieven/nieuw", s.Login(t, "zonder@example.org"), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.c.Get(tc.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if form := strings.Contains(res.Body, `name="sleutel"`); form != tc.form {
				t.Fatalf("form shown %v, want %v (municipality step instead?)", form, tc.form)
			}
			if got := strings.Contains(res.Body, ticked); got != tc.ticked {
				t.Errorf("home neighbourhood ticked %v, want %v", got, tc.ticked)
			}
			if tc.ticked && strings.Count(res.Body, " checked") < 1 {
				t.Error("nothing ticked")
			}
		})
	}
	// The district of the home is open, the others folded; every
	// neighbourhood of the municipality can still be ticked.
	res := home.Get("/initiatieven/nieuw")
	if !strings.Contains(res.Body, `<details class="bk-place-group" open><summary>Oost</summary>`) ||
		strings.Contains(res.Body, `<details class="bk-place-group" open><summary>Binnenstad</summary>`) ||
		!strings.Contains(res.Body, `value="BU03440101"`) || !strings.Contains(res.Body, `href="/initiatieven/nieuw?kies=1"`) {
		t.Errorf("form from home: districts or other choices wrong:\n%s", res.Body)
	}
	// Posting another neighbourhood than the home is fine.
	id := create(t, home, func(f url.Values) { f["buurt"] = []string{"BU03440101"} })
	if n := count(t, s, `SELECT count(*) FROM initiative_neighbourhoods x JOIN neighbourhoods n ON n.id = x.neighbourhood_id
		WHERE x.initiative_id = $1 AND n.code = 'BU03440101'`, id); n != 1 {
		t.Errorf("initiative not in the chosen neighbourhood (%d)", n)
	}
}
