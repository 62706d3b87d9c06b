package money_test

import (
	"testing"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/money"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"€ 1.250,50", 125050, true},
		{"1250.5", 125050, true},
		{"1250", 125000, true},
		{"1.250", 125000, true},
		{"1250,-", 125000, true},
		{"1.250,50", 125050, true},
		{"€ 75,-", 7500, true},
		{"EUR 3,--", 300, true},
		{"€75", 7500, true},
		{"12,5", 1250, true},
		{"12.50", 1250, true},
		{"0,99", 99, true},
		{"100.000", 10000000, true},
		{"1 250", 125000, true},
		{" 1250 ", 125000, true},
		{"0", 0, true},
		{"", 0, false},
		{"€", 0, false},
		{"-5", 0, false},
		{"- 5", 0, false},
		{"€ -1.250,50", 0, false},
		{"abc", 0, false},
		{"1e5", 0, false},
		{"12,345", 0, false},
		{"1.2.3", 0, false},
		{"1.25.000", 0, false},
		{"12,", 0, false},
		{",50", 0, false},
		{"1,2,3", 0, false},
		{"99999999999999999999", 0, false},
		{"0x10", 0, false},
		{"١٢٣", 0, false},
	}
	for _, tt := range tests {
		cents, ok := money.Parse(tt.in)
		if ok != tt.ok || (ok && cents != tt.cents) {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.in, cents, ok, tt.cents, tt.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for cents, want := range map[int64]string{125050: "€ 1.250,50", 7: "€ 0,07", 0: "€ 0,00", 100000000: "€ 1.000.000,00", -500: "-€ 5,00"} {
		if got := money.Format(cents); got != want {
			t.Errorf("Format(%d) = %q, want %q", cents, got, want)
		}
	}
	if got := money.Input(125050); got != "1250,50" {
		t.Errorf("Input = %q", got)
	}
}

// FuzzParse: whatever is typed, Parse never panics, accepts only
// non-negative cents from valid UTF-8, and an accepted amount written back
// (Format and Input) reads as the same cents.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"€ 1.250,50", "1250.5", "1250", "1.250", "1250,-", "12,5", "EUR 3,--", "0", "-5", "1,2,3", "١٢٣", "99999999999999999999", ",5", "1.", "\x00", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cents, ok := money.Parse(raw)
		if !ok {
			return
		}
		if cents < 0 {
			t.Fatalf("accepted %d cents from %q", cents, raw)
		}
		if !utf8.ValidString(raw) {
			t.Fatalf("accepted invalid UTF-8 %q", raw)
		}
		for _, back := range []string{money.Format(cents), money.Input(cents)} {
			if c, ok := money.Parse(back); !ok || c != cents {
				t.Fatalf("%q gave %d cents, but %q reads back as %d, %v", raw, cents, back, c, ok)
			}
		}
	})
}
