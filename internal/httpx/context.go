package httpx

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

type ctxKey int

const (
	viewerKey ctxKey = iota
	pageKey
)

// Viewer is the logged-in user of a request, as loaded by the account
// middleware on every request (roles are always fresh from the database).
type Viewer struct {
	ID             int64
	Name           string
	Email          string
	Roles          []role.Role
	MunicipalityID int64   // officers: the municipality they serve (0 when none)
	WorkAreas      []int64 // workers: neighbourhood ids
	OrganisationID int64
	EmailConfirmed bool // until then: read and join, but no public posts, messages or e-mail
	Unread         int  // unread notifications, shown in the header
	// HomeNeighbourhood is the CBS code of the viewer's own neighbourhood,
	// "" when none was chosen: "Mijn buurt" in the header, the landing
	// after login and the starting point of the create forms.
	HomeNeighbourhood string
}

// Has reports whether the viewer holds r.
func (v *Viewer) Has(r role.Role) bool {
	return v != nil && slices.Contains(v.Roles, r)
}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey, v)
}

// ViewerFrom returns the logged-in user, or nil for an anonymous visitor.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey).(*Viewer)
	return v
}

// WithPage returns ctx carrying the page chrome built by the app middleware.
func WithPage(ctx context.Context, p layout.Page) context.Context {
	return context.WithValue(ctx, pageKey, p)
}

// PageFor returns the chrome for this request with title set.
func PageFor(r *http.Request, title string) layout.Page {
	p, _ := r.Context().Value(pageKey).(layout.Page)
	p.Title = title
	if p.Path == "" {
		p.Path = r.URL.Path
	}
	return p
}

// SafeNext returns target when it is a local path on this site, else fallback.
// It refuses scheme-relative ("//evil") and backslash tricks used for open redirects.
func SafeNext(target, fallback string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") ||
		strings.Contains(target, "\\") || strings.ContainsAny(target, "\r\n\t") {
		return fallback
	}
	u, err := url.Parse(target)
	if err != nil || u.IsAbs() || u.Host != "" {
		return fallback
	}
	return target
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
