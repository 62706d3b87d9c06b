package e2e

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestResidentDownloadsDataAndDeletesAccount: on a phone, a resident who
// runs an initiative alone finds the privacy section on /account, downloads
// their data, reads what deletion does, is stopped by an empty form, then
// deletes the account and lands on the home page, logged out. Every page
// passes axe-core.
func TestResidentDownloadsDataAndDeletesAccount(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	a := s.CreateUser(t, "vertrekker@example.nl")
	var initiative int64
	gm := testkit.NewGeo(t, s.DB).Municipality("GM0344", "Utrecht")
	if err := s.DB.QueryRow(ctx, `
		WITH i AS (INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		           VALUES ('Weggeefkast Oost', 'Spullen delen', $2, 'informal', 'actief', 'platform', 'public', $1) RETURNING id)
		INSERT INTO initiative_owners (initiative_id, account_id, added_by) SELECT i.id, $1, $1 FROM i RETURNING initiative_id`, a.ID, gm).Scan(&initiative); err != nil {
		t.Fatal(err)
	}

	tab := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, tab, s.URL, "vertrekker@example.nl")
	open(t, tab, s.URL+"/account")
	if !exists(t, tab, `[data-testid="privacy-section"] a[href="/account/gegevens.json"][download]`) {
		t.Fatal("no download link on /account")
	}
	testkit.AssertAccessible(t, tab)

	// The download, fetched by the page with the browser's own session.
	var got string
	do(t, tab, "download", chromedp.Evaluate(`(async () => {
		const r = await fetch('/account/gegevens.json');
		return r.status + '\n' + r.headers.get('Content-Disposition') + '\n' + await r.text();
	})()`, &got, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	status, rest, _ := strings.Cut(got, "\n")
	disposition, body, _ := strings.Cut(rest, "\n")
	if status != "200" || !strings.HasPrefix(disposition, `attachment; filename="buurtkracht-gegevens-`) {
		t.Fatalf("download: %s %s", status, disposition)
	}
	var doc struct {
		Account struct {
			Email string `json:"email"`
		} `json:"account"`
		InitiativesOwned []struct {
			Title string `json:"title"`
		} `json:"initiatives_owned"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("download is not JSON: %v", err)
	}
	if doc.Account.Email != "vertrekker@example.nl" || len(doc.InitiativesOwned) != 1 || doc.InitiativesOwned[0].Title != "Weggeefkast Oost" {
		t.Fatalf("download content: %+v", doc)
	}

	click(t, tab, `[data-testid="privacy-delete"]`)
	if h := heading(t, tab); h != "Account verwijderen" {
		t.Fatalf("h1 %q", h)
	}
	if txt := bodyText(t, tab); !strings.Contains(txt, "Weggeefkast Oost") || !strings.Contains(txt, "voormalig bewoner") {
		t.Fatal("the deletion page does not say what happens to the initiative")
	}
	testkit.AssertAccessible(t, tab)

	// Nothing filled in: both errors, accessibly.
	click(t, tab, `form[action="/account/verwijderen"] button[type="submit"]`)
	if txt := bodyText(t, tab); !strings.Contains(txt, "Vul je wachtwoord in.") || !strings.Contains(txt, "Vink aan dat je je account definitief wilt verwijderen.") {
		t.Fatal("no errors after an empty submit")
	}
	testkit.AssertAccessible(t, tab)

	fill(t, tab, "password", testkit.Password)
	do(t, tab, "confirm", chromedp.Click("#veld-confirm-0", chromedp.ByQuery))
	click(t, tab, `form[action="/account/verwijderen"] button[type="submit"]`)
	if loc := location(t, tab); loc != "/" {
		t.Fatalf("after deleting: at %s", loc)
	}
	if txt := bodyText(t, tab); !strings.Contains(txt, "Je account is verwijderd.") {
		t.Fatal("no confirmation on the home page")
	}
	if exists(t, tab, `form[action="/uitloggen"]`) {
		t.Fatal("still logged in after deleting the account")
	}
	testkit.AssertAccessible(t, tab)

	// The initiative lives on, anonymously.
	open(t, tab, s.URL+"/initiatieven/"+strconv.FormatInt(initiative, 10))
	if !exists(t, tab, `[data-testid="no-owner"]`) {
		t.Fatal("the initiative page does not show it has no owner")
	}
	testkit.AssertAccessible(t, tab)
}
