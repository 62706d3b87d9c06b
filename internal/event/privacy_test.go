package event_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestPrivacyExportAndDeletion: a person's sign-ups and the events they
// published are in their export; deleting the account frees their place
// for the first on the waiting list, who is told, and keeps their events,
// nameless.
func TestPrivacyExportAndDeletion(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	full := soon("Volle bijeenkomst")
	full.capacity = 1
	id := w.insert(t, full)
	own := soon("Ann organiseert")
	own.by = w.ann
	ownID := w.insert(t, own)
	if _, _, err := w.store.SignUp(ctx, id, w.ann, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.store.SignUp(ctx, id, w.bob, time.Now()); err != nil {
		t.Fatal(err)
	}
	ann := w.s.Login(t, "ann@example.nl")
	res := ann.Get("/account/gegevens.json")
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatalf("export: %d %v", res.StatusCode, err)
	}
	if s := string(doc["event_sign_ups"]); !strings.Contains(s, "Volle bijeenkomst") || !strings.Contains(s, `"waiting_list": false`) {
		t.Errorf("event_sign_ups: %s", s)
	}
	if s := string(doc["events_organised"]); !strings.Contains(s, "Ann organiseert") || !strings.Contains(s, codeOost) {
		t.Errorf("events_organised: %s", s)
	}
	if s := string(doc["event_sign_ups"]); strings.Contains(s, "bob") {
		t.Errorf("export names another person: %s", s)
	}
	if res := ann.Get("/account/verwijderen"); !strings.Contains(res.Body, `data-testid="preview-signups"`) {
		t.Errorf("the deletion page does not mention the sign-ups")
	}
	res = ann.PostForm("/account/verwijderen", url.Values{"password": {testkit.Password}, "confirm": {"ja"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	_, a, err := w.store.Get(ctx, id, event.Viewer{ID: w.bob})
	if err != nil || a.Status != event.SignedUp {
		t.Errorf("bob after ann left: %v %v, want a place", a.Status, err)
	}
	// Bob hears of his place as after a cancellation.
	var told int
	if err := w.s.DB.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND category = 'agenda'
		AND link = $2 AND body LIKE 'Er is een plaats vrijgekomen%'`, w.bob, event.Path(id)).Scan(&told); err != nil || told != 1 {
		t.Errorf("bob was told of his place %d times (%v), want once", told, err)
	}
	e, _, err := w.store.Get(ctx, ownID, event.Viewer{ID: w.bob})
	if err != nil || e.CreatedBy != 0 {
		t.Errorf("ann's event after she left: %v, created by %d", err, e.CreatedBy)
	}
}
