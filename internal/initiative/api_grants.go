package initiative

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// APIGrant is money granted to a public initiative by a fund: open data
// (issue 12). Only grants: never a refusal, a pending request, the amount
// asked or a decision's motivation.
type APIGrant struct {
	Fund         string `json:"fund"`
	GrantedCents int64  `json:"granted_cents"`
	GrantedOn    string `json:"granted_on"` // YYYY-MM-DD, Dutch time
}

// apiGrants returns the grants of the initiatives ids, oldest first, in
// one query.
func (s *Store) apiGrants(ctx context.Context, ids []int64) (map[int64][]APIGrant, error) {
	rows, err := s.db.Query(ctx, `
		SELECT r.initiative_id, f.name, r.granted_cents, to_char(r.decided_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD')
		FROM funding_requests r JOIN funds f ON f.id = r.fund_id
		WHERE r.initiative_id = ANY ($1::bigint[]) AND r.status = 'toegekend' AND r.granted_cents IS NOT NULL
		ORDER BY r.decided_at, r.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("initiative: api grants: %w", err)
	}
	out := map[int64][]APIGrant{}
	var initiative int64
	var g APIGrant
	_, err = pgx.ForEachRow(rows, []any{&initiative, &g.Fund, &g.GrantedCents, &g.GrantedOn}, func() error {
		out[initiative] = append(out[initiative], g)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("initiative: api grants: %w", err)
	}
	return out, nil
}

// withGrants fills the grants of the initiatives in list.
func (s *Store) withGrants(ctx context.Context, list []APIInitiative) error {
	ids := make([]int64, len(list))
	for k, i := range list {
		ids[k] = i.ID
	}
	grants, err := s.apiGrants(ctx, ids)
	if err != nil {
		return err
	}
	for k := range list {
		if g, ok := grants[list[k].ID]; ok {
			list[k].Grants = g
		}
	}
	return nil
}
