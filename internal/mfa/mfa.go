// Package mfa is the second factor of a login: TOTP codes from an
// authenticator app with single-use recovery codes, passkeys (WebAuthn,
// also for a login without password), the second step after
// the password, the enforcement for roles that must use it
// (REQUIRE_2FA_ROLES), and "Mijn sessies", where a person sees and ends
// the sessions of their account.
package mfa

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Issuer is the name the authenticator app shows above the codes.
const Issuer = "Buurtkracht"

// RecoveryCodeCount is how many recovery codes a person gets at a time.
const RecoveryCodeCount = 10

// period is the TOTP time step in seconds (RFC 6238's default, and what
// every app assumes).
const period = 30

// Errors of the store.
var (
	ErrNotEnabled     = fault.Wrap(fault.ErrNotFound, "mfa: two-factor not enabled")
	ErrAlreadyEnabled = fault.Wrap(fault.ErrConflict, "mfa: two-factor already enabled")
	ErrNoSession      = fault.Wrap(fault.ErrNotFound, "mfa: no such session")
)

// opts are the code settings of every key: six digits, SHA-1, 30 seconds.
// Skew is 0 because MatchStep tries the neighbouring steps itself, to learn
// which one matched.
var opts = totp.ValidateOpts{Period: period, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a fresh random TOTP secret (base32, 160 bits) for email.
func NewSecret(email string) (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: email, Period: period})
	if err != nil {
		return "", fmt.Errorf("mfa: generate secret: %w", err)
	}
	return key.Secret(), nil
}

// Key is the otpauth:// key of secret for email, as the QR code carries it.
func Key(secret, email string) (*otp.Key, error) {
	raw, err := b32.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("mfa: secret is not base32: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: email, Period: period, Secret: raw})
	if err != nil {
		return nil, fmt.Errorf("mfa: key: %w", err)
	}
	return key, nil
}

// GroupSecret writes secret in groups of four, for typing it over.
func GroupSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IsTOTPCode reports whether input looks like a code from the app (six
// digits, spaces allowed) rather than a recovery code.
func IsTOTPCode(input string) bool {
	c := strings.ReplaceAll(strings.TrimSpace(input), " ", "")
	if len(c) != 6 {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MatchStep returns the time step in which code is valid for secret at now.
// It accepts the step before and after the current one too (a phone's clock
// may be half a minute off, and typing takes time). The caller refuses a
// step at or before the last one used, so a code works once.
func MatchStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if !IsTOTPCode(code) {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(d*period) * time.Second)
		ok, err := totp.ValidateCustom(code, secret, at, opts)
		if err == nil && ok {
			return at.Unix() / period, true
		}
	}
	return 0, false
}

// Code returns the code of secret at t (tests and the e2e test compute
// codes as an app would).
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, opts)
}

// recoveryAlphabet is Crockford's base32 in lower case: no i, l, o or u,
// so nothing reads as another character.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewRecoveryCodes returns RecoveryCodeCount codes of 16 characters (80
// random bits each), written as four groups of four.
func NewRecoveryCodes() ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	buf := make([]byte, 16)
	for i := range codes {
		if _, err := rand.Read(buf); err != nil {
			return nil, fmt.Errorf("mfa: random recovery code: %w", err)
		}
		var b strings.Builder
		for j, x := range buf {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[x&31])
		}
		codes[i] = b.String()
	}
	return codes, nil
}

// normaliseRecovery takes a recovery code as typed: any case, with or
// without dashes and spaces, i/l read as 1 and o as 0.
func normaliseRecovery(input string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(input) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'i', 'l':
			r = '1'
		case 'o':
			r = '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HashRecoveryCode is what the store keeps of a recovery code: SHA-256 of
// the account id and the normalised code. A slow hash such as argon2id
// adds nothing here: the codes are 80 random bits, not chosen by people,
// so guessing one from its hash is out of reach anyway, and a fast hash
// lets the check be one indexed lookup. The account id keeps one hash from
// matching another account's code.
func HashRecoveryCode(accountID int64, input string) []byte {
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(accountID, 10) + ":"))
	h.Write([]byte(normaliseRecovery(input)))
	return h.Sum(nil)
}

// devKey is the key when MFA_KEY is empty (development and tests only;
// config.Validate requires MFA_KEY in production).
var devKey = sha256.Sum256([]byte("buurtkracht: development MFA key, never for production"))

// Sealer encrypts TOTP secrets with AES-256-GCM. Its key comes from MFA_KEY,
// an environment variable, rather than from the database (as the link
// signing keys do): a database dump or backup alone then does not give
// anyone the secrets. Each ciphertext is bound to its account id.
type Sealer struct{ aead cipher.AEAD }

// NewSealer returns a sealer for MFA_KEY (base64 of 32 bytes; empty means
// the development key).
func NewSealer(mfaKey string) (*Sealer, error) {
	master := devKey[:]
	if mfaKey != "" {
		k, err := base64.StdEncoding.DecodeString(mfaKey)
		if err != nil || len(k) != 32 {
			return nil, errors.New("mfa: MFA_KEY is not base64 of 32 bytes")
		}
		master = k
	}
	// A key of its own for this one use, should MFA_KEY ever serve another.
	key, err := hkdf.Key(sha256.New, master, nil, "buurtkracht mfa totp secret", 32)
	if err != nil {
		return nil, fmt.Errorf("mfa: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("mfa: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("mfa: gcm: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

func associated(accountID int64) []byte {
	return binary.BigEndian.AppendUint64([]byte("mfa-totp:"), uint64(accountID))
}

// Seal encrypts secret for accountID: a random nonce followed by the ciphertext.
func (s *Sealer) Seal(accountID int64, secret string) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("mfa: nonce: %w", err)
	}
	return s.aead.Seal(nonce, nonce, []byte(secret), associated(accountID)), nil
}

// Open decrypts what Seal made for accountID.
func (s *Sealer) Open(accountID int64, sealed []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("mfa: sealed secret too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], associated(accountID))
	if err != nil {
		return "", fmt.Errorf("mfa: open secret of %d (was MFA_KEY changed?): %w", accountID, err)
	}
	return string(plain), nil
}
