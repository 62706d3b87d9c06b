package app

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// behindProxies sets r.RemoteAddr to the client's address as the trusted
// reverse proxies report it in X-Forwarded-For, so the rate limits count
// people rather than the proxy (behind a proxy every visitor would otherwise
// share one address and one login allowance), and notes whether the proxy
// received the request over HTTPS (X-Forwarded-Proto; see isHTTPS). A
// request that does not come from a trusted proxy keeps its connection
// address and scheme: anyone can send the headers. With no trusted proxies
// configured this is a no-op.
func behindProxies(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if len(trusted) == 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			peer, ok := parseHost(r.RemoteAddr)
			if !ok || !isTrusted(peer, trusted) {
				next.ServeHTTP(w, r)
				return
			}
			if forwardedHTTPS(r.Header.Values("X-Forwarded-Proto")) {
				r = r.WithContext(context.WithValue(r.Context(), viaHTTPSKey{}, true))
			}
			if client, ok := forwardedClient(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), trusted); ok {
				r2 := *r
				r2.RemoteAddr = net.JoinHostPort(client.String(), "0")
				r = &r2
			}
			next.ServeHTTP(w, r)
		})
	}
}

// viaHTTPSKey marks a request that a trusted proxy received over HTTPS.
type viaHTTPSKey struct{}

// forwardedHTTPS reads X-Forwarded-Proto as set by the trusted proxy. Proxies
// set it (nginx's proxy_set_header, load balancers); should one append
// instead, the last value is the one written by the proxy nearest to us, as
// with X-Forwarded-For, and anything to its left may come from the client.
func forwardedHTTPS(values []string) bool {
	if len(values) == 0 {
		return false
	}
	last := values[len(values)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}

// isHTTPS reports whether the request reached us over HTTPS: directly over
// TLS, or through a trusted proxy that says so.
func isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	via, _ := r.Context().Value(viaHTTPSKey{}).(bool)
	return via
}

// forwardedClient returns the client address for a request from remote
// carrying the X-Forwarded-For values xff. Each proxy appends the address it
// received the request from, so the list is read from the right: the first
// address that is not a trusted proxy is the client. Anything to its left
// was written by the client itself and is ignored. ok is false when remote
// is not a trusted proxy or the header holds no usable address.
func forwardedClient(remote string, xff []string, trusted []netip.Prefix) (netip.Addr, bool) {
	peer, ok := parseHost(remote)
	if !ok || !isTrusted(peer, trusted) {
		return netip.Addr{}, false
	}
	var hops []string
	for _, v := range xff {
		hops = append(hops, strings.Split(v, ",")...)
	}
	var last netip.Addr // the leftmost trusted hop seen so far
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHost(strings.TrimSpace(hops[i]))
		if !ok {
			// A garbled entry: nothing left of it can be trusted.
			break
		}
		if !isTrusted(a, trusted) {
			return a, true
		}
		last = a
	}
	return last, last.IsValid()
}

// parseHost reads an address with or without a port ("[::1]:80", "1.2.3.4").
func parseHost(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
