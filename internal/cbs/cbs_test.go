package cbs_test

import (
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
)

func TestCodes(t *testing.T) {
	cases := []struct {
		in         string
		gm, wk, bu bool
	}{
		{"GM0344", true, false, false},
		{"WK034401", false, true, false},
		{"BU03440112", false, false, true},
		{"gm0344", false, false, false},
		{"GM344", false, false, false},
		{"GM03440", false, false, false},
		{"WK03440", false, false, false},
		{"BU0344011", false, false, false},
		{"BU0344011x", false, false, false},
		{"BU03440112 ", false, false, false},
		{"BU０3440112", false, false, false}, // a full-width digit
		{"", false, false, false},
	}
	for _, tc := range cases {
		if got := cbs.IsMunicipality(tc.in); got != tc.gm {
			t.Errorf("IsMunicipality(%q) = %v", tc.in, got)
		}
		if got := cbs.IsDistrict(tc.in); got != tc.wk {
			t.Errorf("IsDistrict(%q) = %v", tc.in, got)
		}
		if got := cbs.IsNeighbourhood(tc.in); got != tc.bu {
			t.Errorf("IsNeighbourhood(%q) = %v", tc.in, got)
		}
	}
}
