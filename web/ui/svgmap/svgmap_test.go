package svgmap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// square returns a closed ring of a square of side d degrees with its
// south-west corner at lon, lat.
func square(lon, lat, d float64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{{
		{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat},
	}}})
	return b
}

var numbers = regexp.MustCompile(`-?[0-9.]+`)

func points(t *testing.T, d string) [][2]float64 {
	t.Helper()
	ns := numbers.FindAllString(d, -1)
	var pts [][2]float64
	for i := 0; i+1 < len(ns); i += 2 {
		x, _ := strconv.ParseFloat(ns[i], 64)
		y, _ := strconv.ParseFloat(ns[i+1], 64)
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

func TestProjectKeepsShapeAndFlipsY(t *testing.T) {
	t.Parallel()
	// A 0.01° square at 52° N is cos(52°) ≈ 0.616 times as wide as it is tall.
	p, err := project([]Shape{{Code: "A", Geometry: square(5.0, 52.0, 0.01)}}, 600, 600)
	if err != nil {
		t.Fatal(err)
	}
	pts := points(t, p.paths[0])
	if len(pts) != 4 {
		t.Fatalf("path %q: %d points, want 4 (closing point dropped)", p.paths[0], len(pts))
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pt := range pts {
		minX, maxX = math.Min(minX, pt[0]), math.Max(maxX, pt[0])
		minY, maxY = math.Min(minY, pt[1]), math.Max(maxY, pt[1])
	}
	ratio := (maxX - minX) / (maxY - minY)
	if want := math.Cos(52.005 * math.Pi / 180); math.Abs(ratio-want) > 0.01 {
		t.Errorf("width/height = %.3f, want cos(52°) ≈ %.3f", ratio, want)
	}
	// Tall shape: fits the height with padding, centred horizontally.
	if minY != padding || maxY != 600-padding {
		t.Errorf("y range %v–%v, want %v–%v", minY, maxY, padding, 600-padding)
	}
	if math.Abs((minX+maxX)/2-300) > 0.1 {
		t.Errorf("not centred: x %v–%v", minX, maxX)
	}
	// North is up: the first point (south-west) is at the bottom.
	if pts[0][1] != maxY || pts[2][1] != minY {
		t.Errorf("y not flipped: %v", pts)
	}
	if p.height != 600 || p.width != 600 {
		t.Errorf("viewBox %vx%v", p.width, p.height)
	}
}

func TestProjectWideShapeShrinksHeightAndRounds(t *testing.T) {
	t.Parallel()
	wide := json.RawMessage(`{"type":"MultiPolygon","coordinates":[[[[5.0,52.0],[5.123456,52.0],[5.123456,52.01],[5.0,52.01],[5.0,52.0]]],[[[5.2,52.0],[5.3,52.0],[5.3,52.01],[5.2,52.0]]]]}`)
	p, err := project([]Shape{{Geometry: wide}, {Code: "leeg"}}, 600, 600)
	if err != nil {
		t.Fatal(err)
	}
	if p.height >= 100 || p.height <= 2*padding {
		t.Errorf("height %v, want the content height of a wide strip", p.height)
	}
	if strings.Count(p.paths[0], "M") != 2 || strings.Count(p.paths[0], "Z") != 2 {
		t.Errorf("MultiPolygon path %q: want two subpaths", p.paths[0])
	}
	for _, n := range numbers.FindAllString(p.paths[0], -1) {
		if i := strings.IndexByte(n, '.'); i >= 0 && len(n)-i-1 > 1 {
			t.Errorf("coordinate %s has more than one decimal", n)
		}
	}
	if p.paths[1] != "" {
		t.Errorf("shape without geometry drawn: %q", p.paths[1])
	}
}

func TestInvalidGeometry(t *testing.T) {
	t.Parallel()
	for name, g := range map[string]string{
		"not JSON":      `{"type":`,
		"point":         `{"type":"Point","coordinates":[5.1,52.1]}`,
		"wrong nesting": `{"type":"Polygon","coordinates":[5.1,52.1]}`,
		"short ring":    `{"type":"Polygon","coordinates":[[[5.1,52.1],[5.2,52.1],[5.1,52.1]]]}`,
		"no rings":      `{"type":"Polygon","coordinates":[]}`,
		"not WGS84":     `{"type":"Polygon","coordinates":[[[136000,455000],[136100,455000],[136100,455100],[136000,455000]]]}`,
		"empty multi":   `{"type":"MultiPolygon","coordinates":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := project([]Shape{{Code: "BU1", Geometry: json.RawMessage(g)}}, 600, 600)
			if !errors.Is(err, ErrInvalidGeometry) || !strings.Contains(err.Error(), "BU1") {
				t.Fatalf("err = %v, want ErrInvalidGeometry naming the shape", err)
			}
			var buf bytes.Buffer
			if err := Map(Props{Title: "x", Shapes: []Shape{{Code: "BU1", Geometry: json.RawMessage(g)}}}).Render(context.Background(), &buf); err == nil || buf.Len() != 0 {
				t.Fatalf("Map rendered %q, err %v", buf.String(), err)
			}
		})
	}
}

func TestMapMarkup(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := Map(Props{
		ID: "wijk", Title: "Wijk <West>", Desc: "Kaart & uitleg",
		Shapes: []Shape{
			{Code: "BU1", Label: `Oog "in" Al <script>`, Href: "/buurten/BU1", Geometry: square(5.0, 52.0, 0.01), Fill: "red\" onload=\"x"},
			{Code: "BU2", Label: "Hier", Geometry: square(5.01, 52.0, 0.01), Highlight: true},
			{Code: "BU3", Label: "Gevaarlijk", Href: "javascript:alert(1)", Geometry: square(5.02, 52.0, 0.01), Fill: "#abc"},
		},
	}).Render(context.Background(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`role="group"`, `aria-labelledby="wijk-titel"`, `aria-describedby="wijk-beschrijving"`,
		`<title id="wijk-titel">Wijk &lt;West&gt;</title>`, `<desc id="wijk-beschrijving">Kaart &amp; uitleg</desc>`,
		`href="/buurten/BU1"`, `aria-label="Oog &#34;in&#34; Al &lt;script&gt;"`,
		`fill="` + DefaultFill + `"`, `fill="` + HighlightFill + `"`, `fill="#abc"`,
		`bk-map__shape--highlight`, `viewBox="0 0 600 `,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("markup lacks %s:\n%s", want, html)
		}
	}
	for _, bad := range []string{"<script>", "onload", "javascript:", "style="} {
		if strings.Contains(html, bad) {
			t.Errorf("markup contains %q:\n%s", bad, html)
		}
	}
	// The highlighted shape is drawn last (on top).
	if strings.LastIndex(html, `data-code="BU2"`) < strings.LastIndex(html, `data-code="BU3"`) {
		t.Error("highlighted shape not drawn last")
	}

	// Without links the map is a single image.
	buf.Reset()
	if err := Map(Props{Title: "t", Desc: "d", Shapes: []Shape{{Code: "A", Label: "A", Geometry: square(5, 52, 0.01)}}}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `role="img"`) || strings.Contains(buf.String(), "<a ") {
		t.Errorf("static map: %s", buf.String())
	}

	// Nothing to draw: no SVG at all.
	buf.Reset()
	if err := Map(Props{Title: "t", Shapes: []Shape{{Code: "A"}}}).Render(context.Background(), &buf); err != nil || buf.Len() != 0 {
		t.Errorf("empty map rendered %q, err %v", buf.String(), err)
	}
}

// A choropleth of many shapes stays small: about 500 municipalities of ~40
// points each must not produce megabytes of HTML.
func TestMapSizeForManyShapes(t *testing.T) {
	t.Parallel()
	var shapes []Shape
	for i := 0; i < 500; i++ {
		lon, lat := 3.5+float64(i%25)*0.14, 50.8+float64(i/25)*0.12
		coords := [][]float64{}
		for k := 0; k < 40; k++ {
			a := float64(k) / 40 * 2 * math.Pi
			coords = append(coords, []float64{lon + 0.06*math.Cos(a), lat + 0.05*math.Sin(a)})
		}
		coords = append(coords, coords[0])
		g, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{coords}})
		shapes = append(shapes, Shape{Code: "GM" + strconv.Itoa(i), Label: "Gemeente " + strconv.Itoa(i), Href: "/x/" + strconv.Itoa(i), Geometry: g})
	}
	var buf bytes.Buffer
	if err := Map(Props{Title: "Nederland", Shapes: shapes}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 600_000 {
		t.Errorf("500 shapes gave %d bytes of SVG", buf.Len())
	}
	t.Logf("500 shapes × 40 points: %d bytes", buf.Len())
}
