package help

import (
	"context"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// sectionSize is how many requests and offers the neighbourhood page shows.
const sectionSize = 5

// NeighbourhoodSection is "Burenhulp" on the neighbourhood page: the newest
// open requests and offers near it that the member may see; anonymous
// visitors get a call to log in and no content. Municipality officers
// (aggregates only) get no section.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	if v == nil {
		return Section(SectionView{}), nil
	}
	sc := ScopeOf(v)
	if !sc.Member {
		return nil, nil
	}
	items, err := h.store.Near(ctx, sc, neighbourhoodID, sectionSize)
	if err != nil {
		return nil, err
	}
	return Section(SectionView{LoggedIn: true, Items: items, CanAsk: v.Has(role.Resident)}), nil
}
