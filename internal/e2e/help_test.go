package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestHelpAskedAnsweredHelped: on a phone, a resident of Oog in Al asks for
// help (the form first refused empty); a neighbour from Welgelegen, in the
// same district, sees it with her first name only and answers "Ik kan
// helpen", which opens their conversation; she marks it helped. Every page
// on the way passes axe-core.
func TestHelpAskedAnsweredHelped(t *testing.T) {
	t.Parallel()
	s := newServerWithCBS(t)
	home := func(email, name, code string) {
		t.Helper()
		a := s.CreateUser(t, email)
		if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET display_name = $2,
			home_neighbourhood_id = (SELECT id FROM neighbourhoods WHERE code = $3) WHERE id = $1`, a.ID, name, code); err != nil {
			t.Fatal(err)
		}
	}
	home("ria@example.nl", "Ria van Dam", "BU03440112")
	home("sem@example.nl", "Sem Bakker", "BU03440111")

	ria := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, ria, s.URL, "ria@example.nl")
	if h1 := open(t, ria, s.URL+"/burenhulp/nieuw"); h1 != "Hulp vragen" {
		t.Fatalf("form h1 %q", h1)
	}
	testkit.AssertAccessible(t, ria)
	click(t, ria, `form[action="/burenhulp/nieuw"] button[type="submit"]`)
	if !exists(t, ria, `[data-testid="error-summary"]`) || !strings.Contains(bodyText(t, ria), "Schrijf kort wat je vraagt of aanbiedt.") {
		t.Fatal("no error summary after an empty submit")
	}
	testkit.AssertAccessible(t, ria)
	do(t, ria, "choose a category", chromedp.SetValue("#veld-categorie", "boodschappen", chromedp.ByQuery))
	fill(t, ria, "tekst", "Wie neemt deze week een keer boodschappen voor me mee?")
	click(t, ria, `form[action="/burenhulp/nieuw"] button[type="submit"]`)
	page := location(t, ria)
	if !strings.HasPrefix(page, "/burenhulp/") || heading(t, ria) != "Hulpvraag: Boodschappen" {
		t.Fatalf("after asking: at %s, h1 %q", page, heading(t, ria))
	}
	testkit.AssertAccessible(t, ria)

	sem := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, sem, s.URL, "sem@example.nl")
	open(t, sem, s.URL+"/burenhulp")
	if txt := bodyText(t, sem); !strings.Contains(txt, "boodschappen voor me mee") || !strings.Contains(txt, "Ria") || strings.Contains(txt, "van Dam") {
		t.Fatal("the neighbour's list lacks the request, or shows more than a first name")
	}
	testkit.AssertAccessible(t, sem)
	open(t, sem, s.URL+page)
	testkit.AssertAccessible(t, sem)
	fill(t, sem, "bericht", "Ik ga donderdag naar de markt, zal ik iets meenemen?")
	click(t, sem, `form[action$="/reageren"] button[type="submit"]`)
	if !strings.HasPrefix(location(t, sem), "/berichten/") || !strings.Contains(bodyText(t, sem), "zal ik iets meenemen?") {
		t.Fatalf("after answering: at %s", location(t, sem))
	}
	testkit.AssertAccessible(t, sem)

	open(t, ria, s.URL+page)
	if !strings.Contains(bodyText(t, ria), "1 buur heeft gereageerd") {
		t.Fatal("the author does not see the answer")
	}
	click(t, ria, `form[action$="/geholpen"] button[type="submit"]`)
	if txt := bodyText(t, ria); !strings.Contains(txt, "Geholpen") || !strings.Contains(txt, "Fijn dat het gelukt is!") {
		t.Fatal("not marked helped")
	}
	testkit.AssertAccessible(t, ria)
	open(t, sem, s.URL+"/buurten/BU03440111")
	if strings.Contains(bodyText(t, sem), "boodschappen voor me mee") {
		t.Error("a helped request is still on the neighbourhood page")
	}
	testkit.AssertAccessible(t, sem)
}
