package fund

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/csvfile"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// FollowUpHandler serves what follows a decision: payouts by the funder's
// staff, the owners' light account, and the fund dashboard with its CSV.
type FollowUpHandler struct {
	store    *FollowUpStore
	sessions *scs.SessionManager
	now      func() time.Time
}

// NewFollowUpHandler returns the follow-up handler.
func NewFollowUpHandler(store *FollowUpStore, sm *scs.SessionManager) *FollowUpHandler {
	return &FollowUpHandler{store: store, sessions: sm, now: time.Now}
}

// Paths of the follow-up pages.
const (
	DashboardPath = "/fondsoverzicht"
)

// PayoutPath is the payouts page of application id.
func PayoutPath(id int64) string { return followUpApplicationPath(id, "uitbetalingen") }

// AccountPath is the account page of application id.
func AccountPath(id int64) string { return followUpApplicationPath(id, "verantwoording") }

// DashboardFundPath is the dashboard of fund id.
func DashboardFundPath(id int64) string { return DashboardPath + "/" + strconv.FormatInt(id, 10) }

// PayoutForm is a payout as typed.
type PayoutForm struct {
	Amount, Date, Note, Key string
}

// AccountForm is the light account as typed.
type AccountForm struct {
	What, Who, Brought, Spent string
}

// PayoutView is the payouts page.
type PayoutView struct {
	Application FollowUpApplication
	Payouts     []Payout
}

// AccountView is the account page.
type AccountView struct {
	Application FollowUpApplication
	Account     *AccountAnswers
}

// DashboardView is one fund's dashboard.
type DashboardView struct {
	Fund   DashboardFund
	Groups []DashboardGroup
	Rows   []DashboardRow // the applications, for the fund's staff only
}

var (
	payoutFields  = []ui.Label{{Field: "bedrag", Text: payoutLblAmount}, {Field: "datum", Text: payoutLblDate}, {Field: "notitie", Text: payoutLblNote}}
	accountFields = []ui.Label{{Field: "wat", Text: accountLblWhat}, {Field: "wie", Text: accountLblWho},
		{Field: "opbrengst", Text: accountLblBrought}, {Field: "besteding", Text: accountLblSpent}}
)

func (h *FollowUpHandler) application(r *http.Request) (FollowUpApplication, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return FollowUpApplication{}, err
	}
	return h.store.FollowUpApplication(r.Context(), id, followUpViewerID(r))
}

func (h *FollowUpHandler) today() time.Time {
	y, m, d := h.now().In(dutch.Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (h *FollowUpHandler) payoutPage(w http.ResponseWriter, r *http.Request, status int, a FollowUpApplication, f PayoutForm, errs validate.Errors) error {
	list, err := h.store.Payouts(r.Context(), a.ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, status, PayoutPage(httpx.PageFor(r, "Uitbetalingen"), PayoutView{Application: a, Payouts: list}, f, errs))
}

// Payouts shows the payouts of an application to the funder's staff (with
// the form) and to its owners.
func (h *FollowUpHandler) Payouts(w http.ResponseWriter, r *http.Request) error {
	a, err := h.application(r)
	if err != nil {
		return err
	}
	return h.payoutPage(w, r, http.StatusOK, a, PayoutForm{Key: uuid.New(), Date: followUpIsoDate(h.today())}, nil)
}

// RecordPayout records one instalment. Above what is still open, the form
// comes back with 422 and the amount that may still be paid.
func (h *FollowUpHandler) RecordPayout(w http.ResponseWriter, r *http.Request) error {
	a, err := h.application(r)
	if err != nil {
		return err
	}
	if !a.Staff {
		return httpx.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	f := PayoutForm{Amount: r.PostForm.Get("bedrag"), Date: strings.TrimSpace(r.PostForm.Get("datum")), Key: r.PostForm.Get("sleutel")}
	if !uuid.Valid(f.Key) {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	cents, ok := money.Parse(f.Amount)
	switch {
	case strings.TrimSpace(f.Amount) == "":
		errs.Add("bedrag", payoutMsgRequired)
	case !ok:
		errs.Add("bedrag", payoutMsgAmount)
	case cents <= 0:
		errs.Add("bedrag", payoutMsgZero)
	case cents > payoutMaxCents:
		errs.Add("bedrag", payoutMsgTooMuch(a.RemainingCents(), a.GrantedCents))
	}
	paidOn, err := time.Parse(time.DateOnly, f.Date)
	switch {
	case err != nil:
		errs.Add("datum", payoutMsgDate)
	case paidOn.After(h.today()):
		errs.Add("datum", payoutMsgFuture)
	}
	f.Note = errs.Text("notitie", r.PostForm.Get("notitie"), validate.Rule{Max: payoutMaxNote})
	if a.Status != FollowUpGranted {
		errs.Add("bedrag", payoutMsgNotGranted)
	}
	if !errs.Valid() {
		return h.payoutPage(w, r, http.StatusUnprocessableEntity, a, f, errs)
	}
	err = h.store.RecordPayout(r.Context(), a.ID, followUpViewerID(r), cents, paidOn, f.Note, f.Key)
	var tooMuch PayoutTooMuch
	switch {
	case errors.As(err, &tooMuch):
		return h.payoutPage(w, r, http.StatusUnprocessableEntity, a, f, validate.Errors{"bedrag": payoutMsgTooMuch(tooMuch.RemainingCents, a.GrantedCents)})
	case errors.Is(err, payoutErrNotGranted):
		return h.payoutPage(w, r, http.StatusUnprocessableEntity, a, f, validate.Errors{"bedrag": payoutMsgNotGranted})
	case err != nil:
		return err
	}
	httpx.Flash(h.sessions, r, payoutMsgRecorded)
	return httpx.Redirect(w, r, PayoutPath(a.ID))
}

func (h *FollowUpHandler) accountPage(w http.ResponseWriter, r *http.Request, status int, a FollowUpApplication, f AccountForm, errs validate.Errors) error {
	acc, err := h.store.Account(r.Context(), a.ID)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, status, AccountPage(httpx.PageFor(r, "Verantwoording"), AccountView{Application: a, Account: acc}, f, errs))
}

// Account shows the light account: the form to the owners of a granted
// application until it is given, the answers to owners and the funder's staff.
func (h *FollowUpHandler) Account(w http.ResponseWriter, r *http.Request) error {
	a, err := h.application(r)
	if err != nil {
		return err
	}
	return h.accountPage(w, r, http.StatusOK, a, AccountForm{}, nil)
}

// GiveAccount stores the owners' account, once.
func (h *FollowUpHandler) GiveAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := h.application(r)
	if err != nil {
		return err
	}
	if !a.Owner {
		return httpx.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	answer := func(field string) string {
		return errs.Text(field, r.PostForm.Get(field), validate.Rule{Required: true, Max: accountMaxAnswer, Multiline: true})
	}
	f := AccountForm{What: answer("wat"), Who: answer("wie"), Brought: answer("opbrengst"), Spent: answer("besteding")}
	if a.Status != FollowUpGranted {
		errs.Add("wat", accountMsgNotGranted)
	}
	if !errs.Valid() {
		return h.accountPage(w, r, http.StatusUnprocessableEntity, a, f, errs)
	}
	err = h.store.GiveAccount(r.Context(), a.ID, followUpViewerID(r), AccountAnswers{WhatHappened: f.What, WhoTookPart: f.Who, WhatBrought: f.Brought, SpentOn: f.Spent})
	switch {
	case errors.Is(err, accountErrTwice):
		httpx.FlashError(h.sessions, r, accountMsgTwice)
	case errors.Is(err, accountErrNotYet):
		return h.accountPage(w, r, http.StatusUnprocessableEntity, a, f, validate.Errors{"wat": accountMsgNotGranted})
	case err != nil:
		return err
	default:
		httpx.Flash(h.sessions, r, accountMsgGiven)
	}
	return httpx.Redirect(w, r, AccountPath(a.ID))
}

// Funds lists the funds whose dashboard the viewer may see.
func (h *FollowUpHandler) Funds(w http.ResponseWriter, r *http.Request) error {
	list, err := h.store.DashboardFunds(r.Context(), followUpViewerID(r))
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, DashboardListPage(httpx.PageFor(r, "Fondsen in cijfers"), list))
}

// Dashboard shows one fund's figures, in total and per neighbourhood,
// theme and strategy: to its staff and to officers of its municipality.
func (h *FollowUpHandler) Dashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, groups, err := h.store.Dashboard(r.Context(), id, followUpViewerID(r))
	if err != nil {
		return err
	}
	v := DashboardView{Fund: f, Groups: groups}
	if f.Staff {
		if _, v.Rows, err = h.store.DashboardRows(r.Context(), id, followUpViewerID(r)); err != nil {
			return err
		}
	}
	return httpx.Render(w, r, http.StatusOK, DashboardPage(httpx.PageFor(r, f.Name+": in cijfers"), v))
}

// DashboardCSVHeader is the first row of the financial administration's CSV.
var DashboardCSVHeader = []string{"Aanvraag", "Initiatief", "Buurten", "Ingediend", "Status", "Gevraagd (EUR)",
	"Eigen bijdrage (EUR)", "Toegekend (EUR)", "Uitbetaald (EUR)", "Laatste uitbetaling", "Verantwoord"}

// DashboardCSV serves the fund's applications for the financial
// administration, one row each, to the fund's staff only. Amounts have a
// decimal comma and no thousands separator ("1250,50"), dates are
// dd-mm-jjjj: both read as numbers and dates by a Dutch Excel.
func (h *FollowUpHandler) DashboardCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, list, err := h.store.DashboardRows(r.Context(), id, followUpViewerID(r))
	if err != nil {
		return err
	}
	records := [][]string{DashboardCSVHeader}
	for _, a := range list {
		last, accounted := "", "nee"
		if a.LastPaidOn != nil {
			last = a.LastPaidOn.Format("02-01-2006")
		}
		if a.Accounted {
			accounted = "ja"
		}
		records = append(records, []string{strconv.FormatInt(a.ID, 10), a.InitiativeTitle, a.Neighbourhoods,
			a.CreatedAt.In(dutch.Amsterdam).Format("02-01-2006"), followUpStatusLabel(a.Status), money.Input(a.Requested),
			money.Input(a.OwnContribution), money.Input(a.Granted), money.Input(a.Paid), last, accounted})
	}
	return csvfile.Serve(w, "fonds-"+strconv.FormatInt(f.ID, 10)+"-aanvragen.csv", records)
}

// RemindOverdue sends the reminders of overdue accounts (a periodic job).
func (h *FollowUpHandler) RemindOverdue(ctx context.Context) (int64, error) {
	return h.store.AccountRemindOverdue(ctx, h.now())
}

// dashboardGroupName is the Dutch name of a breakdown's row.
func dashboardGroupName(g DashboardGroup) string {
	switch g.Kind {
	case "buurt":
		return g.Name
	case "thema":
		return theme.Label(g.Code)
	}
	if g.Code == "" {
		return "Geen activiteit vastgelegd"
	}
	return strategy.Label(strategy.Strategy(g.Code))
}
