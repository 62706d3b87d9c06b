package initiative

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ListResult is one page of initiatives and the total number that match.
type ListResult struct {
	Items []Initiative
	Total int
}

// where builds the WHERE clause of a list query from a filter. Only fixed SQL
// fragments are added; every value is a parameter.
func where(f Filter, members bool, args *[]any) string {
	arg := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	conds := []string{"i.hidden_at IS NULL"}
	if !members {
		conds = append(conds, "i.visibility = 'public'")
	}
	if f.Query != "" {
		conds = append(conds, "i.search @@ websearch_to_tsquery('dutch', "+arg(f.Query)+")")
	}
	if f.Municipality != "" {
		conds = append(conds, "m.code = "+arg(f.Municipality))
	}
	if f.District != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM initiative_neighbourhoods x JOIN neighbourhoods b ON b.id = x.neighbourhood_id
			JOIN districts d ON d.id = b.district_id WHERE x.initiative_id = i.id AND d.code = `+arg(f.District)+`)`)
	}
	if f.Neighbourhood != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM initiative_neighbourhoods x JOIN neighbourhoods b ON b.id = x.neighbourhood_id
			WHERE x.initiative_id = i.id AND b.code = `+arg(f.Neighbourhood)+`)`)
	}
	if f.neighbourhoodID != 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM initiative_neighbourhoods x WHERE x.initiative_id = i.id AND x.neighbourhood_id = `+arg(f.neighbourhoodID)+`)`)
	}
	if f.Theme != "" {
		conds = append(conds, "i.themes @> ARRAY["+arg(f.Theme)+"]::text[]")
	}
	if f.Status != "" {
		conds = append(conds, "i.status = "+arg(f.Status))
	}
	if f.Need != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM initiative_needs x WHERE x.initiative_id = i.id AND x.need = "+arg(f.Need)+")")
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// List returns one page (1-based) of listable initiatives: not hidden, and
// public unless members is true (a logged-in viewer). It runs four queries
// whatever the page size: count, page, neighbourhoods, needs.
func (s *Store) List(ctx context.Context, f Filter, members bool, page, size int) (ListResult, error) {
	var res ListResult
	var args []any
	w := where(f, members, &args)
	from := ` FROM initiatives i JOIN municipalities m ON m.id = i.municipality_id`
	// The count needs the municipality only to filter on it; without the
	// join it is an index-only scan (initiatives_count_idx).
	countFrom := ` FROM initiatives i`
	if f.Municipality != "" {
		countFrom = from
	}
	if err := s.db.QueryRow(ctx, `SELECT count(*)`+countFrom+w, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("initiative: count: %w", err)
	}
	if res.Total == 0 || (page-1)*size >= res.Total {
		return res, nil
	}
	order := " ORDER BY i.id DESC"
	if f.Query != "" { // the query is always the first parameter
		order = " ORDER BY ts_rank(i.search, websearch_to_tsquery('dutch', $1)) DESC, i.id DESC"
	}
	args = append(args, size, (page-1)*size)
	rows, err := s.db.Query(ctx, selectInitiative+w+order+fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return res, fmt.Errorf("initiative: list: %w", err)
	}
	if res.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Initiative, error) { return scanInitiative(r) }); err != nil {
		return res, fmt.Errorf("initiative: list: %w", err)
	}
	return res, s.attach(ctx, s.db, res.Items)
}

// ListAfter returns up to size public, visible initiatives with an id below
// after (0: from the newest), newest first, for the open data API's cursor.
func (s *Store) ListAfter(ctx context.Context, f Filter, after int64, size int) ([]Initiative, error) {
	var args []any
	w := where(f, false, &args)
	if after > 0 {
		args = append(args, after)
		w += fmt.Sprintf(" AND i.id < $%d", len(args))
	}
	args = append(args, size)
	rows, err := s.db.Query(ctx, selectInitiative+w+fmt.Sprintf(" ORDER BY i.id DESC LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("initiative: list after %d: %w", after, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Initiative, error) { return scanInitiative(r) })
	if err != nil {
		return nil, fmt.Errorf("initiative: list after %d: %w", after, err)
	}
	return items, s.attach(ctx, s.db, items)
}

// Municipality is a municipality as offered in a form.
type Municipality struct {
	ID   int64
	Code string
	Name string
}

// Municipalities returns every municipality that has neighbourhoods, by name.
func (s *Store) Municipalities(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name FROM municipalities m
		WHERE EXISTS (SELECT 1 FROM neighbourhoods b WHERE b.municipality_id = m.id)
		ORDER BY m.name`)
	if err != nil {
		return nil, fmt.Errorf("initiative: municipalities: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
}

// MunicipalityOf returns the code of the municipality of the neighbourhood
// with CBS code neighbourhood, "" when there is no such neighbourhood.
func (s *Store) MunicipalityOf(ctx context.Context, neighbourhood string) (string, error) {
	var code string
	err := s.db.QueryRow(ctx, `SELECT m.code FROM neighbourhoods b JOIN municipalities m ON m.id = b.municipality_id
		WHERE b.code = $1`, neighbourhood).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("initiative: municipality of %s: %w", neighbourhood, err)
	}
	return code, nil
}

// ListedMunicipalities returns the municipalities that have listable initiatives.
func (s *Store) ListedMunicipalities(ctx context.Context, members bool) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name FROM municipalities m
		WHERE EXISTS (SELECT 1 FROM initiatives i WHERE i.municipality_id = m.id AND i.hidden_at IS NULL AND ($1 OR i.visibility = 'public'))
		ORDER BY m.name`, members)
	if err != nil {
		return nil, fmt.Errorf("initiative: listed municipalities: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
}

// Places returns the neighbourhoods of a municipality (by code) with their
// districts, ordered by district and name.
func (s *Store) Places(ctx context.Context, municipality string) ([]Place, error) {
	rows, err := s.db.Query(ctx, `
		SELECT b.id, b.code, b.name, d.code, d.name
		FROM neighbourhoods b JOIN districts d ON d.id = b.district_id JOIN municipalities m ON m.id = b.municipality_id
		WHERE m.code = $1 ORDER BY d.name, d.code, b.name`, municipality)
	if err != nil {
		return nil, fmt.Errorf("initiative: places in %s: %w", municipality, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Place])
}

// Mine is an initiative on its owner's or supporter's account page.
type Mine struct {
	ID     int64
	Title  string
	Status Status
	Owner  bool
	Hidden bool
}

// Mine lists the initiatives account owns or joined, owned ones first.
func (s *Store) Mine(ctx context.Context, account int64) ([]Mine, error) {
	rows, err := s.db.Query(ctx, `
		SELECT i.id, i.title, i.status, o.account_id IS NOT NULL, i.hidden_at IS NOT NULL
		FROM initiatives i
		LEFT JOIN initiative_owners o ON o.initiative_id = i.id AND o.account_id = $1
		LEFT JOIN initiative_supporters s ON s.initiative_id = i.id AND s.account_id = $1
		WHERE (o.account_id IS NOT NULL OR (s.account_id IS NOT NULL AND i.hidden_at IS NULL))
		ORDER BY o.account_id IS NULL, i.updated_at DESC, i.id DESC
		LIMIT 100`, account)
	if err != nil {
		return nil, fmt.Errorf("initiative: mine %d: %w", account, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Mine])
}
