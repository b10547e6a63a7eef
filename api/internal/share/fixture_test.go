package share

import (
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// fixtureAnalysis is a hand-built 28-day analysis in Asia/Tokyo: awake roughly 07:30 to 01:00,
// later on weekends, with an afternoon gap every few days and one all-nighter.
func fixtureAnalysis(t testing.TB) analyzer.Analysis {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 10, 25, 0, 0, 0, 0, loc)
	a := analyzer.Analysis{
		Timezone: "Asia/Tokyo", PostCount: 812,
		From: first.Format(time.RFC3339), To: first.AddDate(0, 0, 28).Format(time.RFC3339),
		Periods: []analyzer.Period{},
	}
	at := func(day time.Time, min int) time.Time { return day.Add(time.Duration(min) * time.Minute) }
	for i := range 28 {
		day := first.AddDate(0, 0, i)
		d := analyzer.Day{Date: day.Format("2006-01-02"), Awake: []analyzer.Interval{}}
		wake := 7*60 + 30 + (i*37)%50
		bed := bedMin(i) // 23:00 to 02:30; past 24:00 continues on the next date
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			wake += 150
		}
		if i > 0 && bedMin(i-1) > 24*60 {
			d.Awake = append(d.Awake, analyzer.Interval{Start: day, End: at(day, bedMin(i-1)-24*60)})
		}
		end := at(day, min(bed, 24*60))
		switch {
		case i == 17: // all-nighter: awake the whole day
			d.Awake = []analyzer.Interval{{Start: day, End: day.AddDate(0, 0, 1)}}
		case i%4 == 1: // afternoon nap
			d.Awake = append(d.Awake,
				analyzer.Interval{Start: at(day, wake), End: at(day, 14*60)},
				analyzer.Interval{Start: at(day, 15*60+40), End: end})
		default:
			d.Awake = append(d.Awake, analyzer.Interval{Start: at(day, wake), End: end})
		}
		a.Days = append(a.Days, d)
	}
	wt, bt, sh, sri := "07:52", "00:41", 6.4, 62.5
	a.Stats = analyzer.Stats{WakeTime: &wt, BedTime: &bt, SleepHours: &sh, SRI: &sri, AllNighters: 1, ActiveDays: 28, LongestAwakeHours: 31.2}
	return a
}

func fixtureRecord(t testing.TB) Record {
	t.Helper()
	rec, err := NewRecord("AAAAAAAAAAAAAAAAAAAAAA", "1001", "night_owl_42", "nezame.example",
		time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), fixtureAnalysis(t))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func bedMin(i int) int { return 23*60 + (i*53)%210 }
