package htmlcheck

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/net/html"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// roles are the demo accounts the crawl logs in as ("" is anonymous).
var roles = []string{"", demo.ResidentEmail, demo.WorkerEmail, demo.OfficerEmail, demo.AdminEmail}

// collect crawls the platform on s as every demo role: every linked page
// type, every GET form, every fillable POST form submitted empty (its 422
// state), and the pages a crawl does not reach by links: 404, 403 by role,
// 403 for a cross-site POST, plus assets, JSON answers, CSV and JSON
// downloads, the health checks and redirects to the login page.
// The database must hold the demo data.
func collect(t *testing.T, s *testkit.Server, client func(testing.TB) *testkit.Client) map[string][]testkit.Fetched {
	t.Helper()
	cfg := s.Cfg
	cfg.Env = "development"
	var mu sync.Mutex
	out := map[string][]testkit.Fetched{}
	// Subtests, not goroutines: a client fails its own (sub)test.
	t.Run("crawl", func(t *testing.T) {
		for _, email := range roles {
			who := "anoniem"
			if email != "" {
				who = email
			}
			t.Run(who, func(t *testing.T) {
				t.Parallel()
				c := client(t)
				if email != "" {
					res := c.PostForm("/inloggen", url.Values{"email": {email}, "password": {cfg.DemoPassword}})
					if res.StatusCode != http.StatusSeeOther {
						t.Fatalf("login %s: status %d", email, res.StatusCode)
					}
				}
				got := c.Crawl(testkit.CrawlOptions{SubmitForms: true}, "/")
				if email == "" {
					// The reset form is reached only through the e-mailed link.
					got = append(got, c.Crawl(testkit.CrawlOptions{SubmitForms: true}, resetLink(t, s, c))...)
				}
				for _, extra := range []string{"/bestaat-niet", "/initiatieven/999999999", "/account", "/beheer", "/contacten", "/overzicht",
					"/overzicht/export.csv", "/account/gegevens.json", "/api/v1/municipalities/GM0344/overview", "/wachtwoord-herstellen?token=ongeldig",
					"/email-bevestigen?t=ongeldig", "/email-wijzigen?t=ongeldig"} {
					got = append(got, testkit.Fetched{Method: http.MethodGet, Path: extra, From: "(direct)", Response: c.Get(extra)})
				}
				// A cross-site form post is refused before any handler runs.
				c.Header.Set("Origin", "https://elders.example")
				c.Header.Set("Sec-Fetch-Site", "cross-site")
				cross := c.PostForm("/inloggen", url.Values{"email": {"x@example.nl"}})
				if cross.StatusCode != http.StatusForbidden {
					t.Errorf("cross-site POST /inloggen: status %d, want 403", cross.StatusCode)
				}
				got = append(got, testkit.Fetched{Method: http.MethodPost, Path: "/inloggen", From: "(cross-site)", Response: cross})
				n := map[int]int{}
				for _, f := range got {
					n[f.StatusCode]++
				}
				t.Logf("%d responses, by status %v", len(got), n)
				mu.Lock()
				out[who] = got
				mu.Unlock()
			})
		}
	})
	c := client(t)
	var misc []testkit.Fetched
	for _, p := range []string{"/healthz", "/readyz", "/api/v1/initiatives/", "/api/v1/contacts/",
		"/contacten/sw.js", "/static/css/app.css", "/static/bestaat-niet.css"} {
		misc = append(misc, testkit.Fetched{Method: http.MethodGet, Path: p, From: "(direct)", Response: c.Get(p)})
	}
	out["zonder sessie"] = misc
	return out
}

// TestEveryPageTypeValidAndHardened crawls every page type as every role
// over HTTPS and checks that (1) each response carries the security headers,
// HSTS included, and (2) every HTML page — including form error states, the
// 403/404 pages and the 503 page of a database outage — is valid HTML
// according to the W3C Nu checker, run once over all pages.
func TestEveryPageTypeValidAndHardened(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatal("java is needed for the W3C Nu HTML checker (apt-get install -y default-jre-headless)")
	}
	s := testkit.NewHTTPSServer(t)
	cfg := s.Cfg
	cfg.Env = "development"
	start := time.Now()
	if err := demo.Seed(context.Background(), s.DB, cfg, io.Discard); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	t.Logf("demo seed: %v", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	byRole := collect(t, s.Server, func(t testing.TB) *testkit.Client { return s.Client(t) })
	crawlTime := time.Since(start)
	byRole["database weg"] = outage(t, s.Server, s.Client(t))

	// Every response is checked for headers; for the HTML check one page
	// per page type and status is enough (the roles mostly see the same
	// markup), the largest one, as it holds the most of it.
	type sample struct{ name, body string }
	largest := map[string]sample{}
	statuses := map[int]int{}
	total := 0
	for who, fetched := range byRole {
		for _, f := range fetched {
			total++
			statuses[f.StatusCode]++
			name := fmt.Sprintf("%s %s (%d, als %s, via %s)", f.Method, f.Path, f.StatusCode, who, f.From)
			checkHeaders(t, name, f.Response, true)
			if f.StatusCode >= 500 && who != "database weg" {
				t.Errorf("%s: server error", name)
			}
			// A link or a form's own defaults never make a bad request.
			if f.StatusCode == http.StatusBadRequest && f.Method == http.MethodGet {
				t.Errorf("%s: bad request", name)
			}
			// Redirects carry Go's one-line "See Other" link, not a page.
			if !f.HTML() || f.Body == "" || f.StatusCode/100 == 3 {
				continue
			}
			for _, problem := range inlineCode(f.Body) {
				t.Errorf("%s: %s (the CSP blocks it)", name, problem)
			}
			for _, problem := range controlClasses(f.Body) {
				t.Errorf("%s: %s (its state would not show)", name, problem)
			}
			for _, problem := range gluedText(f.Body) {
				t.Errorf("%s: %s (a screen reader reads one word)", name, problem)
			}
			for _, problem := range straySpaces(f.Body) {
				t.Errorf("%s: stray space in %s", name, problem)
			}
			key := fmt.Sprintf("%s %s %d", f.Method, testkit.PageType(f.Path), f.StatusCode)
			if len(f.Body) > len(largest[key].body) {
				largest[key] = sample{name, f.Body}
			}
		}
	}
	pages := map[string]string{}
	for _, p := range largest {
		pages[p.name] = p.body
	}
	// The crawl must reach the states this test exists for.
	for _, status := range []int{http.StatusOK, http.StatusSeeOther, http.StatusForbidden, http.StatusNotFound,
		http.StatusUnprocessableEntity, http.StatusServiceUnavailable} {
		if statuses[status] == 0 {
			t.Errorf("no response with status %d among %d; statuses %v", status, total, statuses)
		}
	}
	if len(pages) < 50 {
		t.Errorf("only %d HTML pages collected", len(pages))
	}

	start = time.Now()
	errs, err := testkit.ValidateHTML(pages)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d responses (%v), %d HTML pages checked by vnu in %v; crawl took %v",
		total, statuses, len(pages), time.Since(start).Round(time.Millisecond), crawlTime.Round(time.Millisecond))
	sort.Slice(errs, func(i, j int) bool { return errs[i].Page < errs[j].Page })
	for _, e := range errs {
		t.Errorf("invalid HTML: %s", e)
	}
}

// TestNoHSTSOverHTTP: served over plain HTTP (no SECURE_COOKIES, BASE_URL
// http), responses carry every other security header but no HSTS, which
// would lock browsers out of a site without TLS.
func TestNoHSTSOverHTTP(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	anon := s.Client(t)
	s.CreateUser(t, "bewoner@example.nl")
	user := s.Login(t, "bewoner@example.nl")
	cases := []struct {
		c    *testkit.Client
		path string
	}{
		{anon, "/"}, {anon, "/inloggen"}, {anon, "/bestaat-niet"}, {anon, "/account"}, {anon, "/healthz"},
		{anon, "/static/css/app.css"}, {anon, "/api/v1/initiatives/"},
		{user, "/account"}, {user, "/beheer"}, {user, "/initiatieven/nieuw"},
	}
	for _, tc := range cases {
		res := tc.c.Get(tc.path)
		checkHeaders(t, "GET "+tc.path, res, false)
	}
	res := user.PostForm("/account/wachtwoord", url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty password form: status %d, want 422", res.StatusCode)
	}
	checkHeaders(t, "POST /account/wachtwoord (422)", res, false)
}

// checkHeaders asserts the headers every response must carry.
func checkHeaders(t *testing.T, name string, res testkit.Response, hsts bool) {
	t.Helper()
	h := res.Header
	csp := h.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			directives[f[0]] = strings.Join(f[1:], " ")
		}
	}
	script, ok := directives["script-src"]
	if !ok {
		script, ok = directives["default-src"]
	}
	switch {
	case csp == "":
		t.Errorf("%s: no Content-Security-Policy", name)
	case !ok:
		t.Errorf("%s: CSP %q restricts no scripts", name, csp)
	case strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") || strings.Contains(script, "*"):
		t.Errorf("%s: CSP allows inline or foreign script: %q", name, script)
	}
	if directives["frame-ancestors"] != "'none'" {
		t.Errorf("%s: CSP frame-ancestors = %q, want 'none'", name, directives["frame-ancestors"])
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q", name, got)
	}
	switch h.Get("Referrer-Policy") {
	case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
	default:
		t.Errorf("%s: Referrer-Policy = %q", name, h.Get("Referrer-Policy"))
	}
	got := h.Get("Strict-Transport-Security")
	if hsts && !strings.HasPrefix(got, "max-age=") {
		t.Errorf("%s: over HTTPS, Strict-Transport-Security = %q", name, got)
	}
	if hsts && strings.HasPrefix(got, "max-age=") && strings.HasPrefix(got, "max-age=0") {
		t.Errorf("%s: HSTS max-age is 0", name)
	}
	if !hsts && got != "" {
		t.Errorf("%s: over plain HTTP, Strict-Transport-Security = %q", name, got)
	}
}

// outage makes the database refuse connections (and ends the app's open
// ones), fetches a public and a logged-in page, and returns both answers,
// which must be the 503 page.
func outage(t *testing.T, s *testkit.Server, c *testkit.Client) []testkit.Fetched {
	t.Helper()
	ctx := context.Background()
	var db string
	if err := s.DB.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
		t.Fatal(err)
	}
	res := c.PostForm("/inloggen", url.Values{"email": {demo.ResidentEmail}, "password": {s.Cfg.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	admin := testkit.ServerConfig()
	admin.Database = "postgres"
	conn, err := pgx.Connect(ctx, admin.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := pgx.Identifier{db}.Sanitize()
	if _, err := conn.Exec(ctx, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = conn.Exec(ctx, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS true`) }()
	if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, db); err != nil {
		t.Fatal(err)
	}
	var out []testkit.Fetched
	for _, p := range []string{"/initiatieven", "/account"} {
		f := testkit.Fetched{Method: http.MethodGet, Path: p, From: "(database weg)", Response: c.Get(p)}
		// The first request may meet a connection that just died; the
		// next one must be the outage page.
		if f.StatusCode != http.StatusServiceUnavailable {
			f.Response = c.Get(p)
		}
		if f.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET %s without database: status %d, want 503", p, f.StatusCode)
		}
		out = append(out, f)
	}
	return out
}

var resetLinkRE = regexp.MustCompile(`/wachtwoord-herstellen\?token=[A-Za-z0-9_-]+`)

// resetLink asks for a password reset of the demo resident and returns the
// path of the link in the e-mail (mails go out in the background).
func resetLink(t *testing.T, s *testkit.Server, c *testkit.Client) string {
	t.Helper()
	if res := c.PostForm("/wachtwoord-vergeten", url.Values{"email": {demo.ResidentEmail}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset request: status %d", res.StatusCode)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, m := range s.Mail.Messages() {
			if link := resetLinkRE.FindString(m.Body); link != "" {
				return link
			}
		}
	}
	t.Fatal("no reset mail")
	return ""
}

// inlineCode lists what a strict CSP (no 'unsafe-inline') would block on a
// page: inline scripts, style elements and attributes, event handler
// attributes and javascript: URLs.
func inlineCode(page string) []string {
	var problems []string
	err := eachNode(page, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		src := false
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			switch {
			case key == "src":
				src = true
			case key == "style":
				problems = append(problems, fmt.Sprintf("style attribute on <%s>", n.Data))
			case strings.HasPrefix(key, "on"):
				problems = append(problems, fmt.Sprintf("event handler %s on <%s>", key, n.Data))
			case (key == "href" || key == "action" || key == "formaction") &&
				strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:"):
				problems = append(problems, fmt.Sprintf("javascript: URL on <%s>", n.Data))
			}
		}
		if n.Data == "script" && !src {
			typ := ""
			for _, a := range n.Attr {
				if a.Key == "type" {
					typ = a.Val
				}
			}
			// Data blocks (JSON) are not run, so the CSP lets them be.
			if typ != "application/json" && typ != "application/ld+json" {
				problems = append(problems, "inline <script>")
			}
		}
		if n.Data == "style" {
			problems = append(problems, "<style> element")
		}
	})
	if err != nil {
		return []string{"unparsable HTML: " + err.Error()}
	}
	return problems
}
