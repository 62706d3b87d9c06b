package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// confirmedOnly lists the routes that post what others see: an account
// whose e-mail address is not confirmed gets account.RequireConfirmed's page
// there, and nowhere else. (The messages feature checks the address in its
// handlers, under /berichten.)
var confirmedOnly = map[string]bool{
	"GET /initiatieven/nieuw":                      true,
	"POST /initiatieven/nieuw":                     true,
	"POST /initiatieven/{id}/berichten":            true,
	"POST /initiatieven/{id}/aanbod":               true,
	"POST /initiatieven/{id}/eigenaren":            true,
	"POST /initiatieven/{id}/uitnodiging/aannemen": true,
	"GET /signalen/nieuw":                          true,
	"POST /signalen/nieuw":                         true,
	"GET /hulpbronnen/nieuw":                       true,
	"POST /hulpbronnen/nieuw":                      true,
	"POST /signalen/{id}/antwoord":                 true,
	"GET /burenhulp/nieuw":                         true,
	"POST /burenhulp/nieuw":                        true,
	"POST /burenhulp/{id}/reageren":                true,
	"POST /initiatieven/{id}/fotos":                true,
	"POST /hulpbronnen/{id}/fotos":                 true,
	"POST /bijeenkomsten/{id}/fotos":               true,
	"GET /bijeenkomsten/nieuw":                     true,
	"POST /bijeenkomsten/nieuw":                    true,
	"GET /bijeenkomsten/{id}/bewerken":             true,
	"POST /bijeenkomsten/{id}/bewerken":            true,
	"POST /bijeenkomsten/{id}/annuleren":           true,

	// Applying to a fund (internal/fund).
	"GET /initiatieven/{id}/potjes/{fund}/aanvraag":  true,
	"POST /initiatieven/{id}/potjes/{fund}/aanvraag": true,
	// Advice and the account are read by others (internal/fund).
	"POST /aanvragen/{id}/advies":         true,
	"POST /aanvragen/{id}/verantwoording": true,
}

// TestUnconfirmedMayReadAndJoinButNotPost walks the router as a resident
// whose address is not confirmed. Such an account cannot log in (it logs in
// by confirming), so the session is made first and the address unconfirmed
// after, as for a session that outlived its confirmation.
func TestUnconfirmedMayReadAndJoinButNotPost(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	hash, err := account.HashPassword(testkit.Password)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := account.NewStore(s.DB).Create(t.Context(), account.NewAccount{Email: "nieuw@example.nl", DisplayName: "Nieuw", PasswordHash: hash, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Login(t, "nieuw@example.nl")
	if _, err := s.DB.Exec(t.Context(), `UPDATE accounts SET email_confirmed_at = NULL WHERE id = $1`, acc.ID); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{fund}", "987656", "{id}", "987654", "{code}", "BU99999999", "{gm_code}", "GM9999", "*", "css/app.css")
	seen := map[string]bool{}
	for _, route := range routes(t, s.App.Handler()) {
		seen[route] = true
		method, pattern, _ := strings.Cut(route, " ")
		if route == "POST /uitloggen" || routeRules[route].kind == token {
			continue
		}
		req, err := http.NewRequest(method, s.URL+fill.Replace(pattern), strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res := c.Do(req)
		asked := strings.Contains(res.Body, `data-testid="confirm-first"`)
		switch {
		case confirmedOnly[route]:
			if res.StatusCode != http.StatusForbidden || !asked || !strings.Contains(res.Body, `action="/account/bevestiging-opnieuw"`) {
				t.Errorf("%s: %d, want 403 with the page asking to confirm first", route, res.StatusCode)
			}
		case asked && !strings.HasPrefix(pattern, "/berichten"):
			t.Errorf("%s asks to confirm the address, but is not in confirmedOnly: decide whether it posts what others see", route)
		}
		if res.StatusCode >= 500 {
			t.Errorf("%s: server error %d", route, res.StatusCode)
		}
	}
	for r := range confirmedOnly {
		if !seen[r] {
			t.Errorf("confirmedOnly lists %q, which the router no longer has", r)
		}
	}
	// Joining is allowed: the handler answers (404 for the made-up initiative).
	if res := c.PostForm("/initiatieven/987654/meedoen", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("join as unconfirmed: %d, want 404 from the handler", res.StatusCode)
	}
}
