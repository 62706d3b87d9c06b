package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// setup of the work-log tests: accounts with a municipality or work areas.
func officerOf(t *testing.T, s *testkit.Server, email, gm string) {
	t.Helper()
	a := s.CreateUser(t, email, role.Officer)
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET municipality_id = (SELECT id FROM municipalities WHERE code = $2) WHERE id = $1`, a.ID, gm); err != nil {
		t.Fatal(err)
	}
}

func workerIn(t *testing.T, s *testkit.Server, email string, codes ...string) {
	t.Helper()
	a := s.CreateUser(t, email, role.Worker)
	if _, err := s.DB.Exec(context.Background(), `INSERT INTO account_work_areas (account_id, neighbourhood_id)
		SELECT $1, id FROM neighbourhoods WHERE code = ANY($2)`, a.ID, codes); err != nil {
		t.Fatal(err)
	}
}

// do runs actions that do not navigate (typing, ticking, choosing).
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s (at %s): %v", what, location(t, ctx), err)
	}
}

// TestSignalRaisedAnsweredAndSeen: a resident raises a signal on a phone, an
// officer of the municipality responds and moves it to "in behandeling", and
// the resident sees the response. Every page on the way passes axe-core,
// including the form with errors.
func TestSignalRaisedAnsweredAndSeen(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "melder@example.nl")
	officerOf(t, s, "ambtenaar@example.nl", "GM0344")

	resident := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, resident, s.URL, "melder@example.nl")
	if h1 := open(t, resident, s.URL+"/signalen/nieuw?buurt=BU03440112"); h1 != "Signaal melden" {
		t.Fatalf("form h1 %q", h1)
	}
	testkit.AssertAccessible(t, resident)

	// Submitting without a title or theme shows the errors, accessibly.
	click(t, resident, `form[action="/signalen/nieuw"] button[type="submit"]`)
	if !exists(t, resident, `[data-testid="error-summary"]`) || !strings.Contains(bodyText(t, resident), "Kies een thema.") {
		t.Fatal("no error summary after an empty submit")
	}
	testkit.AssertAccessible(t, resident)

	fill(t, resident, "title", "Losliggende stoeptegels bij de school")
	fill(t, resident, "description", "Al drie weken; ouders met kinderwagens struikelen.")
	do(t, resident, "choose a theme", chromedp.SetValue("#veld-theme", "openbare-ruimte", chromedp.ByQuery))
	do(t, resident, "make it public", chromedp.Click("#veld-public-0", chromedp.ByQuery))
	click(t, resident, `form[action="/signalen/nieuw"] button[type="submit"]`)
	signalPath := location(t, resident)
	if !strings.HasPrefix(signalPath, "/signalen/") || heading(t, resident) != "Losliggende stoeptegels bij de school" {
		t.Fatalf("after raising: at %s, h1 %q", signalPath, heading(t, resident))
	}
	if txt := bodyText(t, resident); !strings.Contains(txt, "Gesignaleerd") || !strings.Contains(txt, "Nog geen reacties.") {
		t.Fatal("new signal page lacks its status")
	}
	testkit.AssertAccessible(t, resident)

	officer := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, officer, s.URL, "ambtenaar@example.nl")
	open(t, officer, s.URL+"/signalen")
	if !strings.Contains(bodyText(t, officer), "Losliggende stoeptegels bij de school") {
		t.Fatal("officer's list lacks the signal")
	}
	testkit.AssertAccessible(t, officer)
	open(t, officer, s.URL+signalPath)
	testkit.AssertAccessible(t, officer)
	// A status the officer cannot choose yet is refused with a message.
	fill(t, officer, "body", "We kijken ernaar.")
	do(t, officer, "force an invalid status", chromedp.Evaluate(
		`(() => { const o = document.createElement('option'); o.value = 'opgepakt'; o.textContent = 'Opgepakt'; document.querySelector('#veld-status').append(o); document.querySelector('#veld-status').value = 'opgepakt'; return true })()`, new(bool)))
	click(t, officer, `form[action*="/reactie#"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, officer), "Van Gesignaleerd kan het signaal niet naar Opgepakt.") {
		t.Fatal("invalid transition not refused with a message")
	}
	testkit.AssertAccessible(t, officer)
	fill(t, officer, "body", "De aannemer herstelt de tegels deze week.")
	do(t, officer, "choose a status", chromedp.SetValue("#veld-status", "in_behandeling", chromedp.ByQuery))
	click(t, officer, `form[action*="/reactie#"] button[type="submit"]`)
	if txt := bodyText(t, officer); !strings.Contains(txt, "Je reactie is opgeslagen.") || !strings.Contains(txt, "De aannemer herstelt de tegels deze week.") {
		t.Fatal("officer's response not shown")
	}

	open(t, resident, s.URL+signalPath)
	txt := bodyText(t, resident)
	for _, want := range []string{"De aannemer herstelt de tegels deze week.", "In behandeling", "ambtenaar (gemeente)"} {
		if !strings.Contains(txt, want) {
			t.Errorf("resident's page lacks %q", want)
		}
	}
	if strings.Contains(txt, "We kijken ernaar.") {
		t.Error("a refused response was stored")
	}
	testkit.AssertAccessible(t, resident)
	open(t, resident, s.URL+"/signalen")
	testkit.AssertAccessible(t, resident)
	// The public signal is on the neighbourhood page.
	open(t, resident, s.URL+"/buurten/BU03440112")
	if !strings.Contains(bodyText(t, resident), "Losliggende stoeptegels bij de school") {
		t.Error("public signal missing on the neighbourhood page")
	}
}

// TestActivityPagesAccessible walks a worker through recording an activity,
// its page, the list, the edit form and the story form, checking each with
// axe-core at both sizes.
func TestActivityPagesAccessible(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			email := "werker-" + v.String() + "@example.nl"
			workerIn(t, s, email, "BU03440112", "BU03440111")
			ctx := testkit.NewTab(t, v)
			testkit.BrowserLogin(t, ctx, s.URL, email)
			open(t, ctx, s.URL+"/activiteiten/nieuw")
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `form[action="/activiteiten/nieuw"] button[type="submit"]`)
			if !exists(t, ctx, `[data-testid="error-summary"]`) {
				t.Fatal("no error summary after an empty submit")
			}
			testkit.AssertAccessible(t, ctx)
			fill(t, ctx, "title", "Koffie op de stoep")
			do(t, ctx, "choose", chromedp.SetValue("#veld-neighbourhood", neighbourhoodOption(t, ctx, "Oog in Al"), chromedp.ByQuery),
				chromedp.Click("#veld-strategy-0", chromedp.ByQuery))
			fill(t, ctx, "participants", "14")
			fill(t, ctx, "note", "Buurvrouw wil een buurtapp beginnen.")
			click(t, ctx, `form[action="/activiteiten/nieuw"] button[type="submit"]`)
			if heading(t, ctx) != "Koffie op de stoep" {
				t.Fatalf("after saving: h1 %q at %s", heading(t, ctx), location(t, ctx))
			}
			path := location(t, ctx)
			testkit.AssertAccessible(t, ctx)
			for _, p := range []string{"/activiteiten", path + "/bewerken", path + "/verhaal"} {
				open(t, ctx, s.URL+p)
				testkit.AssertAccessible(t, ctx)
			}
		})
	}
}

// neighbourhoodOption returns the value of the option labelled name in the
// neighbourhood select.
func neighbourhoodOption(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	var v string
	do(t, ctx, "find option", chromedp.Evaluate(
		`[...document.querySelectorAll('#veld-neighbourhood option')].find(o => o.textContent.trim() === `+jsString(name)+`).value`, &v))
	return v
}
