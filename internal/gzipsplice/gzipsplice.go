// Package gzipsplice sends pages whose large middle part was compressed
// once, ahead of time: a Body is rendered and deflated when it is cached,
// and each response compresses only the small page chrome around it and
// splices the cached blocks in between, as one valid gzip member. Most of
// a page's compression work is then done once per cache refresh instead of
// once per request.
//
// A spliced response is already compressed: Write sets Content-Encoding
// before it writes the header, and the compression middleware
// (chi's middleware.Compress, see internal/app/routes.go) leaves any
// response alone that carries a Content-Encoding. Compressing the spliced
// bytes a second time would make the browser show gzip data as the page.
package gzipsplice

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
)

// Body is rendered HTML kept twice: as it is, for answers without gzip,
// and as raw deflate blocks ending in a sync flush (byte-aligned, not
// final), so that more blocks can follow them in the same stream.
type Body struct {
	html     []byte
	deflated []byte
}

// bodyLevel matches the level of the compression middleware for the other pages.
const bodyLevel = flate.BestSpeed

// chromeLevel compresses the few kilobytes of per-request page chrome:
// Huffman coding only, which costs far less CPU than matching for a small
// loss in size.
const chromeLevel = flate.HuffmanOnly

var (
	bodyWriters   = sync.Pool{New: func() any { return newFlateWriter(bodyLevel) }}
	chromeWriters = sync.Pool{New: func() any { return newFlateWriter(chromeLevel) }}
)

func newFlateWriter(level int) *flate.Writer {
	w, err := flate.NewWriter(io.Discard, level)
	if err != nil {
		panic(err) // only for an invalid level constant
	}
	return w
}

// deflate compresses b into out as raw deflate blocks that end
// byte-aligned and not final (a sync flush), ready to be followed by more
// blocks; with final, the last block is final instead.
func deflate(pool *sync.Pool, out *bytes.Buffer, b []byte, final bool) error {
	fw := pool.Get().(*flate.Writer)
	defer pool.Put(fw)
	fw.Reset(out)
	if _, err := fw.Write(b); err != nil {
		return err
	}
	if final {
		return fw.Close()
	}
	return fw.Flush()
}

// Render renders c into a Body.
func Render(ctx context.Context, c templ.Component) (Body, error) {
	var html bytes.Buffer
	if err := c.Render(ctx, &html); err != nil {
		return Body{}, err
	}
	var z bytes.Buffer
	if err := deflate(&bodyWriters, &z, html.Bytes(), false); err != nil {
		return Body{}, err
	}
	return Body{html: html.Bytes(), deflated: z.Bytes()}, nil
}

// Component writes the body's HTML as it is: it is templ output, escaped
// when it was rendered.
func (b Body) Component() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(b.html)
		return err
	})
}

// marker stands in for the body while the page chrome is rendered. All
// text in the chrome is escaped, so "<!--" cannot come from a user.
const marker = "<!--bk-overzicht-inhoud-->"

// AcceptsGzip reports whether the request accepts a gzip response (a gzip
// token without q=0).
func AcceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		k, q, ok := strings.Cut(strings.TrimSpace(params), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			return true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		return err == nil && f > 0
	}
	return false
}

// errNoPlace is returned when page does not render its body argument.
var errNoPlace = errors.New("gzipsplice: the page has no place for the body")

// Write writes the HTML page that page(body) renders with status, as one
// gzip member: page is rendered around a marker, the chrome before and
// after it is compressed now, and the body's compressed blocks come from
// body. Call it only for a request that AcceptsGzip. Nothing is written
// when rendering fails.
func Write(ctx context.Context, w http.ResponseWriter, status int, body Body, page func(body templ.Component) templ.Component) error {
	var buf bytes.Buffer
	if err := page(templ.Raw(marker)).Render(ctx, &buf); err != nil {
		return err
	}
	prefix, suffix, ok := bytes.Cut(buf.Bytes(), []byte(marker))
	if !ok {
		return errNoPlace
	}
	var out bytes.Buffer
	out.Grow(len(body.deflated) + buf.Len()/2 + 64)
	// Header: magic, deflate, no flags, no time, no extra flags, OS unknown.
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	if err := deflate(&chromeWriters, &out, prefix, false); err != nil {
		return err
	}
	out.Write(body.deflated)
	if err := deflate(&chromeWriters, &out, suffix, true); err != nil {
		return err
	}
	// Trailer: CRC-32 and length of the whole uncompressed page.
	crc := crc32.ChecksumIEEE(prefix)
	crc = crc32.Update(crc, crc32.IEEETable, body.html)
	crc = crc32.Update(crc, crc32.IEEETable, suffix)
	out.Write(binary.LittleEndian.AppendUint32(nil, crc))
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(prefix)+len(body.html)+len(suffix))))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Set before WriteHeader: the compression middleware sees it there and
	// passes these already compressed bytes through untouched.
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = out.WriteTo(w)
	return nil
}

// Compressed is a whole answer kept twice: as it is and gzipped, both made
// once (Compress) and sent many times (Write) — a cached page, a JSON answer
// that changes only with its data.
type Compressed struct {
	Plain, Gzip []byte
}

// Compress gzips b at the best compression: it is done once per cached
// answer, so the smallest answer is worth the CPU.
func Compress(b []byte) Compressed {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression) // a valid level: no error
	_, _ = zw.Write(b)
	_ = zw.Close() // writes to memory: no error
	return Compressed{Plain: b, Gzip: z.Bytes()}
}

// Size is the memory both forms take.
func (c Compressed) Size() int { return len(c.Plain) + len(c.Gzip) }

// Write sends the answer with status: gzipped when the request accepts it
// (the compression middleware leaves an answer with Content-Encoding
// alone), with Content-Length and Vary, and without a body to HEAD. The
// caller sets Content-Type.
func (c Compressed) Write(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	body := c.Plain
	if AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = c.Gzip
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
