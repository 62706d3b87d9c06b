package neighbourhood_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// FuzzSearchHTTP sends fuzzed searches (?q=, ?gemeente=) to /buurten over the
// real CBS sample: never a 5xx (a LIKE pattern, a code prefix, accents or
// bytes PostgreSQL cannot store must not reach the database unchecked), and
// a refusal is a 4xx page with a message. Also /buurten/{code}.
func FuzzSearchHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	if _, err := neighbourhood.Import(context.Background(), s.DB, neighbourhood.EmbeddedFiles()); err != nil {
		f.Fatal(err)
	}
	c := s.Client(f)
	for _, q := range []string{"q=oog", "q=munein", "q=M%C3%BBnein", "q=BU0344", "q=wk0344", "q=GM", "q=%25", "q=_", "q=%5C", "q=a%00b", "q=%FF",
		"q=" + strings.Repeat("x", 101), "gemeente=GM0344", "gemeente=GM0344&q=west", "gemeente=GM9999", "gemeente=x", "q=%27%3B--", "q=%E2%80%AE"} {
		f.Add(false, q)
	}
	for _, code := range []string{"BU03440112", "BU99999999", "x", "\x00", "WK034401", "%", "a/b?c"} {
		f.Add(true, code)
	}
	f.Fuzz(func(t *testing.T, show bool, in string) {
		if show {
			path := "/buurten/" + url.PathEscape(in)
			fuzzcheck.Answer(t, "GET "+path, fuzzcheck.Get(t, c.HTTP, s.URL, path, ""))
			return
		}
		fuzzcheck.Answer(t, "GET /buurten?"+in, fuzzcheck.Get(t, c.HTTP, s.URL, "/buurten", fuzzcheck.Query(in)))
	})
}

// TestImportRefusalLeavesDatabaseUnchanged replays every seed and committed
// corpus input of FuzzParseCSV and FuzzParseGeoJSON through the whole
// Import, on a database that already holds a municipality, a district and a
// neighbourhood: a refusal is an *ImportError and writes nothing at all.
func TestImportRefusalLeavesDatabaseUnchanged(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()
	first := neighbourhood.SeedsCSV[0]
	if _, err := neighbourhood.Import(ctx, db, neighbourhood.SeedFiles(first[0], first[1], first[2], "")); err != nil {
		t.Fatal(err)
	}
	var inputs [][4]string
	for _, s := range neighbourhood.SeedsCSV {
		inputs = append(inputs, [4]string{s[0], s[1], s[2], ""})
	}
	for _, s := range neighbourhood.SeedsGeoJSON {
		inputs = append(inputs, [4]string{"", "", "", s})
	}
	for _, vals := range corpus(t, "FuzzParseCSV") {
		inputs = append(inputs, [4]string{vals[0], vals[1], vals[2], ""})
	}
	for _, vals := range corpus(t, "FuzzParseGeoJSON") {
		inputs = append(inputs, [4]string{"", "", "", vals[0]})
	}
	refused := 0
	for i, in := range inputs {
		if in[2] == "" && in[3] == "" {
			continue // no buurten file: refused before anything is read
		}
		before := snapshot(t, db)
		_, err := neighbourhood.Import(ctx, db, neighbourhood.SeedFiles(in[0], in[1], in[2], in[3]))
		if err == nil {
			continue
		}
		refused++
		var ie *neighbourhood.ImportError
		if !errors.As(err, &ie) {
			t.Errorf("input %d: refusal is not an *ImportError: %v", i, err)
		}
		if after := snapshot(t, db); after != before {
			t.Errorf("input %d refused (%v) but the database changed: %s -> %s", i, err, before, after)
		}
	}
	if refused == 0 {
		t.Fatal("no input was refused; the check proves nothing")
	}
	t.Logf("%d inputs, %d refused", len(inputs), refused)
}

// corpus reads the committed corpus of fuzz target name: each file holds one
// string or []byte value per fuzz argument, in Go syntax.
func corpus(t *testing.T, name string) [][]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", name, "*"))
	var out [][]string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) < 2 || lines[0] != "go test fuzz v1" {
			t.Fatalf("%s: not a fuzz corpus file", file)
		}
		var vals []string
		for _, l := range lines[1:] {
			open, end := strings.Index(l, "("), strings.LastIndex(l, ")")
			if open < 0 || end < open {
				t.Fatalf("%s: cannot read %q", file, l)
			}
			v, err := strconv.Unquote(l[open+1 : end])
			if err != nil {
				t.Fatalf("%s: %q: %v", file, l, err)
			}
			vals = append(vals, v)
		}
		out = append(out, vals)
	}
	return out
}
