package overview

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/web/static"
	"github.com/buurtkracht/buurtkracht/web/ui/svgmap"
)

// Handler serves /overzicht, the drill-down, the comparison and the exports.
type Handler struct {
	Store *Store
	// Audit records that a professional saw the drill-down's list of
	// signals: it names residents' private signals as the signal list does.
	Audit *audit.Log
	// Now is the clock (tests fix it); nil means time.Now.
	Now func() time.Time

	tables ttlCache[Table]
	shapes ttlCache[[]Shape]
	drills ttlCache[DrillView]
	maps   ttlCache[[]byte]
	// bodies holds the rendered map-and-table part of the overview page,
	// which does not depend on who asks (only after the scope check).
	bodies        ttlCache[renderedBody]
	drillBodies   ttlCache[renderedBody] // the same for drill-downs
	signalLists   ttlCache[[]SignalItem] // a drill-down's signals, per set of ids a viewer may read
	choiceLists   ttlCache[[]Municipality]
	districtLists ttlCache[[]District]
}

// table returns the overview table, computed at most every TableTTL. Call
// it only after checking that the viewer may read the municipality.
func (h *Handler) table(ctx context.Context, sc Scope, f TableFilter) (Table, error) {
	t, _, err := h.tableUntil(ctx, sc, f)
	return t, err
}

// tableUntil is table that also returns when the cached table expires.
func (h *Handler) tableUntil(ctx context.Context, sc Scope, f TableFilter) (Table, time.Time, error) {
	t, exp, err := h.tables.getUntil(ctx, tableKey(f), TableTTL, maxCached, func(ctx context.Context) (Table, error) {
		return h.Store.Table(ctx, sc, f)
	})
	return cloneTable(t), exp, err
}

// choices returns the municipalities the scope may pick from, read at most
// every TableTTL per scope.
func (h *Handler) choices(ctx context.Context, sc Scope) ([]Municipality, error) {
	key := "alle"
	if !sc.All {
		ids := slices.Clone(sc.Municipalities)
		slices.Sort(ids)
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(strconv.FormatInt(id, 10))
			b.WriteByte(',')
		}
		key = b.String()
	}
	return h.choiceLists.get(ctx, key, TableTTL, maxCached, func(ctx context.Context) ([]Municipality, error) {
		return h.Store.Municipalities(ctx, sc)
	})
}

// districtList returns a municipality's districts, read at most every
// ShapesTTL. Call it only after checking that the viewer may read the
// municipality.
func (h *Handler) districtList(ctx context.Context, sc Scope, municipalityID int64) ([]District, error) {
	return h.districtLists.get(ctx, strconv.FormatInt(municipalityID, 10), ShapesTTL, maxCached, func(ctx context.Context) ([]District, error) {
		return h.Store.Districts(ctx, sc, municipalityID)
	})
}

// outlines returns the neighbourhood outlines, read at most every ShapesTTL.
func (h *Handler) outlines(ctx context.Context, sc Scope, municipalityID int64, district string) ([]Shape, error) {
	key := strconv.FormatInt(municipalityID, 10) + "|" + district
	return h.shapes.get(ctx, key, ShapesTTL, maxCached, func(ctx context.Context) ([]Shape, error) {
		return h.Store.Shapes(ctx, sc, municipalityID, district)
	})
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// scope returns what v may read: administrators everything, officers their
// municipality, workers the municipalities of their work areas.
func (h *Handler) scope(ctx context.Context, v *httpx.Viewer) (Scope, error) {
	if v == nil {
		return Scope{}, nil
	}
	if v.Has(role.Admin) {
		return Scope{All: true}, nil
	}
	var ids []int64
	if v.Has(role.Officer) && v.MunicipalityID != 0 {
		ids = append(ids, v.MunicipalityID)
	}
	if v.Has(role.Worker) && len(v.WorkAreas) > 0 {
		ms, err := h.Store.WorkAreaMunicipalities(ctx, v.WorkAreas)
		if err != nil {
			return Scope{}, err
		}
		for _, m := range ms {
			if !slices.Contains(ids, m) {
				ids = append(ids, m)
			}
		}
	}
	return Scope{Municipalities: ids}, nil
}

var (
	gmPattern = regexp.MustCompile(`^GM[0-9]{4}$`)
	wkPattern = regexp.MustCompile(`^WK[0-9]{6}$`)
	buPattern = regexp.MustCompile(`^BU[0-9]{8}$`)
)

func storeErr(err error) error {
	switch {
	case errors.Is(err, ErrNotFound):
		return httpx.ErrNotFound
	case errors.Is(err, ErrForbidden):
		return httpx.ErrForbidden
	}
	return err
}

// municipality picks the municipality of the request: ?gemeente= when
// given (in scope), else the viewer's first. ok is false for an
// administrator who has not chosen yet.
func (h *Handler) municipality(ctx context.Context, sc Scope, code string) (m Municipality, ok bool, err error) {
	if code != "" {
		if !gmPattern.MatchString(code) {
			return Municipality{}, false, httpx.ErrNotFound
		}
		m, err := h.Store.MunicipalityByCode(ctx, sc, code)
		if err != nil {
			return Municipality{}, false, storeErr(err)
		}
		return m, true, nil
	}
	if sc.All {
		return Municipality{}, false, nil
	}
	if len(sc.Municipalities) == 0 {
		// An officer without a municipality or a worker without work areas.
		return Municipality{}, false, httpx.ErrForbidden
	}
	m, err = h.Store.MunicipalityByID(ctx, sc, sc.Municipalities[0])
	if err != nil {
		return Municipality{}, false, storeErr(err)
	}
	return m, true, nil
}

// Query is the state of the overview page, kept in its links.
type Query struct {
	Gemeente string
	Jaar     string // the period's year
	Deel     string // PartYear, a quarter or a month (see ParsePeriod)
	Wijk     string
	Sorteer  string
	Richting string // "op" or "af"
	Kaart    string
	// legacy is set when the request carries the free periods of before
	// (periode, van, tot): refused with a message, never in a link.
	legacy bool
}

func readQuery(q url.Values) Query {
	return Query{
		Gemeente: strings.TrimSpace(q.Get("gemeente")), Jaar: q.Get("jaar"), Deel: q.Get("deel"),
		Wijk: strings.TrimSpace(q.Get("wijk")), Sorteer: q.Get("sorteer"), Richting: q.Get("richting"), Kaart: q.Get("kaart"),
		legacy: q.Get("periode") != "" || q.Get("van") != "" || q.Get("tot") != "",
	}
}

// values returns the query as URL values, leaving out empty ones.
func (q Query) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("gemeente", q.Gemeente)
	set("jaar", q.Jaar)
	set("deel", q.Deel)
	set("wijk", q.Wijk)
	set("sorteer", q.Sorteer)
	set("richting", q.Richting)
	set("kaart", q.Kaart)
	return v
}

// URL returns path with the query.
func (q Query) URL(path string) string {
	if s := q.values().Encode(); s != "" {
		return path + "?" + s
	}
	return path
}

// periodQuery keeps only the municipality and period (for drill-down links).
func (q Query) periodQuery() Query {
	return Query{Gemeente: q.Gemeente, Jaar: q.Jaar, Deel: q.Deel}
}

// withPeriod returns q with the period p spelled out, so every link names
// the period the page shows (and a refused one is not repeated).
func (q Query) withPeriod(p Period) Query {
	q.Jaar, q.Deel, q.legacy = strconv.Itoa(p.Year), p.Part, false
	return q
}

// periodStatus is the status of a page whose requested period was refused.
func periodStatus(perr string) int {
	if perr != "" {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// OverviewView is what the overview page shows.
type OverviewView struct {
	Municipality   Municipality
	Municipalities []Municipality // the viewer's choice (more than one)
	Districts      []District
	Query          Query
	Period         Period
	PeriodError    string
	Table          Table
	Map            MapView
	Now            time.Time
	// Body is the rendered filters, map and table (overviewBody).
	Body templ.Component
}

func (h *Handler) pageHead(p *[]string) { *p = append(*p, static.URL("css/overview.css")) }

// Index serves /overzicht.
func (h *Handler) Index(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	sc, err := h.scope(ctx, v)
	if err != nil {
		return err
	}
	q := readQuery(r.URL.Query())
	m, ok, err := h.municipality(ctx, sc, q.Gemeente)
	if err != nil {
		return err
	}
	list, err := h.choices(ctx, sc)
	if err != nil {
		return err
	}
	p := httpx.PageFor(r, "Overzicht")
	h.pageHead(&p.Head)
	if !ok {
		return httpx.Render(w, r, http.StatusOK, ChoosePage(p, list))
	}
	view, err := h.overviewQuery(ctx, sc, m, q)
	if err != nil {
		return err
	}
	// The filters, map and table depend only on the (normalised) query, not
	// on the viewer: render them once per table refresh. The viewer's access
	// to m was checked above, on this request.
	key := tableKey(h.filter(view)) + "|" + view.Query.values().Encode()
	body, _, err := h.bodies.getExpiring(ctx, key, maxBodies, func(ctx context.Context) (renderedBody, time.Time, error) {
		full := view
		exp, err := h.overviewData(ctx, sc, &full)
		if err != nil {
			return renderedBody{}, exp, err
		}
		b, err := renderBody(ctx, overviewBody(full))
		return b, exp, err
	})
	if err != nil {
		return err
	}
	if len(list) > 1 {
		view.Municipalities = list
	}
	p.Title = "Overzicht " + m.Name
	p.Wide = true
	return writeWithBody(w, r, periodStatus(view.PeriodError), body, func(b templ.Component) templ.Component {
		view.Body = b
		return OverviewPage(p, view)
	})
}

// writeWithBody writes the page that page(body) renders. With gzip it
// renders the chrome around a marker and splices in the body's cached
// compressed blocks.
func writeWithBody(w http.ResponseWriter, r *http.Request, status int, body renderedBody, page func(body templ.Component) templ.Component) error {
	if acceptsGzip(r) {
		var buf bytes.Buffer
		if err := page(templ.Raw(bodyMarker)).Render(r.Context(), &buf); err != nil {
			return err
		}
		if done, err := writeGzipPage(w, status, buf.Bytes(), body); done || err != nil {
			return err
		}
	}
	return httpx.Render(w, r, status, page(body.component()))
}

// overview returns the whole overview of m for q (the exports use it).
func (h *Handler) overview(ctx context.Context, sc Scope, m Municipality, q Query) (OverviewView, error) {
	view, err := h.overviewQuery(ctx, sc, m, q)
	if err != nil {
		return OverviewView{}, err
	}
	if _, err := h.overviewData(ctx, sc, &view); err != nil {
		return OverviewView{}, err
	}
	return view, nil
}

// overviewQuery normalises q for m (period, district, sort, map metric)
// without reading any figures.
func (h *Handler) overviewQuery(ctx context.Context, sc Scope, m Municipality, q Query) (OverviewView, error) {
	now := h.now()
	period, perr := ParsePeriod(now, q)
	q = q.withPeriod(period)
	if q.Wijk != "" && !wkPattern.MatchString(q.Wijk) {
		q.Wijk = ""
	}
	if q.Gemeente == "" {
		q.Gemeente = m.Code
	}
	districts, err := h.districtList(ctx, sc, m.ID)
	if err != nil {
		return OverviewView{}, err
	}
	if q.Wijk != "" && !slices.ContainsFunc(districts, func(d District) bool { return d.Code == q.Wijk }) {
		q.Wijk = ""
	}
	q.Sorteer, q.Richting = normaliseSort(q.Sorteer, q.Richting)
	q.Kaart = validMetric(q.Kaart)
	return OverviewView{Municipality: m, Districts: districts, Query: q, Period: period, PeriodError: perr, Now: now}, nil
}

func (h *Handler) filter(v OverviewView) TableFilter {
	return TableFilter{MunicipalityID: v.Municipality.ID, District: v.Query.Wijk, Period: v.Period}
}

// overviewData fills in the table (sorted) and the map of an overviewQuery
// view. It returns when the table it used expires.
func (h *Handler) overviewData(ctx context.Context, sc Scope, v *OverviewView) (time.Time, error) {
	m, q := v.Municipality, v.Query
	f := h.filter(*v)
	t, exp, err := h.tableUntil(ctx, sc, f)
	if err != nil {
		return exp, err
	}
	sortRows(t.Rows, q.Sorteer, q.Richting)
	shapes, err := h.outlines(ctx, sc, m.ID, q.Wijk)
	if err != nil {
		return exp, err
	}
	mv := buildMap(m, t.Rows, shapes, q)
	// The drawn map depends only on the (cached) table, the outlines and the
	// metric: draw it once per table refresh (it expires with the table).
	mapKey := tableKey(f) + "|" + q.Kaart
	svg, _, err := h.maps.getExpiring(ctx, mapKey, maxMaps, func(ctx context.Context) ([]byte, time.Time, error) {
		var buf bytes.Buffer
		if err := svgmap.Map(mv.Props).Render(ctx, &buf); err != nil {
			return nil, exp, err
		}
		return buf.Bytes(), exp, nil
	})
	if err != nil {
		return exp, err
	}
	mv.SVG = templ.Raw(string(svg))
	v.Table, v.Map = t, mv
	return exp, nil
}

// DrillView is the neighbourhood drill-down.
type DrillView struct {
	// Body is the rendered drillBody (DrillPage only).
	Body          templ.Component
	Neighbourhood Neighbourhood
	Query         Query
	Period        Period
	PeriodError   string
	Trend         []Month
	Themes        []ThemeCount
	Stories       []Story
	Statuses      []StatusCount
	Initiatives   []InitiativeItem
	Signals       []SignalItem
	Funding       []FundingDecision
	Now           time.Time // waiting times and the picker's years count from here
}

// drill returns the drill-down of code for q without its signals (those
// depend on the viewer, see Neighbourhood), the figures at most TableTTL
// old, and when they expire.
func (h *Handler) drill(ctx context.Context, sc Scope, code string, q Query) (DrillView, time.Time, error) {
	if !buPattern.MatchString(code) {
		return DrillView{}, time.Time{}, httpx.ErrNotFound
	}
	nb, err := h.Store.NeighbourhoodByCode(ctx, sc, code)
	if err != nil {
		return DrillView{}, time.Time{}, storeErr(err)
	}
	period, perr := ParsePeriod(h.now(), q)
	q = q.periodQuery().withPeriod(period)
	q.Gemeente = nb.Municipality.Code
	key := nb.Code + "|" + period.From.Format("2006-01") + "|" + period.To.Format("2006-01")
	d, exp, err := h.drills.getUntil(ctx, key, TableTTL, maxCached, func(ctx context.Context) (DrillView, error) {
		return h.drillFigures(ctx, sc, nb, period)
	})
	if err != nil {
		return DrillView{}, exp, err
	}
	d.Query, d.PeriodError, d.Now = q, perr, h.now()
	return d, exp, nil
}

// drillFigures runs the drill-down's queries (a fixed number, one per section).
func (h *Handler) drillFigures(ctx context.Context, sc Scope, nb Neighbourhood, period Period) (DrillView, error) {
	d := DrillView{Neighbourhood: nb, Period: period}
	var err error
	if d.Trend, err = h.Store.Trend(ctx, sc, nb.ID, period); err != nil {
		return DrillView{}, err
	}
	if d.Themes, err = h.Store.Themes(ctx, sc, nb.ID, period); err != nil {
		return DrillView{}, err
	}
	if d.Stories, err = h.Store.Stories(ctx, sc, nb.ID, period); err != nil {
		return DrillView{}, err
	}
	if d.Statuses, err = h.Store.InitiativeStatuses(ctx, sc, nb.ID); err != nil {
		return DrillView{}, err
	}
	if d.Initiatives, err = h.Store.Initiatives(ctx, sc, nb.ID); err != nil {
		return DrillView{}, err
	}
	if d.Funding, err = h.Store.Funding(ctx, sc, nb.ID, period); err != nil {
		return DrillView{}, err
	}
	return d, nil
}

// drillSignals fills in the signals the viewer may read (the signal pages'
// rule) and returns a key naming that set and when the items expire. The
// ids are read on every request; the items, and the rendered body, are
// shared by every viewer who may read the same signals.
func (h *Handler) drillSignals(ctx context.Context, sc Scope, v *httpx.Viewer, d *DrillView) (string, time.Time, error) {
	ids, err := h.Store.VisibleSignalIDs(ctx, sc, signal.ScopeOf(v), d.Neighbourhood.ID, d.Period)
	if err != nil {
		return "", time.Time{}, err
	}
	// One record per view that lists signals, like the signal list's; an
	// empty list shows nobody's signal.
	if len(ids) > 0 && h.Audit != nil {
		if err := h.Audit.View(ctx, v.ID, "signal.list", "neighbourhood", d.Neighbourhood.ID, "overzicht "+periodSlug(d.Period)); err != nil {
			return "", time.Time{}, err
		}
	}
	var key strings.Builder
	for _, id := range ids {
		key.WriteString(strconv.FormatInt(id, 10))
		key.WriteByte(',')
	}
	items, exp, err := h.signalLists.getUntil(ctx, d.Neighbourhood.Code+"|"+key.String(), TableTTL, maxCached, func(ctx context.Context) ([]SignalItem, error) {
		return h.Store.Signals(ctx, sc, d.Neighbourhood.ID, ids)
	})
	d.Signals = items
	return key.String(), exp, err
}

// Neighbourhood serves /overzicht/buurten/{code}.
func (h *Handler) Neighbourhood(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	sc, err := h.scope(ctx, v)
	if err != nil {
		return err
	}
	d, exp, err := h.drill(ctx, sc, chi.URLParam(r, "code"), readQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	signalsKey, sexp, err := h.drillSignals(ctx, sc, v, &d)
	if err != nil {
		return err
	}
	if sexp.Before(exp) {
		exp = sexp
	}
	// Everything below the chrome depends only on the neighbourhood, the
	// normalised query, the figures and the set of signals shown (the
	// viewer's access was checked in drill and drillSignals): render it once
	// per refresh of the figures, which it expires with.
	key := d.Neighbourhood.Code + "|" + d.Query.values().Encode() + "|" + d.PeriodError + "|" + signalsKey
	body, _, err := h.drillBodies.getExpiring(ctx, key, maxBodies, func(ctx context.Context) (renderedBody, time.Time, error) {
		b, err := renderBody(ctx, drillBody(d))
		return b, exp, err
	})
	if err != nil {
		return err
	}
	p := httpx.PageFor(r, d.Neighbourhood.Name)
	h.pageHead(&p.Head)
	p.Wide = true
	return writeWithBody(w, r, periodStatus(d.PeriodError), body, func(b templ.Component) templ.Component {
		d.Body = b
		return DrillPage(p, d)
	})
}

// CompareView is the side-by-side comparison.
type CompareView struct {
	Query  Query
	Period Period
	Rows   []Row
	Error  string
	Now    time.Time
}

// MinCompare and MaxCompare bound the comparison.
const (
	MinCompare = 2
	MaxCompare = 5
)

// Compare serves /overzicht/vergelijk?buurt=BU..&buurt=BU.. (2 to 5
// neighbourhoods of one municipality in the viewer's scope).
func (h *Handler) Compare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.scope(ctx, httpx.ViewerFrom(ctx))
	if err != nil {
		return err
	}
	q := readQuery(r.URL.Query())
	period, perr := ParsePeriod(h.now(), q)
	q = q.withPeriod(period)
	var codes []string
	for _, c := range r.URL.Query()["buurt"] {
		c = strings.TrimSpace(c)
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	p := httpx.PageFor(r, "Buurten vergelijken")
	h.pageHead(&p.Head)
	p.Wide = true
	view := CompareView{Query: q.periodQuery(), Period: period, Error: perr, Now: h.now()}
	if perr != "" {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, ComparePage(p, view))
	}
	if len(codes) < MinCompare || len(codes) > MaxCompare {
		view.Error = msgCompareCount
		return httpx.Render(w, r, http.StatusUnprocessableEntity, ComparePage(p, view))
	}
	var muni int64
	for _, c := range codes {
		if !buPattern.MatchString(c) {
			return httpx.ErrNotFound
		}
		nb, err := h.Store.NeighbourhoodByCode(ctx, sc, c)
		if err != nil {
			return storeErr(err)
		}
		if muni != 0 && nb.Municipality.ID != muni {
			view.Error = msgCompareOneMunicipality
			return httpx.Render(w, r, http.StatusUnprocessableEntity, ComparePage(p, view))
		}
		muni = nb.Municipality.ID
		view.Query.Gemeente = nb.Municipality.Code
	}
	t, err := h.table(ctx, sc, TableFilter{MunicipalityID: muni, Codes: codes, Period: period})
	if err != nil {
		return err
	}
	// In the order the viewer picked them.
	for _, c := range codes {
		for _, row := range t.Rows {
			if row.Code == c {
				view.Rows = append(view.Rows, row)
			}
		}
	}
	return httpx.Render(w, r, http.StatusOK, ComparePage(p, view))
}
