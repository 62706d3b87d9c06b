package event_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// TestReportAndHideEvent: a member reports an event, it shows in the
// administrators' queue; hidden, it leaves the agenda and the feed, its
// organiser still sees it with the reason, and nobody signs up.
func TestReportAndHideEvent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.insert(t, soon("Gratis spullen!!!"))
	page := event.Path(id)
	ann := w.s.Login(t, "ann@example.nl")
	if res := ann.PostForm(page+"/melden", url.Values{"reden": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty report: %d", res.StatusCode)
	}
	if res := ann.PostForm(page+"/melden", url.Values{"reden": {"Dit is reclame."}}); res.StatusCode != http.StatusSeeOther || res.Location() != page {
		t.Fatalf("report: %d %s", res.StatusCode, res.Location())
	}
	// The organiser cannot report their own event.
	if res := w.s.Login(t, "werker@example.nl").Get(page + "/melden"); res.StatusCode != http.StatusNotFound {
		t.Errorf("organiser's report form: %d", res.StatusCode)
	}
	w.s.CreateUser(t, "beheer@example.nl", role.Admin)
	admin := w.s.Login(t, "beheer@example.nl")
	if res := admin.Get("/beheer/moderatie"); !strings.Contains(res.Body, "Gratis spullen!!!") || !strings.Contains(res.Body, "Dit is reclame.") {
		t.Fatalf("queue lacks the event report")
	}
	res := admin.PostForm("/beheer/moderatie/verbergen", url.Values{"soort": {"bijeenkomst"}, "id": {strconv.FormatInt(id, 10)}, "reden": {"Reclame."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.StatusCode)
	}
	var reports int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM reports WHERE event_id = $1`, id).Scan(&reports); err != nil || reports != 0 {
		t.Errorf("%d reports left after hiding", reports)
	}
	if res := ann.Get(page); res.StatusCode != http.StatusNotFound {
		t.Errorf("hidden event for a member: %d", res.StatusCode)
	}
	if res := ann.Get("/buurten/" + codeOost + "/agenda"); strings.Contains(res.Body, "Gratis spullen") {
		t.Errorf("hidden event in the agenda")
	}
	if res := w.s.Login(t, "werker@example.nl").Get(page); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Reclame.") {
		t.Errorf("organiser's view of the hidden event: %d", res.StatusCode)
	}
	if n := notifications(t, w, w.worker, "besluiten"); len(n) != 1 {
		t.Errorf("organiser's notifications: %q", n)
	}
	if _, _, err := w.store.SignUp(context.Background(), id, w.bob, time.Now()); !errors.Is(err, event.ErrNotFound) {
		t.Errorf("sign-up for a hidden event: %v", err)
	}
}
