package fund_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/fund"
)

func adviceURL(id int64) string { return "/aanvragen/" + strconv.FormatInt(id, 10) + "/advies" }

func TestAdviceOncePerResident(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "advice")
	c := w.srv.Login(t, w.residentMail)
	if acc := c.Get("/account"); !strings.Contains(acc.Body, adviceURL(w.app)) {
		t.Error("the account page does not offer the advice")
	}
	if acc := w.srv.Login(t, "elders@example.org").Get("/account"); strings.Contains(acc.Body, adviceURL(w.app)) {
		t.Error("the account page offers advice outside the fund's area")
	}
	res := c.PostForm(adviceURL(w.app), url.Values{"advies": {"voor"}, "toelichting": {"Goed plan, ik help mee"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != adviceURL(w.app) {
		t.Fatalf("first advice: %d %s", res.StatusCode, res.Location())
	}
	// A second try, also with another opinion: 409, and the first stands.
	res = c.PostForm(adviceURL(w.app), url.Values{"advies": {"tegen"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "al advies gegeven") {
		t.Fatalf("second advice: %d, body without the message", res.StatusCode)
	}
	if acc := c.Get("/account"); strings.Contains(acc.Body, adviceURL(w.app)) {
		t.Error("the account page still offers the advice given")
	}
	var n int
	var support bool
	if err := w.srv.DB.QueryRow(context.Background(), `SELECT count(*), bool_and(support) FROM funding_advice WHERE request_id = $1`, w.app).Scan(&n, &support); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !support {
		t.Fatalf("advice rows = %d (support %v), want 1 in favour", n, support)
	}
	// Everyone sees the result, without names.
	page := w.srv.Client(t).Get(adviceURL(w.app))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "1 voor, 0 tegen") || !strings.Contains(page.Body, "Goed plan, ik help mee") {
		t.Fatalf("public page: %d, counts or comment missing", page.StatusCode)
	}
	if strings.Contains(page.Body, "bewoner@") || strings.Contains(page.Body, ">bewoner<") {
		t.Fatal("public advice page names the resident")
	}
}

func TestAdviceWhoMay(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "jury")
	// The fund narrowed to the home neighbourhood: the neighbour across the
	// district line lives in the municipality, but outside the scope.
	followUpExec(t, w, `INSERT INTO fund_areas (fund_id, neighbourhood_id) VALUES ($1, $2)`, w.fund, w.home)
	unconfirmed := w.srv.CreateUser(t, "onbevestigd@example.org").ID
	unconfirmedClient := w.srv.Login(t, "onbevestigd@example.org")
	followUpExec(t, w, `UPDATE accounts SET home_neighbourhood_id = $2, email_confirmed_at = NULL WHERE id = $1`, unconfirmed, w.home)
	closed := w.apply(t, 5000, "Oude aanvraag")
	followUpExec(t, w, `UPDATE funding_requests SET created_at = now() - interval '15 days' WHERE id = $1`, closed)
	for _, tt := range []struct {
		name, email string
		app         int64
		want        int
	}{
		{"owner of the initiative", w.ownerMail, w.app, http.StatusForbidden},
		{"officer who decides", w.officerMail, w.app, http.StatusForbidden},
		{"resident outside the fund's areas", w.neighMail, w.app, http.StatusForbidden},
		{"resident of another municipality", "elders@example.org", w.app, http.StatusForbidden},
		{"window closed", w.residentMail, closed, http.StatusForbidden},
		{"unconfirmed address", "onbevestigd@example.org", w.app, http.StatusForbidden},
		{"resident of the area", w.residentMail, w.app, http.StatusSeeOther},
	} {
		c := unconfirmedClient
		if tt.email != "onbevestigd@example.org" {
			c = w.srv.Login(t, tt.email)
		}
		res := c.PostForm(adviceURL(tt.app), url.Values{"advies": {"tegen"}})
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d (%s), want %d", tt.name, res.StatusCode, res.Location(), tt.want)
		}
	}
	if res := w.srv.Client(t).PostForm(adviceURL(w.app), url.Values{"advies": {"voor"}}); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Location(), "/inloggen") {
		t.Errorf("anonymous: %d %s, want the login", res.StatusCode, res.Location())
	}
	var n int
	if err := w.srv.DB.QueryRow(context.Background(), `SELECT count(*) FROM funding_advice`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("advice rows = %d, want 1 (the resident's)", n)
	}
}

func TestAdviceInputKept(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "advice")
	res := w.srv.Login(t, w.residentMail).PostForm(adviceURL(w.app), url.Values{"advies": {"misschien"}, "toelichting": {"mijn eigen tekst"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "mijn eigen tekst") || !strings.Contains(res.Body, "Kies of je de aanvraag steunt") {
		t.Fatalf("bad choice: %d, input or message missing", res.StatusCode)
	}
}

func TestAdviceOnlyForFundsThatAskIt(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	if res := w.srv.Client(t).Get(adviceURL(w.app)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("advice page of a funder-decided fund: %d, want 404", res.StatusCode)
	}
	h := fund.NewAdviceHandler(fund.NewFollowUpStore(w.srv.DB), nil)
	c, err := h.AdviceFor(context.Background(), w.app)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil || b.Len() != 0 {
		t.Fatalf("AdviceFor of a funder-decided fund rendered %q (%v)", b.String(), err)
	}
}

func TestAdviceForTheDecider(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "advice")
	// Members-only: the decider still sees the advice.
	followUpExec(t, w, `UPDATE initiatives SET visibility = 'members' WHERE id = $1`, w.initiative)
	followUpExec(t, w, `INSERT INTO funding_advice (request_id, account_id, support, comment) VALUES ($1, $2, true, 'Mooi'), ($1, $3, false, '')`,
		w.app, w.resident, w.neighbour)
	h := fund.NewAdviceHandler(fund.NewFollowUpStore(w.srv.DB), nil)
	c, err := h.AdviceFor(context.Background(), w.app)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 voor, 1 tegen", "Mooi", adviceURL(w.app)} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("AdviceFor lacks %q", want)
		}
	}
	if res := w.srv.Client(t).Get(adviceURL(w.app)); res.StatusCode != http.StatusNotFound {
		t.Errorf("members-only advice page for anonymous: %d, want 404", res.StatusCode)
	}
}

// Two advices of one resident at the same moment (a double click): one is
// kept, the other is told it came before.
func TestAdviceTwiceAtOnce(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "advice")
	store := fund.NewFollowUpStore(w.srv.DB)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = store.GiveAdvice(context.Background(), w.app, w.resident, i == 0, "") })
	}
	wg.Wait()
	ok, twice := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, fault.ErrConflict):
			twice++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if ok != 1 || twice != 1 {
		t.Fatalf("%d kept, %d refused; want 1 and 1", ok, twice)
	}
}
