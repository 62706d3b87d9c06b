package fund

import "testing"

func TestFollowUpParseEuro(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"1250", 125000, true},
		{"€ 1.250,50", 125050, true},
		{"1250.5", 125050, true},
		{"1250,5", 125050, true},
		{"1.250", 125000, true},
		{"€ 75,-", 7500, true},
		{"0,99", 99, true},
		{"1 250", 125000, true},
		{"0", 0, true}, // parsed; the handler refuses zero
		{"", 0, false},
		{"-5", 0, false},
		{"abc", 0, false},
		{"12,", 0, false},
		{",50", 0, false},
		{"12,345", 0, false},
		{"1.2.3", 0, false},
		{"1.25.000", 0, false},
		{"1e5", 0, false},
		{"99999999999999999999", 0, false},
	} {
		cents, ok := followUpParseEuro(tt.in)
		if ok != tt.ok || (ok && cents != tt.cents) {
			t.Errorf("followUpParseEuro(%q) = %d, %v; want %d, %v", tt.in, cents, ok, tt.cents, tt.ok)
		}
	}
	for cents, want := range map[int64]string{125050: "€ 1.250,50", 7: "€ 0,07", 100000: "€ 1.000"} {
		if got := followUpEuro(cents); got != want {
			t.Errorf("followUpEuro(%d) = %q, want %q", cents, got, want)
		}
	}
	for cents, want := range map[int64]string{125050: "1250,50", 7: "0,07", 100000: "1000,00"} {
		if got := followUpCSVAmount(cents); got != want {
			t.Errorf("followUpCSVAmount(%d) = %q, want %q", cents, got, want)
		}
	}
}
