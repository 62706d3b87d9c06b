package account

import (
	"slices"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Landing is where a login without a `volgende` ends: a resident's own
// neighbourhood page, since that is what happens around them. An account
// that also holds a professional role (worker, officer, administrator)
// lands on /account as before: its work starts from the header's sections,
// not from one neighbourhood, and its header still links to "Mijn buurt".
// Without a home neighbourhood the account page asks to choose one.
func Landing(roles []role.Role, homeCode string) string {
	professional := slices.ContainsFunc(roles, func(r role.Role) bool { return r != role.Resident })
	if homeCode == "" || professional {
		return "/account"
	}
	return NeighbourhoodPath(homeCode)
}

// NeighbourhoodPath is the page of the neighbourhood with CBS code code.
func NeighbourhoodPath(code string) string { return "/buurten/" + code }
