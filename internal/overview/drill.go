package overview

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
)

// DrillFigures are the figures of a neighbourhood's drill-down that every
// viewer in scope sees alike (the signals depend on the viewer).
type DrillFigures struct {
	Trend       []Month
	Themes      []ThemeCount
	Stories     []Story
	Statuses    []StatusCount
	Initiatives []InitiativeItem
	Funding     []FundingDecision
}

// DrillFigures runs the drill-down's queries: a fixed number, one per section.
func (s *Store) DrillFigures(ctx context.Context, sc Scope, nb int64, p Period) (DrillFigures, error) {
	var d DrillFigures
	var err error
	if d.Trend, err = s.Trend(ctx, sc, nb, p); err != nil {
		return DrillFigures{}, err
	}
	if d.Themes, err = s.Themes(ctx, sc, nb, p); err != nil {
		return DrillFigures{}, err
	}
	if d.Stories, err = s.Stories(ctx, sc, nb, p); err != nil {
		return DrillFigures{}, err
	}
	if d.Statuses, err = s.InitiativeStatuses(ctx, sc, nb); err != nil {
		return DrillFigures{}, err
	}
	if d.Initiatives, err = s.Initiatives(ctx, sc, nb); err != nil {
		return DrillFigures{}, err
	}
	if d.Funding, err = s.Funding(ctx, sc, nb, p); err != nil {
		return DrillFigures{}, err
	}
	return d, nil
}

// Month is one month of a neighbourhood's trend.
type Month struct {
	Month                time.Time
	Contacts             int64
	People               Count
	ContactMix           Mix
	Activities           int64
	ActivityParticipants Count
	ActivityMix          Mix
	InitiativesStarted   int64
	Signals              int64
}

// Mix of contacts and activities together.
func (m Month) Mix() Mix {
	return Mix{m.ContactMix.Bonding + m.ActivityMix.Bonding, m.ContactMix.Bridging + m.ActivityMix.Bridging,
		m.ContactMix.Linking + m.ActivityMix.Linking}
}

// Trend returns one row per month of the period (zeros included), in one query.
func (s *Store) Trend(ctx context.Context, sc Scope, nb int64, p Period) ([]Month, error) {
	rows, err := s.read(ctx).Query(ctx, `
		WITH ok AS (SELECT id FROM neighbourhoods WHERE id = $1 AND ($4 OR municipality_id = ANY($5::bigint[]))),
		months AS (SELECT generate_series($2::date, $3::date, interval '1 month')::date AS month),
		c AS (SELECT month, sum(contacts) AS n, sum(people) AS people,
		             sum(contacts) FILTER (WHERE strategy = 'bonding') AS b, sum(contacts) FILTER (WHERE strategy = 'bridging') AS br,
		             sum(contacts) FILTER (WHERE strategy = 'linking') AS l
		        FROM neighbourhood_month_contacts WHERE neighbourhood_id IN (SELECT id FROM ok) AND month BETWEEN $2 AND $3 GROUP BY 1),
		a AS (SELECT month, sum(activities) AS n, sum(participants) AS people,
		             sum(activities) FILTER (WHERE strategy = 'bonding') AS b, sum(activities) FILTER (WHERE strategy = 'bridging') AS br,
		             sum(activities) FILTER (WHERE strategy = 'linking') AS l
		        FROM neighbourhood_month_activities WHERE neighbourhood_id IN (SELECT id FROM ok) AND month BETWEEN $2 AND $3 GROUP BY 1),
		i AS (SELECT month, sum(initiatives) AS n FROM neighbourhood_month_initiatives
		       WHERE neighbourhood_id IN (SELECT id FROM ok) AND month BETWEEN $2 AND $3 GROUP BY 1),
		sg AS (SELECT month, sum(signals) AS n FROM neighbourhood_month_signals
		       WHERE neighbourhood_id IN (SELECT id FROM ok) AND month BETWEEN $2 AND $3 GROUP BY 1)
		SELECT m.month, coalesce(c.n, 0), coalesce(c.people, 0), coalesce(c.b, 0), coalesce(c.br, 0), coalesce(c.l, 0),
		       coalesce(a.n, 0), coalesce(a.people, 0), coalesce(a.b, 0), coalesce(a.br, 0), coalesce(a.l, 0),
		       coalesce(i.n, 0), coalesce(sg.n, 0)
		  FROM months m LEFT JOIN c USING (month) LEFT JOIN a USING (month) LEFT JOIN i USING (month) LEFT JOIN sg USING (month)
		 ORDER BY m.month`, nb, p.From, p.To, sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: trend of %d: %w", nb, err)
	}
	defer rows.Close()
	var out []Month
	for rows.Next() {
		var m Month
		var people, participants int64
		if err := rows.Scan(&m.Month, &m.Contacts, &people, &m.ContactMix.Bonding, &m.ContactMix.Bridging, &m.ContactMix.Linking,
			&m.Activities, &participants, &m.ActivityMix.Bonding, &m.ActivityMix.Bridging, &m.ActivityMix.Linking,
			&m.InitiativesStarted, &m.Signals); err != nil {
			return nil, fmt.Errorf("overview: trend row: %w", err)
		}
		// True person counts stop here: only the published value travels on.
		m.People, m.ActivityParticipants = publish(people), publish(participants)
		out = append(out, m)
	}
	return out, rows.Err()
}

// ThemeCount is how often residents brought a theme up in street contacts.
type ThemeCount struct {
	Theme                     string
	Contacts, Energy, Concern int64
}

// Themes returns the themes of the neighbourhood's contacts in the period,
// most frequent first.
func (s *Store) Themes(ctx context.Context, sc Scope, nb int64, p Period) ([]ThemeCount, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT t.theme, sum(t.contacts), sum(t.with_energy), sum(t.with_concern)
		  FROM neighbourhood_month_contact_themes t JOIN neighbourhoods n ON n.id = t.neighbourhood_id
		 WHERE t.neighbourhood_id = $1 AND t.month BETWEEN $2 AND $3 AND ($4 OR n.municipality_id = ANY($5::bigint[]))
		 GROUP BY 1 HAVING sum(t.contacts) > 0
		 ORDER BY 2 DESC, 1`, nb, p.From, p.To, sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: themes of %d: %w", nb, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ThemeCount])
}

// StoryKind says what a story was shared from.
type StoryKind string

// The kinds of stories, as the stories query names them.
const (
	StoryContact  StoryKind = "contact"
	StoryActivity StoryKind = "activiteit"
)

// Story is a story a worker chose to share: only its text, when, and the
// activity's title. Never a note, never a name.
type Story struct {
	Kind     StoryKind
	Title    string // the activity's title; empty for a contact
	Strategy strategy.Strategy
	Text     string
	Shared   time.Time
}

// MaxStories bounds the stories shown on the drill-down.
const MaxStories = 30

// Stories returns the shared stories of contacts and activities in the
// neighbourhood within the period, newest first.
func (s *Store) Stories(ctx context.Context, sc Scope, nb int64, p Period) ([]Story, error) {
	rows, err := s.read(ctx).Query(ctx, `
		WITH ok AS (SELECT id FROM neighbourhoods WHERE id = $1 AND ($4 OR municipality_id = ANY($5::bigint[])))
		(SELECT 'contact', '', c.strategy, c.story, c.story_shared_at
		   FROM contacts c
		  WHERE c.neighbourhood_id IN (SELECT id FROM ok) AND c.story_shared_at IS NOT NULL
		    AND c.occurred_at >= $2 AND c.occurred_at < $3
		  ORDER BY c.story_shared_at DESC LIMIT $6)
		UNION ALL
		(SELECT 'activiteit', a.title, a.strategy, a.story, a.story_shared_at
		   FROM activities a
		  WHERE a.neighbourhood_id IN (SELECT id FROM ok) AND a.story_shared_at IS NOT NULL
		    AND a.date >= $7::date AND a.date < $8::date
		  ORDER BY a.story_shared_at DESC LIMIT $6)
		ORDER BY 5 DESC LIMIT $6`, nb, p.StartTime(), p.EndTime(), sc.All, sc.ids(), MaxStories, p.From, p.End())
	if err != nil {
		return nil, fmt.Errorf("overview: stories of %d: %w", nb, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Story])
}

// InitiativeItem is a visible initiative of the neighbourhood.
type InitiativeItem struct {
	ID      int64
	Title   string
	Status  initiative.Status
	Members Count
	Started time.Time
}

// MaxInitiatives bounds the initiative list of the drill-down.
const MaxInitiatives = 50

// Initiatives returns the neighbourhood's visible initiatives by status
// (the order of the lifecycle), then newest first.
func (s *Store) Initiatives(ctx context.Context, sc Scope, nb int64) ([]InitiativeItem, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT i.id, i.title, i.status,
		       (SELECT count(*) FROM initiative_owners o WHERE o.initiative_id = i.id)
		     + (SELECT count(*) FROM initiative_supporters su WHERE su.initiative_id = i.id),
		       i.created_at
		  FROM initiative_neighbourhoods inb JOIN initiatives i ON i.id = inb.initiative_id
		  JOIN neighbourhoods n ON n.id = inb.neighbourhood_id
		 WHERE inb.neighbourhood_id = $1 AND i.hidden_at IS NULL AND ($2 OR n.municipality_id = ANY($3::bigint[]))
		 ORDER BY array_position(ARRAY['actief', 'in_opbouw', 'idee', 'gepauzeerd', 'gestopt'], i.status), i.created_at DESC
		 LIMIT $4`, nb, sc.All, sc.ids(), MaxInitiatives)
	if err != nil {
		return nil, fmt.Errorf("overview: initiatives of %d: %w", nb, err)
	}
	defer rows.Close()
	var out []InitiativeItem
	for rows.Next() {
		var it InitiativeItem
		var members int64
		if err := rows.Scan(&it.ID, &it.Title, &it.Status, &members, &it.Started); err != nil {
			return nil, fmt.Errorf("overview: initiative row: %w", err)
		}
		it.Members = publish(members)
		out = append(out, it)
	}
	return out, rows.Err()
}

// StatusCount is the number of initiatives with a status.
type StatusCount struct {
	Status initiative.Status
	N      int64
}

// InitiativeStatuses counts all the neighbourhood's visible initiatives by status (from the aggregate).
func (s *Store) InitiativeStatuses(ctx context.Context, sc Scope, nb int64) ([]StatusCount, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT st, coalesce(sum(t.initiatives), 0)
		  FROM unnest(ARRAY['idee', 'in_opbouw', 'actief', 'gepauzeerd', 'gestopt']) WITH ORDINALITY AS s(st, ord)
		  LEFT JOIN neighbourhood_month_initiatives t ON t.status = s.st AND t.neighbourhood_id = $1
		       AND EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.id = $1 AND ($2 OR n.municipality_id = ANY($3::bigint[])))
		 GROUP BY st, ord ORDER BY ord`, nb, sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: initiative statuses of %d: %w", nb, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[StatusCount])
}

// SignalEvent is one step in a signal's timeline: when, in which role, and
// the status change (the text of responses stays on the signal's page).
type SignalEvent struct {
	At         time.Time     `json:"at"`
	Role       signal.Author `json:"role"`
	StatusFrom signal.Status `json:"status_from"`
	StatusTo   signal.Status `json:"status_to"`
}

// SignalItem is a signal of the neighbourhood with its timeline.
type SignalItem struct {
	ID            int64
	Title         string
	Theme         string
	Status        signal.Status
	RaisedAs      role.Role
	Created       time.Time
	FirstResponse *time.Time
	Events        []SignalEvent
	// Recognised is how many people said "Dit herken ik": a person count,
	// so published like the other person counts here.
	Recognised Count
}

// MaxSignals bounds the signals of the drill-down.
const MaxSignals = 30

// listScope is the signal scope the drill-down lists signals with: the
// signal pages' rule (signal.VisibleSQL), except that an administrator is
// not shown other people's private signals in a list. As on the signal
// list, an administrator opens such a signal one by one, and that view is
// audited; a list would show them unaudited.
func listScope(ssc signal.Scope) signal.Scope {
	ssc.Admin = false
	return ssc
}

// VisibleSignalIDs returns the ids of the neighbourhood's signals raised in
// the period that ssc may read by the signal pages' own rule, newest first
// (at most MaxSignals). The drill-down shows these and no others: a worker
// of other areas gets the public ones (and their own), as on /signalen/{id}.
func (s *Store) VisibleSignalIDs(ctx context.Context, sc Scope, ssc signal.Scope, nb int64, p Period) ([]int64, error) {
	args := append([]any{nb, p.StartTime(), p.EndTime(), sc.All, sc.ids(), MaxSignals}, listScope(ssc).Args()...)
	rows, err := s.read(ctx).Query(ctx, `
		SELECT s.id FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
		 WHERE s.neighbourhood_id = $1 AND s.created_at >= $2 AND s.created_at < $3
		   AND ($4 OR n.municipality_id = ANY($5::bigint[]))
		   AND `+signal.VisibleSQL(7)+`
		 ORDER BY s.created_at DESC, s.id DESC LIMIT $6`, args...)
	if err != nil {
		return nil, fmt.Errorf("overview: visible signals of %d: %w", nb, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Signals returns the signals ids of the neighbourhood (from
// VisibleSignalIDs), newest first, with their responses' timelines and how
// many people recognise each (aggregated in the same query).
func (s *Store) Signals(ctx context.Context, sc Scope, nb int64, ids []int64) ([]SignalItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.read(ctx).Query(ctx, `
		SELECT sg.id, sg.title, sg.theme, sg.status, sg.raised_as, sg.created_at, sg.first_response_at,
		       coalesce((SELECT json_agg(json_build_object('at', r.created_at, 'role', r.author_role,
		                        'status_from', coalesce(r.status_from, ''), 'status_to', coalesce(r.status_to, ''))
		                        ORDER BY r.created_at, r.id)
		                   FROM signal_responses r WHERE r.signal_id = sg.id), '[]'),
		       (SELECT count(*) FROM signal_recognitions g WHERE g.signal_id = sg.id)
		  FROM signals sg JOIN neighbourhoods n ON n.id = sg.neighbourhood_id
		 WHERE sg.neighbourhood_id = $1 AND sg.id = ANY($4::bigint[])
		   AND ($2 OR n.municipality_id = ANY($3::bigint[]))
		 ORDER BY sg.created_at DESC, sg.id DESC`, nb, sc.All, sc.ids(), ids)
	if err != nil {
		return nil, fmt.Errorf("overview: signals of %d: %w", nb, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (SignalItem, error) {
		var it SignalItem
		var recognised int64
		err := row.Scan(&it.ID, &it.Title, &it.Theme, &it.Status, &it.RaisedAs, &it.Created, &it.FirstResponse, &it.Events, &recognised)
		it.Recognised = publish(recognised)
		return it, err
	})
}

// FundingDecision is a decided funding request for an initiative of the neighbourhood.
type FundingDecision struct {
	Initiative  string
	Purpose     string
	AmountCents int64
	Status      initiative.FundingStatus
	Decided     time.Time
	Reason      string
}

// Funding returns the funding decisions of the period, newest first.
func (s *Store) Funding(ctx context.Context, sc Scope, nb int64, p Period) ([]FundingDecision, error) {
	rows, err := s.read(ctx).Query(ctx, `
		SELECT i.title, fr.purpose, COALESCE(fr.granted_cents, fr.amount_cents), fr.status, fr.decided_at,
		       CASE WHEN fu.funder_municipality_id IS NOT NULL THEN fr.reason ELSE '' END
		  FROM initiative_neighbourhoods inb
		  JOIN initiatives i ON i.id = inb.initiative_id
		  JOIN funding_requests fr ON fr.initiative_id = i.id
		  JOIN funds fu ON fu.id = fr.fund_id
		  JOIN neighbourhoods n ON n.id = inb.neighbourhood_id
		 WHERE inb.neighbourhood_id = $1 AND fr.status <> 'ingediend' AND i.hidden_at IS NULL
		   AND fr.decided_at >= $2 AND fr.decided_at < $3 AND ($4 OR n.municipality_id = ANY($5::bigint[]))
		 ORDER BY fr.decided_at DESC, fr.id DESC LIMIT 50`, nb, p.StartTime(), p.EndTime(), sc.All, sc.ids())
	if err != nil {
		return nil, fmt.Errorf("overview: funding of %d: %w", nb, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[FundingDecision])
}
