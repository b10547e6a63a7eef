package share

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// RendererVersion changes whenever Render's output for the same record changes; it is part of
// the image ETag so caches never mix bytes from two renderer versions.
const RendererVersion = "1"

// Card size: the Open Graph / summary_large_image size.
const (
	CardWidth  = 1200
	CardHeight = 630
)

// The calendar plot: one column per date, midnight at the top, 24 h down.
const (
	plotX0, plotX1 = 110, 790
	plotY0, plotY1 = 170, 560
)

// Palette. Exported pixels are asserted by the golden test.
var (
	colBackground = color.RGBA{0x0d, 0x12, 0x1f, 0xff}
	colNight      = color.RGBA{0x18, 0x20, 0x36, 0xff}
	colWeekend    = color.RGBA{0x22, 0x2b, 0x4a, 0xff}
	colGrid       = color.RGBA{0x2f, 0x3a, 0x5a, 0xff}
	colAwake      = color.RGBA{0xff, 0xc8, 0x57, 0xff} // the legend swatch and the bars' midday colour
	colDawn       = color.RGBA{0xff, 0xe0, 0x8a, 0xff} // bars fade from dawn yellow at 0:00 ...
	colDusk       = color.RGBA{0xff, 0x8f, 0x5a, 0xff} // ... through amber to dusk orange at 24:00
	colAccent     = color.RGBA{0xff, 0xc8, 0x57, 0xff}
	colText       = color.RGBA{0xf4, 0xf6, 0xfb, 0xff}
	colMuted      = color.RGBA{0x8b, 0x95, 0xb0, 0xff}
)

// Render draws rec as a 1200×630 PNG. The output depends only on rec, so it is deterministic.
func Render(rec Record) ([]byte, error) {
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	return r.render(rec)
}

type renderer struct {
	handle, value, brand, label, small, body font.Face
}

func newRenderer() (*renderer, error) {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse go regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse go bold: %w", err)
	}
	r := &renderer{}
	for _, f := range []struct {
		dst  *font.Face
		font *opentype.Font
		size float64
	}{
		{&r.handle, bold, 54}, {&r.value, bold, 46}, {&r.brand, bold, 34},
		{&r.label, bold, 16}, {&r.small, reg, 16}, {&r.body, reg, 21},
	} {
		face, err := opentype.NewFace(f.font, &opentype.FaceOptions{Size: f.size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("font face: %w", err)
		}
		*f.dst = face
	}
	return r, nil
}

func (r *renderer) render(rec Record) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, CardWidth, CardHeight))
	fill(img, img.Bounds(), colBackground)
	fill(img, image.Rect(0, 0, CardWidth, 8), colAccent)

	r.header(img, rec)
	r.calendar(img, rec.Days)
	r.stats(img, rec)

	b, err := encodePNG(img)
	if err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return b, nil
}

func (r *renderer) header(img *image.RGBA, rec Record) {
	text(img, r.handle, colText, 60, 92, "@"+ascii(rec.ScreenName, 24))
	sub := "Sleep calendar"
	if span := dateSpan(rec.Days); span != "" {
		sub += "  |  " + span
	}
	if rec.Timezone != "" {
		sub += "  |  " + ascii(rec.Timezone, 32)
	}
	text(img, r.body, colMuted, 62, 132, sub)

	textRight(img, r.brand, colAccent, 1140, 84, "nezame")
	textRight(img, r.small, colMuted, 1140, 112, "when were you awake?")
}

// calendar draws the columns: dark nights, tinted weekends, hour grid, awake bars, labels.
func (r *renderer) calendar(img *image.RGBA, days []RecordDay) {
	const plotH = plotY1 - plotY0
	yOf := func(min int) int { return plotY0 + min*plotH/(24*60) }

	for h := 0; h <= 24; h += 6 {
		y := yOf(h * 60)
		textRight(img, r.small, colMuted, plotX0-12, y+6, strconv.Itoa(h)+":00")
	}
	n := len(days)
	if n == 0 {
		fill(img, image.Rect(plotX0, plotY0, plotX1, plotY1), colNight)
		textCenter(img, r.body, colMuted, (plotX0+plotX1)/2, (plotY0+plotY1)/2, "no posts in this period")
		return
	}
	bars := barGradient(plotX1-plotX0, plotH)
	colX := func(i int) int { return plotX0 + i*(plotX1-plotX0)/n }
	gap := 0
	if w := (plotX1 - plotX0) / n; w >= 8 {
		gap = 2
	} else if w >= 4 {
		gap = 1
	}
	for i, d := range days {
		x0, x1 := colX(i), colX(i+1)-gap
		bg := colNight
		date, err := time.Parse(dateLayout, d.Date)
		if err == nil && (date.Weekday() == time.Saturday || date.Weekday() == time.Sunday) {
			bg = colWeekend
		}
		fill(img, image.Rect(x0, plotY0, x1, plotY1), bg)
		for h := 6; h < 24; h += 6 {
			y := yOf(h * 60)
			fill(img, image.Rect(x0, y, x1, y+1), colGrid)
		}
		for _, a := range d.Awake {
			y0, y1 := yOf(clampMin(a[0])), yOf(clampMin(a[1]))
			if y1-y0 < 2 {
				y1 = y0 + 2 // keep short bursts visible
			}
			draw.Draw(img, image.Rect(x0, y0, x1, y1), bars, image.Pt(x0-plotX0, y0-plotY0), draw.Src)
		}
		if err == nil && (i%7 == 0 || i == n-1 && labelLast(n)) {
			textCenter(img, r.small, colMuted, (x0+x1)/2, plotY1+24, date.Format("Jan 2"))
		}
	}
	// Legend under the plot, right-aligned to it.
	lx := plotX1
	lx -= legend(img, r.small, lx, plotY1+52, colWeekend, "weekend") + 24
	lx -= legend(img, r.small, lx, plotY1+52, colNight, "asleep or quiet") + 24
	legend(img, r.small, lx, plotY1+52, colAwake, "posting (awake)")
}

// barGradient is a w×h image whose rows run dawn -> amber -> dusk, so a bar's colour says the
// time of day; awake bars are copied out of it.
func barGradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		var c color.RGBA
		if t := float64(y) / float64(h-1); t < 0.5 {
			c = mix(colDawn, colAwake, t*2)
		} else {
			c = mix(colAwake, colDusk, t*2-1)
		}
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for x := 0; x < len(row); x += 4 {
			row[x], row[x+1], row[x+2], row[x+3] = c.R, c.G, c.B, 0xff
		}
	}
	return img
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
}

// labelLast reports whether the last column gets a date label too: only when it is far enough
// from the weekly label before it not to collide.
func labelLast(n int) bool {
	since := (n - 1) % 7
	return since >= 4 && since*(plotX1-plotX0)/n >= 64
}

// legend draws a swatch and a label ending at right edge x; it returns the width used.
func legend(img *image.RGBA, f font.Face, x, baseline int, c color.RGBA, label string) int {
	w := font.MeasureString(f, label).Ceil()
	textRight(img, f, colMuted, x, baseline, label)
	sx := x - w - 22
	fill(img, image.Rect(sx, baseline-12, sx+14, baseline+2), c)
	return w + 22
}

func (r *renderer) stats(img *image.RGBA, rec Record) {
	st := rec.Stats
	items := []struct{ label, value, unit string }{
		{"WAKE UP", strOr(st.WakeTime), ""},
		{"BEDTIME", strOr(st.BedTime), ""},
		{"SLEEP", floatOr(st.SleepHours, 1), "h"},
		{"REGULARITY", floatOr(st.SRI, 0), "SRI"},
	}
	const x0, colW, y0, rowH = 860, 150, 196, 118
	for i, it := range items {
		x := x0 + (i%2)*colW
		y := y0 + (i/2)*rowH
		text(img, r.label, colMuted, x, y, it.label)
		adv := text(img, r.value, colText, x-2, y+50, it.value)
		if it.unit != "" && it.value != "--" {
			text(img, r.body, colMuted, adv+5, y+50, it.unit)
		}
	}
	fill(img, image.Rect(x0, 440, 1140, 441), colGrid)
	line := fmt.Sprintf("%d days  |  %d posts", len(rec.Days), rec.PostCount)
	if rec.Stats.AllNighters > 0 {
		line += fmt.Sprintf("  |  %d all-nighter", rec.Stats.AllNighters)
		if rec.Stats.AllNighters > 1 {
			line += "s"
		}
	}
	text(img, r.small, colMuted, x0, 472, line)

	text(img, r.body, colMuted, x0, 560, "See yours at")
	text(img, r.brand, colAccent, x0, 600, ascii(rec.Site, 22))
}

func clampMin(m int) int { return max(0, min(24*60, m)) }

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// text draws s with its baseline at (x, y) and returns the x where it ended.
func text(img *image.RGBA, f font.Face, c color.RGBA, x, y int, s string) int {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Ceil()
}

func textRight(img *image.RGBA, f font.Face, c color.RGBA, x, y int, s string) {
	text(img, f, c, x-font.MeasureString(f, s).Ceil(), y, s)
}

func textCenter(img *image.RGBA, f font.Face, c color.RGBA, x, y int, s string) {
	text(img, f, c, x-font.MeasureString(f, s).Ceil()/2, y, s)
}

// ascii keeps printable ASCII (the Go fonts have no CJK glyphs) and caps the length.
func ascii(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= n {
			b.WriteString("...")
			break
		}
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func strOr(s *string) string {
	if s == nil {
		return "--"
	}
	return *s
}

func floatOr(f *float64, prec int) string {
	if f == nil {
		return "--"
	}
	return strconv.FormatFloat(*f, 'f', prec, 64)
}

// dateSpan is "Oct 25 - Nov 21, 2026" for the first and last day.
func dateSpan(days []RecordDay) string {
	if len(days) == 0 {
		return ""
	}
	a, err1 := time.Parse(dateLayout, days[0].Date)
	b, err2 := time.Parse(dateLayout, days[len(days)-1].Date)
	if err1 != nil || err2 != nil {
		return ""
	}
	if a.Year() != b.Year() {
		return a.Format("Jan 2, 2006") + " - " + b.Format("Jan 2, 2006")
	}
	return a.Format("Jan 2") + " - " + b.Format("Jan 2, 2006")
}
