// Package static embeds the platform's CSS, JavaScript and images and serves
// them under content-hashed URLs, so browsers may cache them for a year.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed css js img vendor
var files embed.FS

type asset struct {
	body, gz    []byte
	hash, ctype string
}

var (
	once   sync.Once
	assets map[string]*asset
)

func load() {
	assets = map[string]*asset{}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a := &asset{body: b, hash: hex.EncodeToString(sum[:])[:12], ctype: mime.TypeByExtension(path.Ext(p))}
		switch path.Ext(p) {
		case ".css", ".js", ".svg", ".json", ".webmanifest":
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(b)
			_ = zw.Close()
			a.gz = buf.Bytes()
		}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		if path.Ext(p) == ".webmanifest" {
			a.ctype = "application/manifest+json"
		}
		assets[p] = a
		return nil
	})
}

// URL returns the URL of the asset at name (e.g. "css/app.css") with its
// content hash, or the plain path when the asset does not exist.
func URL(name string) string {
	once.Do(load)
	if a, ok := assets[name]; ok {
		return "/static/" + name + "?v=" + a.hash
	}
	return "/static/" + name
}

// Handler serves the assets below /static/. A request carrying the current
// hash gets a year-long immutable cache; any other is revalidated.
func Handler() http.Handler {
	once.Do(load)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("Vary", "Accept-Encoding")
		h.Set("ETag", `"`+a.hash+`"`)
		if r.URL.Query().Get("v") == a.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=300")
		}
		if r.Header.Get("If-None-Match") == `"`+a.hash+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := a.body
		if a.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = a.gz
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(body)
	})
}

// Read returns the raw bytes of an embedded asset (used by the service worker
// route, which must be served from the site root).
func Read(name string) ([]byte, bool) {
	once.Do(load)
	a, ok := assets[name]
	if !ok {
		return nil, false
	}
	return a.body, true
}
