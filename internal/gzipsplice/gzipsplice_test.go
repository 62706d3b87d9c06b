package gzipsplice_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
)

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"identity", false},
		{"gzip", true},
		{"GZIP", true},
		{"br, gzip, deflate", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"gzip;q=0.5", true},
		{"gzip;q=x", false},
		{"x-gzip", false},
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", tc.header)
		if got := gzipsplice.AcceptsGzip(r); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

// text returns a component that writes s.
func text(s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	})
}

// page puts body between a head and a tail, as a page layout would.
func page(head, tail string) func(templ.Component) templ.Component {
	return func(body templ.Component) templ.Component {
		return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			if _, err := io.WriteString(w, head); err != nil {
				return err
			}
			if err := body.Render(ctx, w); err != nil {
				return err
			}
			_, err := io.WriteString(w, tail)
			return err
		})
	}
}

// gunzip decompresses one gzip member, checking its CRC-32 and length.
func gunzip(t *testing.T, z []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("does not decompress: %v", err)
	}
	return string(b)
}

// The spliced answer is one gzip member that decompresses to the page as
// a plain rendering writes it, for bodies and chrome of any size (empty
// included: the blocks must still join).
func TestWriteSplices(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("<tr><td>Oog in Al</td><td>1.234</td></tr>\n", 5000)
	for _, tc := range []struct{ name, head, body, tail string }{
		{"small", "<html><body>", "<main>inhoud</main>", "</body></html>"},
		{"large body", "<html><body><h1>Overzicht</h1>", long, "<footer>voet</footer></body></html>"},
		{"empty body", "<html>", "", "</html>"},
		{"empty chrome", "", "<p>alleen de inhoud</p>", ""},
		{"unicode", "<title>Mûnein</title>", "<p>Wijk 02 Mûnein – €&nbsp;1.250</p>", "<p>ë</p>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			body, err := gzipsplice.Render(ctx, text(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var plain bytes.Buffer
			if err := page(tc.head, tc.tail)(body.Component()).Render(ctx, &plain); err != nil {
				t.Fatal(err)
			}
			if want := tc.head + tc.body + tc.tail; plain.String() != want {
				t.Fatalf("plain rendering %q, want %q", plain.String(), want)
			}
			rec := httptest.NewRecorder()
			if err := gzipsplice.Write(ctx, rec, http.StatusUnprocessableEntity, body, page(tc.head, tc.tail)); err != nil {
				t.Fatal(err)
			}
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("status %d", rec.Code)
			}
			h := rec.Header()
			if h.Get("Content-Encoding") != "gzip" || h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("Vary") != "Accept-Encoding" {
				t.Errorf("headers %v", h)
			}
			if got := gunzip(t, rec.Body.Bytes()); got != plain.String() {
				t.Errorf("spliced page (%d bytes) differs from the plain page (%d bytes)", len(got), plain.Len())
			}
		})
	}
}

// A page that does not place its body is an error, and nothing is sent.
func TestWriteWithoutPlace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	body, err := gzipsplice.Render(ctx, text("<p>x</p>"))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	err = gzipsplice.Write(ctx, rec, http.StatusOK, body, func(templ.Component) templ.Component { return text("<html></html>") })
	if err == nil {
		t.Fatal("no error")
	}
	if rec.Body.Len() != 0 || rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("wrote %d bytes, headers %v", rec.Body.Len(), rec.Header())
	}
	boom := errors.New("boom")
	err = gzipsplice.Write(ctx, rec, http.StatusOK, body, func(templ.Component) templ.Component {
		return templ.ComponentFunc(func(context.Context, io.Writer) error { return boom })
	})
	if !errors.Is(err, boom) || rec.Body.Len() != 0 {
		t.Errorf("error %v, wrote %d bytes", err, rec.Body.Len())
	}
}

// Behind the compression middleware the app uses for every page, a
// spliced answer goes out as it is, compressed once: the middleware skips
// responses that already carry a Content-Encoding.
func TestWriteBehindCompressMiddleware(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	body, err := gzipsplice.Render(ctx, text(strings.Repeat("<p>buurt</p>", 1000)))
	if err != nil {
		t.Fatal(err)
	}
	pg := page("<html><body>", "</body></html>")
	h := middleware.Compress(1, "text/html")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := gzipsplice.Write(r.Context(), w, http.StatusOK, body, pg); err != nil {
			t.Error(err)
		}
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding %q", got)
	}
	want := "<html><body>" + strings.Repeat("<p>buurt</p>", 1000) + "</body></html>"
	if got := gunzip(t, rec.Body.Bytes()); got != want {
		t.Errorf("decompressed once: %d bytes, want the page (%d bytes)", len(got), len(want))
	}
}
