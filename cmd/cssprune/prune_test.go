package main

import (
	"os"
	"strings"
	"testing"
)

func TestPruneRules(t *testing.T) {
	t.Parallel()
	const css = `/**
 * @license EUPL-1.2
 */
@charset "UTF-8";
.utrecht-button, .utrecht-badge { color: red; }
.utrecht-button:not(.utrecht-button--disabled):hover { color: blue; }
.utrecht-badge--danger { color: orange; content: "a;b}"; }
@media (min-width: 40em) { .utrecht-badge { margin: 0; } .utrecht-button { margin: 1px; } }
@keyframes utrecht-spin { from { rotate: 0deg; } to { rotate: 360deg; } }
body { margin: 0; }
`
	nodes, err := parse(css)
	if err != nil {
		t.Fatal(err)
	}
	got := render(pruneRules(nodes, classesIn(`class="utrecht-button"`)))
	for _, want := range []string{
		"@license EUPL-1.2",
		".utrecht-button {\n  color: red;\n}",                  // the unused half of the selector list is gone
		".utrecht-button:not(.utrecht-button--disabled):hover", // classes inside :not() need not be used
		"@media (min-width: 40em) {\n  .utrecht-button {",
		"@keyframes utrecht-spin",
		"body {\n  margin: 0;\n}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("pruned CSS lacks %q:\n%s", want, got)
		}
	}
	for _, gone := range []string{"utrecht-badge", "@charset", "a;b}"} {
		if strings.Contains(got, gone) {
			t.Errorf("pruned CSS still has %q:\n%s", gone, got)
		}
	}
}

func TestPruneTokens(t *testing.T) {
	t.Parallel()
	nodes, err := parse(`.voorbeeld-theme {
  --utrecht-button-color: var(--basis-color-a);
  --basis-color-a: var(--basis-color-b, #000);
  --basis-color-b: #123456;
  --utrecht-badge-color: #654321;
  color-scheme: light;
}`)
	if err != nil {
		t.Fatal(err)
	}
	got := render(pruneTokens(nodes, `.utrecht-button { color: var(--utrecht-button-color); }`))
	for _, want := range []string{"--utrecht-button-color", "--basis-color-a", "--basis-color-b: #123456", "color-scheme: light"} {
		if !strings.Contains(got, want) {
			t.Errorf("pruned theme lacks %q (used, directly or through another token):\n%s", want, got)
		}
	}
	if strings.Contains(got, "--utrecht-badge-color") {
		t.Errorf("pruned theme keeps an unused token:\n%s", got)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, css := range []string{".a { color: red;", ".a { color: red; } }", "/* open", `.a { content: "x }`, ".a { .b { color: red; } }"} {
		if _, err := parse(css); err == nil {
			t.Errorf("parse(%q): no error", css)
		}
	}
}

// The committed vendor files must be what cssprune makes from the npm
// packages and the current templates (run `make vendor` after adding a
// Utrecht class to a template).
func TestVendoredCSSIsPruned(t *testing.T) {
	t.Chdir("../..")
	comps, theme, err := prune("node_modules/@utrecht/component-library-css/dist/index.css",
		"node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css")
	if err != nil {
		t.Fatalf("%v (run npm ci)", err)
	}
	for path, want := range map[string]string{
		"web/static/vendor/utrecht/component-library.css": comps,
		"web/static/vendor/voorbeeld/theme.css":           theme,
	} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s is not cssprune's output for the current templates; run make vendor and commit", path)
		}
	}
}
