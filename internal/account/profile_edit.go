package account

import (
	"context"
	"net/http"
	"strconv"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// ProfileForm is the input of the form for name and home neighbourhood,
// kept when it is shown again.
type ProfileForm struct {
	Name          string
	Neighbourhood string // neighbourhood id as posted, "" for none
}

const profileTitle = "Naam en buurt wijzigen"

// EditProfile shows the form for the viewer's name and home neighbourhood.
func (h *Handler) EditProfile(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.store.ByID(r.Context(), httpx.ViewerFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	f := ProfileForm{Name: acc.DisplayName}
	if acc.HomeNeighbourhoodID != nil {
		f.Neighbourhood = strconv.FormatInt(*acc.HomeNeighbourhoodID, 10)
	}
	return h.renderProfile(w, r, http.StatusOK, f, nil)
}

// SaveProfile stores the viewer's name and home neighbourhood. The header's
// "Mijn buurt" and the create forms follow the new neighbourhood at once.
func (h *Handler) SaveProfile(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	errs := validate.Errors{}
	f := ProfileForm{Neighbourhood: r.PostForm.Get("buurt")}
	f.Name = errs.Text("name", r.PostForm.Get("name"), validate.Rule{Max: 100})
	if f.Name == "" {
		errs.Add("name", msgNameRequired)
	}
	home, err := h.parseHome(ctx, &f.Neighbourhood, errs)
	if err != nil {
		return err
	}
	if !errs.Valid() {
		return h.renderProfile(w, r, http.StatusUnprocessableEntity, f, errs)
	}
	changed, err := h.store.UpdateProfile(ctx, v.ID, f.Name, home)
	if err != nil {
		return err
	}
	if changed {
		httpx.Flash(h.sessions, r, msgProfileSaved)
	} else {
		httpx.Flash(h.sessions, r, msgProfileUnchanged)
	}
	return httpx.Redirect(w, r, "/account")
}

func (h *Handler) renderProfile(w http.ResponseWriter, r *http.Request, status int, f ProfileForm, errs validate.Errors) error {
	opts, err := h.neighbourhoodOptions(r.Context())
	if err != nil {
		return err
	}
	return httpx.Render(w, r, status, ProfilePage(httpx.PageFor(r, profileTitle), f, opts, errs))
}

// neighbourhoodOptions is the neighbourhood picker of registration and the
// profile form: one select, grouped by municipality, that works without JS.
func (h *Handler) neighbourhoodOptions(ctx context.Context) ([]ui.Option, error) {
	places, err := h.store.Neighbourhoods(ctx)
	if err != nil {
		return nil, err
	}
	opts := make([]ui.Option, len(places))
	for i, pl := range places {
		opts[i] = ui.Option{Value: strconv.FormatInt(pl.ID, 10), Label: pl.Name, Group: pl.Municipality}
	}
	return opts, nil
}

// parseHome reads the posted neighbourhood id (raw, "" for none). An id
// that names no neighbourhood adds an error to "buurt" and empties raw, so
// the form shows no choice.
func (h *Handler) parseHome(ctx context.Context, raw *string, errs validate.Errors) (*int64, error) {
	if *raw == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(*raw, 10, 64)
	ok := err == nil && id > 0
	if ok {
		if ok, err = h.store.NeighbourhoodExists(ctx, id); err != nil {
			return nil, err
		}
	}
	if !ok {
		errs.Add("buurt", msgNoNeighbourhood)
		*raw = ""
		return nil, nil
	}
	return &id, nil
}
