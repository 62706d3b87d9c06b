// Package apitoken gives community workers personal API tokens for field
// apps: created with a name, a lifetime and the person's password, shown
// once, stored only as a SHA-256 hash, and revocable on the account page.
// A token stops working when it expires, and the account feature ends every
// token of a person whose password changes or who loses a role. Its
// middleware turns a Bearer token into the request's viewer.
package apitoken

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// MaxName is the longest token name, in characters.
const MaxName = 100

// Lifetimes are the choices of how long a new token works, in days: short
// for a borrowed phone, a year at most so no token is forgotten for good.
var Lifetimes = []int{30, 90, 180, 365}

// DefaultLifetime is the lifetime chosen unless the person picks another.
const DefaultLifetime = 90

// prefix marks our tokens, so a leaked one is easy to recognise in a scan.
const prefix = "bk_"

// Errors of the token store.
var (
	ErrNotFound = fault.Wrap(fault.ErrNotFound, "apitoken: not found")
	ErrInvalid  = errors.New("apitoken: unknown, expired or revoked token")
)

// Token is a stored token; the secret itself is never kept.
type Token struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Expired reports whether t no longer works because its lifetime is over.
func (t Token) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// newSecret returns a fresh random token and its hash.
func newSecret() (string, []byte) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	s := prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return s, hash(s)
}

func hash(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// wellFormed reports whether s looks like one of our tokens, so junk is
// refused without a database round trip.
func wellFormed(s string) bool {
	return strings.HasPrefix(s, prefix) && len(s) == len(prefix)+43
}
