package overview

import (
	"bytes"
	"context"
	"time"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
	"github.com/buurtkracht/buurtkracht/web/ui/svgmap"
)

// pageCache keeps the rendered parts of the overview pages that depend
// only on the figures, never on who asks: the drawn maps, and the bodies of
// the overview and the drill-down inside the page chrome (also kept
// compressed, see gzipsplice). Each part is kept until the figures it was
// drawn from expire, so it is never staler than they are. The handler
// checks the viewer's access before it asks for a part.
type pageCache struct {
	apis      *cache[gzipsplice.Compressed]
	maps      *cache[[]byte]
	overviews *cache[gzipsplice.Body]
	drills    *cache[gzipsplice.Body]
}

func newPageCache() *pageCache {
	return &pageCache{apis: newCache[gzipsplice.Compressed](maxBodies), maps: newCache[[]byte](maxMaps),
		overviews: newCache[gzipsplice.Body](maxBodies), drills: newCache[gzipsplice.Body](maxBodies)}
}

// mapSVG returns the map of props drawn once per key, kept until expires
// (that of the table it shows).
func (pc *pageCache) mapSVG(ctx context.Context, key string, expires time.Time, props svgmap.Props) ([]byte, error) {
	svg, _, err := pc.maps.get(ctx, key, func(ctx context.Context) ([]byte, time.Time, error) {
		var buf bytes.Buffer
		err := svgmap.Map(props).Render(ctx, &buf)
		return buf.Bytes(), expires, err
	})
	return svg, err
}

// overview returns the rendered overviewBody for key; load gives the
// component to render and when its figures expire.
func (pc *pageCache) overview(ctx context.Context, key string, load func(context.Context) (templ.Component, time.Time, error)) (gzipsplice.Body, error) {
	return renderCached(ctx, pc.overviews, key, load)
}

// drill is overview for the drill-down's drillBody.
func (pc *pageCache) drill(ctx context.Context, key string, load func(context.Context) (templ.Component, time.Time, error)) (gzipsplice.Body, error) {
	return renderCached(ctx, pc.drills, key, load)
}

func renderCached(ctx context.Context, c *cache[gzipsplice.Body], key string, load func(context.Context) (templ.Component, time.Time, error)) (gzipsplice.Body, error) {
	body, _, err := c.get(ctx, key, func(ctx context.Context) (gzipsplice.Body, time.Time, error) {
		comp, expires, err := load(ctx)
		if err != nil {
			return gzipsplice.Body{}, expires, err
		}
		b, err := gzipsplice.Render(ctx, comp)
		return b, expires, err
	})
	return body, err
}
