package share

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestEncodePNGRoundTrip(t *testing.T) {
	t.Parallel()
	src := image.NewRGBA(image.Rect(0, 0, 7, 5))
	for y := range 5 {
		for x := range 7 {
			src.SetRGBA(x, y, color.RGBA{uint8(x * 37), uint8(y * 51), uint8(x*y*13 + 200), 0xff})
		}
	}
	b, err := encodePNG(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got.Bounds() != src.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), src.Bounds())
	}
	for y := range 5 {
		for x := range 7 {
			if c := rgb(got, x, y); c != src.RGBAAt(x, y) {
				t.Errorf("(%d,%d) = %v, want %v", x, y, c, src.RGBAAt(x, y))
			}
		}
	}
}
