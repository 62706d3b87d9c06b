package initiative_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestUntickingNeedRemovesIt: the edit form shows a need's explanation
// filled in; unticking the need and saving removes it, explanation and all,
// while explaining a need that was not asked before still adds it.
func TestUntickingNeedRemovesIt(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil) // vrijwilligers, and materiaal with "Een kruiwagen en schoppen"
	needs := func() []string {
		t.Helper()
		rows, err := s.DB.Query(t.Context(), `SELECT need FROM initiative_needs WHERE initiative_id = $1 ORDER BY need`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	if got := needs(); len(got) != 2 {
		t.Fatalf("needs after create: %v", got)
	}

	// As the browser posts it: materiaal unticked, its explanation still there;
	// geld not ticked but explained for the first time.
	f := editForm(t, anna, id)
	f["behoefte"] = []string{"vrijwilligers"}
	f.Set("behoefte_materiaal", "Een kruiwagen en schoppen")
	f.Set("behoefte_geld", "Voor zaden")
	if res := anna.PostForm(path(id, "/bewerken"), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, errorsIn(res.Body))
	}
	if got := needs(); len(got) != 2 || got[0] != "geld" || got[1] != "vrijwilligers" {
		t.Errorf("needs after unticking materiaal: %v, want [geld vrijwilligers]", got)
	}
	// The edit form shows materiaal unticked.
	body := anna.Get(path(id, "/bewerken")).Body
	if !strings.Contains(body, `value="vrijwilligers" checked`) || strings.Contains(body, `value="materiaal" checked`) {
		t.Error("edit form still ticks the removed need")
	}
}
