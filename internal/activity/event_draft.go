package activity

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// fieldEvent names, in the query string, the past event (internal/event)
// a worker logs as an activity: "Activiteit vastleggen" on its page.
const fieldEvent = "evenement"

// EventDraft is what an activity takes over from a past event.
type EventDraft struct {
	Title           string
	Place           string
	StartsAt        time.Time
	NeighbourhoodID int64 // the first of its neighbourhoods in the worker's areas
	InitiativeID    int64 // 0: none
	WorkerOrganised bool  // the worker published it
	SignUps         int   // places taken
}

// EventDraft reads past event id for worker, when it lies in one of their
// work areas, is not hidden or cancelled and has ended before now (the
// events table, read with this feature's own SQL).
func (s *Store) EventDraft(ctx context.Context, worker int64, areas []int64, id int64, now time.Time) (EventDraft, error) {
	var d EventDraft
	err := s.db.QueryRow(ctx, `
		SELECT e.title, CASE WHEN a.name IS NOT NULL AND e.place_text <> '' THEN a.name || ', ' || e.place_text
		                     ELSE COALESCE(a.name, e.place_text) END,
		       e.starts_at,
		       (SELECT min(en.neighbourhood_id) FROM event_neighbourhoods en
		        WHERE en.event_id = e.id AND en.neighbourhood_id = ANY($2::bigint[])),
		       COALESCE(e.initiative_id, 0), COALESCE(e.created_by = $3, false),
		       (SELECT count(*) FROM event_signups s WHERE s.event_id = e.id AND NOT s.waiting)
		FROM events e LEFT JOIN assets a ON a.id = e.asset_id AND NOT a.hidden
		WHERE e.id = $1 AND e.hidden_at IS NULL AND e.cancelled_at IS NULL AND e.ends_at <= $4
		  AND EXISTS (SELECT 1 FROM event_neighbourhoods en WHERE en.event_id = e.id AND en.neighbourhood_id = ANY($2::bigint[]))`,
		id, areas, worker, now).Scan(&d.Title, &d.Place, &d.StartsAt, &d.NeighbourhoodID, &d.InitiativeID, &d.WorkerOrganised, &d.SignUps)
	if errors.Is(err, pgx.ErrNoRows) {
		return EventDraft{}, ErrNotFound
	}
	if err != nil {
		return EventDraft{}, fmt.Errorf("activity: event draft %d: %w", id, err)
	}
	return d, nil
}

// fromEvent prefills f with the event of ?evenement= when the worker may
// log it; anything else leaves f as it is (an empty form).
func (h *Handler) fromEvent(ctx context.Context, v *httpx.Viewer, q url.Values, f *Form) error {
	if !q.Has(fieldEvent) {
		return nil
	}
	id, err := strconv.ParseInt(q.Get(fieldEvent), 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	d, err := h.store.EventDraft(ctx, v.ID, v.WorkAreas, id, h.now())
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	f.Title = d.Title
	if d.Place != "" && !strings.Contains(d.Title, d.Place) {
		if t := d.Title + " (" + d.Place + ")"; utf8.RuneCountInString(t) <= maxTitle {
			f.Title = t
		}
	}
	f.Date = d.StartsAt.In(dutch.Amsterdam).Format(time.DateOnly)
	f.Neighbourhood = strconv.FormatInt(d.NeighbourhoodID, 10)
	f.Participants = strconv.Itoa(d.SignUps)
	f.WorkerOrganised = d.WorkerOrganised || d.InitiativeID == 0
	if d.InitiativeID != 0 {
		f.Initiative = strconv.FormatInt(d.InitiativeID, 10)
	}
	return nil
}
