package photo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits of an upload.
const (
	MaxBytes  = 10 << 20   // the file as uploaded
	MaxPixels = 40_000_000 // width × height, read from the header before decoding
	MaxPhotos = 6          // per subject
	MaxAlt    = 250        // characters of alt text
	// MaxUpload is the body limit of the upload routes: the file plus the
	// form's few text fields and the multipart framing.
	MaxUpload   = MaxBytes + 256<<10
	jpegQuality = 80
)

// Widths are the standard widths made of every photo, for srcset. A
// picture narrower than the largest gets its own width as the last one
// instead: nothing is ever scaled up.
var Widths = []int{320, 640, 1280}

// What is wrong with an upload; the handler turns each into a Dutch message.
var (
	ErrTooLarge  = errors.New("photo: file too large")
	ErrNotImage  = errors.New("photo: not a JPEG, PNG or WebP image")
	ErrCorrupt   = errors.New("photo: image damaged or truncated")
	ErrTooBig    = errors.New("photo: too many pixels")
	ErrEmptyFile = errors.New("photo: no file")
)

// Format is an accepted upload format, told by the file's first bytes.
type Format string

// The accepted formats.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
)

// Sniff tells the format from the content's magic bytes; the file name and
// the Content-Type the browser sent do not count.
func Sniff(b []byte) (Format, bool) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return JPEG, true
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return PNG, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP, true
	}
	return "", false
}

// Variant is one stored width of a photo.
type Variant struct {
	Width, Height int
	ContentType   string // image/jpeg, or image/png for a picture with transparency
	Data          []byte
}

// Processed is an upload decoded, turned upright and re-encoded: no byte of
// the original (and so no EXIF, GPS or other metadata) survives.
type Processed struct {
	Width, Height int    // of the largest variant
	Hash          string // 16 hex digits of SHA-256 over every variant
	Variants      []Variant
}

// slots bounds how many uploads are decoded at once: a 40-megapixel
// picture takes 160 MB decoded.
var slots = make(chan struct{}, 2)

// Process checks, decodes and re-encodes an upload. The header is read
// first, and a picture of more than MaxPixels is refused before a single
// pixel is decoded (a decompression bomb is small on disk, huge in memory).
func Process(data []byte) (Processed, error) {
	if len(data) == 0 {
		return Processed{}, ErrEmptyFile
	}
	if len(data) > MaxBytes {
		return Processed{}, ErrTooLarge
	}
	format, ok := Sniff(data)
	if !ok {
		return Processed{}, ErrNotImage
	}
	cfg, err := decodeConfig(format, data)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Processed{}, ErrCorrupt
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Processed{}, ErrTooBig
	}
	slots <- struct{}{}
	defer func() { <-slots }()
	img, err := decode(format, data)
	if err != nil {
		return Processed{}, ErrCorrupt
	}
	if format == JPEG {
		img = orient(img, exifOrientation(data))
	}
	return encodeVariants(img)
}

func decodeConfig(f Format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	default:
		return webp.DecodeConfig(r)
	}
}

func decode(f Format, data []byte) (img image.Image, err error) {
	// A decoder that panics on hostile input must not take the server down.
	defer func() {
		if recover() != nil {
			img, err = nil, ErrCorrupt
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	default:
		return webp.Decode(r)
	}
}

// targetWidths are the widths made of a picture w pixels wide.
func targetWidths(w int) []int {
	var out []int
	for _, s := range Widths {
		if s < w {
			out = append(out, s)
		}
	}
	if w <= Widths[len(Widths)-1] {
		out = append(out, w)
	}
	return out
}

func encodeVariants(src image.Image) (Processed, error) {
	b := src.Bounds()
	alpha := !opaque(src)
	widths := targetWidths(b.Dx())
	// Scale down from the largest to the smallest, each from the one
	// before: fast, and sharp enough for these steps.
	var out Processed
	from := src
	hash := sha256.New()
	variants := make([]Variant, len(widths))
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		h := max(1, int(int64(b.Dy())*int64(w)/int64(b.Dx())))
		fb := from.Bounds()
		var dst draw.Image
		if alpha {
			dst = image.NewNRGBA(image.Rect(0, 0, w, h))
		} else {
			dst = image.NewRGBA(image.Rect(0, 0, w, h))
		}
		draw.CatmullRom.Scale(dst, dst.Bounds(), from, fb, draw.Src, nil)
		var buf bytes.Buffer
		v := Variant{Width: w, Height: h}
		if alpha {
			v.ContentType = "image/png"
			if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst); err != nil {
				return Processed{}, err
			}
		} else {
			v.ContentType = "image/jpeg"
			if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: jpegQuality}); err != nil {
				return Processed{}, err
			}
		}
		v.Data = buf.Bytes()
		variants[i] = v
		from = dst
	}
	for _, v := range variants {
		_, _ = io.Copy(hash, bytes.NewReader(v.Data))
	}
	out.Variants = variants
	last := variants[len(variants)-1]
	out.Width, out.Height = last.Width, last.Height
	out.Hash = hex.EncodeToString(hash.Sum(nil))[:16]
	return out, nil
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// orient turns img upright by EXIF orientation o (1 to 8; others change
// nothing). The re-encoded picture carries no orientation tag, so the
// rotation must be in the pixels.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // turned 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // turned 90° clockwise to view
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // turned 90° counter-clockwise to view
				dx, dy = y, w-1-x
			}
			dst.Set(dx, dy, color.RGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)))
		}
	}
	return dst
}

// exifOrientation reads the orientation tag (0x0112) from a JPEG's EXIF
// segment; 1 (upright) when there is none or it cannot be read.
func exifOrientation(data []byte) int {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return 1
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var u16 func([]byte) int
	var u32 func([]byte) int
	switch string(t[:2]) {
	case "II":
		u16 = func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
		u32 = func(b []byte) int { return u16(b) | u16(b[2:])<<16 }
	case "MM":
		u16 = func(b []byte) int { return int(b[0])<<8 | int(b[1]) }
		u32 = func(b []byte) int { return u16(b)<<16 | u16(b[2:]) }
	default:
		return 1
	}
	ifd := u32(t[4:])
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := u16(t[ifd:])
	for k := range count {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if u16(t[e:]) == 0x0112 && u16(t[e+2:]) == 3 { // SHORT
			if o := u16(t[e+8:]); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}
