package overview

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cachedStore is the Store behind caches, for the reads that are heavy or
// asked on every page: the overview table, outlines, the drill-down's
// figures and signals, the municipality choice and the districts. The other
// reads go to the Store as they are (through the embedded field): the scope
// checks, and the signal ids a viewer may read, are done on every request.
//
// Keys leave out the scope, so that every viewer who may read the same
// figures shares one entry: call a cached read only after checking that
// the viewer may read what it asks for (its SQL checks the scope too, but
// an answer emptied by the scope would then be cached for everyone).
//
// The cached reads return, besides the value, when it expires, so that
// parts of pages rendered from it can be kept exactly as long.
type cachedStore struct {
	*Store

	tables         *cache[Table]
	shapes         *cache[[]Shape]
	drills         *cache[DrillFigures]
	signals        *cache[[]SignalItem]
	municipalities *cache[[]Municipality]
	districts      *cache[[]District]
}

func newCachedStore(s *Store) *cachedStore {
	return &cachedStore{Store: s,
		tables: newCache[Table](maxCached), shapes: newCache[[]Shape](maxCached),
		drills: newCache[DrillFigures](maxCached), signals: newCache[[]SignalItem](maxCached),
		municipalities: newCache[[]Municipality](maxCached), districts: newCache[[]District](maxCached)}
}

// Table is Store.Table, computed at most every TableTTL. The rows are the
// caller's own copy, to sort.
func (c *cachedStore) Table(ctx context.Context, sc Scope, f TableFilter) (Table, time.Time, error) {
	t, exp, err := c.tables.get(ctx, tableKey(f), ttl(TableTTL, func(ctx context.Context) (Table, error) {
		return c.Store.Table(ctx, sc, f)
	}))
	return cloneTable(t), exp, err
}

// Municipalities is Store.Municipalities, read at most every TableTTL per scope.
func (c *cachedStore) Municipalities(ctx context.Context, sc Scope) ([]Municipality, error) {
	key := "alle"
	if !sc.All {
		ids := slices.Clone(sc.Municipalities)
		slices.Sort(ids)
		key = idList(ids)
	}
	list, _, err := c.municipalities.get(ctx, key, ttl(TableTTL, func(ctx context.Context) ([]Municipality, error) {
		return c.Store.Municipalities(ctx, sc)
	}))
	return list, err
}

// Districts is Store.Districts, read at most every ShapesTTL.
func (c *cachedStore) Districts(ctx context.Context, sc Scope, municipalityID int64) ([]District, error) {
	list, _, err := c.districts.get(ctx, strconv.FormatInt(municipalityID, 10), ttl(ShapesTTL, func(ctx context.Context) ([]District, error) {
		return c.Store.Districts(ctx, sc, municipalityID)
	}))
	return list, err
}

// Shapes is Store.Shapes, read at most every ShapesTTL.
func (c *cachedStore) Shapes(ctx context.Context, sc Scope, municipalityID int64, district string) ([]Shape, error) {
	key := strconv.FormatInt(municipalityID, 10) + "|" + district
	shapes, _, err := c.shapes.get(ctx, key, ttl(ShapesTTL, func(ctx context.Context) ([]Shape, error) {
		return c.Store.Shapes(ctx, sc, municipalityID, district)
	}))
	return shapes, err
}

// DrillFigures is Store.DrillFigures, computed at most every TableTTL.
func (c *cachedStore) DrillFigures(ctx context.Context, sc Scope, nb int64, p Period) (DrillFigures, time.Time, error) {
	key := strconv.FormatInt(nb, 10) + "|" + periodSlug(p)
	return c.drills.get(ctx, key, ttl(TableTTL, func(ctx context.Context) (DrillFigures, error) {
		return c.Store.DrillFigures(ctx, sc, nb, p)
	}))
}

// Signals is Store.Signals, read at most every TableTTL per set of ids:
// every viewer who may read the same signals shares them.
func (c *cachedStore) Signals(ctx context.Context, sc Scope, nb int64, ids []int64) ([]SignalItem, time.Time, error) {
	key := strconv.FormatInt(nb, 10) + "|" + idList(ids)
	return c.signals.get(ctx, key, ttl(TableTTL, func(ctx context.Context) ([]SignalItem, error) {
		return c.Store.Signals(ctx, sc, nb, ids)
	}))
}

// idList writes ids as a cache key: "12,7,".
func idList(ids []int64) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
	}
	return b.String()
}

func tableKey(f TableFilter) string {
	return fmt.Sprintf("%d|%s|%s|%s", f.MunicipalityID, f.District, strings.Join(f.Codes, ","), periodSlug(f.Period))
}

// cloneTable copies the rows so a caller's sort does not reorder the cached ones.
func cloneTable(t Table) Table {
	t.Rows = append([]Row(nil), t.Rows...)
	t.Districts = append([]Row(nil), t.Districts...)
	return t
}
