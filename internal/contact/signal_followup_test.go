package contact_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// TestQuickLogSignalFollowUp: a contact saved with the follow-up "signaal
// afgeven" leads to the signal form, filled in from the contact (its
// neighbourhood, its concern as the description, its first theme) but not
// submitted; the worker reviews and submits it.
func TestQuickLogSignalFollowUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok, oog)
	_, colleague := f.worker(t, "collega@example.nl", oog)

	const concern = "Ouderen in de flat voelen zich eenzaam sinds de buurtkamer dicht is & niemand komt."
	form := quick(oog, "straat", "bonding")
	form["themes"] = []string{"zorg", "ontmoeting"}
	form.Set("concern", concern)
	form.Set("note", "Mevrouw op drie wil meedenken")
	form.Set("follow_up", "signaal")
	res := c.PostForm("/contacten", form)
	id := f.lastID(t, w.ID)
	want := "/signalen/nieuw?buurt=" + oog + "&contact=" + strconv.FormatInt(id, 10)
	if res.StatusCode != http.StatusSeeOther || res.Location() != want {
		t.Fatalf("save: %d %q, want a redirect to %q\n%s", res.StatusCode, res.Location(), want, res.Body)
	}
	// A double submit stores one contact and leads to the same form.
	if again := c.PostForm("/contacten", form); again.StatusCode != http.StatusSeeOther || again.Location() != want {
		t.Errorf("double submit: %d %q", again.StatusCode, again.Location())
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id = $1`, w.ID); n != 1 {
		t.Errorf("%d contacts, want 1", n)
	}

	page := c.Get(want)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("signal form: %d", page.StatusCode)
	}
	for _, s := range []string{
		`<option value="` + strconv.FormatInt(f.ids[oog], 10) + `" selected>Oog in Al</option>`, // the neighbourhood, no municipality step
		">" + html.EscapeString(concern) + "</textarea>",                                        // the concern as the description
		`<option value="zorg" selected>`,                                                        // the first theme
		`data-testid="from-contact"`, "Contact opgeslagen.", `name="token"`,
		`id="veld-title" name="title" type="text" value=""`, // the title is the worker's to write
	} {
		if !strings.Contains(page.Body, s) {
			t.Errorf("signal form lacks %s", s)
		}
	}
	if strings.Contains(page.Body, "Mevrouw op drie") {
		t.Error("the private note reached the signal form")
	}
	if n := f.count(t, `SELECT count(*) FROM signals`); n != 0 {
		t.Errorf("%d signals stored before the worker submitted", n)
	}

	// Another worker opening the same link gets an empty form: the contact is not theirs.
	other := colleague.Get(want)
	if other.StatusCode != http.StatusOK || strings.Contains(other.Body, "eenzaam") || strings.Contains(other.Body, `data-testid="from-contact"`) {
		t.Errorf("another worker's form (%d) is filled from the contact", other.StatusCode)
	}

	// The quick-log form afterwards offers the same step next to undo.
	next := c.Get("/contacten/nieuw")
	if !strings.Contains(next.Body, `data-testid="signal-draft"`) || !strings.Contains(next.Body, html.EscapeString(want)) {
		t.Error("the undo box lacks the link to the signal form")
	}

	// Other follow-ups return to the quick log as before.
	plain := quick(lombok, "straat", "bonding")
	plain.Set("concern", "Zwerfafval")
	if res := c.PostForm("/contacten", plain); res.StatusCode != http.StatusSeeOther || res.Location() != "/contacten/nieuw#opgeslagen" {
		t.Errorf("follow-up geen: %d %q", res.StatusCode, res.Location())
	}
}

// TestSyncWithSignalFollowUp: the offline queue's JSON endpoint stores a
// contact with the follow-up "signaal" as any other (no redirect there).
func TestSyncWithSignalFollowUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	body := fmt.Sprintf(`{"client_id":%q,"occurred_at":%q,"neighbourhood":%q,"place_type":"straat","people_count":"","strategy":"bonding","themes":["wonen"],"energy":"","concern":"Schimmel in de flat","note":"","follow_up":"signaal","initiative_id":"","referral":""}`,
		uuid.New(), time.Now().In(dutch.Amsterdam).Format("2006-01-02T15:04"), lombok)
	if res := c.PostJSON("/contacten/sync", body); res.StatusCode != http.StatusCreated || !strings.Contains(res.Body, `"follow_up":"signaal"`) {
		t.Fatalf("sync: %d %s", res.StatusCode, res.Body)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id = $1 AND follow_up = 'signaal'`, w.ID); n != 1 {
		t.Errorf("%d contacts, want 1", n)
	}
	// The form built from it is the worker's to open afterwards.
	page := c.Get("/signalen/nieuw?" + url.Values{"contact": {strconv.FormatInt(f.lastID(t, w.ID), 10)}}.Encode())
	if !strings.Contains(page.Body, "Schimmel in de flat</textarea>") || !strings.Contains(page.Body, `<option value="wonen" selected>`) ||
		!strings.Contains(page.Body, `<option value="`+strconv.FormatInt(f.ids[lombok], 10)+`" selected>Lombok</option>`) {
		t.Error("the form from ?contact= alone is not filled in")
	}
}
