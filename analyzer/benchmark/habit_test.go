package benchmark

import (
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer/simulate"
)

// TestHabit: a person who sleeps 23:00-07:00 before work days and 01:00-10:00 before free days
// (Saturday, Sunday) is predicted so every night, across a change of clocks; one night kept two
// hours late is predicted by the habit, not as kept, and its minutes are the only ones wrong.
func TestHabit(t *testing.T) {
	t.Parallel()
	zone, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p := simulate.Person{Zone: zone}
	var ts []int64
	day0 := time.Date(2026, 10, 19, 0, 0, 0, 0, zone) // a Monday; the zone leaves summer time on the 25th
	for d := range 14 {
		noon := day0.AddDate(0, 0, d)
		noon = time.Date(noon.Year(), noon.Month(), noon.Day(), 12, 0, 0, 0, zone)
		on, long := 11*time.Hour, 8*time.Hour // 23:00, 8 h
		if wd := noon.AddDate(0, 0, 1).Weekday(); wd == time.Saturday || wd == time.Sunday {
			on, long = 13*time.Hour, 9*time.Hour // 01:00, 9 h
		}
		if d == 9 { // one Wednesday night kept two hours late
			on = 13 * time.Hour
		}
		start := noon.Add(on)
		iv := simulate.Interval{Start: start.UnixMilli(), End: start.Add(long).UnixMilli()}
		p.Mains = append(p.Mains, iv)
		p.Sleeps = append(p.Sleeps, iv)
		ts = append(ts, noon.Add(-2*time.Hour).UnixMilli(), noon.Add(8*time.Hour).UnixMilli())
	}
	a := Habit(p, ts)
	if a.Method != MethodHabit {
		t.Errorf("method %q", a.Method)
	}
	// The first post (Monday 10:00) is in Sunday's night; the night before it can still reach
	// into the span, so nights run from Saturday's to the last post's (Sunday, two weeks on).
	if len(a.Sleeps) != 16 {
		t.Fatalf("%d sleeps, want 16", len(a.Sleeps))
	}
	for i, s := range a.Sleeps {
		want := day0.AddDate(0, 0, i-2)
		want = time.Date(want.Year(), want.Month(), want.Day(), 23, 0, 0, 0, zone)
		long := 8 * time.Hour
		if wd := want.Add(2 * time.Hour).Weekday(); wd == time.Saturday || wd == time.Sunday {
			want, long = want.Add(2*time.Hour), 9*time.Hour
		}
		if !s.Start.Equal(want) || s.End.Sub(s.Start) != long || !s.Main || s.Confidence != 1 {
			t.Errorf("sleep %d: %v to %v (main %v, confidence %v), want %v for %v", i, s.Start.In(zone), s.End.In(zone), s.Main, s.Confidence, want, long)
		}
	}
	sc := ScoreAnalysis(p, ts, a)
	wrong := 2 * 2 * 60 // the late Wednesday: two hours claimed before it, two slept after
	if want := float64(sc.Minutes-int64(wrong)) / float64(sc.Minutes); sc.Accuracy() != want {
		t.Errorf("accuracy %v, want %v", sc.Accuracy(), want)
	}
	if got := Habit(simulate.Person{Zone: zone}, ts); len(got.Sleeps) != 0 {
		t.Errorf("no true nights: %d sleeps", len(got.Sleeps))
	}
}
