package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// newInitiative creates an initiative through the form as c and returns its page.
func newInitiative(t *testing.T, c *testkit.Client, title, visibility string) string {
	t.Helper()
	form := c.Get("/initiatieven/nieuw?gemeente=GM0344")
	m := regexp.MustCompile(`name="sleutel" value="([^"]+)"`).FindStringSubmatch(form.Body)
	if form.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("initiative form: %d", form.StatusCode)
	}
	res := c.PostForm("/initiatieven/nieuw", url.Values{
		"gemeente": {"GM0344"}, "sleutel": {m[1]}, "titel": {title}, "samenvatting": {"Samen eten op vrijdag."},
		"beschrijving": {"Elke vrijdag koken buren voor buren."}, "buurt": {"BU03440001"}, "thema": {"ontmoeting"},
		"vorm": {"informal"}, "status": {"idee"}, "contact": {"email"}, "contactgegevens": {"maaltijd@example.org"},
		"zichtbaarheid": {visibility},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create initiative %q: %d %s", title, res.StatusCode, res.Body)
	}
	return res.Location()
}

// TestPageCacheKeepsViewersApart runs the platform with the page cache on
// (for a minute, so that staleness is visible) and checks, with an
// anonymous visitor and a member side by side, what the cache may and may
// not do: serve the anonymous visitor a cached page; never put a page
// rendered for a member (with members-only content) in front of the
// visitor; let the member who writes see the write at once, also after
// logging out; and show everyone else the write once the entry expires.
func TestPageCacheKeepsViewersApart(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, func(c *config.Config) { c.PageCacheTTL = time.Minute })
	g := testkit.NewGeo(t, s.DB)
	g.Municipality("GM0344", "Utrecht")
	g.District("WK034400", "Binnenstad")
	g.Neighbourhood("BU03440001", "Domplein")
	s.CreateUser(t, "lid@example.nl")
	member := s.Login(t, "lid@example.nl")
	visitor := s.Client(t)

	// The member looks first, at a list with a members-only initiative: the
	// visitor, coming second, must not get that render from the cache.
	secret := newInitiative(t, member, "Besloten breiclub", "members")
	start := s.App.PageCacheStats()
	if got := member.Get("/initiatieven"); !strings.Contains(got.Body, "Besloten breiclub") {
		t.Fatalf("member's list lacks the members-only initiative:\n%s", got.Body)
	}
	if got := member.Get(secret); got.StatusCode != http.StatusOK || !strings.Contains(got.Body, "Besloten breiclub") {
		t.Fatalf("member's view of the members-only initiative: %d", got.StatusCode)
	}
	before := s.App.PageCacheStats()
	// The member's own requests neither came from nor went into the cache.
	if before.Bypassed != start.Bypassed+2 || before.Hits != start.Hits || before.Misses != start.Misses {
		t.Errorf("member requests touched the cache: %+v, then %+v", start, before)
	}
	first := visitor.Get("/initiatieven")
	if first.StatusCode != http.StatusOK || strings.Contains(first.Body, "Besloten breiclub") {
		t.Fatalf("visitor's list: status %d, members-only initiative shown: %v", first.StatusCode, strings.Contains(first.Body, "Besloten breiclub"))
	}
	if got := visitor.Get(secret); strings.Contains(got.Body, "Elke vrijdag koken") {
		t.Errorf("visitor sees the description of a members-only initiative (status %d)", got.StatusCode)
	}
	// The visitor's second look is a hit, and still without the secret.
	second := visitor.Get("/initiatieven")
	after := s.App.PageCacheStats()
	if after.Hits <= before.Hits {
		t.Errorf("the visitor's second look was not served from the cache: %+v then %+v", before, after)
	}
	if second.Body != first.Body {
		t.Error("a cached page differs from the render it came from")
	}

	// The member writes: a public initiative. They see it at once (they are
	// logged in), and still after logging out: the write marks the browser
	// for a while, and its reads pass the cache by.
	newInitiative(t, member, "Open moestuin", "public")
	if got := member.Get("/initiatieven"); !strings.Contains(got.Body, "Open moestuin") {
		t.Error("the writer does not see their new initiative in the list")
	}
	if res := member.PostForm("/uitloggen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log out: %d", res.StatusCode)
	}
	if got := member.Get("/initiatieven"); !strings.Contains(got.Body, "Open moestuin") || strings.Contains(got.Body, "Besloten breiclub") {
		t.Errorf("after logging out, the writer's list: has the new initiative %v, has the members-only one %v",
			strings.Contains(got.Body, "Open moestuin"), strings.Contains(got.Body, "Besloten breiclub"))
	}
	// Others get the cached page until it expires: that is the documented staleness.
	if got := visitor.Get("/initiatieven"); strings.Contains(got.Body, "Open moestuin") {
		t.Error("the visitor's cached page already changed: the cache did not cache")
	}
	// A HEAD from the visitor answers like the GET, without a body.
	req, _ := http.NewRequest(http.MethodHead, s.URL+"/initiatieven", nil)
	head := visitor.Do(req)
	if head.StatusCode != http.StatusOK || head.Body != "" || head.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
		t.Errorf("HEAD from the cache: %d, %d bytes, %q", head.StatusCode, len(head.Body), head.Header.Get("Content-Type"))
	}
	// A page whose entry has expired is rendered afresh.
	s.App.ExpirePageCache()
	if got := visitor.Get("/initiatieven"); !strings.Contains(got.Body, "Open moestuin") || strings.Contains(got.Body, "Besloten breiclub") {
		t.Errorf("after expiry, the visitor's list: has the new initiative %v, has the members-only one %v",
			strings.Contains(got.Body, "Open moestuin"), strings.Contains(got.Body, "Besloten breiclub"))
	}
}
