// Package htmlcheck holds the tests that every page type the platform serves
// is valid HTML (W3C Nu checker) and carries the security headers. It has no
// code of its own: the crawler and the checker live in testkit.
package htmlcheck
