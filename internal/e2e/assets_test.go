package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestAssetJourney: a resident on a phone (and on a desktop) adds a talent
// from the neighbourhood's "wie kan helpen" page, first with errors, sees it
// listed with a first name, and finds it on the account pages. Every page
// passes axe-core; an anonymous visitor never sees the talent.
func TestAssetJourney(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	const list = "/buurten/BU03440112/wie-kan-helpen"
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			email := fmt.Sprintf("talent-%s@example.nl", v)
			s.CreateUser(t, email)
			ctx := testkit.NewTab(t, v)

			// Anonymous: the page works and invites to log in for talents.
			if h1 := open(t, ctx, s.URL+list); h1 != "Wie kan helpen in Oog in Al?" {
				t.Fatalf("h1 %q", h1)
			}
			testkit.AssertAccessible(t, ctx)

			testkit.BrowserLogin(t, ctx, s.URL, email)
			open(t, ctx, s.URL+list)
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `main a[href="/hulpbronnen/nieuw?buurt=BU03440112"]`)
			testkit.AssertAccessible(t, ctx)
			click(t, ctx, `main a[href="/hulpbronnen/nieuw?buurt=BU03440112&soort=talent"]`)
			if h1 := heading(t, ctx); h1 != "Mijn talent toevoegen" {
				t.Fatalf("talent form h1 %q", h1)
			}
			testkit.AssertAccessible(t, ctx)

			// Submitting empty shows the errors next to the fields.
			click(t, ctx, `form[method="post"][action="/hulpbronnen/nieuw"] button[type="submit"]`)
			if !exists(t, ctx, `[data-testid="error-summary"]`) || !exists(t, ctx, `#veld-naam[aria-invalid="true"]`) {
				t.Fatalf("empty talent form shows no errors:\n%s", bodyText(t, ctx))
			}
			testkit.AssertAccessible(t, ctx)

			fill(t, ctx, "naam", "Ik kan fietsen repareren")
			if err := chromedp.Run(ctx, chromedp.Click(`#veld-nodig-3`, chromedp.ByQuery)); err != nil { // kennis
				t.Fatal(err)
			}
			click(t, ctx, `form[method="post"][action="/hulpbronnen/nieuw"] button[type="submit"]`)
			if got := location(t, ctx); !strings.HasPrefix(got, list) {
				t.Fatalf("after adding: at %s\n%s", got, bodyText(t, ctx))
			}
			name := strings.SplitN(email, "@", 2)[0]
			if !strings.Contains(bodyText(t, ctx), name+" kan fietsen repareren") {
				t.Fatalf("talent not listed with first name:\n%s", bodyText(t, ctx))
			}
			testkit.AssertAccessible(t, ctx)

			for _, p := range []string{"/mijn/talenten", "/account"} {
				open(t, ctx, s.URL+p)
				if !strings.Contains(bodyText(t, ctx), "Ik kan fietsen repareren") {
					t.Errorf("%s does not list the talent", p)
				}
				testkit.AssertAccessible(t, ctx)
			}
			click(t, ctx, `main a[href$="/bewerken"]`)
			if h1 := heading(t, ctx); h1 != "Hulpbron bewerken" {
				t.Fatalf("edit h1 %q", h1)
			}
			testkit.AssertAccessible(t, ctx)

			// A place form for someone without a municipality asks for one first.
			open(t, ctx, s.URL+"/hulpbronnen/nieuw?soort=plek")
			testkit.AssertAccessible(t, ctx)
			open(t, ctx, s.URL+"/hulpbronnen/nieuw?soort=plek&gemeente=GM0344")
			testkit.AssertAccessible(t, ctx)
		})
	}

	// An anonymous visitor does not see any talent.
	ctx := testkit.NewTab(t, testkit.Desktop)
	open(t, ctx, s.URL+list)
	if strings.Contains(bodyText(t, ctx), "fietsen repareren") {
		t.Fatal("anonymous visitor sees a talent")
	}
}

// TestAssetAdminPagesAccessible: an administrator hides an asset; the hide
// form (also with an error) and the list with a hidden asset pass axe-core.
func TestAssetAdminPagesAccessible(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	s.CreateUser(t, "plekmaker@example.nl")
	s.CreateUser(t, "beheer-hulp@example.nl", role.Admin)
	c := s.Login(t, "plekmaker@example.nl")
	res := c.PostForm("/hulpbronnen/nieuw", url.Values{
		"token": {"01234567-89ab-4def-8123-456789abcdef"}, "soort": {"plek"}, "type": {"bibliotheek"}, "naam": {"Leeshoek"},
		"buurt": {"BU03440112"}, "nodig": {"ruimte"}, "zichtbaarheid": {"public"}, "site": {"www.leeshoek.nl"}, "telefoon": {"030 123 45 67"},
	})
	loc := res.Location()
	i := strings.Index(loc, "#hulpbron-")
	if res.StatusCode != 303 || i < 0 {
		t.Fatalf("create: %d %s", res.StatusCode, loc)
	}
	id := loc[i+len("#hulpbron-"):]

	ctx := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, ctx, s.URL, "beheer-hulp@example.nl")
	open(t, ctx, s.URL+"/hulpbronnen/"+id+"/verbergen")
	testkit.AssertAccessible(t, ctx)
	click(t, ctx, `form[action="/hulpbronnen/`+id+`/verbergen"] button[type="submit"]`)
	if !exists(t, ctx, `#veld-reden[aria-invalid="true"]`) {
		t.Fatal("hide without reason shows no error")
	}
	testkit.AssertAccessible(t, ctx)
	fill(t, ctx, "reden", "Dubbel ingevoerd.")
	click(t, ctx, `form[action="/hulpbronnen/`+id+`/verbergen"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, ctx), "Verborgen door een beheerder: Dubbel ingevoerd.") {
		t.Fatalf("hidden asset not marked for the admin:\n%s", bodyText(t, ctx))
	}
	testkit.AssertAccessible(t, ctx)
	open(t, ctx, s.URL+"/hulpbronnen/"+id+"/bewerken")
	testkit.AssertAccessible(t, ctx)
}
