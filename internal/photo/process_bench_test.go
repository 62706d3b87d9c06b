package photo

import (
	"image"
	"image/color"
	"testing"
)

// BenchmarkProcess is the server's work for one phone photo (12 megapixels,
// 4000×3000 JPEG): read the header, decode, re-encode at 320, 640 and 1280
// pixels wide. Uploads are decoded two at a time (slots), so this is also
// the time an upload waits behind another. The picture is a gradient, not
// flat colour, so the encoder has real work to do.
// Re-measure: go test -run '^$' -bench Process -benchtime 10x ./internal/photo/
func BenchmarkProcess(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	for y := range 3000 {
		for x := range 4000 {
			img.SetRGBA(x, y, color.RGBA{uint8(x / 16), uint8(y / 12), uint8((x + y) / 28), 255})
		}
	}
	data := encodeJPEG(b, img)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		p, err := Process(data)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Variants) != 3 {
			b.Fatalf("%d variants, want 3", len(p.Variants))
		}
	}
}
