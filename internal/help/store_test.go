package help_test

import (
	"context"
	"slices"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/help"
)

// TestStoreWorkAreasUnansweredFirst: a worker's list puts what nobody
// answered first (the longest waiting first), then the answered ones; it
// holds only open, current, visible requests of the work areas.
func TestStoreWorkAreasUnansweredFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	insert := func(body string, hoursAgo int, answered bool, nb int64) int64 {
		t.Helper()
		var id int64
		w.query(t, &id, `INSERT INTO help_requests (kind, category, body, neighbourhood_id, author_id, starts_on, ends_on,
			idempotency_key, created_at, answered_at)
			VALUES ('vraag', 'anders', $1, $5, $2, current_date, current_date + 7, gen_random_uuid(),
			        now() - make_interval(hours => $3), CASE WHEN $4 THEN now() END) RETURNING id`, body, w.annaID, hoursAgo, answered, nb)
		return id
	}
	answered := insert("beantwoord", 50, true, w.oost)
	older := insert("wacht lang", 40, false, w.oost)
	newer := insert("wacht kort", 1, false, w.oost)
	insert("elders", 30, false, w.oog)
	expired := insert("verlopen", 60, false, w.oost)
	w.exec(t, `UPDATE help_requests SET starts_on = current_date - 9, ends_on = current_date - 1 WHERE id = $1`, expired)

	got, err := help.NewStore(w.s.DB).InAreas(context.Background(), 0, []int64{w.oost})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range got {
		ids = append(ids, r.ID)
		if r.FirstName != "Anna" {
			t.Errorf("first name %q", r.FirstName)
		}
	}
	want := []int64{older, newer, answered}
	if !slices.Equal(ids, want) {
		t.Fatalf("order %v, want %v", ids, want)
	}
	if none, err := help.NewStore(w.s.DB).InAreas(context.Background(), 0, nil); err != nil || len(none) != 0 {
		t.Fatalf("no areas: %v %v", none, err)
	}
}
