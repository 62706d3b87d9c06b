// Package validate collects field errors of a form in Dutch and offers the
// small checks every form needs.
package validate

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Errors maps a form field name to the Dutch message shown next to it.
type Errors map[string]string

// Add records msg for field unless the field already has an error: the first
// problem found is the one the user should fix first.
func (e Errors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Check adds msg for field when ok is false.
func (e Errors) Check(ok bool, field, msg string) {
	if !ok {
		e.Add(field, msg)
	}
}

// Has reports whether field has an error.
func (e Errors) Has(field string) bool { _, ok := e[field]; return ok }

// Get returns the message for field, or "".
func (e Errors) Get(field string) string { return e[field] }

// Valid reports whether no field has an error.
func (e Errors) Valid() bool { return len(e) == 0 }

// CleanText trims s and reports whether it is text PostgreSQL can store:
// valid UTF-8 without NUL bytes or other control characters (newlines and
// tabs allowed when multiline is true).
func CleanText(s string, multiline bool) (string, bool) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s, false
	}
	for _, r := range s {
		newlineOrTab := r == '\n' || r == '\r' || r == '\t'
		if r == 0 || (r < 0x20 && (!multiline || !newlineOrTab)) || r == 0x7f {
			return s, false
		}
	}
	return s, true
}

// Rule says what Text asks of a text field: whether it must be filled
// in, its maximum length in characters, and whether it may span lines.
type Rule struct {
	Required  bool
	Max       int
	Multiline bool
}

// Text validates a required or optional text field in one go: it cleans the
// value, checks presence and length (in characters) and records a Dutch
// message. It returns the cleaned value.
func (e Errors) Text(field, raw string, rule Rule) string {
	s, ok := CleanText(raw, rule.Multiline)
	switch {
	case !ok:
		e.Add(field, "Deze tekst bevat tekens die we niet kunnen opslaan.")
	case rule.Required && s == "":
		e.Add(field, "Vul dit veld in.")
	case utf8.RuneCountInString(s) > rule.Max:
		e.Add(field, "Gebruik hoogstens "+strconv.Itoa(rule.Max)+" tekens (nu "+strconv.Itoa(utf8.RuneCountInString(s))+").")
	}
	return s
}

// Email checks the syntax of an e-mail address and returns it trimmed.
func (e Errors) Email(field, raw string) string {
	s, ok := CleanText(raw, false)
	switch {
	case !ok:
		e.Add(field, "Dit e-mailadres bevat tekens die we niet kunnen opslaan.")
	case s == "":
		e.Add(field, "Vul je e-mailadres in.")
	case len(s) > 254:
		e.Add(field, "Dit e-mailadres is te lang.")
	default:
		addr, err := mail.ParseAddress(s)
		if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
			e.Add(field, "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
		}
	}
	return s
}

// In reports whether v is one of allowed: slices.Contains for a list
// written out at the call site (validate.In(s, "a", "b")).
func In[T comparable](v T, allowed ...T) bool { return slices.Contains(allowed, v) }
