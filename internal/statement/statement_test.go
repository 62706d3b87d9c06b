package statement_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/statement"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

func TestDuration(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		d    time.Duration
		want string
	}{
		{365 * day, "365 dagen (ongeveer 12 maanden)"},
		{360 * day, "360 dagen (ongeveer 12 maanden)"},
		{180 * day, "180 dagen (ongeveer 6 maanden)"},
		{30 * day, "30 dagen"},
		{day, "1 dag"},
		{48 * time.Hour, "2 dagen"},
		{36 * time.Hour, "36 uur"},
		{2 * time.Hour, "2 uur"},
		{time.Hour, "1 uur"},
		{90 * time.Minute, "90 minuten"},
		{time.Minute, "1 minuut"},
		{1500 * time.Millisecond, "2 seconden"},
		{0, "0 minuten"},
	}
	for _, tt := range tests {
		if got := statement.Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestSettingsDefaults: a Config built by hand (as tests and tools do)
// still gives complete statements, with security.txt valid from now.
func TestSettingsDefaults(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	s := statement.SettingsFrom(config.Config{BaseURL: "https://buurt.example.nl/"}, statement.Fixed{}, now)
	if s.Controller != config.DefaultPrivacyController || s.ContactEmail != config.DefaultContactEmail ||
		s.SecurityContact != config.DefaultSecurityContact {
		t.Errorf("defaults not applied: %+v", s)
	}
	if !s.Expires.Equal(now.Add(config.SecurityTxtDefaultExpiry)) {
		t.Errorf("expires %v", s.Expires)
	}
	if s.Site() != "buurt.example.nl" || s.BaseURL != "https://buurt.example.nl" {
		t.Errorf("site %q, base %q", s.Site(), s.BaseURL)
	}
}

// securityTxtFields parses an RFC 9116 file into its fields, failing on
// lines that are neither a comment nor "Name: value".
func securityTxtFields(t *testing.T, body string) map[string][]string {
	t.Helper()
	fields := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok || value == "" {
			t.Fatalf("security.txt line %q is not a field", line)
		}
		fields[name] = append(fields[name], value)
	}
	return fields
}

func TestSecurityTxtWithoutHTTPS(t *testing.T) {
	s := statement.SettingsFrom(config.Config{BaseURL: "http://localhost:8080"}, statement.Fixed{}, time.Now())
	f := securityTxtFields(t, s.SecurityTxt())
	// RFC 9116 web URIs must be https: on plain http they are left out.
	if f["Canonical"] != nil || f["Policy"] != nil {
		t.Errorf("http base URL gave Canonical %q, Policy %q", f["Canonical"], f["Policy"])
	}
	if len(f["Contact"]) != 1 || len(f["Expires"]) != 1 {
		t.Errorf("fields %v", f)
	}
}

// TestStatementsThroughRouter requests every statement through the real
// router as an anonymous visitor, with settings that differ from the
// defaults, and checks that the pages and security.txt show them.
func TestStatementsThroughRouter(t *testing.T) {
	t.Parallel()
	expires := time.Date(2999, 6, 30, 10, 0, 0, 0, time.UTC)
	s := testkit.NewServer(t, func(c *config.Config) {
		c.BaseURL = "https://buurt.voorbeeld.nl"
		c.PrivacyController = "Gemeente Voorbeeld"
		c.ContactEmail = "privacy@voorbeeld.nl"
		c.SecurityContact = "mailto:cert@voorbeeld.nl"
		c.SecurityTxtExpires = expires
		c.SessionIdle = 90 * time.Minute
		c.SessionLifetime = 8 * time.Hour
	})
	c := s.Client(t)

	t.Run("footer", func(t *testing.T) {
		for _, path := range []string{"/", "/over", "/privacy", "/bestaat-niet"} {
			body := c.Get(path).Body
			for _, href := range []string{"/over", "/toegankelijkheid", "/privacy", "/beveiliging"} {
				if !strings.Contains(body, `href="`+href+`"`) {
					t.Errorf("footer of %s lacks a link to %s", path, href)
				}
			}
			if !strings.Contains(body, "Bron: CBS, Kadaster (PDOK)") {
				t.Errorf("footer of %s lost the CBS attribution", path)
			}
		}
	})

	pages := []struct {
		path   string
		h1     string
		want   []string
		testid string
	}{
		{"/toegankelijkheid", "Toegankelijkheidsverklaring", []string{
			"Gemeente Voorbeeld", "buurt.voorbeeld.nl", "voldoet gedeeltelijk", "WCAG 2.1", "EN 301 549", "WCAG-EM",
			"axe-core", "320 pixels", "Nu HTML Checker", "Zonder JavaScript", "toetsenbord",
			`href="mailto:privacy@voorbeeld.nl"`, "Nationale ombudsman",
			"Na 90 minuten zonder activiteit", "uiterlijk 8 uur nadat je inlogde", dutch.Date(statement.Revised),
		}, "accessibility-statement"},
		{"/privacy", "Privacyverklaring", []string{
			"Gemeente Voorbeeld is verantwoordelijk", `href="mailto:privacy@voorbeeld.nl"`, "geen namen van bewoners",
			"artikel 6 lid 1", `href="/account/gegevens.json"`, `href="/account/verwijderen"`,
			"Autoriteit Persoonsgegevens", "Europese Economische Ruimte", "twee cookies", "bk_schreef",
			"uitgelogd na 90 minuten zonder activiteit", "uiterlijk 8 uur nadat je inlogde",
			"Werkt 1 uur", "Werkt 2 dagen", "Vervalt na 30 dagen", "hoogstens 365 dagen",
		}, "privacy-statement"},
		{"/beveiliging", "Kwetsbaarheid melden", []string{
			`href="mailto:cert@voorbeeld.nl"`, ">cert@voorbeeld.nl<", "Wat je niet doet", "Wat wij beloven",
			"geen aangifte", "/.well-known/security.txt", "30 juni 2999", "buurt.voorbeeld.nl",
		}, "security-policy"},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			res := c.Get(p.path)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("GET %s: %d %s", p.path, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !strings.Contains(res.Body, `<title>`+p.h1+` – Buurtkracht</title>`) {
				t.Errorf("title is not %q", p.h1)
			}
			if !strings.Contains(res.Body, `data-testid="`+p.testid+`"`) {
				t.Errorf("no element %s", p.testid)
			}
			for _, w := range p.want {
				if !strings.Contains(res.Body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			checkStructure(t, res.Body)
		})
	}

	t.Run("security.txt", func(t *testing.T) {
		res := c.Get(statement.SecurityTxtPath)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Errorf("security.txt sets a cookie")
		}
		f := securityTxtFields(t, res.Body)
		want := map[string]string{
			"Contact":             "mailto:cert@voorbeeld.nl",
			"Expires":             "2999-06-30T10:00:00Z",
			"Preferred-Languages": "nl, en",
			"Canonical":           "https://buurt.voorbeeld.nl/.well-known/security.txt",
			"Policy":              "https://buurt.voorbeeld.nl/beveiliging",
		}
		for name, value := range want {
			if got := f[name]; len(got) != 1 || got[0] != value {
				t.Errorf("%s = %q, want %q", name, got, value)
			}
		}
		// Expires occurs once (RFC 9116 2.5.5) and lies in the future.
		exp, err := time.Parse(time.RFC3339, f["Expires"][0])
		if err != nil || !exp.After(time.Now()) {
			t.Errorf("Expires %q: %v, not in the future", f["Expires"], err)
		}
		if len(f) != len(want) {
			t.Errorf("unexpected fields: %v", f)
		}
	})
}

// TestDefaults: with the test configuration, which leaves the statement
// settings empty, the pages use the defaults (the controller's name
// capitalised at the start of a sentence), and security.txt still expires
// in the future, just under a year from start.
func TestDefaults(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	body := c.Get("/privacy").Body
	for _, want := range []string{"De organisatie die Buurtkracht aanbiedt is verantwoordelijk", "privacy@buurtkracht.nl",
		"365 dagen (ongeveer 12 maanden)", "180 dagen (ongeveer 6 maanden)"} {
		if !strings.Contains(body, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
	f := securityTxtFields(t, c.Get(statement.SecurityTxtPath).Body)
	if len(f["Expires"]) != 1 {
		t.Fatalf("Expires %q", f["Expires"])
	}
	exp, err := time.Parse(time.RFC3339, f["Expires"][0])
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(exp); d <= 300*24*time.Hour || d > 365*24*time.Hour {
		t.Errorf("Expires %s is %v away, want just under a year", exp, d)
	}
	if f["Contact"][0] != config.DefaultSecurityContact {
		t.Errorf("Contact %q", f["Contact"])
	}
}

// TestPrivacyRetentionFollowsSettings: the retention periods on the
// privacy page are the configured ones, so changing a setting changes
// the page.
func TestPrivacyRetentionFollowsSettings(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		name                 string
		notes, notifications time.Duration
		wantNotes, wantNotif string
	}{
		{"defaults", 365 * day, 180 * day, "365 dagen (ongeveer 12 maanden)", "180 dagen (ongeveer 6 maanden)"},
		{"shorter", 30 * day, 14 * day, "30 dagen", "14 dagen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testkit.NewServer(t, func(c *config.Config) {
				c.NotesRetention = tt.notes
				c.NotificationsRetention = tt.notifications
			})
			items := retentionItems(t, s.Client(t).Get("/privacy").Body)
			if got := items["Privénotities van opbouwwerkers bij straatcontacten en activiteiten"]; !strings.HasPrefix(got, tt.wantNotes+".") {
				t.Errorf("notes retention %q, want %q", got, tt.wantNotes)
			}
			if got := items["Meldingen in het platform"]; !strings.HasPrefix(got, tt.wantNotif+".") {
				t.Errorf("notifications retention %q, want %q", got, tt.wantNotif)
			}
		})
	}
}

// retentionItems reads the retention list of the privacy page: the bold
// label of each item and the text after its colon.
func retentionItems(t *testing.T, body string) map[string]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	list := find(doc, func(n *html.Node) bool { return attr(n, "data-testid") == "privacy-retention" })
	if list == nil {
		t.Fatal("no retention list")
	}
	items := map[string]string{}
	for li := list.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		label := find(li, func(n *html.Node) bool { return n.Data == "strong" })
		if label == nil {
			t.Fatalf("retention item without label: %q", text(li))
		}
		rest, _ := strings.CutPrefix(text(li), text(label)+": ")
		items[text(label)] = rest
	}
	if len(items) < 8 {
		t.Errorf("only %d retention items: %v", len(items), items)
	}
	return items
}

var spaces = regexp.MustCompile(`\s+`)

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(spaces.ReplaceAllString(b.String(), " "))
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, match); f != nil {
			return f
		}
	}
	return nil
}

// checkStructure asserts what the crawl's validators would refuse: one h1,
// headings that never skip a level, lists holding only list items, and no
// empty paragraphs, list items or headings.
func checkStructure(t *testing.T, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	main := find(doc, func(n *html.Node) bool { return n.Data == "main" })
	if main == nil {
		t.Fatal("no main element")
	}
	level, h1s := 0, 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "h1", "h2", "h3", "h4", "h5", "h6":
				l, _ := strconv.Atoi(n.Data[1:])
				if l > level+1 {
					t.Errorf("heading %s %q follows h%d", n.Data, text(n), level)
				}
				level = l
				if l == 1 {
					h1s++
				}
			case "ul", "ol":
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && c.Data != "li" {
						t.Errorf("%s holds a %s", n.Data, c.Data)
					}
				}
			}
			switch n.Data {
			case "p", "li", "h1", "h2", "h3", "ul", "strong", "a":
				if text(n) == "" {
					t.Errorf("empty %s", n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(main)
	if h1s != 1 {
		t.Errorf("%d h1 elements, want 1", h1s)
	}
	for _, line := range testkit.StraySpaces(text(main)) {
		t.Errorf("stray space in %q", line)
	}
}
