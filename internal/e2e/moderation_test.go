package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestModerationReportAndHide: a resident reports someone else's public
// signal, an administrator hides it from the one moderation queue with a
// reason, and the signal is gone for the resident. The queue and the forms
// pass axe-core.
func TestModerationReportAndHide(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	nb := testkit.NewGeo(t, s.DB).Neighbourhood("BU03440112", "Oog in Al")
	raiser := s.CreateUser(t, "melder@example.nl")
	s.CreateUser(t, "buur@example.nl")
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	var id int64
	if err := s.DB.QueryRow(context.Background(), `
		INSERT INTO signals (neighbourhood_id, title, description, theme, addressed_to, raised_by, raised_as, is_public, idempotency_key)
		VALUES ($1, 'Buurman Jansen op nummer 12 is een dief', 'Iedereen moet het weten.', 'veiligheid', 'gemeente', $2, 'resident', true, gen_random_uuid())
		RETURNING id`, nb, raiser.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	signal := "/signalen/" + strconv.FormatInt(id, 10)

	resident := testkit.NewTab(t, testkit.Phone)
	testkit.BrowserLogin(t, resident, s.URL, "buur@example.nl")
	open(t, resident, s.URL+signal)
	click(t, resident, `[data-testid="report-link"]`)
	if h1 := heading(t, resident); h1 != "Melden bij de beheerder" {
		t.Fatalf("report form h1 %q", h1)
	}
	testkit.AssertAccessible(t, resident)
	fill(t, resident, "reden", "Noemt iemand bij naam en adres en beschuldigt hem.")
	click(t, resident, `main form button[type="submit"]`)
	if loc := location(t, resident); loc != signal {
		t.Fatalf("after reporting: at %s, want %s", loc, signal)
	}
	if !strings.Contains(bodyText(t, resident), "Een beheerder bekijkt je melding.") {
		t.Fatal("no confirmation after reporting")
	}

	admin := testkit.NewTab(t, testkit.Desktop)
	testkit.BrowserLogin(t, admin, s.URL, "beheer@example.nl")
	if h1 := open(t, admin, s.URL+"/beheer/moderatie"); h1 != "Moderatie" {
		t.Fatalf("queue h1 %q", h1)
	}
	if !strings.Contains(bodyText(t, admin), "Noemt iemand bij naam en adres") {
		t.Fatal("the report is not in the queue")
	}
	testkit.AssertAccessible(t, admin)
	click(t, admin, `[data-testid="queue-item"][data-kind="signaal"] .bk-actions a`)
	testkit.AssertAccessible(t, admin)
	fill(t, admin, "reden", "Beschuldigt een buurman met naam en huisnummer.")
	click(t, admin, `main form button[type="submit"]`)
	if loc := location(t, admin); loc != "/beheer/moderatie" {
		t.Fatalf("after hiding: at %s", loc)
	}
	if !exists(t, admin, `[data-testid="hidden-item"][data-kind="signaal"]`) || exists(t, admin, `[data-testid="queue-item"]`) {
		t.Fatal("the signal is not listed as hidden, or its report is still open")
	}
	testkit.AssertAccessible(t, admin)

	open(t, resident, s.URL+signal)
	if strings.Contains(bodyText(t, resident), "Buurman Jansen") {
		t.Fatal("the resident still sees the hidden signal")
	}
}
