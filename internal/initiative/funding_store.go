package initiative

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

const selectFunding = `
	SELECT f.id, f.initiative_id, i.title, f.amount_cents, f.purpose, f.budget, f.status,
	       COALESCE(r.display_name, 'een voormalig bewoner'), f.created_at, COALESCE(d.display_name, 'een voormalige medewerker'), f.decided_at, f.reason
	FROM funding_requests f
	JOIN initiatives i ON i.id = f.initiative_id
	LEFT JOIN accounts r ON r.id = f.created_by
	LEFT JOIN accounts d ON d.id = f.decided_by`

func scanFunding(row pgx.CollectableRow) (FundingRequest, error) {
	var f FundingRequest
	err := row.Scan(&f.ID, &f.InitiativeID, &f.InitiativeTitle, &f.AmountCents, &f.Purpose, &f.Budget, &f.Status,
		&f.RequestedBy, &f.CreatedAt, &f.DecidedBy, &f.DecidedAt, &f.Reason)
	return f, err
}

// RequestFunding files a funding request for an initiative that by owns and
// tells the officers of its municipality. A resubmitted form (same key)
// files nothing new.
func (s *Store) RequestFunding(ctx context.Context, id int64, amount int64, purpose, budget, key string, by int64) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, _, err := lockOwned(ctx, tx, id, by, false); err != nil {
			return err
		}
		fund, err := defaultFund(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("initiative: request funding %d: %w", id, err)
		}
		var request int64
		err = tx.QueryRow(ctx, `
			INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT ON CONSTRAINT funding_requests_idempotency_key DO NOTHING
			RETURNING id`, id, fund, amount, purpose, budget, by, key).Scan(&request)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // filed before
		}
		if err != nil {
			return fmt.Errorf("initiative: request funding %d: %w", id, err)
		}
		err = event{initiative: id, actor: by, who: toOfficers, category: notify.Decisions, link: requestURL(request),
			text: func(a audience) string { return noteFundingRequest(a.title, amount, purpose) }}.send(ctx, tx)
		if err != nil {
			return fmt.Errorf("initiative: request funding %d: %w", id, err)
		}
		return nil
	})
}

// FundingQueue returns the funding requests of initiatives in a
// municipality: every pending one (oldest first: the work to do, never cut
// off) and the newest decisions, at most decidedLimit; more reports whether
// there are older decisions than those.
//
// Pending requests that viewer may not decide on (their own, or of an
// initiative they own) come back with Conflicted set.
func (s *Store) FundingQueue(ctx context.Context, municipality, viewer int64, decidedLimit int) (pending, decided []FundingRequest, more bool, err error) {
	rows, err := s.db.Query(ctx, selectFunding+`
		WHERE i.municipality_id = $1 AND f.status = 'ingediend'
		ORDER BY f.created_at, f.id`, municipality)
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding queue %d: %w", municipality, err)
	}
	if pending, err = pgx.CollectRows(rows, scanFunding); err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding queue %d: %w", municipality, err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT f.id FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
		WHERE i.municipality_id = $1 AND f.status = 'ingediend' AND `+conflictedOn("$2"), municipality, viewer)
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding conflicts %d: %w", municipality, err)
	}
	conflicted, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding conflicts %d: %w", municipality, err)
	}
	for k := range pending {
		pending[k].Conflicted = slices.Contains(conflicted, pending[k].ID)
	}
	rows, err = s.db.Query(ctx, selectFunding+`
		WHERE i.municipality_id = $1 AND f.status <> 'ingediend'
		ORDER BY f.decided_at DESC, f.id DESC
		LIMIT $2`, municipality, decidedLimit+1)
	if err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding decisions %d: %w", municipality, err)
	}
	if decided, err = pgx.CollectRows(rows, scanFunding); err != nil {
		return nil, nil, false, fmt.Errorf("initiative: funding decisions %d: %w", municipality, err)
	}
	if len(decided) > decidedLimit {
		decided, more = decided[:decidedLimit], true
	}
	return pending, decided, more, nil
}

// FundingRequest returns one request, only when its initiative lies in
// municipality; otherwise ErrOutOfScope.
func (s *Store) FundingRequest(ctx context.Context, id, municipality int64) (FundingRequest, error) {
	rows, err := s.db.Query(ctx, selectFunding+` WHERE f.id = $1 AND i.municipality_id = $2`, id, municipality)
	if err != nil {
		return FundingRequest{}, fmt.Errorf("initiative: funding request %d: %w", id, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, scanFunding)
	if errors.Is(err, pgx.ErrNoRows) {
		return FundingRequest{}, ErrOutOfScope
	}
	if err != nil {
		return FundingRequest{}, fmt.Errorf("initiative: funding request %d: %w", id, err)
	}
	return f, nil
}

// conflictedOn is the SQL condition that account (given as the parameter
// named) may not decide on funding request "f": they submitted it, or they
// own the initiative it is for. An officer may also hold the resident role,
// so without this they could grant money to themselves.
func conflictedOn(param string) string {
	return `(f.created_by IS NOT DISTINCT FROM ` + param + ` OR EXISTS (
		SELECT 1 FROM initiative_owners o WHERE o.initiative_id = f.initiative_id AND o.account_id = ` + param + `))`
}

// Decide records an officer's decision on a pending request of their own
// municipality. The scope and the conflict of interest are part of the
// UPDATE, so a decision by someone who submitted the request or owns the
// initiative (perhaps since a moment ago) cannot be stored. It returns
// ErrOutOfScope for a request elsewhere, ErrAlreadyDecided for one decided
// before and ErrConflictOfInterest when by may not decide on it.
func (s *Store) Decide(ctx context.Context, id, municipality int64, status FundingStatus, reason string, by int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var initiative, amount int64
		err := tx.QueryRow(ctx, `
			UPDATE funding_requests f SET status = $3, reason = $4, decided_by = $5, decided_at = now(),
			       granted_cents = CASE WHEN $3 = 'toegekend' THEN f.amount_cents END
			FROM initiatives i
			WHERE f.id = $1 AND i.id = f.initiative_id AND i.municipality_id = $2 AND f.status = 'ingediend'
			  AND NOT `+conflictedOn("$5")+`
			RETURNING f.initiative_id, f.amount_cents`,
			id, municipality, status, reason, by).Scan(&initiative, &amount)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if errors.Is(err, pgx.ErrNoRows) {
			// Say why nothing matched; the UPDATE above already refused.
			var pending, conflicted bool
			err := tx.QueryRow(ctx, `
				SELECT f.status = 'ingediend', `+conflictedOn("$3")+`
				FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
				WHERE f.id = $1 AND i.municipality_id = $2`, id, municipality, by).Scan(&pending, &conflicted)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return ErrOutOfScope
			case err != nil:
				return err
			case !pending:
				return ErrAlreadyDecided
			case conflicted:
				return ErrConflictOfInterest
			}
			return fmt.Errorf("pending request %d matched no row", id)
		}
		if err := audit.RecordTx(ctx, tx, by, "funding.decide", "funding_request", id, string(status)); err != nil {
			return err
		}
		return event{initiative: initiative, actor: by, who: toOwners, category: notify.Decisions, link: initiativeURL(initiative) + "#buurtbudget",
			text: func(a audience) string { return noteDecision(a.title, status, amount, reason) }}.send(ctx, tx)
	})
	if err != nil && !errors.Is(err, ErrOutOfScope) && !errors.Is(err, ErrAlreadyDecided) && !errors.Is(err, ErrConflictOfInterest) {
		return fmt.Errorf("initiative: decide %d: %w", id, err)
	}
	return err
}

// maxDecidersNamed is how many other officers the decision page names.
const maxDecidersNamed = 10

// Deciders says whether account may not decide on request id of
// municipality (conflicted) and who else there may: the names of up to
// maxDecidersNamed other officers of the municipality without a conflict,
// and how many there are in all. A request elsewhere is ErrOutOfScope.
func (s *Store) Deciders(ctx context.Context, id, municipality, account int64) (conflicted bool, names []string, total int, err error) {
	err = s.db.QueryRow(ctx, `
		WITH others AS (
			SELECT a.id, a.display_name FROM funding_requests f, accounts a
			WHERE f.id = $1 AND a.roles @> ARRAY['officer']::text[] AND a.municipality_id = $2 AND a.id <> $3
			  AND NOT `+conflictedOn("a.id")+`)
		SELECT `+conflictedOn("$3")+`,
		       ARRAY(SELECT display_name FROM others ORDER BY display_name, id LIMIT $4),
		       (SELECT count(*) FROM others)
		FROM funding_requests f JOIN initiatives i ON i.id = f.initiative_id
		WHERE f.id = $1 AND i.municipality_id = $2`, id, municipality, account, maxDecidersNamed).Scan(&conflicted, &names, &total)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil, 0, ErrOutOfScope
	}
	if err != nil {
		return false, nil, 0, fmt.Errorf("initiative: deciders of %d: %w", id, err)
	}
	return conflicted, names, total, nil
}

// defaultFund returns the default fund (buurtbudget) of the municipality of
// initiative, making it when the municipality has none yet: a request to
// the municipality always goes to a fund.
func defaultFund(ctx context.Context, tx pgx.Tx, initiative int64) (int64, error) {
	if _, err := tx.Exec(ctx, `
		INSERT INTO funds (name, description, funder_municipality_id, scope_municipality_id, period_label, opens_on, budget_cents, is_default)
		SELECT 'Buurtbudget ' || m.name, '', m.id, m.id, 'doorlopend', current_date, 100000000000, true
		FROM initiatives i JOIN municipalities m ON m.id = i.municipality_id WHERE i.id = $1
		ON CONFLICT (scope_municipality_id) WHERE is_default DO NOTHING`, initiative); err != nil {
		return 0, err
	}
	var fund int64
	err := tx.QueryRow(ctx, `
		SELECT d.id FROM funds d JOIN initiatives i ON i.municipality_id = d.scope_municipality_id
		WHERE i.id = $1 AND d.is_default`, initiative).Scan(&fund)
	return fund, err
}
