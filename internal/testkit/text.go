package testkit

import (
	"regexp"
	"strings"
)

// strayRe finds a space before a comma, colon, semicolon or closing
// bracket, or after an opening bracket.
var strayRe = regexp.MustCompile(`\S( [,:;)])|(\( )\S`)

// StraySpaces returns the lines of visible page text with a space where
// Dutch writing has none, as in "(idee , eigenaar )": templ turns a line
// break between an element and the next expression into a space.
func StraySpaces(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if strayRe.MatchString(line) {
			out = append(out, line)
		}
	}
	return out
}
