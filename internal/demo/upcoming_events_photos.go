package demo

import (
	"context"
	"fmt"
	"image"
	"image/color"

	"github.com/jackc/pgx/v5"
)

// Photos on two upcoming demo events, added by their organisers: drawn
// like the other demo photos (photos.go) and put through the upload's
// re-encoding. The file name puts this step after the events step.
func init() {
	register(step{name: "event-photos", run: seedEventPhotos})
}

type demoEventPhoto struct {
	key   string // idempotency key: the step adds each photo once
	event string // idempotency key of a demo event (upcoming_events.go)
	alt   string
	draw  func(w, h int) image.Image
}

var demoEventPhotos = []demoEventPhoto{
	{key: "70686f74-0000-4000-8000-000000000101", event: "6576656e-0000-4000-8000-000000000001",
		alt: "Lange tafels in de zaal met soepkommen en een grote pan in het midden", draw: soupTables},
	{key: "70686f74-0000-4000-8000-000000000102", event: "6576656e-0000-4000-8000-000000000003",
		alt: "Zaaibakken met rijen jonge groene plantjes op een houten tafel", draw: seedTrays},
}

func seedEventPhotos(ctx context.Context, tx pgx.Tx, _ *Data) error {
	for _, p := range demoEventPhotos {
		var id int64
		var by *int64
		if err := tx.QueryRow(ctx, `SELECT id, created_by FROM events WHERE idempotency_key = $1::uuid`, p.event).Scan(&id, &by); err != nil {
			return fmt.Errorf("event photos: event of %q: %w", p.alt, err)
		}
		if err := addPhoto(ctx, tx, "event_id", id, by, p.alt, p.key, p.draw(960, 640)); err != nil {
			return fmt.Errorf("event photos: %w", err)
		}
	}
	return nil
}

// disc draws a filled circle of radius r at (cx, cy).
func disc(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				img.Set(x, y, c)
			}
		}
	}
}

// soupTables: two long tables with bowls, a big pan in the middle.
func soupTables(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 240, G: 232, B: 215, A: 255})
	for _, y := range []int{h / 4, h * 5 / 8} {
		fill(img, image.Rect(60, y, w-60, y+110), color.RGBA{R: 150, G: 105, B: 60, A: 255})
		for x := 120; x < w-90; x += 110 {
			disc(img, x, y+55, 30, color.RGBA{R: 250, G: 250, B: 250, A: 255})
			disc(img, x, y+55, 20, color.RGBA{R: 215, G: 120, B: 40, A: 255})
		}
	}
	disc(img, w/2, h/2, 70, color.RGBA{R: 70, G: 70, B: 75, A: 255})
	disc(img, w/2, h/2, 55, color.RGBA{R: 200, G: 95, B: 35, A: 255})
	return img
}

// seedTrays: trays of seedlings in rows on a wooden table.
func seedTrays(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 185, G: 140, B: 90, A: 255})
	for ty := 60; ty+220 < h; ty += 280 {
		for tx := 60; tx+260 < w; tx += 300 {
			fill(img, image.Rect(tx, ty, tx+260, ty+220), color.RGBA{R: 60, G: 45, B: 35, A: 255})
			for y := ty + 30; y < ty+220; y += 50 {
				for x := tx + 30; x < tx+260; x += 50 {
					disc(img, x, y, 14, color.RGBA{R: 90, G: 170, B: 70, A: 255})
				}
			}
		}
	}
	return img
}
