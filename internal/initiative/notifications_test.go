package initiative_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// note is one stored notification, with its recipient's e-mail address.
type note struct {
	To, Category, Link, Body string
	DigestOnly               bool
}

// notes returns the notifications stored after mark, by recipient, and the
// new mark.
func notes(t *testing.T, s *testkit.Server, mark int64) ([]note, int64) {
	t.Helper()
	rows, err := s.DB.Query(context.Background(), `
		SELECT a.email::text, n.category, n.link, n.body, n.digest_only, n.id
		FROM notifications n JOIN accounts a ON a.id = n.recipient_id
		WHERE n.id > $1 ORDER BY a.email, n.id`, mark)
	if err != nil {
		t.Fatal(err)
	}
	var out []note
	var id int64
	var n note
	if _, err := pgx.ForEachRow(rows, []any{&n.To, &n.Category, &n.Link, &n.Body, &n.DigestOnly, &id}, func() error {
		out = append(out, n)
		mark = max(mark, id)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out, mark
}

// expect checks that exactly want was stored since *mark (in recipient
// order) and moves the mark on.
func expect(t *testing.T, s *testkit.Server, mark *int64, step string, want ...note) {
	t.Helper()
	got, next := notes(t, s, *mark)
	*mark = next
	if !slices.Equal(got, want) {
		t.Errorf("%s: notifications\n got %+v\nwant %+v", step, got, want)
	}
	for _, n := range got {
		if strings.Contains(n.Body, "@") {
			t.Errorf("%s: a notification shows an e-mail address: %q", step, n.Body)
		}
	}
}

func post(t *testing.T, c *testkit.Client, p string, f url.Values) {
	t.Helper()
	if res := c.PostForm(p, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d %s", p, res.StatusCode, errorsIn(res.Body))
	}
}

// Every event of an initiative tells the people it concerns, once, and
// never the person who caused it.
func TestNotifications(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := w.s
	owner, resident, worker, admin := w.clients["owner"], w.clients["resident"], w.clients["worker"], w.clients["admin"]
	s.CreateUser(t, "bram@example.org")
	link := path(w.id, "")
	const title = "‘Moestuin Oudwijk’"
	var mark int64
	_, mark = notes(t, s, 0)

	// 4. An invited co-owner hears of the invitation; nobody else does. On
	// accepting, the other owners hear of it.
	post(t, owner, path(w.id, "/eigenaren"), url.Values{"eigenaar_email": {"bram@example.org"}})
	expect(t, s, &mark, "invitation",
		note{"bram@example.org", "aanmeldingen", link + "#uitnodiging", "owner nodigt je uit om mede-eigenaar te worden van " + title + ". Neem de uitnodiging aan of weiger haar op de pagina van het initiatief.", false})
	post(t, s.Login(t, "bram@example.org"), path(w.id, "/uitnodiging/aannemen"), nil)
	expect(t, s, &mark, "accepted",
		note{"owner@example.org", "aanmeldingen", link + "#eigenaren", "bram heeft de uitnodiging aangenomen en is nu mede-eigenaar van " + title + ".", false})

	// 1. An offer tells every owner; the same offer again tells nobody, a changed message does.
	offer := url.Values{"hulp": {"materiaal"}, "hulp_bericht": {"Ik heb een kruiwagen.\nBel me: 06-12345678"}}
	post(t, resident, path(w.id, "/aanbod"), offer)
	// The message stays on the page: it is private and may hold a phone number.
	body := "resident biedt hulp aan bij " + title + ": materiaal."
	expect(t, s, &mark, "offer",
		note{"bram@example.org", "aanbod", link, body, false},
		note{"owner@example.org", "aanbod", link, body, false})
	post(t, resident, path(w.id, "/aanbod"), offer)
	expect(t, s, &mark, "same offer again")
	post(t, resident, path(w.id, "/aanbod"), url.Values{"hulp": {"materiaal"}, "hulp_bericht": {"Ook een schop"}})
	body = "resident heeft het aanbod van hulp bij " + title + " aangepast: materiaal."
	expect(t, s, &mark, "changed offer",
		note{"bram@example.org", "aanbod", link, body, false},
		note{"owner@example.org", "aanbod", link, body, false})

	// 2. Joining tells the owners once; a double click and leaving tell nobody.
	for range 2 {
		post(t, resident, path(w.id, "/meedoen"), url.Values{"actie": {"mee"}})
	}
	expect(t, s, &mark, "join",
		note{"bram@example.org", "aanmeldingen", link, "resident doet mee met " + title + ".", false},
		note{"owner@example.org", "aanmeldingen", link, "resident doet mee met " + title + ".", false})
	post(t, resident, path(w.id, "/meedoen"), url.Values{"actie": {"af"}})
	expect(t, s, &mark, "leave")
	post(t, resident, path(w.id, "/meedoen"), url.Values{"actie": {"mee"}})
	post(t, worker, path(w.id, "/meedoen"), url.Values{"actie": {"mee"}})
	_, mark = notes(t, s, mark)

	// 3. An update tells the supporters, not its author nor the other owner; the same form again tells nobody.
	update := url.Values{"bericht": {"De eerste oogst is binnen!"}, "bericht_sleutel": {"6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5b"}}
	post(t, owner, path(w.id, "/berichten"), update)
	body = "owner plaatste een bericht bij " + title + ": “De eerste oogst is binnen!”"
	expect(t, s, &mark, "update",
		note{"resident@example.org", "initiatieven", link + "#berichten", body, false},
		note{"worker@example.org", "initiatieven", link + "#berichten", body, false})
	post(t, owner, path(w.id, "/berichten"), update)
	expect(t, s, &mark, "same update again")
	// A long update is quoted only in part.
	post(t, owner, path(w.id, "/berichten"), url.Values{"bericht": {strings.Repeat("Wie helpt er zaterdag mee? ", 20)}, "bericht_sleutel": {"6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5e"}})
	got, _ := notes(t, s, mark)
	expect(t, s, &mark, "long update", got...)
	if len(got) != 2 || !strings.HasSuffix(got[0].Body, "…”") || len([]rune(got[0].Body)) > 200 {
		t.Errorf("long update: %+v: want 2 notifications, the update cut short", got)
	}

	// 6 and 7, applications and decisions: internal/fund.

	// 5. Hiding tells the owners why; an update meanwhile tells nobody;
	// showing it again tells them, showing a visible one does not.
	post(t, admin, path(w.id, "/verbergen"), url.Values{"reden": {"Reclame voor een bedrijf"}})
	body = "Een beheerder heeft " + title + " verborgen. Reden: Reclame voor een bedrijf"
	expect(t, s, &mark, "hide",
		note{"bram@example.org", "besluiten", link, body, false},
		note{"owner@example.org", "besluiten", link, body, false})
	post(t, owner, path(w.id, "/berichten"), url.Values{"bericht": {"Stil bericht"}, "bericht_sleutel": {"6a0b2d52-4e7c-4f3f-9d6c-0c1d2e3f4a5c"}})
	expect(t, s, &mark, "update while hidden")
	post(t, admin, path(w.id, "/zichtbaar"), url.Values{})
	body = "Een beheerder heeft " + title + " weer zichtbaar gemaakt."
	expect(t, s, &mark, "show",
		note{"bram@example.org", "besluiten", link, body, false},
		note{"owner@example.org", "besluiten", link, body, false})
	post(t, admin, path(w.id, "/zichtbaar"), url.Values{})
	expect(t, s, &mark, "show a visible one")
}

// 8. A new initiative goes, in the digest only, to the community workers of
// its neighbourhoods; not to workers elsewhere, not to residents with a
// stray work area, not to its creator, and once per initiative.
func TestNewInitiativeNotifiesAreaWorkers(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "wim@example.org", role.Worker)   // works in Oudwijk and Wittevrouwen
	s.CreateUser(t, "wendy@example.org", role.Worker) // works in Amsterdam
	s.CreateUser(t, "rob@example.org")                // a resident, with a stray work area
	areas := map[string][]string{"wim": {"BU03440301", "BU03440302"}, "wendy": {"BU03630000"}, "rob": {"BU03440301"}}
	for who, codes := range areas {
		if _, err := s.DB.Exec(t.Context(), `
			INSERT INTO account_work_areas (account_id, neighbourhood_id)
			SELECT a.id, b.id FROM accounts a, neighbourhoods b WHERE a.email = $1 AND b.code = ANY($2)`, who+"@example.org", codes); err != nil {
			t.Fatal(err)
		}
	}
	var mark int64
	anna := s.Login(t, "anna@example.org")
	key := formKey(t, anna)
	var id int64
	for range 2 { // the same form twice: one initiative, one notification
		res := anna.PostForm("/initiatieven/nieuw", validForm(key))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.StatusCode, errorsIn(res.Body))
		}
		id = idFrom(t, res.Location())
	}
	expect(t, s, &mark, "public initiative",
		note{"wim@example.org", "initiatieven", path(id, ""), "Nieuw initiatief in je werkgebied: ‘Moestuin Oudwijk’ van anna.", true})

	// Members-only initiatives are visible to workers too.
	members := create(t, anna, func(f url.Values) {
		f.Set("zichtbaarheid", "members")
		f.Set("titel", "Buurtkamer")
		f.Set("buurt", "BU03440302")
	})
	expect(t, s, &mark, "members-only initiative",
		note{"wim@example.org", "initiatieven", path(members, ""), "Nieuw initiatief in je werkgebied: ‘Buurtkamer’ van anna.", true})

	// Outside every work area: nobody. By the worker themself: nobody.
	create(t, anna, func(f url.Values) { f.Set("buurt", "BU03440101") })
	create(t, s.Login(t, "wim@example.org"), nil)
	expect(t, s, &mark, "outside the work areas, or by the worker")
}
