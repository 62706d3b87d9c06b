// Package uuid makes and checks the random UUIDs the platform uses as
// idempotency keys of forms and offline entries: a double submit or a
// replayed sync carries the same key, and a unique index turns it into
// one row. Only version 4 in canonical lower-case form is made or accepted.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
)

// New returns a random UUID (version 4, RFC 9562) in canonical form.
func New() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// Valid reports whether s is a UUID in canonical lower-case form
// (8-4-4-4-12 hexadecimal digits). It checks the shape only: keys made by
// offline clients need not be version 4.
func Valid(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}
