package contact

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// APIInput is the JSON body of POST /api/v1/contacts and /contacten/sync.
// people_count and initiative_id may be numbers or strings (form values).
type APIInput struct {
	ClientID      string   `json:"client_id"`
	OccurredAt    string   `json:"occurred_at"`
	Neighbourhood string   `json:"neighbourhood"`
	PlaceType     string   `json:"place_type"`
	PeopleCount   any      `json:"people_count"`
	Themes        []string `json:"themes"`
	Strategy      string   `json:"strategy"`
	Energy        string   `json:"energy"`
	Concern       string   `json:"concern"`
	Note          string   `json:"note"`
	FollowUp      string   `json:"follow_up"`
	InitiativeID  any      `json:"initiative_id"`
	Referral      string   `json:"referral"`
}

// APIContact is a contact as the API returns it to its author.
type APIContact struct {
	ID                int64             `json:"id"`
	ClientID          string            `json:"client_id"`
	OccurredAt        time.Time         `json:"occurred_at"`
	Neighbourhood     string            `json:"neighbourhood"`
	NeighbourhoodName string            `json:"neighbourhood_name"`
	PlaceType         PlaceType         `json:"place_type"`
	PeopleCount       int               `json:"people_count"`
	Themes            []string          `json:"themes"`
	Strategy          strategy.Strategy `json:"strategy"`
	Energy            string            `json:"energy"`
	Concern           string            `json:"concern"`
	Note              *string           `json:"note"`
	NoteErasedAt      *time.Time        `json:"note_erased_at"`
	FollowUp          FollowUp          `json:"follow_up"`
	InitiativeID      *int64            `json:"initiative_id"`
	Referral          string            `json:"referral"`
	Story             *string           `json:"story"`
	StorySharedAt     *time.Time        `json:"story_shared_at"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

func toAPI(c Contact) APIContact {
	return APIContact{
		ID: c.ID, ClientID: c.ClientID, OccurredAt: c.OccurredAt, Neighbourhood: c.NeighbourhoodCode, NeighbourhoodName: c.NeighbourhoodName,
		PlaceType: c.PlaceType, PeopleCount: c.PeopleCount, Themes: c.Themes, Strategy: c.Strategy, Energy: c.Energy, Concern: c.Concern,
		Note: c.Note, NoteErasedAt: c.NoteErasedAt, FollowUp: c.FollowUp, InitiativeID: c.InitiativeID, Referral: c.Referral,
		Story: c.Story, StorySharedAt: c.StorySharedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// scalar turns a JSON number or string into the text a form would send;
// a value of another type becomes text that fails validation.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return "?"
	}
}

type apiErrors struct {
	Errors validate.Errors `json:"errors"`
}

// CreateJSON stores a contact posted as JSON by the API or the offline
// queue: 201 with the contact the first time, 200 with the same contact for
// a replay of its client_id, 422 with Dutch field errors.
func (h *Handler) CreateJSON(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	var body APIInput
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || dec.Decode(&struct{}{}) != io.EOF {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return httpx.JSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": msgJSONInvalid})
		}
		return httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": msgJSONInvalid})
	}
	areas, err := h.store.WorkAreas(ctx, v.ID)
	if err != nil {
		return err
	}
	raw := Raw{
		ClientID: body.ClientID, OccurredAt: body.OccurredAt, Neighbourhood: body.Neighbourhood, PlaceType: body.PlaceType,
		PeopleCount: scalar(body.PeopleCount), Themes: body.Themes, Strategy: body.Strategy, Energy: body.Energy,
		Concern: body.Concern, Note: body.Note, FollowUp: body.FollowUp, InitiativeID: scalar(body.InitiativeID), Referral: body.Referral,
	}
	in, errs := Validate(raw, areaCodes(areas), h.now(), nil)
	if errs.Valid() && in.InitiativeID != nil {
		inits, err := h.store.Initiatives(ctx, areaIDs(areas))
		if err != nil {
			return err
		}
		checkInitiative(in, inits, errs)
	}
	if !errs.Valid() {
		return httpx.JSON(w, http.StatusUnprocessableEntity, apiErrors{errs})
	}
	c, created, err := h.store.Create(ctx, v.ID, in)
	if errors.Is(err, ErrOutsideArea) {
		errs.Add(fNeighbourh, msgOutsideArea)
		return httpx.JSON(w, http.StatusUnprocessableEntity, apiErrors{errs})
	}
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", contactPath(c.ID, "/bewerken"))
	}
	return httpx.JSON(w, status, toAPI(c))
}

// ListJSON returns the worker's own contacts between ?from and ?to
// (inclusive local dates; default the last 30 days), notes included.
func (h *Handler) ListJSON(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	q := r.URL.Query()
	errs := validate.Errors{}
	today := h.now().In(dutch.Amsterdam)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, dutch.Amsterdam)
	from, to := today.AddDate(0, 0, -30), today
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		s := strings.TrimSpace(q.Get(p.name))
		if s == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", s, dutch.Amsterdam)
		if err != nil {
			errs.Add(p.name, msgDateFormat)
			continue
		}
		*p.dst = t
	}
	if errs.Valid() && to.Before(from) {
		errs.Add("to", msgDateOrder)
	}
	if !errs.Valid() {
		return httpx.JSON(w, http.StatusUnprocessableEntity, apiErrors{errs})
	}
	list, err := h.store.Between(r.Context(), v.ID, from, to.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	out := make([]APIContact, len(list))
	for i, c := range list {
		out[i] = toAPI(c)
	}
	return httpx.JSON(w, http.StatusOK, map[string]any{
		"from": from.Format("2006-01-02"), "to": to.Format("2006-01-02"), "contacts": out,
	})
}
