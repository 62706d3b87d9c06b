package e2e

import (
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestPublicPagesAccessible opens every public page of the foundation at
// both sizes and has axe-core check it.
func TestPublicPagesAccessible(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	pages := []struct{ path, h1 string }{
		{"/", ""},
		{"/over", ""},
		{"/inloggen", "Inloggen"},
		{"/bestaat-niet", "Pagina niet gevonden"},
	}
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testkit.NewTab(t, v)
			for _, p := range pages {
				h1 := open(t, ctx, s.URL+p.path)
				if h1 == "" || (p.h1 != "" && h1 != p.h1) {
					t.Errorf("%s: h1 %q, want %q", p.path, h1, p.h1)
				}
				testkit.AssertAccessible(t, ctx)
			}
		})
	}
}

// TestLoginInBrowser logs in through the form at both sizes.
func TestLoginInBrowser(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	for _, v := range testkit.Viewports {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			email := v.String() + "@example.nl"
			s.CreateUser(t, email, account.Resident)
			ctx := testkit.NewTab(t, v)
			testkit.BrowserLogin(t, ctx, s.URL, email)
			if got := bodyText(t, ctx); strings.Contains(got, "Inloggen") && location(t, ctx) == "/inloggen" {
				t.Fatalf("still on the login page: %s", got)
			}
			testkit.AssertAccessible(t, ctx)
		})
	}
}
