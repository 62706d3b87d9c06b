package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
	"time"
)

// testImage is a w×h picture: red on the left half, blue on the right.
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 220, 255}
			if x < w/2 {
				c = color.RGBA{220, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// secret is text in the EXIF segment that must not survive.
const secret = "Thuisadres Kanaalstraat 12"

// exifAPP1 builds an EXIF APP1 segment (little-endian TIFF) with an
// orientation, an image description and a GPS IFD with a latitude.
func exifAPP1(orientation uint16) []byte {
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8) // IFD0 at 8
	// IFD0: 3 entries, then next-IFD offset 0.
	const ifd0 = 8
	descOff := ifd0 + 2 + 3*12 + 4
	desc := append([]byte(secret), 0)
	gpsOff := descOff + len(desc)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	tiff = le.AppendUint16(tiff, 3)
	tiff = entry(tiff, 0x010E, 2, uint32(len(desc)), uint32(descOff)) // ImageDescription
	tiff = entry(tiff, 0x0112, 3, 1, uint32(orientation))             // Orientation (SHORT, in place)
	tiff = entry(tiff, 0x8825, 4, 1, uint32(gpsOff))                  // GPSInfo IFD
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(tiff, desc...)
	// GPS IFD: latitude ref "N" and latitude 52/1, 5/1, 30/1.
	ratOff := gpsOff + 2 + 2*12 + 4
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0001, 2, 2, uint32('N'))
	tiff = entry(tiff, 0x0002, 5, 3, uint32(ratOff))
	tiff = le.AppendUint32(tiff, 0)
	for _, v := range []uint32{52, 1, 5, 1, 30, 1} {
		tiff = le.AppendUint32(tiff, v)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withEXIF puts app1 right after the JPEG's start-of-image marker.
func withEXIF(jpg, app1 []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}

// gpsJPEG is a 400×200 JPEG with EXIF (GPS, a description, orientation o).
func gpsJPEG(t testing.TB, o uint16) []byte {
	return withEXIF(encodeJPEG(t, testImage(400, 200)), exifAPP1(o))
}

// TestEXIFAndGPSRemoved: the upload carries GPS and a description in its
// EXIF; no stored variant has an APP1 segment, the EXIF header, the GPS
// values or the text.
func TestEXIFAndGPSRemoved(t *testing.T) {
	t.Parallel()
	in := gpsJPEG(t, 1)
	if !bytes.Contains(in, []byte(secret)) || exifOrientation(in) != 1 {
		t.Fatal("the test upload does not carry its EXIF")
	}
	p, err := Process(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Variants) != 2 || p.Variants[0].Width != 320 || p.Variants[1].Width != 400 {
		t.Fatalf("variants %+v, want 320 and 400 wide (never upscaled)", widthsOf(p))
	}
	for _, v := range p.Variants {
		if v.ContentType != "image/jpeg" {
			t.Errorf("%d: content type %s", v.Width, v.ContentType)
		}
		for _, bad := range [][]byte{[]byte("Exif"), []byte(secret), {0xFF, 0xE1}, []byte("II*\x00")} {
			if bytes.Contains(v.Data, bad) {
				t.Errorf("variant %d still contains %q", v.Width, bad)
			}
		}
		if _, err := jpeg.Decode(bytes.NewReader(v.Data)); err != nil {
			t.Errorf("variant %d does not decode: %v", v.Width, err)
		}
	}
}

func widthsOf(p Processed) []int {
	var out []int
	for _, v := range p.Variants {
		out = append(out, v.Width)
	}
	return out
}

// TestOrientationApplied: a picture stored sideways with orientation 6 comes
// out upright (portrait), with the left half (red) now at the top.
func TestOrientationApplied(t *testing.T) {
	t.Parallel()
	p, err := Process(gpsJPEG(t, 6))
	if err != nil {
		t.Fatal(err)
	}
	last := p.Variants[len(p.Variants)-1]
	if last.Width != 200 || last.Height != 400 {
		t.Fatalf("upright size %dx%d, want 200x400", last.Width, last.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(last.Data))
	if err != nil {
		t.Fatal(err)
	}
	r, _, b, _ := img.At(100, 20).RGBA()
	if r < b {
		t.Errorf("top is not red: r=%d b=%d", r, b)
	}
}

// TestDecompressionBomb: a PNG and a JPEG header claiming 20000×20000
// pixels are refused from the header; the files hold no pixel data, so a
// decoder would have failed with another error.
func TestDecompressionBomb(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{"png": bombPNG(20000, 20000), "jpeg": bombJPEG(20000, 20000)} {
		start := time.Now()
		_, err := Process(data)
		if !errors.Is(err, ErrTooBig) {
			t.Errorf("%s: %v, want ErrTooBig", name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v: decoded?", name, d)
		}
	}
	// Just under the limit by the header is not refused for its size.
	if _, err := Process(bombPNG(8000, 5000)); errors.Is(err, ErrTooBig) {
		t.Errorf("40 megapixels exactly refused as too big")
	}
}

// bombPNG is a PNG signature and an IHDR chunk for a w×h RGBA picture.
func bombPNG(w, h uint32) []byte {
	var ihdr bytes.Buffer
	ihdr.WriteString("IHDR")
	_ = binary.Write(&ihdr, binary.BigEndian, w)
	_ = binary.Write(&ihdr, binary.BigEndian, h)
	ihdr.Write([]byte{8, 6, 0, 0, 0})
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr.Bytes()...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr.Bytes()))
}

// bombJPEG is a JPEG whose SOF0 claims w×h, taken from a real small JPEG
// with its frame header rewritten and the scan data cut (the headers end
// with the start-of-scan segment).
func bombJPEG(w, h uint16) []byte {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, testImage(16, 16), nil)
	b := buf.Bytes()
	for i := 2; i+9 < len(b); {
		n := int(b[i+2])<<8 | int(b[i+3])
		switch b[i+1] {
		case 0xC0:
			binary.BigEndian.PutUint16(b[i+5:], h)
			binary.BigEndian.PutUint16(b[i+7:], w)
		case 0xDA:
			return b[:i+2+n]
		}
		i += 2 + n
	}
	panic("no SOS")
}

// TestRefused: what is not an accepted picture gets its own error.
func TestRefused(t *testing.T) {
	t.Parallel()
	good := encodeJPEG(t, testImage(64, 48))
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmptyFile},
		{"text", []byte("dit is geen foto, maar een tekst"), ErrNotImage},
		{"gif", gif, ErrNotImage},
		{"html named jpg", []byte("<html><script>alert(1)</script></html>"), ErrNotImage},
		{"truncated jpeg", good[:len(good)/2], ErrCorrupt},
		{"truncated png", encodePNG(t, testImage(64, 48))[:60], ErrCorrupt},
		{"header only", good[:20], ErrCorrupt},
		{"too large", append(good, make([]byte, MaxBytes)...), ErrTooLarge},
	}
	for _, c := range cases {
		if _, err := Process(c.data); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestWebPAndTransparency: WebP (lossy and lossless with alpha, made with
// cwebp) is accepted; transparency stays as PNG, the rest becomes JPEG.
func TestWebPAndTransparency(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file, ctype string
	}{{"testdata/lossy.webp", "image/jpeg"}, {"testdata/alpha.webp", "image/png"}} {
		data, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := Sniff(data); f != WebP {
			t.Fatalf("%s sniffed as %q", c.file, f)
		}
		p, err := Process(data)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(p.Variants) != 1 || p.Width != 48 || p.Height != 32 {
			t.Errorf("%s: %+v, want one 48x32 variant", c.file, widthsOf(p))
		}
		if got := p.Variants[0].ContentType; got != c.ctype {
			t.Errorf("%s: stored as %s, want %s", c.file, got, c.ctype)
		}
	}
}

// TestWidths: never upscaled; the largest standard width caps the rest.
func TestWidths(t *testing.T) {
	t.Parallel()
	for w, want := range map[int][]int{100: {100}, 320: {320}, 500: {320, 500}, 1280: {320, 640, 1280}, 3000: {320, 640, 1280}} {
		got := targetWidths(w)
		if len(got) != len(want) {
			t.Errorf("%d: %v, want %v", w, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%d: %v, want %v", w, got, want)
			}
		}
	}
	p, err := Process(encodePNG(t, testImage(1500, 900)))
	if err != nil {
		t.Fatal(err)
	}
	if got := widthsOf(p); len(got) != 3 || got[2] != 1280 || p.Height != 768 {
		t.Errorf("1500 wide: %v (height %d)", got, p.Height)
	}
}
