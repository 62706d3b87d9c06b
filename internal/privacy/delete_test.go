package privacy_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// accountReference is a column with a foreign key to accounts.
type accountReference struct{ table, column string }

// accountReferences lists, from information_schema, every column that
// refers to accounts, so a table added later is checked too.
func accountReferences(t *testing.T, s *testkit.Server) []accountReference {
	t.Helper()
	rows, err := s.DB.Query(context.Background(), `
		SELECT DISTINCT kcu.table_name::text, kcu.column_name::text
		FROM information_schema.table_constraints tc
		JOIN information_schema.key_column_usage kcu
		  ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
		JOIN information_schema.constraint_column_usage ccu
		  ON ccu.constraint_schema = tc.constraint_schema AND ccu.constraint_name = tc.constraint_name
		WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public' AND ccu.table_name = 'accounts'
		ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (accountReference, error) {
		var r accountReference
		err := row.Scan(&r.table, &r.column)
		return r, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

// referencing returns the columns holding at least one row that points at id.
func referencing(t *testing.T, s *testkit.Server, refs []accountReference, id int64) []string {
	t.Helper()
	var found []string
	for _, r := range refs {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s = $1`, pgx.Identifier{r.table}.Sanitize(), pgx.Identifier{r.column}.Sanitize())
		if err := s.DB.QueryRow(context.Background(), q, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			found = append(found, r.table+"."+r.column)
		}
	}
	return found
}

func deleteForm(password string, confirm bool) url.Values {
	v := url.Values{"password": {password}}
	if confirm {
		v.Set("confirm", "ja")
	}
	return v
}

// TestDeleteAccount: Anna, who has data of every kind, deletes her account.
// Nothing refers to her any more; the shared initiative stays with Bram (the
// longest-standing co-owner), her own one stays without owner; her street
// contacts still count; her other sessions end and she cannot log in.
func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	refs := accountReferences(t, s)
	if len(refs) < 20 {
		t.Fatalf("only %d columns refer to accounts: %v", len(refs), refs)
	}
	// The fixture reaches most of them, so the check below means something.
	before := referencing(t, s, refs, w.anna.ID)
	for _, must := range []string{"account_work_areas.account_id", "api_tokens.account_id", "assets.created_by",
		"activities.created_by", "audit_log.actor_id", "contacts.worker_id", "funding_requests.created_by",
		"funding_requests.decided_by", "initiative_owners.account_id", "initiative_owners.added_by",
		"initiative_offers.account_id", "initiative_reports.reporter_id", "initiative_status_history.changed_by",
		"initiative_supporters.account_id", "initiative_updates.author_id", "initiatives.created_by",
		"password_resets.account_id", "signal_responses.author_id", "signals.raised_by",
		"signal_recognitions.account_id", "signal_followers.account_id", "initiative_invitations.invited_by", "photos.uploaded_by"} {
		if !strings.Contains(strings.Join(before, " "), must) {
			t.Errorf("fixture does not reach %s (reaches %v)", must, before)
		}
	}
	var contactsBefore, peopleBefore int
	if err := s.DB.QueryRow(ctx, `SELECT count(*), sum(people_count) FROM contacts WHERE neighbourhood_id = $1`, w.nb1).Scan(&contactsBefore, &peopleBefore); err != nil {
		t.Fatal(err)
	}

	anna := s.Login(t, "anna@example.nl")
	other := s.Login(t, "anna@example.nl") // her phone, say
	page := anna.Get("/account/verwijderen")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", page.StatusCode)
	}
	for _, want := range []string{"Moestuin Oudwijk", html.EscapeString(soloTitle), "een voormalig bewoner", `name="password"`, `name="confirm"`,
		"bij initiatieven, bijeenkomsten en plekken plaatste (1) blijven daar staan"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(page.Body, soloTitle) {
		t.Error("a title is shown unescaped")
	}

	res := anna.PostForm("/account/verwijderen", deleteForm(testkit.Password, true))
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/" {
		t.Fatalf("delete: %d %s: %s", res.StatusCode, res.Location(), res.Body)
	}
	if home := anna.Get("/"); !strings.Contains(home.Body, "Je account is verwijderd.") || strings.Contains(home.Body, "Ingelogd als") {
		t.Error("home page after deletion lacks the flash or still shows her logged in")
	}

	if left := referencing(t, s, refs, w.anna.ID); len(left) > 0 {
		t.Errorf("rows still refer to the deleted account: %v", left)
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE id = $1`, w.anna.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("account row: %d %v", n, err)
	}

	// The shared initiative passed to Bram; the solo one has no owner and no contact details.
	owners := func(initiative int64) string {
		var names string
		if err := s.DB.QueryRow(ctx, `SELECT COALESCE(string_agg(a.display_name, ',' ORDER BY o.added_at), '') FROM initiative_owners o
			JOIN accounts a ON a.id = o.account_id WHERE o.initiative_id = $1`, initiative).Scan(&names); err != nil {
			t.Fatal(err)
		}
		return names
	}
	if got := owners(w.shared); got != "bram,carla" {
		t.Errorf("shared initiative owners %q", got)
	}
	var creator *int64
	var details string
	if err := s.DB.QueryRow(ctx, `SELECT created_by FROM initiatives WHERE id = $1`, w.shared).Scan(&creator); err != nil || creator == nil || *creator != w.bram.ID {
		t.Errorf("shared initiative's creator %v (%v), want Bram %d", creator, err, w.bram.ID)
	}
	if got := owners(w.solo); got != "" {
		t.Errorf("solo initiative owners %q", got)
	}
	if err := s.DB.QueryRow(ctx, `SELECT contact_details FROM initiatives WHERE id = $1`, w.solo).Scan(&details); err != nil || details != "" {
		t.Errorf("solo initiative keeps contact details %q (%v)", details, err)
	}
	// Its page still works, for anyone, and says who started it.
	for _, c := range []*testkit.Client{s.Client(t), s.Login(t, "dirk@example.nl")} {
		p := c.Get("/initiatieven/" + strconv.FormatInt(w.solo, 10))
		if p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "voormalig bewoner") {
			t.Errorf("ownerless initiative page: %d", p.StatusCode)
		}
	}
	if p := s.Client(t).Get("/initiatieven/" + strconv.FormatInt(w.shared, 10)); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "bram") {
		t.Errorf("shared initiative page: %d", p.StatusCode)
	}

	// Her support, offers and talent are gone; her place and signal stay, without her.
	for _, tc := range []struct {
		name, sql string
		want      int
	}{
		{"Anna's offer on Bram's initiative", `SELECT count(*) FROM initiative_offers WHERE initiative_id = $1`, 0},
		{"Anna's support of Bram's initiative", `SELECT count(*) FROM initiative_supporters WHERE initiative_id = $1`, 0},
		{"Anna's report", `SELECT count(*) FROM initiative_reports WHERE initiative_id = $1`, 1},
		{"Bram's decided request", `SELECT count(*) FROM funding_requests WHERE initiative_id = $1 AND status = 'toegekend'`, 1},
	} {
		if err := s.DB.QueryRow(ctx, tc.sql, w.brams).Scan(&n); err != nil || n != tc.want {
			t.Errorf("%s: %d rows (%v), want %d", tc.name, n, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name, sql string
		want      int
	}{
		{"talent", `SELECT count(*) FROM assets WHERE kind = 'talent'`, 0},
		{"meeting place", `SELECT count(*) FROM assets WHERE name = 'Buurthuis De Linde' AND created_by IS NULL`, 1},
		{"Anna's photo, with the initiative, nameless", `SELECT count(*) FROM photos WHERE alt_text = '` + annaPhotoAlt + `' AND uploaded_by IS NULL`, 1},
		{"Anna's signal, nameless", `SELECT count(*) FROM signals WHERE title = 'Gordijnen overdag dicht' AND raised_by IS NULL`, 1},
		{"Anna's response on Bram's signal", `SELECT count(*) FROM signal_responses WHERE body = 'Staat op de agenda' AND author_id IS NULL`, 1},
		{"Dirk's support of the shared initiative", `SELECT count(*) FROM initiative_supporters WHERE account_id = ` + strconv.FormatInt(w.dirk.ID, 10), 1},
		{"audit entries about Anna", `SELECT count(*) FROM audit_log WHERE subject_type = 'account' AND subject_id = ` + strconv.FormatInt(w.anna.ID, 10), 2},
		{"Anna's notes", `SELECT count(*) FROM contacts WHERE note = '` + annaContactNote + `'`, 0},
		{"Anna's erased notes", `SELECT count(*) FROM contacts WHERE worker_id IS NULL AND note IS NULL AND note_erased_at IS NOT NULL`, 1},
		{"Bram's note", `SELECT count(*) FROM contacts WHERE note = '` + bramNote + `'`, 1},
		{"Anna's activity notes and draft story", `SELECT count(*) FROM activities WHERE note = '` + annaActNote + `' OR story = '` + annaDraftStory + `'`, 0},
		{"Anna's shared story", `SELECT count(*) FROM activities WHERE story = '` + annaSharedStory + `' AND created_by IS NULL`, 1},
		{"Bram's activity note", `SELECT count(*) FROM activities WHERE note = '` + bramActNote + `'`, 1},
		{"Bram's token", `SELECT count(*) FROM api_tokens WHERE name = '` + bramTokenName + `'`, 1},
		// A new account with her address must not find her invitation.
		{"invitation to Anna's address", `SELECT count(*) FROM initiative_invitations WHERE email_hash = sha256('anna@example.nl')`, 0},
		{"Anna's invitation of Erik, without her", `SELECT count(*) FROM initiative_invitations WHERE email_hint = 'e…@example.nl' AND invited_by IS NULL`, 1},
	} {
		if err := s.DB.QueryRow(ctx, tc.sql).Scan(&n); err != nil || n != tc.want {
			t.Errorf("%s: %d rows (%v), want %d", tc.name, n, err, tc.want)
		}
	}
	// Her street contacts still count in the neighbourhood's figures.
	var contactsAfter, peopleAfter int
	if err := s.DB.QueryRow(ctx, `SELECT count(*), sum(people_count) FROM contacts WHERE neighbourhood_id = $1`, w.nb1).Scan(&contactsAfter, &peopleAfter); err != nil {
		t.Fatal(err)
	}
	if contactsAfter != contactsBefore || peopleAfter != peopleBefore {
		t.Errorf("neighbourhood figures changed: %d contacts/%d people, was %d/%d", contactsAfter, peopleAfter, contactsBefore, peopleBefore)
	}

	// Her other session has ended, and she cannot log in again.
	if r := other.Get("/account"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/inloggen") {
		t.Errorf("other session still works: %d %s", r.StatusCode, r.Location())
	}
	if r := s.Client(t).PostForm("/inloggen", url.Values{"email": {"anna@example.nl"}, "password": {testkit.Password}}); r.StatusCode == http.StatusSeeOther {
		t.Error("the deleted account can still log in")
	}
	// The e-mail address is free again.
	s.CreateUser(t, "anna@example.nl")
}

// TestDeleteRefusesBadInput: the password and the confirmation are both
// required; nothing is deleted until they are right.
func TestDeleteRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	a := s.CreateUser(t, "bewoner@example.nl")
	c := s.Login(t, "bewoner@example.nl")
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty", url.Values{}, []string{"Vul je wachtwoord in.", "Vink aan dat je je account definitief wilt verwijderen."}},
		{"wrong password", deleteForm("niet-mijn-wachtwoord", true), []string{"Dit wachtwoord klopt niet."}},
		{"no confirmation", deleteForm(testkit.Password, false), []string{"Vink aan dat je je account definitief wilt verwijderen."}},
		{"confirmation of another value", url.Values{"password": {testkit.Password}, "confirm": {"nee"}}, []string{"Vink aan"}},
		{"NUL byte", deleteForm("abc\x00def", true), []string{"Dit wachtwoord klopt niet."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.PostForm("/account/verwijderen", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			for _, want := range tc.want {
				if !strings.Contains(res.Body, want) {
					t.Errorf("lacks %q", want)
				}
			}
			if !strings.Contains(res.Body, `data-testid="error-summary"`) {
				t.Error("no error summary")
			}
		})
	}
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE id = $1`, a.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("account gone after refused attempts: %d %v", n, err)
	}
	if r := c.Get("/account"); r.StatusCode != http.StatusOK {
		t.Errorf("still logged in: %d", r.StatusCode)
	}
}

// TestDeleteWrongPasswordsAreRateLimited: wrong passwords count like failed
// logins (5 per address in the test configuration), then the form refuses.
func TestDeleteWrongPasswordsAreRateLimited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "bewoner@example.nl")
	c := s.Login(t, "bewoner@example.nl")
	for i := 0; i < s.Cfg.LoginLimitPerAccount; i++ {
		if r := c.PostForm("/account/verwijderen", deleteForm("fout-"+strconv.Itoa(i), true)); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := c.PostForm("/account/verwijderen", deleteForm(testkit.Password, true))
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(r.Body, "Te veel") {
		t.Fatalf("after the limit: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Logging in is limited as well: the attempts add up.
	if l := s.Client(t).PostForm("/inloggen", url.Values{"email": {"bewoner@example.nl"}, "password": {testkit.Password}}); l.StatusCode == http.StatusSeeOther {
		t.Error("login not limited after wrong passwords on the deletion form")
	}
}

// TestLastAdministratorCannotDelete: the only administrator is refused with
// a clear message; once there is a second one, deleting works.
func TestLastAdministratorCannotDelete(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "beheerder@example.nl", role.Admin)
	c := s.Login(t, "beheerder@example.nl")
	page := c.Get("/account/verwijderen")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="last-admin"`) || strings.Contains(page.Body, `name="password"`) {
		t.Fatalf("form for the last admin: %d", page.StatusCode)
	}
	res := c.PostForm("/account/verwijderen", deleteForm(testkit.Password, true))
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Je bent de enige beheerder.") {
		t.Fatalf("last admin delete: %d", res.StatusCode)
	}
	if r := c.Get("/account"); r.StatusCode != http.StatusOK {
		t.Fatalf("last admin no longer logged in: %d", r.StatusCode)
	}

	s.CreateUser(t, "tweede@example.nl", role.Admin, role.Resident)
	if r := c.PostForm("/account/verwijderen", deleteForm(testkit.Password, true)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete with a second admin: %d", r.StatusCode)
	}
	// Now the second one is the last.
	c2 := s.Login(t, "tweede@example.nl")
	if r := c2.PostForm("/account/verwijderen", deleteForm(testkit.Password, true)); r.StatusCode != http.StatusConflict {
		t.Fatalf("second admin, now the last: %d", r.StatusCode)
	}
}

// TestConcurrentAdminsCannotBothLeave: two administrators deleting
// themselves at the same moment: exactly one succeeds.
func TestConcurrentAdminsCannotBothLeave(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "een@example.nl", role.Admin)
	s.CreateUser(t, "twee@example.nl", role.Admin)
	clients := []*testkit.Client{s.Login(t, "een@example.nl"), s.Login(t, "twee@example.nl")}
	codes := make(chan int, 2)
	for _, c := range clients {
		go func() {
			codes <- c.PostForm("/account/verwijderen", deleteForm(testkit.Password, true)).StatusCode
		}()
	}
	got := map[int]int{}
	got[<-codes]++
	got[<-codes]++
	if got[http.StatusSeeOther] != 1 || got[http.StatusConflict] != 1 {
		t.Fatalf("statuses %v, want one 303 and one 409", got)
	}
	var admins int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE 'admin' = ANY(roles)`).Scan(&admins); err != nil || admins != 1 {
		t.Fatalf("%d administrators left (%v)", admins, err)
	}
}
