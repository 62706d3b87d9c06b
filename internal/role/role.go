// Package role names the four roles of the platform (DOMAIN.md). It is a
// leaf: the account store, the viewer in the request context (httpx) and
// every feature's scope checks share this one type, so a role is never a
// bare string that a typo could turn into a role nobody holds.
package role

// Role is one of the four roles.
type Role string

// The roles. Every account is a resident; an administrator adds the others.
const (
	Resident Role = "resident"
	Worker   Role = "worker"
	Officer  Role = "officer"
	Admin    Role = "admin"
)

// All lists the roles in the order they are shown.
var All = []Role{Resident, Worker, Officer, Admin}

// Label is the Dutch name of a role.
func Label(r Role) string {
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
	return string(r)
}

// Parse accepts the English code or the Dutch name of a role.
func Parse(s string) (Role, bool) {
	for _, r := range All {
		if s == string(r) || s == Label(r) {
			return r, true
		}
	}
	return "", false
}
