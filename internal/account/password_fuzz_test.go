package account

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// FuzzPasswordProblem: the password policy of registration, reset and change
// never panics, accepts only usable passwords within the length limits and
// explains every refusal in Dutch.
func FuzzPasswordProblem(f *testing.F) {
	for _, s := range [][3]string{
		{"lange zin met woorden", "naam@voorbeeld.nl", "Naam"},
		{"kort", "", ""},
		{"wachtwoord", "", ""},
		{"aaaaaaaaaaaaaaaaaaaa", "", ""},
		{"naam@voorbeeld.nl", "naam@voorbeeld.nl", ""},
		{"Jan de Vries", "jan@voorbeeld.nl", "Jan de Vries"},
		{"abc\x00defghijklmnop", "", ""},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4", "", ""},
		{strings.Repeat("ab", 101), "", ""},
		{"éééééééééééé", "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, password, email, name string) {
		msg := PasswordProblem(password, email, name)
		if msg != "" {
			fuzzcheck.Message(t, "password", msg)
			return
		}
		n := utf8.RuneCountInString(password)
		if !utf8.ValidString(password) || strings.ContainsRune(password, 0) || n < MinPasswordLength || n > 200 {
			t.Fatalf("accepted password %q (%d characters)", password, n)
		}
		if email != "" && strings.EqualFold(password, email) {
			t.Fatalf("accepted the e-mail address %q as password", email)
		}
	})
}

// FuzzPageParam: ?pagina= of the admin lists is always a page from 1 to
// 100,000, whatever is typed in the address bar.
func FuzzPageParam(f *testing.F) {
	for _, s := range []string{"pagina=2", "pagina=0", "pagina=-1", "pagina=99999999999999999999", "pagina=1e3", "pagina=%00", "pagina=2&pagina=3", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		n := pageParam(q)
		if n < 1 || n > 100_000 {
			t.Fatalf("page %d from %q", n, raw)
		}
		if p := newPager("/beheer/accounts", q, n, 25); p.Offset() < 0 {
			t.Fatalf("negative offset from %q", raw)
		}
	})
}
