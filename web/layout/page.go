// Package layout holds the page chrome (header, navigation, footer) and the
// error pages. Templates here receive view models only.
package layout

import (
	"slices"
	"strconv"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Page is the chrome of one response, built once per request by the app.
type Page struct {
	Title       string    // shown in <title> and as the page's h1 by most pages
	Description string    // meta description, optional
	User        *User     // nil for anonymous visitors
	Nav         []NavItem // main navigation for this user
	Path        string    // current URL path, marks the active nav item
	Flash       string    // one-off confirmation after a redirect
	FlashError  bool      // the flash reports a problem rather than a success
	Wide        bool      // pages with big tables use the full width
	Head        []string  // extra stylesheet URLs for this page
	Scripts     []string  // extra script URLs (deferred) for this page
	Manifest    string    // URL of a web app manifest, for installable pages
}

// User is what the chrome knows of the logged-in user.
type User struct {
	ID     int64
	Name   string
	Roles  []role.Role
	Unread int // unread notifications
}

// Has reports whether the user holds r.
func (u *User) Has(r role.Role) bool {
	return u != nil && slices.Contains(u.Roles, r)
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Label string
	Href  string
	// Count, when above zero, follows the label as text ("Meldingen (3
	// ongelezen)"), so it needs neither colour nor JavaScript to be read.
	Count      int
	CountLabel string
}

// Current reports whether the item links to the current section. When
// two items match ("Buurten" and "Mijn buurt" on /buurten/BU…), only the
// more specific one is current.
func (p Page) Current(n NavItem) bool {
	if !p.within(n.Href) {
		return false
	}
	for _, o := range p.Nav {
		if len(o.Href) > len(n.Href) && p.within(o.Href) {
			return false
		}
	}
	return true
}

// within reports whether the current path is href or lies below it.
func (p Page) within(href string) bool {
	if href == "/" {
		return p.Path == "/"
	}
	return p.Path == href || len(p.Path) > len(href) && p.Path[:len(href)] == href && p.Path[len(href)] == '/'
}

// FullTitle is the document title: page first, platform last.
func (p Page) FullTitle() string {
	if p.Title == "" {
		return "Buurtkracht"
	}
	return p.Title + " – Buurtkracht"
}

// Text is the link text: the label, with the count when there is one.
func (n NavItem) Text() string {
	if n.Count <= 0 {
		return n.Label
	}
	return n.Label + " (" + strconv.Itoa(n.Count) + " " + n.CountLabel + ")"
}

// TestID names the link for tests: "nav-" and the path without slashes.
func (n NavItem) TestID() string {
	return "nav" + strings.ReplaceAll(n.Href, "/", "-")
}
