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
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/card_thumb.png from the current renderer")

// colCenter is the x at the middle of day column i of n.
func colCenter(i, n int) int {
	x0 := plotX0 + i*(plotX1-plotX0)/n
	x1 := plotX0 + (i+1)*(plotX1-plotX0)/n - 2
	return (x0 + x1) / 2
}

// rowAt is the y of a local time in minutes.
func rowAt(min int) int { return plotY0 + min*(plotY1-plotY0)/(24*60) }

func decodeCard(t *testing.T, b []byte) image.Image {
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

func TestRenderPixels(t *testing.T) {
	t.Parallel()
	b, err := Render(fixtureRecord(t))
	if err != nil {
		t.Fatal(err)
	}
	img := decodeCard(t, b)
	const n = 28
	warm := func(c color.RGBA) bool { return c.R >= 0xf0 && c.G >= 0x80 && c.G <= 0xe8 && c.B <= 0x95 }
	tests := []struct {
		name string
		x, y int
		want func(color.RGBA) bool
	}{
		{"background left margin", 20, 400, eq(colBackground)},
		{"background between plot and stats", 825, 300, eq(colBackground)},
		{"accent bar on top", 600, 3, eq(colAccent)},
		{"night on Monday Oct 26 at 04:00", colCenter(1, n), rowAt(4 * 60), eq(colNight)},
		{"weekend night on Sunday Oct 25 at 04:00", colCenter(0, n), rowAt(4 * 60), eq(colWeekend)},
		{"awake bar Monday Oct 26 at 10:00", colCenter(1, n), rowAt(10 * 60), warm},
		{"nap gap Monday Oct 26 at 14:50", colCenter(1, n), rowAt(14*60 + 50), eq(colNight)},
		{"all-nighter Nov 11 at 04:00 is awake", colCenter(17, n), rowAt(4 * 60), warm},
		{"hour grid line at 06:00 on a weekday night", colCenter(1, n), rowAt(6 * 60), eq(colGrid)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rgb(img, tc.x, tc.y); !tc.want(got) {
				t.Errorf("pixel (%d,%d) = %#v", tc.x, tc.y, got)
			}
		})
	}
}

func eq(want color.RGBA) func(color.RGBA) bool {
	return func(c color.RGBA) bool { return c == want }
}

// TestRenderGolden compares a 120×63 nearest-neighbour thumbnail of the card with the golden
// one, which keeps the golden file tiny while still catching layout changes. Run with -update
// (and bump RendererVersion) after an intended change.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	b, err := Render(fixtureRecord(t))
	if err != nil {
		t.Fatal(err)
	}
	img := decodeCard(t, b)
	thumb := image.NewRGBA(image.Rect(0, 0, 120, 63))
	for y := range 63 {
		for x := range 120 {
			thumb.SetRGBA(x, y, rgb(img, x*10+5, y*10+5))
		}
	}
	path := filepath.Join("testdata", "card_thumb.png")
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
}

func TestRenderDeterministic(t *testing.T) {
	t.Parallel()
	rec := fixtureRecord(t)
	a, err := Render(rec)
	if err != nil {
		t.Fatal(err)
	}
	// Round-trip through the stored JSON, as the service does before rendering.
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	b, err := Render(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("same record rendered to different bytes")
	}
	other := rec
	other.ScreenName = "early_bird"
	c, err := Render(other)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
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
		{"empty", Record{ScreenName: "silent", Site: "localhost:8080", Days: []RecordDay{}}},
		{"max days", long},
		{"non-ascii and out-of-range values", Record{ScreenName: "夜ふかし", Timezone: "Asia/Tokyo",
			Days: []RecordDay{{Date: "bad-date", Awake: [][2]int{{-50, 99999}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Render(tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			decodeCard(t, b)
		})
	}
}

func TestASCII(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"night_owl", 15, "night_owl"},
		{"夜a", 15, "?a"},
		{"abcdefgh", 4, "abcd..."},
		{"tab\there", 15, "tab?here"},
	}
	for _, tc := range tests {
		if got := ascii(tc.in, tc.n); got != tc.want {
			t.Errorf("ascii(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var writePNG = flag.String("write-png", "", "also write the fixture card to this path (for eyeballing)")

func TestRenderWrite(t *testing.T) {
	t.Parallel()
	if *writePNG == "" {
		return
	}
	b, err := Render(fixtureRecord(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*writePNG, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkRender(b *testing.B) {
	rec := fixtureRecord(b)
	if len(rec.Days) != 28 {
		b.Fatalf("fixture has %d days, want 28", len(rec.Days))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(rec); err != nil {
			b.Fatal(err)
		}
	}
}
