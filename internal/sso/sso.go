// Package sso lets professionals sign in with their own organisation's or
// municipality's OpenID Provider (Entra ID, Keycloak, …). An administrator
// links a provider to e-mail domains; a sign-on only logs in to an account
// that already exists with the verified address, and never gives roles:
// those stay assigned in the platform.
package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Provider is one organisation's or municipality's OpenID Provider.
type Provider struct {
	ID             int64
	OrganisationID *int64
	MunicipalityID *int64
	Owner          string // name of the organisation or municipality
	DisplayName    string // shown on the sign-in button
	Issuer         string
	ClientID       string
	// ClientSecret as stored: "env:NAME" or "aesgcm:…" (see Secrets).
	ClientSecret string
	Domains      []string
	// PasswordLogin: accounts in Domains may still log in with a password.
	PasswordLogin bool
	// TrustMFA: the provider enforces its own second factor, so an ID token
	// whose amr claim says so needs no second factor of the platform.
	TrustMFA bool
}

// SecretKind says how a stored secret is kept, for the admin pages (the
// secret itself is never shown back).
func (p Provider) SecretKind() string {
	if name, ok := strings.CutPrefix(p.ClientSecret, envPrefix); ok {
		return "ingesteld (omgevingsvariabele " + name + ")"
	}
	return "ingesteld (versleuteld opgeslagen)"
}

// Errors of the store.
var (
	ErrNotFound    = fault.Wrap(fault.ErrNotFound, "sso: provider not found")
	ErrDomainTaken = fault.Wrap(fault.ErrConflict, "sso: domain belongs to another provider")
)

const (
	envPrefix    = "env:"
	sealedPrefix = "aesgcm:"
)

// envName is what an environment reference may name: only SSO_SECRET_*
// variables (not the key itself), so that an administrator cannot have
// another setting such as DATABASE_URL sent to an issuer of their choice.
var envName = regexp.MustCompile(`^SSO_SECRET_[A-Z0-9_]+$`)

// Secrets seals client secrets with AES-GCM under SSO_SECRET_KEY and opens
// them again; without a key it only accepts environment references.
type Secrets struct {
	aead   cipher.AEAD // nil without a key
	getenv func(string) string
}

// NewSecrets returns Secrets with key (base64 of 32 bytes, or empty).
func NewSecrets(key string, getenv func(string) string) (Secrets, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	s := Secrets{getenv: getenv}
	if key == "" {
		return s, nil
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != 32 {
		return s, errors.New("sso: SSO_SECRET_KEY is not 32 bytes in base64")
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return s, fmt.Errorf("sso: secret key: %w", err)
	}
	s.aead, err = cipher.NewGCM(block)
	if err != nil {
		return s, fmt.Errorf("sso: secret key: %w", err)
	}
	return s, nil
}

// CanSeal reports whether a key is configured.
func (s Secrets) CanSeal() bool { return s.aead != nil }

// Messages of Prepare, shown next to the secret field.
const (
	msgEnvName = "Een verwijzing is env: gevolgd door de naam van een omgevingsvariabele die begint met SSO_SECRET_, bijvoorbeeld env:SSO_SECRET_GEMEENTE_UTRECHT."
	msgNoKey   = "Er is geen sleutel ingesteld (SSO_SECRET_KEY), dus het geheim kan niet versleuteld worden opgeslagen. Zet het in een omgevingsvariabele en vul hier env:SSO_SECRET_… in."
)

// Prepare turns what an administrator typed into the stored form: an
// environment reference as it is, anything else sealed. The error is a
// Dutch message for the form.
func (s Secrets) Prepare(typed string) (string, string) {
	if name, ok := strings.CutPrefix(typed, envPrefix); ok {
		if !envName.MatchString(name) || name == "SSO_SECRET_KEY" {
			return "", msgEnvName
		}
		return typed, ""
	}
	if s.aead == nil {
		return "", msgNoKey
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return sealedPrefix + base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(typed), nil)), ""
}

// Open returns the plain secret of a stored one.
func (s Secrets) Open(stored string) (string, error) {
	if name, ok := strings.CutPrefix(stored, envPrefix); ok {
		v := s.getenv(name)
		if v == "" {
			return "", fmt.Errorf("sso: environment variable %s is empty", name)
		}
		return v, nil
	}
	b64, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return "", errors.New("sso: stored secret has an unknown form")
	}
	if s.aead == nil {
		return "", errors.New("sso: secret is encrypted but SSO_SECRET_KEY is not set")
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errors.New("sso: stored secret is damaged")
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("sso: stored secret does not open with SSO_SECRET_KEY")
	}
	return string(plain), nil
}

// domainPattern is a host name with at least one dot, lower case.
var domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$`)

// ParseDomains reads domains separated by new lines, commas or spaces, with
// or without a leading "@", lower-cased and without duplicates. It returns
// the domains and those that are not valid.
func ParseDomains(text string) (ok, bad []string) {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	for _, f := range fields {
		d := strings.ToLower(strings.TrimPrefix(f, "@"))
		switch {
		case !domainPattern.MatchString(d) || strings.Contains(d, ".."):
			bad = append(bad, f)
		case !slices.Contains(ok, d):
			ok = append(ok, d)
		}
	}
	return ok, bad
}

// DomainOf returns the lower-cased domain of an e-mail address, or "".
func DomainOf(email string) string {
	i := strings.LastIndex(email, "@")
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[i+1:]))
}

// mfaMethods are the amr values (RFC 8176) that mean a second factor was
// used at the provider.
var mfaMethods = []string{"mfa", "otp", "hwk", "swk"}

// MFAAsserted reports whether an ID token's amr claim says the person used
// more than a password.
func MFAAsserted(amr []string) bool {
	for _, m := range amr {
		if slices.Contains(mfaMethods, strings.ToLower(m)) {
			return true
		}
	}
	return false
}
