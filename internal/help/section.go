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

// AccountSection is "Burenhulp" on /account: the viewer's own requests and
// offers with their status, and the way to the lists. Officers without
// another role get none.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if v == nil || !ScopeOf(v).Member {
		return nil, nil
	}
	mine, err := h.store.Mine(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if len(mine) > accountSize {
		mine = mine[:accountSize]
	}
	return AccountSection(mine, v.Has(role.Resident), v.Has(role.Worker)), nil
}

// accountSize is how many of one's own items the account page lists.
const accountSize = 5
