// Package signedlink makes and checks the tokens in links that must work
// without a session: unsubscribe from a category, confirm an e-mail address.
// A token is its payload, an expiry and an HMAC-SHA256 over both and the
// purpose, so a token made for one purpose is refused for any other. The key
// lives in the database (signing_keys), made by the first instance that
// needs it, so every instance accepts every other's links.
package signedlink

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Errors of Verify. Callers show a Dutch page for each (Refusal); neither
// says anything about an account.
var (
	ErrInvalid = fault.Wrap(fault.ErrNotFound, "signedlink: invalid token")
	ErrExpired = fault.Wrap(fault.ErrGone, "signedlink: token expired")
)

// Signer makes and checks tokens with the platform's key.
type Signer struct {
	db   *pgxpool.Pool
	mu   sync.Mutex
	keys map[string][]byte
}

// New returns a Signer whose keys live in db.
func New(db *pgxpool.Pool) *Signer { return &Signer{db: db, keys: map[string][]byte{}} }

// key returns the key of purpose, creating it on first use. Two instances
// racing both insert; ON CONFLICT keeps the first and both read it back.
func (s *Signer) key(ctx context.Context, purpose string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[purpose]; ok {
		return k, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("signedlink: random key: %w", err)
	}
	var k []byte
	err := s.db.QueryRow(ctx, `
		WITH ins AS (INSERT INTO signing_keys (purpose, key) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING RETURNING key)
		SELECT key FROM ins UNION ALL SELECT key FROM signing_keys WHERE purpose = $1 LIMIT 1`, purpose, fresh).Scan(&k)
	if err != nil {
		return nil, fmt.Errorf("signedlink: key %s: %w", purpose, err)
	}
	s.keys[purpose] = k
	return k, nil
}

var enc = base64.RawURLEncoding

// Sign returns a URL-safe token for payload (which must not contain '.')
// that Verify accepts for purpose until expires.
func (s *Signer) Sign(ctx context.Context, purpose, payload string, expires time.Time) (string, error) {
	if strings.Contains(payload, ".") {
		return "", fmt.Errorf("signedlink: payload %q contains '.'", payload)
	}
	k, err := s.key(ctx, purpose)
	if err != nil {
		return "", err
	}
	body := enc.EncodeToString([]byte(payload)) + "." + strconv.FormatInt(expires.Unix(), 36)
	return body + "." + enc.EncodeToString(mac(k, purpose, body)), nil
}

// Verify returns the payload of a token made by Sign for purpose. A token
// whose signature does not match gives ErrInvalid; a genuine one past its
// expiry ErrExpired.
func (s *Signer) Verify(ctx context.Context, purpose, token string, now time.Time) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(token) > 512 {
		return "", ErrInvalid
	}
	sig, err := enc.DecodeString(parts[2])
	if err != nil {
		return "", ErrInvalid
	}
	k, err := s.key(ctx, purpose)
	if err != nil {
		return "", err
	}
	body := parts[0] + "." + parts[1]
	if !hmac.Equal(sig, mac(k, purpose, body)) {
		return "", ErrInvalid
	}
	payload, err := enc.DecodeString(parts[0])
	if err != nil {
		return "", ErrInvalid
	}
	exp, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil {
		return "", ErrInvalid
	}
	if now.Unix() > exp {
		return "", ErrExpired
	}
	return string(payload), nil
}

// Refusal says how a page answers a link that Verify refused: 410 Gone for
// an expired one, 404 for any other (following a link never answers "bad
// request"). ok is false when err is not a refusal (the database failed).
func Refusal(err error) (status int, expired, ok bool) {
	switch {
	case errors.Is(err, ErrExpired):
		return http.StatusGone, true, true
	case errors.Is(err, ErrInvalid):
		return http.StatusNotFound, false, true
	}
	return 0, false, false
}

func mac(key []byte, purpose, body string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return h.Sum(nil)
}
