package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestCoOwnerInvitationAndConflictAccessible: in the browser an owner who is
// also an officer invites a neighbour as co-owner, the neighbour accepts on
// the account page, the owner sees the buttons to step down and remove, and
// the officer's own funding request says she may not decide on it. axe-core
// checks each page.
func TestCoOwnerInvitationAndConflictAccessible(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "ambtenaar@example.nl", role.Resident, role.Officer)
	s.CreateUser(t, "buurman@example.nl")
	if _, err := s.DB.Exec(context.Background(), `
		WITH u AS (UPDATE accounts SET municipality_id = (SELECT id FROM municipalities WHERE code = 'GM0344')
		           WHERE email = 'ambtenaar@example.nl' RETURNING id, municipality_id),
		i AS (
			INSERT INTO initiatives (title, summary, municipality_id, themes, form, status, contact_preference, contact_details, visibility, created_by)
			SELECT 'Buurtkamer Oog in Al', 'Een kamer voor iedereen.', u.municipality_id, '{ontmoeting}', 'informal', 'actief', 'telefoon', '06-12345678', 'public', u.id
			FROM u RETURNING id, created_by),
		o AS (INSERT INTO initiative_owners (initiative_id, account_id) SELECT id, created_by FROM i),
		d AS (INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, opens_on, budget_cents, is_default)
		      SELECT 'Buurtbudget Utrecht', municipality_id, municipality_id, DATE '2000-01-01', 100000000, true FROM u RETURNING id),
		f AS (INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by)
		      SELECT i.id, d.id, 50000, 'Koffie en thee', 'Koffie € 500', i.created_by FROM i, d)
		INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id)
		SELECT i.id, n.id FROM i, neighbourhoods n WHERE n.code = 'BU03440112'`); err != nil {
		t.Fatal(err)
	}

	owner := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, owner, s.URL, "ambtenaar@example.nl")
	open(t, owner, s.URL+"/initiatieven?zoek=buurtkamer")
	click(t, owner, `[data-testid="initiative"] a`)
	initiativePath := location(t, owner)
	if strings.Contains(bodyText(t, owner), "06-12345678") {
		t.Error("an owner who is an officer sees the phone number")
	}
	fill(t, owner, "eigenaar_email", "buurman@example.nl")
	click(t, owner, `form[action*="/eigenaren#"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, owner), "Als er een account bij dit adres hoort") {
		t.Fatal("invitation not confirmed")
	}
	testkit.AssertAccessible(t, owner)

	neighbour := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, neighbour, s.URL, "buurman@example.nl")
	open(t, neighbour, s.URL+"/account")
	testkit.AssertAccessible(t, neighbour)
	click(t, neighbour, `[data-testid="my-invitations"] form[action$="/uitnodiging/aannemen"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, neighbour), "Je bent nu mede-eigenaar") {
		t.Fatal("accepting not confirmed")
	}
	testkit.AssertAccessible(t, neighbour)

	open(t, owner, s.URL+initiativePath)
	if !exists(t, owner, `[data-testid="step-down"]`) || !exists(t, owner, `[data-testid="remove-owner"]`) {
		t.Fatal("the owner's page lacks the buttons to step down and to remove")
	}
	testkit.AssertAccessible(t, owner)

	open(t, owner, s.URL+"/aanvragen")
	if !exists(t, owner, `[data-testid="conflicted"]`) {
		t.Fatal("the queue offers her own request as work")
	}
	testkit.AssertAccessible(t, owner)
	click(t, owner, `[data-testid="queue"] a[href^="/aanvragen/"]`)
	if !exists(t, owner, `[data-testid="conflict-of-interest"]`) || exists(t, owner, `input[name="besluit"]`) {
		t.Fatal("the decision page of her own request lacks the notice, or shows the form")
	}
	testkit.AssertAccessible(t, owner)
}
