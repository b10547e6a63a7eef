package share

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

func TestValidID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"AAAAAAAAAAAAAAAAAAAAAA", true},
		{"abcdefghijklmnopq_-01w", true},
		{"", false},
		{"AAAAAAAAAAAAAAAAAAAAA", false},   // 21 chars
		{"AAAAAAAAAAAAAAAAAAAAAAA", false}, // 23 chars
		{"AAAAAAAAAAAAAAAAAAAAAB", false},  // padding bits set: not 16 bytes exactly
		{"AAAAAAAAAAAAAAAAAAAA+A", false},  // standard base64 alphabet
		{"AAAAAAAAAAAAAAAAAAAA/A", false},
		{"AAAAAAAAAAAAAAAAAAAA.A", false},
		{"../etc/passwd", false},
		{"%2e%2e", false},
		{"AAAAAAAAAAAAAAAAAAAAAA\n", false},
		{"AAAAAAAAAAAAAAAAAAAAAA.png", false},
	}
	for _, tc := range tests {
		if got := ValidID(tc.id); got != tc.want {
			t.Errorf("ValidID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestNewIDIsValidAndRandom(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		id, err := newID(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !ValidID(id) || seen[id] {
			t.Fatalf("newID produced invalid or repeated %q", id)
		}
		seen[id] = true
	}
	if _, err := newID(bytes.NewReader(make([]byte, 3))); err == nil {
		t.Fatal("short random source: want error")
	}
}

// newRecord cuts sleeps and gaps at local midnights into per-day minute ranges, in the
// analysis' own zone, and keeps the statistics exactly as given.
func TestNewRecordCutsSleepsAndGapsPerDay(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	clock, bad := "07:05", "7:5"
	sleep, sri := 6.44, 61.96
	a := analyzer.Analysis{
		Timezone: "America/New_York", Method: "gaprule/2020", PostCount: 9,
		Days: []analyzer.Day{
			// Nov 1 2026 is the fall-back day: wall-clock minutes are kept.
			{Date: "2026-11-01", Awake: []analyzer.Interval{
				{Start: at(1, 7, 8), End: at(1, 9, 30)}, // drawn on the 15-minute grid: 07:15
				{Start: at(1, 22, 0), End: at(2, 0, 0)}, // clipped at the next midnight
			}},
			{Date: "2026-11-02", Awake: []analyzer.Interval{
				{Start: at(2, 0, 0), End: at(2, 0, 0)}, // zero-length piece: dropped
				{Start: at(2, 0, 0), End: at(2, 1, 15)},
			}},
		},
		Sleeps: []analyzer.Sleep{
			{Start: at(1, 9, 30), End: at(1, 11, 0), Confidence: 0.4},                           // a nap
			{Start: at(2, 1, 15).In(time.UTC), End: at(2, 8, 0), Confidence: 0.926, Main: true}, // given in UTC
		},
		Gaps: []analyzer.Gap{{Start: at(1, 0, 0), End: at(1, 7, 8), Reason: analyzer.GapBeforeFirstPost},
			{Start: at(2, 20, 0), End: at(3, 0, 0), Reason: analyzer.GapFuture}},
		Stats: analyzer.Stats{WakeTime: &clock, BedTime: &bad, SleepHours: &sleep, SRI: &sri, ActiveDays: 2, Nights: 1,
			Patterns: []analyzer.Pattern{{WakeTime: "07:00", BedTime: "23:00", Nights: 3}, {WakeTime: "x", BedTime: "23:00"}}},
	}
	rec, err := newRecord(a, loc)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []RecordDay{
		{Date: "2026-11-01", Awake: [][2]int{{435, 570}, {1320, 1440}},
			Sleep: []SleepSpan{{Start: 570, End: 660, Confidence: 40}},
			Gaps:  []GapSpan{{Start: 0, End: 435, Reason: "before_first_post"}}},
		{Date: "2026-11-02", Awake: [][2]int{{0, 75}},
			Sleep: []SleepSpan{{Start: 75, End: 480, Confidence: 93, Main: true}},
			Gaps:  []GapSpan{{Start: 1200, End: 1440, Reason: "future"}}},
	}
	if !reflect.DeepEqual(rec.Days, wantDays) {
		t.Errorf("days =\n%+v\nwant\n%+v", rec.Days, wantDays)
	}
	if rec.Stats.WakeTime == nil || *rec.Stats.WakeTime != "07:05" || rec.Stats.BedTime != nil {
		t.Errorf("wake, bed = %v, %v; want 07:05 and the malformed bedtime dropped", rec.Stats.WakeTime, rec.Stats.BedTime)
	}
	if *rec.Stats.SleepHours != 6.44 || *rec.Stats.SRI != 61.96 || rec.Stats.Nights != 1 {
		t.Errorf("stats = %+v; want the analysis' figures unrounded", rec.Stats)
	}
	if len(rec.Stats.Patterns) != 1 || rec.Stats.Patterns[0] != (RecordPattern{"07:00", "23:00", 3}) {
		t.Errorf("patterns = %+v", rec.Stats.Patterns)
	}
	if rec.Version != RecordVersion || rec.Timezone != "America/New_York" || rec.Method != "gaprule/2020" || rec.PostCount != 9 {
		t.Errorf("header fields = %+v", rec)
	}
}

func TestNewRecordKeepsLatestDays(t *testing.T) {
	t.Parallel()
	var a analyzer.Analysis
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range MaxDays + 10 {
		a.Days = append(a.Days, analyzer.Day{Date: first.AddDate(0, 0, i).Format("2006-01-02")})
	}
	rec, err := newRecord(a, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Days) != MaxDays || rec.Days[0].Date != a.Days[10].Date || rec.Days[MaxDays-1].Date != a.Days[len(a.Days)-1].Date {
		t.Errorf("kept %d days from %s to %s", len(rec.Days), rec.Days[0].Date, rec.Days[len(rec.Days)-1].Date)
	}
	if _, err := newRecord(analyzer.Analysis{Days: []analyzer.Day{{Date: "2026-13-01"}}}, time.UTC); err == nil {
		t.Fatal("want an error for a malformed date")
	}
}

// A record stored before sleeps and gaps existed (version 0) still decodes and renders.
func TestFirstVersionRecordStillRenders(t *testing.T) {
	t.Parallel()
	v1 := []byte(`{"id":"AAAAAAAAAAAAAAAAAAAAAA","owner":"1001","screenName":"night_owl_42","tz":"Asia/Tokyo",` +
		`"created":"2026-11-22T09:00:00Z","site":"nezame.example","posts":812,` +
		`"days":[{"d":"2026-11-01","a":[[450,1440]]},{"d":"2026-11-02","a":[[0,60],[480,1380]]}],` +
		`"stats":{"wake":"07:52","bed":"00:41","sleepH":6.4,"sri":62,"activeDays":28,"allNighters":1}}`)
	var rec Record
	if err := json.Unmarshal(v1, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Version != 0 || len(rec.Days) != 2 || *rec.Stats.SRI != 62 {
		t.Fatalf("decoded %+v", rec)
	}
	b, err := renderCard(rec)
	if err != nil {
		t.Fatal(err)
	}
	img := decodeCard(t, b)
	// Version 0 has no sleeps: what is not awake is drawn as the old "asleep or quiet" canvas.
	if got := rgb(img, colCenter(1, 2), rowAt(4*60)); got != colNight {
		t.Errorf("v0 night pixel = %v, want the canvas %v", got, colNight)
	}
}

// Each change of time zone is kept as its hours on the local date of its instant; changes that
// make no sense or fall outside the days kept are left out, as the calendar leaves them out.
func TestNewRecordPutsZoneChangesOnTheirDates(t *testing.T) {
	t.Parallel()
	loc := fixtureLoc(t)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, loc) }
	a := analyzer.Analysis{Days: []analyzer.Day{{Date: "2026-11-01"}, {Date: "2026-11-02"}, {Date: "2026-11-03"}}}
	a.ZoneChanges = []analyzer.ZoneChange{
		{At: at(1, 3), Hours: 2},                                // too small to be a move
		{At: at(1, 23).In(time.UTC), Hours: 8},                  // given in UTC: still Nov 1 in Tokyo
		{At: at(2, 0), Hours: -12},                              // out of range: −12 is +12
		{At: at(2, 5), Hours: 13},                               // out of range
		{At: at(3, 6), Hours: -7},                               // on the last day
		{At: at(3, 18), Hours: 12},                              // a second one that day
		{At: at(4, 0), Hours: 5},                                // after the days kept
		{At: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), Hours: 4}, // before them
		{Hours: 6}, // no instant
	}
	rec, err := newRecord(a, loc)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{8}, nil, {-7, 12}}
	for i, d := range rec.Days {
		if !reflect.DeepEqual(d.Zone, want[i]) {
			t.Errorf("%s: zone = %v, want %v", d.Date, d.Zone, want[i])
		}
	}
	if got := zoneChangesOf(rec); len(got) != 3 || got[0] != (recordZoneChange{"2026-11-01", 8}) {
		t.Errorf("zoneChangesOf = %+v", got)
	}
	// A day without a change stores no "z": records stay as small as before.
	raw, _ := json.Marshal(rec.Days[1])
	if bytes.Contains(raw, []byte(`"z"`)) {
		t.Errorf("day without a change stored as %s", raw)
	}
}

// A record stored before zone changes existed decodes without any, and renders the same card
// as that record with no change.
func TestRecordWithoutZoneChangesRendersAsBefore(t *testing.T) {
	t.Parallel()
	rec := fixtureRecord(t)
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(`"z":`)) {
		t.Fatalf("fixture record without a change stores one: %s", raw)
	}
	withBad := rec
	withBad.Days = slices.Clone(rec.Days)
	withBad.Days[3].Zone = []int{2, 0, -13} // none makes sense: no mark, no line
	if !bytes.Equal(mustRender(t, rec), mustRender(t, withBad)) {
		t.Error("changes that make no sense changed the card")
	}
}
