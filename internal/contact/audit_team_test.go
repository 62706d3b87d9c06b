package contact_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestTeamListIsAudited: a worker opening the team's contacts (colleagues'
// records) leaves one audit entry per page view, naming them, with the
// filter and no content of the contacts; a reload within the minute adds
// none, another filter does.
func TestTeamListIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, colleague := f.worker(t, "collega@example.nl", lombok)
	form := quick(lombok, "straat", "bonding")
	form.Set("energy", "Buurvrouw wil een moestuin")
	colleague.PostForm("/contacten", form)
	me, c := f.worker(t, "ik@example.nl", lombok, oog)

	for range 2 {
		if res := c.Get("/contacten/team?strategie=bonding"); res.StatusCode != http.StatusOK {
			t.Fatalf("team list: %d", res.StatusCode)
		}
	}
	var actor int64
	var action, detail string
	var subject *int64
	rows, err := f.DB.Query(context.Background(), `SELECT actor_id, action, subject_id, detail FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if err := rows.Scan(&actor, &action, &subject, &detail); err != nil {
			t.Fatal(err)
		}
	}
	if n != 1 {
		t.Fatalf("%d audit entries after two views, want 1", n)
	}
	if actor != me.ID || action != "contact.team" || subject != nil || !strings.Contains(detail, "strategie=bonding") {
		t.Errorf("entry: actor %d, %s, subject %v, %q; want actor %d, contact.team, the filter", actor, action, subject, detail, me.ID)
	}
	if strings.Contains(detail, "moestuin") {
		t.Error("the audit entry holds contact content")
	}
	c.Get("/contacten/team?strategie=linking")
	if got := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'contact.team' AND actor_id = $1`, me.ID); got != 2 {
		t.Errorf("after another filter: %d entries, want 2", got)
	}
}
