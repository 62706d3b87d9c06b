package overview

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
)

// renderedBody is the cached HTML of overviewBody or drillBody, also kept compressed:
// raw deflate blocks ending in a sync flush, so a response can splice them
// between the compressed page chrome before and after it. Most of a page's
// compression work is then done once per table refresh instead of per
// request.
type renderedBody struct {
	html     []byte
	deflated []byte
}

// gzipLevel matches the level of the compression middleware for the other pages.
const gzipLevel = flate.BestSpeed

// chromeLevel compresses the few kilobytes of per-request page chrome:
// Huffman coding only, which costs far less CPU than matching for a small
// loss in size.
const chromeLevel = flate.HuffmanOnly

var (
	flateWriters  = sync.Pool{New: func() any { return newFlateWriter(gzipLevel) }}
	chromeWriters = sync.Pool{New: func() any { return newFlateWriter(chromeLevel) }}
)

func newFlateWriter(level int) *flate.Writer {
	w, err := flate.NewWriter(io.Discard, level)
	if err != nil {
		panic(err) // only for an invalid level constant
	}
	return w
}

// deflateFlushed compresses b as raw deflate blocks that end byte-aligned
// and not final (a sync flush), ready to be followed by more blocks; with
// final, the last block is final instead.
func deflateFlushed(out *bytes.Buffer, b []byte, final bool) error {
	return deflateWith(&flateWriters, out, b, final)
}

func deflateWith(pool *sync.Pool, out *bytes.Buffer, b []byte, final bool) error {
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

// renderBody renders c (overviewBody or drillBody) for the cache.
func renderBody(ctx context.Context, c templ.Component) (renderedBody, error) {
	var html bytes.Buffer
	if err := c.Render(ctx, &html); err != nil {
		return renderedBody{}, err
	}
	var z bytes.Buffer
	if err := deflateFlushed(&z, html.Bytes(), false); err != nil {
		return renderedBody{}, err
	}
	return renderedBody{html: html.Bytes(), deflated: z.Bytes()}, nil
}

// component writes the cached HTML as it is: it is our own templ output,
// escaped when it was rendered.
func (b renderedBody) component() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(b.html)
		return err
	})
}

// bodyMarker stands in for the body while the page chrome is rendered. All
// text in the chrome is escaped, so "<!--" cannot come from a user.
const bodyMarker = "<!--bk-overzicht-inhoud-->"

// acceptsGzip reports whether the request accepts a gzip response (a gzip
// token without q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
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

// writeGzipPage writes page (the chrome rendered around bodyMarker) with
// the body in its place as one gzip member: the chrome before and after the
// body is compressed now, the body's compressed blocks come from the cache.
// It reports false (and writes nothing) when page holds no marker.
func writeGzipPage(w http.ResponseWriter, status int, page []byte, body renderedBody) (bool, error) {
	prefix, suffix, ok := bytes.Cut(page, []byte(bodyMarker))
	if !ok {
		return false, nil
	}
	var out bytes.Buffer
	out.Grow(len(body.deflated) + len(page)/2 + 64)
	// Header: magic, deflate, no flags, no time, no extra flags, OS unknown.
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	if err := deflateWith(&chromeWriters, &out, prefix, false); err != nil {
		return false, err
	}
	out.Write(body.deflated)
	if err := deflateWith(&chromeWriters, &out, suffix, true); err != nil {
		return false, err
	}
	crc := crc32.ChecksumIEEE(prefix)
	crc = crc32.Update(crc, crc32.IEEETable, body.html)
	crc = crc32.Update(crc, crc32.IEEETable, suffix)
	out.Write(binary.LittleEndian.AppendUint32(nil, crc))
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(prefix)+len(body.html)+len(suffix))))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = out.WriteTo(w)
	return true, nil
}
