package initiative_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

var reVersion = regexp.MustCompile(`name="versie" value="([0-9]+)"`)

// editForm fetches the edit form and returns its values as the form would post them.
func editForm(t *testing.T, c *testkit.Client, id int64) url.Values {
	t.Helper()
	res := c.Get(path(id, "/bewerken"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	m := reVersion.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("edit form has no version")
	}
	f := validForm("")
	f.Del("sleutel")
	f.Set("versie", m[1])
	return f
}

func TestEditWithVersionCheck(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "bram@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)
	bram := coOwner(t, s, anna, id, "bram@example.org")

	// Both open the edit form, Anna saves first.
	fa, fb := editForm(t, anna, id), editForm(t, bram, id)
	fa.Set("titel", "Moestuin Oudwijk en Wittevrouwen")
	fa.Set("status", "in_opbouw")
	if res := anna.PostForm(path(id, "/bewerken"), fa); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.StatusCode, errorsIn(res.Body))
	}
	// Bram's save with the old version is refused, with his input kept.
	fb.Set("titel", "Bram's titel")
	res := bram.PostForm(path(id, "/bewerken"), fb)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", res.StatusCode)
	}
	if !strings.Contains(res.Body, "Intussen gewijzigd") || !strings.Contains(res.Body, "Bram&#39;s titel") {
		t.Error("conflict page lacks the message or the user's input")
	}
	var title, status string
	if err := s.DB.QueryRow(t.Context(), `SELECT title, status FROM initiatives WHERE id = $1`, id).Scan(&title, &status); err != nil {
		t.Fatal(err)
	}
	if title != "Moestuin Oudwijk en Wittevrouwen" || status != "in_opbouw" {
		t.Errorf("stored %q/%q: the stale save overwrote", title, status)
	}
	// Saving the form shown after the conflict (now on the new version) works.
	m := reVersion.FindStringSubmatch(res.Body)
	fb.Set("versie", m[1])
	if res := bram.PostForm(path(id, "/bewerken"), fb); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save after conflict: %d", res.StatusCode)
	}
	// The status change is in the history.
	if n := count(t, s, `SELECT count(*) FROM initiative_status_history WHERE initiative_id = $1 AND from_status = 'idee' AND to_status = 'in_opbouw'`, id); n != 1 {
		t.Errorf("history rows for idee→in_opbouw: %d", n)
	}
	// Invalid edits are 422 with the input kept.
	f := editForm(t, anna, id)
	f.Set("titel", "")
	f.Set("samenvatting", "nieuwe samenvatting <b>vet</b>")
	res = anna.PostForm(path(id, "/bewerken"), f)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "titel") == "" || !strings.Contains(res.Body, "nieuwe samenvatting &lt;b&gt;vet&lt;/b&gt;") {
		t.Errorf("invalid edit: %d, %s", res.StatusCode, errorsIn(res.Body))
	}
}

func TestOwnerActions(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "bram@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)

	t.Run("status", func(t *testing.T) {
		res := anna.PostForm(path(id, "/status"), url.Values{"nieuwe_status": {"actief"}, "toelichting": {"De eerste oogst is binnen"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status: %d %s", res.StatusCode, errorsIn(res.Body))
		}
		page := anna.Get(path(id, "")).Body
		if !strings.Contains(page, "van idee naar actief") || !strings.Contains(page, "De eerste oogst is binnen") {
			t.Error("history does not show the change")
		}
		for _, bad := range []url.Values{
			{"nieuwe_status": {"klaar"}},
			{"nieuwe_status": {""}},
			{"nieuwe_status": {"actief"}, "toelichting": {strings.Repeat("x", 501)}},
		} {
			if res := anna.PostForm(path(id, "/status"), bad); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d", bad, res.StatusCode)
			}
		}
	})
	t.Run("co-owner", func(t *testing.T) {
		for _, tt := range []struct{ email, want string }{
			{"", "Vul je e-mailadres in."},
			{"geen-adres", "Vul een geldig e-mailadres in"},
		} {
			res := anna.PostForm(path(id, "/eigenaren"), url.Values{"eigenaar_email": {tt.email}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(res.Body, "eigenaar_email"), tt.want) {
				t.Errorf("%q: %d, error %q", tt.email, res.StatusCode, fieldError(res.Body, "eigenaar_email"))
			}
		}
		// Invited in other capitals; a co-owner only after accepting.
		bram := coOwner(t, s, anna, id, "BRAM@example.org")
		if res := bram.Get(path(id, "/bewerken")); res.StatusCode != http.StatusOK {
			t.Errorf("co-owner cannot edit: %d", res.StatusCode)
		}
	})
	t.Run("update", func(t *testing.T) {
		key := "6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5b"
		for _, body := range []string{"Eerste bericht", "Tweede <em>bericht</em>"} {
			res := anna.PostForm(path(id, "/berichten"), url.Values{"bericht": {body}, "bericht_sleutel": {key}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("update: %d", res.StatusCode)
			}
			key = "6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5c"
		}
		// Resubmitting the same form adds nothing.
		anna.PostForm(path(id, "/berichten"), url.Values{"bericht": {"Tweede <em>bericht</em>"}, "bericht_sleutel": {key}})
		if n := count(t, s, `SELECT count(*) FROM initiative_updates WHERE initiative_id = $1`, id); n != 2 {
			t.Errorf("%d updates, want 2", n)
		}
		page := s.Client(t).Get(path(id, "")).Body
		second, first := strings.Index(page, "Tweede &lt;em&gt;bericht&lt;/em&gt;"), strings.Index(page, "Eerste bericht")
		if second < 0 || first < 0 || second > first {
			t.Error("updates not shown newest first, escaped")
		}
		for _, bad := range []string{"", strings.Repeat("y", 2001), "a\x00b"} {
			res := anna.PostForm(path(id, "/berichten"), url.Values{"bericht": {bad}, "bericht_sleutel": {"6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5d"}})
			if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "bericht") == "" {
				t.Errorf("bad update %.10q: %d", bad, res.StatusCode)
			}
		}
		if res := anna.PostForm(path(id, "/berichten"), url.Values{"bericht": {"x"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("update without token: %d", res.StatusCode)
		}
	})
	t.Run("stop", func(t *testing.T) {
		if res := anna.PostForm(path(id, "/stoppen"), url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("stop: %d", res.StatusCode)
		}
		if n := count(t, s, `SELECT count(*) FROM initiatives WHERE id = $1 AND status = 'gestopt'`, id); n != 1 {
			t.Error("not stopped")
		}
		if n := count(t, s, `SELECT count(*) FROM initiative_status_history WHERE initiative_id = $1 AND to_status = 'gestopt'`, id); n != 1 {
			t.Error("stop not in history")
		}
	})
}

func TestSupportAndOffer(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "bram@example.org")
	s.CreateUser(t, "cees@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)
	bram := s.Login(t, "bram@example.org")
	cees := s.Login(t, "cees@example.org")

	// Joining twice counts once; leaving is explicit.
	for range 2 {
		if res := bram.PostForm(path(id, "/meedoen"), url.Values{"actie": {"mee"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("join: %d", res.StatusCode)
		}
	}
	cees.PostForm(path(id, "/meedoen"), url.Values{"actie": {"mee"}})
	if res := cees.PostForm(path(id, "/meedoen"), url.Values{"actie": {"weg"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown action: %d", res.StatusCode)
	}
	if n := count(t, s, `SELECT count(*) FROM initiative_supporters WHERE initiative_id = $1`, id); n != 2 {
		t.Errorf("%d supporters, want 2", n)
	}
	// A supporter sees the contact details; the page offers to leave.
	page := bram.Get(path(id, "")).Body
	if !strings.Contains(page, "moestuin@example.org") || !strings.Contains(page, "Ik doe niet meer mee") {
		t.Error("supporter view lacks contact details or the leave button")
	}
	cees.PostForm(path(id, "/meedoen"), url.Values{"actie": {"af"}})
	if n := count(t, s, `SELECT count(*) FROM initiative_supporters WHERE initiative_id = $1`, id); n != 1 {
		t.Errorf("%d supporters after leaving, want 1", n)
	}

	// Offers: only for the initiative's needs, with a message.
	for _, tt := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"hulp_bericht": {"Ik help"}}, "hulp"},
		{url.Values{"hulp": {"geld"}, "hulp_bericht": {"Ik heb geld"}}, "hulp"}, // not asked for
		{url.Values{"hulp": {"vrijwilligers"}}, "hulp_bericht"},
		{url.Values{"hulp": {"vrijwilligers"}, "hulp_bericht": {strings.Repeat("z", 1001)}}, "hulp_bericht"},
	} {
		res := cees.PostForm(path(id, "/aanbod"), tt.form)
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, tt.field) == "" {
			t.Errorf("%v: %d, errors %s", tt.form, res.StatusCode, errorsIn(res.Body))
		}
	}
	if res := cees.PostForm(path(id, "/aanbod"), url.Values{"hulp": {"materiaal"}, "hulp_bericht": {"Ik heb een <b>kruiwagen</b>"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("offer: %d", res.StatusCode)
	}
	// Owners see who joined and the offers, by name, with a link to answer
	// through messages; nobody's e-mail address. Others only see counts.
	owner := anna.Get(path(id, "")).Body
	var offerID int64
	if err := s.DB.QueryRow(t.Context(), `SELECT id FROM initiative_offers WHERE initiative_id = $1`, id).Scan(&offerID); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<li>bram, sinds ", "van cees, ", "Ik heb een &lt;b&gt;kruiwagen&lt;/b&gt;", "1 persoon doet mee",
		`href="/berichten/nieuw?over=aanbod&amp;id=` + strconv.FormatInt(offerID, 10) + `"`,
		`Stuur een bericht<span class="bk-visually-hidden"> aan cees</span>`,
	} {
		if !strings.Contains(owner, want) {
			t.Errorf("owner page lacks %q", want)
		}
	}
	for _, leak := range []string{"bram@example.org", "cees@example.org", "anna@example.org", "mailto:"} {
		if strings.Contains(owner, leak) {
			t.Errorf("owner page shows %q", leak)
		}
	}
	// Others who are logged in can write to the owners; owners and anonymous visitors get no such link.
	messageOwners := `href="/berichten/nieuw?over=initiatief&amp;id=` + strconv.FormatInt(id, 10) + `"`
	if !strings.Contains(bram.Get(path(id, "")).Body, messageOwners) {
		t.Error("supporter page lacks the link to message the owners")
	}
	if strings.Contains(owner, messageOwners) || strings.Contains(s.Client(t).Get(path(id, "")).Body, messageOwners) {
		t.Error("owner or anonymous visitor is offered to message the owners")
	}
	for name, c := range map[string]*testkit.Client{"supporter": bram, "anonymous": s.Client(t)} {
		body := c.Get(path(id, "")).Body
		if strings.Contains(body, "cees@example.org") || strings.Contains(body, "kruiwagen</") || strings.Contains(body, "Ik heb een") {
			t.Errorf("%s sees offers or names", name)
		}
		if !strings.Contains(body, "1 aanbod om te helpen") || !strings.Contains(body, "1 persoon doet mee") {
			t.Errorf("%s does not see the counts", name)
		}
	}
	// Anonymous visitors are sent to the login page.
	if res := s.Client(t).PostForm(path(id, "/meedoen"), url.Values{"actie": {"mee"}}); !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous join: %d %s", res.StatusCode, res.Location())
	}
	// No such initiative.
	if res := bram.PostForm(path(9999, "/meedoen"), url.Values{"actie": {"mee"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("join missing: %d", res.StatusCode)
	}
}

func TestAccountSection(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "bram@example.org")
	s.CreateUser(t, "cees@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)
	bram := s.Login(t, "bram@example.org")
	bram.PostForm(path(id, "/meedoen"), url.Values{"actie": {"mee"}})
	for who, want := range map[string]string{"anna@example.org": "eigenaar", "bram@example.org": "je doet mee"} {
		body := s.Login(t, who).Get("/account").Body
		if !strings.Contains(body, "Mijn initiatieven") || !strings.Contains(body, `href="`+path(id, "")+`"`) || !strings.Contains(body, want) {
			t.Errorf("%s: account page lacks the initiative as %q", who, want)
		}
	}
	if body := s.Login(t, "cees@example.org").Get("/account").Body; strings.Contains(body, path(id, "")) {
		t.Error("someone else's initiative on cees's account page")
	}
}
