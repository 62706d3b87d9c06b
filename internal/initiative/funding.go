package initiative

import (
	"errors"
	"net/http"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// FundingForm is the input of a funding request, kept as typed.
type FundingForm struct {
	Amount  string
	Purpose string
	Budget  string
	Key     string
}

// DecisionForm is an officer's decision on a request.
type DecisionForm struct {
	Status FundingStatus
	Reason string
}

var fundingFields = []ui.Label{{Field: "bedrag", Text: lblAmount}, {Field: "doel", Text: lblPurpose}, {Field: "begroting", Text: lblBudget}}

// loadOwned is load for owners only: funding is requested by the people
// who run the initiative, not by administrators.
func (h *Handler) loadOwned(r *http.Request) (Initiative, access, error) {
	i, a, err := h.load(r)
	if err != nil {
		return i, a, err
	}
	// Hidden initiatives ask for nothing until a moderator shows them again.
	if !a.owner || i.Hidden() {
		return i, a, httpx.ErrForbidden
	}
	return i, a, nil
}

// NewFunding shows the funding request form to owners.
func (h *Handler) NewFunding(w http.ResponseWriter, r *http.Request) error {
	i, _, err := h.loadOwned(r)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, FundingPage(httpx.PageFor(r, "Buurtbudget aanvragen"), i, FundingForm{Key: uuid.New()}, nil))
}

// parseAmount validates the amount field and returns cents.
func parseAmount(errs validate.Errors, raw string) int64 {
	s, ok := validate.CleanText(raw, false)
	if !ok || len(s) > 30 {
		errs.Add("bedrag", msgBadAmount)
		return 0
	}
	if s == "" {
		errs.Add("bedrag", msgRequired)
		return 0
	}
	cents, ok := ParseAmount(s)
	switch {
	case !ok:
		errs.Add("bedrag", msgBadAmount)
	case cents <= 0:
		errs.Add("bedrag", msgAmountZero)
	case cents > MaxAmountCents:
		errs.Add("bedrag", msgAmountTooHigh)
	}
	return cents
}

// CreateFunding files a funding request.
func (h *Handler) CreateFunding(w http.ResponseWriter, r *http.Request) error {
	i, a, err := h.loadOwned(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := FundingForm{Amount: r.PostForm.Get("bedrag"), Key: r.PostForm.Get(fKey)}
	if !uuid.Valid(f.Key) {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	cents := parseAmount(errs, f.Amount)
	f.Purpose = errs.Text("doel", r.PostForm.Get("doel"), validate.Rule{Required: true, Max: MaxPurpose})
	f.Budget = errs.Text("begroting", r.PostForm.Get("begroting"), validate.Rule{Required: true, Max: MaxBudget, Multiline: true})
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, FundingPage(httpx.PageFor(r, "Buurtbudget aanvragen"), i, f, errs))
	}
	if err := h.store.RequestFunding(r.Context(), i.ID, cents, f.Purpose, f.Budget, f.Key, a.viewer.ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgFundingSent)
	return httpx.Redirect(w, r, initiativeURL(i.ID)+"#buurtbudget")
}

// DecisionsShown is how many of the newest decisions the queue lists under
// the pending requests; older ones stay on each initiative's page.
const DecisionsShown = 100

// QueueView is the officer's funding queue.
type QueueView struct {
	HasMunicipality bool
	Pending         []FundingRequest // all of them, oldest first
	Decided         []FundingRequest // the newest DecisionsShown
	MoreDecided     bool             // older decisions exist
}

// Queue lists the funding requests of the officer's municipality.
func (h *Handler) Queue(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	q := QueueView{HasMunicipality: v.MunicipalityID != 0}
	if q.HasMunicipality {
		var err error
		if q.Pending, q.Decided, q.MoreDecided, err = h.store.FundingQueue(r.Context(), v.MunicipalityID, v.ID, DecisionsShown); err != nil {
			return err
		}
	}
	return httpx.Render(w, r, http.StatusOK, QueuePage(httpx.PageFor(r, "Aanvragen buurtbudget"), q))
}

// DecisionView is the page of one funding request for an officer.
type DecisionView struct {
	Request FundingRequest
	// Conflicted: the viewer submitted the request or owns the initiative,
	// so the page explains that they may not decide, instead of the form.
	Conflicted bool
	Others     []string // names of officers of the municipality who may decide
	OthersMore int      // how many more there are than named
}

// decisionView loads who may decide on fr besides the viewer.
func (h *Handler) decisionView(r *http.Request, fr FundingRequest) (DecisionView, error) {
	v := httpx.ViewerFrom(r.Context())
	conflicted, names, total, err := h.store.Deciders(r.Context(), fr.ID, v.MunicipalityID, v.ID)
	if err != nil {
		return DecisionView{}, err
	}
	return DecisionView{Request: fr, Conflicted: conflicted, Others: names, OthersMore: total - len(names)}, nil
}

// ShowRequest shows one request with the decision form. A request of another
// municipality is forbidden; the scope is part of the query. An officer who
// submitted the request or owns the initiative sees it without the form,
// with the names of colleagues who may decide.
func (h *Handler) ShowRequest(w http.ResponseWriter, r *http.Request) error {
	fr, err := h.request(r)
	if err != nil {
		return err
	}
	if err := h.store.Audit(r.Context(), httpx.ViewerFrom(r.Context()).ID, "funding.view", "funding_request", fr.ID); err != nil {
		return err
	}
	dv, err := h.decisionView(r, fr)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, DecisionPage(httpx.PageFor(r, "Aanvraag beoordelen"), dv, DecisionForm{}, nil))
}

// refuseConflicted answers a decision by a conflicted officer: 403, with
// the page saying why and who may decide instead.
func (h *Handler) refuseConflicted(w http.ResponseWriter, r *http.Request, fr FundingRequest) error {
	dv, err := h.decisionView(r, fr)
	if err != nil {
		return err
	}
	dv.Conflicted = true
	return httpx.Render(w, r, http.StatusForbidden, DecisionPage(httpx.PageFor(r, "Aanvraag beoordelen"), dv, DecisionForm{}, nil))
}

func (h *Handler) request(r *http.Request) (FundingRequest, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return FundingRequest{}, err
	}
	return h.store.FundingRequest(r.Context(), id, httpx.ViewerFrom(r.Context()).MunicipalityID)
}

// Decide grants or rejects a request, with a reason the owners see.
func (h *Handler) Decide(w http.ResponseWriter, r *http.Request) error {
	fr, err := h.request(r)
	if err != nil {
		return err
	}
	if !fr.Pending() {
		// The page of a decided request has no form to show errors in.
		httpx.FlashError(h.sessions, r, msgAlreadyDecided)
		return httpx.Redirect(w, r, "/gemeente/aanvragen")
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	f := DecisionForm{}
	f.Status = choice(errs, "besluit", r.PostForm.Get("besluit"), Decisions)
	f.Reason = errs.Text("motivering", r.PostForm.Get("motivering"), validate.Rule{Required: true, Max: MaxReason, Multiline: true})
	if !errs.Valid() {
		dv, err := h.decisionView(r, fr)
		if err != nil {
			return err
		}
		if dv.Conflicted {
			return h.refuseConflicted(w, r, fr)
		}
		return httpx.Render(w, r, http.StatusUnprocessableEntity, DecisionPage(httpx.PageFor(r, "Aanvraag beoordelen"), dv, f, errs))
	}
	v := httpx.ViewerFrom(r.Context())
	// The conflict of interest is checked in the UPDATE itself, so it holds
	// even for someone who became an owner after opening the page.
	err = h.store.Decide(r.Context(), fr.ID, v.MunicipalityID, f.Status, f.Reason, v.ID)
	switch {
	case errors.Is(err, ErrAlreadyDecided):
		httpx.FlashError(h.sessions, r, msgAlreadyDecided)
		return httpx.Redirect(w, r, "/gemeente/aanvragen")
	case errors.Is(err, ErrConflictOfInterest):
		return h.refuseConflicted(w, r, fr)
	case err != nil:
		return err
	}
	httpx.Flash(h.sessions, r, msgDecided)
	return httpx.Redirect(w, r, "/gemeente/aanvragen")
}
