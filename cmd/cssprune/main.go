// Command cssprune writes the vendored NL Design System CSS with only what the
// platform uses: the Utrecht component rules whose classes occur in our
// templates, Go code and scripts, and the theme's design tokens that those
// rules and our own style sheets refer to (directly or through other
// tokens). The full files are 400 kB and 200 kB; an old phone parses and
// matches every rule on every page. `make vendor` runs it after copying the
// files from npm; a test checks that the committed files are its output.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	components := flag.String("components", "node_modules/@utrecht/component-library-css/dist/index.css", "full Utrecht component CSS")
	theme := flag.String("theme", "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css", "full theme (design tokens)")
	outComponents := flag.String("out-components", "web/static/vendor/utrecht/component-library.css", "where the pruned component CSS goes")
	outTheme := flag.String("out-theme", "web/static/vendor/voorbeeld/theme.css", "where the pruned theme goes")
	flag.Parse()
	if err := run(*components, *theme, *outComponents, *outTheme); err != nil {
		fmt.Fprintln(os.Stderr, "cssprune:", err)
		os.Exit(1)
	}
}

// Where the platform's markup and style sheets live, relative to the module root.
var (
	scanDirs = []string{"internal", "web"}
	ownCSS   = "web/static/css"
)

func run(componentsPath, themePath, outComponents, outTheme string) error {
	comps, th, err := prune(componentsPath, themePath)
	if err != nil {
		return err
	}
	if err := os.WriteFile(outComponents, []byte(comps), 0o644); err != nil {
		return err
	}
	return os.WriteFile(outTheme, []byte(th), 0o644)
}

// prune returns the pruned component CSS and theme.
func prune(componentsPath, themePath string) (string, string, error) {
	sources, err := readSources()
	if err != nil {
		return "", "", err
	}
	full, err := os.ReadFile(componentsPath)
	if err != nil {
		return "", "", err
	}
	nodes, err := parse(string(full))
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", componentsPath, err)
	}
	used := classesIn(sources...)
	comps := withHeader(componentsPath, render(pruneRules(nodes, used)))

	rawTheme, err := os.ReadFile(themePath)
	if err != nil {
		return "", "", err
	}
	themeNodes, err := parse(string(rawTheme))
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", themePath, err)
	}
	own, err := readOwnCSS()
	if err != nil {
		return "", "", err
	}
	th := withHeader(themePath, render(pruneTokens(themeNodes, comps+own)))
	return comps, th, nil
}

// withHeader puts a note on where css came from at its top, after an
// @charset rule, which must come first.
func withHeader(from, css string) string {
	note := "/* Pruned by cmd/cssprune from " + filepath.ToSlash(from) +
		" (see web/static/vendor/README.md): only the rules and tokens Buurtkracht uses. */\n"
	if strings.HasPrefix(css, "@charset") {
		first, rest, _ := strings.Cut(css, "\n")
		return first + "\n" + note + rest
	}
	return note + css
}

// readSources reads the templates, Go files and scripts that may name a
// Utrecht class. Our own style sheets count too (they style Utrecht classes).
func readSources() ([]string, error) {
	var out []string
	for _, dir := range scanDirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path == filepath.Join("web", "static", "vendor") {
					return filepath.SkipDir
				}
				return nil
			}
			switch filepath.Ext(path) {
			case ".templ", ".go", ".js", ".css":
				if strings.HasSuffix(path, "_test.go") {
					return nil
				}
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				out = append(out, string(b))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readOwnCSS() (string, error) {
	files, err := filepath.Glob(filepath.Join(ownCSS, "*.css"))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range files {
		c, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		b.Write(c)
	}
	return b.String(), nil
}
