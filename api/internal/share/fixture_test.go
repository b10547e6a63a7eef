package share

import (
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// fixtureLoc is the zone of the fixture: Asia/Tokyo.
func fixtureLoc(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fixtureAnalysis is a real analysis of a made-up night owl in Asia/Tokyo over 28 days from
// Sunday 2026-10-25: awake roughly 10:00 to 02:00, later on weekends, a silent afternoon every
// fourth day (4 h 30 min without a post, which the model reads as quiet waking, not a nap),
// one all-nighter (day 17), four silent days (19-22, no data) and "now" at 15:00 on the last day.
func fixtureAnalysis(t testing.TB) analyzer.Analysis {
	t.Helper()
	loc := fixtureLoc(t)
	first := time.Date(2026, 10, 25, 0, 0, 0, 0, loc)
	var times []int64
	post := func(at time.Time) { times = append(times, at.UnixMilli()) }
	for i := range 28 {
		day := first.AddDate(0, 0, i)
		if i >= 19 && i <= 22 {
			continue
		}
		wake := 10*60 + (i*37)%50
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			wake += 90
		}
		bed := 24*60 + 60 + (i*53)%90 // 01:00 to 02:30 the next morning
		if i == 17 {
			wake, bed = 10*60, 24*60+22*60 // up all night, to bed at 22:00 the next day
		}
		if i == 27 {
			wake, bed = 9*60, 14*60+30 // the last posts before "now"
		}
		for m := wake; m <= bed; m += 25 + (m*7)%20 {
			if i%4 == 1 && m > 14*60 && m < 18*60+30 {
				continue // an afternoon nap
			}
			post(day.Add(time.Duration(m) * time.Minute))
		}
	}
	w := analyzer.Window{From: first, To: first.AddDate(0, 0, 27), Now: time.Date(2026, 11, 21, 15, 0, 0, 0, loc)}
	return analyzer.AnalyzeTimes(times, loc, w)
}

func fixtureRecord(t testing.TB) Record {
	t.Helper()
	rec, err := newRecord(fixtureAnalysis(t), fixtureLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	rec.ID, rec.OwnerID, rec.ScreenName, rec.Site, rec.Lang = "AAAAAAAAAAAAAAAAAAAAAA", "1001", "night_owl_42", "nezame.example", LangEnglish
	return rec
}
