package app

import (
	"net/http"
	"net/url"
)

// sameSchemeOrigin closes the gap in http.CrossOriginProtection's fallback
// for browsers that send no Sec-Fetch-Site: it then compares only the host
// of the Origin header with the Host header, so a page on http://our-host
// (an attacker on the network can serve one before HSTS is pinned) could
// post to https://our-host with the visitor's cookies. This check runs
// first and refuses such a request when the Origin's scheme is not the
// site's.
//
// The site's scheme is https when the request came over HTTPS (TLS or a
// trusted proxy, see isHTTPS) or BASE_URL is https; plain-HTTP requests to
// an https site come from a proxy not listed in TRUSTED_PROXIES, and the
// browser behind it spoke https. Requests with Sec-Fetch-Site are left to
// CrossOriginProtection: browsers compute that header with the scheme.
func sameSchemeOrigin(httpsSite bool, deny http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if originSchemeDiffers(r, httpsSite) {
				deny.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// originSchemeDiffers reports whether r is a state-changing request whose
// Origin names our host under the other scheme.
func originSchemeDiffers(r *http.Request, httpsSite bool) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	if r.Header.Get("Sec-Fetch-Site") != "" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	o, err := url.Parse(origin)
	if err != nil || o.Host != r.Host {
		return false // a foreign or garbled origin: CrossOriginProtection refuses it
	}
	want := "http"
	if httpsSite || isHTTPS(r) {
		want = "https"
	}
	return o.Scheme != want
}
