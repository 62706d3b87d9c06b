package fund

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// FundForm is the fund form as typed.
type FundForm struct {
	Name, Description, PeriodLabel, Municipality string
	OpensOn, ClosesOn, Budget, Max               string
	MinSupporters, OwnPct, AdviceDays, DueDays   string
	Cofinancing, Receipts                        bool
	Mode                                         Mode
	Themes                                       []string
	Areas                                        string
}

// FundFormView is the fund form page's model.
type FundFormView struct {
	ID           int64 // 0: new
	Form         FundForm
	OwnFunder    bool // an organisation's fund: the municipality is chosen
	MunicipalOne string
}

func formOf(f Fund, areas []string, municipalityCode string) FundForm {
	ff := FundForm{Name: f.Name, Description: f.Description, PeriodLabel: f.PeriodLabel, Municipality: municipalityCode,
		OpensOn: f.OpensOn.Format(time.DateOnly), Budget: money.Input(f.BudgetCents),
		MinSupporters: strconv.Itoa(f.MinSupporters), OwnPct: strconv.Itoa(f.OwnContributionPct), AdviceDays: strconv.Itoa(f.AdviceDays),
		DueDays: strconv.Itoa(f.AccountDueDays), Cofinancing: f.Cofinancing, Receipts: f.ReceiptsRequired, Mode: f.Mode,
		Themes: f.Themes, Areas: strings.Join(areas, ", ")}
	if f.ClosesOn != nil {
		ff.ClosesOn = f.ClosesOn.Format(time.DateOnly)
	}
	if f.MaxPerRequestCents > 0 {
		ff.Max = money.Input(f.MaxPerRequestCents)
	}
	return ff
}

// Manage lists the funds the viewer manages.
func (h *Handler) Manage(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.scope(r)
	if err != nil {
		return err
	}
	if !sc.Any() {
		return httpx.ErrForbidden
	}
	fs, err := h.store.ManagedFunds(r.Context(), sc)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, ManagePage(httpx.PageFor(r, "Potjes beheren"), fs, h.today()))
}

// NewFund shows an empty fund form.
func (h *Handler) NewFund(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.scope(r)
	if err != nil {
		return err
	}
	if !sc.Any() {
		return httpx.ErrForbidden
	}
	y := h.today().Year()
	ff := FundForm{PeriodLabel: strconv.Itoa(y), OpensOn: h.today().Format(time.DateOnly), ClosesOn: strconv.Itoa(y) + "-12-31",
		MinSupporters: "0", OwnPct: "0", AdviceDays: "14", DueDays: "90", Cofinancing: true, Mode: ByFunder}
	return httpx.Render(w, r, http.StatusOK, FundFormPage(httpx.PageFor(r, "Nieuw potje"), FundFormView{Form: ff, OwnFunder: sc.Municipality == 0}, nil))
}

// EditFund shows the form of a fund the viewer manages.
func (h *Handler) EditFund(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.scope(r)
	if err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, areas, err := h.store.ManagedFund(r.Context(), id, sc)
	if err != nil {
		return err
	}
	v := FundFormView{ID: id, Form: formOf(f, areas, ""), OwnFunder: f.FunderOrganisation != 0}
	return httpx.Render(w, r, http.StatusOK, FundFormPage(httpx.PageFor(r, f.Name+" bewerken"), v, nil))
}

func intField(errs validate.Errors, field, raw string, lo, hi int) int {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < lo || n > hi {
		errs.Add(field, "Vul een heel getal in van "+strconv.Itoa(lo)+" tot en met "+strconv.Itoa(hi)+".")
	}
	return n
}

func dateField(errs validate.Errors, field, raw string, required bool) *time.Time {
	s := strings.TrimSpace(raw)
	if s == "" {
		if required {
			errs.Add(field, msgRequired)
		}
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		errs.Add(field, msgBadDate)
		return nil
	}
	return &d
}

// parseFund reads and checks the fund form.
func (h *Handler) parseFund(r *http.Request, own bool) (FundForm, FundInput, validate.Errors) {
	pf := r.PostForm
	errs := validate.Errors{}
	ff := FundForm{Municipality: strings.TrimSpace(pf.Get("gemeente")), OpensOn: pf.Get("opent"), ClosesOn: pf.Get("sluit"),
		Budget: pf.Get("budget"), Max: pf.Get("max"), MinSupporters: pf.Get("meedoeners"), OwnPct: pf.Get("eigen_pct"),
		AdviceDays: pf.Get("advies_dagen"), DueDays: pf.Get("verantwoording_dagen"), Cofinancing: pf.Get("samen") == "ja",
		Receipts: pf.Get("bonnetjes") == "ja", Mode: Mode(pf.Get("besluitvorm")), Themes: pf["thema"], Areas: pf.Get("gebied")}
	in := FundInput{Cofinancing: ff.Cofinancing, Receipts: ff.Receipts, Mode: ff.Mode}
	ff.Name = errs.Text("naam", pf.Get("naam"), validate.Rule{Required: true, Max: 150})
	ff.Description = errs.Text("beschrijving", pf.Get("beschrijving"), validate.Rule{Max: 4000, Multiline: true})
	ff.PeriodLabel = errs.Text("periode", pf.Get("periode"), validate.Rule{Max: 50})
	in.Name, in.Description, in.PeriodLabel = ff.Name, ff.Description, ff.PeriodLabel
	if own {
		if !cbs.IsMunicipality(ff.Municipality) {
			errs.Add("gemeente", "Vul de CBS-code van de gemeente in, bijvoorbeeld GM0344.")
		} else if id, err := h.store.MunicipalityID(r.Context(), ff.Municipality); err != nil {
			errs.Add("gemeente", "Deze gemeente kennen we niet.")
		} else {
			in.Municipality = id
		}
	}
	if o := dateField(errs, "opent", ff.OpensOn, true); o != nil {
		in.OpensOn = *o
	}
	in.ClosesOn = dateField(errs, "sluit", ff.ClosesOn, false)
	if in.ClosesOn != nil && !in.OpensOn.IsZero() && in.ClosesOn.Before(in.OpensOn) {
		errs.Add("sluit", "De sluitdatum ligt vóór de openingsdatum.")
	}
	if c, ok := parseAmount(errs, "budget", ff.Budget, true); ok {
		switch {
		case c <= 0:
			errs.Add("budget", msgAmountZero)
		case c > 100000000000:
			errs.Add("budget", "Een potje is hoogstens € 1.000.000.000.")
		}
		in.BudgetCents = c
	}
	if c, ok := parseAmount(errs, "max", ff.Max, false); ok {
		switch {
		case c < 0:
			errs.Add("max", msgAmountZero)
		case c > in.BudgetCents && in.BudgetCents > 0:
			errs.Add("max", "Het maximum per aanvraag is meer dan het hele budget.")
		}
		in.MaxCents = c
	}
	in.MinSupporters = intField(errs, "meedoeners", ff.MinSupporters, 0, 1000)
	in.OwnPct = intField(errs, "eigen_pct", ff.OwnPct, 0, 100)
	in.AdviceDays = intField(errs, "advies_dagen", ff.AdviceDays, 1, 90)
	in.AccountDueDays = intField(errs, "verantwoording_dagen", ff.DueDays, 7, 730)
	if !validate.In(ff.Mode, ByFunder, ByAdvice, ByJury) {
		errs.Add("besluitvorm", "Kies wie beslist.")
	}
	if !theme.ValidAll(ff.Themes) {
		errs.Add("thema", "Kies thema's uit de lijst.")
	}
	in.Themes = ff.Themes
	for _, c := range strings.FieldsFunc(strings.ToUpper(ff.Areas), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == ';' }) {
		if !cbs.IsDistrict(c) && !cbs.IsNeighbourhood(c) {
			errs.Add("gebied", "Vul CBS-codes van wijken (WK…) of buurten (BU…) in, gescheiden door komma's.")
			break
		}
		in.Areas = append(in.Areas, c)
	}
	return ff, in, errs
}

// CreateFund saves a new fund of the viewer's municipality or funder.
func (h *Handler) CreateFund(w http.ResponseWriter, r *http.Request) error {
	return h.saveFund(w, r, false)
}

// UpdateFund saves a fund the viewer manages (id in the path).
func (h *Handler) UpdateFund(w http.ResponseWriter, r *http.Request) error {
	return h.saveFund(w, r, true)
}

func (h *Handler) saveFund(w http.ResponseWriter, r *http.Request, existing bool) error {
	sc, err := h.scope(r)
	if err != nil {
		return err
	}
	if !sc.Any() {
		return httpx.ErrForbidden
	}
	var id int64
	own := sc.Municipality == 0
	title := "Nieuw potje"
	if existing {
		if id, err = httpx.PathID(r, "id"); err != nil {
			return err
		}
		f, _, err := h.store.ManagedFund(r.Context(), id, sc)
		if err != nil {
			return err
		}
		own, title = f.FunderOrganisation != 0, f.Name+" bewerken"
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ff, in, errs := h.parseFund(r, own)
	v := FundFormView{ID: id, Form: ff, OwnFunder: own}
	if errs.Valid() {
		saved, err := h.store.SaveFund(r.Context(), id, sc, in, httpx.ViewerFrom(r.Context()).ID)
		switch {
		case errors.Is(err, ErrBadArea):
			errs.Add("gebied", "Een of meer codes zijn geen wijk of buurt van deze gemeente.")
		case errors.Is(err, ErrBudgetBelowGranted):
			errs.Add("budget", "Er is al meer toegekend dan dit budget.")
		case err != nil:
			return err
		default:
			httpx.Flash(h.sessions, r, "Het potje is opgeslagen.")
			return httpx.Redirect(w, r, fundURL(saved))
		}
	}
	return httpx.Render(w, r, http.StatusUnprocessableEntity, FundFormPage(httpx.PageFor(r, title), v, errs))
}

// Funders is the administrators' page of funder organisations and staff.
func (h *Handler) Funders(w http.ResponseWriter, r *http.Request) error {
	fs, err := h.store.Funders(r.Context())
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, FundersPage(httpx.PageFor(r, "Financiers"), fs))
}

// RegisterFunder marks an organisation as a funder.
func (h *Handler) RegisterFunder(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	org, err := strconv.ParseInt(r.PostForm.Get("organisatie"), 10, 64)
	if err != nil || org <= 0 {
		httpx.FlashError(h.sessions, r, "Kies een organisatie.")
		return httpx.Redirect(w, r, "/beheer/financiers")
	}
	if err := h.store.RegisterFunder(r.Context(), org, httpx.ViewerFrom(r.Context()).ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, "De organisatie is nu een financier.")
	return httpx.Redirect(w, r, "/beheer/financiers")
}

// AddStaff adds an account (by address) to a funder's staff.
func (h *Handler) AddStaff(w http.ResponseWriter, r *http.Request) error {
	org, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	err = h.store.AddStaff(r.Context(), org, email, httpx.ViewerFrom(r.Context()).ID)
	switch {
	case errors.Is(err, ErrNoAccount):
		httpx.FlashError(h.sessions, r, "Er is geen account met dat e-mailadres.")
	case err != nil:
		return err
	default:
		httpx.Flash(h.sessions, r, "Toegevoegd aan de medewerkers van de financier.")
	}
	return httpx.Redirect(w, r, "/beheer/financiers")
}

// RemoveStaff removes an account from a funder's staff.
func (h *Handler) RemoveStaff(w http.ResponseWriter, r *http.Request) error {
	org, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	account, err := strconv.ParseInt(r.PostForm.Get("account"), 10, 64)
	if err != nil || account <= 0 {
		return httpx.ErrBadRequest
	}
	if err := h.store.RemoveStaff(r.Context(), org, account, httpx.ViewerFrom(r.Context()).ID); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, "Verwijderd uit de medewerkers van de financier.")
	return httpx.Redirect(w, r, "/beheer/financiers")
}
