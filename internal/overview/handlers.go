package overview

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/web/static"
)

// Handler serves /overzicht, the drill-down, the comparison and the exports.
type Handler struct {
	data  *cachedStore
	pages *pageCache
	// audit records that a professional saw the drill-down's list of
	// signals: it names residents' private signals as the signal list does.
	audit *audit.Log
	now   func() time.Time
}

// NewHandler returns the overview's handler: reads go through caches
// around store (see cachedStore); log records who saw which signals.
func NewHandler(store *Store, log *audit.Log) *Handler {
	return &Handler{data: newCachedStore(store), pages: newPageCache(), audit: log, now: time.Now}
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
		ms, err := h.data.WorkAreaMunicipalities(ctx, v.WorkAreas)
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

// municipality picks the municipality of the request: ?gemeente= when
// given (in scope), else the viewer's first. ok is false for an
// administrator who has not chosen yet.
func (h *Handler) municipality(ctx context.Context, sc Scope, code string) (m Municipality, ok bool, err error) {
	if code != "" {
		if !cbs.IsMunicipality(code) {
			return Municipality{}, false, fmt.Errorf("overview: municipality code %q: %w", code, ErrNotFound)
		}
		m, err := h.data.MunicipalityByCode(ctx, sc, code)
		return m, err == nil, err
	}
	if sc.All {
		return Municipality{}, false, nil
	}
	if len(sc.Municipalities) == 0 {
		// An officer without a municipality or a worker without work areas.
		return Municipality{}, false, fmt.Errorf("overview: no municipality in scope: %w", ErrForbidden)
	}
	m, err = h.data.MunicipalityByID(ctx, sc, sc.Municipalities[0])
	return m, err == nil, err
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
	list, err := h.data.Municipalities(ctx, sc)
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
	body, err := h.pages.overview(ctx, key, func(ctx context.Context) (templ.Component, time.Time, error) {
		full := view
		exp, err := h.overviewData(ctx, sc, &full)
		return overviewBody(full), exp, err
	})
	if err != nil {
		return err
	}
	if len(list) > 1 {
		view.Municipalities = list
	}
	p.Title = "Overzicht " + m.Name
	p.Wide = true
	return httpx.RenderSpliced(w, r, periodStatus(view.PeriodError), body, func(b templ.Component) templ.Component {
		view.Body = b
		return OverviewPage(p, view)
	})
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
	if q.Wijk != "" && !cbs.IsDistrict(q.Wijk) {
		q.Wijk = ""
	}
	if q.Gemeente == "" {
		q.Gemeente = m.Code
	}
	districts, err := h.data.Districts(ctx, sc, m.ID)
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
	t, exp, err := h.data.Table(ctx, sc, f)
	if err != nil {
		return exp, err
	}
	sortRows(t.Rows, q.Sorteer, q.Richting)
	shapes, err := h.data.Shapes(ctx, sc, m.ID, q.Wijk)
	if err != nil {
		return exp, err
	}
	mv := buildMap(m, t.Rows, shapes, q)
	// The drawn map depends only on the (cached) table, the outlines and the
	// metric: draw it once per table refresh (it expires with the table).
	svg, err := h.pages.mapSVG(ctx, tableKey(f)+"|"+q.Kaart, exp, mv.Props)
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
	DrillFigures
	Signals []SignalItem // those the viewer may read
	Now     time.Time    // waiting times and the picker's years count from here
}

// drill returns the drill-down of code for q without its signals (those
// depend on the viewer, see Neighbourhood), the figures at most TableTTL
// old, and when they expire.
func (h *Handler) drill(ctx context.Context, sc Scope, code string, q Query) (DrillView, time.Time, error) {
	if !cbs.IsNeighbourhood(code) {
		return DrillView{}, time.Time{}, fmt.Errorf("overview: neighbourhood code %q: %w", code, ErrNotFound)
	}
	nb, err := h.data.NeighbourhoodByCode(ctx, sc, code)
	if err != nil {
		return DrillView{}, time.Time{}, err
	}
	period, perr := ParsePeriod(h.now(), q)
	q = q.periodQuery().withPeriod(period)
	q.Gemeente = nb.Municipality.Code
	figures, exp, err := h.data.DrillFigures(ctx, sc, nb.ID, period)
	if err != nil {
		return DrillView{}, exp, err
	}
	return DrillView{Neighbourhood: nb, Query: q, Period: period, PeriodError: perr, DrillFigures: figures, Now: h.now()}, exp, nil
}

// drillSignals fills in the signals the viewer may read (the signal pages'
// rule) and returns a key naming that set and when the items expire. The
// ids are read on every request; the items, and the rendered body, are
// shared by every viewer who may read the same signals.
func (h *Handler) drillSignals(ctx context.Context, sc Scope, v *httpx.Viewer, d *DrillView) (string, time.Time, error) {
	ids, err := h.data.VisibleSignalIDs(ctx, sc, signal.ScopeOf(v), d.Neighbourhood.ID, d.Period)
	if err != nil {
		return "", time.Time{}, err
	}
	// One record per view that lists signals, like the signal list's; an
	// empty list shows nobody's signal.
	if len(ids) > 0 && h.audit != nil {
		if err := h.audit.View(ctx, v.ID, "signal.list", "neighbourhood", d.Neighbourhood.ID, "overzicht "+periodSlug(d.Period)); err != nil {
			return "", time.Time{}, err
		}
	}
	items, exp, err := h.data.Signals(ctx, sc, d.Neighbourhood.ID, ids)
	d.Signals = items
	return idList(ids), exp, err
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
	body, err := h.pages.drill(ctx, key, func(context.Context) (templ.Component, time.Time, error) {
		return drillBody(d), exp, nil
	})
	if err != nil {
		return err
	}
	p := httpx.PageFor(r, d.Neighbourhood.Name)
	h.pageHead(&p.Head)
	p.Wide = true
	return httpx.RenderSpliced(w, r, periodStatus(d.PeriodError), body, func(b templ.Component) templ.Component {
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
		if !cbs.IsNeighbourhood(c) {
			return fmt.Errorf("overview: neighbourhood code %q: %w", c, ErrNotFound)
		}
		nb, err := h.data.NeighbourhoodByCode(ctx, sc, c)
		if err != nil {
			return err
		}
		if muni != 0 && nb.Municipality.ID != muni {
			view.Error = msgCompareOneMunicipality
			return httpx.Render(w, r, http.StatusUnprocessableEntity, ComparePage(p, view))
		}
		muni = nb.Municipality.ID
		view.Query.Gemeente = nb.Municipality.Code
	}
	t, _, err := h.data.Table(ctx, sc, TableFilter{MunicipalityID: muni, Codes: codes, Period: period})
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
