package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/photo"
)

// Photos on a few demo initiatives and places: pictures drawn here in Go
// (coloured patterns, no binary files in the repository), put through the
// same decoding and re-encoding as an upload.
func init() {
	register(step{name: "photos", run: seedPhotos})
}

type demoPhoto struct {
	key        string // idempotency key: the step adds each photo once
	initiative string // idempotency key of a demo initiative, or
	asset      string // create token of a demo place
	alt        string
	draw       func(w, h int) image.Image
}

var demoPhotos = []demoPhoto{
	{key: "70686f74-0000-4000-8000-000000000001", initiative: "6d656f75-0000-4000-8000-000000000001",
		alt: "Moestuinbedden in rijen, met groene en gele planten onder een blauwe lucht", draw: beds},
	{key: "70686f74-0000-4000-8000-000000000002", initiative: "6d656f75-0000-4000-8000-000000000001",
		alt: "Zonnebloemen langs het hek van de moestuin", draw: dots},
	{key: "70686f74-0000-4000-8000-000000000003", initiative: "6d656f75-0000-4000-8000-000000000003",
		alt: "Werktafel van het repaircafé met gereedschap in rode en grijze vakken", draw: checks},
	{key: "70686f74-0000-4000-8000-000000000004", asset: "demo-seed-asset-buurthuis",
		alt: "De grote zaal van het buurthuis met houten vloer en ramen aan de straatkant", draw: hall},
	{key: "70686f74-0000-4000-8000-000000000005", asset: "demo-seed-asset-cafe",
		alt: "Het terras van het buurtcafé met gestreepte luifel", draw: awning},
}

func seedPhotos(ctx context.Context, tx pgx.Tx, _ *Data) error {
	for _, p := range demoPhotos {
		var subject, column, owner string
		switch {
		case p.initiative != "":
			subject, column = `SELECT id, created_by FROM initiatives WHERE idempotency_key = $1::uuid`, "initiative_id"
			owner = p.initiative
		default:
			subject, column = `SELECT id, created_by FROM assets WHERE create_token = $1 AND kind = 'plek'`, "asset_id"
			owner = p.asset
		}
		var id int64
		var by *int64
		if err := tx.QueryRow(ctx, subject, owner).Scan(&id, &by); err != nil {
			return fmt.Errorf("photos: subject of %q: %w", p.alt, err)
		}
		if err := addPhoto(ctx, tx, column, id, by, p.alt, p.key, p.draw(960, 640)); err != nil {
			return fmt.Errorf("photos: %w", err)
		}
	}
	return nil
}

// addPhoto stores pic as a photo of subject id (column names its kind),
// uploaded by by, through the upload's own checks and re-encoding; a photo
// with this idempotency key is added once.
func addPhoto(ctx context.Context, tx pgx.Tx, column string, id int64, by *int64, alt, key string, pic image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, pic); err != nil {
		return err
	}
	out, err := photo.Process(buf.Bytes())
	if err != nil {
		return fmt.Errorf("%q: %w", alt, err)
	}
	var photoID int64
	err = tx.QueryRow(ctx, `INSERT INTO photos (`+column+`, uploaded_by, alt_text, width, height, hash, idempotency_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7::uuid) ON CONFLICT ON CONSTRAINT photos_idempotency_key DO NOTHING RETURNING id`,
		id, by, alt, out.Width, out.Height, out.Hash, key).Scan(&photoID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // added by an earlier run
	}
	if err != nil {
		return fmt.Errorf("%q: %w", alt, err)
	}
	for _, v := range out.Variants {
		if _, err := tx.Exec(ctx, `INSERT INTO photo_variants (photo_id, width, height, content_type, data) VALUES ($1, $2, $3, $4, $5)`,
			photoID, v.Width, v.Height, v.ContentType, v.Data); err != nil {
			return fmt.Errorf("%q: %d px: %w", alt, v.Width, err)
		}
	}
	return nil
}

func canvas(w, h int, bg color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	return img
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, &image.Uniform{C: c}, image.Point{}, draw.Src)
}

// beds: sky above, rows of green and yellow beds on brown soil.
func beds(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 121, G: 85, B: 61, A: 255})
	fill(img, image.Rect(0, 0, w, h/3), color.RGBA{R: 135, G: 190, B: 235, A: 255})
	for i, y := 0, h/3+20; y < h; i, y = i+1, y+70 {
		c := color.RGBA{R: 60, G: 150, B: 60, A: 255}
		if i%2 == 1 {
			c = color.RGBA{R: 220, G: 200, B: 60, A: 255}
		}
		fill(img, image.Rect(30, y, w-30, y+40), c)
	}
	return img
}

// dots: yellow flowers with brown hearts on green.
func dots(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 70, G: 140, B: 70, A: 255})
	for cy := 60; cy < h; cy += 120 {
		for cx := 60; cx < w; cx += 120 {
			for y := cy - 45; y <= cy+45; y++ {
				for x := cx - 45; x <= cx+45; x++ {
					d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
					switch {
					case d <= 15*15:
						img.Set(x, y, color.RGBA{R: 110, G: 70, B: 30, A: 255})
					case d <= 45*45:
						img.Set(x, y, color.RGBA{R: 245, G: 205, B: 40, A: 255})
					}
				}
			}
		}
	}
	return img
}

// checks: a tool wall of red and grey squares.
func checks(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 90, G: 90, B: 95, A: 255})
	for y := 0; y < h; y += 80 {
		for x := 0; x < w; x += 80 {
			if (x/80+y/80)%2 == 0 {
				fill(img, image.Rect(x+6, y+6, x+74, y+74), color.RGBA{R: 200, G: 50, B: 45, A: 255})
			} else {
				fill(img, image.Rect(x+6, y+6, x+74, y+74), color.RGBA{R: 170, G: 170, B: 175, A: 255})
			}
		}
	}
	return img
}

// hall: a wooden floor, a wall with three windows.
func hall(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 235, G: 225, B: 205, A: 255})
	for y := h * 2 / 3; y < h; y += 24 {
		fill(img, image.Rect(0, y, w, y+20), color.RGBA{R: 170, G: 120, B: 70, A: 255})
	}
	for i := range 3 {
		x := w/8 + i*w/3
		fill(img, image.Rect(x, h/8, x+w/5, h/2), color.RGBA{R: 150, G: 200, B: 235, A: 255})
	}
	return img
}

// awning: red and white stripes above a terrace.
func awning(w, h int) image.Image {
	img := canvas(w, h, color.RGBA{R: 200, G: 195, B: 185, A: 255})
	for x := 0; x < w; x += 80 {
		fill(img, image.Rect(x, 0, x+40, h/3), color.RGBA{R: 190, G: 30, B: 40, A: 255})
		fill(img, image.Rect(x+40, 0, x+80, h/3), color.RGBA{R: 250, G: 250, B: 250, A: 255})
	}
	for x := 60; x < w; x += 200 {
		fill(img, image.Rect(x, h*2/3, x+120, h*2/3+16), color.RGBA{R: 60, G: 60, B: 60, A: 255})
	}
	return img
}
