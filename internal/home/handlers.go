// Package home serves the public front page and the about/privacy page.
package home

import (
	"net/http"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// Handler serves the public pages that need no data.
type Handler struct{}

// NewHandler returns the handler of the front and about pages; they have no
// dependencies, but are built like every other feature's handler.
func NewHandler() *Handler { return &Handler{} }

// Index is the front page: what Buurtkracht is and where each kind of user starts.
func (Handler) Index(w http.ResponseWriter, r *http.Request) error {
	p := httpx.PageFor(r, "")
	p.Description = "Buurtkracht: bewonersinitiatieven, opbouwwerk en gemeente samen in één platform voor de buurt."
	return httpx.Render(w, r, http.StatusOK, IndexPage(p))
}

// About explains the platform, the data it keeps and the data sources.
func (Handler) About(w http.ResponseWriter, r *http.Request) error {
	return httpx.Render(w, r, http.StatusOK, AboutPage(httpx.PageFor(r, "Over Buurtkracht en privacy")))
}
