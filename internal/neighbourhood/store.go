package neighbourhood

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store owns the SQL of the neighbourhood pages.
type Store struct {
	db    *pgxpool.Pool
	reads func(context.Context) *pgxpool.Pool // see ReadFrom
}

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// ReadFrom lets the list of neighbourhoods (/buurten) read from the pool
// reads picks for the request: a read replica while it is current (see
// internal/dbread). The other pages keep using the primary.
func (s *Store) ReadFrom(reads func(context.Context) *pgxpool.Pool) { s.reads = reads }

// forReads returns the store on the pool for one request's reads that may
// lag a few seconds behind the primary; never for a write or a transaction.
func (s *Store) forReads(ctx context.Context) *Store {
	if s.reads == nil {
		return s
	}
	c := *s
	c.db = s.reads(ctx)
	return &c
}

// SearchLimit is the most neighbourhoods one search shows.
const SearchLimit = 50

const neighbourhoodColumns = `n.id, n.code, n.name, d.id, d.code, d.name, m.id, m.code, m.name,
	n.population, n.area_km2, n.boundary IS NOT NULL,
	n.figures_year, n.households, n.age_0_15, n.age_15_25, n.age_25_45, n.age_45_65, n.age_65_plus`

const neighbourhoodJoins = `JOIN districts d ON d.id = n.district_id JOIN municipalities m ON m.id = n.municipality_id`

func scanNeighbourhood(row pgx.CollectableRow) (Neighbourhood, error) {
	return scanNeighbourhoodAnd(row)
}

// scanNeighbourhoodAnd scans neighbourhoodColumns followed by extra columns.
func scanNeighbourhoodAnd(row pgx.CollectableRow, extra ...any) (Neighbourhood, error) {
	var n Neighbourhood
	var pop, year *int32
	var fig [6]*int32 // households and the age groups
	dest := append([]any{&n.ID, &n.Code, &n.Name, &n.DistrictID, &n.DistrictCode, &n.DistrictName,
		&n.MunicipalityID, &n.MunicipalityCode, &n.MunicipalityName, &pop, &n.AreaKm2, &n.HasBoundary,
		&year, &fig[0], &fig[1], &fig[2], &fig[3], &fig[4], &fig[5]}, extra...)
	err := row.Scan(dest...)
	n.Population = intPtr(pop)
	if year != nil && pop != nil {
		n.Figures = &Figures{Year: int(*year), Inhabitants: int(*pop), Households: intPtr(fig[0])}
		for g := range n.Figures.Ages {
			n.Figures.Ages[g] = intPtr(fig[g+1])
		}
	}
	return n, err
}

func intPtr(v *int32) *int {
	if v == nil {
		return nil
	}
	i := int(*v)
	return &i
}

// ByCode returns the neighbourhood with a CBS code (BU…).
func (s *Store) ByCode(ctx context.Context, code string) (Neighbourhood, error) {
	rows, err := s.db.Query(ctx, `SELECT `+neighbourhoodColumns+` FROM neighbourhoods n `+neighbourhoodJoins+` WHERE n.code = $1`, code)
	if err != nil {
		return Neighbourhood{}, fmt.Errorf("neighbourhood: by code %s: %w", code, err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, scanNeighbourhood)
	if errors.Is(err, pgx.ErrNoRows) {
		return Neighbourhood{}, ErrNotFound
	}
	if err != nil {
		return Neighbourhood{}, fmt.Errorf("neighbourhood: by code %s: %w", code, err)
	}
	return n, nil
}

// MapArea is a neighbourhood as drawn on a map.
type MapArea struct {
	Code     string
	Name     string
	Boundary json.RawMessage // nil when unknown
}

// DistrictAreas returns every neighbourhood of a district with its boundary,
// by name.
func (s *Store) DistrictAreas(ctx context.Context, districtID int64) ([]MapArea, error) {
	rows, err := s.db.Query(ctx, `
		SELECT code, name, boundary FROM neighbourhoods WHERE district_id = $1 ORDER BY name, code`, districtID)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: district areas %d: %w", districtID, err)
	}
	areas, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (MapArea, error) {
		var a MapArea
		var b []byte
		err := row.Scan(&a.Code, &a.Name, &b)
		if b != nil {
			a.Boundary = b
		}
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: district areas %d: %w", districtID, err)
	}
	return areas, nil
}

// MunicipalitiesWithNeighbourhoods lists the municipalities that have at
// least one neighbourhood, by name, with their neighbourhood count.
func (s *Store) MunicipalitiesWithNeighbourhoods(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.code, m.name, c.n
		FROM (SELECT municipality_id, count(*) AS n FROM neighbourhoods GROUP BY municipality_id) c
		JOIN municipalities m ON m.id = c.municipality_id
		ORDER BY m.name, m.code`)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: municipalities: %w", err)
	}
	return collectMunicipalities(rows)
}

func collectMunicipalities(rows pgx.Rows) ([]Municipality, error) {
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Municipality, error) {
		var m Municipality
		err := row.Scan(&m.ID, &m.Code, &m.Name, &m.NeighbourhoodCount)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: municipalities: %w", err)
	}
	return ms, nil
}

// MunicipalityByCode returns a municipality (GM…) with its neighbourhood count.
func (s *Store) MunicipalityByCode(ctx context.Context, code string) (Municipality, error) {
	var m Municipality
	err := s.db.QueryRow(ctx, `
		SELECT m.id, m.code, m.name, (SELECT count(*) FROM neighbourhoods n WHERE n.municipality_id = m.id)
		FROM municipalities m WHERE m.code = $1`, code).Scan(&m.ID, &m.Code, &m.Name, &m.NeighbourhoodCount)
	if errors.Is(err, pgx.ErrNoRows) {
		return Municipality{}, ErrNotFound
	}
	if err != nil {
		return Municipality{}, fmt.Errorf("neighbourhood: municipality %s: %w", code, err)
	}
	return m, nil
}

// InMunicipality returns every neighbourhood of a municipality, ordered by
// district code and name (a municipality has at most a few hundred).
func (s *Store) InMunicipality(ctx context.Context, municipalityID int64) ([]Neighbourhood, error) {
	rows, err := s.db.Query(ctx, `SELECT `+neighbourhoodColumns+` FROM neighbourhoods n `+neighbourhoodJoins+`
		WHERE n.municipality_id = $1 ORDER BY d.code, n.name, n.code`, municipalityID)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: in municipality %d: %w", municipalityID, err)
	}
	ns, err := pgx.CollectRows(rows, scanNeighbourhood)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: in municipality %d: %w", municipalityID, err)
	}
	return ns, nil
}

// SearchResult is what a search found.
type SearchResult struct {
	Neighbourhoods []Neighbourhood // ordered by municipality, district, name
	More           bool            // more than SearchLimit matched
	Municipalities []Municipality  // municipalities (with neighbourhoods) whose name matches
}

// likeEscape escapes LIKE wildcards so user input matches literally.
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Search finds neighbourhoods by part of their name (ignoring case and
// accents: "munein" finds "Mûnein") or of their district's name, by the
// start of their name for one or two characters, or by the start of their
// code (BU…, WK… or GM…). municipalityID > 0 limits the
// search to one municipality. The best matches (exact, then prefix) are
// kept when more than SearchLimit match.
func (s *Store) Search(ctx context.Context, q string, municipalityID int64) (SearchResult, error) {
	var res SearchResult
	q = strings.TrimSpace(q)
	if q == "" {
		return res, nil
	}
	upper := strings.ToUpper(q)
	// match selects the ids of every matching neighbourhood; each branch can
	// use an index (code prefix, or trigrams on the stored folded names).
	var match string
	var pattern string
	switch {
	case codePrefix(upper, "BU", 8):
		match, pattern = `SELECT id FROM neighbourhoods WHERE code LIKE $1`, likeEscape.Replace(upper)+"%"
	case codePrefix(upper, "WK", 6):
		match, pattern = `SELECT n.id FROM districts d JOIN neighbourhoods n ON n.district_id = d.id WHERE d.code LIKE $1`, likeEscape.Replace(upper)+"%"
	case codePrefix(upper, "GM", 4):
		match, pattern = `SELECT n.id FROM municipalities m JOIN neighbourhoods n ON n.municipality_id = m.id WHERE m.code LIKE $1`, likeEscape.Replace(upper)+"%"
	case utf8.RuneCountInString(q) < 3:
		// Too short for trigrams: names that start with it.
		match, pattern = `SELECT id FROM neighbourhoods WHERE name_folded LIKE search_fold($1)`, likeEscape.Replace(q)+"%"
	default:
		match = `SELECT id FROM neighbourhoods WHERE name_folded LIKE search_fold($1)
			UNION
			SELECT n.id FROM districts d JOIN neighbourhoods n ON n.district_id = d.id WHERE d.name_folded LIKE search_fold($1)`
		pattern = "%" + likeEscape.Replace(q) + "%"
	}
	// hit keeps the SearchLimit+1 best matches (exact name, then name prefix,
	// then alphabetical); the extra one only tells that there are more.
	rows, err := s.db.Query(ctx, `
		WITH match AS (`+match+`),
		best AS (
			SELECT n.id, n.name_folded = search_fold($2) AS exact, starts_with(n.name_folded, search_fold($2)) AS prefix,
			       n.name_folded COLLATE "C" AS folded, n.code
			FROM match JOIN neighbourhoods n ON n.id = match.id
			WHERE $3::bigint = 0 OR n.municipality_id = $3
			ORDER BY exact DESC, prefix DESC, folded, n.code
			LIMIT $4 + 1),
		hit AS (SELECT id, row_number() OVER (ORDER BY exact DESC, prefix DESC, folded, code) AS rank FROM best)
		SELECT `+neighbourhoodColumns+`, (SELECT count(*) FROM hit) > $4
		FROM hit JOIN neighbourhoods n ON n.id = hit.id `+neighbourhoodJoins+`
		WHERE hit.rank <= $4
		ORDER BY m.name, m.code, d.code, n.name, n.code`, pattern, q, municipalityID, SearchLimit)
	if err != nil {
		return res, fmt.Errorf("neighbourhood: search: %w", err)
	}
	res.Neighbourhoods, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Neighbourhood, error) {
		return scanNeighbourhoodAnd(row, &res.More)
	})
	if err != nil {
		return res, fmt.Errorf("neighbourhood: search: %w", err)
	}
	if municipalityID == 0 {
		rows, err = s.db.Query(ctx, `
			SELECT m.id, m.code, m.name, c.n
			FROM municipalities m
			JOIN LATERAL (SELECT count(*) AS n FROM neighbourhoods n WHERE n.municipality_id = m.id) c ON c.n > 0
			WHERE search_fold(m.name) LIKE search_fold($1) OR m.code = $2
			ORDER BY m.name LIMIT 10`, "%"+likeEscape.Replace(q)+"%", upper)
		if err != nil {
			return res, fmt.Errorf("neighbourhood: search municipalities: %w", err)
		}
		if res.Municipalities, err = collectMunicipalities(rows); err != nil {
			return res, err
		}
	}
	return res, nil
}

// codePrefix reports whether s is prefix followed by 0..digits digits.
func codePrefix(s, prefix string, digits int) bool {
	if !strings.HasPrefix(s, prefix) || len(s) > len(prefix)+digits {
		return false
	}
	for _, r := range s[len(prefix):] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
