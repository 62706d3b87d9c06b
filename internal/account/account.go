// Package account holds users, roles, passwords, sessions and the
// login/registration pages, plus the middleware that loads the viewer and
// guards routes by role.
package account

import (
	"errors"
	"time"
)

// Role is one of the four roles of DOMAIN.md.
type Role = string

// The roles. Every account is a resident; an administrator adds the others.
const (
	Resident Role = "resident"
	Worker   Role = "worker"
	Officer  Role = "officer"
	Admin    Role = "admin"
)

// AllRoles lists the roles in the order they are shown.
var AllRoles = []Role{Resident, Worker, Officer, Admin}

// RoleLabel is the Dutch name of a role.
func RoleLabel(r Role) string {
	switch r {
	case Resident:
		return "bewoner"
	case Worker:
		return "opbouwwerker"
	case Officer:
		return "gemeente"
	case Admin:
		return "beheerder"
	}
	return r
}

// ParseRole accepts the English code or the Dutch name of a role.
func ParseRole(s string) (Role, bool) {
	for _, r := range AllRoles {
		if s == r || s == RoleLabel(r) {
			return r, true
		}
	}
	return "", false
}

// Account is a user of the platform.
type Account struct {
	ID                  int64
	Email               string
	DisplayName         string
	PasswordHash        string
	Roles               []Role
	HomeNeighbourhoodID *int64
	OrganisationID      *int64
	MunicipalityID      *int64
	CreatedAt           time.Time
	LastLoginAt         *time.Time
	PasswordChangedAt   time.Time
	EmailConfirmedAt    *time.Time // nil until the person follows the link in the confirmation mail
}

// Has reports whether the account holds role.
func (a Account) Has(role Role) bool {
	for _, r := range a.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Errors of the account store.
var (
	ErrNotFound       = errors.New("account: not found")
	ErrDuplicateEmail = errors.New("account: email already registered")
	ErrTokenInvalid   = errors.New("account: reset token invalid, used or expired")
)
