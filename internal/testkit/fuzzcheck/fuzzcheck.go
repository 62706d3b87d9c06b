// Package fuzzcheck holds the assertions the fuzz tests of every form and
// API decoder share: accepted text is storable and within its limit, refused
// input carries Dutch field errors, and an HTTP answer is never a 5xx and
// never a 4xx without a message.
//
// It imports nothing of the app, so a feature's in-package fuzz tests (which
// cannot import testkit without an import cycle) use it too.
package fuzzcheck

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Fuzzing reports whether the test binary runs with -test.fuzz, i.e. the
// fuzzing engine generates inputs, rather than only replaying the seed corpus.
// Checks that are too slow for every generated input (a database round trip
// per input) run only in the seed-corpus pass.
func Fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// Text fails t when an accepted text value is not storable: invalid UTF-8, a
// NUL or other control character (newline, carriage return and tab only when
// multiline), surrounding spaces, or more than max characters.
func Text(t testing.TB, field, s string, max int, multiline bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s: accepted invalid UTF-8 %q", field, s)
	}
	if n := utf8.RuneCountInString(s); n > max {
		t.Fatalf("%s: accepted %d characters, limit %d", field, n, max)
	}
	if strings.TrimSpace(s) != s {
		t.Fatalf("%s: accepted untrimmed value %q", field, s)
	}
	for _, r := range s {
		if r == 0 || r == 0x7f || (r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) {
			t.Fatalf("%s: accepted control character %U in %q", field, r, s)
		}
	}
}

// OneOf fails t when an accepted value is not in allowed: a string, or a
// value of a feature's closed set (a named string type).
func OneOf[T ~string](t testing.TB, field string, v T, allowed []T) {
	t.Helper()
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	t.Fatalf("%s: accepted %q, not one of %q", field, v, allowed)
}

// leaks are fragments of Go, JSON or database error texts that must never
// reach a user as a field message.
var leaks = []string{"strconv.", "invalid syntax", "json: ", "SQLSTATE", "pgx:", "runtime error", "%!"}

// Message fails t unless msg reads like one of our Dutch user messages: a
// non-empty sentence starting with a letter or digit, valid UTF-8, without the text
// of a Go or database error.
func Message(t testing.TB, where, msg string) {
	t.Helper()
	if msg == "" || !utf8.ValidString(msg) {
		t.Fatalf("%s: empty or invalid message %q", where, msg)
	}
	if first, _ := utf8.DecodeRuneInString(msg); !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		t.Fatalf("%s: message %q does not start as a sentence", where, msg)
	}
	for _, l := range leaks {
		if strings.Contains(msg, l) {
			t.Fatalf("%s: message %q leaks an internal error (%q)", where, msg, l)
		}
	}
}

// Errors fails t unless every field error (a validate.Errors) belongs to one of fields (so the
// form can show it next to that field) and reads as a Dutch message.
func Errors(t testing.TB, errs map[string]string, fields ...string) {
	t.Helper()
	for field, msg := range errs {
		known := false
		for _, f := range fields {
			known = known || f == field
		}
		if !known {
			t.Fatalf("error for unknown field %q (%q); the form has %q", field, msg, fields)
		}
		Message(t, field, msg)
	}
}

// Response is an HTTP answer read whole.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Do sends req with c and reads the answer. It fails t on a transport error.
func Do(t testing.TB, c *http.Client, req *http.Request) Response {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// PostForm posts body (already URL-encoded, possibly malformed) to u.
func PostForm(t testing.TB, c *http.Client, u, body string) Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return Do(t, c, req)
}

// PostJSON posts body as JSON to u, with the bearer token when not empty.
func PostJSON(t testing.TB, c *http.Client, u, body, token string) Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return Do(t, c, req)
}

// Get fetches base+path with query q (encoded as given, possibly malformed).
func Get(t testing.TB, c *http.Client, base, path, q string) Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.RawQuery = q
	return Do(t, c, req)
}

// Query turns fuzzed text into a raw query string an HTTP client can send:
// Go's client refuses a request line with spaces or control characters, so
// those bytes are percent-encoded; everything else is sent as fuzzed.
func Query(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || c >= 0x80 || c == '#' {
			b.WriteString(url.QueryEscape(string([]byte{c})))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Escaped fails t when an HTML page holds a script element other than our
// own script files: the pages have no inline scripts (strict CSP), so any
// other "<script" is fuzzed input that went out unescaped.
func Escaped(t testing.TB, what, page string) {
	t.Helper()
	for rest := page; ; {
		i := strings.Index(strings.ToLower(rest), "<script")
		if i < 0 {
			return
		}
		rest = rest[i+len("<script"):]
		if !strings.HasPrefix(rest, ` src="/static/`) {
			t.Fatalf("%s: unescaped script element in the page: %.200q", what, rest)
		}
	}
}

// Answer fails t when res is a server error, or a refusal (4xx) that tells
// the user nothing: an HTML page needs an alert, a field error or the error
// page's text; a JSON answer needs a non-empty "error" or "errors". A form
// re-shown with 422 must list its errors. Any HTML page must not carry fuzzed
// markup unescaped (see Escaped). what names the request in failures.
func Answer(t testing.TB, what string, res Response) {
	t.Helper()
	if res.Status >= 500 {
		t.Fatalf("%s: status %d:\n%.2000s", what, res.Status, res.Body)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		Escaped(t, what, res.Body)
	}
	if res.Status < 400 {
		return
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		var body struct {
			Error  string            `json:"error"`
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
			t.Fatalf("%s: status %d with unreadable JSON %q: %v", what, res.Status, res.Body, err)
		}
		if body.Error == "" && len(body.Errors) == 0 {
			t.Fatalf("%s: status %d without error message: %s", what, res.Status, res.Body)
		}
		if body.Error != "" {
			Message(t, what, body.Error)
		}
		for f, m := range body.Errors {
			Message(t, what+" "+f, m)
		}
		return
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%s: status %d with content type %q", what, res.Status, res.Header.Get("Content-Type"))
	}
	switch {
	case res.Status == http.StatusUnprocessableEntity:
		if !strings.Contains(res.Body, `role="alert"`) && !strings.Contains(res.Body, "utrecht-form-field-error-message") {
			t.Fatalf("%s: 422 without error summary or field error:\n%.3000s", what, res.Body)
		}
	case strings.Contains(res.Body, `role="alert"`), strings.Contains(res.Body, `class="bk-lead"`),
		strings.Contains(res.Body, "utrecht-form-field-error-message"):
	default:
		t.Fatalf("%s: status %d without a message:\n%.3000s", what, res.Status, res.Body)
	}
}

// Geo is the small map the HTTP fuzz tests share: Utrecht (GM0344) with
// district WK034401 and its neighbourhoods, by CBS code.
type Geo struct {
	Municipality   int64
	District       int64
	Neighbourhoods map[string]int64
}

// GeoCodes are the neighbourhood codes SeedGeo inserts.
var GeoCodes = []string{"BU03440101", "BU03440102", "BU03440103"}

// SeedGeo inserts Geo into the database of pool.
func SeedGeo(t testing.TB, pool *pgxpool.Pool) Geo {
	t.Helper()
	ctx := context.Background()
	g := Geo{Neighbourhoods: map[string]int64{}}
	if err := pool.QueryRow(ctx, `INSERT INTO municipalities (code, name) VALUES ('GM0344', 'Utrecht') RETURNING id`).Scan(&g.Municipality); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `INSERT INTO districts (code, municipality_id, name) VALUES ('WK034401', $1, 'West') RETURNING id`, g.Municipality).Scan(&g.District); err != nil {
		t.Fatal(err)
	}
	for i, code := range GeoCodes {
		var id int64
		name := []string{"Lombok", "Oog in Al", "Zuilen"}[i]
		if err := pool.QueryRow(ctx, `INSERT INTO neighbourhoods (code, district_id, municipality_id, name, population) VALUES ($1, $2, $3, $4, 4000) RETURNING id`,
			code, g.District, g.Municipality, name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		g.Neighbourhoods[code] = id
	}
	return g
}
