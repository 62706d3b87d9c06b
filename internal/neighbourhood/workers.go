package neighbourhood

import (
	"context"
	"fmt"
	"strconv"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// Worker is a community worker of a neighbourhood as its page shows them:
// a professional, so name and organisation are public.
type Worker struct {
	ID           int64
	Name         string
	Organisation string // "" when none
}

// Workers returns the community workers with neighbourhoodID among their
// work areas (role worker, not suspended), by name.
func (s *Store) Workers(ctx context.Context, neighbourhoodID int64) ([]Worker, error) {
	rows, err := s.db.Query(ctx, `
		SELECT a.id, a.display_name, coalesce(o.name, '')
		FROM account_work_areas w
		JOIN accounts a ON a.id = w.account_id
		LEFT JOIN organisations o ON o.id = a.organisation_id
		WHERE w.neighbourhood_id = $1 AND 'worker' = ANY (a.roles) AND a.suspended_at IS NULL
		ORDER BY a.display_name, a.id`, neighbourhoodID)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: workers of %d: %w", neighbourhoodID, err)
	}
	ws, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Worker])
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: workers of %d: %w", neighbourhoodID, err)
	}
	return ws, nil
}

// WorkersSection is the "Opbouwwerkers" part of the neighbourhood page (a
// Section, one query): who the community workers of this area are, and for
// a logged-in member a button to send one of them a message.
type WorkersSection struct{ store *Store }

// NewWorkersSection returns the section on store.
func NewWorkersSection(store *Store) WorkersSection { return WorkersSection{store: store} }

// NeighbourhoodSection implements Section.
func (s WorkersSection) NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error) {
	ws, err := s.store.Workers(ctx, neighbourhoodID)
	if err != nil {
		return nil, err
	}
	var viewer int64
	if v != nil {
		viewer = v.ID
	}
	return workersSection(WorkersView{Workers: ws, Neighbourhood: neighbourhoodID, Viewer: viewer}), nil
}

// WorkersView is the model of the workers section.
type WorkersView struct {
	Workers       []Worker
	Neighbourhood int64
	Viewer        int64 // 0: not logged in
}

// workerMessagePath starts a message to worker w as a worker of
// neighbourhood n; internal/message checks that w works there.
func workerMessagePath(w, n int64) string {
	return "/berichten/nieuw?over=opbouwwerker&id=" + strconv.FormatInt(w, 10) + "&buurt=" + strconv.FormatInt(n, 10)
}
