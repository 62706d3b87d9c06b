// Package strategy holds Putnam's three strategies of community building that
// every street contact and activity serves (DOMAIN.md).
package strategy

import "github.com/buurtkracht/buurtkracht/web/ui"

// Strategy is a stable code stored in the database.
type Strategy string

// The three strategies.
const (
	Bonding  Strategy = "bonding"
	Bridging Strategy = "bridging"
	Linking  Strategy = "linking"
)

// Info is a strategy with its Dutch name and a one-line explanation for forms.
type Info struct {
	Code        Strategy
	Label       string
	Explanation string
}

// All lists the strategies in their natural order.
var All = []Info{
	{Bonding, "Verbinden", "Bewoners leren elkaar kennen en ontmoeten elkaar."},
	{Bridging, "Overbruggen", "Bewoners komen in contact met clubs, buurthuis, bibliotheek of ondernemers."},
	{Linking, "Koppelen", "Initiatieven en netwerken komen in contact met instanties, beleid en geld."},
}

// Valid reports whether s is one of the three strategies.
func (s Strategy) Valid() bool { return s == Bonding || s == Bridging || s == Linking }

// Label returns the Dutch name of s.
func Label(s Strategy) string {
	for _, i := range All {
		if i.Code == s {
			return i.Label
		}
	}
	return string(s)
}

// Options are the strategies as choices of a form, each with its
// explanation (radio groups show it, selects leave it out).
func Options() []ui.Option {
	out := make([]ui.Option, len(All))
	for i, s := range All {
		out[i] = ui.Option{Value: string(s.Code), Label: s.Label, Hint: s.Explanation}
	}
	return out
}
