package event

import (
	"context"
	"slices"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// SectionSize is how many events the neighbourhood and initiative pages show.
const SectionSize = 3

// NeighbourhoodSection is "Wat is er te doen" on the neighbourhood page:
// the next few events, with a link to the whole agenda.
func (h *Handler) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	events, _, err := h.store.List(ctx, ViewerOf(v), Filter{Area: Area{NeighbourhoodID: neighbourhoodID}, From: h.now(), Limit: SectionSize})
	if err != nil {
		return nil, err
	}
	code, err := h.store.NeighbourhoodCode(ctx, neighbourhoodID)
	if err != nil {
		return nil, err
	}
	canPublish := v.Has(role.Worker) && slices.Contains(v.WorkAreas, neighbourhoodID)
	return SectionView(events, code, canPublish), nil
}

// InitiativeAgenda is the agenda section of an initiative's page; owner
// adds the link to publish an event for it.
func (h *Handler) InitiativeAgenda(ctx context.Context, initiativeID int64, owner bool, v *httpx.Viewer) (templ.Component, error) {
	events, _, err := h.store.List(ctx, ViewerOf(v), Filter{InitiativeID: initiativeID, From: h.now(), Limit: SectionSize})
	if err != nil {
		return nil, err
	}
	if len(events) == 0 && !owner {
		return nil, nil
	}
	return InitiativeSection(events, initiativeID, owner), nil
}

// AccountSection lists the viewer's upcoming sign-ups on /account.
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	events, statuses, err := h.store.Mine(ctx, v.ID, h.now())
	if err != nil {
		return nil, err
	}
	return AccountView(events, statuses), nil
}

// SendReminders is the periodic job of the reminders a day before.
func (h *Handler) SendReminders(ctx context.Context) (int64, error) {
	return h.store.SendReminders(ctx, h.now())
}
