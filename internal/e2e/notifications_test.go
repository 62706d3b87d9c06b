package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestOfferNotificationMessageReply is the conversation notifications promise:
// in real Chromium, with and without the platform's scripts: resident B
// offers help on A's initiative; A sees the unread count in the header and
// the notification, opens it, answers B with a message; B sees the count,
// opens the notification and reads the answer, and replies. Every page on
// the way passes axe-core.
func TestOfferNotificationMessageReply(t *testing.T) {
	t.Parallel()
	for _, noJS := range []bool{false, true} {
		name := "with scripts"
		if noJS {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conversation(t, noJS)
		})
	}
}

func conversation(t *testing.T, noJS bool) {
	s := newServerWithCBS(t)
	a := s.CreateUser(t, "anna.eigenaar@example.nl")
	s.CreateUser(t, "bram.buur@example.nl")
	var id int64
	if err := s.DB.QueryRow(context.Background(), `
		WITH i AS (INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		           SELECT 'Buurtmoestuin Lombok', 'Samen groente kweken', m.id, 'informal', 'actief', 'platform', 'public', $1
		           FROM municipalities m WHERE m.code = 'GM0344' RETURNING id),
		     o AS (INSERT INTO initiative_owners (initiative_id, account_id, added_by) SELECT i.id, $1, $1 FROM i),
		     n AS (INSERT INTO initiative_needs (initiative_id, need, details) SELECT i.id, 'vrijwilligers', 'Handen bij het oogsten' FROM i)
		SELECT id FROM i`, a.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := "/initiatieven/" + strconv.FormatInt(id, 10)
	tab := func() context.Context {
		if noJS {
			return noScriptTab(t, testkit.Phone)
		}
		return testkit.NewTab(t, testkit.Phone)
	}

	// B offers help.
	bram := tab()
	testkit.BrowserLogin(t, bram, s.URL, "bram.buur@example.nl")
	open(t, bram, s.URL+path)
	tap(t, bram, `input[name="hulp"][value="vrijwilligers"]`)
	fill(t, bram, "hulp_bericht", "Ik kan zaterdagen helpen oogsten.")
	click(t, bram, `form[action^="`+path+`/aanbod#"] button[type="submit"]`)

	// A sees the count in the header on any page, and the notification.
	anna := tab()
	testkit.BrowserLogin(t, anna, s.URL, "anna.eigenaar@example.nl")
	open(t, anna, s.URL+"/over")
	if txt := navText(t, anna); !strings.Contains(txt, "Meldingen (1 ongelezen)") {
		t.Fatalf("A's header: %q", txt)
	}
	click(t, anna, `a[data-testid="nav-meldingen"]`)
	if txt := bodyText(t, anna); !strings.Contains(txt, "bram.buur biedt hulp aan bij ‘Buurtmoestuin Lombok’") || !strings.Contains(txt, "Nieuw") {
		t.Fatalf("A's notifications: %s", txt)
	}
	testkit.AssertAccessible(t, anna)
	click(t, anna, `[data-testid="notifications"] li:first-child button`)
	if loc := location(t, anna); !strings.HasSuffix(loc, path) {
		t.Fatalf("the notification led to %s", loc)
	}
	if txt := navText(t, anna); strings.Contains(txt, "ongelezen") {
		t.Fatalf("still unread after opening: %q", txt)
	}
	// No address of B anywhere; a message link instead.
	if strings.Contains(bodyText(t, anna), "bram.buur@example.nl") {
		t.Fatal("B's e-mail address on A's initiative page")
	}
	click(t, anna, `a[href^="/berichten/nieuw?over=aanbod"]`)
	testkit.AssertAccessible(t, anna)
	fill(t, anna, "bericht", "Fijn! Kom zaterdag om tien uur naar de tuin.")
	click(t, anna, `form[action="/berichten/nieuw"] button[type="submit"]`)
	thread := location(t, anna)
	if !strings.Contains(thread, "/berichten/") || !strings.Contains(bodyText(t, anna), "Kom zaterdag om tien uur") {
		t.Fatalf("after sending A is at %s", thread)
	}
	testkit.AssertAccessible(t, anna)

	// B sees the count, opens the notification and reads the answer.
	open(t, bram, s.URL+"/over")
	if txt := navText(t, bram); !strings.Contains(txt, "Meldingen (1 ongelezen)") {
		t.Fatalf("B's header: %q", txt)
	}
	open(t, bram, s.URL+"/meldingen")
	click(t, bram, `[data-testid="notifications"] li:first-child button`)
	if loc := location(t, bram); !strings.HasSuffix(thread, strings.TrimPrefix(loc, s.URL)) {
		t.Fatalf("B's notification led to %s, want %s", loc, thread)
	}
	if !strings.Contains(bodyText(t, bram), "Fijn! Kom zaterdag om tien uur naar de tuin.") {
		t.Fatal("B does not see A's message")
	}
	testkit.AssertAccessible(t, bram)
	fill(t, bram, "bericht", "Top, ik ben er!")
	click(t, bram, `form[action="`+strings.TrimPrefix(thread, s.URL)+`"] button[type="submit"]`)
	if !strings.Contains(bodyText(t, bram), "Top, ik ben er!") {
		t.Fatal("B's reply is not in the thread")
	}
	// A is told of the reply.
	open(t, anna, s.URL+"/over")
	if txt := navText(t, anna); !strings.Contains(txt, "Meldingen (1 ongelezen)") {
		t.Fatalf("A's header after the reply: %q", txt)
	}
}

// navText is the text of the main navigation.
func navText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('nav.bk-nav').innerText`, &s)); err != nil {
		t.Fatal(err)
	}
	return s
}
