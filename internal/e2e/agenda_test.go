package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// TestAgendaPublishAndSignUp: a worker publishes an event in Oog in Al
// (an empty submit first: the error summary), a resident finds it in the
// neighbourhood's "Wat is er te doen", signs up and sees it on /account;
// every page passes axe at both sizes.
func TestAgendaPublishAndSignUp(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			worker := "agendawerker-" + v.String() + "@example.nl"
			resident := "agendabewoner-" + v.String() + "@example.nl"
			title := "Buurtsoep " + v.String()
			workerIn(t, s, worker, "BU03440112")
			s.CreateUser(t, resident)

			ctx := testkit.NewTab(t, v)
			testkit.BrowserLogin(t, ctx, s.URL, worker)
			open(t, ctx, s.URL+"/bijeenkomsten/nieuw")
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `form[data-testid="event-form"] button[type="submit"]`)
			if !exists(t, ctx, `[data-testid="error-summary"]`) {
				t.Fatal("no error summary after an empty submit")
			}
			testkit.AssertAccessible(t, ctx)
			start := time.Now().Add(72 * time.Hour).In(dutch.Amsterdam)
			fill(t, ctx, "titel", title)
			do(t, ctx, "choose",
				chromedp.SetValue("#veld-thema", "ontmoeting", chromedp.ByQuery),
				chromedp.SetValue("#veld-begin", start.Format("2006-01-02T15:04"), chromedp.ByQuery),
				chromedp.SetValue("#veld-einde", start.Add(2*time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
				chromedp.Click("#veld-zichtbaarheid-0", chromedp.ByQuery))
			fill(t, ctx, "plaats", "Het speelveld")
			fill(t, ctx, "plaatsen", "12")
			click(t, ctx, `form[data-testid="event-form"] button[type="submit"]`)
			if heading(t, ctx) != title {
				t.Fatalf("after publishing: h1 %q at %s: %s", heading(t, ctx), location(t, ctx), bodyText(t, ctx))
			}
			page := location(t, ctx)
			testkit.AssertAccessible(t, ctx)

			tab := testkit.NewTab(t, v)
			testkit.BrowserLogin(t, tab, s.URL, resident)
			open(t, tab, s.URL+"/buurten/BU03440112")
			if !strings.Contains(bodyText(t, tab), title) {
				t.Fatal("the neighbourhood page does not show the event")
			}
			open(t, tab, s.URL+"/buurten/BU03440112/agenda")
			testkit.AssertAccessible(t, tab)
			open(t, tab, s.URL+page)
			click(t, tab, `form[action$="/aanmelden"] button[type="submit"]`)
			if !exists(t, tab, `[data-testid="signup-status"]`) {
				t.Fatalf("no sign-up status after signing up: %s", bodyText(t, tab))
			}
			testkit.AssertAccessible(t, tab)
			open(t, tab, s.URL+"/account")
			if !strings.Contains(bodyText(t, tab), title) {
				t.Error("the account page does not list the sign-up")
			}
			// The organiser sees the sign-up, with the cancel form.
			open(t, ctx, s.URL+page)
			if !exists(t, ctx, `[data-testid="signups"]`) {
				t.Error("the organiser sees no sign-ups")
			}
			testkit.AssertAccessible(t, ctx)
		})
	}
}
