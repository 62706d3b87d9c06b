package role_test

import (
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want role.Role
		ok   bool
	}{
		{"resident", role.Resident, true},
		{"bewoner", role.Resident, true},
		{"opbouwwerker", role.Worker, true},
		{"officer", role.Officer, true},
		{"gemeente", role.Officer, true},
		{"beheerder", role.Admin, true},
		{"Admin", "", false},
		{"", "", false},
		{"burgemeester", "", false},
	}
	for _, tc := range cases {
		got, ok := role.Parse(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for _, r := range role.All {
		if back, ok := role.Parse(role.Label(r)); !ok || back != r {
			t.Errorf("Label(%q) = %q does not parse back", r, role.Label(r))
		}
	}
}
