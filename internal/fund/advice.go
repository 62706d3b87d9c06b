package fund

import (
	"context"
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// AdviceHandler serves residents' advice on applications to funds that
// ask for it (decision mode advice or jury): the public advice page, the
// advice itself, and the results beside the application for the decider.
type AdviceHandler struct {
	store    *FollowUpStore
	sessions *scs.SessionManager
}

// NewAdviceHandler returns the advice handler.
func NewAdviceHandler(store *FollowUpStore, sm *scs.SessionManager) *AdviceHandler {
	return &AdviceHandler{store: store, sessions: sm}
}

// AdvicePath is the public advice page of application id.
func AdvicePath(id int64) string { return followUpApplicationPath(id, "advies") }

// AdviceForm is the advice as typed.
type AdviceForm struct {
	Choice  string // "voor" or "tegen"
	Comment string
}

// AdviceView is the advice page.
type AdviceView struct {
	Application AdviceApplication
	Standing    AdviceStanding
	Summary     AdviceSummary
}

var adviceFields = []ui.Label{{Field: "advies", Text: adviceLblChoice}, {Field: "toelichting", Text: adviceLblComment}}

func followUpViewerID(r *http.Request) int64 {
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		return v.ID
	}
	return 0
}

func (h *AdviceHandler) view(r *http.Request) (AdviceView, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return AdviceView{}, err
	}
	a, standing, err := h.store.AdviceApplication(r.Context(), id, followUpViewerID(r))
	if err != nil {
		return AdviceView{}, err
	}
	sum, err := h.store.AdviceSummary(r.Context(), id)
	if err != nil {
		return AdviceView{}, err
	}
	return AdviceView{Application: a, Standing: standing, Summary: sum}, nil
}

// Show serves the public advice page: the plan, the results so far, and
// the form for residents who may advise.
func (h *AdviceHandler) Show(w http.ResponseWriter, r *http.Request) error {
	v, err := h.view(r)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, AdvicePage(httpx.PageFor(r, "Advies over een aanvraag"), v, AdviceForm{}, nil))
}

// Give records the viewer's advice, once. A second try gets the page
// back with 409 and says the first advice stands.
func (h *AdviceHandler) Give(w http.ResponseWriter, r *http.Request) error {
	v, err := h.view(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := AdviceForm{Choice: r.PostForm.Get("advies")}
	errs := validate.Errors{}
	if f.Choice != "voor" && f.Choice != "tegen" {
		errs.Add("advies", adviceMsgChoose)
		f.Choice = ""
	}
	f.Comment = errs.Text("toelichting", r.PostForm.Get("toelichting"), validate.Rule{Max: adviceMaxComment, Multiline: true})
	page := httpx.PageFor(r, "Advies over een aanvraag")
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, AdvicePage(page, v, f, errs))
	}
	err = h.store.GiveAdvice(r.Context(), v.Application.ID, followUpViewerID(r), f.Choice == "voor", f.Comment)
	switch {
	case errors.Is(err, adviceErrTwice):
		v.Standing = AdviceGiven
		return httpx.Render(w, r, http.StatusConflict, AdvicePage(page, v, f, validate.Errors{"advies": adviceMsgTwice}))
	case errors.Is(err, adviceErrNotAllowed):
		return httpx.Render(w, r, http.StatusForbidden, AdvicePage(page, v, f, validate.Errors{"advies": adviceMsgNotAllowed}))
	case err != nil:
		return err
	}
	httpx.Flash(h.sessions, r, adviceMsgGiven)
	return httpx.Redirect(w, r, AdvicePath(v.Application.ID))
}

// AdviceFor is the residents' advice on application requestID as the
// decider sees it beside the application: counts and comments, and a link
// to the public page. Nothing for a fund that asks no advice.
func (h *AdviceHandler) AdviceFor(ctx context.Context, requestID int64) (templ.Component, error) {
	a, err := h.store.adviceForDecider(ctx, requestID)
	if errors.Is(err, fault.ErrNotFound) {
		return templ.NopComponent, nil
	}
	if err != nil {
		return nil, err
	}
	sum, err := h.store.AdviceSummary(ctx, requestID)
	if err != nil {
		return nil, err
	}
	return AdviceResults(a, sum, true), nil
}
