package fund

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Handler serves the fund pages, the funding finder, applications and the
// deciders' queue.
type Handler struct {
	store    *Store
	sessions *scs.SessionManager
	// Advice shows residents' advice beside an application; nil: none.
	Advice AdviceSource
	// Now is the clock (tests move it); time.Now when nil.
	Now func() time.Time
}

// NewHandler returns the handler.
func NewHandler(store *Store, sessions *scs.SessionManager) *Handler {
	return &Handler{store: store, sessions: sessions}
}

// today is the date in the Netherlands.
func (h *Handler) today() time.Time {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	y, m, d := now().In(dutch.Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// List shows every fund with its rules and what it granted (open data).
func (h *Handler) List(w http.ResponseWriter, r *http.Request) error {
	fs, err := h.store.Funds(r.Context())
	if err != nil {
		return err
	}
	// Those who manage funds get a link to do so.
	manages := false
	if httpx.ViewerFrom(r.Context()) != nil {
		sc, err := h.scope(r)
		if err != nil {
			return err
		}
		manages = sc.Any()
	}
	return httpx.Render(w, r, http.StatusOK, ListPage(httpx.PageFor(r, "Potjes voor bewonersinitiatieven"), fs, h.today(), manages))
}

// Show shows one fund: rules, budget, and the granted applications (fund
// names and amounts only; never refusals or motivations).
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := h.store.Fund(r.Context(), id)
	if err != nil {
		return err
	}
	gs, err := h.store.Grants(r.Context(), id)
	if err != nil {
		return err
	}
	var viewer int64
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		viewer = v.ID
	}
	fv := FundView{Fund: f, Grants: gs}
	if fv.Advice, err = h.store.OpenForAdvice(r.Context(), id, viewer); err != nil {
		return err
	}
	if fv.Dashboard, err = h.store.SeesDashboard(r.Context(), id, viewer); err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, FundPage(httpx.PageFor(r, f.Name), fv, h.today()))
}

// candidate loads the initiative of the path for its owner.
func (h *Handler) candidate(r *http.Request) (Candidate, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return Candidate{}, err
	}
	return h.store.Candidate(r.Context(), id, httpx.ViewerFrom(r.Context()).ID)
}

// Finder shows the owners of an initiative the open funds that fit it.
func (h *Handler) Finder(w http.ResponseWriter, r *http.Request) error {
	c, err := h.candidate(r)
	if err != nil {
		return err
	}
	fs, err := h.store.Finder(r.Context(), c, h.today())
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, FinderPage(httpx.PageFor(r, "Potjeswijzer"), c, fs))
}

// LineForm is one budget line as typed.
type LineForm struct{ What, Amount string }

// ApplyForm is the application form as typed.
type ApplyForm struct {
	Lines      []LineForm
	Own        string
	Purpose    string
	Impact     string
	ActivityOn string
	Key        string
}

func emptyApplyForm() ApplyForm {
	return ApplyForm{Lines: make([]LineForm, FormLines), Key: uuid.New()}
}

func (h *Handler) applyTarget(r *http.Request) (Candidate, Fund, error) {
	c, err := h.candidate(r)
	if err != nil {
		return c, Fund{}, err
	}
	fid, err := httpx.PathID(r, "fund")
	if err != nil {
		return c, Fund{}, err
	}
	f, err := h.store.FitFund(r.Context(), c, fid, h.today())
	if errors.Is(err, ErrClosed) {
		httpx.FlashError(h.sessions, r, msgClosed)
	}
	return c, f, err
}

// NewApplication shows the application form for one fund.
func (h *Handler) NewApplication(w http.ResponseWriter, r *http.Request) error {
	c, f, err := h.applyTarget(r)
	if errors.Is(err, ErrClosed) {
		return httpx.Redirect(w, r, finderURL(c.ID))
	}
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ApplyPage(httpx.PageFor(r, "Aanvragen bij "+f.Name), c, f, emptyApplyForm(), nil))
}

// parseAmount reads an amount field into errs; ok false when it is not one.
func parseAmount(errs validate.Errors, field, raw string, required bool) (int64, bool) {
	s, ok := validate.CleanText(raw, false)
	switch {
	case !ok || len(s) > 30:
		errs.Add(field, msgBadAmount)
		return 0, false
	case s == "" && required:
		errs.Add(field, msgRequired)
		return 0, false
	case s == "":
		return 0, true
	}
	cents, ok := money.Parse(s)
	if !ok {
		errs.Add(field, msgBadAmount)
		return 0, false
	}
	return cents, true
}

// parseApplication reads and checks the form against the fund's rules.
func (h *Handler) parseApplication(r *http.Request, c Candidate, f Fund) (ApplyForm, NewApplication, validate.Errors) {
	errs := validate.Errors{}
	pf := r.PostForm
	in := ApplyForm{Key: pf.Get("sleutel"), Own: pf.Get("eigen"), ActivityOn: pf.Get("datum")}
	a := NewApplication{Initiative: c.ID, Fund: f.ID, Key: in.Key}
	for k := 1; k <= MaxLines; k++ {
		what, amount := pf.Get("regel_wat_"+itoa(k)), pf.Get("regel_bedrag_"+itoa(k))
		if k > FormLines && !pf.Has("regel_wat_"+itoa(k)) && !pf.Has("regel_bedrag_"+itoa(k)) {
			break
		}
		in.Lines = append(in.Lines, LineForm{What: what, Amount: amount})
		if strings.TrimSpace(what) == "" && strings.TrimSpace(amount) == "" {
			continue
		}
		wf, af := "regel_wat_"+itoa(k), "regel_bedrag_"+itoa(k)
		text := errs.Text(wf, what, validate.Rule{Max: MaxLineText})
		if text == "" && !errs.Has(wf) {
			errs.Add(wf, msgLineWhat)
		}
		cents, ok := parseAmount(errs, af, amount, true)
		switch {
		case !ok:
		case cents <= 0:
			errs.Add(af, msgAmountZero)
		case cents > MaxLineCents:
			errs.Add(af, msgLineTooHigh)
		default:
			a.Lines = append(a.Lines, Line{What: text, AmountCents: cents})
		}
	}
	if len(a.Lines) == 0 && errs.Valid() {
		errs.Add("regel_wat_1", msgNoLines)
	}
	own, ownOK := parseAmount(errs, "eigen", in.Own, false)
	a.OwnCents = own
	in.Purpose = errs.Text("doel", pf.Get("doel"), validate.Rule{Required: true, Max: MaxPurpose})
	in.Impact = errs.Text("effect", pf.Get("effect"), validate.Rule{Required: true, Max: MaxImpact, Multiline: true})
	a.Purpose, a.Impact = in.Purpose, in.Impact
	if s := strings.TrimSpace(in.ActivityOn); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		switch {
		case err != nil:
			errs.Add("datum", msgBadDate)
		case !f.OpenOn(d):
			errs.Add("datum", msgDateOutside(f))
		default:
			a.ActivityOn = &d
		}
	}
	if errs.Valid() || (ownOK && len(a.Lines) > 0) {
		t := total(a.Lines)
		switch {
		case own >= t:
			errs.Add("eigen", msgOwnTooHigh)
		case own < f.MinOwnCents(t):
			errs.Add("eigen", msgOwnTooLow(f.OwnContributionPct, f.MinOwnCents(t)))
		case t-own > f.MaxAskCents():
			errs.Add("eigen", msgAskTooHigh(f.MaxAskCents()))
		case t-own > MaxRequestCents:
			errs.Add("eigen", msgAskTooHigh(MaxRequestCents))
		}
	}
	if c.Supporters < f.MinSupporters {
		errs.Add("regels", fmt.Sprintf(msgNotEnoughSupp, f.MinSupporters, c.Supporters))
	}
	for len(in.Lines) < FormLines {
		in.Lines = append(in.Lines, LineForm{})
	}
	return in, a, errs
}

// Apply files an application: 422 with the input kept on bad input or
// when a rule of the fund is not met; a resubmitted form files nothing new.
func (h *Handler) Apply(w http.ResponseWriter, r *http.Request) error {
	c, f, err := h.applyTarget(r)
	if errors.Is(err, ErrClosed) {
		return httpx.Redirect(w, r, finderURL(c.ID))
	}
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	if !uuid.Valid(r.PostForm.Get("sleutel")) {
		return httpx.ErrBadRequest
	}
	in, a, errs := h.parseApplication(r, c, f)
	if errs.Valid() {
		blocked, err := h.store.CofinancingBlocked(r.Context(), c.ID, f)
		if err != nil {
			return err
		}
		if blocked {
			errs.Add("regels", msgCofinancing)
		}
	}
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, ApplyPage(httpx.PageFor(r, "Aanvragen bij "+f.Name), c, f, in, errs))
	}
	a.By = httpx.ViewerFrom(r.Context()).ID
	_, err = h.store.Apply(r.Context(), a, h.today())
	if errors.Is(err, ErrClosed) {
		httpx.FlashError(h.sessions, r, msgClosed)
		return httpx.Redirect(w, r, finderURL(c.ID))
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, msgApplied)
	return httpx.Redirect(w, r, initiativeURL(c.ID)+"#buurtbudget")
}

// scope is what the viewer decides on.
func (h *Handler) scope(r *http.Request) (Scope, error) {
	v := httpx.ViewerFrom(r.Context())
	var muni int64
	if v.Has(role.Officer) {
		muni = v.MunicipalityID
	}
	return h.store.ScopeOf(r.Context(), v.ID, muni)
}

// Queue lists the applications to the viewer's funds.
func (h *Handler) Queue(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.scope(r)
	if err != nil {
		return err
	}
	if !sc.Any() {
		return httpx.ErrForbidden
	}
	pending, decided, err := h.store.Queue(r.Context(), sc, httpx.ViewerFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, QueuePage(httpx.PageFor(r, "Aanvragen"), pending, decided))
}

// DecideForm is the decision form as typed.
type DecideForm struct {
	Verdict    Verdict
	Amount     string
	Conditions string
	Reason     string
}

// FundView is the public page of a fund: its grants (open data), the
// applications open for residents' advice, and whether the viewer sees its
// dashboard.
type FundView struct {
	Fund      Fund
	Grants    []Grant
	Advice    []AdviceLink
	Dashboard bool
}

// RequestView is an application on the decider's page.
type RequestView struct {
	A      Application
	Advice templ.Component // nil: no advice
	Follow FollowState     // payouts and account, once granted
}

func (h *Handler) requestView(r *http.Request) (RequestView, Scope, error) {
	sc, err := h.scope(r)
	if err != nil {
		return RequestView{}, sc, err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return RequestView{}, sc, err
	}
	a, err := h.store.Application(r.Context(), id, sc, httpx.ViewerFrom(r.Context()).ID)
	if err != nil {
		return RequestView{}, sc, err
	}
	v := RequestView{A: a}
	if a.Status == Granted {
		if v.Follow, err = h.store.FollowState(r.Context(), a.ID); err != nil {
			return RequestView{}, sc, err
		}
	}
	if h.Advice != nil {
		if v.Advice, err = h.Advice.AdviceFor(r.Context(), a.ID); err != nil {
			return RequestView{}, sc, err
		}
	}
	return v, sc, nil
}

// ShowRequest shows one application with the decision form (or, to a
// decider with a conflict of interest, why not).
func (h *Handler) ShowRequest(w http.ResponseWriter, r *http.Request) error {
	v, _, err := h.requestView(r)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, RequestPage(httpx.PageFor(r, "Aanvraag beoordelen"), v, DecideForm{}, nil))
}

// parseDecision reads the decision form.
func parseDecision(r *http.Request, a Application) (DecideForm, Decision, validate.Errors) {
	errs := validate.Errors{}
	pf := r.PostForm
	in := DecideForm{Verdict: Verdict(pf.Get("besluit")), Amount: pf.Get("bedrag"), Conditions: pf.Get("voorwaarden"), Reason: pf.Get("motivering")}
	d := Decision{Verdict: in.Verdict}
	if !validate.In(in.Verdict, Verdicts...) {
		errs.Add("besluit", "Kies een besluit.")
		in.Verdict = ""
	}
	in.Reason = errs.Text("motivering", in.Reason, validate.Rule{Required: true, Max: MaxReason, Multiline: true})
	in.Conditions = errs.Text("voorwaarden", in.Conditions, validate.Rule{Max: MaxConditions, Multiline: true})
	d.Reason = in.Reason
	switch in.Verdict {
	case GrantFull:
		d.GrantedCents = a.AmountCents
		in.Conditions = ""
	case GrantPartial:
		d.Conditions = in.Conditions
		if cents, ok := parseAmount(errs, "bedrag", in.Amount, true); ok {
			switch {
			case cents <= 0:
				errs.Add("bedrag", msgAmountZero)
			case cents >= a.AmountCents:
				errs.Add("bedrag", msgPartialTooHigh)
			default:
				d.GrantedCents = cents
			}
		}
		if in.Conditions == "" && !errs.Has("voorwaarden") {
			errs.Add("voorwaarden", msgConditionsNeed)
		}
	case Refuse:
		in.Conditions, in.Amount = "", ""
	}
	if d.GrantedCents > a.FundRemainingCents && !errs.Has("bedrag") {
		errs.Add("bedrag", fmt.Sprintf(msgGrantOverBudget, money.Format(a.FundRemainingCents)))
	}
	return in, d, errs
}

// Decide takes the decision form in two steps without JavaScript: the
// first POST checks it and shows a confirmation page with the amount and
// the fund's remaining budget; the second (stap=bevestigen) stores it,
// under a lock of the fund, or says why not.
func (h *Handler) Decide(w http.ResponseWriter, r *http.Request) error {
	v, sc, err := h.requestView(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	page := httpx.PageFor(r, "Aanvraag beoordelen")
	if !v.A.Pending() {
		httpx.FlashError(h.sessions, r, msgAlreadyDecided)
		return httpx.Redirect(w, r, "/aanvragen")
	}
	if v.A.Conflicted {
		return httpx.Render(w, r, http.StatusForbidden, RequestPage(page, v, DecideForm{}, nil))
	}
	in, d, errs := parseDecision(r, v.A)
	step := r.PostForm.Get("stap")
	if !errs.Valid() || step == "wijzigen" {
		status := http.StatusUnprocessableEntity
		if errs.Valid() {
			status = http.StatusOK
		}
		return httpx.Render(w, r, status, RequestPage(page, v, in, errs))
	}
	if step != "bevestigen" {
		return httpx.Render(w, r, http.StatusOK, ConfirmPage(httpx.PageFor(r, "Besluit bevestigen"), v, in, d))
	}
	err = h.store.Decide(r.Context(), v.A.ID, sc, d, httpx.ViewerFrom(r.Context()).ID)
	switch {
	case errors.Is(err, ErrAlreadyDecided):
		httpx.FlashError(h.sessions, r, msgAlreadyDecided)
		return httpx.Redirect(w, r, "/aanvragen")
	case errors.Is(err, ErrConflictOfInterest):
		v.A.Conflicted = true
		return httpx.Render(w, r, http.StatusForbidden, RequestPage(page, v, DecideForm{}, nil))
	case errors.Is(err, ErrOverspent):
		// Show the page again with what is left now.
		fresh, _, ferr := h.requestView(r)
		if ferr != nil {
			return ferr
		}
		return httpx.Render(w, r, http.StatusConflict, RequestPage(page, fresh, in, validate.Errors{"besluit": msgOverspent}))
	case err != nil:
		return err
	}
	httpx.Flash(h.sessions, r, msgDecided)
	return httpx.Redirect(w, r, "/aanvragen")
}

func itoa(n int) string { return strconv.Itoa(n) }

func dateNL(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), dutch.Month(t.Month()), t.Year())
}
