package validate

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// FuzzText: every form's text fields go through Text. Whatever comes in,
// an accepted value is trimmed, storable and within the limit, and a refusal
// is one Dutch message on the field.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "  Moestuin  ", "a\x00b", "a\xffb", "regel 1\nregel 2", "\t", strings.Repeat("é", 21), "<script>alert(1)</script>", "\u0085x\u00a0", "\u2028"} {
		f.Add(s, uint8(20), true, false)
		f.Add(s, uint8(5), false, true)
	}
	f.Fuzz(func(t *testing.T, raw string, max uint8, required, multiline bool) {
		errs := Errors{}
		got := errs.Text("veld", raw, Rule{Required: required, Max: int(max), Multiline: multiline})
		if !errs.Has("veld") {
			fuzzcheck.Text(t, "veld", got, int(max), multiline)
			if required && got == "" {
				t.Fatalf("required field accepted empty from %q", raw)
			}
			return
		}
		if len(errs) != 1 {
			t.Fatalf("errors on other fields: %v", errs)
		}
		fuzzcheck.Errors(t, errs, "veld")
	})
}

// FuzzEmail: an accepted address is a plain, storable addr-spec with a dot in
// the domain and at most 254 bytes.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"naam@voorbeeld.nl", " naam@voorbeeld.nl ", "Naam <naam@voorbeeld.nl>", "naam@localhost", "", "a@b.c\x00", "\"a b\"@voorbeeld.nl", "ü@ü.nl", "a@b.nl,c@d.nl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		errs := Errors{}
		got := errs.Email("email", raw)
		if errs.Has("email") {
			fuzzcheck.Errors(t, errs, "email")
			return
		}
		fuzzcheck.Text(t, "email", got, 254, false)
		if len(got) > 254 || !strings.Contains(got, "@") || !strings.Contains(got[strings.LastIndex(got, "@"):], ".") {
			t.Fatalf("accepted %q", got)
		}
		if strings.ContainsAny(got, "<>,") && !strings.HasPrefix(got, "\"") {
			t.Fatalf("accepted a display name or list: %q", got)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("accepted invalid UTF-8 %q", got)
		}
	})
}
