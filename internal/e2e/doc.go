// Package e2e holds the browser tests: real headless Chromium against the
// whole platform on its own database, at a phone and a desktop size, with
// axe-core checking every page for WCAG 2.1 A/AA violations. Every feature
// puts its browser tests here (<feature>_test.go), so one Chromium, started
// lazily by testkit.NewTab and stopped in TestMain, serves the whole run.
package e2e
