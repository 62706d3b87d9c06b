package neighbourhood

import (
	"bytes"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/pagecache"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/layout"
	"github.com/buurtkracht/buurtkracht/web/ui/svgmap"
)

// Handler serves the public neighbourhood pages.
type Handler struct {
	store *Store
	// sections are rendered in order on the neighbourhood page, above its
	// figures and the map.
	sections []Section
	// maps keeps each neighbourhood's drawn district map (CacheMaps); nil
	// draws it on every request.
	maps *pagecache.Memo[drawnMap]
}

// drawnMap is a neighbourhood's district map, rendered, and the district's
// neighbourhoods listed under it.
type drawnMap struct {
	svg      []byte // nil without a boundary
	siblings []MapArea
}

// CacheMaps keeps drawn district maps for ttl (at most 2,000 of them, some
// 10 to 30 kB each); 0 draws every time. Boundaries change only when CBS
// data is imported, so after an import a map can be ttl old.
func (h *Handler) CacheMaps(ttl time.Duration) {
	h.maps = pagecache.NewMemo[drawnMap](ttl, 2000)
}

// NewHandler returns the handler of the neighbourhood pages; the sections
// of the other features appear on a neighbourhood's page in the order given.
func NewHandler(store *Store, sections ...Section) *Handler {
	return &Handler{store: store, sections: sections}
}

// maxQueryLen is the longest search term accepted, in characters.
const maxQueryLen = 100

// Index is /buurten: search by name or code (q), the neighbourhoods of one
// municipality (gemeente=GM…), or else the list of municipalities.
func (h *Handler) Index(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	store := h.store.forReads(ctx)
	v := IndexView{Query: r.URL.Query().Get("q")}
	if code := r.URL.Query().Get("gemeente"); code != "" {
		if !cbs.IsMunicipality(code) {
			return httpx.ErrNotFound
		}
		m, err := store.MunicipalityByCode(ctx, code)
		if err != nil {
			return err
		}
		v.Municipality = &m
	}

	q, ok := validate.CleanText(v.Query, false)
	switch {
	case !ok:
		v.QueryError = msgQueryInvalid
	case utf8.RuneCountInString(q) > maxQueryLen:
		v.QueryError = msgQueryTooLong
	}
	if v.QueryError != "" {
		// Keep what was typed visible, minus what cannot be shown.
		v.Query = strings.ToValidUTF8(strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, v.Query), "")
		return httpx.Render(w, r, http.StatusUnprocessableEntity, IndexPage(h.page(r, v), v))
	}
	v.Query = q

	var err error
	switch {
	case q != "":
		var mid int64
		if v.Municipality != nil {
			mid = v.Municipality.ID
		}
		var res SearchResult
		if res, err = store.Search(ctx, q, mid); err != nil {
			return err
		}
		v.Groups = group(res.Neighbourhoods)
		v.Found = len(res.Neighbourhoods)
		v.More = res.More
		v.MatchedMunicipalities = res.Municipalities
	case v.Municipality != nil:
		var ns []Neighbourhood
		if ns, err = store.InMunicipality(ctx, v.Municipality.ID); err != nil {
			return err
		}
		v.Groups = group(ns)
		v.Found = len(ns)
	default:
		if v.Municipalities, err = store.MunicipalitiesWithNeighbourhoods(ctx); err != nil {
			return err
		}
	}
	return httpx.Render(w, r, http.StatusOK, IndexPage(h.page(r, v), v))
}

func (h *Handler) page(r *http.Request, v IndexView) layout.Page {
	title := "Buurten"
	switch {
	case v.Municipality != nil && v.Query != "":
		title = "Zoeken in " + v.Municipality.Name + ": " + v.Query
	case v.Municipality != nil:
		title = "Buurten in " + v.Municipality.Name
	case v.Query != "":
		title = "Buurten zoeken: " + v.Query
	}
	p := httpx.PageFor(r, title)
	p.Description = "Zoek een buurt op naam of CBS-code en bekijk wat er in de buurt gebeurt."
	return p
}

// Show is /buurten/{code}: the neighbourhood page with its map and the
// sections of the other features.
func (h *Handler) Show(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := chi.URLParam(r, "code")
	if !cbs.IsNeighbourhood(code) {
		if up := strings.ToUpper(code); up != code && cbs.IsNeighbourhood(up) {
			http.Redirect(w, r, "/buurten/"+up, http.StatusMovedPermanently)
			return nil
		}
		return httpx.ErrNotFound
	}
	n, err := h.store.ByCode(ctx, code)
	if err != nil {
		return err
	}
	// The district map and its list of neighbourhoods change only with a CBS
	// import: drawn once per neighbourhood and kept (CacheMaps), the page
	// skips reading every boundary of the district and projecting them.
	dm, err := h.maps.Get(ctx, n.Code, func() (drawnMap, error) {
		areas, err := h.store.DistrictAreas(ctx, n.DistrictID)
		if err != nil {
			return drawnMap{}, err
		}
		d := drawnMap{siblings: make([]MapArea, len(areas))}
		for i, a := range areas {
			d.siblings[i] = MapArea{Code: a.Code, Name: a.Name}
		}
		if n.HasBoundary {
			var buf bytes.Buffer
			if err := districtMap(n, areas).Render(ctx, &buf); err != nil {
				return drawnMap{}, err
			}
			d.svg = buf.Bytes()
		}
		return d, nil
	})
	if err != nil {
		return err
	}
	v := ShowView{N: n, Siblings: dm.siblings}
	if dm.svg != nil && n.HasBoundary {
		v.Map = templ.Raw(string(dm.svg))
	}
	viewer := httpx.ViewerFrom(ctx)
	for _, s := range h.sections {
		c, err := s.NeighbourhoodSection(ctx, n.ID, viewer)
		if err != nil {
			return err
		}
		if c != nil {
			v.Sections = append(v.Sections, c)
		}
	}
	p := httpx.PageFor(r, n.Name)
	p.Description = n.Name + ", buurt in " + n.DistrictName + ", gemeente " + n.MunicipalityName + "."
	return httpx.Render(w, r, http.StatusOK, ShowPage(p, v))
}

// districtMap draws the neighbourhood highlighted among the other
// neighbourhoods of its district, each a link to its own page.
func districtMap(n Neighbourhood, areas []MapArea) templ.Component {
	shapes := make([]svgmap.Shape, 0, len(areas))
	drawn := 0
	for _, a := range areas {
		s := svgmap.Shape{Code: a.Code, Label: a.Name, Geometry: a.Boundary}
		if a.Code == n.Code {
			s.Highlight = true
		} else {
			s.Href = "/buurten/" + a.Code
		}
		if a.Boundary != nil {
			drawn++
		}
		shapes = append(shapes, s)
	}
	others := drawn - 1
	desc := n.Name + " is donker gekleurd en heeft een zwarte rand."
	if others > 0 {
		desc += " Daaromheen " + plural(others, "andere buurt", "andere buurten") + " van " + n.DistrictName +
			", elk een link naar de eigen pagina. Dezelfde buurten staan als lijst onder de kaart."
	}
	return svgmap.Map(svgmap.Props{
		ID:     "buurtkaart",
		Title:  "Kaart van " + n.Name + " in " + n.DistrictName,
		Desc:   desc,
		Shapes: shapes,
	})
}

// Group is one municipality's results, by district.
type Group struct {
	MunicipalityCode, MunicipalityName string
	Districts                          []DistrictGroup
}

// DistrictGroup is one district's neighbourhoods.
type DistrictGroup struct {
	Code, Name     string
	Neighbourhoods []Neighbourhood
}

// group turns neighbourhoods ordered by municipality and district into groups.
func group(ns []Neighbourhood) []Group {
	var gs []Group
	for _, n := range ns {
		if len(gs) == 0 || gs[len(gs)-1].MunicipalityCode != n.MunicipalityCode {
			gs = append(gs, Group{MunicipalityCode: n.MunicipalityCode, MunicipalityName: n.MunicipalityName})
		}
		g := &gs[len(gs)-1]
		if len(g.Districts) == 0 || g.Districts[len(g.Districts)-1].Code != n.DistrictCode {
			g.Districts = append(g.Districts, DistrictGroup{Code: n.DistrictCode, Name: n.DistrictName})
		}
		d := &g.Districts[len(g.Districts)-1]
		d.Neighbourhoods = append(d.Neighbourhoods, n)
	}
	return gs
}

// IndexView is the model of /buurten.
type IndexView struct {
	Query                 string
	QueryError            string
	Municipality          *Municipality // set with ?gemeente=
	Municipalities        []Municipality
	MatchedMunicipalities []Municipality
	Groups                []Group
	Found                 int
	More                  bool
}

// ShowView is the model of /buurten/{code}.
type ShowView struct {
	N        Neighbourhood
	Map      templ.Component // nil when the boundary is unknown
	Siblings []MapArea       // all neighbourhoods of the district, including N
	Sections []templ.Component
}
