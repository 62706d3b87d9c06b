package initiative_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestConcurrentDoubleSubmit: the same form sent five times at once (a
// nervous double tap on a slow connection) makes one initiative, and every
// answer leads to it.
func TestConcurrentDoubleSubmit(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	f := validForm(formKey(t, c))
	var wg sync.WaitGroup
	res := make([]testkit.Response, 5)
	for k := range res {
		wg.Go(func() { res[k] = c.PostForm("/initiatieven/nieuw", f) })
	}
	wg.Wait()
	for k, r := range res {
		if r.StatusCode != http.StatusSeeOther || r.Location() != res[0].Location() {
			t.Errorf("submit %d: %d → %q, first → %q", k, r.StatusCode, r.Location(), res[0].Location())
		}
	}
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 1 {
		t.Errorf("%d initiatives", n)
	}
	if n := count(t, s, `SELECT count(*) FROM initiative_owners`); n != 1 {
		t.Errorf("%d owner rows", n)
	}
}

// TestConcurrentEdits: five saves of the same version at once; exactly one
// wins, the others get the "meanwhile changed" answer.
func TestConcurrentEdits(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	id := create(t, c, nil)
	f := editForm(t, c, id)
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for k := range codes {
		g := make(map[string][]string, len(f))
		for key, v := range f {
			g[key] = v
		}
		g["titel"] = []string{"Versie " + string(rune('A'+k))}
		wg.Go(func() { codes[k] = c.PostForm(path(id, "/bewerken"), g).StatusCode })
	}
	wg.Wait()
	won := 0
	for _, code := range codes {
		switch code {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
		default:
			t.Errorf("unexpected status %d", code)
		}
	}
	if won != 1 {
		t.Errorf("%d saves won, want exactly 1 (%v)", won, codes)
	}
	if n := count(t, s, `SELECT version FROM initiatives WHERE id = $1`, id); n != 2 {
		t.Errorf("version %d after one winning save, want 2", n)
	}
}
