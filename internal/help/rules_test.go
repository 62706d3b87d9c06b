package help

import "testing"

func TestHasContactDetails(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"Bel me op 06-12345678":                  true,
		"bel 0612345678 na zessen":               true,
		"030 123 45 67":                          true,
		"+31 6 12345678":                         true,
		"mail anna@example.nl":                   true,
		"Wie helpt zaterdag 3 uur met 2 kasten?": false,
		"Ik woon op nummer 12, bij de 3e boom":   false,
		"Postcode 3531 AB":                       false,
		"Ik ben 80 jaar en loop slecht":          false,
		"Tussen 10 en 12 uur, 14-12-2026":        false,
	} {
		if got := HasContactDetails(text); got != want {
			t.Errorf("HasContactDetails(%q) = %v, want %v", text, got, want)
		}
	}
}
