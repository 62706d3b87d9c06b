package asset

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
)

// Store owns the SQL of the asset map.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Scope says what a reader may see: members-only assets need a logged-in
// viewer, residents' talents a logged-in viewer who may see residents'
// personal data (not a municipality officer), hidden assets an administrator.
type Scope struct {
	LoggedIn   bool
	Talents    bool
	WithHidden bool
}

// assetColumns are the columns scanAsset reads, from assets a joined with
// neighbourhoods n and accounts o (the owner). Only the first word of the
// owner's display name leaves the database, and only for talents.
const assetColumns = `a.id, a.kind, a.place_type, a.name, a.description, a.neighbourhood_id, n.code, n.name,
	a.needs, a.website, a.phone, a.address, a.visibility, COALESCE(a.created_by, 0),
	CASE WHEN a.kind = 'talent' THEN COALESCE(split_part(btrim(o.display_name), ' ', 1), '') ELSE '' END,
	a.hidden, a.hidden_reason, a.created_at, a.updated_at`

const assetFrom = `assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id LEFT JOIN accounts o ON o.id = a.created_by`

// visibleTo is the SQL condition of Scope with the logged-in flag at
// $loggedIn, the talents flag at $talents and the hidden flag at $withHidden.
func visibleTo(loggedIn, talents, withHidden string) string {
	return `(a.visibility = 'public' OR ` + loggedIn + `) AND (a.kind <> 'talent' OR ` + talents + `) AND (NOT a.hidden OR ` + withHidden + `)`
}

func scanAsset(row pgx.Row, extra ...any) (Asset, error) {
	var a Asset
	dest := append([]any{&a.ID, &a.Kind, &a.PlaceType, &a.Name, &a.Description, &a.NeighbourhoodID, &a.NeighbourhoodCode,
		&a.NeighbourhoodName, &a.Needs, &a.Website, &a.Phone, &a.Address, &a.Visibility, &a.CreatedBy, &a.OwnerFirstName,
		&a.Hidden, &a.HiddenReason, &a.CreatedAt, &a.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Asset{}, err
	}
	if a.Kind == Talent {
		a.OwnerFirstName = FirstName(a.OwnerFirstName)
	}
	return a, nil
}

func collectAssets(rows pgx.Rows, err error) ([]Asset, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Asset
	for rows.Next() {
		a, err := scanAsset(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Neighbourhood looks a neighbourhood up by its CBS code.
func (s *Store) Neighbourhood(ctx context.Context, code string) (Neighbourhood, error) {
	var n Neighbourhood
	err := s.db.QueryRow(ctx, `
		SELECT n.id, n.code, n.name, m.id, m.code, m.name
		FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id
		WHERE n.code = $1`, code).Scan(&n.ID, &n.Code, &n.Name, &n.MunicipalityID, &n.MunicipalityCode, &n.MunicipalityName)
	if errors.Is(err, pgx.ErrNoRows) {
		return Neighbourhood{}, ErrNotFound
	}
	if err != nil {
		return Neighbourhood{}, fmt.Errorf("asset: neighbourhood %q: %w", code, err)
	}
	return n, nil
}

// Neighbourhoods returns the neighbourhoods with the given ids, by name.
func (s *Store) Neighbourhoods(ctx context.Context, ids []int64) ([]Neighbourhood, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.code, n.name, m.id, m.code, m.name
		FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id
		WHERE n.id = ANY($1::bigint[])
		ORDER BY n.name, n.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("asset: neighbourhoods: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Neighbourhood, error) {
		var n Neighbourhood
		err := r.Scan(&n.ID, &n.Code, &n.Name, &n.MunicipalityID, &n.MunicipalityCode, &n.MunicipalityName)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("asset: neighbourhoods: %w", err)
	}
	return out, nil
}

// Municipalities lists the municipalities that have neighbourhoods, by name.
func (s *Store) Municipalities(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name FROM municipalities m
		WHERE EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = m.id)
		ORDER BY m.name`)
	if err != nil {
		return nil, fmt.Errorf("asset: municipalities: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Municipality, error) {
		var m Municipality
		err := r.Scan(&m.ID, &m.Code, &m.Name)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("asset: municipalities: %w", err)
	}
	return out, nil
}

// ViewerMunicipalities returns the municipalities an account is tied to: of
// its home neighbourhood, its work areas and (officers) its own.
func (s *Store) ViewerMunicipalities(ctx context.Context, accountID int64) ([]int64, error) {
	var ids []int64
	err := s.db.QueryRow(ctx, `
		SELECT COALESCE(array_agg(DISTINCT m), '{}') FROM (
			SELECT n.municipality_id AS m FROM accounts a JOIN neighbourhoods n ON n.id = a.home_neighbourhood_id WHERE a.id = $1
			UNION SELECT a.municipality_id FROM accounts a WHERE a.id = $1 AND a.municipality_id IS NOT NULL
			UNION SELECT n.municipality_id FROM account_work_areas w JOIN neighbourhoods n ON n.id = w.neighbourhood_id WHERE w.account_id = $1
		) t`, accountID).Scan(&ids)
	if err != nil {
		return nil, fmt.Errorf("asset: municipalities of account %d: %w", accountID, err)
	}
	return ids, nil
}

// NeighbourhoodOptions lists the neighbourhoods of the given municipalities,
// ordered by municipality and name, for the grouped select.
func (s *Store) NeighbourhoodOptions(ctx context.Context, municipalityIDs []int64) ([]NeighbourhoodOption, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.code, n.name, d.name, m.name
		FROM neighbourhoods n JOIN districts d ON d.id = n.district_id JOIN municipalities m ON m.id = n.municipality_id
		WHERE n.municipality_id = ANY($1::bigint[])
		ORDER BY m.name, m.id, n.name, n.code`, municipalityIDs)
	if err != nil {
		return nil, fmt.Errorf("asset: neighbourhood options: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NeighbourhoodOption, error) {
		var o NeighbourhoodOption
		err := r.Scan(&o.Code, &o.Name, &o.DistrictName, &o.MunicipalityName)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("asset: neighbourhood options: %w", err)
	}
	return out, nil
}

// Create stores a new asset of owner. A form sent twice with the same token
// stores it once: the second call returns the first asset's id with created
// false.
func (s *Store) Create(ctx context.Context, owner int64, token string, in Input) (id int64, created bool, err error) {
	err = s.db.QueryRow(ctx, `
		INSERT INTO assets (kind, place_type, name, description, neighbourhood_id, needs, website, phone, address,
		                    visibility, created_by, create_token)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT ON CONSTRAINT assets_create_token_key DO NOTHING
		RETURNING id`,
		in.Kind, in.PlaceType, in.Name, in.Description, in.NeighbourhoodID, in.Needs, in.Website, in.Phone, in.Address,
		in.Visibility, owner, token).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, fmt.Errorf("asset: create %s: %w", in.Kind, err)
	}
	err = s.db.QueryRow(ctx, `SELECT id FROM assets WHERE create_token = $1 AND created_by = $2`, token, owner).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, ErrTokenTaken
	}
	if err != nil {
		return 0, false, fmt.Errorf("asset: create %s: find earlier: %w", in.Kind, err)
	}
	return id, false, nil
}

// Editable returns asset id when editor may change it: its owner, or any
// administrator (admin true).
func (s *Store) Editable(ctx context.Context, id, editor int64, admin bool) (Asset, error) {
	a, err := scanAsset(s.db.QueryRow(ctx, `SELECT `+assetColumns+` FROM `+assetFrom+`
		WHERE a.id = $1 AND (a.created_by = $2 OR $3)`, id, editor, admin))
	if errors.Is(err, pgx.ErrNoRows) {
		return Asset{}, ErrNotFound
	}
	if err != nil {
		return Asset{}, fmt.Errorf("asset: editable %d: %w", id, err)
	}
	return a, nil
}

// Update changes asset id (its kind stays) when editor is its owner or an
// administrator. An administrator changing someone else's asset leaves a line
// in the audit trail.
func (s *Store) Update(ctx context.Context, id, editor int64, admin bool, in Input) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var owner *int64
		err := tx.QueryRow(ctx, `
			UPDATE assets SET place_type = $4, name = $5, description = $6, neighbourhood_id = $7, needs = $8,
			       website = $9, phone = $10, address = $11, visibility = $12, updated_at = now()
			WHERE id = $1 AND (created_by = $2 OR $3)
			RETURNING created_by`,
			id, editor, admin, in.PlaceType, in.Name, in.Description, in.NeighbourhoodID, in.Needs, in.Website, in.Phone,
			in.Address, in.Visibility).Scan(&owner)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("asset: update %d: %w", id, err)
		}
		if owner == nil || *owner != editor {
			return audit.RecordTx(ctx, tx, editor, "asset.edit", "asset", id, "")
		}
		return nil
	})
}

// Delete removes asset id when editor is its owner or an administrator, and
// returns the code of its neighbourhood.
func (s *Store) Delete(ctx context.Context, id, editor int64, admin bool) (string, error) {
	var code string
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var owner *int64
		err := tx.QueryRow(ctx, `
			DELETE FROM assets a USING neighbourhoods n
			WHERE a.id = $1 AND n.id = a.neighbourhood_id AND (a.created_by = $2 OR $3)
			RETURNING a.created_by, n.code`, id, editor, admin).Scan(&owner, &code)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("asset: delete %d: %w", id, err)
		}
		if owner == nil || *owner != editor {
			return audit.RecordTx(ctx, tx, editor, "asset.delete", "asset", id, "")
		}
		return nil
	})
	return code, err
}

// SetHidden hides (with a reason for the owner) or shows asset id again. Only
// administrators call it; the audit trail records who did it.
func (s *Store) SetHidden(ctx context.Context, id, admin int64, hidden bool, reason string) (string, error) {
	var code string
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			UPDATE assets a SET hidden = $2, hidden_reason = $3, hidden_by = CASE WHEN $2 THEN $4::bigint END
			FROM neighbourhoods n
			WHERE a.id = $1 AND n.id = a.neighbourhood_id
			RETURNING n.code`, id, hidden, reason, admin).Scan(&code)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("asset: hide %d: %w", id, err)
		}
		action := "asset.show"
		if hidden {
			action = "asset.hide"
		}
		return audit.RecordTx(ctx, tx, admin, action, "asset", id, reason)
	})
	return code, err
}

// Get returns asset id when the scope allows seeing it.
func (s *Store) Get(ctx context.Context, id int64, sc Scope) (Asset, error) {
	a, err := scanAsset(s.db.QueryRow(ctx, `SELECT `+assetColumns+` FROM `+assetFrom+`
		WHERE a.id = $1 AND `+visibleTo("$2", "$4", "$3"), id, sc.LoggedIn, sc.WithHidden, sc.Talents))
	if errors.Is(err, pgx.ErrNoRows) {
		return Asset{}, ErrNotFound
	}
	if err != nil {
		return Asset{}, fmt.Errorf("asset: get %d: %w", id, err)
	}
	return a, nil
}

// List returns the assets of a neighbourhood the scope allows, optionally
// only those that help with one of needs, by kind and name.
func (s *Store) List(ctx context.Context, neighbourhoodID int64, needs []Need, sc Scope) ([]Asset, error) {
	out, err := collectAssets(s.db.Query(ctx, `SELECT `+assetColumns+` FROM `+assetFrom+`
		WHERE a.neighbourhood_id = $1 AND `+visibleTo("$2", "$5", "$3")+`
		  AND (COALESCE(cardinality($4::text[]), 0) = 0 OR a.needs && $4::text[])
		ORDER BY array_position(ARRAY['plek', 'netwerk', 'bedrijf', 'talent'], a.kind), lower(a.name), a.id
		LIMIT 2000`, neighbourhoodID, sc.LoggedIn, sc.WithHidden, needs, sc.Talents))
	if err != nil {
		return nil, fmt.Errorf("asset: list neighbourhood %d: %w", neighbourhoodID, err)
	}
	return out, nil
}

// KindSummary is one kind's group in the neighbourhood section: how many
// there are and the first few.
type KindSummary struct {
	Kind  Kind
	Count int
	First []Asset
}

// Summary returns, per kind, the number of visible assets in a neighbourhood
// and the neighbouring neighbourhoods of its district (nearby_neighbourhoods:
// a talent in Lombok-Oost helps Lombok-West) and the first perKind of them,
// nearest neighbourhood first, then by name; in one query.
func (s *Store) Summary(ctx context.Context, neighbourhoodID int64, sc Scope, perKind int) (map[Kind]*KindSummary, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+assetColumns+`, t.total FROM (
			SELECT a.id, count(*) OVER (PARTITION BY a.kind) AS total,
			       row_number() OVER (PARTITION BY a.kind ORDER BY near.distance_rank, lower(a.name), a.id) AS rn
			FROM nearby_neighbourhoods($1) near
			JOIN assets a ON a.neighbourhood_id = near.neighbourhood_id
			WHERE `+visibleTo("$2", "$4", "false")+`
		) t JOIN assets a ON a.id = t.id JOIN neighbourhoods n ON n.id = a.neighbourhood_id
		LEFT JOIN accounts o ON o.id = a.created_by
		WHERE t.rn <= $3
		ORDER BY a.kind, t.rn`, neighbourhoodID, sc.LoggedIn, perKind, sc.Talents)
	if err != nil {
		return nil, fmt.Errorf("asset: summary of %d: %w", neighbourhoodID, err)
	}
	defer rows.Close()
	out := map[Kind]*KindSummary{}
	for rows.Next() {
		var total int
		a, err := scanAsset(rows, &total)
		if err != nil {
			return nil, fmt.Errorf("asset: summary of %d: %w", neighbourhoodID, err)
		}
		g := out[a.Kind]
		if g == nil {
			g = &KindSummary{Kind: a.Kind, Count: total}
			out[a.Kind] = g
		}
		g.First = append(g.First, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("asset: summary of %d: %w", neighbourhoodID, err)
	}
	return out, nil
}

// NeedMatch is the help found for one need of an initiative.
type NeedMatch struct {
	Need  Need
	Total int     // all matching assets, of which Found holds the first few
	Found []Asset // places, networks and businesses first, then talents
}

// HelpFor finds, in one query, the assets of the given neighbourhoods that
// help with each of needs: at most perNeed per need, with the total count.
func (s *Store) HelpFor(ctx context.Context, neighbourhoodIDs []int64, needs []Need, sc Scope, perNeed int) ([]NeedMatch, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+assetColumns+`, t.need, t.total FROM (
			SELECT w.need, w.ord, a.id, count(*) OVER (PARTITION BY w.need) AS total,
			       row_number() OVER (PARTITION BY w.need ORDER BY a.kind = 'talent', lower(a.name), a.id) AS rn
			FROM assets a
			JOIN unnest($2::text[]) WITH ORDINALITY AS w(need, ord) ON w.need = ANY(a.needs)
			WHERE a.neighbourhood_id = ANY($1::bigint[]) AND a.needs && $2::text[] AND `+visibleTo("$3", "$5", "false")+`
		) t JOIN assets a ON a.id = t.id JOIN neighbourhoods n ON n.id = a.neighbourhood_id
		LEFT JOIN accounts o ON o.id = a.created_by
		WHERE t.rn <= $4
		ORDER BY t.ord, t.rn`, neighbourhoodIDs, needs, sc.LoggedIn, perNeed, sc.Talents)
	if err != nil {
		return nil, fmt.Errorf("asset: help for %v: %w", needs, err)
	}
	defer rows.Close()
	byNeed := map[Need]*NeedMatch{}
	for rows.Next() {
		var need Need
		var total int
		a, err := scanAsset(rows, &need, &total)
		if err != nil {
			return nil, fmt.Errorf("asset: help for %v: %w", needs, err)
		}
		m := byNeed[need]
		if m == nil {
			m = &NeedMatch{Need: need, Total: total}
			byNeed[need] = m
		}
		m.Found = append(m.Found, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("asset: help for %v: %w", needs, err)
	}
	out := make([]NeedMatch, 0, len(needs))
	for _, n := range needs {
		if m := byNeed[n]; m != nil {
			out = append(out, *m)
		} else {
			out = append(out, NeedMatch{Need: n})
		}
	}
	return out, nil
}

// Mine returns every asset created by account, hidden ones included, newest first.
func (s *Store) Mine(ctx context.Context, account int64) ([]Asset, error) {
	out, err := collectAssets(s.db.Query(ctx, `SELECT `+assetColumns+` FROM `+assetFrom+`
		WHERE a.created_by = $1
		ORDER BY a.created_at DESC, a.id DESC`, account))
	if err != nil {
		return nil, fmt.Errorf("asset: assets of %d: %w", account, err)
	}
	return out, nil
}
