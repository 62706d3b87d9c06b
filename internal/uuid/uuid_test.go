package uuid_test

import (
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

func TestNewIsValidVersion4(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		u := uuid.New()
		if !uuid.Valid(u) {
			t.Fatalf("New made %q, which Valid refuses", u)
		}
		if u[14] != '4' || u[19] != '8' && u[19] != '9' && u[19] != 'a' && u[19] != 'b' {
			t.Fatalf("%q: not version 4, variant 10", u)
		}
		if seen[u] {
			t.Fatalf("%q twice", u)
		}
		seen[u] = true
	}
}

func TestValid(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"0b5c4b2e-1f3a-4c5d-8e9f-0123456789ab", true},
		{"00000000-0000-0000-0000-000000000000", true},
		{"0B5C4B2E-1F3A-4C5D-8E9F-0123456789AB", false}, // upper case is not canonical
		{"0b5c4b2e1f3a4c5d8e9f0123456789ab", false},
		{"0b5c4b2e-1f3a-4c5d-8e9f-0123456789a", false},
		{"0b5c4b2e-1f3a-4c5d-8e9f-0123456789abc", false},
		{"0b5c4b2e-1f3a-4c5d-8e9f_0123456789ab", false},
		{"0b5c4b2g-1f3a-4c5d-8e9f-0123456789ab", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := uuid.Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
