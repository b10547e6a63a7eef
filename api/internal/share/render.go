package share

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/nezame/nezame/analyzer"
)

// RendererVersion changes whenever the card drawn for the same record changes; it is part of
// the image ETag so caches never mix bytes from two renderer versions.
const RendererVersion = "4"

// Card size: the Open Graph / summary_large_image size.
const (
	CardWidth  = 1200
	CardHeight = 630
)

// The calendar plot: one column per date, midnight at the top, 24 h down.
const (
	plotX0, plotX1 = 110, 790
	plotY0, plotY1 = 170, 560
	statsX0        = 860
	statsX1        = 1140
)

// Palette. Exported pixels are asserted by the tests.
var (
	colBackground  = color.RGBA{0x0d, 0x12, 0x1f, 0xff}
	colNight       = color.RGBA{0x18, 0x20, 0x36, 0xff} // the plot's canvas: no post, no sleep, no gap
	colWeekend     = color.RGBA{0x22, 0x2b, 0x4a, 0xff} // the canvas on Saturdays and Sundays
	colWeekendMark = color.RGBA{0x6a, 0x78, 0xa8, 0xff} // the strip under a weekend column
	colGrid        = color.RGBA{0x2f, 0x3a, 0x5a, 0xff}
	colAwake       = color.RGBA{0xff, 0xc8, 0x57, 0xff} // the legend swatch and the bars' midday colour
	colDawn        = color.RGBA{0xff, 0xe0, 0x8a, 0xff} // bars fade from dawn yellow at 0:00 ...
	colDusk        = color.RGBA{0xff, 0x8f, 0x5a, 0xff} // ... through amber to dusk orange at 24:00
	colSleep       = color.RGBA{0x5b, 0x6e, 0xf5, 0xff} // sleep, laid over the canvas by its confidence
	colNoData      = color.RGBA{0x26, 0x29, 0x31, 0xff} // stretches without data: grey, hatched
	colNoDataLine  = color.RGBA{0x44, 0x48, 0x54, 0xff}
	colAccent      = color.RGBA{0xff, 0xc8, 0x57, 0xff}
	colText        = color.RGBA{0xf4, 0xf6, 0xfb, 0xff}
	colMuted       = color.RGBA{0x8b, 0x95, 0xb0, 0xff}
)

// sleepAlpha is the opacity of a sleep episode of confidence c (percent): a sure sleep is solid,
// a doubtful one a tint, never invisible.
func sleepAlpha(c int) float64 { return 0.35 + 0.65*float64(max(0, min(100, c)))/100 }

type renderer struct {
	t                                        *cardTexts
	handle, value, brand, label, small, body *fallbackFace
}

func (f *fonts) newRenderer(lang string) (*renderer, error) {
	r := &renderer{t: cardTextsFor(lang)}
	for _, spec := range []struct {
		dst  **fallbackFace
		bold bool
		size float64
	}{
		{&r.handle, true, 54}, {&r.value, true, 46}, {&r.brand, true, 34},
		{&r.label, true, 16}, {&r.small, false, 16}, {&r.body, false, 21},
	} {
		primary := f.regular
		if spec.bold {
			primary = f.bold
		}
		face, err := f.face(primary, spec.size)
		if err != nil {
			return nil, err
		}
		*spec.dst = face.(*fallbackFace)
	}
	return r, nil
}

func (f *fonts) render(rec Record) ([]byte, error) {
	r, err := f.newRenderer(rec.Lang)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, CardWidth, CardHeight))
	fill(img, img.Bounds(), colBackground)
	fill(img, image.Rect(0, 0, CardWidth, 8), colAccent)

	r.header(img, rec)
	r.calendar(img, rec)
	r.stats(img, rec)

	b, err := encodePNG(img)
	if err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return b, nil
}

func (r *renderer) header(img *image.RGBA, rec Record) {
	t := r.t
	parts := []string{}
	if rec.ScreenName != "" {
		text(img, r.handle, colText, 60, 92, "@"+printable(r.handle, rec.ScreenName, 24))
		parts = append(parts, t.SleepCalendar)
	} else {
		text(img, r.handle, colText, 60, 92, t.SleepCalendar)
	}
	if span := dateSpan(t, rec.Days); span != "" {
		parts = append(parts, span)
	}
	if rec.Timezone != "" {
		parts = append(parts, t.TimesIn(printable(r.body, rec.Timezone, 40)))
	}
	text(img, r.body, colMuted, 62, 132, fit(r.body, strings.Join(parts, "  |  "), statsX1-62))

	textRight(img, r.brand, colAccent, statsX1, 84, "nezame")
	textRight(img, r.small, colMuted, statsX1, 112, t.Tagline)
}

// calendar draws the columns: the canvas (tinted on weekends), the hour grid, stretches without
// data (hatched), sleep episodes (by confidence), posting runs, the date labels and the legend.
// A first-version record (awake runs only) is drawn as it was: everything not awake is "asleep
// or quiet".
func (r *renderer) calendar(img *image.RGBA, rec Record) {
	const plotH = plotY1 - plotY0
	yOf := func(min int) int { return plotY0 + clampMin(min)*plotH/(24*60) }

	for h := 0; h <= 24; h += 6 {
		textRight(img, r.small, colMuted, plotX0-12, yOf(h*60)+6, strconv.Itoa(h)+":00")
	}
	days := rec.Days
	n := len(days)
	if n == 0 {
		fill(img, image.Rect(plotX0, plotY0, plotX1, plotY1), colNight)
		textCenter(img, r.body, colMuted, (plotX0+plotX1)/2, (plotY0+plotY1)/2, r.t.NoPosts)
		r.legend(img, rec.Version)
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
	rest := analyzer.Weekend(rec.Timezone) // the days the statistics read as the weekend
	for i, d := range days {
		x0, x1 := colX(i), colX(i+1)-gap
		bg := colNight
		date, err := time.Parse(dateLayout, d.Date)
		if err == nil && slices.Contains(rest, date.Weekday()) {
			bg = colWeekend
		}
		fill(img, image.Rect(x0, plotY0, x1, plotY1), bg)
		if bg == colWeekend {
			fill(img, image.Rect(x0, plotY1+3, x1, plotY1+7), colWeekendMark) // seen even where sleep covers the tint
		}
		for h := 6; h < 24; h += 6 {
			y := yOf(h * 60)
			fill(img, image.Rect(x0, y, x1, y+1), colGrid)
		}
		for _, g := range d.Gaps {
			hatch(img, image.Rect(x0, yOf(g.Start), x1, yOf(g.End)))
		}
		for _, s := range d.Sleep {
			blend(img, image.Rect(x0, yOf(s.Start), x1, yOf(s.End)), colSleep, sleepAlpha(s.Confidence))
		}
		for _, a := range d.Awake {
			y0, y1 := yOf(a[0]), yOf(a[1])
			if y1-y0 < 2 {
				y1 = y0 + 2 // a single post is a tick, not nothing
			}
			draw.Draw(img, image.Rect(x0, y0, x1, y1), bars, image.Pt(x0-plotX0, y0-plotY0), draw.Src)
		}
		if err == nil && (i%7 == 0 || i == n-1 && labelLast(n)) {
			textCenter(img, r.small, colMuted, (x0+x1)/2, plotY1+24, r.t.DateShort(date))
		}
		if len(d.Zone) > 0 {
			r.zoneMark(img, x0, x1, d.Zone)
		}
	}
	r.legend(img, rec.Version)
}

// zoneMark flags the column [x0, x1) of a date on which the person's time zone changed: a strip
// along the top of the column and "+8h" above it, as the calendar marks the day's header, so
// nights that jump by hours from that date on are not read as a broken rhythm. It sits between
// the header and the plot, never over the bars, kept within the plot's width.
func (r *renderer) zoneMark(img *image.RGBA, x0, x1 int, hours []int) {
	marks := make([]string, 0, len(hours))
	for _, h := range hours {
		if validZoneHours(h) {
			marks = append(marks, zoneMark(h))
		}
	}
	if len(marks) == 0 {
		return
	}
	fill(img, image.Rect(x0, plotY0-5, x1, plotY0-2), colAccent)
	s := strings.Join(marks, " ")
	w := font.MeasureString(r.label, s).Ceil()
	x := max(plotX0, min(plotX1-w, (x0+x1)/2-w/2))
	text(img, r.label, colAccent, x, plotY0-10, s)
}

// legend draws, under the plot and right-aligned to it, a swatch for everything drawn.
func (r *renderer) legend(img *image.RGBA, version int) {
	t := r.t
	type item struct {
		label  string
		swatch func(image.Rectangle)
	}
	solid := func(c color.RGBA) func(image.Rectangle) { return func(rc image.Rectangle) { fill(img, rc, c) } }
	items := []item{{t.LegendPosting, solid(colAwake)}}
	if version >= 2 {
		items = append(items,
			item{t.LegendAsleep, func(rc image.Rectangle) { fill(img, rc, colNight); blend(img, rc, colSleep, sleepAlpha(100)) }},
			item{t.LegendNoData, func(rc image.Rectangle) { hatch(img, rc) }})
	} else {
		items = append(items, item{t.LegendQuiet, solid(colNight)})
	}
	items = append(items, item{t.LegendWeekend, func(rc image.Rectangle) {
		fill(img, rc, colWeekend)
		fill(img, image.Rect(rc.Min.X, rc.Max.Y-4, rc.Max.X, rc.Max.Y), colWeekendMark)
	}})
	x, y := plotX1, plotY1+52
	for i := len(items) - 1; i >= 0; i-- {
		w := font.MeasureString(r.small, items[i].label).Ceil()
		textRight(img, r.small, colMuted, x, y, items[i].label)
		sx := x - w - 22
		items[i].swatch(image.Rect(sx, y-12, sx+14, y+2))
		x = sx - 24
	}
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

// blend lays c over rc with opacity alpha.
func blend(img *image.RGBA, rc image.Rectangle, c color.RGBA, alpha float64) {
	rc = rc.Intersect(img.Rect)
	a := uint32(alpha*256 + 0.5)
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		row := img.Pix[img.PixOffset(rc.Min.X, y):img.PixOffset(rc.Max.X, y)]
		for x := 0; x < len(row); x += 4 {
			row[x] = uint8((uint32(row[x])*(256-a) + uint32(c.R)*a) >> 8)
			row[x+1] = uint8((uint32(row[x+1])*(256-a) + uint32(c.G)*a) >> 8)
			row[x+2] = uint8((uint32(row[x+2])*(256-a) + uint32(c.B)*a) >> 8)
		}
	}
}

// hatch draws "no data": grey with diagonal stripes, unlike any sleep or awake colour.
func hatch(img *image.RGBA, rc image.Rectangle) {
	rc = rc.Intersect(img.Rect)
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		for x := rc.Min.X; x < rc.Max.X; x++ {
			c := colNoData
			if (x+y)%8 < 2 {
				c = colNoDataLine
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 0xff
		}
	}
}

// labelLast reports whether the last column gets a date label too: only when it is far enough
// from the weekly label before it not to collide.
func labelLast(n int) bool {
	since := (n - 1) % 7
	return since >= 4 && since*(plotX1-plotX0)/n >= 64
}

func (r *renderer) stats(img *image.RGBA, rec Record) {
	t, st := r.t, rec.Stats
	f := figuresOf(rec)
	items := []struct{ label, value, unit string }{
		{t.Wake, f.Wake, ""},
		{t.Bed, f.Bed, ""},
		{t.Sleep, f.Sleep, t.HoursUnit},
		{t.Regularity, f.SRI, ""},
	}
	const colW, y0, rowH = 150, 196, 118
	for i, it := range items {
		x := statsX0 + (i%2)*colW
		y := y0 + (i/2)*rowH
		text(img, r.label, colMuted, x, y, it.label)
		if it.value == "" {
			it.value, it.unit = "--", ""
		}
		adv := text(img, r.value, colText, x-2, y+50, it.value)
		if it.unit != "" {
			text(img, r.body, colMuted, adv+5, y+50, it.unit)
		}
	}
	fill(img, image.Rect(statsX0, 440, statsX1, 441), colGrid)
	const w = statsX1 - statsX0
	text(img, r.small, colMuted, statsX0, 472, fit(r.small, t.Days(len(rec.Days))+"  |  "+t.Posts(rec.PostCount), w))
	// A change of time zone comes first: it is why the nights jump, and often why they form
	// several patterns.
	var more []string
	if zones := zoneChangesOf(rec); len(zones) == 1 {
		more = append(more, t.ZoneChanged(zones[0].Hours))
	} else if len(zones) > 1 {
		more = append(more, t.ZoneChanges(len(zones)))
	}
	if st.Nights > 0 {
		more = append(more, t.Nights(st.Nights))
	}
	if st.AllNighters > 0 {
		more = append(more, t.AllNighters(st.AllNighters))
	}
	if len(st.Patterns) >= 2 {
		more = append(more, t.Patterns(len(st.Patterns)))
	}
	if len(more) > 0 {
		text(img, r.small, colMuted, statsX0, 496, fitItems(r.small, more, "  |  ", w))
	}
	if rec.Source == SourceArchive {
		text(img, r.label, colAccent, statsX0, 522, fit(r.label, t.FromArchive, w))
	}
	text(img, r.body, colMuted, statsX0, 560, t.SeeYours)
	text(img, r.brand, colAccent, statsX0, 600, fit(r.brand, printable(r.brand, rec.Site, 40), w))
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

// printable keeps the runes f can draw (others become '?') and caps the length at n runes.
func printable(f *fallbackFace, s string, n int) string {
	var b strings.Builder
	count := 0
	for _, r := range s {
		if count == n {
			b.WriteString("...")
			break
		}
		if r >= 0x20 && r != 0x7f && f.has(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
		count++
	}
	return b.String()
}

// fit shortens s with "..." until it is at most w pixels wide in f.
func fit(f font.Face, s string, w int) string {
	if font.MeasureString(f, s).Ceil() <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		if c := string(rs) + "..."; font.MeasureString(f, c).Ceil() <= w {
			return c
		}
	}
	return ""
}

// fitItems joins as many of items, in order, as fit in w pixels: an item is left out whole rather
// than cut in the middle ("time zone changed +8h  |  27 ni..."). A first item too long on its own
// is cut as fit cuts it.
func fitItems(f font.Face, items []string, sep string, w int) string {
	if len(items) == 0 {
		return ""
	}
	line := items[0]
	for _, it := range items[1:] {
		next := line + sep + it
		if font.MeasureString(f, next).Ceil() > w {
			break
		}
		line = next
	}
	return fit(f, line, w)
}

// dateSpan is "Oct 25 - Nov 21, 2026" (or its Japanese form) for the first and last day.
func dateSpan(t *cardTexts, days []RecordDay) string {
	if len(days) == 0 {
		return ""
	}
	a, err1 := time.Parse(dateLayout, days[0].Date)
	b, err2 := time.Parse(dateLayout, days[len(days)-1].Date)
	if err1 != nil || err2 != nil {
		return ""
	}
	return t.DateSpan(a, b)
}
