package overview_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
)

// TestDrillDownRecognitions: the drill-down's signal list says how many
// people recognise each signal ("Dit herken ik"), a person count and so
// published like the others (hidden from 1 to 4, else rounded to 5), and
// shows the raiser's replies in the timeline.
func TestDrillDownRecognitions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	recognise := func(theme string, n int) {
		t.Helper()
		for i := range n {
			acc := f.s.CreateUser(t, fmt.Sprintf("herken-%s-%d@example.nl", theme, i))
			if _, err := f.s.DB.Exec(ctx, `INSERT INTO signal_recognitions (signal_id, account_id)
				SELECT s.id, $2 FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
				WHERE n.code = $3 AND s.theme = $1`, theme, acc.ID, nbA); err != nil {
				t.Fatal(err)
			}
		}
	}
	recognise("wonen", 6)
	recognise("veiligheid", 2)
	if _, err := f.s.DB.Exec(ctx, `INSERT INTO signal_responses (signal_id, author_id, author_role, body, idempotency_key)
		SELECT s.id, s.raised_by, 'raiser', 'Nog steeds zo', gen_random_uuid() FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
		WHERE n.code = $1 AND s.theme = 'wonen'`, nbA); err != nil {
		t.Fatal(err)
	}

	c := f.s.Login(t, f.officer)
	res := c.Get("/overzicht/buurten/" + nbA + "?" + f.q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("drill-down: %d", res.StatusCode)
	}
	item := func(body, title string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<h3 class="utrecht-heading-3">` + title + `</h3>(.*?)</ol>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no signal %q in the drill-down", title)
		}
		return m[1]
	}
	for title, want := range map[string]string{
		"Signaal wonen":      `<span data-testid="recognised">herkend door 5 mensen</span>`,
		"Signaal veiligheid": `<span data-testid="recognised">herkend door &lt; 5 mensen</span>`,
	} {
		if got := item(res.Body, title); !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(got) {
			t.Errorf("%s: lacks %s in\n%s", title, want, got)
		}
	}
	if got := item(res.Body, "Signaal wonen"); !regexp.MustCompile(`reactie van melder`).MatchString(got) {
		t.Errorf("the raiser's reply is not in the timeline:\n%s", got)
	}
	// A signal nobody recognised says so.
	res = c.Get("/overzicht/buurten/" + nbB + "?" + f.q)
	if got := item(res.Body, "Signaal zorg"); !regexp.MustCompile(`nog door niemand herkend`).MatchString(got) {
		t.Errorf("unrecognised signal:\n%s", got)
	}
}
