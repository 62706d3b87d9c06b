package account

import (
	"fmt"
	"strings"
	"time"
)

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

var amsterdam = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return loc
	}
	return time.UTC
}()

// dutchDate formats t as "23 november 2026".
func dutchDate(t time.Time) string {
	t = t.In(amsterdam)
	return fmt.Sprintf("%d %s %d", t.Day(), dutchMonths[t.Month()-1], t.Year())
}

// dutchDateTime formats t as "23 november 2026, 14:05".
func dutchDateTime(t time.Time) string {
	return dutchDate(t) + ", " + t.In(amsterdam).Format("15:04")
}

// rolesLabel lists roles by their Dutch names, in the order of AllRoles.
func rolesLabel(roles []Role) string {
	var out []string
	for _, r := range AllRoles {
		for _, have := range roles {
			if have == r {
				out = append(out, RoleLabel(r))
			}
		}
	}
	return strings.Join(out, ", ")
}
