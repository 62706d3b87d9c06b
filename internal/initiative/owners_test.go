package initiative_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// coOwner makes email a co-owner of id the way people do: owner invites,
// the invited person accepts. It returns the new co-owner's client.
func coOwner(t *testing.T, s *testkit.Server, owner *testkit.Client, id int64, email string) *testkit.Client {
	t.Helper()
	if res := owner.PostForm(path(id, "/eigenaren"), url.Values{"eigenaar_email": {email}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite %s: %d %s", email, res.StatusCode, errorsIn(res.Body))
	}
	c := s.Login(t, strings.ToLower(email))
	if res := c.PostForm(path(id, "/uitnodiging/aannemen"), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept %s: %d", email, res.StatusCode)
	}
	return c
}

func isOwner(t *testing.T, s *testkit.Server, id int64, email string) bool {
	t.Helper()
	return count(t, s, `SELECT count(*) FROM initiative_owners o JOIN accounts a ON a.id = o.account_id
		WHERE o.initiative_id = $1 AND a.email = $2`, id, email) == 1
}

// flashAfter follows a redirect and returns the page it leads to.
func flashAfter(t *testing.T, c *testkit.Client, res testkit.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want a redirect", res.StatusCode)
	}
	return c.Get(res.Location()).Body
}

// An owner invites by e-mail address. Whether or not the address has an
// account, the answer is the same (status, redirect, message, page, and no
// quicker); nobody becomes an owner without accepting.
func TestInvitationDoesNotRevealAccounts(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "bram@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)

	type answer struct {
		status   int
		location string
		page     string
		took     time.Duration
	}
	invite := func(email string) answer {
		t.Helper()
		start := time.Now()
		res := anna.PostForm(path(id, "/eigenaren"), url.Values{"eigenaar_email": {email}})
		took := time.Since(start)
		a := answer{status: res.StatusCode, location: res.Location(), took: took}
		if res.StatusCode == http.StatusSeeOther {
			a.page = anna.Get(res.Location()).Body
		}
		return a
	}
	known, unknown := invite("bram@example.org"), invite("niemand@example.org")
	for name, a := range map[string]answer{"with an account": known, "without an account": unknown} {
		if a.status != http.StatusSeeOther || a.location != path(id, "#eigenaren") {
			t.Errorf("%s: %d → %q", name, a.status, a.location)
		}
		if !strings.Contains(a.page, "Als er een account bij dit adres hoort, krijgt die persoon een uitnodiging.") {
			t.Errorf("%s: the page lacks the neutral message", name)
		}
		if strings.Contains(a.page, "geen account") {
			t.Errorf("%s: the page says whether the address has an account", name)
		}
		if a.took < 200*time.Millisecond {
			t.Errorf("%s: answered in %v, sooner than the floor that evens out the work", name, a.took)
		}
	}
	// The owner's list shows both alike, by a hint, never a full address.
	page := anna.Get(path(id, "")).Body
	for _, hint := range []string{"b…@example.org", "n…@example.org"} {
		if !strings.Contains(page, hint) {
			t.Errorf("owner's page lacks the open invitation %q", hint)
		}
	}
	if strings.Contains(page, "bram@example.org") || strings.Contains(page, "niemand@example.org") {
		t.Error("the owner's page shows an invited address in full")
	}
	// Not an owner yet: not listed, cannot edit.
	bram := s.Login(t, "bram@example.org")
	if isOwner(t, s, id, "bram@example.org") || strings.Contains(s.Client(t).Get(path(id, "")).Body, "bram") {
		t.Error("the invited person is an owner before accepting")
	}
	if res := bram.Get(path(id, "/bewerken")); res.StatusCode != http.StatusForbidden {
		t.Errorf("invited person edits: %d", res.StatusCode)
	}
}

// The whole life of an invitation: shown to the invitee only, once however
// often it is sent, accepted or declined only by the right person with a
// confirmed address, withdrawn by an owner, and gone when expired.
func TestInvitationLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	for _, e := range []string{"anna", "bram", "cees", "erik"} {
		s.CreateUser(t, e+"@example.org")
	}
	// Dora registered but never confirmed her address (perhaps it is not hers).
	hash, err := account.HashPassword(testkit.Password)
	if err != nil {
		t.Fatal(err)
	}
	dora, err := account.NewStore(s.DB).Create(ctx, account.NewAccount{Email: "dora@example.org", DisplayName: "dora", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	anna, bram, cees, erik := s.Login(t, "anna@example.org"), s.Login(t, "bram@example.org"), s.Login(t, "cees@example.org"), s.Login(t, "erik@example.org")
	id := create(t, anna, nil)
	invitations := func() int {
		return count(t, s, `SELECT count(*) FROM initiative_invitations WHERE initiative_id = $1`, id)
	}
	notified := func(email string) int {
		return count(t, s, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.recipient_id
			WHERE a.email = $1 AND n.link LIKE '%#uitnodiging'`, email)
	}

	// A double submit (and the same address in other capitals) invites once.
	for _, e := range []string{"bram@example.org", "bram@example.org", "Bram@Example.org", "dora@example.org", "erik@example.org"} {
		post(t, anna, path(id, "/eigenaren"), url.Values{"eigenaar_email": {e}})
	}
	if n := invitations(); n != 3 {
		t.Errorf("%d invitations, want 3 (bram, dora, erik)", n)
	}
	if n := notified("bram@example.org"); n != 1 {
		t.Errorf("bram notified %d times, want 1", n)
	}
	if n := notified("dora@example.org"); n != 0 {
		t.Error("an unconfirmed address is notified")
	}

	// Only the invitee sees it, on the page and on their account page.
	for name, c := range map[string]*testkit.Client{"bram": bram} {
		if !strings.Contains(c.Get(path(id, "")).Body, `data-testid="invitation"`) {
			t.Errorf("%s does not see the invitation on the initiative page", name)
		}
		if body := c.Get("/account").Body; !strings.Contains(body, `data-testid="my-invitations"`) || !strings.Contains(body, path(id, "/uitnodiging/aannemen")) {
			t.Errorf("%s does not see the invitation on the account page", name)
		}
	}
	for name, c := range map[string]*testkit.Client{"cees": cees, "anna (owner)": anna, "anonymous": s.Client(t)} {
		if strings.Contains(c.Get(path(id, "")).Body, `data-testid="invitation"`) {
			t.Errorf("%s sees an invitation", name)
		}
	}

	// Accepting needs an invitation, and a confirmed address: whoever
	// registered with someone else's address cannot take their invitation
	// (checked in the SQL, whatever the routes allow).
	if body := flashAfter(t, cees, cees.PostForm(path(id, "/uitnodiging/aannemen"), nil)); !strings.Contains(body, "staat niet (meer) open") || isOwner(t, s, id, "cees@example.org") {
		t.Error("someone not invited became owner, or was not told why not")
	}
	store := initiative.NewStore(s.DB)
	for name, err := range map[string]error{"accept": store.Accept(ctx, id, dora.ID), "decline": store.Decline(ctx, id, dora.ID)} {
		if !errors.Is(err, initiative.ErrNoInvitation) || isOwner(t, s, id, "dora@example.org") {
			t.Errorf("%s with an unconfirmed address: %v", name, err)
		}
	}
	if invs, err := store.InvitationsFor(ctx, dora.ID, 0); err != nil || len(invs) != 0 {
		t.Errorf("invitations shown to an unconfirmed address: %v %v", invs, err)
	}
	if n := invitations(); n != 3 {
		t.Errorf("%d invitations after refused attempts, want 3", n)
	}

	// An expired invitation is not shown and cannot be accepted.
	if _, err := s.DB.Exec(ctx, `UPDATE initiative_invitations SET created_at = now() - interval '31 days', expires_at = now() - interval '1 day'
		WHERE email_hash = sha256('erik@example.org')`); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(erik.Get(path(id, "")).Body, `data-testid="invitation"`) {
		t.Error("an expired invitation is shown")
	}
	if body := flashAfter(t, erik, erik.PostForm(path(id, "/uitnodiging/aannemen"), nil)); !strings.Contains(body, "staat niet (meer) open") || isOwner(t, s, id, "erik@example.org") {
		t.Error("an expired invitation was accepted")
	}

	// The owner withdraws dora's invitation; another person cannot withdraw.
	var doraInv int64
	if err := s.DB.QueryRow(ctx, `SELECT id FROM initiative_invitations WHERE email_hash = sha256('dora@example.org')`).Scan(&doraInv); err != nil {
		t.Fatal(err)
	}
	withdraw := url.Values{"uitnodiging": {strconv.FormatInt(doraInv, 10)}}
	if res := cees.PostForm(path(id, "/uitnodiging/intrekken"), withdraw); res.StatusCode != http.StatusForbidden {
		t.Errorf("a non-owner withdraws: %d", res.StatusCode)
	}
	post(t, anna, path(id, "/uitnodiging/intrekken"), withdraw)
	if n := count(t, s, `SELECT count(*) FROM initiative_invitations WHERE id = $1`, doraInv); n != 0 {
		t.Error("the invitation was not withdrawn")
	}

	// Bram declines; invited again, he accepts and is listed as owner.
	post(t, bram, path(id, "/uitnodiging/weigeren"), url.Values{"terug": {"account"}})
	if isOwner(t, s, id, "bram@example.org") || count(t, s, `SELECT count(*) FROM initiative_invitations WHERE email_hash = sha256('bram@example.org')`) != 0 {
		t.Error("declining left bram invited or made him owner")
	}
	post(t, anna, path(id, "/eigenaren"), url.Values{"eigenaar_email": {"bram@example.org"}})
	post(t, bram, path(id, "/uitnodiging/aannemen"), nil)
	if !isOwner(t, s, id, "bram@example.org") || !strings.Contains(s.Client(t).Get(path(id, "")).Body, "bram") {
		t.Error("bram is not an owner after accepting")
	}
	if n := count(t, s, `SELECT count(*) FROM initiative_invitations WHERE email_hash = sha256('bram@example.org')`); n != 0 {
		t.Error("the accepted invitation is still open")
	}
	// Accepting twice changes nothing.
	if body := flashAfter(t, bram, bram.PostForm(path(id, "/uitnodiging/aannemen"), nil)); !strings.Contains(body, "staat niet (meer) open") {
		t.Error("a second acceptance is not answered as such")
	}
	if n := count(t, s, `SELECT count(*) FROM initiative_owners WHERE initiative_id = $1`, id); n != 2 {
		t.Errorf("%d owners, want 2", n)
	}
}

// No more than MaxPendingInvitations open at once; the same answer for
// every address.
func TestInvitationLimit(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, nil)
	if _, err := s.DB.Exec(context.Background(), `
		INSERT INTO initiative_invitations (initiative_id, email_hash, email_hint, expires_at)
		SELECT $1, sha256(('buur' || g || '@example.org')::bytea), 'b…@example.org', now() + interval '30 days' FROM generate_series(1, $2) g`,
		id, initiative.MaxPendingInvitations); err != nil {
		t.Fatal(err)
	}
	res := anna.PostForm(path(id, "/eigenaren"), url.Values{"eigenaar_email": {"nog-een@example.org"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(res.Body, "eigenaar_email"), "uitnodigingen open") {
		t.Errorf("over the limit: %d %s", res.StatusCode, errorsIn(res.Body))
	}
	// The same address again is not a new invitation, so not refused.
	post(t, anna, path(id, "/eigenaren"), url.Values{"eigenaar_email": {"buur1@example.org"}})
}

// Owners step down or remove each other, an administrator removes any
// owner (audited), nobody removes the last owner, and the people concerned
// are told.
func TestRemovingOwners(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	for _, e := range []string{"anna", "bram", "cees", "dirk"} {
		s.CreateUser(t, e+"@example.org")
	}
	s.CreateUser(t, "admin@example.org", role.Admin)
	anna, dirk, admin := s.Login(t, "anna@example.org"), s.Login(t, "dirk@example.org"), s.Login(t, "admin@example.org")
	id := create(t, anna, nil)
	bram := coOwner(t, s, anna, id, "bram@example.org")
	cees := coOwner(t, s, anna, id, "cees@example.org")
	accountID := func(email string) string {
		return strconv.Itoa(count(t, s, `SELECT id::int FROM accounts WHERE email = $1`, email))
	}
	remove := func(c *testkit.Client, email string) testkit.Response {
		return c.PostForm(path(id, "/eigenaren/verwijderen"), url.Values{"eigenaar": {accountID(email)}})
	}
	var mark int64
	_, mark = notes(t, s, 0)
	link := path(id, "")
	const title = "‘Moestuin Oudwijk’"

	// Owners see the buttons; others do not.
	if body := anna.Get(link).Body; !strings.Contains(body, `data-testid="step-down"`) || strings.Count(body, `data-testid="remove-owner"`) != 2 {
		t.Error("an owner's page lacks the step-down and remove buttons")
	}
	if body := dirk.Get(link).Body; strings.Contains(body, "/eigenaren/verwijderen") {
		t.Error("a non-owner is offered to remove owners")
	}
	// A non-owner cannot remove anyone.
	if res := remove(dirk, "bram@example.org"); res.StatusCode != http.StatusForbidden || !isOwner(t, s, id, "bram@example.org") {
		t.Errorf("non-owner removes an owner: %d", res.StatusCode)
	}

	// Cees steps down: the others hear of it.
	if body := flashAfter(t, cees, remove(cees, "cees@example.org")); !strings.Contains(body, "Je bent geen eigenaar meer") {
		t.Error("stepping down is not confirmed")
	}
	expect(t, s, &mark, "step down",
		note{"anna@example.org", "aanmeldingen", link + "#eigenaren", "cees is gestopt als eigenaar van " + title + ".", false},
		note{"bram@example.org", "aanmeldingen", link + "#eigenaren", "cees is gestopt als eigenaar van " + title + ".", false})
	if isOwner(t, s, id, "cees@example.org") {
		t.Error("cees is still an owner")
	}
	// Anna removes Bram: he hears of it (she caused it, so not she).
	post(t, anna, path(id, "/eigenaren/verwijderen"), url.Values{"eigenaar": {accountID("bram@example.org")}})
	expect(t, s, &mark, "removed",
		note{"bram@example.org", "aanmeldingen", link, "anna heeft je verwijderd als eigenaar van " + title + ".", false})
	if res := bram.Get(path(id, "/bewerken")); res.StatusCode != http.StatusForbidden {
		t.Errorf("removed owner still edits: %d", res.StatusCode)
	}
	// Anna alone cannot step down, nor can an administrator remove her.
	if body := anna.Get(link).Body; !strings.Contains(body, `data-testid="only-owner"`) || strings.Contains(body, `data-testid="step-down"`) {
		t.Error("the only owner is offered to step down, or not told why not")
	}
	for name, c := range map[string]*testkit.Client{"anna herself": anna, "the administrator": admin} {
		if body := flashAfter(t, c, remove(c, "anna@example.org")); !strings.Contains(body, "altijd minstens één eigenaar") {
			t.Errorf("%s removing the last owner: not told why not", name)
		}
		if !isOwner(t, s, id, "anna@example.org") {
			t.Fatalf("%s removed the last owner", name)
		}
	}
	// An administrator removes a co-owner; that is audited.
	coOwner(t, s, anna, id, "bram@example.org")
	post(t, admin, path(id, "/eigenaren/verwijderen"), url.Values{"eigenaar": {accountID("bram@example.org")}})
	if isOwner(t, s, id, "bram@example.org") {
		t.Error("the administrator could not remove a co-owner")
	}
	if n := count(t, s, `SELECT count(*) FROM audit_log WHERE action = 'initiative.owner_remove' AND subject_id = $1`, id); n != 1 {
		t.Errorf("administrator's removal audited %d times, want 1", n)
	}
	// Nonsense in the form is a bad request.
	for _, v := range []string{"", "abc", "-1"} {
		if res := anna.PostForm(path(id, "/eigenaren/verwijderen"), url.Values{"eigenaar": {v}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("eigenaar=%q: %d", v, res.StatusCode)
		}
	}
}

// Two owners who remove each other, or both step down, at the same moment:
// the initiative always keeps one owner. Each round starts with the two
// owners again.
func TestConcurrentRemovalsKeepAnOwner(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	anna := s.CreateUser(t, "anna@example.org")
	bram := s.CreateUser(t, "bram@example.org")
	ca, cb := s.Login(t, "anna@example.org"), s.Login(t, "bram@example.org")
	id := create(t, ca, nil)
	ids := map[string]string{"anna": strconv.FormatInt(anna.ID, 10), "bram": strconv.FormatInt(bram.ID, 10)}
	for _, tt := range []struct {
		name               string
		annaGoes, bramGoes string // whom each removes
	}{
		{"both step down", "anna", "bram"},
		{"each removes the other", "bram", "anna"},
	} {
		for round := range 8 {
			if _, err := s.DB.Exec(context.Background(), `INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2), ($1, $3) ON CONFLICT DO NOTHING`,
				id, anna.ID, bram.ID); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			codes := make([]int, 2)
			wg.Go(func() {
				codes[0] = ca.PostForm(path(id, "/eigenaren/verwijderen"), url.Values{"eigenaar": {ids[tt.annaGoes]}}).StatusCode
			})
			wg.Go(func() {
				codes[1] = cb.PostForm(path(id, "/eigenaren/verwijderen"), url.Values{"eigenaar": {ids[tt.bramGoes]}}).StatusCode
			})
			wg.Wait()
			if n := count(t, s, `SELECT count(*) FROM initiative_owners WHERE initiative_id = $1`, id); n != 1 {
				t.Fatalf("%s, round %d: %d owners left (answers %v), want 1", tt.name, round, n, codes)
			}
			for _, code := range codes {
				if code >= 500 {
					t.Errorf("%s, round %d: answers %v", tt.name, round, codes)
				}
			}
		}
	}
}
