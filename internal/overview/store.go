package overview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store reads the overview figures. Every query takes the viewer's Scope
// and checks it in its WHERE clause as well (the handler checks it first).
type Store struct {
	db    *pgxpool.Pool
	reads func(context.Context) *pgxpool.Pool // see ReadFrom
}

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// ReadFrom makes the store's queries use the pool reads picks for the
// request (a read replica while it is current, see internal/dbread). The
// overview only reads, and its figures are cached for TableTTL anyway: a
// replica's few seconds of lag change nothing a viewer could tell.
func (s *Store) ReadFrom(reads func(context.Context) *pgxpool.Pool) { s.reads = reads }

// read returns the pool for a query of ctx's request.
func (s *Store) read(ctx context.Context) *pgxpool.Pool {
	if s.reads == nil {
		return s.db
	}
	return s.reads(ctx)
}

// Scope is what a viewer may read: every municipality (administrators) or
// the listed ones (an officer's own, a worker's work areas' municipalities).
type Scope struct {
	All            bool
	Municipalities []int64
}

// Allows reports whether the scope covers municipality id.
func (s Scope) Allows(id int64) bool {
	return s.All || slices.Contains(s.Municipalities, id)
}

func (s Scope) ids() []int64 {
	if s.Municipalities == nil {
		return []int64{}
	}
	return s.Municipalities
}

// Municipality is a gemeente.
type Municipality struct {
	ID         int64
	Code, Name string
}

// District is a wijk of the municipality.
type District struct{ Code, Name string }

// Neighbourhood is the subject of a drill-down.
type Neighbourhood struct {
	ID                         int64
	Code, Name                 string
	Population                 *int64
	DistrictCode, DistrictName string
	Municipality               Municipality
}

// WorkAreaMunicipalities returns the municipalities of a worker's work areas.
func (s *Store) WorkAreaMunicipalities(ctx context.Context, workAreas []int64) ([]int64, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT DISTINCT municipality_id FROM neighbourhoods WHERE id = ANY($1::bigint[]) ORDER BY 1`, workAreas)
	if err != nil {
		return nil, fmt.Errorf("overview: work area municipalities: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Municipalities lists the municipalities in scope that have neighbourhoods.
func (s *Store) Municipalities(ctx context.Context, sc Scope) ([]Municipality, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT m.id, m.code, m.name FROM municipalities m
		 WHERE ($1 OR m.id = ANY($2::bigint[]))
		   AND EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = m.id)
		 ORDER BY m.name, m.code`, sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: municipalities: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
}

// MunicipalityByCode returns the municipality with code (GMxxxx) when it
// is in scope: ErrNotFound when it does not exist, ErrForbidden when it is
// outside the scope.
func (s *Store) MunicipalityByCode(ctx context.Context, sc Scope, code string) (Municipality, error) {
	var m Municipality
	var allowed bool
	err := s.read(ctx).QueryRow(ctx, `
		SELECT id, code, name, ($2 OR id = ANY($3::bigint[])) FROM municipalities WHERE code = $1`,
		code, sc.All, sc.ids()).Scan(&m.ID, &m.Code, &m.Name, &allowed)
	if errors.Is(err, pgx.ErrNoRows) {
		return Municipality{}, fmt.Errorf("overview: municipality %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Municipality{}, fmt.Errorf("overview: municipality %s: %w", code, err)
	}
	if !allowed {
		return Municipality{}, fmt.Errorf("overview: municipality %s: %w", code, ErrForbidden)
	}
	return m, nil
}

// MunicipalityByID returns a municipality in scope, ErrForbidden when it
// is unknown or outside the scope: the id is the viewer's own (of their
// account or work areas), never one from the URL.
func (s *Store) MunicipalityByID(ctx context.Context, sc Scope, id int64) (Municipality, error) {
	var m Municipality
	err := s.read(ctx).QueryRow(ctx, `
		SELECT id, code, name FROM municipalities WHERE id = $1 AND ($2 OR id = ANY($3::bigint[]))`,
		id, sc.All, sc.ids()).Scan(&m.ID, &m.Code, &m.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return Municipality{}, fmt.Errorf("overview: municipality %d: %w", id, ErrForbidden)
	}
	if err != nil {
		return Municipality{}, fmt.Errorf("overview: municipality %d: %w", id, err)
	}
	return m, nil
}

// Districts lists the municipality's districts for the filter.
func (s *Store) Districts(ctx context.Context, sc Scope, municipalityID int64) ([]District, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT d.code, d.name FROM districts d
		 WHERE d.municipality_id = $1 AND ($2 OR d.municipality_id = ANY($3::bigint[]))
		 ORDER BY d.code`, municipalityID, sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: districts: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[District])
}

// NeighbourhoodByCode returns a neighbourhood: ErrNotFound when unknown,
// ErrForbidden when its municipality is outside the scope.
func (s *Store) NeighbourhoodByCode(ctx context.Context, sc Scope, code string) (Neighbourhood, error) {
	var n Neighbourhood
	var allowed bool
	err := s.read(ctx).QueryRow(ctx, `
		SELECT n.id, n.code, n.name, n.population::bigint, d.code, d.name, m.id, m.code, m.name,
		       ($2 OR n.municipality_id = ANY($3::bigint[]))
		  FROM neighbourhoods n JOIN districts d ON d.id = n.district_id JOIN municipalities m ON m.id = n.municipality_id
		 WHERE n.code = $1`, code, sc.All, sc.ids()).Scan(&n.ID, &n.Code, &n.Name, &n.Population,
		&n.DistrictCode, &n.DistrictName, &n.Municipality.ID, &n.Municipality.Code, &n.Municipality.Name, &allowed)
	if errors.Is(err, pgx.ErrNoRows) {
		return Neighbourhood{}, fmt.Errorf("overview: neighbourhood %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Neighbourhood{}, fmt.Errorf("overview: neighbourhood %s: %w", code, err)
	}
	if !allowed {
		return Neighbourhood{}, fmt.Errorf("overview: neighbourhood %s: %w", code, ErrForbidden)
	}
	return n, nil
}

// TableFilter selects the rows of the overview table.
type TableFilter struct {
	MunicipalityID int64
	District       string   // WK code; empty = all
	Codes          []string // BU codes (the comparison); nil = all
	Period         Period
}

// tableSQL computes the whole overview table in one statement: one row per
// neighbourhood, a total per district and one for the municipality
// (GROUPING SETS), so the totals come from the same numbers as the rows.
//
// Person counts (people in contacts, activity participants, initiative
// members) are summed from the true numbers at every level, and Table
// publishes each row's and total's own sum by publish. A total is
// therefore never the sum of published cells (which could read "0" over
// rows of "< 5"), and it may differ from the sum of the rows it covers.
const tableSQL = `
WITH nb AS (
	SELECT n.id, n.code, n.name, n.population::bigint AS population, d.code AS dcode, d.name AS dname
	  FROM neighbourhoods n JOIN districts d ON d.id = n.district_id
	 WHERE n.municipality_id = $1 AND ($2 = '' OR d.code = $2) AND ($5::text[] IS NULL OR n.code = ANY($5))
	   AND ($6 OR n.municipality_id = ANY($7::bigint[]))
), c AS (
	SELECT neighbourhood_id AS id, sum(contacts) AS contacts, sum(people) AS people,
	       sum(contacts) FILTER (WHERE strategy = 'bonding') AS b,
	       sum(contacts) FILTER (WHERE strategy = 'bridging') AS br,
	       sum(contacts) FILTER (WHERE strategy = 'linking') AS l
	  FROM neighbourhood_month_contacts
	 WHERE neighbourhood_id IN (SELECT id FROM nb) AND month BETWEEN $3 AND $4
	 GROUP BY 1
), a AS (
	SELECT neighbourhood_id AS id, sum(activities) AS activities, sum(participants) AS participants,
	       sum(activities) FILTER (WHERE strategy = 'bonding') AS b,
	       sum(activities) FILTER (WHERE strategy = 'bridging') AS br,
	       sum(activities) FILTER (WHERE strategy = 'linking') AS l
	  FROM neighbourhood_month_activities
	 WHERE neighbourhood_id IN (SELECT id FROM nb) AND month BETWEEN $3 AND $4
	 GROUP BY 1
), i AS (
	SELECT neighbourhood_id AS id, sum(initiatives) AS active, sum(members) AS members
	  FROM neighbourhood_month_initiatives
	 WHERE neighbourhood_id IN (SELECT id FROM nb) AND status = 'actief'
	 GROUP BY 1
), s AS (
	SELECT neighbourhood_id AS id, sum(signals) AS open
	  FROM neighbourhood_month_signals
	 WHERE neighbourhood_id IN (SELECT id FROM nb) AND is_open
	 GROUP BY 1
), grants AS (
	-- A grant to an initiative in several neighbourhoods is split evenly
	-- (in cents, the remainder to the first), so the totals are real money.
	SELECT x.neighbourhood_id AS id,
	       sum(g.amount_cents / x.cnt + CASE WHEN x.rn <= g.amount_cents % x.cnt THEN 1 ELSE 0 END) AS cents
	  FROM (SELECT fr.initiative_id, fr.granted_cents AS amount_cents
	          FROM funding_requests fr JOIN initiatives ini ON ini.id = fr.initiative_id
	         WHERE ini.municipality_id = $1 AND fr.status = 'toegekend' AND fr.decided_at >= $8 AND fr.decided_at < $9) g
	  CROSS JOIN LATERAL (
	        SELECT neighbourhood_id, row_number() OVER (ORDER BY neighbourhood_id) AS rn, count(*) OVER () AS cnt
	          FROM initiative_neighbourhoods WHERE initiative_id = g.initiative_id) x
	 WHERE x.neighbourhood_id IN (SELECT id FROM nb)
	 GROUP BY 1
), hp AS (
	-- Help requests between neighbours asked in the period (not offers, not
	-- hidden ones), and how many of them a neighbour answered.
	SELECT neighbourhood_id AS id, count(*) AS asked, count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered
	  FROM help_requests
	 WHERE neighbourhood_id IN (SELECT id FROM nb) AND kind = 'vraag' AND hidden_at IS NULL
	   AND created_at >= $8 AND created_at < $9
	 GROUP BY 1
), r AS (
	SELECT nb.*,
	       coalesce(i.active, 0) AS active,
	       coalesce(i.members, 0) AS members,
	       coalesce(c.contacts, 0) AS contacts,
	       coalesce(c.people, 0) AS people,
	       coalesce(a.activities, 0) AS activities,
	       coalesce(a.participants, 0) AS participants,
	       coalesce(c.b, 0) + coalesce(a.b, 0) AS mix_b,
	       coalesce(c.br, 0) + coalesce(a.br, 0) AS mix_br,
	       coalesce(c.l, 0) + coalesce(a.l, 0) AS mix_l,
	       coalesce(s.open, 0) AS open,
	       coalesce(grants.cents, 0) AS cents,
	       coalesce(hp.asked, 0) AS help_asked,
	       coalesce(hp.answered, 0) AS help_answered
	  FROM nb
	  LEFT JOIN c ON c.id = nb.id LEFT JOIN a ON a.id = nb.id LEFT JOIN i ON i.id = nb.id
	  LEFT JOIN s ON s.id = nb.id LEFT JOIN grants ON grants.id = nb.id
	  LEFT JOIN hp ON hp.id = nb.id
), med AS (
	SELECT GROUPING(nb.dcode, nb.code) AS g, nb.dcode, nb.code,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sg.first_response_at - sg.created_at) / 3600)
	           FILTER (WHERE sg.first_response_at IS NOT NULL) AS hours,
	       count(*) AS raised,
	       count(*) FILTER (WHERE sg.first_response_at IS NULL) AS unanswered,
	       min(sg.created_at) FILTER (WHERE sg.first_response_at IS NULL) AS oldest
	  FROM signals sg JOIN nb ON nb.id = sg.neighbourhood_id
	 WHERE sg.created_at >= $8 AND sg.created_at < $9
	 GROUP BY GROUPING SETS ((nb.dcode, nb.code), (nb.dcode), ())
), th AS (
	SELECT g, dcode, code, array_agg(theme ORDER BY n DESC, theme) AS top
	  FROM (SELECT GROUPING(nb.dcode, nb.code) AS g, nb.dcode, nb.code, t.theme, sum(t.contacts) AS n,
	               row_number() OVER (PARTITION BY GROUPING(nb.dcode, nb.code), nb.dcode, nb.code
	                                  ORDER BY sum(t.contacts) DESC, t.theme) AS rn
	          FROM neighbourhood_month_contact_themes t JOIN nb ON nb.id = t.neighbourhood_id
	         WHERE t.month BETWEEN $3 AND $4
	         GROUP BY GROUPING SETS ((nb.dcode, nb.code, t.theme), (nb.dcode, t.theme), (t.theme))) ranked
	 WHERE rn <= 3 AND n > 0
	 GROUP BY g, dcode, code
), tot AS (
	SELECT GROUPING(r.dcode, r.code) AS g, r.dcode, max(r.dname) AS dname, r.code, max(r.name) AS name,
	       sum(r.population) AS population, count(r.population) AS pop_known, count(*) AS nbs,
	       sum(r.active) AS active,
	       sum(r.members) AS members,
	       sum(r.contacts) AS contacts,
	       sum(r.people) AS people,
	       sum(r.activities) AS activities,
	       sum(r.participants) AS participants,
	       sum(r.mix_b) AS mix_b, sum(r.mix_br) AS mix_br, sum(r.mix_l) AS mix_l,
	       sum(r.open) AS open, sum(r.cents) AS cents,
	       sum(r.help_asked) AS help_asked, sum(r.help_answered) AS help_answered
	  FROM r
	 GROUP BY GROUPING SETS ((r.dcode, r.code), (r.dcode), ())
)
-- The municipality total is named after the municipality, without a district.
SELECT tot.g,
       CASE WHEN tot.g = 3 THEN mu.code ELSE coalesce(tot.code, '') END,
       CASE WHEN tot.g = 3 THEN mu.name ELSE coalesce(tot.name, '') END,
       CASE WHEN tot.g = 3 THEN '' ELSE coalesce(tot.dcode, '') END,
       CASE WHEN tot.g = 3 THEN '' ELSE coalesce(tot.dname, '') END,
       tot.population, tot.pop_known, tot.nbs, tot.active, coalesce(tot.members, 0), tot.contacts, coalesce(tot.people, 0), tot.activities,
       coalesce(tot.participants, 0), tot.mix_b, tot.mix_br, tot.mix_l, coalesce(th.top, '{}'), tot.open,
       coalesce(med.raised, 0), coalesce(med.unanswered, 0), med.oldest, med.hours, tot.cents,
       tot.help_asked, tot.help_answered
  FROM tot
  CROSS JOIN (SELECT code, name FROM municipalities WHERE id = $1) mu
  LEFT JOIN med ON med.g = tot.g AND med.dcode IS NOT DISTINCT FROM tot.dcode AND med.code IS NOT DISTINCT FROM tot.code
  LEFT JOIN th ON th.g = tot.g AND th.dcode IS NOT DISTINCT FROM tot.dcode AND th.code IS NOT DISTINCT FROM tot.code
 WHERE tot.dcode IS NOT NULL OR tot.g = 3
 ORDER BY tot.g, tot.dcode, tot.name, tot.code`

// Table is the overview table: neighbourhood rows, then district totals,
// then the municipality total (last). Without any neighbourhood in the
// filter it still returns the (zero) municipality total.
type Table struct {
	Rows      []Row
	Districts []Row
	Total     Row
}

// Table runs tableSQL.
func (s *Store) Table(ctx context.Context, sc Scope, f TableFilter) (Table, error) {
	var codes []string
	if f.Codes != nil {
		codes = f.Codes
	}
	rows, err := s.read(ctx).Query(ctx, tableSQL, f.MunicipalityID, f.District, f.Period.From, f.Period.To, codes,
		sc.All, sc.ids(), f.Period.StartTime(), f.Period.EndTime())
	if err != nil {
		return Table{}, fmt.Errorf("overview: table of %d: %w", f.MunicipalityID, err)
	}
	defer rows.Close()
	var t Table
	for rows.Next() {
		var r Row
		var g int
		var members, people, participants, helpAsked, helpAnswered int64
		if err := rows.Scan(&g, &r.Code, &r.Name, &r.DistrictCode, &r.DistrictName, &r.Population, &r.PopulationKnown, &r.Neighbourhoods,
			&r.ActiveInitiatives, &members, &r.Contacts, &people, &r.Activities, &participants,
			&r.Mix.Bonding, &r.Mix.Bridging, &r.Mix.Linking, &r.TopThemes, &r.OpenSignals,
			&r.SignalsRaised, &r.SignalsUnanswered, &r.OldestUnanswered, &r.MedianResponseHours, &r.FundingCents,
			&helpAsked, &helpAnswered); err != nil {
			return Table{}, fmt.Errorf("overview: table row: %w", err)
		}
		// True person counts stop here: only the published value travels on.
		r.InitiativeMembers, r.People, r.ActivityParticipants = publish(members), publish(people), publish(participants)
		r.HelpAsked, r.HelpAnswered = publish(helpAsked), publish(helpAnswered)
		switch g {
		case 0:
			r.Level = LevelNeighbourhood
			t.Rows = append(t.Rows, r)
		case 1:
			r.Level, r.Code, r.Name = LevelDistrict, r.DistrictCode, r.DistrictName
			t.Districts = append(t.Districts, r)
		default:
			r.Level = LevelMunicipality
			t.Total = r
		}
	}
	if err := rows.Err(); err != nil {
		return Table{}, fmt.Errorf("overview: table: %w", err)
	}
	return t, nil
}

// Levels of a Row.
const (
	LevelNeighbourhood = "buurt"
	LevelDistrict      = "wijk"
	LevelMunicipality  = "gemeente"
)

// Count is a person count as published (see publish): Hidden when it is
// 1–4, else N is 0 or a multiple of 5.
type Count struct {
	N      int64
	Hidden bool
}

// Shape is a neighbourhood's outline for the map.
type Shape struct {
	Code, Name string
	Boundary   json.RawMessage
}

// Shapes returns the outlines of the municipality's neighbourhoods (one
// district when district is set).
func (s *Store) Shapes(ctx context.Context, sc Scope, municipalityID int64, district string) ([]Shape, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT n.code, n.name, n.boundary FROM neighbourhoods n JOIN districts d ON d.id = n.district_id
		 WHERE n.municipality_id = $1 AND ($2 = '' OR d.code = $2) AND n.boundary IS NOT NULL
		   AND ($3 OR n.municipality_id = ANY($4::bigint[]))
		 ORDER BY n.code`, municipalityID, district, sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: shapes: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Shape])
}
