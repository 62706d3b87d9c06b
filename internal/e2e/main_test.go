// Package e2e holds the browser tests: real headless Chromium against the
// whole platform on its own database, at a phone and a desktop size, with
// axe-core checking every page for WCAG 2.1 A/AA violations. All features put
// their browser tests here (<feature>_test.go) so one Chromium serves the run.
package e2e

import (
	"os"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.CloseBrowser()
	os.Exit(code)
}
