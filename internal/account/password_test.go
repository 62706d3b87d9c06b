package account

import (
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("lange-zin met spaties")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	h2, _ := HashPassword("lange-zin met spaties")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for pw, want := range map[string]bool{"lange-zin met spaties": true, "lange-zin met spaties ": false, "": false} {
		ok, err := CheckPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := CheckPassword("$2a$10$notargon", "x"); err == nil {
		t.Error("malformed hash accepted")
	}
}

func TestPasswordProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pw, email, name string
		want            string // substring of the message, "" for acceptable
	}{
		{pw: "korter", want: "minstens 10 tekens (nu 6)"},
		{pw: "wachtwoord123", want: "komt veel voor"},
		{pw: "WACHTWOORD123", want: "komt veel voor"},
		{pw: "aaaaaaaaaaaa", want: "komt veel voor"},
		{pw: "anna.devries", email: "anna.devries@example.nl", want: "e-mailadres"},
		{pw: "annadevries", name: "Anna de Vries", want: "naam"},
		{pw: "Anna de Vries", name: "Anna de Vries", want: "naam"},
		{pw: "anna-de-vries!", name: "Anna de Vries", want: "naam"},
		{pw: " ANNA.DEVRIES@EXAMPLE.NL ", email: "anna.devries@example.nl", want: "e-mailadres"},
		{pw: "anna devries", email: "anna.devries@example.nl", want: "e-mailadres"},
		{pw: "anna de vries en zo", name: "Anna de Vries", want: ""},
		{pw: "paarse-fiets-op-dak", name: "!!!", want: ""},
		{pw: strings.Repeat("x", 201) + "y", want: "hoogstens 200"},
		{pw: "fiets\x00sleutel", want: "tekens die we niet"},
		{pw: "paarse-fiets-op-dak", want: ""},
		{pw: "élévé ünïcödé", want: ""},
	}
	for _, tt := range tests {
		got := PasswordProblem(tt.pw, tt.email, tt.name)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("PasswordProblem(%q) = %q, want %q", tt.pw, got, tt.want)
		}
	}
}
