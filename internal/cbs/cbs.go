// Package cbs knows the shape of the codes Statistics Netherlands (CBS)
// gives municipalities (GM0344), districts (WK034401) and neighbourhoods
// (BU03440112) in its Wijk- en buurtindeling. Every feature that takes such
// a code from a URL or a form checks it here before it reaches the SQL.
package cbs

// IsMunicipality reports whether s is a municipality code: GM and four digits.
func IsMunicipality(s string) bool { return hasShape(s, "GM", 4) }

// IsDistrict reports whether s is a district (wijk) code: WK and six digits.
func IsDistrict(s string) bool { return hasShape(s, "WK", 6) }

// IsNeighbourhood reports whether s is a neighbourhood (buurt) code: BU and eight digits.
func IsNeighbourhood(s string) bool { return hasShape(s, "BU", 8) }

func hasShape(s, prefix string, digits int) bool {
	if len(s) != len(prefix)+digits || s[:len(prefix)] != prefix {
		return false
	}
	for i := len(prefix); i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
