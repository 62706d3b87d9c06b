package account

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum of 19 MiB memory, 2 passes, 1 lane.
// This costs about 25 ms here, keeps memory bounded under a login burst and
// still makes offline guessing expensive.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// hashSlots caps how many argon2id computations run at once. A burst of
// logins then queues here instead of starving every other request of CPU
// (and each computation holds 19 MiB).
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

func argonKey(password, salt []byte, t, mem uint32, p uint8, keyLen uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, t, mem, p, keyLen)
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: salt: %w", err)
	}
	key := argonKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("account: malformed password hash")

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got := argonKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an e-mail address is unknown, so a login
// for a missing account takes as long as one for an existing account.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("buurtkracht-timing-equaliser")
	return h
})

//go:embed common_passwords.txt
var commonPasswordsFile []byte

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
})

// PasswordProblem returns a Dutch explanation of why password is not
// acceptable, or "" when it is. email and name are the user's own, which a
// password must not simply repeat.
func PasswordProblem(password, email, name string) string {
	n := utf8.RuneCountInString(password)
	lower := strings.ToLower(password)
	switch {
	case !utf8.ValidString(password) || strings.ContainsRune(password, 0):
		return "Je wachtwoord bevat tekens die we niet kunnen gebruiken."
	case n < MinPasswordLength:
		return fmt.Sprintf("Kies een wachtwoord van minstens %d tekens (nu %d). Een zin van een paar woorden werkt goed.", MinPasswordLength, n)
	case n > 200:
		return "Kies een wachtwoord van hoogstens 200 tekens."
	case commonPasswords()[lower] || allSameRune(password):
		return "Dit wachtwoord komt veel voor en is makkelijk te raden. Kies een ander wachtwoord."
	case repeats(password, email) || repeats(password, strings.SplitN(email, "@", 2)[0]):
		return "Gebruik niet je e-mailadres als wachtwoord."
	case repeats(password, name):
		return "Gebruik niet je naam als wachtwoord."
	}
	return ""
}

// repeats reports whether password is own (a name or address) written
// another way: other capitals, spaces or punctuation ("Anna de Vries",
// "anna-devries!") guess just as easily as the original.
func repeats(password, own string) bool {
	o := lettersAndDigits(own)
	return o != "" && lettersAndDigits(password) == o
}

// lettersAndDigits keeps the letters and digits of s, in lower case.
func lettersAndDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func allSameRune(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}
