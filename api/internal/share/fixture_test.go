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
	return publishedRecord(t, fixtureAnalysis(t), "1001", "night_owl_42")
}

// publishedRecord is the English record of a (in the fixture's zone) as shared by owner.
func publishedRecord(t testing.TB, a analyzer.Analysis, owner, handle string) Record {
	t.Helper()
	rec, err := newRecord(a, fixtureLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	rec.ID, rec.OwnerID, rec.ScreenName, rec.Site, rec.Lang = "AAAAAAAAAAAAAAAAAAAAAA", owner, handle, "nezame.example", LangEnglish
	return rec
}

// travellerAnalysis is a real analysis, in Asia/Tokyo, of four weeks from Sunday 2026-10-25 of
// someone awake 08:00 to 23:00 who flies 8 time zones west after 15 days and keeps the same
// hours there: on Tokyo's clock their days run 8 h later from then on.
func travellerAnalysis(t testing.TB) analyzer.Analysis {
	t.Helper()
	loc := fixtureLoc(t)
	first := time.Date(2026, 10, 25, 0, 0, 0, 0, loc)
	var times []int64
	for i := range 28 {
		day := first.AddDate(0, 0, i).Add(8 * time.Hour)
		if i >= 15 {
			day = day.Add(8 * time.Hour)
		}
		for m := 0; m <= 15*60; m += 40 + (i*7+m)%23 {
			times = append(times, day.Add(time.Duration(m)*time.Minute).UnixMilli())
		}
	}
	end := first.AddDate(0, 0, 28).Add(-time.Second) // the last instant of the 28th day
	return analyzer.AnalyzeTimes(times, loc, analyzer.Window{From: first, To: end, Now: end})
}

func travellerRecord(t testing.TB) Record {
	t.Helper()
	return publishedRecord(t, travellerAnalysis(t), "1002", "jet_setter")
}
