package moderation_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// TestReportEventPhoto: a photo of an event is reported like any photo;
// the queue links to it on the event's photo page; hiding it tells the
// uploader. Once the event itself is hidden, its photos are no longer
// reportable.
func TestReportEventPhoto(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var event, photo int64
	if err := w.s.DB.QueryRow(context.Background(), `INSERT INTO events (title, theme, starts_at, ends_at, place_text, visibility, created_by)
		VALUES ('Buurtborrel', 'ontmoeting', now() + interval '1 day', now() + interval '26 hours', 'Plein', 'public', $1) RETURNING id`, w.anna.ID).Scan(&event); err != nil {
		t.Fatal(err)
	}
	if err := w.s.DB.QueryRow(context.Background(), `INSERT INTO photos (event_id, uploaded_by, alt_text, width, height, hash, idempotency_key)
		VALUES ($1, $2, 'Een reclamebord op het plein', 1, 1, '0123456789abcdef', gen_random_uuid()) RETURNING id`, event, w.anna.ID).Scan(&photo); err != nil {
		t.Fatal(err)
	}
	bob := w.s.Login(t, "bob@example.nl")
	anna := w.s.Login(t, "anna@example.nl")
	admin := w.s.Login(t, "beheer@example.nl")
	report := "/fotos/" + id(photo) + "/melden"
	link := "/bijeenkomsten/" + id(event) + "/fotos#foto-" + id(photo)

	res := bob.Get(report)
	wantStatus(t, "report form", res, http.StatusOK)
	contains(t, "report form", res.Body, `href="`+link+`"`, true)
	wantStatus(t, "own photo", anna.Get(report), http.StatusNotFound)
	wantStatus(t, "report", bob.PostForm(report, url.Values{"reden": {"Dit is reclame."}}), http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM reports WHERE photo_id = $1`, photo); n != 1 {
		t.Fatalf("%d reports of the event photo, want 1", n)
	}
	res = admin.Get("/beheer/moderatie")
	contains(t, "queue", res.Body, `data-testid="queue-item" data-kind="foto"`, true)
	contains(t, "queue", res.Body, `href="`+link+`"`, true)
	hide(t, admin, "foto", photo, "Reclame hoort hier niet.")
	contains(t, "hidden list", admin.Get("/beheer/moderatie").Body, `href="`+link+`"`, true)
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND body LIKE '%Reclame hoort hier niet%'`, w.anna.ID); n != 1 {
		t.Errorf("%d notifications to the uploader, want 1", n)
	}
	wantStatus(t, "show", admin.PostForm("/beheer/moderatie/tonen", url.Values{"soort": {"foto"}, "id": {id(photo)}}), http.StatusSeeOther)

	// A hidden event: its photos cannot be reported.
	if _, err := w.s.DB.Exec(context.Background(), `UPDATE events SET hidden_at = now(), hidden_reason = 'Test' WHERE id = $1`, event); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "report form of a hidden event's photo", bob.Get(report), http.StatusNotFound)
	wantStatus(t, "report of a hidden event's photo", bob.PostForm(report, url.Values{"reden": {"Nog steeds reclame."}}), http.StatusNotFound)
}
