package privacy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestExportNamesTheEventOfAPhoto: a photo someone added to an event is in
// their export with the event's title as its subject.
func TestExportNamesTheEventOfAPhoto(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	anna := s.CreateUser(t, "anna@example.nl")
	ctx := context.Background()
	if _, err := s.DB.Exec(ctx, `
		WITH e AS (INSERT INTO events (title, theme, starts_at, ends_at, place_text, visibility, created_by)
		           VALUES ('Buurtborrel op het plein', 'ontmoeting', now() + interval '1 day', now() + interval '26 hours', 'Plein', 'public', $1)
		           RETURNING id)
		INSERT INTO photos (event_id, uploaded_by, alt_text, width, height, hash, idempotency_key)
		SELECT e.id, $1, 'Buren proosten', 1, 1, '0123456789abcdef', gen_random_uuid() FROM e`, anna.ID); err != nil {
		t.Fatal(err)
	}
	res := s.Login(t, "anna@example.nl").Get("/account/gegevens.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	var doc struct {
		Photos []struct {
			About   string `json:"about"`
			Subject string `json:"subject"`
			Alt     string `json:"alt_text"`
		} `json:"photos_uploaded"`
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Photos) != 1 || doc.Photos[0].About != "bijeenkomst" || doc.Photos[0].Subject != "Buurtborrel op het plein" || doc.Photos[0].Alt != "Buren proosten" {
		t.Errorf("photos_uploaded: %+v", doc.Photos)
	}
}
