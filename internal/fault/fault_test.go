package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

func TestWrapKeepsKindAndIdentity(t *testing.T) {
	errA := fault.Wrap(fault.ErrNotFound, "thing: not found")
	errB := fault.Wrap(fault.ErrNotFound, "other: not found")
	wrapped := fmt.Errorf("load 7: %w", errA)
	cases := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"own sentinel", wrapped, errA, true},
		{"kind", wrapped, fault.ErrNotFound, true},
		{"another feature's sentinel", wrapped, errB, false},
		{"another kind", wrapped, fault.ErrForbidden, false},
	}
	for _, tc := range cases {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is = %v, want %v", tc.name, got, tc.want)
		}
	}
	if errA.Error() != "thing: not found" {
		t.Errorf("message %q", errA.Error())
	}
}

func TestUnavailable(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("boom"), false},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"connection exception", fmt.Errorf("q: %w", &pgconn.PgError{Code: "08006"}), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"closed", errors.New("conn closed"), true},
		{"not found kind", fault.ErrNotFound, false},
	}
	for _, tc := range cases {
		if got := fault.Unavailable(tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
