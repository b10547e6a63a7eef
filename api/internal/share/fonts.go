package share

import (
	"fmt"
	"image"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/nezame/nezame/api/internal/share/cardfont"
)

// fonts are the parsed card fonts, shared by every render (a parsed font is read-only; the
// faces made from it per render are not safe to share).
type fonts struct {
	regular, bold, japanese *opentype.Font
}

func loadFonts() (*fonts, error) {
	var f fonts
	for _, src := range []struct {
		dst  **opentype.Font
		name string
		ttf  []byte
	}{{&f.regular, "go regular", goregular.TTF}, {&f.bold, "go bold", gobold.TTF}, {&f.japanese, "card gothic", cardfont.TTF}} {
		p, err := opentype.Parse(src.ttf)
		if err != nil {
			return nil, fmt.Errorf("parse %s font: %w", src.name, err)
		}
		*src.dst = p
	}
	return &f, nil
}

// face returns a face of f at size whose missing glyphs (Japanese) come from the Japanese font.
func (f *fonts) face(primary *opentype.Font, size float64) (font.Face, error) {
	opts := &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull}
	p, err := opentype.NewFace(primary, opts)
	if err != nil {
		return nil, fmt.Errorf("font face: %w", err)
	}
	j, err := opentype.NewFace(f.japanese, opts)
	if err != nil {
		return nil, fmt.Errorf("font face: %w", err)
	}
	return &fallbackFace{Face: p, fallback: j}, nil
}

// fallbackFace draws each rune with the primary face if it has it, else with the fallback.
type fallbackFace struct {
	font.Face
	fallback font.Face
}

func (f *fallbackFace) pick(r rune) font.Face {
	if _, ok := f.Face.GlyphAdvance(r); ok {
		return f.Face
	}
	return f.fallback
}

// has reports whether either face can draw r.
func (f *fallbackFace) has(r rune) bool {
	_, ok := f.pick(r).GlyphAdvance(r)
	return ok
}

func (f *fallbackFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	return f.pick(r).Glyph(dot, r)
}

func (f *fallbackFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	return f.pick(r).GlyphBounds(r)
}

func (f *fallbackFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	return f.pick(r).GlyphAdvance(r)
}

func (f *fallbackFace) Kern(r0, r1 rune) fixed.Int26_6 {
	if f.pick(r0) == f.Face && f.pick(r1) == f.Face {
		return f.Face.Kern(r0, r1)
	}
	return 0
}
