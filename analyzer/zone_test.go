package analyzer

import (
	"testing"
	"time"
)

// TestZoneAgreesWithTimePackage checks the cached offset arithmetic against time.In and
// time.Date in zones with DST, half-hour DST, odd offsets and a DST change at midnight.
func TestZoneAgreesWithTimePackage(t *testing.T) {
	t.Parallel()
	zones := []string{"UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Lord_Howe",
		"Asia/Kathmandu", "America/Sao_Paulo", "America/Havana", "Pacific/Chatham", "America/St_Johns"}
	for _, name := range zones {
		t.Run(name, func(t *testing.T) {
			loc := mustLoad(t, name)
			z := newZone(loc)
			start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
			// Instants every 37 minutes across 12 years: local date and clock time.
			for v := start; v.Year() < 2027; v = v.Add(37*time.Minute + 13*time.Second) {
				lt := v.In(loc)
				y, m, d := lt.Date()
				gy, gm, gd := civil(z.day(v.UnixMilli()))
				if gy != int64(y) || gm != int64(m) || gd != int64(d) {
					t.Fatalf("%v: date %d-%d-%d, want %v", lt, gy, gm, gd, lt.Format(time.DateOnly))
				}
				wantClock := int64(lt.Hour()*msPerHour + lt.Minute()*msPerMinute + lt.Second()*msPerSecond)
				if got := z.clockMs(v.UnixMilli()); got != wantClock {
					t.Fatalf("%v: clock %d, want %d", lt, got, wantClock)
				}
			}
			// Midnights and noons of every date, as time.Date resolves them.
			day0 := start.Unix() / 86400
			for i := int64(0); i < 12*366; i++ {
				y, m, d := civil(day0 + i)
				if wd := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC).Weekday(); weekday(day0+i) != wd {
					t.Fatalf("weekday of %d-%d-%d = %v, want %v", y, m, d, weekday(day0+i), wd)
				}
				for _, h := range []int{0, 12} {
					want := time.Date(int(y), time.Month(m), int(d), h, 0, 0, 0, loc).UnixMilli()
					if got := z.at(day0+i, int64(h)*msPerHour); got != want {
						t.Fatalf("%d-%d-%d %02d:00: %v, want %v", y, m, d, h, time.UnixMilli(got).In(loc), time.UnixMilli(want).In(loc))
					}
				}
			}
		})
	}
}

func TestDateFormatting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		day  int64
		want string
	}{
		{0, "1970-01-01"},
		{-1, "1969-12-31"},
		{20395, "2025-11-03"},
		{floorDiv(minMs, msPerDay), "0001-01-02"},
		{floorDiv(maxMs, msPerDay), "9999-12-30"},
	} {
		if got := string(appendDate(nil, tc.day)); got != tc.want {
			t.Errorf("appendDate(%d) = %s, want %s", tc.day, got, tc.want)
		}
	}
}

// TestMidnightSkipped covers a DST change at midnight: in São Paulo on 2004-11-02 the clocks
// went from 00:00 straight to 01:00, so that date began at 01:00 -02.
func TestMidnightSkipped(t *testing.T) {
	t.Parallel()
	sp := mustLoad(t, "America/Sao_Paulo")
	z := newZone(sp)
	day := time.Date(2004, 11, 2, 0, 0, 0, 0, time.UTC).Unix() / 86400
	got := time.UnixMilli(z.midnight(day)).In(sp).Format(time.RFC3339)
	if got != "2004-11-02T01:00:00-02:00" {
		t.Errorf("midnight = %s, want 2004-11-02T01:00:00-02:00", got)
	}
	if got := time.UnixMilli(z.midnight(day + 1)).In(sp).Format(time.RFC3339); got != "2004-11-03T00:00:00-02:00" {
		t.Errorf("next midnight = %s", got)
	}
	a := Analyze(postsAt(awake(time.Date(2004, 11, 1, 22, 0, 0, 0, sp), time.Date(2004, 11, 2, 3, 0, 0, 0, sp), time.Hour)...), sp, Window{})
	if len(a.Days) != 2 || a.Days[1].Awake[0].Start.Format(time.RFC3339) != "2004-11-02T01:00:00-02:00" ||
		a.Days[0].Awake[0].End.Format(time.RFC3339) != "2004-11-02T01:00:00-02:00" {
		t.Errorf("days = %+v", a.Days)
	}
}
