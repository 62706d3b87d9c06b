package account_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The administration links every admin page it has: the moderation list on
// the home page and, for a community worker, their (audited) contact list.
func TestAdminPagesLinkTheirSubpages(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "beheer@example.nl", "resident", "admin")
	w := s.CreateUser(t, "werker@example.nl", "resident", "worker")
	r := s.CreateUser(t, "bewoner@example.nl")
	c := s.Login(t, "beheer@example.nl")

	if res := c.Get("/beheer"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="/beheer/initiatieven"`) {
		t.Errorf("/beheer: %d, no link to the moderation list", res.StatusCode)
	}
	link := `href="/beheer/accounts/` + strconv.FormatInt(w.ID, 10) + `/contacten"`
	if res := c.Get("/beheer/accounts/" + strconv.FormatInt(w.ID, 10)); !strings.Contains(res.Body, link) {
		t.Errorf("worker's admin page lacks %s", link)
	}
	if res := c.Get("/beheer/accounts/" + strconv.FormatInt(r.ID, 10)); strings.Contains(res.Body, "/contacten\"") {
		t.Error("resident's admin page links a contact list")
	}
}

func TestLogoutClearsCachedPages(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "anna@example.nl")
	res := s.Login(t, "anna@example.nl").PostForm("/uitloggen", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Clear-Site-Data") != `"cache"` {
		t.Fatalf("logout: %d, Clear-Site-Data %q", res.StatusCode, res.Header.Get("Clear-Site-Data"))
	}
}
