package validate

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in  string
		required  bool
		max       int
		multiline bool
		want      string
		wantErr   string
	}{
		{name: "trimmed", in: "  Moestuin  ", required: true, max: 20, want: "Moestuin"},
		{name: "required empty", in: "   ", required: true, max: 20, wantErr: "Vul dit veld in."},
		{name: "optional empty", in: "", max: 20, want: ""},
		{name: "too long counts characters", in: strings.Repeat("é", 21), max: 20, wantErr: "hoogstens 20 tekens (nu 21)"},
		{name: "exactly max", in: strings.Repeat("é", 20), max: 20, want: strings.Repeat("é", 20)},
		{name: "nul byte", in: "a\x00b", max: 20, wantErr: "tekens die we niet kunnen opslaan"},
		{name: "invalid utf8", in: "a\xffb", max: 20, wantErr: "tekens die we niet kunnen opslaan"},
		{name: "newline single line", in: "a\nb", max: 20, wantErr: "tekens die we niet kunnen opslaan"},
		{name: "newline multiline", in: "a\nb", max: 20, multiline: true, want: "a\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Errors{}
			got := e.Text("f", tt.in, Rule{Required: tt.required, Max: tt.max, Multiline: tt.multiline})
			if tt.wantErr != "" {
				if !strings.Contains(e.Get("f"), tt.wantErr) {
					t.Fatalf("error = %q, want %q", e.Get("f"), tt.wantErr)
				}
				return
			}
			if !e.Valid() || got != tt.want {
				t.Fatalf("got %q, errors %v", got, e)
			}
		})
	}
}

func TestEmail(t *testing.T) {
	for in, ok := range map[string]bool{
		"anna@example.nl":        true,
		" Anna@Example.NL ":      true,
		"anna":                   false,
		"anna@localhost":         false,
		"Anna <anna@example.nl>": false,
		"":                       false,
		"a@b\x00.nl":             false,
	} {
		e := Errors{}
		e.Email("email", in)
		if e.Valid() != ok {
			t.Errorf("Email(%q) valid=%v, want %v (%v)", in, e.Valid(), ok, e)
		}
	}
}

func TestAddKeepsFirst(t *testing.T) {
	e := Errors{}
	e.Add("f", "eerste")
	e.Add("f", "tweede")
	if e.Get("f") != "eerste" {
		t.Fatalf("got %q", e.Get("f"))
	}
}
