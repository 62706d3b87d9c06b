package fund_test

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/fund"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

func followUpURL(id int64, page string) string {
	return "/aanvragen/" + strconv.FormatInt(id, 10) + "/" + page
}

func payoutForm(amount string) url.Values {
	return url.Values{"bedrag": {amount}, "datum": {followUpToday()}, "notitie": {"termijn"}, "sleutel": {uuid.New()}}
}

func TestPayoutInstalments(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	w.grant(t, w.app, 100000)
	officer := w.srv.Login(t, w.officerMail)
	first := payoutForm("€ 400")
	if res := officer.PostForm(followUpURL(w.app, "uitbetalingen"), first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first instalment: %d", res.StatusCode)
	}
	// The same form twice records nothing new.
	if res := officer.PostForm(followUpURL(w.app, "uitbetalingen"), first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmitted instalment: %d", res.StatusCode)
	}
	tests := []struct {
		name, amount, date string
		want               int
		msg                string
	}{
		{"above what is open", "600,01", followUpToday(), http.StatusUnprocessableEntity, "nog € 600,00 van de toegekende € 1.000,00"},
		{"zero", "0", followUpToday(), http.StatusUnprocessableEntity, "meer dan € 0"},
		{"not an amount", "veel", followUpToday(), http.StatusUnprocessableEntity, "Vul een bedrag in euro"},
		{"in the future", "10", time.Now().AddDate(0, 0, 3).Format(time.DateOnly), http.StatusUnprocessableEntity, "in de toekomst"},
		{"the rest", "600", followUpToday(), http.StatusSeeOther, ""},
		{"after the last", "1", followUpToday(), http.StatusUnprocessableEntity, "het hele toegekende bedrag"},
	}
	for _, tt := range tests {
		f := payoutForm(tt.amount)
		f.Set("datum", tt.date)
		res := officer.PostForm(followUpURL(w.app, "uitbetalingen"), f)
		if res.StatusCode != tt.want || !strings.Contains(res.Body, tt.msg) {
			t.Errorf("%s: %d, want %d with %q", tt.name, res.StatusCode, tt.want, tt.msg)
		}
		if tt.want == http.StatusUnprocessableEntity && tt.name != "after the last" && !strings.Contains(res.Body, `value="`+tt.amount+`"`) {
			t.Errorf("%s: the amount typed is not kept", tt.name)
		}
	}
	var paid, n int64
	if err := w.srv.DB.QueryRow(context.Background(), `SELECT sum(amount_cents), count(*) FROM funding_payouts WHERE request_id = $1`, w.app).Scan(&paid, &n); err != nil {
		t.Fatal(err)
	}
	if paid != 100000 || n != 2 {
		t.Fatalf("paid %d in %d payouts, want 100000 in 2", paid, n)
	}
	// The owners see the payouts (and were told), without a form.
	res := w.srv.Login(t, w.ownerMail).Get(followUpURL(w.app, "uitbetalingen"))
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, `name="bedrag"`) || !strings.Contains(res.Body, "€ 400") {
		t.Errorf("owner's payouts page: %d", res.StatusCode)
	}
	if res := w.srv.Login(t, w.ownerMail).PostForm(followUpURL(w.app, "uitbetalingen"), payoutForm("1")); res.StatusCode != http.StatusNotFound {
		t.Errorf("owner records a payout: %d, want 404", res.StatusCode)
	}
	var told int
	if err := w.srv.DB.QueryRow(context.Background(), `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND category = 'besluiten'`, w.owner).Scan(&told); err != nil {
		t.Fatal(err)
	}
	if told != 2 {
		t.Errorf("owner got %d payout notifications, want 2", told)
	}
}

func TestPayoutScope(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	w.grant(t, w.app, 100000)
	// An organisation's fund: its staff pay out, the municipality's officer does not.
	org := followUpID(t, w, `INSERT INTO organisations (name, kind, funder_since) VALUES ('Woonstad', 'woningcorporatie', now()) RETURNING id`)
	orgFund := followUpID(t, w, `INSERT INTO funds (name, funder_organisation_id, scope_municipality_id, opens_on, budget_cents)
		VALUES ('Leefbaarheid', $1, $2, '2026-01-01', 100000) RETURNING id`, org, w.municipality)
	orgApp := followUpID(t, w, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by, status, granted_cents, decided_at, reason)
		VALUES ($1, $2, 5000, 'Bankje', 'Bank € 50', $3, 'toegekend', 5000, now(), 'Prima') RETURNING id`, w.initiative, orgFund, w.owner)
	staff := w.srv.CreateUser(t, "corporatie@example.org").ID
	followUpExec(t, w, `INSERT INTO funder_staff (account_id, organisation_id) VALUES ($1, $2)`, staff, org)
	for _, tt := range []struct {
		name, email string
		app         int64
		want        int
	}{
		{"resident", w.residentMail, w.app, http.StatusNotFound},
		{"officer of another municipality", "ambtenaar-elders@example.org", w.app, http.StatusNotFound},
		{"funder staff on the municipality's fund", "corporatie@example.org", w.app, http.StatusNotFound},
		{"officer on the organisation's fund", w.officerMail, orgApp, http.StatusNotFound},
		{"funder staff on their fund", "corporatie@example.org", orgApp, http.StatusSeeOther},
		{"officer on the municipality's fund", w.officerMail, w.app, http.StatusSeeOther},
	} {
		res := w.srv.Login(t, tt.email).PostForm(followUpURL(tt.app, "uitbetalingen"), payoutForm("10"))
		if res.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, res.StatusCode, tt.want)
		}
	}
	// A pending application: nothing to pay.
	pending := w.apply(t, 5000, "Nog open")
	if res := w.srv.Login(t, w.officerMail).PostForm(followUpURL(pending, "uitbetalingen"), payoutForm("10")); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "niet toegekend") {
		t.Errorf("payout on a pending application: %d", res.StatusCode)
	}
}

// Two payouts at the same moment that together exceed the grant: one
// succeeds, the other is told what is still open.
func TestPayoutConcurrent(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	w.grant(t, w.app, 100000)
	store := fund.NewFollowUpStore(w.srv.DB)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			errs[i] = store.RecordPayout(context.Background(), w.app, w.officer, 60000, time.Now(), "", uuid.New())
		})
	}
	wg.Wait()
	ok, tooMuch := 0, 0
	for _, err := range errs {
		var tm fund.PayoutTooMuch
		switch {
		case err == nil:
			ok++
		case errors.As(err, &tm) && tm.RemainingCents == 40000:
			tooMuch++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if ok != 1 || tooMuch != 1 {
		t.Fatalf("%d succeeded, %d refused; want 1 and 1", ok, tooMuch)
	}
}

func accountForm() url.Values {
	return url.Values{"wat": {"Op 12 mei legden we de moestuin aan."}, "wie": {"Twintig buren en de basisschool."},
		"opbrengst": {"Buren die elkaar nu groeten."}, "besteding": {"Aarde € 300\nGereedschap € 150"}}
}

func TestAccountOnce(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	owner := w.srv.Login(t, w.ownerMail)
	// Not granted yet: no account.
	if res := owner.PostForm(followUpURL(w.app, "verantwoording"), accountForm()); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("account before the grant: %d", res.StatusCode)
	}
	w.grant(t, w.app, 100000)
	followUpExec(t, w, `UPDATE funds SET receipts_required = true WHERE id = $1`, w.fund)
	page := owner.Get(followUpURL(w.app, "verantwoording"))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "vraagt om bonnetjes") {
		t.Fatalf("account form: %d, the receipts line missing", page.StatusCode)
	}
	bad := accountForm()
	bad.Set("wie", "")
	if res := owner.PostForm(followUpURL(w.app, "verantwoording"), bad); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Op 12 mei legden we de moestuin aan.") {
		t.Fatalf("incomplete account: %d, or the input not kept", res.StatusCode)
	}
	if res := w.srv.Login(t, w.residentMail).PostForm(followUpURL(w.app, "verantwoording"), accountForm()); res.StatusCode != http.StatusNotFound {
		t.Fatalf("account by a non-owner: %d", res.StatusCode)
	}
	if res := owner.PostForm(followUpURL(w.app, "verantwoording"), accountForm()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("account: %d", res.StatusCode)
	}
	second := accountForm()
	second.Set("wat", "Iets anders")
	if res := owner.PostForm(followUpURL(w.app, "verantwoording"), second); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second account: %d", res.StatusCode)
	}
	res := w.srv.Login(t, w.officerMail).Get(followUpURL(w.app, "verantwoording"))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Op 12 mei") || strings.Contains(res.Body, "Iets anders") {
		t.Fatalf("officer reads the account: %d", res.StatusCode)
	}
	var told int
	if err := w.srv.DB.QueryRow(context.Background(), `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND link = $2`,
		w.officer, followUpURL(w.app, "verantwoording")).Scan(&told); err != nil {
		t.Fatal(err)
	}
	if told != 1 {
		t.Errorf("the funder's staff were told %d times of the account, want 1", told)
	}
}

func TestAccountReminderOnce(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	w.grant(t, w.app, 100000)
	done := w.apply(t, 5000, "Al verantwoord")
	w.grant(t, done, 5000)
	recent := w.apply(t, 5000, "Net betaald")
	w.grant(t, recent, 5000)
	followUpExec(t, w, `INSERT INTO funding_payouts (request_id, amount_cents, paid_on) VALUES
		($1, 50000, current_date - 100), ($2, 5000, current_date - 100), ($3, 5000, current_date - 10)`, w.app, done, recent)
	followUpExec(t, w, `INSERT INTO funding_accounts (request_id, what_happened, who_took_part, what_brought, spent_on) VALUES ($1, 'a', 'b', 'c', 'd')`, done)
	store := fund.NewFollowUpStore(w.srv.DB)
	for i, want := range []int64{1, 0} {
		n, err := store.AccountRemindOverdue(context.Background(), time.Now())
		if err != nil || n != want {
			t.Fatalf("run %d: reminded %d (%v), want %d", i, n, err, want)
		}
	}
	var told int
	if err := w.srv.DB.QueryRow(context.Background(), `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND link = $2`,
		w.owner, followUpURL(w.app, "verantwoording")).Scan(&told); err != nil {
		t.Fatal(err)
	}
	if told != 1 {
		t.Fatalf("owner reminded %d times, want 1", told)
	}
}

func TestDashboardFiguresAndCSV(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder") // the first application asks € 1.250,50
	w.grant(t, w.app, 125050)
	refused := w.apply(t, 20000, "Te duur")
	followUpExec(t, w, `UPDATE funding_requests SET status = 'afgewezen', decided_at = now(), reason = 'Geheime motivering' WHERE id = $1`, refused)
	followUpExec(t, w, `INSERT INTO funding_payouts (request_id, amount_cents, paid_on) VALUES ($1, 100000, current_date)`, w.app)
	followUpExec(t, w, `INSERT INTO activities (created_by, title, date, neighbourhood_id, strategy, participant_count, initiative_id, idempotency_key)
		SELECT $1, 'Zaaidag', current_date, $2, 'bonding', 12, $3, gen_random_uuid()`, w.officer, w.home, w.initiative)
	res := w.srv.Login(t, w.officerMail).Get("/fondsoverzicht/" + strconv.FormatInt(w.fund, 10))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	for _, want := range []string{"€ 1.450,50 in 2 aanvragen", "€ 1.250,50", "€ 1.000", "€ 3.749,50", "Thuisbuurt", "Verbinden"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// Residents and officers elsewhere see no dashboard.
	for _, email := range []string{w.residentMail, "ambtenaar-elders@example.org"} {
		if res := w.srv.Login(t, email).Get("/fondsoverzicht/" + strconv.FormatInt(w.fund, 10)); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: dashboard %d, want 404", email, res.StatusCode)
		}
	}
	csvRes := w.srv.Login(t, w.officerMail).Get("/fondsoverzicht/" + strconv.FormatInt(w.fund, 10) + "/aanvragen.csv")
	if csvRes.StatusCode != http.StatusOK || !strings.HasPrefix(csvRes.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", csvRes.StatusCode, csvRes.Header.Get("Content-Type"))
	}
	// As a Dutch Excel reads it: a BOM says UTF-8, ';' separates, the
	// comma is the decimal sign.
	body, ok := strings.CutPrefix(csvRes.Body, "\uFEFF")
	if !ok {
		t.Fatal("csv has no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][5] != "Gevraagd (EUR)" {
		t.Fatalf("csv rows: %q", rows)
	}
	excel := func(cell string) float64 { // Dutch Excel: ',' decimal
		f, err := strconv.ParseFloat(strings.Replace(cell, ",", ".", 1), 64)
		if err != nil {
			t.Fatalf("cell %q is not a Dutch number: %v", cell, err)
		}
		return f
	}
	if got := rows[1]; excel(got[5]) != 1250.50 || excel(got[7]) != 1250.50 || excel(got[8]) != 1000 || got[4] != "Toegekend" || got[2] != "Thuisbuurt" {
		t.Errorf("granted row: %q", got)
	}
	if got := rows[2]; excel(got[7]) != 0 || got[4] != "Afgewezen" || strings.Contains(strings.Join(got, ";"), "Geheime") {
		t.Errorf("refused row: %q", got)
	}
}

// An organisation's fund: officers of its municipality see the figures,
// not the applications nor the CSV; its staff see both.
func TestDashboardOfAnOrganisationsFund(t *testing.T) {
	t.Parallel()
	w := followUpNewWorld(t, "funder")
	org := followUpID(t, w, `INSERT INTO organisations (name, kind, funder_since) VALUES ('Woonstad', 'woningcorporatie', now()) RETURNING id`)
	orgFund := followUpID(t, w, `INSERT INTO funds (name, funder_organisation_id, scope_municipality_id, opens_on, budget_cents)
		VALUES ('Leefbaarheid', $1, $2, '2026-01-01', 100000) RETURNING id`, org, w.municipality)
	followUpExec(t, w, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by, status, granted_cents, decided_at, reason)
		VALUES ($1, $2, 5000, 'Bankje', 'Bank € 50', $3, 'toegekend', 5000, now(), 'Prima')`, w.initiative, orgFund, w.owner)
	staff := w.srv.CreateUser(t, "corporatie@example.org").ID
	followUpExec(t, w, `INSERT INTO funder_staff (account_id, organisation_id) VALUES ($1, $2)`, staff, org)
	dash := "/fondsoverzicht/" + strconv.FormatInt(orgFund, 10)
	officer := w.srv.Login(t, w.officerMail)
	if res := officer.Get(dash); res.StatusCode != http.StatusOK || strings.Contains(res.Body, `data-testid="dashboard-applications"`) || strings.Contains(res.Body, "aanvragen.csv") {
		t.Errorf("officer of the municipality: %d, or sees the applications", res.StatusCode)
	}
	if res := officer.Get(dash + "/aanvragen.csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("officer downloads the organisation's CSV: %d", res.StatusCode)
	}
	c := w.srv.Login(t, "corporatie@example.org")
	if res := c.Get(dash); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="dashboard-applications"`) {
		t.Errorf("funder staff: %d, or no applications", res.StatusCode)
	}
	if res := c.Get("/fondsoverzicht"); !strings.Contains(res.Body, "Leefbaarheid") || strings.Contains(res.Body, "Buurtbudget 2026") {
		t.Errorf("funder staff's fund list: wrong funds")
	}
	if res := c.Get("/fondsoverzicht/" + strconv.FormatInt(w.fund, 10)); res.StatusCode != http.StatusNotFound {
		t.Errorf("funder staff on the municipality's fund: %d", res.StatusCode)
	}
}
