package layout

import "testing"

func TestCurrent(t *testing.T) {
	nav := []NavItem{{Href: "/buurten/BU03440201"}, {Href: "/buurten"}, {Href: "/initiatieven"}, {Href: "/account"}}
	tests := []struct {
		path string
		want string // the one current href, "" for none
	}{
		{"/buurten/BU03440201", "/buurten/BU03440201"},
		{"/buurten/BU03440201/wie-kan-helpen", "/buurten/BU03440201"},
		{"/buurten/BU03440202", "/buurten"},
		{"/buurten", "/buurten"},
		{"/initiatieven/3", "/initiatieven"},
		{"/initiatievenlijst", ""},
		{"/account/email", "/account"},
		{"/", ""},
	}
	for _, tc := range tests {
		p := Page{Path: tc.path, Nav: nav}
		got := ""
		for _, n := range nav {
			if p.Current(n) {
				if got != "" {
					t.Errorf("%s: both %s and %s current", tc.path, got, n.Href)
				}
				got = n.Href
			}
		}
		if got != tc.want {
			t.Errorf("%s: current %q, want %q", tc.path, got, tc.want)
		}
	}
}
