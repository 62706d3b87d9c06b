package initiative_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// officerOf gives an existing account the municipality it serves.
func officerOf(t *testing.T, s *testkit.Server, email string, municipality int64) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), `UPDATE accounts SET municipality_id = $1 WHERE email = $2`, municipality, email); err != nil {
		t.Fatal(err)
	}
}

// requestFunding files a funding request for id and returns its id.
func requestFunding(t *testing.T, s *testkit.Server, c *testkit.Client, id int64) int64 {
	t.Helper()
	post(t, c, path(id, "/aanvraag"), url.Values{"sleutel": {uuid.New()}, "bedrag": {"750"}, "doel": {"Zaden"}, "begroting": {"Zaden € 750"}})
	return int64(count(t, s, `SELECT max(id)::int FROM funding_requests WHERE initiative_id = $1`, id))
}

// An officer may also be a resident, but never decides on a funding request
// they submitted or of an initiative they own: the decision page says so
// and names who may, the queue does not offer it as work, and the UPDATE
// that records a decision refuses it. A colleague without a conflict decides.
func TestOfficerNeverDecidesOwnFunding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	amb := s.CreateUser(t, "ambtenaar@example.org", role.Resident, role.Officer)
	s.CreateUser(t, "mede@example.org", role.Resident, role.Officer)
	colleague := s.CreateUser(t, "collega@example.org", role.Officer)
	s.CreateUser(t, "anna@example.org")
	for _, e := range []string{"ambtenaar@example.org", "mede@example.org", "collega@example.org"} {
		officerOf(t, s, e, g.utrecht)
	}
	ca, cm, cc := s.Login(t, "ambtenaar@example.org"), s.Login(t, "mede@example.org"), s.Login(t, "collega@example.org")

	// Her own initiative, with a co-owning colleague; she asks for money.
	own := create(t, ca, nil)
	coOwner(t, s, ca, own, "mede@example.org")
	ownRequest := requestFunding(t, s, ca, own)
	// An initiative she started with Anna, asked money for, then left.
	left := create(t, ca, func(f url.Values) { f.Set("titel", "Buurtkamer") })
	coOwner(t, s, ca, left, "anna@example.org")
	leftRequest := requestFunding(t, s, ca, left)
	post(t, ca, path(left, "/eigenaren/verwijderen"), url.Values{"eigenaar": {strconv.FormatInt(amb.ID, 10)}})

	decide := url.Values{"besluit": {"toegekend"}, "motivering": {"Mooi plan"}}
	reqPath := func(id int64) string { return "/gemeente/aanvragen/" + strconv.FormatInt(id, 10) }
	undecided := func(id int64) bool {
		return count(t, s, `SELECT count(*) FROM funding_requests WHERE id = $1 AND status = 'ingediend' AND decided_by IS NULL AND reason = ''`, id) == 1
	}
	for _, tt := range []struct {
		name    string
		c       *testkit.Client
		request int64
		title   string
		others  []string // who the page names as deciders
		not     []string // who it must not name
	}{
		{"requester and owner", ca, ownRequest, "Moestuin Oudwijk", []string{"collega"}, []string{"mede", "ambtenaar"}},
		{"co-owner, not the requester", cm, ownRequest, "Moestuin Oudwijk", []string{"collega"}, []string{"mede", "ambtenaar"}},
		{"requester, no longer an owner", ca, leftRequest, "Buurtkamer", []string{"collega", "mede"}, []string{"ambtenaar"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := tt.c.Get(reqPath(tt.request))
			if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="conflict-of-interest"`) || strings.Contains(page.Body, `name="besluit"`) {
				t.Errorf("decision page: %d, without the notice or with the form", page.StatusCode)
			}
			deciders := between(page.Body, "kunnen wel beslissen: ", ".</p>")
			for _, n := range tt.others {
				if !strings.Contains(deciders, n) {
					t.Errorf("the page does not name %s as decider: %q", n, deciders)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(deciders, n) {
					t.Errorf("the page names %s, who may not decide: %q", n, deciders)
				}
			}
			// The queue lists it, but not as work to do.
			queue := tt.c.Get("/gemeente/aanvragen").Body
			if strings.Contains(queue, "Beoordelen<span class=\"bk-visually-hidden\">: "+tt.title) || !strings.Contains(queue, `data-testid="conflicted"`) {
				t.Error("the queue offers the request as decidable")
			}
			// Posting a decision anyway is refused, and nothing is stored.
			for _, f := range []url.Values{decide, {}} {
				res := tt.c.PostForm(reqPath(tt.request), f)
				if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Jij mag hier niet over beslissen") {
					t.Errorf("decision posted: %d, want 403 with the explanation", res.StatusCode)
				}
			}
			if !undecided(tt.request) {
				t.Fatal("a conflicted officer's decision was stored")
			}
		})
	}
	// The rule lives in the SQL of the decision itself, not only in the handler.
	err := initiative.NewStore(s.DB).Decide(ctx, ownRequest, g.utrecht, "toegekend", "Mooi plan", amb.ID)
	if !errors.Is(err, initiative.ErrConflictOfInterest) || !undecided(ownRequest) {
		t.Errorf("store decision by the owner: %v", err)
	}
	if n := count(t, s, `SELECT count(*) FROM audit_log WHERE action = 'funding.decide'`); n != 0 {
		t.Errorf("%d refused decisions audited as made", n)
	}

	// Colleagues without a conflict see the form and decide.
	if body := cc.Get("/gemeente/aanvragen").Body; strings.Contains(body, `data-testid="conflicted"`) || !strings.Contains(body, `Beoordelen<span class="bk-visually-hidden">: Moestuin Oudwijk`) {
		t.Error("the colleague's queue does not offer the request")
	}
	if page := cc.Get(reqPath(ownRequest)).Body; strings.Contains(page, "conflict-of-interest") || !strings.Contains(page, `name="besluit"`) {
		t.Error("the colleague's decision page lacks the form")
	}
	post(t, cc, reqPath(ownRequest), decide)
	if n := count(t, s, `SELECT count(*) FROM funding_requests WHERE id = $1 AND status = 'toegekend' AND decided_by = $2`, ownRequest, colleague.ID); n != 1 {
		t.Error("the colleague's decision was not stored")
	}
	// Mede owns her first initiative, not the one she left: there she decides.
	post(t, cm, reqPath(leftRequest), decide)
	if undecided(leftRequest) {
		t.Error("an officer without a conflict could not decide")
	}
}

// With nobody else to decide, the page says so, so an administrator can help.
func TestConflictWithoutOtherDeciders(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	s.CreateUser(t, "solo@example.org", role.Resident, role.Officer)
	officerOf(t, s, "solo@example.org", g.amsterdam)
	c := s.Login(t, "solo@example.org")
	id := create(t, c, func(f url.Values) { f.Set("gemeente", "GM0363"); f["buurt"] = []string{"BU03630000"} })
	request := requestFunding(t, s, c, id)
	page := c.Get("/gemeente/aanvragen/" + strconv.FormatInt(request, 10)).Body
	if !strings.Contains(page, `data-testid="no-other-deciders"`) || !strings.Contains(page, "beheerder") {
		t.Error("the page does not say that nobody else can decide")
	}
}

// between returns the text of s after start up to end, or "".
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}
