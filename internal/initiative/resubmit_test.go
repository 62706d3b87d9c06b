package initiative_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestResubmitLeadsToExisting: back, then submit again on a refilled form
// with a new key, makes no second initiative within half an hour; the
// person lands on the first one and is told so. Case and white space do not
// make the content new; another person, other content or an old first
// submit do.
func TestResubmitLeadsToExisting(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	s.CreateUser(t, "bram@example.org")
	anna := s.Login(t, "anna@example.org")
	first := create(t, anna, nil)

	f := validForm(formKey(t, anna))
	f.Set("titel", "  moestuin   OUDWIJK ")
	f.Set("beschrijving", "We zijn met vijf buren begonnen.\r\nIedereen  is welkom. ")
	res := anna.PostForm("/initiatieven/nieuw", f)
	if res.StatusCode != http.StatusSeeOther || res.Location() != path(first, "") {
		t.Fatalf("resubmit: %d → %q, want 303 → %q", res.StatusCode, res.Location(), path(first, ""))
	}
	if body := flashAfter(t, anna, res); !strings.Contains(body, "Dit initiatief had je net al aangemeld") {
		t.Error("the page after a resubmit does not say it was already saved")
	}
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 1 {
		t.Fatalf("%d initiatives after a resubmit, want 1", n)
	}

	// Another summary is other content; Bram's same text is his own.
	other := create(t, anna, func(f url.Values) { f.Set("samenvatting", "Samen groente kweken, nu ook op woensdag.") })
	bram := s.Login(t, "bram@example.org")
	bramsOwn := create(t, bram, nil)
	if other == first || bramsOwn == first || bramsOwn == other {
		t.Errorf("ids %d, %d, %d: other content or another person led to an existing initiative", first, other, bramsOwn)
	}
	// Half an hour later the same content is a new initiative.
	if _, err := s.DB.Exec(t.Context(), `UPDATE initiatives SET created_at = now() - interval '31 minutes'`); err != nil {
		t.Fatal(err)
	}
	if again := create(t, anna, nil); again == first || again == other {
		t.Errorf("after 31 minutes the same content led to %d", again)
	}
}

// TestConcurrentResubmits: the same content sent at once from five forms,
// each with its own key (several tabs, or back-and-submit racing a slow
// first submit), makes one initiative and every answer leads to it.
func TestConcurrentResubmits(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seedGeo(t, s)
	s.CreateUser(t, "anna@example.org")
	c := s.Login(t, "anna@example.org")
	forms := make([]url.Values, 5)
	for k := range forms {
		forms[k] = validForm(formKey(t, c))
	}
	res := make([]testkit.Response, len(forms))
	var wg sync.WaitGroup
	for k := range forms {
		wg.Go(func() { res[k] = c.PostForm("/initiatieven/nieuw", forms[k]) })
	}
	wg.Wait()
	for k, r := range res {
		if r.StatusCode != http.StatusSeeOther || r.Location() != res[0].Location() {
			t.Errorf("submit %d: %d → %q, first → %q", k, r.StatusCode, r.Location(), res[0].Location())
		}
	}
	if n := count(t, s, `SELECT count(*) FROM initiatives`); n != 1 {
		t.Errorf("%d initiatives from five resubmits at once, want 1", n)
	}
}
