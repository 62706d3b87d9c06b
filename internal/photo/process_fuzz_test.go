package photo

import (
	"bytes"
	"image"
	"os"
	"testing"
)

// FuzzProcess: no input makes the decoder path panic or hang, and whatever
// is accepted comes out as a decodable picture within the limits.
func FuzzProcess(f *testing.F) {
	f.Add(encodeJPEG(f, testImage(20, 10)))
	f.Add(encodePNG(f, testImage(10, 20)))
	f.Add(gpsJPEG(f, 6))
	f.Add(bombPNG(20000, 20000))
	for _, name := range []string{"testdata/lossy.webp", "testdata/alpha.webp"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Process(data)
		if err != nil {
			return
		}
		for _, v := range p.Variants {
			if v.Width > Widths[len(Widths)-1] || len(v.Data) == 0 {
				t.Fatalf("variant %dx%d of %d bytes", v.Width, v.Height, len(v.Data))
			}
			if _, _, err := image.DecodeConfig(bytes.NewReader(v.Data)); err != nil {
				t.Fatalf("stored variant does not decode: %v", err)
			}
		}
	})
}
