package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// HTMLError is one error the W3C Nu HTML checker reported for a page.
type HTMLError struct {
	Page    string // the name the page was given (its URL and who saw it)
	Line    int
	Column  int
	Message string
	Extract string // the markup around the error
}

func (e HTMLError) String() string {
	return fmt.Sprintf("%s:%d:%d: %s\n    %s", e.Page, e.Line, e.Column, e.Message, strings.TrimSpace(e.Extract))
}

// ValidateHTML checks pages (name → served HTML) with the W3C Nu HTML
// checker from node_modules/vnu-jar, in ONE Java run over all of them as
// files, and returns every error (warnings are left out). It needs Java.
func ValidateHTML(pages map[string]string) ([]HTMLError, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	jar := filepath.Join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(jar); err != nil {
		return nil, fmt.Errorf("vnu.jar missing (run `npm ci` in %s): %w", root, err)
	}
	dir, err := os.MkdirTemp("", "buurtkracht-vnu-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	sort.Strings(names)
	byFile := map[string]string{}
	// C1 only and the serial collector halve the CPU time of one short run;
	// the HTML schema needs a deeper stack than the default.
	args := []string{"-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "--format", "json", "--errors-only", "--stdout"}
	for i, name := range names {
		file := filepath.Join(dir, fmt.Sprintf("page%04d.html", i))
		if err := os.WriteFile(file, []byte(pages[name]), 0o600); err != nil {
			return nil, err
		}
		byFile[file] = name
		args = append(args, file)
	}

	var stdout, stderr bytes.Buffer
	cmd := exec.Command("java", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	// vnu exits 1 when it found errors; the JSON tells which.
	var report struct {
		Messages []struct {
			Type      string `json:"type"`
			URL       string `json:"url"`
			LastLine  int    `json:"lastLine"`
			FirstCol  int    `json:"firstColumn"`
			Message   string `json:"message"`
			Extract   string `json:"extract"`
			SubType   string `json:"subType"`
			FirstLine int    `json:"firstLine"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		return nil, fmt.Errorf("vnu: %w; unreadable output %q, stderr %q", runErr, truncate(stdout.String(), 500), truncate(stderr.String(), 500))
	}
	var errs []HTMLError
	for _, m := range report.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		file := strings.TrimPrefix(m.URL, "file:")
		page, ok := byFile[file]
		if !ok {
			page = m.URL
		}
		errs = append(errs, HTMLError{Page: page, Line: m.LastLine, Column: m.FirstCol, Message: m.Message, Extract: m.Extract})
	}
	if runErr != nil && len(errs) == 0 {
		return nil, fmt.Errorf("vnu: %w: %s", runErr, truncate(stderr.String(), 500))
	}
	return errs, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
