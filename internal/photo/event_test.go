package photo_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

func eventPath(n int64) string { return "/bijeenkomsten/" + id(n) + "/fotos" }

// event inserts an event of anna's public initiative, created by carl, in
// two days; visibility is 'public' or 'members'.
func (w world) event(t *testing.T, title, visibility string, by int64) int64 {
	t.Helper()
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	var n int64
	w.scan(t, &n, `INSERT INTO events (title, theme, starts_at, ends_at, place_text, visibility, initiative_id, created_by)
		VALUES ($1, 'ontmoeting', $2, $3, 'Het plein', $4, $5, $6) RETURNING id`, title, start, start.Add(2*time.Hour), visibility, w.ini, by)
	return n
}

// TestEventPhotos: an event's organisers (its creator and the owners of its
// initiative) and administrators add photos; others do not. The photos
// follow the event: a members-only event's are for members and never
// cached publicly, a hidden event's are for its organisers and
// administrators only, a cancelled event's stay. The event page shows them
// and gives the organisers a link to add more.
func TestEventPhotos(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	carl := w.s.CreateUser(t, "carl@example.nl")
	anna := w.s.Login(t, "anna@example.nl")
	bob := w.s.Login(t, "bob@example.nl")
	carlC := w.s.Login(t, "carl@example.nl")
	admin := w.s.Login(t, "beheer@example.nl")
	anon := w.s.Client(t)
	pic := testJPEG(t, 120, 90)

	open := w.event(t, "Buurtborrel", "public", carl.ID)
	members := w.event(t, "Ledenavond", "members", carl.ID)
	hidden := w.event(t, "Ruilmarkt", "public", carl.ID)

	// Who uploads: the creator, an owner of the initiative and an
	// administrator; not bob, not an anonymous visitor.
	res := w.post(t, carlC, eventPath(open), uuid.New(), "Buren proosten op het plein", "f.jpg", pic)
	wantStatus(t, "creator uploads", res, http.StatusSeeOther)
	if res.Location() != eventPath(open) {
		t.Errorf("redirect to %q", res.Location())
	}
	wantStatus(t, "initiative owner uploads", w.post(t, anna, eventPath(open), uuid.New(), "Een lange tafel met hapjes", "f.jpg", pic), http.StatusSeeOther)
	wantStatus(t, "admin uploads", w.post(t, admin, eventPath(members), uuid.New(), "Leden rond de tafel", "f.jpg", pic), http.StatusSeeOther)
	wantStatus(t, "bob uploads", w.post(t, bob, eventPath(open), uuid.New(), "Niet van mij", "f.jpg", pic), http.StatusForbidden)
	if res := w.post(t, anon, eventPath(open), uuid.New(), "Anoniem", "f.jpg", pic); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous upload: %d %s", res.StatusCode, res.Location())
	}
	wantStatus(t, "unknown event", w.post(t, carlC, eventPath(hidden+100), uuid.New(), "Niets", "f.jpg", pic), http.StatusNotFound)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE event_id IS NOT NULL`); n != 3 {
		t.Fatalf("%d event photos, want 3", n)
	}
	contains(t, "bob's photo page", bob.Get(eventPath(open)).Body, `enctype="multipart/form-data"`, false)
	contains(t, "carl's photo page", carlC.Get(eventPath(open)).Body, `enctype="multipart/form-data"`, true)

	// The event page: the gallery for everyone, the links for organisers.
	page := "/bijeenkomsten/" + id(open)
	res = anon.Get(page)
	wantStatus(t, "event page", res, http.StatusOK)
	contains(t, "event page", res.Body, `data-testid="gallery"`, true)
	contains(t, "event page", res.Body, `alt="Buren proosten op het plein"`, true)
	contains(t, "event page", res.Body, `data-testid="add-photos"`, false)
	contains(t, "bob's event page", bob.Get(page).Body, `data-testid="add-photos"`, false)
	for name, c := range map[string]*testkit.Client{"carl": carlC, "anna": anna} {
		body := c.Get(page).Body
		contains(t, name+"'s event page", body, `href="`+eventPath(open)+`" data-testid="add-photos"`, true)
		contains(t, name+"'s event page", body, `data-testid="manage-photos"`, true)
	}

	// A public event's photo is cached publicly.
	openURL := srcPattern.FindString(anon.Get(eventPath(open)).Body)
	if openURL == "" {
		t.Fatal("no image on the public event's photo page")
	}
	res = anon.Get(openURL)
	wantStatus(t, "public image", res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("public event image: Cache-Control %q", cc)
	}

	// Members-only: anonymous visitors are sent to log in and get no image;
	// members see it, never from a shared cache.
	if res := anon.Get(eventPath(members)); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous on a members-only event's photos: %d %s", res.StatusCode, res.Location())
	}
	memberURL := srcPattern.FindString(bob.Get(eventPath(members)).Body)
	if memberURL == "" {
		t.Fatal("no image on the members-only event's photo page")
	}
	contains(t, "members event page", bob.Get("/bijeenkomsten/"+id(members)).Body, `alt="Leden rond de tafel"`, true)
	wantStatus(t, "anonymous members-only image", anon.Get(memberURL), http.StatusNotFound)
	res = bob.Get(memberURL)
	wantStatus(t, "member's image", res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "public") {
		t.Errorf("members-only event image cached publicly: %q", cc)
	}

	// A hidden event: its photos are for its organisers and administrators.
	wantStatus(t, "before hiding", w.post(t, carlC, eventPath(hidden), uuid.New(), "Tafels vol spullen", "f.jpg", pic), http.StatusSeeOther)
	hiddenURL := srcPattern.FindString(anon.Get(eventPath(hidden)).Body)
	if hiddenURL == "" {
		t.Fatal("no image on the event's photo page")
	}
	w.exec(t, `UPDATE events SET hidden_at = now(), hidden_reason = 'Test' WHERE id = $1`, hidden)
	// (An anonymous visitor is asked to log in, as for any subject they may not see.)
	if res := anon.Get(eventPath(hidden)); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous on a hidden event's photos: %d %s", res.StatusCode, res.Location())
	}
	wantStatus(t, "hidden event's photos, bob", bob.Get(eventPath(hidden)), http.StatusNotFound)
	wantStatus(t, "hidden event's image, anonymous", anon.Get(hiddenURL), http.StatusNotFound)
	wantStatus(t, "hidden event's image, bob", bob.Get(hiddenURL), http.StatusNotFound)
	wantStatus(t, "bob uploads to a hidden event", w.post(t, bob, eventPath(hidden), uuid.New(), "Verborgen", "f.jpg", pic), http.StatusNotFound)
	for name, c := range map[string]*testkit.Client{"carl": carlC, "anna": anna, "admin": admin} {
		wantStatus(t, "hidden event's photos, "+name, c.Get(eventPath(hidden)), http.StatusOK)
		res := c.Get(hiddenURL)
		wantStatus(t, "hidden event's image, "+name, res, http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "public") {
			t.Errorf("hidden event's image cached publicly for %s: %q", name, cc)
		}
	}

	// A cancelled event stays on its page, and so do its photos.
	w.exec(t, `UPDATE events SET cancelled_at = now(), cancel_message = 'Te veel regen.' WHERE id = $1`, open)
	res = anon.Get(openURL)
	wantStatus(t, "cancelled event's image", res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("cancelled event image: Cache-Control %q", cc)
	}

	// Removing: the organisers, not bob; deleting the event takes its photos.
	var photoID int64
	w.scan(t, &photoID, `SELECT id FROM photos WHERE event_id = $1 ORDER BY id LIMIT 1`, open)
	remove := "/fotos/" + id(photoID) + "/verwijderen"
	wantStatus(t, "bob removes", bob.PostForm(remove, nil), http.StatusForbidden)
	res = anna.PostForm(remove, nil)
	wantStatus(t, "anna removes", res, http.StatusSeeOther)
	if res.Location() != eventPath(open) {
		t.Errorf("after removing: %q", res.Location())
	}
	w.exec(t, `DELETE FROM events WHERE id = $1`, members)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE event_id = $1`, members); n != 0 {
		t.Errorf("%d photos left of a deleted event", n)
	}
}
