package initiative

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/theme"
)

// The open data API shows public, visible initiatives with public fields
// only: no contact details, owners, supporters' names or offers; of
// funding only what was granted, by which fund (api_grants.go).

// APIInitiative is the JSON form of a public initiative.
type APIInitiative struct {
	ID             int64      `json:"id"`
	URL            string     `json:"url"`
	Title          string     `json:"title"`
	Summary        string     `json:"summary"`
	Description    string     `json:"description"`
	Form           APICode    `json:"form"`
	Status         APICode    `json:"status"`
	Themes         []APICode  `json:"themes"`
	Needs          []APINeed  `json:"needs"`
	Municipality   APIPlace   `json:"municipality"`
	Neighbourhoods []APIPlace `json:"neighbourhoods"`
	Supporters     int        `json:"supporters"`
	Grants         []APIGrant `json:"grants"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// APICode is a code with its Dutch label.
type APICode struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// APINeed is a need with the owners' public explanation.
type APINeed struct {
	Code    string `json:"code"`
	Label   string `json:"label"`
	Details string `json:"details"`
}

// APIPlace is a municipality or neighbourhood by CBS code.
type APIPlace struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	District string `json:"district_code,omitempty"`
}

// APIList is one page of the list.
type APIList struct {
	Data       []APIInitiative `json:"data"`
	NextCursor *string         `json:"next_cursor"`
}

func toAPI(i Initiative, base string) APIInitiative {
	out := APIInitiative{
		ID: i.ID, URL: strings.TrimSuffix(base, "/") + initiativeURL(i.ID), Title: i.Title, Summary: i.Summary, Description: i.Description,
		Form: APICode{string(i.Form), FormLabel(i.Form)}, Status: APICode{string(i.Status), StatusLabel(i.Status)},
		Themes: []APICode{}, Needs: []APINeed{}, Neighbourhoods: []APIPlace{}, Grants: []APIGrant{},
		Municipality: APIPlace{Code: i.MunicipalityCode, Name: i.MunicipalityName},
		Supporters:   i.Supporters, CreatedAt: i.CreatedAt.UTC(), UpdatedAt: i.UpdatedAt.UTC(),
	}
	for _, t := range i.Themes {
		out.Themes = append(out.Themes, APICode{t, theme.Label(t)})
	}
	for _, n := range i.Needs {
		out.Needs = append(out.Needs, APINeed{string(n.Code), NeedLabel(n.Code), n.Details})
	}
	for _, p := range i.Neighbourhoods {
		out.Neighbourhoods = append(out.Neighbourhoods, APIPlace{Code: p.Code, Name: p.Name, District: p.DistrictCode})
	}
	return out
}

// Cursors are opaque to clients: "i1." + the last id seen, base64url-encoded.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("i1." + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), "i1.") {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b[3:]), 10, 64)
	return id, err == nil && id > 0
}

func apiError(w http.ResponseWriter, status int, msg string) error {
	return httpx.JSON(w, status, map[string]string{"error": msg})
}

// openData lets web pages elsewhere read the API: it is public data, read
// without cookies or credentials.
func openData(w http.ResponseWriter) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
}

// APIList serves GET /api/v1/initiatives: the same filters as the page
// (q, municipality, district, neighbourhood, theme, status, need), newest
// first, limit 1–100 (default 20), and a cursor for the next page.
func (h *Handler) APIList(w http.ResponseWriter, r *http.Request) error {
	openData(w)
	q := r.URL.Query()
	f, ok := parseFilter(q, apiKeys)
	if !ok {
		return apiError(w, http.StatusBadRequest, "Onbekende of ongeldige filterwaarde.")
	}
	limit := 20
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return apiError(w, http.StatusBadRequest, "limit moet tussen 1 en 100 liggen.")
		}
		limit = n
	}
	var after int64
	if s := q.Get("cursor"); s != "" {
		if after, ok = decodeCursor(s); !ok {
			return apiError(w, http.StatusBadRequest, "Ongeldige cursor.")
		}
	}
	store := h.store.forReads(r.Context())
	items, err := store.ListAfter(r.Context(), f, after, limit+1)
	if err != nil {
		return err
	}
	out := APIList{Data: []APIInitiative{}}
	if len(items) > limit {
		items = items[:limit]
		c := encodeCursor(items[limit-1].ID)
		out.NextCursor = &c
	}
	for _, i := range items {
		out.Data = append(out.Data, toAPI(i, h.baseURL))
	}
	if err := store.withGrants(r.Context(), out.Data); err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, out)
}

// APIShow serves GET /api/v1/initiatives/{id}; anything not public and
// visible is 404.
func (h *Handler) APIShow(w http.ResponseWriter, r *http.Request) error {
	openData(w)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return apiError(w, http.StatusNotFound, "Initiatief niet gevonden.")
	}
	store := h.store.forReads(r.Context())
	i, err := store.Get(r.Context(), id)
	if errors.Is(err, ErrNotFound) || (err == nil && (i.Hidden() || i.Visibility != Public)) {
		return apiError(w, http.StatusNotFound, "Initiatief niet gevonden.")
	}
	if err != nil {
		return err
	}
	one := []APIInitiative{toAPI(i, h.baseURL)}
	if err := store.withGrants(r.Context(), one); err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, one[0])
}
