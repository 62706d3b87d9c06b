// Package theme is the shared list of themes of the sociale basis (DOMAIN.md)
// that initiatives, street contacts, activities and signals are tagged with.
package theme

import "github.com/buurtkracht/buurtkracht/web/ui"

// Theme is one theme: a stable code stored in the database and its Dutch label.
type Theme struct {
	Code  string
	Label string
}

// All lists the themes in the order they are shown.
var All = []Theme{
	{"ontmoeting", "Ontmoeting"},
	{"zorg", "Zorg & mantelzorg"},
	{"elkaar-helpen", "Elkaar helpen"},
	{"bestaanszekerheid", "Bestaanszekerheid"},
	{"wonen", "Wonen"},
	{"openbare-ruimte", "Openbare ruimte & groen"},
	{"duurzaamheid", "Duurzaamheid & energie"},
	{"veiligheid", "Veiligheid"},
	{"gezondheid", "Gezondheid"},
	{"sport", "Sport & bewegen"},
	{"kunst-cultuur", "Kunst & cultuur"},
	{"onderwijs-jeugd", "Onderwijs & jeugd"},
	{"informatie-advies", "Informatie & advies"},
	{"democratie", "Democratie & zeggenschap"},
	{"inclusie", "Inclusie"},
}

// Options are the themes as choices of a form's select or checkbox group.
func Options() []ui.Option {
	out := make([]ui.Option, len(All))
	for i, t := range All {
		out[i] = ui.Option{Value: t.Code, Label: t.Label}
	}
	return out
}

var byCode = func() map[string]string {
	m := make(map[string]string, len(All))
	for _, t := range All {
		m[t.Code] = t.Label
	}
	return m
}()

// Valid reports whether code is a known theme.
func Valid(code string) bool { _, ok := byCode[code]; return ok }

// Label returns the Dutch label of code, or code itself when unknown.
func Label(code string) string {
	if l, ok := byCode[code]; ok {
		return l
	}
	return code
}

// Codes returns every theme code (for SQL CHECK constraints and tests).
func Codes() []string {
	out := make([]string, len(All))
	for i, t := range All {
		out[i] = t.Code
	}
	return out
}

// ValidAll reports whether every code is known and none repeats.
func ValidAll(codes []string) bool {
	seen := map[string]bool{}
	for _, c := range codes {
		if !Valid(c) || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}
