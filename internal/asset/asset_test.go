package asset

import (
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/validate"
)

func TestTrimIkKan(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Ik kan fietsen repareren": "fietsen repareren",
		"ik kan: koken":            "koken",
		"IK KAN… zingen…":          "zingen",
		"Ik kan":                   "",
		"Ik kantoorwerk doen":      "Ik kantoorwerk doen",
		"koken":                    "koken",
	}
	for in, want := range tests {
		if got := trimIkKan(in); got != want {
			t.Errorf("trimIkKan(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirstName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Fatima El Amrani": "Fatima",
		"  Henk ":          "Henk",
		"jan@example.nl":   msgAResident,
		"":                 msgAResident,
	}
	for in, want := range tests {
		if got := FirstName(in); got != want {
			t.Errorf("FirstName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContactChecks(t *testing.T) {
	t.Parallel()
	phones := map[string]bool{"030 123 45 67": true, "+31 (0)30-1234567": true, "": true, "123": false,
		"030 123 45 67 ext": false, "٠٣٠١٢٣٤٥٦٧٨": false}
	for in, want := range phones {
		if got := validPhone(in); got != want {
			t.Errorf("validPhone(%q) = %v", in, got)
		}
	}
	sites := map[string]string{"www.deboog.nl": "https://www.deboog.nl", "http://x.nl/a?b=c": "http://x.nl/a?b=c",
		"javascript:alert(1)": "", "https://user:pw@x.nl": "", "localhost": "", "https://a.nl/\"onmouseover": ""}
	for in, want := range sites {
		got, ok := normaliseWebsite(in)
		if ok != (want != "") || got != want {
			t.Errorf("normaliseWebsite(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestValidateKeepsNeedsCanonical(t *testing.T) {
	t.Parallel()
	f := Form{Kind: Network, Name: "Club", Neighbourhood: "BU03440111", Needs: []Need{"kennis", "ruimte", "kennis"}}
	errs := validate.Errors{}
	in := f.Validate(errs)
	if !errs.Valid() {
		t.Fatalf("errors: %v", errs)
	}
	if len(in.Needs) != 2 || in.Needs[0] != "ruimte" || in.Needs[1] != "kennis" || in.Visibility != Public {
		t.Fatalf("input = %+v", in)
	}
}
