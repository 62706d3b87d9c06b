// Package money reads and writes amounts in euros the way people in the
// Netherlands type and read them. Amounts are whole cents (int64); there
// is no float anywhere.
package money

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Parse reads an amount in euros as people type it ("€ 1.250,50",
// "1250.5", "1250", "1.250", "1250,-", "12,5") and returns cents. A point is
// a decimal separator only when it cannot be a thousands separator
// ("12.50", "1250.5"; "1.250" is twelve hundred and fifty). ok is false for
// anything else, including negative amounts; zero parses (callers refuse
// it with their own message).
func Parse(s string) (cents int64, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "€")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "EUR"), "eur")
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	s = strings.TrimSuffix(strings.TrimSuffix(s, ",--"), ",-")
	if s == "" || len(s) > 20 {
		return 0, false
	}
	whole, frac := s, ""
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	} else if i := strings.LastIndexByte(s, '.'); i >= 0 && len(s)-i-1 != 3 {
		whole, frac = s[:i], s[i+1:]
	}
	if len(frac) > 2 || (frac == "" && strings.HasSuffix(s, ",")) || !digits(frac) {
		return 0, false
	}
	if strings.Contains(whole, ".") {
		groups := strings.Split(whole, ".")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !digits(whole) || len(whole) > 12 {
		return 0, false
	}
	euros, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	c, _ := strconv.ParseInt(frac, 10, 64)
	return euros*100 + c, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Format writes cents the Dutch way: "€ 1.250,50" (and "-€ 5,00").
func Format(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s€ %s,%02d", sign, dutch.Int(cents/100), cents%100)
}

// Input writes cents as a person would type them back into a form:
// "1250,50", without currency or thousands separator; Parse reads it.
func Input(cents int64) string {
	return fmt.Sprintf("%d,%02d", cents/100, cents%100)
}
