// Package sharetest builds archive summaries the way the web client does, for tests of the
// share package and of the server. It does not import share, so share's own tests can use it;
// a summary it builds that share refuses fails those tests, which keeps the grids the same.
package sharetest

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// GridMinutes is GridMinutes: the client's rounding grid.
const GridMinutes = 15

const grid = GridMinutes * time.Minute

// Summary is a as the web client sends it in POST /api/shares/archive: without periods and
// single posts, every time rounded to the nearest grid step of the local wall clock (spans
// that become empty dropped), clock times and durations rounded likewise, and the changes of
// time zone the card can show.
func Summary(t testing.TB, a analyzer.Analysis) []byte {
	t.Helper()
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	days := make([]analyzer.Day, len(a.Days))
	for i, d := range a.Days {
		days[i] = analyzer.Day{Date: d.Date, Awake: make([]analyzer.Interval, 0, len(d.Awake))}
		for _, iv := range d.Awake {
			days[i].Awake = append(days[i].Awake, analyzer.Interval{Start: Round(iv.Start, loc), End: Round(iv.End, loc)})
		}
	}
	sleeps := []analyzer.Sleep{}
	for _, s := range a.Sleeps {
		s.Start, s.End = Round(s.Start, loc), Round(s.End, loc)
		if s.Start.Before(s.End) {
			sleeps = append(sleeps, s)
		}
	}
	gaps := []analyzer.Gap{}
	for _, g := range a.Gaps {
		g.Start, g.End = Round(g.Start, loc), Round(g.End, loc)
		if g.Start.Before(g.End) {
			gaps = append(gaps, g)
		}
	}
	// Changes of time zone: on the grid too, inside [from, to], in strictly increasing order,
	// and only those the analysis can report.
	zones := []analyzer.ZoneChange{}
	from, _ := time.Parse(time.RFC3339, a.From)
	to, _ := time.Parse(time.RFC3339, a.To)
	for _, z := range a.ZoneChanges {
		z.At = Round(z.At, loc)
		okHours := z.Hours >= -11 && z.Hours <= 12 && (z.Hours >= 4 || z.Hours <= -4)
		later := len(zones) == 0 || z.At.After(zones[len(zones)-1].At)
		if okHours && later && !z.At.Before(from) && !z.At.After(to) {
			zones = append(zones, z)
		}
	}
	st := a.Stats
	st.WakeTime, st.BedTime = roundClockPtr(st.WakeTime), roundClockPtr(st.BedTime)
	st.Patterns = make([]analyzer.Pattern, len(a.Stats.Patterns))
	for i, p := range a.Stats.Patterns {
		p.WakeTime, p.BedTime = roundClock(p.WakeTime), roundClock(p.BedTime)
		st.Patterns[i] = p
	}
	if st.SleepHours != nil {
		h := roundHours(*st.SleepHours)
		st.SleepHours = &h
	}
	st.LongestAwakeHours = roundHours(st.LongestAwakeHours)
	raw, err := json.Marshal(map[string]any{
		"timezone": a.Timezone, "method": a.Method, "from": a.From, "to": a.To, "postCount": a.PostCount,
		"days": days, "sleeps": sleeps, "gaps": gaps, "zoneChanges": zones, "stats": st,
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Round is t rounded to the nearest grid step of its wall clock in loc.
func Round(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	_, offset := t.Zone()
	wall := t.Add(time.Duration(offset) * time.Second).UTC()
	return wall.Round(grid).Add(-time.Duration(offset) * time.Second).In(loc)
}

func roundClock(hhmm string) string {
	var h, m int
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &h, &m); err != nil {
		return hhmm
	}
	steps := int(math.Round(float64(h*60+m)/GridMinutes)) * GridMinutes % 1440
	return fmt.Sprintf("%02d:%02d", steps/60, steps%60)
}

func roundClockPtr(s *string) *string {
	if s == nil {
		return nil
	}
	r := roundClock(*s)
	return &r
}

func roundHours(h float64) float64 {
	per := 60.0 / GridMinutes
	return math.Round(h*per) / per
}
