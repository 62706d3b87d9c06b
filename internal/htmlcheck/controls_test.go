package htmlcheck

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// controlModifiers maps an NL Design System form control class to the
// modifier its native element needs. The Utrecht CSS removes the browser's
// own look from these controls and draws states such as "checked" only for
// the modifier, so without it a chosen radio button looks unchosen.
var controlModifiers = map[string]struct{ element, modifier string }{
	"utrecht-radio-button": {"input", "utrecht-radio-button--html-input"},
	"utrecht-checkbox":     {"input", "utrecht-checkbox--html-input"},
	"utrecht-textbox":      {"input", "utrecht-textbox--html-input"},
	"utrecht-select":       {"select", "utrecht-select--html-select"},
	"utrecht-textarea":     {"textarea", "utrecht-textarea--html-textarea"},
}

// eachNode parses page and calls visit for every node, in document order.
func eachNode(page string, visit func(*html.Node)) error {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return err
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		visit(n)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return nil
}

// controlClasses lists form controls on a page whose Utrecht class lacks
// the modifier for their element.
func controlClasses(page string) []string {
	var problems []string
	err := eachNode(page, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		var classes []string
		for _, a := range n.Attr {
			if a.Key == "class" {
				classes = strings.Fields(a.Val)
			}
		}
		for _, c := range classes {
			want, ok := controlModifiers[c]
			if ok && n.Data == want.element && !slices.Contains(classes, want.modifier) {
				problems = append(problems, fmt.Sprintf("<%s class=%q> lacks %s", n.Data, strings.Join(classes, " "), want.modifier))
			}
		}
	})
	if err != nil {
		return []string{"unparsable HTML: " + err.Error()}
	}
	return problems
}

func TestControlClasses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page string
		want int
	}{
		{`<input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio">`, 0},
		{`<input class="utrecht-radio-button" type="radio" checked>`, 1},
		{`<input class="utrecht-checkbox" type="checkbox">`, 1},
		{`<select class="utrecht-select utrecht-select--html-select"></select><textarea class="utrecht-textarea"></textarea>`, 1},
		{`<div class="utrecht-textbox">not a control</div><input class="utrecht-textbox utrecht-textbox--html-input">`, 0},
	} {
		if got := controlClasses(tc.page); len(got) != tc.want {
			t.Errorf("%s: %d problems %v, want %d", tc.page, len(got), got, tc.want)
		}
	}
}

// gluedText lists visually hidden texts that run into the visible word in
// front of them ("Bewerkencontact van ..."): templ drops the space at the
// start of an element's text, and a screen reader then reads one odd word.
func gluedText(page string) []string {
	wordEnd := func(s string) bool {
		r := []rune(s)
		return len(r) > 0 && (unicode.IsLetter(r[len(r)-1]) || unicode.IsDigit(r[len(r)-1]))
	}
	wordStart := func(s string) bool {
		r := []rune(s)
		return len(r) > 0 && (unicode.IsLetter(r[0]) || unicode.IsDigit(r[0]))
	}
	var problems []string
	err := eachNode(page, func(n *html.Node) {
		if n.Type != html.ElementNode || !hasClass(n, "bk-visually-hidden") {
			return
		}
		if prev := n.PrevSibling; prev != nil && prev.Type == html.TextNode && wordEnd(prev.Data) {
			if text := textContent(n); wordStart(text) {
				problems = append(problems, fmt.Sprintf("%q runs into %q", strings.TrimSpace(prev.Data), text))
			}
		}
	})
	if err != nil {
		return []string{"unparsable HTML: " + err.Error()}
	}
	return problems
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), class) {
			return true
		}
	}
	return false
}

// textContent is the text of n and its descendants, untrimmed: a leading
// space is what separates it from the word before.
func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func TestGluedText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page string
		want int
	}{
		{`<a>Bewerken<span class="bk-visually-hidden">contact van 1 mei</span></a>`, 1},
		{`<a>Bewerken<span class="bk-visually-hidden"> contact van 1 mei</span></a>`, 0},
		{`<a>Bewerken<span class="bk-visually-hidden">: Moestuin</span></a>`, 0},
		{`<a>2<span class="bk-visually-hidden">contacten</span></a>`, 1},
		{`<p><span class="bk-visually-hidden">Alleen</span></p>`, 0},
	} {
		if got := gluedText(tc.page); len(got) != tc.want {
			t.Errorf("%s: %d problems %v, want %d", tc.page, len(got), got, tc.want)
		}
	}
}

// straySpaces lists visible texts with a space where Dutch writing has none,
// "(idee , eigenaar )": templ turns a line break between an element and the
// next expression into a space.
func straySpaces(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"unparsable HTML: " + err.Error()}
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "textarea" || n.Data == "title") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.Data == "p" || n.Data == "li" || n.Data == "td" || n.Data == "th" || n.Data == "dd" || n.Data == "dt" || n.Data == "div" || n.Data == "br" || n.Data == "option") {
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && (n.Data == "p" || n.Data == "li" || n.Data == "td" || n.Data == "th" || n.Data == "dd" || n.Data == "dt" || n.Data == "div" || n.Data == "option") {
			b.WriteString("\n")
		}
	}
	walk(doc)
	var problems []string
	for _, line := range testkit.StraySpaces(b.String()) {
		problems = append(problems, fmt.Sprintf("%q", line))
	}
	return problems
}

func TestStraySpaces(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page string
		want int
	}{
		{`<li><a>Moestuin</a> (idee , eigenaar )</li>`, 1},
		{`<li><strong>Vrijwilligers</strong> : zaterdag</li>`, 1},
		{`<li><a>Moestuin</a> (idee, eigenaar)</li><p>Let op: morgen</p>`, 0},
		{`<p>Oog in Al</p><p>, los</p>`, 0},
	} {
		if got := straySpaces(tc.page); len(got) != tc.want {
			t.Errorf("%s: %d problems %v, want %d", tc.page, len(got), got, tc.want)
		}
	}
}
