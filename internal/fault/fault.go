// Package fault names the few kinds of failure every feature shares, so a
// store can say "not found" once and the HTTP layer (httpx.Error) can turn
// it into a page or a JSON answer in one place. Features wrap a kind with
// their own words:
//
//	var ErrNotFound = fault.Wrap(fault.ErrNotFound, "contact: not found")
//
// and errors.Is(err, fault.ErrNotFound) holds for it and anything wrapping it.
// The package imports nothing of ours: stores, handlers and httpx all
// depend on it, it depends on none of them.
package fault

import (
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// The kinds. Each maps to one HTTP status in httpx.
var (
	// ErrNotFound: the thing does not exist, or the viewer may not know it
	// exists (404).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: it exists and the viewer knows, but may not do this (403).
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the request clashes with the current state, e.g. it was
	// changed meanwhile or already decided (409).
	ErrConflict = errors.New("conflict")
	// ErrGone: it existed but has expired or been withdrawn (410).
	ErrGone = errors.New("gone")
	// ErrInvalid: the request cannot be understood as sent (400). Form
	// errors a person can correct are not this: they get the form again (422).
	ErrInvalid = errors.New("invalid request")
)

// kindError is a feature's own error of a kind: it reads as msg and
// unwraps to the kind.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// Wrap returns a new sentinel error reading msg that is of kind, for a
// feature's own errors (compare with errors.Is as usual).
func Wrap(kind error, msg string) error { return &kindError{kind: kind, msg: msg} }

// Unavailable reports whether err means the database could not be reached
// (connection refused or lost, server shutting down): the platform answers
// 503 and recovers by itself once it is back.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "connection reset")
}
