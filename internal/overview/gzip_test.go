package overview_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The overview and the drill-down are sent as one gzip member spliced from
// the compressed page chrome and the cached compressed body: it must
// decompress (checksum and length included) to the same page as the
// uncompressed answer.
func TestOverviewGzipSplice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	officer := f.s.Login(t, f.officer)
	officer.Get("/") // shows (and so clears) the login flash
	pages := []struct {
		path string
		want []string
	}{
		{"/overzicht?sorteer=naam", []string{"Ingelogd als </span>gemeente", `data-testid="overview-table"`, "Oog in Al", `data-testid="counting-notes"`, "</html>"}},
		{"/overzicht/buurten/" + nbA + "?" + f.q, []string{"Ingelogd als </span>gemeente", `data-testid="trend-table"`, "<h1 class=\"utrecht-heading-1\">Oog in Al</h1>", `data-testid="counting-notes"`, "</html>"}},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) { checkGzipSplice(t, officer, f.s.URL+pg.path, pg.want) })
	}
}

func checkGzipSplice(t *testing.T, officer *testkit.Client, url string, want []string) {
	get := func(encoding string) (http.Header, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Setting the header ourselves keeps the transport from decoding.
		req.Header.Set("Accept-Encoding", encoding)
		res := officer.Do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", encoding, res.StatusCode)
		}
		return res.Header, []byte(res.Body)
	}
	for range 2 { // a cold and a warm cache
		plainHeader, plain := get("identity")
		if plainHeader.Get("Content-Encoding") != "" {
			t.Fatalf("identity answered with %q", plainHeader.Get("Content-Encoding"))
		}
		zHeader, z := get("br;q=1.0, gzip;q=0.8")
		if zHeader.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(zHeader.Get("Content-Type"), "text/html") {
			t.Fatalf("headers %v", zHeader)
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		page, err := io.ReadAll(zr) // checks the CRC-32 and the length
		if err != nil {
			t.Fatalf("gzip answer does not decompress: %v", err)
		}
		// Forms carry a per-request CSRF token; compare without them.
		csrf := func(b []byte) string {
			s := string(b)
			var out strings.Builder
			for {
				i := strings.Index(s, `name="gorilla.csrf.Token" value="`)
				if i < 0 {
					out.WriteString(s)
					return out.String()
				}
				i += len(`name="gorilla.csrf.Token" value="`)
				out.WriteString(s[:i])
				s = s[i:]
				s = s[strings.IndexByte(s, '"'):]
			}
		}
		if csrf(page) != csrf(plain) {
			t.Errorf("gzip page (%d bytes) differs from the plain page (%d bytes)", len(page), len(plain))
		}
		for _, w := range want {
			if !bytes.Contains(page, []byte(w)) {
				t.Errorf("gzip page lacks %q", w)
			}
		}
		if bytes.Contains(page, []byte("bk-overzicht-inhoud")) {
			t.Error("marker left in the page")
		}
	}
}
