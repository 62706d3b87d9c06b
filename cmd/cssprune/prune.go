package main

import (
	"fmt"
	"regexp"
	"strings"
)

// node is one CSS rule or at-rule: its prelude (a selector list, or
// "@media …") and either a body of declarations or child nodes.
type node struct {
	prelude  string
	decls    string  // declarations of a qualified rule or @font-face
	children []*node // rules inside @media, @supports, @container, @keyframes
	block    bool    // an at-rule with a block of rules
	stmt     bool    // an at-rule ending in ";" (@charset, @import)
	comment  string  // a kept comment: licence notices (/*! … */ or with @license)
}

// parse splits CSS into nodes. It understands comments, strings and nested
// blocks, which is all the vendored files use; it is not a validating parser.
func parse(css string) ([]*node, error) {
	p := &cssParser{s: css}
	nodes, err := p.block(false)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.s) {
		return nil, fmt.Errorf("css: unexpected '}' at offset %d", p.i)
	}
	return nodes, nil
}

type cssParser struct {
	s string
	i int
}

// block reads nodes until the end of input or, when nested, a closing brace.
func (p *cssParser) block(nested bool) ([]*node, error) {
	var out []*node
	for {
		p.space()
		if p.i >= len(p.s) {
			if nested {
				return nil, fmt.Errorf("css: missing '}' at end of input")
			}
			return out, nil
		}
		if strings.HasPrefix(p.s[p.i:], "/*") {
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("css: unterminated comment at offset %d", p.i)
			}
			text := p.s[p.i : p.i+2+end+2]
			p.i += 2 + end + 2
			if strings.HasPrefix(text, "/*!") || strings.Contains(text, "@license") {
				out = append(out, &node{comment: text})
			}
			continue
		}
		if p.s[p.i] == '}' {
			if !nested {
				return out, nil // parse reports the stray brace
			}
			p.i++
			return out, nil
		}
		prelude, term, err := p.until("{;")
		if err != nil {
			return nil, err
		}
		prelude = strings.TrimSpace(prelude)
		if term == ';' {
			out = append(out, &node{prelude: prelude, stmt: true})
			continue
		}
		if strings.HasPrefix(prelude, "@") && !strings.HasPrefix(prelude, "@font-face") && !strings.HasPrefix(prelude, "@page") {
			children, err := p.block(true)
			if err != nil {
				return nil, err
			}
			out = append(out, &node{prelude: prelude, children: children, block: true})
			continue
		}
		decls, err := p.declarations()
		if err != nil {
			return nil, err
		}
		out = append(out, &node{prelude: prelude, decls: decls})
	}
}

// until reads up to (not including) one of the stop bytes outside strings
// and comments, consumes that byte and returns it.
func (p *cssParser) until(stops string) (string, byte, error) {
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case strings.HasPrefix(p.s[p.i:], "/*"):
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				return "", 0, fmt.Errorf("css: unterminated comment at offset %d", p.i)
			}
			p.i += 2 + end + 2
			continue
		case c == '"' || c == '\'':
			str, err := p.str()
			if err != nil {
				return "", 0, err
			}
			b.WriteString(str)
			continue
		case strings.IndexByte(stops, c) >= 0:
			p.i++
			return b.String(), c, nil
		}
		b.WriteByte(c)
		p.i++
	}
	return "", 0, fmt.Errorf("css: expected one of %q before the end", stops)
}

// declarations reads a declaration block up to its closing brace.
func (p *cssParser) declarations() (string, error) {
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case strings.HasPrefix(p.s[p.i:], "/*"):
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				return "", fmt.Errorf("css: unterminated comment at offset %d", p.i)
			}
			p.i += 2 + end + 2
			continue
		case c == '"' || c == '\'':
			str, err := p.str()
			if err != nil {
				return "", err
			}
			b.WriteString(str)
			continue
		case c == '{':
			return "", fmt.Errorf("css: nested rule at offset %d (CSS nesting is not supported)", p.i)
		case c == '}':
			p.i++
			return strings.TrimSpace(b.String()), nil
		}
		b.WriteByte(c)
		p.i++
	}
	return "", fmt.Errorf("css: missing '}' at end of input")
}

// str reads a quoted string with its quotes and escapes.
func (p *cssParser) str() (string, error) {
	q := p.s[p.i]
	start := p.i
	p.i++
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '\\':
			p.i += 2
			continue
		case q:
			p.i++
			return p.s[start:p.i], nil
		}
		p.i++
	}
	return "", fmt.Errorf("css: unterminated string at offset %d", start)
}

func (p *cssParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n\f", p.s[p.i]) >= 0 {
		p.i++
	}
}

var classRe = regexp.MustCompile(`\.(utrecht-[A-Za-z0-9_-]+)`)

// pruneRules keeps the rules whose selectors use only classes in used;
// from a selector list it keeps the selectors that do. Rules without a
// utrecht class (element selectors, :root) and at-rules without rules left
// in them are kept or dropped accordingly; @keyframes, @font-face,
// statements and licence comments are kept.
func pruneRules(nodes []*node, used map[string]bool) []*node {
	var out []*node
	for _, n := range nodes {
		switch {
		case strings.HasPrefix(n.prelude, "@charset"):
			// Only valid as the very first bytes, which the licence notices
			// now are; the server sends the charset with the file.
		case n.comment != "" || n.stmt:
			out = append(out, n)
		case n.block && strings.HasPrefix(n.prelude, "@keyframes"):
			out = append(out, n)
		case n.block:
			kids := pruneRules(n.children, used)
			if len(kids) > 0 {
				out = append(out, &node{prelude: n.prelude, children: kids, block: true})
			}
		case strings.HasPrefix(n.prelude, "@"):
			out = append(out, n) // @font-face, @page
		default:
			var keep []string
			for _, sel := range splitSelectors(n.prelude) {
				ok := true
				for _, m := range classRe.FindAllStringSubmatch(outsideParens(sel), -1) {
					if !used[m[1]] {
						ok = false
						break
					}
				}
				if ok {
					keep = append(keep, strings.TrimSpace(sel))
				}
			}
			if len(keep) > 0 {
				out = append(out, &node{prelude: strings.Join(keep, ",\n"), decls: n.decls})
			}
		}
	}
	return out
}

// outsideParens drops what stands inside brackets: classes in :not(), :is(),
// :where() or :has() need not be used for the selector to match (a :not()
// of an unused class always does), so they must not make us drop the rule.
func outsideParens(sel string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(sel); i++ {
		switch sel[i] {
		case '(':
			depth++
		case ')':
			depth--
		default:
			if depth == 0 {
				b.WriteByte(sel[i])
			}
		}
	}
	return b.String()
}

// splitSelectors splits a selector list at top-level commas (not those in
// :is(), :not() or attribute selectors).
func splitSelectors(list string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(list); i++ {
		switch list[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, list[start:i])
				start = i + 1
			}
		}
	}
	return append(out, list[start:])
}

// render writes nodes back as CSS, one rule per block.
func render(nodes []*node) string {
	var b strings.Builder
	seen := map[string]bool{} // each licence notice once
	var write func(nodes []*node, indent string)
	write = func(nodes []*node, indent string) {
		for _, n := range nodes {
			switch {
			case n.comment != "":
				if !seen[n.comment] {
					seen[n.comment] = true
					b.WriteString(n.comment + "\n")
				}
			case n.stmt:
				b.WriteString(indent + n.prelude + ";\n")
			case n.block:
				b.WriteString(indent + n.prelude + " {\n")
				write(n.children, indent+"  ")
				b.WriteString(indent + "}\n")
			default:
				b.WriteString(indent + n.prelude + " {\n")
				for _, d := range splitDecls(n.decls) {
					b.WriteString(indent + "  " + d + ";\n")
				}
				b.WriteString(indent + "}\n")
			}
		}
	}
	write(nodes, "")
	return b.String()
}

// splitDecls splits a declaration block at top-level semicolons.
func splitDecls(decls string) []string {
	var out []string
	depth, start := 0, 0
	inStr := byte(0)
	for i := 0; i < len(decls); i++ {
		c := decls[i]
		switch {
		case inStr != 0:
			switch c {
			case '\\':
				i++
			case inStr:
				inStr = 0
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ';' && depth == 0:
			if d := strings.TrimSpace(decls[start:i]); d != "" {
				out = append(out, d)
			}
			start = i + 1
		}
	}
	if d := strings.TrimSpace(decls[start:]); d != "" {
		out = append(out, d)
	}
	return out
}

var varRe = regexp.MustCompile(`var\(\s*(--[A-Za-z0-9_-]+)`)

// varsIn returns the custom properties css refers to with var().
func varsIn(css string) []string {
	var out []string
	for _, m := range varRe.FindAllStringSubmatch(css, -1) {
		out = append(out, m[1])
	}
	return out
}

// pruneTokens keeps, in the theme's rules, the custom property declarations
// that the given CSS refers to, directly or through other tokens, and every
// ordinary declaration.
func pruneTokens(theme []*node, css string) []*node {
	defs := map[string]string{}
	var collect func(nodes []*node)
	collect = func(nodes []*node) {
		for _, n := range nodes {
			collect(n.children)
			for _, d := range splitDecls(n.decls) {
				if name, value, ok := strings.Cut(d, ":"); ok && strings.HasPrefix(strings.TrimSpace(name), "--") {
					defs[strings.TrimSpace(name)] += " " + value
				}
			}
		}
	}
	collect(theme)
	needed := map[string]bool{}
	queue := varsIn(css)
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if needed[v] {
			continue
		}
		needed[v] = true
		queue = append(queue, varsIn(defs[v])...)
	}
	var prune func(nodes []*node) []*node
	prune = func(nodes []*node) []*node {
		var out []*node
		for _, n := range nodes {
			if n.block {
				if kids := prune(n.children); len(kids) > 0 {
					out = append(out, &node{prelude: n.prelude, children: kids, block: true})
				}
				continue
			}
			if n.comment != "" || n.stmt || n.decls == "" {
				out = append(out, n)
				continue
			}
			var keep []string
			for _, d := range splitDecls(n.decls) {
				name, _, _ := strings.Cut(d, ":")
				name = strings.TrimSpace(name)
				if !strings.HasPrefix(name, "--") || needed[name] {
					keep = append(keep, d)
				}
			}
			if len(keep) > 0 {
				out = append(out, &node{prelude: n.prelude, decls: strings.Join(keep, "; ")})
			}
		}
		return out
	}
	return prune(theme)
}

// classesIn returns the utrecht-* class names that occur in the sources.
func classesIn(sources ...string) map[string]bool {
	used := map[string]bool{}
	re := regexp.MustCompile(`utrecht-[A-Za-z0-9_-]+`)
	for _, s := range sources {
		for _, m := range re.FindAllString(s, -1) {
			used[m] = true
		}
	}
	return used
}
