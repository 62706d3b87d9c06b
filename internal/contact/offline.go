package contact

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/buurtkracht/buurtkracht/web/static"
)

// offlineAssets are the files the service worker keeps for the quick-log
// page when there is no connection.
var offlineAssets = []string{
	"vendor/utrecht/component-library.css", "vendor/voorbeeld/theme.css", "css/app.css", "css/contacts.css",
	"js/app.js", "js/contacts-offline.js", "img/favicon.svg", "img/logo.svg", "img/contacts-icon.svg",
}

var (
	swOnce sync.Once
	swBody []byte
	swETag string
)

// buildServiceWorker prefixes the worker script with the hashed asset URLs;
// the hashes make the script change, and so reinstall, whenever an asset does.
func buildServiceWorker() {
	urls := make([]string, len(offlineAssets))
	for i, a := range offlineAssets {
		urls[i] = static.URL(a)
	}
	list, _ := json.Marshal(urls)
	body, _ := static.Read("js/contacts-sw.js")
	swBody = append([]byte("self.BK_ASSETS = "+string(list)+";\n"), body...)
	sum := sha256.Sum256(swBody)
	swETag = `"` + hex.EncodeToString(sum[:8]) + `"`
}

// ServiceWorker serves the offline worker at /contacten/sw.js, so its scope
// is /contacten/ without extra headers. It holds no personal data and is
// served to anyone; browsers revalidate it on every navigation.
func ServiceWorker(w http.ResponseWriter, r *http.Request) {
	swOnce.Do(buildServiceWorker)
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", swETag)
	if r.Header.Get("If-None-Match") == swETag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(swBody)
}
