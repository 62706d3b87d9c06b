// Package account holds users, roles, passwords, sessions and the
// login/registration pages, plus the middleware that loads the viewer and
// guards routes by role.
package account

import (
	"slices"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Account is a user of the platform.
type Account struct {
	ID                  int64
	Email               string
	DisplayName         string
	PasswordHash        string
	Roles               []role.Role
	HomeNeighbourhoodID *int64
	OrganisationID      *int64
	MunicipalityID      *int64
	CreatedAt           time.Time
	LastLoginAt         *time.Time
	PasswordChangedAt   time.Time
	EmailConfirmedAt    *time.Time // nil until the person follows the link in the confirmation mail
}

// Has reports whether the account holds r.
func (a Account) Has(r role.Role) bool {
	return slices.Contains(a.Roles, r)
}

// Errors of the account store. The handlers answer ErrDuplicateEmail
// (registration must not tell that an address is taken) and ErrTokenInvalid
// (a dead reset link has a page of its own) themselves.
var (
	ErrNotFound       = fault.Wrap(fault.ErrNotFound, "account: not found")
	ErrDuplicateEmail = fault.Wrap(fault.ErrConflict, "account: email already registered")
	ErrTokenInvalid   = fault.Wrap(fault.ErrGone, "account: reset token invalid, used or expired")
)
