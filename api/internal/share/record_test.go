package share

import (
	"bytes"
	"crypto/rand"
	"reflect"
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
		{"..", false},
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
		if !ValidID(id) {
			t.Fatalf("newID produced invalid %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
	if _, err := newID(bytes.NewReader(make([]byte, 3))); err == nil {
		t.Fatal("short random source: want error")
	}
}

func TestNewRecord(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	clock, bad := "07:05", "7:5"
	sleep, sri := 6.44, 61.96
	a := analyzer.Analysis{
		Timezone: "America/New_York", PostCount: 9,
		Days: []analyzer.Day{
			// Nov 1 2026 is the fall-back day: wall-clock minutes are kept.
			{Date: "2026-11-01", Awake: []analyzer.Interval{
				{Start: at(1, 7, 5), End: at(1, 9, 30)},
				{Start: at(1, 22, 0), End: at(2, 0, 0)}, // clipped at the next midnight
			}},
			{Date: "2026-11-02", Awake: []analyzer.Interval{
				{Start: at(2, 0, 0), End: at(2, 0, 0)}, // zero-length piece: dropped
				{Start: at(2, 0, 0), End: at(2, 1, 15)},
			}},
		},
		Stats: analyzer.Stats{WakeTime: &clock, BedTime: &bad, SleepHours: &sleep, SRI: &sri, ActiveDays: 2},
	}
	created := time.Date(2026, 11, 3, 10, 0, 0, 0, loc)
	rec, err := NewRecord("AAAAAAAAAAAAAAAAAAAAAA", "42", "owl", "nezame.example", created, a)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []RecordDay{
		{Date: "2026-11-01", Awake: [][2]int{{425, 570}, {1320, 1440}}},
		{Date: "2026-11-02", Awake: [][2]int{{0, 75}}},
	}
	if !reflect.DeepEqual(rec.Days, wantDays) {
		t.Errorf("days = %v, want %v", rec.Days, wantDays)
	}
	if rec.Stats.WakeTime == nil || *rec.Stats.WakeTime != "07:05" {
		t.Errorf("wake = %v, want 07:05", rec.Stats.WakeTime)
	}
	if rec.Stats.BedTime != nil {
		t.Errorf("malformed bedtime kept: %q", *rec.Stats.BedTime)
	}
	if *rec.Stats.SleepHours != 6.4 || *rec.Stats.SRI != 62 {
		t.Errorf("sleep, sri = %v, %v; want 6.4, 62", *rec.Stats.SleepHours, *rec.Stats.SRI)
	}
	if !rec.Created.Equal(created) || rec.Created.Location() != time.UTC {
		t.Errorf("created = %v, want %v in UTC", rec.Created, created)
	}
	if rec.Timezone != "America/New_York" || rec.PostCount != 9 || rec.Site != "nezame.example" {
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
	rec, err := NewRecord("AAAAAAAAAAAAAAAAAAAAAA", "1", "x", "h", first, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Days) != MaxDays || rec.Days[0].Date != a.Days[10].Date || rec.Days[MaxDays-1].Date != a.Days[len(a.Days)-1].Date {
		t.Errorf("kept %d days from %s to %s", len(rec.Days), rec.Days[0].Date, rec.Days[len(rec.Days)-1].Date)
	}
}

func TestNewRecordRejectsBadDate(t *testing.T) {
	t.Parallel()
	a := analyzer.Analysis{Days: []analyzer.Day{{Date: "2026-13-01"}}}
	if _, err := NewRecord("AAAAAAAAAAAAAAAAAAAAAA", "1", "x", "h", time.Now(), a); err == nil {
		t.Fatal("want error for a malformed date")
	}
}
