package app_test

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// rule says who may pass a route's role gate.
type rule struct {
	kind  ruleKind
	roles []role.Role // for gated routes: any of these
	// scoped routes answer 403 for an object outside the user's scope, and a
	// made-up id counts as outside: for them the gate is seen only in the
	// answers to other roles.
	scoped bool
}

type ruleKind int

const (
	public   ruleKind = iota // anyone, anonymous included
	loggedIn                 // any logged-in user
	gated                    // users holding one of roles
	token                    // personal API token only (no session)
)

func only(roles ...role.Role) rule { return rule{kind: gated, roles: roles} }

func onlyScoped(roles ...role.Role) rule { return rule{kind: gated, roles: roles, scoped: true} }

var (
	anyone = rule{kind: public}
	member = rule{kind: loggedIn}
	bearer = rule{kind: token}
	admin  = only(role.Admin)
	worker = only(role.Worker)
)

// routeRules is the expected access of every route of the router. A route
// missing here, or a rule for a route that no longer exists, fails
// TestEveryRouteHasARule, so a new route cannot slip in without a decision.
var routeRules = map[string]rule{
	"GET /":                                              anyone,
	"GET /over":                                          anyone,
	"GET /toegankelijkheid":                              anyone,
	"GET /privacy":                                       anyone,
	"GET /beveiliging":                                   anyone,
	"GET /.well-known/security.txt":                      anyone,
	"GET /healthz":                                       anyone,
	"GET /readyz":                                        anyone,
	"GET /static/*":                                      anyone,
	"GET /inloggen":                                      anyone,
	"POST /inloggen":                                     anyone,
	"GET /inloggen/tweede-stap":                          anyone,
	"POST /inloggen/tweede-stap":                         anyone,
	"POST /inloggen/passkey/opties":                      anyone,
	"POST /inloggen/passkey":                             anyone,
	"GET /account/tweestapsverificatie":                  member,
	"GET /account/tweestapsverificatie/instellen":        member,
	"POST /account/tweestapsverificatie/instellen":       member,
	"GET /account/tweestapsverificatie/qr.png":           member,
	"POST /account/tweestapsverificatie/herstelcodes":    member,
	"POST /account/tweestapsverificatie/uitzetten":       member,
	"POST /account/tweestapsverificatie/passkeys/opties": member,
	"POST /account/tweestapsverificatie/passkeys":        member,
	"POST /account/tweestapsverificatie/passkeys/{id}/verwijderen": member,
	"GET /account/sessies":                    member,
	"POST /account/sessies/{id}/beeindigen":   member,
	"POST /account/sessies/andere-beeindigen": member,
	"GET /inloggen/organisatie":               anyone,
	"POST /inloggen/organisatie":              anyone,
	"GET /inloggen/organisatie/terug":         anyone,
	"GET /registreren":                        anyone,
	"POST /registreren":                       anyone,
	"GET /registreren/verstuurd":              anyone,
	"GET /wachtwoord-vergeten":                anyone,
	"POST /wachtwoord-vergeten":               anyone,
	"GET /wachtwoord-herstellen":              anyone,
	"POST /wachtwoord-herstellen":             anyone,
	"POST /uitloggen":                         member,
	"GET /afmelden":                           anyone,
	"POST /afmelden":                          anyone,
	"GET /email-bevestigen":                   anyone,
	"POST /email-bevestigen":                  anyone,
	"GET /email-wijzigen":                     anyone,
	"POST /email-wijzigen":                    anyone,
	"GET /meldingen":                          member,
	"POST /meldingen/alles-gelezen":           member,
	"POST /meldingen/{id}/openen":             member,
	"GET /account/meldingen":                  member,
	"POST /account/meldingen":                 member,
	"GET /beheer/wachtrij":                    admin,
	// Messages: own conversations only; a made-up id answers 404.
	"GET /berichten":                                    member,
	"GET /berichten/nieuw":                              member,
	"POST /berichten/nieuw":                             member,
	"GET /berichten/{id}":                               member,
	"POST /berichten/{id}":                              member,
	"POST /berichten/{id}/blokkeren":                    member,
	"POST /berichten/{id}/deblokkeren":                  member,
	"GET /berichten/{id}/berichten/{messageID}/melden":  member,
	"POST /berichten/{id}/berichten/{messageID}/melden": member,
	"GET /beheer/berichten":                             admin,

	"GET /account":                                        member,
	"GET /account/profiel":                                member,
	"POST /account/profiel":                               member,
	"GET /account/email":                                  member,
	"POST /account/email":                                 member,
	"POST /account/email/intrekken":                       member,
	"GET /account/wachtwoord":                             member,
	"POST /account/wachtwoord":                            member,
	"POST /account/bevestiging-opnieuw":                   member,
	"GET /account/gegevens.json":                          member,
	"GET /account/verwijderen":                            member,
	"POST /account/verwijderen":                           member,
	"POST /account/tokens":                                worker,
	"POST /account/tokens/{id}/intrekken":                 worker,
	"GET /beheer":                                         admin,
	"GET /beheer/accounts":                                admin,
	"GET /beheer/accounts/{id}":                           admin,
	"POST /beheer/accounts/{id}/rollen":                   admin,
	"GET /beheer/accounts/{id}/contacten":                 admin,
	"GET /beheer/audit":                                   admin,
	"GET /beheer/inloggen-organisaties":                   admin,
	"GET /beheer/inloggen-organisaties/nieuw":             admin,
	"POST /beheer/inloggen-organisaties/nieuw":            admin,
	"GET /beheer/inloggen-organisaties/{id}":              admin,
	"POST /beheer/inloggen-organisaties/{id}":             admin,
	"POST /beheer/inloggen-organisaties/{id}/verwijderen": admin,
	"GET /beheer/initiatieven":                            admin,
	"GET /beheer/organisaties":                            admin,
	"POST /beheer/organisaties":                           admin,
	"GET /buurten":                                        anyone,
	"GET /buurten/{code}":                                 anyone,
	"GET /buurten/{code}/wie-kan-helpen":                  anyone,
	"GET /contacten/sw.js":                                anyone,
	"GET /contacten":                                      worker,
	"POST /contacten":                                     worker,
	"GET /contacten/nieuw":                                worker,
	"POST /contacten/sync":                                worker,
	"GET /contacten/team":                                 worker,
	"GET /contacten/{id}/bewerken":                        worker,
	"POST /contacten/{id}/bewerken":                       worker,
	"POST /contacten/{id}/ongedaan-maken":                 worker,
	"GET /contacten/{id}/verhaal":                         worker,
	"POST /contacten/{id}/verhaal":                        worker,
	"POST /contacten/{id}/verhaal/intrekken":              worker,
	"POST /contacten/{id}/verwijderen":                    worker,
	"GET /api/v1/contacts/":                               bearer,
	"POST /api/v1/contacts/":                              bearer,
	"GET /api/v1/initiatives/":                            anyone,
	// Overviews: {code} and {gm_code} are made up, so scoped.
	"GET /overzicht":                                only(role.Officer, role.Worker, role.Admin),
	"GET /overzicht/export.csv":                     only(role.Officer, role.Worker, role.Admin),
	"GET /overzicht/vergelijk":                      only(role.Officer, role.Worker, role.Admin),
	"GET /overzicht/buurten/{code}":                 onlyScoped(role.Officer, role.Worker, role.Admin),
	"GET /overzicht/buurten/{code}/export.csv":      onlyScoped(role.Officer, role.Worker, role.Admin),
	"GET /api/v1/municipalities/{gm_code}/overview": onlyScoped(role.Officer, role.Worker, role.Admin),
	"GET /api/v1/initiatives/{id}":                  anyone,
	// The agenda (internal/event).
	"GET /agenda":                                   anyone,
	"GET /buurten/{code}/agenda":                    anyone,
	"GET /buurten/{code}/agenda.ics":                anyone,
	"GET /initiatieven/{id}/agenda.ics":             anyone,
	"GET /bijeenkomsten/{id}":                       anyone,
	"GET /bijeenkomsten/{id}/agenda.ics":            anyone,
	"GET /bijeenkomsten/{id}/melden":                member,
	"POST /bijeenkomsten/{id}/melden":               member,
	"POST /bijeenkomsten/{id}/aanmelden":            member,
	"POST /bijeenkomsten/{id}/afmelden":             member,
	"GET /bijeenkomsten/nieuw":                      only(role.Resident, role.Worker),
	"POST /bijeenkomsten/nieuw":                     only(role.Resident, role.Worker),
	"GET /bijeenkomsten/{id}/bewerken":              only(role.Resident, role.Worker),
	"POST /bijeenkomsten/{id}/bewerken":             only(role.Resident, role.Worker),
	"POST /bijeenkomsten/{id}/annuleren":            only(role.Resident, role.Worker),
	"GET /activiteiten":                             worker,
	"GET /activiteiten/nieuw":                       worker,
	"POST /activiteiten/nieuw":                      worker,
	"GET /activiteiten/{id}":                        worker,
	"GET /activiteiten/{id}/bewerken":               worker,
	"POST /activiteiten/{id}/bewerken":              worker,
	"GET /activiteiten/{id}/verhaal":                worker,
	"POST /activiteiten/{id}/verhaal":               worker,
	"GET /hulpbronnen/nieuw":                        only(role.Resident, role.Worker, role.Admin),
	"POST /hulpbronnen/nieuw":                       only(role.Resident, role.Worker, role.Admin),
	"GET /hulpbronnen/{id}/bewerken":                member,
	"POST /hulpbronnen/{id}/bewerken":               member,
	"POST /hulpbronnen/{id}/verwijderen":            member,
	"GET /hulpbronnen/{id}/verbergen":               admin,
	"POST /hulpbronnen/{id}/verbergen":              admin,
	"POST /hulpbronnen/{id}/tonen":                  admin,
	"GET /mijn/talenten":                            member,
	"GET /initiatieven":                             anyone,
	"GET /initiatieven/nieuw":                       only(role.Resident, role.Worker),
	"POST /initiatieven/nieuw":                      only(role.Resident, role.Worker),
	"GET /initiatieven/{id}":                        anyone,
	"POST /initiatieven/{id}/aanbod":                member,
	"POST /initiatieven/{id}/berichten":             member,
	"GET /initiatieven/{id}/bewerken":               member,
	"POST /initiatieven/{id}/bewerken":              member,
	"POST /initiatieven/{id}/eigenaren":             member,
	"POST /initiatieven/{id}/eigenaren/verwijderen": member,
	"POST /initiatieven/{id}/uitnodiging/intrekken": member,
	"POST /initiatieven/{id}/uitnodiging/aannemen":  member,
	"POST /initiatieven/{id}/uitnodiging/weigeren":  member,
	"POST /initiatieven/{id}/meedoen":               member,
	"POST /initiatieven/{id}/melden":                member,
	"GET /signalen/{id}/melden":                     member,
	"POST /signalen/{id}/melden":                    member,
	"GET /initiatieven/berichten/{id}/melden":       member,
	"POST /initiatieven/berichten/{id}/melden":      member,
	"GET /hulpbronnen/{id}/melden":                  member,
	"POST /hulpbronnen/{id}/melden":                 member,
	"GET /beheer/moderatie":                         admin,
	"GET /beheer/moderatie/verbergen":               admin,
	"POST /beheer/moderatie/verbergen":              admin,
	"POST /beheer/moderatie/tonen":                  admin,
	"POST /beheer/moderatie/afwijzen":               admin,
	"GET /beheer/accounts/{id}/schorsen":            admin,
	"POST /beheer/accounts/{id}/schorsen":           admin,
	"POST /beheer/accounts/{id}/schorsing-opheffen": admin,
	"POST /initiatieven/{id}/status":                member,
	"POST /initiatieven/{id}/stoppen":               member,
	"POST /initiatieven/{id}/verbergen":             admin,
	"POST /initiatieven/{id}/zichtbaar":             admin,
	"GET /signalen":                                 member,
	"GET /signalen/nieuw":                           only(role.Resident, role.Worker),
	"POST /signalen/nieuw":                          only(role.Resident, role.Worker),
	"GET /signalen/{id}":                            anyone,
	"POST /signalen/{id}/reactie":                   only(role.Officer, role.Worker),
	"POST /signalen/{id}/antwoord":                  member,
	"POST /signalen/{id}/herkennen":                 member,
	"POST /signalen/{id}/volgen":                    member,
	// Help between neighbours (internal/help).
	"GET /burenhulp":                 member,
	"GET /burenhulp/nieuw":           only(role.Resident),
	"POST /burenhulp/nieuw":          only(role.Resident),
	"GET /burenhulp/werkgebied":      worker,
	"GET /burenhulp/{id}":            member,
	"POST /burenhulp/{id}/reageren":  member,
	"POST /burenhulp/{id}/geholpen":  member,
	"POST /burenhulp/{id}/intrekken": member,
	"GET /burenhulp/{id}/melden":     member,
	"POST /burenhulp/{id}/melden":    member,
	// Photos: pages and images follow the subject's visibility (in the
	// SQL); owners upload and remove (in the SQL); reports by members.
	"GET /initiatieven/{id}/fotos":  anyone,
	"POST /initiatieven/{id}/fotos": member,
	"GET /hulpbronnen/{id}/fotos":   anyone,
	"POST /hulpbronnen/{id}/fotos":  member,
	"GET /fotos/{id}/{file}":        anyone,
	"POST /fotos/{id}/verwijderen":  member,
	"GET /fotos/{id}/melden":        member,
	"POST /fotos/{id}/melden":       member,

	// Photos of an event: its page follows the event's visibility, its
	// organisers upload (both in the SQL).
	"GET /bijeenkomsten/{id}/fotos":  anyone,
	"POST /bijeenkomsten/{id}/fotos": member,
	// Funds (internal/fund, issue 12): public pages; the finder and applying
	// for owners (in the SQL); managing funds and deciding for officers and
	// funder staff, a membership rather than a role, so residents pass the
	// router and get 403 from the SQL scope (internal/fund's tests cover
	// funder staff); funders registered by administrators.
	"GET /fondsen":                                         anyone,
	"GET /fondsen/{id}":                                    anyone,
	"GET /initiatieven/{id}/potjes":                        member,
	"GET /initiatieven/{id}/potjes/{fund}/aanvraag":        member,
	"POST /initiatieven/{id}/potjes/{fund}/aanvraag":       member,
	"GET /aanvragen":                                       onlyScoped(role.Officer),
	"GET /aanvragen/{id}":                                  onlyScoped(role.Officer),
	"POST /aanvragen/{id}":                                 onlyScoped(role.Officer),
	"GET /fondsen/beheer":                                  onlyScoped(role.Officer),
	"GET /fondsen/nieuw":                                   onlyScoped(role.Officer),
	"POST /fondsen/nieuw":                                  onlyScoped(role.Officer),
	"GET /fondsen/{id}/bewerken":                           onlyScoped(role.Officer),
	"POST /fondsen/{id}/bewerken":                          onlyScoped(role.Officer),
	"GET /beheer/financiers":                               admin,
	"POST /beheer/financiers":                              admin,
	"POST /beheer/financiers/{id}/medewerkers":             admin,
	"POST /beheer/financiers/{id}/medewerkers/verwijderen": admin,
	// Follow-up of an application (internal/fund): the advice page is
	// public, advising needs a login (area and standing in the SQL);
	// payouts, the account and the fund dashboards need a login, their
	// scope (the funder's staff, the owners, officers of the municipality)
	// is in the SQL and answers 404 to anyone else.
	"GET /aanvragen/{id}/advies":             anyone,
	"POST /aanvragen/{id}/advies":            member,
	"GET /aanvragen/{id}/uitbetalingen":      member,
	"POST /aanvragen/{id}/uitbetalingen":     member,
	"GET /aanvragen/{id}/verantwoording":     member,
	"POST /aanvragen/{id}/verantwoording":    member,
	"GET /fondsoverzicht":                    member,
	"GET /fondsoverzicht/{id}":               member,
	"GET /fondsoverzicht/{id}/aanvragen.csv": member,
}

// paramPattern matches chi parameters with or without a regexp ({id}).
var paramPattern = regexp.MustCompile(`\{([a-zA-Z_]+)(:[^}]*)?\}`)

// routes lists "METHOD /pattern" of every route, with regexps stripped from parameters.
func routes(t *testing.T, h http.Handler) []string {
	t.Helper()
	var out []string
	err := chi.Walk(h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, method+" "+paramPattern.ReplaceAllString(route, "{$1}"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestEveryRouteHasARule(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	seen := map[string]bool{}
	for _, r := range routes(t, s.App.Handler()) {
		seen[r] = true
		if _, ok := routeRules[r]; !ok {
			t.Errorf("route %q has no access rule in routeRules: decide who may use it", r)
		}
	}
	for r := range routeRules {
		if !seen[r] {
			t.Errorf("routeRules lists %q, which the router no longer has", r)
		}
	}
}

// TestAuthorisationMatrix requests every route as every role and checks the
// role gate: anonymous visitors go to the login page (or get 401 from the
// API), logged-in users without the role get 403, users with the role pass
// the gate (then see 200, 303, 404 for the made-up id, 422 for the empty form…).
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	personas := matrixPersonas(t, s)
	fill := strings.NewReplacer("{fund}", "987656", "{id}", "987654", "{messageID}", "987655", "{code}", "BU99999999", "{gm_code}", "GM9999", "*", "css/app.css")

	for _, route := range routes(t, s.App.Handler()) {
		rl, ok := routeRules[route]
		if !ok {
			continue // reported by TestEveryRouteHasARule
		}
		method, pattern, _ := strings.Cut(route, " ")
		path := fill.Replace(pattern)
		for _, p := range personas {
			req, err := http.NewRequest(method, s.URL+path, strings.NewReader(""))
			if err != nil {
				t.Fatal(err)
			}
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			res := p.c.Do(req)
			toLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Location(), "/inloggen")
			denied := res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || toLogin
			where := p.name + " " + route

			switch {
			case rl.kind == token:
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401 without an API token", where, res.StatusCode)
				}
			case rl.kind == public:
				if denied {
					t.Errorf("%s: denied (%d %s) on a public route", where, res.StatusCode, res.Location())
				}
			case p.roles == nil: // anonymous on a protected route
				if !toLogin && res.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s: status %d %q, want a redirect to /inloggen", where, res.StatusCode, res.Location())
				}
			case rl.kind == loggedIn || holdsAny(p.roles, rl.roles):
				if denied && !(rl.scoped && res.StatusCode == http.StatusForbidden) {
					t.Errorf("%s: denied (%d) though the role may use it", where, res.StatusCode)
				}
			default:
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403 for this role", where, res.StatusCode)
				}
			}
			if res.StatusCode >= 500 {
				t.Errorf("%s: server error %d", where, res.StatusCode)
			}
		}
	}
}

// persona is one role of the matrix tests, with its logged-in client.
type persona struct {
	name  string
	roles []role.Role
	c     *testkit.Client
}

// matrixPersonas logs in one user per role (and an anonymous client).
func matrixPersonas(t *testing.T, s *testkit.Server) []persona {
	t.Helper()
	// Officers serve a municipality and workers have a work area, as in real use.
	geo := testkit.NewGeo(t, s.DB)
	muniID := geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", "West")
	nbID := geo.Neighbourhood("BU03440111", "Oog in Al")
	personas := []persona{{name: "anoniem", c: s.Client(t)}}
	for _, p := range []struct {
		name  string
		roles []role.Role
	}{
		{"bewoner", []role.Role{role.Resident}},
		{"opbouwwerker", []role.Role{role.Resident, role.Worker}},
		{"gemeente", []role.Role{role.Resident, role.Officer}},
		{"beheerder", []role.Role{role.Resident, role.Admin}},
	} {
		email := p.name + "@example.nl"
		acc := s.CreateUser(t, email, p.roles...)
		if _, err := s.DB.Exec(t.Context(), `UPDATE accounts SET municipality_id = $2 WHERE id = $1 AND 'officer' = ANY(roles)`, acc.ID, muniID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.Exec(t.Context(), `INSERT INTO account_work_areas (account_id, neighbourhood_id) SELECT $1, $2 WHERE $3`, acc.ID, nbID, holdsAny(p.roles, []role.Role{role.Worker})); err != nil {
			t.Fatal(err)
		}
		personas = append(personas, persona{name: p.name, roles: p.roles, c: s.Login(t, email)})
	}
	return personas
}

func holdsAny(have, want []role.Role) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// TestCrossOriginRefusedOnEveryStateChange posts to every state-changing
// route from a foreign site with a logged-in session cookie: each is refused
// before the handler runs. The token-only API has no cookies to abuse.
func TestCrossOriginRefusedOnEveryStateChange(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "beheer@example.nl", role.Resident, role.Worker, role.Officer, role.Admin)
	c := s.Login(t, "beheer@example.nl")
	c.Header.Set("Origin", "https://evil.example")
	c.Header.Set("Sec-Fetch-Site", "cross-site")
	fill := strings.NewReplacer("{fund}", "987656", "{id}", "1", "{messageID}", "1", "{code}", "BU03440111")
	posts := 0
	for _, route := range routes(t, s.App.Handler()) {
		method, pattern, _ := strings.Cut(route, " ")
		if method == http.MethodGet || method == http.MethodHead || routeRules[route].kind == token {
			continue
		}
		posts++
		res := c.PostForm(fill.Replace(pattern), nil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin %s: status %d, want 403", route, res.StatusCode)
		}
	}
	if posts < 10 {
		t.Fatalf("only %d state-changing routes found; the walk is broken", posts)
	}
	// The same session from our own origin still works: the refusal was about the origin.
	c.Header.Set("Origin", s.URL)
	c.Header.Set("Sec-Fetch-Site", "same-origin")
	if res := c.PostForm("/uitloggen", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin logout: %d", res.StatusCode)
	}
}

// TestHeadAnswersAsGet asks every GET route of the router with HEAD, as
// every role of the authorisation matrix: HEAD passes the same role gates
// and gets the same status, Location and Content-Type as GET, without a
// body. All GET routes and all five roles, not a sample: some 380 GET/HEAD
// pairs, about a second.
//
// It runs twice: without the page cache, and with it (anonymous GETs and
// HEADs of the public pages then come from internal/pagecache).
func TestHeadAnswersAsGet(t *testing.T) {
	t.Parallel()
	for _, ttl := range []time.Duration{0, time.Minute} {
		t.Run("cache "+ttl.String(), func(t *testing.T) {
			t.Parallel()
			headAnswersAsGet(t, testkit.NewServer(t, func(c *config.Config) { c.PageCacheTTL = ttl }))
		})
	}
}

func headAnswersAsGet(t *testing.T, s *testkit.Server) {
	personas := matrixPersonas(t, s)
	fill := strings.NewReplacer("{fund}", "987656", "{id}", "987654", "{messageID}", "987655", "{code}", "BU99999999", "{gm_code}", "GM9999", "*", "css/app.css")
	n := 0
	for _, route := range routes(t, s.App.Handler()) {
		method, pattern, _ := strings.Cut(route, " ")
		if method != http.MethodGet {
			continue
		}
		path := fill.Replace(pattern)
		for _, p := range personas {
			get := p.c.Get(path)
			req, err := http.NewRequest(http.MethodHead, s.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			head := p.c.Do(req)
			n++
			where := p.name + " HEAD " + pattern
			if head.StatusCode != get.StatusCode {
				t.Errorf("%s: status %d, GET gave %d", where, head.StatusCode, get.StatusCode)
				continue
			}
			for _, k := range []string{"Location", "Content-Type", "Cache-Control", "Allow"} {
				if head.Header.Get(k) != get.Header.Get(k) {
					t.Errorf("%s: %s %q, GET gave %q", where, k, head.Header.Get(k), get.Header.Get(k))
				}
			}
			if head.Body != "" {
				t.Errorf("%s: HEAD answered with a body of %d bytes", where, len(head.Body))
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d HEAD requests; the walk is broken", n)
	}
}
