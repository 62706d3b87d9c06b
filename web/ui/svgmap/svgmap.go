// Package svgmap draws GeoJSON polygons (WGS84) as an inline SVG map on the
// server: no tiles, no JavaScript. It serves the single-neighbourhood map as
// well as a choropleth of a few hundred areas; every shape can be a link.
package svgmap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// Shape is one area on the map.
type Shape struct {
	Code      string          // stable identifier, e.g. the CBS code (data-code attribute)
	Label     string          // accessible name and tooltip, e.g. "Oog in Al"
	Href      string          // when set, the shape is a link to this URL
	Geometry  json.RawMessage // GeoJSON Polygon or MultiPolygon in WGS84; empty = not drawn
	Fill      string          // colour: #rgb, #rrggbb or a CSS colour name; empty = default
	Highlight bool            // drawn on top with a dark outline (the current area)
}

// Props configures a map.
type Props struct {
	ID     string // prefix of the element ids of <title> and <desc>; default "kaart"
	Title  string // short name of the map (required for accessibility)
	Desc   string // text alternative: what the map shows
	Shapes []Shape
	Width  float64 // viewBox width; default 600
	// MaxHeight limits the viewBox height for tall areas; default Width.
	MaxHeight float64
}

// Default fills; both reach at least 3:1 against each other and the white outlines.
const (
	DefaultFill   = "#b9d4ca"
	HighlightFill = "#0b5c4b"
	padding       = 8.0
)

// ErrInvalidGeometry wraps every geometry that cannot be drawn.
var ErrInvalidGeometry = errors.New("svgmap: invalid geometry")

// Map renders the SVG. It fails (and renders nothing) when a shape's
// geometry is not a valid Polygon or MultiPolygon; shapes without geometry
// are left out. With no drawable shape it renders nothing at all.
func Map(p Props) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		m, err := build(p)
		if err != nil {
			return err
		}
		if len(m.Paths) == 0 {
			return nil
		}
		return mapSVG(m).Render(ctx, w)
	})
}

// model is what the template draws.
type model struct {
	ID, Title, Desc string
	Width, Height   string
	ViewBox         string
	Interactive     bool
	Paths           []path
}

type path struct {
	Shape
	D     string
	Class string
}

func build(p Props) (model, error) {
	width := p.Width
	if width <= 0 {
		width = 600
	}
	maxH := p.MaxHeight
	if maxH <= 0 {
		maxH = width
	}
	id := p.ID
	if id == "" {
		id = "kaart"
	}
	proj, err := project(p.Shapes, width, maxH)
	if err != nil {
		return model{}, err
	}
	m := model{ID: id, Title: p.Title, Desc: p.Desc, Width: num(proj.width), Height: num(proj.height)}
	m.ViewBox = "0 0 " + m.Width + " " + m.Height
	// Highlighted shapes last, so their outline lies on top.
	for _, pass := range []bool{false, true} {
		for i, s := range p.Shapes {
			if s.Highlight != pass || proj.paths[i] == "" {
				continue
			}
			s.Fill = safeFill(s.Fill, s.Highlight)
			class := "bk-map__shape"
			if s.Highlight {
				class += " bk-map__shape--highlight"
			}
			if s.Href != "" {
				m.Interactive = true
			}
			m.Paths = append(m.Paths, path{Shape: s, D: proj.paths[i], Class: class})
		}
	}
	return m, nil
}

// projection is the result of project: one SVG path per input shape ("" for
// shapes without geometry or too small to show) and the viewBox size.
type projection struct {
	width, height float64
	paths         []string
}

type ring [][2]float64

// parseGeometry returns the polygons (each a list of rings) of a GeoJSON
// Polygon or MultiPolygon.
func parseGeometry(raw json.RawMessage) ([][]ring, error) {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidGeometry, err)
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return nil, fmt.Errorf("%w: Polygon coordinates: %w", ErrInvalidGeometry, err)
		}
		polys = [][][][]float64{rings}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, fmt.Errorf("%w: MultiPolygon coordinates: %w", ErrInvalidGeometry, err)
		}
	default:
		return nil, fmt.Errorf("%w: type %q is not Polygon or MultiPolygon", ErrInvalidGeometry, g.Type)
	}
	out := make([][]ring, 0, len(polys))
	for _, rings := range polys {
		if len(rings) == 0 {
			return nil, fmt.Errorf("%w: polygon without rings", ErrInvalidGeometry)
		}
		var pr []ring
		for _, rg := range rings {
			if len(rg) < 4 {
				return nil, fmt.Errorf("%w: ring with fewer than 4 positions", ErrInvalidGeometry)
			}
			r := make(ring, len(rg))
			for i, pos := range rg {
				if len(pos) < 2 || pos[0] < -180 || pos[0] > 180 || pos[1] < -90 || pos[1] > 90 {
					return nil, fmt.Errorf("%w: position %v is not WGS84 [longitude, latitude]", ErrInvalidGeometry, pos)
				}
				r[i] = [2]float64{pos[0], pos[1]}
			}
			pr = append(pr, r)
		}
		out = append(out, pr)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no polygons", ErrInvalidGeometry)
	}
	return out, nil
}

// project maps all shapes with one equirectangular projection: x is
// longitude scaled by cos(mean latitude) so areas keep their shape at Dutch
// latitudes, y is latitude flipped (north up). The result fits width ×
// maxHeight with padding; the height shrinks to the content.
func project(shapes []Shape, width, maxHeight float64) (projection, error) {
	parsed := make([][]ring, len(shapes))
	minLon, minLat := math.Inf(1), math.Inf(1)
	maxLon, maxLat := math.Inf(-1), math.Inf(-1)
	for i, s := range shapes {
		if len(s.Geometry) == 0 || string(s.Geometry) == "null" {
			continue
		}
		polys, err := parseGeometry(s.Geometry)
		if err != nil {
			return projection{}, fmt.Errorf("shape %s: %w", s.Code, err)
		}
		for _, p := range polys {
			for _, r := range p {
				parsed[i] = append(parsed[i], r)
				for _, pt := range r {
					minLon, maxLon = math.Min(minLon, pt[0]), math.Max(maxLon, pt[0])
					minLat, maxLat = math.Min(minLat, pt[1]), math.Max(maxLat, pt[1])
				}
			}
		}
	}
	out := projection{paths: make([]string, len(shapes))}
	if math.IsInf(minLon, 1) {
		return out, nil
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	w0 := math.Max((maxLon-minLon)*kx, 1e-9)
	h0 := math.Max(maxLat-minLat, 1e-9)
	scale := math.Min((width-2*padding)/w0, (maxHeight-2*padding)/h0)
	offX := (width - w0*scale) / 2
	out.width = width
	out.height = round1(h0*scale + 2*padding)

	var b strings.Builder
	for i, rings := range parsed {
		b.Reset()
		for _, r := range rings {
			var prevX, prevY float64
			n := 0
			start := b.Len()
			for _, pt := range r[:len(r)-1] { // the closing position repeats the first
				x := round1(offX + (pt[0]-minLon)*kx*scale)
				y := round1(padding + (maxLat-pt[1])*scale)
				if n > 0 && x == prevX && y == prevY {
					continue
				}
				if n == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte(' ')
				}
				b.WriteString(num(x))
				b.WriteByte(' ')
				b.WriteString(num(y))
				prevX, prevY = x, y
				n++
			}
			if n < 3 {
				// Smaller than the rounding: nothing to see.
				s := b.String()[:start]
				b.Reset()
				b.WriteString(s)
				continue
			}
			b.WriteByte('Z')
		}
		out.paths[i] = b.String()
	}
	return out, nil
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var colourPattern = regexp.MustCompile(`^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]{3,20})$`)

// safeFill returns fill when it is a plain colour, else the default; a fill
// is an attribute value, so only colours get through.
func safeFill(fill string, highlight bool) string {
	if colourPattern.MatchString(fill) {
		return fill
	}
	if highlight {
		return HighlightFill
	}
	return DefaultFill
}
