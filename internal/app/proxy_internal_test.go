package app

import (
	"net/netip"
	"testing"
)

func TestForwardedClient(t *testing.T) {
	t.Parallel()
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/64")}
	tests := []struct {
		name   string
		remote string
		xff    []string
		want   string // "" = keep the connection's address
	}{
		{"direct visitor: header ignored", "203.0.113.7:5555", []string{"198.51.100.1"}, ""},
		{"one proxy", "10.0.0.2:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client-written entries left of the client are ignored", "10.0.0.2:443", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"two proxies", "10.0.0.2:443", []string{"198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"header split over lines", "10.0.0.2:443", []string{"6.6.6.6", "198.51.100.1", "10.0.0.9"}, "198.51.100.1"},
		{"spaces and a port", "10.0.0.2:443", []string{" 198.51.100.1:61000 ,10.0.0.9 "}, "198.51.100.1"},
		{"IPv6 client through an IPv6 proxy", "[fd00::3]:443", []string{"2001:db8::42"}, "2001:db8::42"},
		{"IPv4-mapped proxy address", "[::ffff:10.0.0.2]:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"proxy without header", "10.0.0.2:443", nil, ""},
		{"only proxies in the chain", "10.0.0.2:443", []string{"10.0.0.8, 10.0.0.9"}, "10.0.0.8"},
		{"garbage right of the client stops the walk", "10.0.0.2:443", []string{"198.51.100.1, onzin"}, ""},
		{"garbage left of a trusted hop", "10.0.0.2:443", []string{"onzin, 10.0.0.9"}, "10.0.0.9"},
		{"unparsable remote", "@", []string{"198.51.100.1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := forwardedClient(tt.remote, tt.xff, trusted)
			switch {
			case tt.want == "" && ok:
				t.Errorf("got %s, want the connection's address kept", got)
			case tt.want != "" && (!ok || got.String() != tt.want):
				t.Errorf("got %s (%v), want %s", got, ok, tt.want)
			}
		})
	}
}
