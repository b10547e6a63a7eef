package share

import (
	"bytes"
	"encoding/json"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/image/font/basicfont"
)

var update = flag.Bool("update", false, "rewrite testdata/card_thumb*.png from the current renderer")

var writePNG = flag.String("write-png", "", "also write the fixture cards to this directory (for eyeballing)")

func decodeCard(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, 1200, 630) {
		t.Fatalf("bounds = %v, want 1200x630", got)
	}
	return img
}

func rgb(img image.Image, x, y int) color.RGBA {
	r, g, b, _ := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
}

func TestRenderWrite(t *testing.T) {
	if *writePNG == "" {
		t.Skip("-write-png not given")
	}
	for name, record := range map[string]func(testing.TB) Record{"card-": fixtureRecord, "card-traveller-": travellerRecord} {
		for _, lang := range []string{LangEnglish, LangJapanese} {
			rec := record(t)
			rec.Lang = lang
			if lang == LangJapanese {
				rec.Source = SourceArchive
			}
			b, err := renderCard(rec)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(*writePNG, name+lang+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	raw, _ := json.Marshal(fixtureRecord(t))
	t.Logf("record: %d bytes", len(raw))
}

// colCenter is the x at the middle of day column i of n.
func colCenter(i, n int) int {
	x0 := plotX0 + i*(plotX1-plotX0)/n
	x1 := plotX0 + (i+1)*(plotX1-plotX0)/n - 2
	return (x0 + x1) / 2
}

// rowAt is the y of a local time in minutes.
func rowAt(min int) int { return plotY0 + min*(plotY1-plotY0)/(24*60) }

func isHatch(c color.RGBA) bool  { return c == colNoData || c == colNoDataLine }
func isSleep(c color.RGBA) bool  { return int(c.B) > int(c.R)+60 && int(c.B) > int(c.G)+40 }
func isWarm(c color.RGBA) bool   { return c.R >= 0xf0 && c.G >= 0x80 && c.G <= 0xe8 && c.B <= 0x95 }
func isCanvas(c color.RGBA) bool { return c == colNight || c == colWeekend }

// The card draws what the analysis says: sleep episodes, stretches without data as no data
// (never as sleep), posting runs; the canvas where it says nothing.
func TestRenderDrawsSleepsGapsAndPosts(t *testing.T) {
	t.Parallel()
	rec := fixtureRecord(t)
	b, err := renderCard(rec)
	if err != nil {
		t.Fatal(err)
	}
	img := decodeCard(t, b)
	n := len(rec.Days)
	tests := []struct {
		name string
		x, y int
		want func(color.RGBA) bool
	}{
		{"before the first post (Oct 25, 05:00) is no data", colCenter(0, n), rowAt(5 * 60), isHatch},
		{"a night's sleep (Mon Oct 26, 05:00)", colCenter(1, n), rowAt(5 * 60), isSleep},
		{"awake and posting (Mon Oct 26, 12:00)", colCenter(1, n), rowAt(12 * 60), isWarm},
		// The fixture's long afternoon silences read as quiet waking, not as naps.
		{"a silent afternoon without a sleep (Mon Oct 26, 16:30) is not drawn as sleep", colCenter(1, n), rowAt(16*60 + 30),
			func(c color.RGBA) bool { return !isSleep(c) && !isHatch(c) }},
		{"the all-nighter (Nov 12, 05:00) is awake", colCenter(18, n), rowAt(5 * 60), isWarm},
		{"four silent days (Nov 14, 12:00) are no data, not sleep", colCenter(20, n), rowAt(12 * 60), isHatch},
		{"background left margin", 20, 400, func(c color.RGBA) bool { return c == colBackground }},
		{"accent bar on top", 600, 3, func(c color.RGBA) bool { return c == colAccent }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rgb(img, tc.x, tc.y); !tc.want(got) {
				t.Errorf("pixel (%d,%d) = %#v", tc.x, tc.y, got)
			}
		})
	}
}

// The weekend marked under the plot is the zone's, the one the statistics read: Saturday and
// Sunday in Tokyo, Friday and Saturday in Riyadh.
func TestRenderMarksTheZonesWeekend(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone string
		rest [2]time.Weekday
	}{
		{"Asia/Tokyo", [2]time.Weekday{time.Saturday, time.Sunday}},
		{"Asia/Riyadh", [2]time.Weekday{time.Friday, time.Saturday}},
	} {
		rec := fixtureRecord(t)
		rec.Timezone = tc.zone
		b, err := renderCard(rec)
		if err != nil {
			t.Fatal(err)
		}
		img := decodeCard(t, b)
		n, marked := len(rec.Days), 0
		for i, d := range rec.Days {
			date, err := time.Parse(dateLayout, d.Date)
			if err != nil {
				t.Fatal(err)
			}
			want := date.Weekday() == tc.rest[0] || date.Weekday() == tc.rest[1]
			if got := rgb(img, colCenter(i, n), plotY1+5) == colWeekendMark; got != want {
				t.Errorf("%s: %s (%s) marked %v, want %v", tc.zone, d.Date, date.Weekday(), got, want)
			}
			if want {
				marked++
			}
		}
		if marked < 4 {
			t.Errorf("%s: only %d weekend days in the fixture", tc.zone, marked)
		}
	}
}

// A change of time zone is flagged above its date's column (a strip and "+8h" in the accent
// colour, off the bars) and named in the stats; no other column is flagged.
func TestRenderMarksZoneChanges(t *testing.T) {
	t.Parallel()
	rec := travellerRecord(t)
	changed := slices.IndexFunc(rec.Days, func(d RecordDay) bool { return len(d.Zone) > 0 })
	if changed < 0 {
		t.Fatal("the traveller's record holds no change of time zone")
	}
	plain := rec
	plain.Days = slices.Clone(rec.Days)
	plain.Days[changed].Zone = nil
	img, before := decodeCard(t, mustRender(t, rec)), decodeCard(t, mustRender(t, plain))
	n := len(rec.Days)
	for i := range rec.Days {
		if got := rgb(img, colCenter(i, n), plotY0-3) == colAccent; got != (i == changed) {
			t.Errorf("column %d (%s) flagged %v", i, rec.Days[i].Date, got)
		}
	}
	// The label's ink is above the plot, and nothing inside the plot changed.
	ink := 0
	for y := plotY0 - 24; y < plotY0-6; y++ {
		for x := colCenter(changed, n) - 20; x < colCenter(changed, n)+20; x++ {
			if rgb(img, x, y) == colAccent {
				ink++
			}
		}
	}
	if ink < 20 {
		t.Errorf("the mark's label has %d accent pixels, want it drawn", ink)
	}
	for y := plotY0; y < plotY1; y += 3 {
		for x := plotX0; x < plotX1; x += 3 {
			if rgb(img, x, y) != rgb(before, x, y) {
				t.Fatalf("the mark drew over the plot at (%d,%d)", x, y)
			}
		}
	}
	// The stats' small line names it.
	differ := 0
	for y := 482; y < 502; y++ {
		for x := statsX0; x < statsX1; x++ {
			if rgb(img, x, y) != rgb(before, x, y) {
				differ++
			}
		}
	}
	if differ < 50 {
		t.Errorf("the stats line differs by %d pixels with the change, want it named", differ)
	}
}

// Confidence is drawn as opacity: a sure sleep is solid, a doubtful one a tint of the canvas.
// Time that is neither sleep, no data nor posting stays canvas.
func TestRenderSleepConfidenceAndTicks(t *testing.T) {
	t.Parallel()
	rec := Record{Version: RecordVersion, Lang: LangEnglish, Timezone: "UTC", Days: []RecordDay{
		{Date: "2026-11-02", Awake: [][2]int{{600, 600 + 1}}, Sleep: []SleepSpan{{Start: 0, End: 420, Confidence: 100, Main: true}}},
		{Date: "2026-11-03", Awake: [][2]int{}, Sleep: []SleepSpan{{Start: 0, End: 420, Confidence: 20}}},
	}}
	img := decodeCard(t, mustRender(t, rec))
	sure, doubtful := rgb(img, colCenter(0, 2), rowAt(3*60)), rgb(img, colCenter(1, 2), rowAt(3*60))
	if sure != colSleep {
		t.Errorf("confidence 1 = %v, want solid %v", sure, colSleep)
	}
	if !isSleep(doubtful) || doubtful == sure || doubtful.B >= sure.B {
		t.Errorf("confidence 0.2 = %v, want a lighter tint than %v", doubtful, sure)
	}
	if got := rgb(img, colCenter(1, 2), rowAt(13*60)); !isCanvas(got) {
		t.Errorf("unclassified 13:00 = %v, want the canvas", got)
	}
	if got := rgb(img, colCenter(0, 2), rowAt(600)); !isWarm(got) {
		t.Errorf("a one-minute post run = %v, want a visible tick", got)
	}
}

func mustRender(t testing.TB, rec Record) []byte {
	t.Helper()
	b, err := renderCard(rec)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The Japanese card draws its labels with the Japanese font: the label area has ink, and it
// differs from the English card's.
func TestRenderJapanese(t *testing.T) {
	t.Parallel()
	en := fixtureRecord(t)
	ja := en
	ja.Lang = LangJapanese
	a, b := decodeCard(t, mustRender(t, en)), decodeCard(t, mustRender(t, ja))
	ink, differ := 0, 0
	for y := 176; y < 198; y++ { // the first stats label: "WAKE UP" / "起床"
		for x := statsX0; x < statsX0+60; x++ {
			if rgb(b, x, y) != colBackground {
				ink++
			}
			if rgb(a, x, y) != rgb(b, x, y) {
				differ++
			}
		}
	}
	if ink < 30 || differ < 30 {
		t.Errorf("Japanese label: %d inked and %d differing pixels, want the glyphs drawn", ink, differ)
	}
}

// Every character of the Japanese card strings is in the subset font (regenerate it with
// scripts/subset-card-font.py after adding one).
func TestCardFontCoversTexts(t *testing.T) {
	t.Parallel()
	f, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	face, err := f.face(f.regular, 16)
	if err != nil {
		t.Fatal(err)
	}
	jt := japaneseCard
	d := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	all := []string{jt.SleepCalendar, jt.Tagline, jt.SeeYours, jt.FromArchive, jt.NoPosts, jt.Wake, jt.Bed, jt.Sleep,
		jt.Regularity, jt.HoursUnit, jt.LegendPosting, jt.LegendAsleep, jt.LegendNoData, jt.LegendQuiet, jt.LegendWeekend,
		jt.Days(28), jt.Posts(812), jt.AllNighters(2), jt.Nights(26), jt.Patterns(2), jt.TimesIn("Asia/Tokyo"),
		jt.DateShort(d), jt.DateSpan(d, d.AddDate(0, 0, 1)), jt.DateSpan(d, d.AddDate(0, 0, 2)),
		jt.ZoneChanged(8), jt.ZoneChanged(-7), jt.ZoneChanges(2), englishCard.ZoneChanged(-7)}
	for _, s := range all {
		for _, r := range s {
			if !face.(*fallbackFace).has(r) {
				t.Errorf("no glyph for %q in %q", r, s)
			}
		}
	}
}

func TestRenderDeterministic(t *testing.T) {
	t.Parallel()
	rec := fixtureRecord(t)
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mustRender(t, rec), mustRender(t, back)) {
		t.Fatal("the record and its stored JSON rendered to different bytes")
	}
	other := rec
	other.ScreenName = "early_bird"
	if bytes.Equal(mustRender(t, rec), mustRender(t, other)) {
		t.Fatal("different handles rendered to identical bytes")
	}
}

func TestRenderEdgeRecords(t *testing.T) {
	t.Parallel()
	long := fixtureRecord(t)
	for len(long.Days) < MaxDays {
		long.Days = append(long.Days, long.Days...)
	}
	long.Days = long.Days[:MaxDays]
	tests := []struct {
		name string
		rec  Record
	}{
		{"empty", Record{Version: RecordVersion, ScreenName: "silent", Site: "localhost:8080", Days: []RecordDay{}}},
		{"max days", long},
		{"anonymous archive in Japanese", Record{Version: RecordVersion, Lang: LangJapanese, Source: SourceArchive, Timezone: "Asia/Tokyo"}},
		{"odd text and out-of-range values", Record{ScreenName: "夜ふかし\x00" + string(rune(0x10ffff)), Timezone: "America/Argentina/ComodRivadavia",
			Days: []RecordDay{{Date: "bad-date", Awake: [][2]int{{-50, 99999}}, Sleep: []SleepSpan{{Start: -5, End: 5000, Confidence: 900}},
				Gaps: []GapSpan{{Start: 3000, End: -1}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			decodeCard(t, mustRender(t, tc.rec))
		})
	}
}

// TestRenderGolden compares a 120×63 nearest-neighbour thumbnail of each card with its golden
// one, which keeps the golden files tiny while still catching layout changes. Run with -update
// (and bump RendererVersion if a card already shared would change) after an intended change.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		golden string
		rec    func(testing.TB) Record
	}{
		{"card_thumb.png", fixtureRecord},
		{"card_thumb_traveller.png", travellerRecord}, // a change of time zone marked
	} {
		t.Run(tc.golden, func(t *testing.T) {
			t.Parallel()
			img := decodeCard(t, mustRender(t, tc.rec(t)))
			thumb := image.NewRGBA(image.Rect(0, 0, 120, 63))
			for y := range 63 {
				for x := range 120 {
					thumb.SetRGBA(x, y, rgb(img, x*10+5, y*10+5))
				}
			}
			path := filepath.Join("testdata", tc.golden)
			if *update {
				var buf bytes.Buffer
				if err := png.Encode(&buf, thumb); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update to create): %v", err)
			}
			golden, err := png.Decode(bytes.NewReader(f))
			if err != nil {
				t.Fatal(err)
			}
			diff := 0
			for y := range 63 {
				for x := range 120 {
					if rgb(golden, x, y) != thumb.RGBAAt(x, y) {
						diff++
					}
				}
			}
			if diff > 0 {
				t.Errorf("%d of %d thumbnail pixels differ from %s", diff, 120*63, path)
			}
		})
	}
}

// BenchmarkRender is one card of the 28-day fixture as the service draws it (fonts parsed once
// per process). Target: ≤ 30 ms.
func BenchmarkRender(b *testing.B) {
	for _, lang := range []string{LangEnglish, LangJapanese} {
		b.Run(lang, func(b *testing.B) {
			rec := fixtureRecord(b)
			rec.Lang = lang
			f, err := loadFonts()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.render(rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// renderCard draws rec as the service does, with freshly loaded fonts.
func renderCard(rec Record) ([]byte, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return f.render(rec)
}

func TestFitItems(t *testing.T) {
	t.Parallel()
	face := basicfont.Face7x13 // 7 px a character
	for _, tc := range []struct {
		name  string
		items []string
		w     int
		want  string
	}{
		{"none", nil, 100, ""},
		{"all fit", []string{"ab", "cd", "ef"}, 7 * 12, "ab | cd | ef"},
		{"the last left out whole", []string{"ab", "cd", "efgh"}, 7 * 13, "ab | cd"},
		{"a later one that would fit is not taken after one that does not", []string{"ab", "cdefgh", "i"}, 7 * 8, "ab"},
		{"a first item too long is cut", []string{"abcdefghij", "k"}, 7 * 6, "abc..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fitItems(face, tc.items, " | ", tc.w); got != tc.want {
				t.Errorf("fitItems(%q, %d px) = %q, want %q", tc.items, tc.w, got, tc.want)
			}
		})
	}
}
