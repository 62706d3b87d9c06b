package testkit

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/buurtkracht/buurtkracht/internal/app"
)

// NewHTTPSServer starts the platform like NewServer, but behind TLS with a
// test certificate, for checks of what it does when served over HTTPS
// (secure cookies, HSTS). Its Client trusts the certificate.
func NewHTTPSServer(t testing.TB, opts ...ServerOption) *HTTPSServer {
	t.Helper()
	cfg := TestConfig()
	cfg.BaseURL = "https://localhost:8443"
	cfg.SecureCookies = true
	for _, o := range opts {
		o(&cfg)
	}
	pool := NewPool(t)
	box := &MailBox{}
	a := app.New(cfg, pool, app.Options{Mailer: box})
	ts := httptest.NewTLSServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &HTTPSServer{Server: &Server{URL: ts.URL, DB: pool, App: a, Cfg: cfg, Mail: box}, ts: ts}
}

// HTTPSServer is a Server served over TLS.
type HTTPSServer struct {
	*Server
	ts *httptest.Server
}

// Client returns a new anonymous client that trusts the test certificate.
func (s *HTTPSServer) Client(t testing.TB) *Client {
	c := s.Server.Client(t)
	tr := s.ts.Client().Transport.(*http.Transport).Clone()
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{}
	}
	c.HTTP.Transport = tr
	return c
}

// Fetched is one response the crawler saw.
type Fetched struct {
	Method string
	Path   string // path with query
	From   string // the page that linked to it or held the form
	Response
}

// HTML reports whether the response is an HTML page.
func (f Fetched) HTML() bool {
	return strings.HasPrefix(f.Header.Get("Content-Type"), "text/html")
}

// CrawlOptions bound a crawl.
type CrawlOptions struct {
	MaxPages int // distinct page types fetched with GET (default 200)
	// SubmitForms posts every POST form that has fields to fill once,
	// with those fields left empty (hidden fields kept), to reach the
	// form's error state (422). Forms without visible fields (buttons
	// like "delete" or "join") and logout are not submitted.
	SubmitForms bool
}

// digits are ids and CBS codes in paths.
var digits = regexp.MustCompile(`[0-9]+`)

// PageType is the key under which Crawl treats two URLs as the same page:
// the path with ids and codes left out, and the names (not the values) of
// its query parameters, so a filter or sort order is one page type.
func PageType(pathQuery string) string {
	u, err := url.Parse(pathQuery)
	if err != nil {
		return pathQuery
	}
	key := digits.ReplaceAllString(u.Path, "N")
	var names []string
	for k := range u.Query() {
		names = append(names, k)
	}
	if len(names) > 0 {
		sort.Strings(names)
		key += "?" + strings.Join(names, "&")
	}
	return key
}

// Crawl follows every same-site link and GET form from start, fetching each
// page type once, then (with SubmitForms) posts each fillable form once
// with its fields empty. It returns every response, redirects included
// (the client does not follow them). Assets, the JSON API and downloads are
// fetched but not parsed.
func (c *Client) Crawl(opts CrawlOptions, start ...string) []Fetched {
	c.t.Helper()
	if opts.MaxPages == 0 {
		opts.MaxPages = 200
	}
	type link struct{ path, from string }
	var queue []link
	for _, s := range start {
		queue = append(queue, link{s, "(start)"})
	}
	seen := map[string]bool{}
	var out []Fetched
	var forms []form
	seenForm := map[string]bool{}
	for len(queue) > 0 && len(seen) < opts.MaxPages {
		l := queue[0]
		queue = queue[1:]
		key := PageType(l.path)
		if seen[key] {
			continue
		}
		seen[key] = true
		res := c.Get(l.path)
		f := Fetched{Method: http.MethodGet, Path: l.path, From: l.from, Response: res}
		out = append(out, f)
		if !f.HTML() || res.StatusCode != http.StatusOK {
			continue
		}
		links, fs := parsePage(res.Body)
		for _, h := range links {
			if p, ok := sameSite(h, l.path); ok {
				queue = append(queue, link{p, l.path})
			}
		}
		for _, fm := range fs {
			action, ok := sameSite(fm.action, l.path)
			if !ok {
				continue
			}
			if fm.method == http.MethodGet {
				u, _ := url.Parse(action)
				q := u.Query()
				for k, vs := range fm.defaults {
					q[k] = vs
				}
				u.RawQuery = q.Encode()
				queue = append(queue, link{u.RequestURI(), l.path})
				continue
			}
			fm.action, fm.from = action, l.path
			k := PageType(action)
			if !opts.SubmitForms || !fm.fillable || seenForm[k] || strings.HasPrefix(action, "/uitloggen") {
				continue
			}
			seenForm[k] = true
			forms = append(forms, fm)
		}
	}
	for _, l := range queue {
		if !seen[PageType(l.path)] {
			c.t.Errorf("crawl stopped at %d page types with %s (linked from %s) not visited; raise MaxPages",
				opts.MaxPages, l.path, l.from)
			break
		}
	}
	for _, fm := range forms {
		res := c.PostForm(fm.action, fm.empty)
		out = append(out, Fetched{Method: http.MethodPost, Path: fm.action, From: fm.from, Response: res})
	}
	return out
}

// sameSite resolves href against the page path and returns the path with
// query of a page of this site, or false for other sites, assets,
// downloads and the JSON API.
func sameSite(href, page string) (string, bool) {
	base, _ := url.Parse(page)
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", false
	}
	u = base.ResolveReference(u)
	if u.Host != "" || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	for _, prefix := range []string{"/static/", "/api/"} {
		if strings.HasPrefix(u.Path, prefix) {
			return "", false
		}
	}
	for _, ext := range []string{".json", ".csv", ".pdf", ".geojson", ".png", ".svg", ".js", ".css", ".webmanifest"} {
		if strings.HasSuffix(u.Path, ext) {
			return "", false
		}
	}
	u.Fragment = ""
	return u.RequestURI(), true
}

type form struct {
	method, action, from string
	defaults             url.Values // what the form sends untouched
	empty                url.Values // hidden fields only
	fillable             bool       // has a field a person fills in
}

// parsePage returns the hrefs of links (not downloads) and the forms of a page.
func parsePage(body string) (links []string, forms []form) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil, nil
	}
	var cur *form
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "a":
				if href, ok := attr(n, "href"); ok {
					if _, dl := attr(n, "download"); !dl {
						links = append(links, href)
					}
				}
			case "form":
				method, _ := attr(n, "method")
				action, _ := attr(n, "action")
				forms = append(forms, form{method: strings.ToUpper(cmpOr(method, "GET")), action: action,
					defaults: url.Values{}, empty: url.Values{}})
				prev := cur
				cur = &forms[len(forms)-1]
				for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
					walk(ch)
				}
				cur = prev
				return
			case "input", "textarea", "select":
				if cur != nil {
					addField(cur, n)
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return links, forms
}

func addField(f *form, n *html.Node) {
	name, ok := attr(n, "name")
	if !ok || name == "" {
		return
	}
	if _, disabled := attr(n, "disabled"); disabled {
		return
	}
	typ, _ := attr(n, "type")
	typ = strings.ToLower(cmpOr(typ, "text"))
	switch n.Data {
	case "textarea":
		f.fillable = true
		f.defaults.Add(name, textOf(n))
	case "select":
		f.fillable = true
		var first string
		var chosen []string
		var walk func(*html.Node)
		walk = func(o *html.Node) {
			if o.Type == html.ElementNode && o.Data == "option" {
				if _, off := attr(o, "disabled"); off {
					return // a browser never sends a disabled option
				}
				v, ok := attr(o, "value")
				if !ok {
					v = textOf(o)
				}
				if first == "" {
					first = v
				}
				if _, sel := attr(o, "selected"); sel {
					chosen = append(chosen, v)
				}
			}
			for ch := o.FirstChild; ch != nil; ch = ch.NextSibling {
				walk(ch)
			}
		}
		walk(n)
		if len(chosen) == 0 && first != "" {
			chosen = []string{first}
		}
		for _, v := range chosen {
			f.defaults.Add(name, v)
		}
	case "input":
		v, _ := attr(n, "value")
		switch typ {
		case "hidden":
			f.defaults.Add(name, v)
			f.empty.Add(name, v)
		case "submit", "button", "reset", "image", "file":
			// a submit button's name/value is sent only when it is clicked
		case "checkbox", "radio":
			f.fillable = true
			if _, checked := attr(n, "checked"); checked {
				f.defaults.Add(name, cmpOr(v, "on"))
			}
		default:
			// The honeypot (name "website") is hidden from people; it does
			// not make a form fillable and stays empty.
			if name != "website" {
				f.fillable = true
			}
			f.defaults.Add(name, v)
		}
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
