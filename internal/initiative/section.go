package initiative

import (
	"context"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// sectionSize is how many initiatives the neighbourhood page lists.
const sectionSize = 6

// NeighbourhoodSection lists a neighbourhood's initiatives on its page
// (public ones, and members-only ones for logged-in viewers). It runs the
// list's fixed four queries.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	res, err := h.store.List(ctx, Filter{neighbourhoodID: neighbourhoodID}, v != nil, 1, sectionSize)
	if err != nil {
		return nil, err
	}
	code := ""
	if len(res.Items) > 0 {
		for _, p := range res.Items[0].Neighbourhoods {
			if p.ID == neighbourhoodID {
				code = p.Code
			}
		}
	}
	return SectionView(res, code), nil
}

// AccountSection lists the viewer's own and joined initiatives on /account.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	if v == nil {
		return nil, nil
	}
	mine, err := h.store.Mine(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	invitations, err := h.store.InvitationsFor(ctx, v.ID, 0)
	if err != nil {
		return nil, err
	}
	return AccountView(mine, invitations, canCreate(v)), nil
}
