package account

import (
	"slices"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// dutchDate formats t as "23 november 2026".
func dutchDate(t time.Time) string { return dutch.Date(t) }

// dutchDateTime formats t as "23 november 2026, 14:05".
func dutchDateTime(t time.Time) string { return dutch.DateTime(t) }

// rolesLabel lists roles by their Dutch names, in the order of role.All.
func rolesLabel(roles []role.Role) string {
	var out []string
	for _, r := range role.All {
		if slices.Contains(roles, r) {
			out = append(out, role.Label(r))
		}
	}
	return strings.Join(out, ", ")
}
