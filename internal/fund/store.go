package fund

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the SQL of funds and applications (funding_requests).
type Store struct{ db *pgxpool.Pool }

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

const selectFund = `
	SELECT d.id, d.name, d.description, COALESCE('Gemeente ' || fm.name, o.name, ''), d.scope_municipality_id, sm.name,
	       COALESCE(d.funder_municipality_id, 0), COALESCE(d.funder_organisation_id, 0), d.period_label, d.opens_on, d.closes_on,
	       d.budget_cents, COALESCE(d.max_per_request_cents, 0), d.min_supporters, d.own_contribution_pct, d.cofinancing_allowed,
	       d.decision_mode, d.advice_days, d.account_due_days, d.receipts_required,
	       ARRAY(SELECT theme FROM fund_themes WHERE fund_id = d.id ORDER BY theme),
	       ARRAY(SELECT COALESCE(di.name, nb.name) FROM fund_areas fa LEFT JOIN districts di ON di.id = fa.district_id
	             LEFT JOIN neighbourhoods nb ON nb.id = fa.neighbourhood_id WHERE fa.fund_id = d.id ORDER BY 1),
	       (SELECT COALESCE(sum(granted_cents), 0)::bigint FROM funding_requests WHERE fund_id = d.id AND status = 'toegekend'),
	       (SELECT count(*)::int FROM funding_requests WHERE fund_id = d.id),
	       (SELECT count(*)::int FROM funding_requests WHERE fund_id = d.id AND status = 'toegekend')
	FROM funds d
	JOIN municipalities sm ON sm.id = d.scope_municipality_id
	LEFT JOIN municipalities fm ON fm.id = d.funder_municipality_id
	LEFT JOIN organisations o ON o.id = d.funder_organisation_id`

func scanFund(row pgx.CollectableRow) (Fund, error) {
	var f Fund
	err := row.Scan(&f.ID, &f.Name, &f.Description, &f.Funder, &f.MunicipalityID, &f.Municipality,
		&f.FunderMunicipality, &f.FunderOrganisation, &f.PeriodLabel, &f.OpensOn, &f.ClosesOn,
		&f.BudgetCents, &f.MaxPerRequestCents, &f.MinSupporters, &f.OwnContributionPct, &f.Cofinancing,
		&f.Mode, &f.AdviceDays, &f.AccountDueDays, &f.ReceiptsRequired, &f.Themes, &f.Areas,
		&f.GrantedCents, &f.Applications, &f.GrantedCount)
	return f, err
}

// Funds lists every fund (open data: rules and granted amounts), newest
// opening first.
func (s *Store) Funds(ctx context.Context) ([]Fund, error) {
	rows, err := s.db.Query(ctx, selectFund+` ORDER BY d.opens_on DESC, d.name, d.id`)
	if err != nil {
		return nil, fmt.Errorf("fund: list: %w", err)
	}
	fs, err := pgx.CollectRows(rows, scanFund)
	if err != nil {
		return nil, fmt.Errorf("fund: list: %w", err)
	}
	return fs, nil
}

// Fund returns one fund.
func (s *Store) Fund(ctx context.Context, id int64) (Fund, error) {
	rows, err := s.db.Query(ctx, selectFund+` WHERE d.id = $1`, id)
	if err != nil {
		return Fund{}, fmt.Errorf("fund: %d: %w", id, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, scanFund)
	if errors.Is(err, pgx.ErrNoRows) {
		return Fund{}, ErrNotFound
	}
	if err != nil {
		return Fund{}, fmt.Errorf("fund: %d: %w", id, err)
	}
	return f, nil
}

// Grant is a granted application as the public sees it: fund and amount,
// never the motivation.
type Grant struct {
	InitiativeID    int64
	InitiativeTitle string
	GrantedCents    int64
	DecidedAt       time.Time
}

// Grants lists the granted applications of a fund, for visible initiatives.
func (s *Store) Grants(ctx context.Context, fund int64) ([]Grant, error) {
	rows, err := s.db.Query(ctx, `
		SELECT i.id, i.title, f.granted_cents, f.decided_at
		FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
		WHERE f.fund_id = $1 AND f.status = 'toegekend' AND i.hidden_at IS NULL AND i.visibility = 'public'
		ORDER BY f.decided_at DESC, f.id DESC`, fund)
	if err != nil {
		return nil, fmt.Errorf("fund: grants of %d: %w", fund, err)
	}
	gs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Grant])
	if err != nil {
		return nil, fmt.Errorf("fund: grants of %d: %w", fund, err)
	}
	return gs, nil
}

// ScopeOf returns what account decides on: the municipality of an officer
// (pass 0 for others) and the organisation they are funder staff of.
func (s *Store) ScopeOf(ctx context.Context, account, officerMunicipality int64) (Scope, error) {
	sc := Scope{Municipality: officerMunicipality}
	err := s.db.QueryRow(ctx, `
		SELECT st.organisation_id FROM funder_staff st JOIN organisations o ON o.id = st.organisation_id
		WHERE st.account_id = $1 AND o.funder_since IS NOT NULL`, account).Scan(&sc.Organisation)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Scope{}, fmt.Errorf("fund: scope of %d: %w", account, err)
	}
	return sc, nil
}

// inScope is the SQL condition that fund "d" is decided by the scope given
// as the two parameters named (municipality, organisation; 0 matches none).
func inScope(muni, org string) string {
	return `(d.funder_municipality_id = ` + muni + ` OR d.funder_organisation_id = ` + org + `)`
}

// Candidate is an initiative as the funding finder sees it.
type Candidate struct {
	ID             int64
	Title          string
	MunicipalityID int64
	Themes         []string
	Neighbourhoods []int64
	Supporters     int
	NeedsMoney     bool
}

// Candidate loads initiative for the finder, only for one of its owners
// (ErrNotOwner otherwise; hidden initiatives ask for nothing).
func (s *Store) Candidate(ctx context.Context, initiative, owner int64) (Candidate, error) {
	c := Candidate{ID: initiative}
	var owns, hidden bool
	err := s.db.QueryRow(ctx, `
		SELECT i.hidden_at IS NOT NULL, i.title, i.municipality_id, i.themes,
		       ARRAY(SELECT neighbourhood_id FROM initiative_neighbourhoods WHERE initiative_id = i.id ORDER BY 1),
		       (SELECT count(*)::int FROM initiative_supporters WHERE initiative_id = i.id),
		       EXISTS (SELECT 1 FROM initiative_needs WHERE initiative_id = i.id AND need = 'geld'),
		       EXISTS (SELECT 1 FROM initiative_owners WHERE initiative_id = i.id AND account_id = $2)
		FROM initiatives i WHERE i.id = $1`, initiative, owner).
		Scan(&hidden, &c.Title, &c.MunicipalityID, &c.Themes, &c.Neighbourhoods, &c.Supporters, &c.NeedsMoney, &owns)
	if errors.Is(err, pgx.ErrNoRows) {
		return Candidate{}, ErrNotFound
	}
	if err != nil {
		return Candidate{}, fmt.Errorf("fund: candidate %d: %w", initiative, err)
	}
	// Hidden initiatives ask for nothing until a moderator shows them again.
	if !owns || hidden {
		return Candidate{}, ErrNotOwner
	}
	return c, nil
}

// fitting is the SQL condition that fund "d" is open on $1 and fits an
// initiative in municipality $2, neighbourhoods $3 and themes $4.
const fitting = `
	d.opens_on <= $1 AND (d.closes_on IS NULL OR d.closes_on >= $1) AND d.scope_municipality_id = $2
	AND (NOT EXISTS (SELECT 1 FROM fund_areas fa WHERE fa.fund_id = d.id)
	     OR EXISTS (SELECT 1 FROM fund_areas fa JOIN neighbourhoods n ON n.id = ANY($3::bigint[])
	                WHERE fa.fund_id = d.id AND (fa.neighbourhood_id = n.id OR fa.district_id = n.district_id)))
	AND (NOT EXISTS (SELECT 1 FROM fund_themes t WHERE t.fund_id = d.id)
	     OR EXISTS (SELECT 1 FROM fund_themes t WHERE t.fund_id = d.id AND t.theme = ANY($4::text[])))`

// Finder returns the funds open on day that fit c's neighbourhoods and
// themes and still have money; whether c meets each fund's rules is for
// the caller to show (Fund.MinSupporters against c.Supporters).
func (s *Store) Finder(ctx context.Context, c Candidate, day time.Time) ([]Fund, error) {
	rows, err := s.db.Query(ctx, selectFund+` WHERE `+fitting+` ORDER BY d.closes_on NULLS LAST, d.name, d.id`,
		day.Format(time.DateOnly), c.MunicipalityID, c.Neighbourhoods, c.Themes)
	if err != nil {
		return nil, fmt.Errorf("fund: finder for %d: %w", c.ID, err)
	}
	fs, err := pgx.CollectRows(rows, scanFund)
	if err != nil {
		return nil, fmt.Errorf("fund: finder for %d: %w", c.ID, err)
	}
	out := fs[:0]
	for _, f := range fs {
		if f.RemainingCents() > 0 {
			out = append(out, f)
		}
	}
	return out, nil
}

// FitFund returns fund when it is open on day and fits c (the finder's
// rule, for the application form); ErrClosed otherwise.
func (s *Store) FitFund(ctx context.Context, c Candidate, fund int64, day time.Time) (Fund, error) {
	rows, err := s.db.Query(ctx, selectFund+` WHERE d.id = $5 AND `+fitting,
		day.Format(time.DateOnly), c.MunicipalityID, c.Neighbourhoods, c.Themes, fund)
	if err != nil {
		return Fund{}, fmt.Errorf("fund: fit %d for %d: %w", fund, c.ID, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, scanFund)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := s.Fund(ctx, fund); err != nil {
			return Fund{}, err
		}
		return Fund{}, ErrClosed
	}
	if err != nil {
		return Fund{}, fmt.Errorf("fund: fit %d for %d: %w", fund, c.ID, err)
	}
	return f, nil
}

// CofinancingBlocked reports whether initiative has a pending application
// to another fund while this fund or that one does not allow co-financing.
func (s *Store) CofinancingBlocked(ctx context.Context, initiative int64, fund Fund) (bool, error) {
	var blocked bool
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM funding_requests f JOIN funds d ON d.id = f.fund_id
		               WHERE f.initiative_id = $1 AND f.fund_id <> $2 AND f.status = 'ingediend'
		                 AND NOT ($3 AND d.cofinancing_allowed))`, initiative, fund.ID, fund.Cofinancing).Scan(&blocked)
	if err != nil {
		return false, fmt.Errorf("fund: co-financing of %d: %w", initiative, err)
	}
	return blocked, nil
}

// NewApplication is a checked application.
type NewApplication struct {
	Initiative int64
	Fund       int64
	Lines      []Line
	OwnCents   int64
	Purpose    string
	Impact     string
	ActivityOn *time.Time
	Key        string
	By         int64
}

// Asked is what the application asks of the fund.
func (a NewApplication) Asked() int64 { return total(a.Lines) - a.OwnCents }

func total(lines []Line) int64 {
	var t int64
	for _, l := range lines {
		t += l.AmountCents
	}
	return t
}

// Apply files an application of an initiative by one of its owners and
// tells the fund's deciders. The owner and the fund's window (on day) are
// checked again in the transaction; a resubmitted form (same key) files
// nothing new and returns the first application's id.
func (s *Store) Apply(ctx context.Context, a NewApplication, day time.Time) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var ok bool
		err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM initiatives i JOIN initiative_owners o ON o.initiative_id = i.id
			               WHERE i.id = $1 AND o.account_id = $2 AND i.hidden_at IS NULL)`, a.Initiative, a.By).Scan(&ok)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotOwner
		}
		lines := make([]string, len(a.Lines))
		for k, l := range a.Lines {
			lines[k] = l.What + ": " + money.Format(l.AmountCents)
		}
		budget := strings.Join(lines, "\n")
		// The lines are kept in full in funding_request_lines; the budget
		// text (for readers of the old model) is cut at a line end.
		if len(budget) > 2000 {
			cut := strings.LastIndexByte(budget[:2000], '\n')
			if cut <= 0 {
				cut = 2000
			}
			budget = strings.ToValidUTF8(budget[:cut], "")
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, own_contribution_cents, purpose, budget, impact,
			                              activity_on, created_by, idempotency_key)
			SELECT $1, d.id, $3, $4, $5, $6, $7, $8, $9, $10 FROM funds d
			WHERE d.id = $2 AND d.opens_on <= $11 AND (d.closes_on IS NULL OR d.closes_on >= $11)
			ON CONFLICT ON CONSTRAINT funding_requests_idempotency_key DO NOTHING
			RETURNING id`, a.Initiative, a.Fund, a.Asked(), a.OwnCents, a.Purpose, budget, a.Impact, a.ActivityOn, a.By, a.Key,
			day.Format(time.DateOnly)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `SELECT id FROM funding_requests WHERE created_by = $1 AND idempotency_key = $2`, a.By, a.Key).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrClosed
			}
			return err // filed before, or an error
		}
		if err != nil {
			return err
		}
		for k, l := range a.Lines {
			if _, err := tx.Exec(ctx, `INSERT INTO funding_request_lines (request_id, position, what, amount_cents) VALUES ($1, $2, $3, $4)`,
				id, k+1, l.What, l.AmountCents); err != nil {
				return err
			}
		}
		var title, fund string
		var to []int64
		err = tx.QueryRow(ctx, `
			SELECT i.title, d.name, ARRAY(
				SELECT a.id FROM accounts a WHERE a.id <> $3 AND (
					(a.roles @> ARRAY['officer']::text[] AND a.municipality_id = d.funder_municipality_id)
					OR a.id IN (SELECT account_id FROM funder_staff WHERE organisation_id = d.funder_organisation_id)))
			FROM initiatives i, funds d WHERE i.id = $1 AND d.id = $2`, a.Initiative, a.Fund, a.By).Scan(&title, &fund, &to)
		if err != nil {
			return err
		}
		if len(to) == 0 {
			return nil
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: requestURL(id), Actor: a.By,
			Text: noteApplied(title, fund, a.Asked())}, to)
	})
	if err != nil && !errors.Is(err, ErrNotOwner) && !errors.Is(err, ErrClosed) {
		return 0, fmt.Errorf("fund: apply %d to %d: %w", a.Initiative, a.Fund, err)
	}
	return id, err
}

const selectApplication = `
	SELECT f.id, f.fund_id, d.name, COALESCE('Gemeente ' || fm.name, o.name, ''), f.initiative_id, i.title, i.description,
	       ARRAY(SELECT n.name FROM initiative_neighbourhoods inb JOIN neighbourhoods n ON n.id = inb.neighbourhood_id
	             WHERE inb.initiative_id = i.id ORDER BY n.name),
	       (SELECT count(*)::int FROM (SELECT account_id FROM initiative_owners WHERE initiative_id = i.id
	                                   UNION SELECT account_id FROM initiative_supporters WHERE initiative_id = i.id) m),
	       f.amount_cents, f.own_contribution_cents, f.purpose, f.budget, f.impact, f.activity_on, f.status,
	       COALESCE(f.granted_cents, 0), f.conditions, f.reason, COALESCE(r.display_name, 'een voormalig bewoner'), f.created_at,
	       COALESCE(dc.display_name, 'een voormalige medewerker'), f.decided_at,
	       d.budget_cents - COALESCE(gs.granted, 0),
	       ` + conflicted + `
	FROM funding_requests f
	JOIN funds d ON d.id = f.fund_id
	JOIN initiatives i ON i.id = f.initiative_id
	LEFT JOIN municipalities fm ON fm.id = d.funder_municipality_id
	LEFT JOIN organisations o ON o.id = d.funder_organisation_id
	LEFT JOIN accounts r ON r.id = f.created_by
	LEFT JOIN accounts dc ON dc.id = f.decided_by
	-- Granted per fund, once for the whole list rather than once per row.
	LEFT JOIN (SELECT fund_id, sum(granted_cents) AS granted FROM funding_requests
	           WHERE status = 'toegekend' GROUP BY fund_id) gs ON gs.fund_id = d.id`

// conflicted is the SQL condition that the viewer ($1 in every query that
// uses it) may not decide on application "f": they filed it or own the
// initiative. An officer may also be a resident, so without this they
// could grant money to themselves.
const conflicted = `(f.created_by IS NOT DISTINCT FROM $1 OR EXISTS (
	SELECT 1 FROM initiative_owners ow WHERE ow.initiative_id = f.initiative_id AND ow.account_id = $1))`

func scanApplication(row pgx.CollectableRow) (Application, error) {
	var a Application
	err := row.Scan(&a.ID, &a.FundID, &a.FundName, &a.Funder, &a.InitiativeID, &a.InitiativeTitle, &a.Description,
		&a.Neighbourhoods, &a.Members, &a.AmountCents, &a.OwnCents, &a.Purpose, &a.Budget, &a.Impact, &a.ActivityOn, &a.Status,
		&a.GrantedCents, &a.Conditions, &a.Reason, &a.RequestedBy, &a.CreatedAt, &a.DecidedBy, &a.DecidedAt,
		&a.FundRemainingCents, &a.Conflicted)
	return a, err
}

// DecisionsShown is how many of the newest decisions the queue lists.
const DecisionsShown = 100

// Queue returns the applications to the funds of sc, as viewer sees them:
// every pending one (oldest first) and the newest DecisionsShown decided.
func (s *Store) Queue(ctx context.Context, sc Scope, viewer int64) (pending, decided []Application, err error) {
	rows, err := s.db.Query(ctx, selectApplication+` WHERE `+inScope("$2", "$3")+` AND f.status = 'ingediend'
		ORDER BY f.created_at, f.id`, viewer, sc.Municipality, sc.Organisation)
	if err != nil {
		return nil, nil, fmt.Errorf("fund: queue: %w", err)
	}
	if pending, err = pgx.CollectRows(rows, scanApplication); err != nil {
		return nil, nil, fmt.Errorf("fund: queue: %w", err)
	}
	rows, err = s.db.Query(ctx, selectApplication+` WHERE `+inScope("$2", "$3")+` AND f.status <> 'ingediend'
		ORDER BY f.decided_at DESC, f.id DESC LIMIT $4`, viewer, sc.Municipality, sc.Organisation, DecisionsShown)
	if err != nil {
		return nil, nil, fmt.Errorf("fund: decisions: %w", err)
	}
	if decided, err = pgx.CollectRows(rows, scanApplication); err != nil {
		return nil, nil, fmt.Errorf("fund: decisions: %w", err)
	}
	return pending, decided, nil
}

// Application returns one application of a fund in sc, with its budget
// lines; ErrOutOfScope for any other.
func (s *Store) Application(ctx context.Context, id int64, sc Scope, viewer int64) (Application, error) {
	rows, err := s.db.Query(ctx, selectApplication+` WHERE f.id = $4 AND `+inScope("$2", "$3"), viewer, sc.Municipality, sc.Organisation, id)
	if err != nil {
		return Application{}, fmt.Errorf("fund: application %d: %w", id, err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanApplication)
	if errors.Is(err, pgx.ErrNoRows) {
		return Application{}, ErrOutOfScope
	}
	if err != nil {
		return Application{}, fmt.Errorf("fund: application %d: %w", id, err)
	}
	rows, err = s.db.Query(ctx, `SELECT what, amount_cents FROM funding_request_lines WHERE request_id = $1 ORDER BY position`, id)
	if err != nil {
		return Application{}, fmt.Errorf("fund: lines of %d: %w", id, err)
	}
	if a.Lines, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Line]); err != nil {
		return Application{}, fmt.Errorf("fund: lines of %d: %w", id, err)
	}
	return a, nil
}

// Decide records a decision on a pending application of a fund in sc. The
// fund's row is locked (FOR UPDATE) first, so two deciders of the same
// fund take turns and the second sees the first one's grant: a fund is
// never overspent (ErrOverspent). The scope and the conflict of interest
// are checked under the same lock. It returns ErrOutOfScope,
// ErrAlreadyDecided, ErrConflictOfInterest or ErrOverspent when nothing
// was stored.
func (s *Store) Decide(ctx context.Context, id int64, sc Scope, d Decision, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var fund, budget int64
		err := tx.QueryRow(ctx, `
			SELECT d.id, d.budget_cents FROM funds d
			WHERE d.id = (SELECT fund_id FROM funding_requests WHERE id = $1) AND `+inScope("$2", "$3")+`
			FOR UPDATE`, id, sc.Municipality, sc.Organisation).Scan(&fund, &budget)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrOutOfScope
		}
		if err != nil {
			return err
		}
		var status Status
		var asked, initiative, granted int64
		var conflict bool
		err = tx.QueryRow(ctx, `
			SELECT f.status, f.amount_cents, f.initiative_id, `+conflicted+`,
			       (SELECT COALESCE(sum(granted_cents), 0)::bigint FROM funding_requests WHERE fund_id = f.fund_id AND status = 'toegekend')
			FROM funding_requests f WHERE f.id = $2 FOR UPDATE OF f`, by, id).Scan(&status, &asked, &initiative, &conflict, &granted)
		if err != nil {
			return err
		}
		switch {
		case status != Submitted:
			return ErrAlreadyDecided
		case conflict:
			return ErrConflictOfInterest
		}
		var grant any
		if d.Status() == Granted {
			cents := d.GrantedCents
			if d.Verdict == GrantFull {
				cents = asked
			}
			if cents <= 0 || cents > asked {
				return fmt.Errorf("grant of %d cents on %d asked", cents, asked)
			}
			if granted+cents > budget {
				return ErrOverspent
			}
			grant = cents
		}
		if _, err := tx.Exec(ctx, `
			UPDATE funding_requests SET status = $2, granted_cents = $3, conditions = $4, reason = $5, decided_by = $6, decided_at = now()
			WHERE id = $1`, id, d.Status(), grant, d.Conditions, d.Reason, by); err != nil {
			return err
		}
		if err := audit.RecordTx(ctx, tx, by, "funding.decide", "funding_request", id, string(d.Verdict)); err != nil {
			return err
		}
		var title, fundName string
		var owners []int64
		if err := tx.QueryRow(ctx, `
			SELECT i.title, (SELECT name FROM funds WHERE id = $2),
			       ARRAY(SELECT account_id FROM initiative_owners WHERE initiative_id = i.id AND account_id <> $3)
			FROM initiatives i WHERE i.id = $1`, initiative, fund, by).Scan(&title, &fundName, &owners); err != nil {
			return err
		}
		if len(owners) == 0 {
			return nil
		}
		cents, _ := grant.(int64)
		return notify.Send(ctx, tx, notify.Note{Category: notify.Decisions, Link: initiativeURL(initiative) + "#buurtbudget", Actor: by,
			Text: noteDecided(title, fundName, d.Status(), cents)}, owners)
	})
	switch {
	case err == nil, errors.Is(err, ErrOutOfScope), errors.Is(err, ErrAlreadyDecided),
		errors.Is(err, ErrConflictOfInterest), errors.Is(err, ErrOverspent):
		return err
	}
	return fmt.Errorf("fund: decide %d: %w", id, err)
}

func requestURL(id int64) string        { return fmt.Sprintf("/aanvragen/%d", id) }
func initiativeURL(id int64) string     { return fmt.Sprintf("/initiatieven/%d", id) }
func fundURL(id int64) string           { return fmt.Sprintf("/fondsen/%d", id) }
func finderURL(initiative int64) string { return fmt.Sprintf("/initiatieven/%d/potjes", initiative) }
func applyURL(initiative, fund int64) string {
	return fmt.Sprintf("/initiatieven/%d/potjes/%d/aanvraag", initiative, fund)
}
