package analyzer

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

var fuzzZones = []string{"UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Lord_Howe",
	"America/Sao_Paulo", "Pacific/Kiritimati", "Pacific/Niue"}

// FuzzAnalyze feeds arbitrary timestamps, zones and windows to AnalyzeTimes and checks the
// invariants every Analysis must keep.
func FuzzAnalyze(f *testing.F) {
	seed := func(base int64, steps ...int64) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(base))
		for _, s := range steps {
			b = binary.LittleEndian.AppendUint32(b, uint32(s))
		}
		return b
	}
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	mar := time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC).UnixMilli()
	f.Add(seed(nov, 3600_000, 3600_000, 12*3600_000, 3600_000), uint8(1), int64(0), int64(0))
	f.Add(seed(mar, 7200_000, 7200_000, 7200_000, 30*3600_000, 7200_000), uint8(2), int64(-86400_000), int64(5*86400_000))
	f.Add(seed(nov, 0, 0, 12600_000, 12601_000), uint8(3), int64(0), int64(0))
	f.Add(seed(math.MaxInt64), uint8(0), int64(0), int64(0))
	f.Add([]byte{}, uint8(4), int64(1), int64(2))

	locs := make([]*time.Location, len(fuzzZones))
	for i, name := range fuzzZones {
		locs[i] = mustLoad(f, name)
	}
	f.Fuzz(func(t *testing.T, data []byte, zoneIdx uint8, fromOff, toOff int64) {
		// The first 8 bytes are a base instant, each further 4 bytes a step of up to ~50 days
		// (a step with the top bit set goes backwards, so input arrives unsorted).
		var times []int64
		if len(data) >= 8 {
			cur := int64(binary.LittleEndian.Uint64(data))
			times = append(times, cur)
			for b := data[8:]; len(b) >= 4; b = b[4:] {
				step := int64(binary.LittleEndian.Uint32(b))
				if step&(1<<31) != 0 {
					step = -(step & (1<<31 - 1))
				}
				cur += step
				times = append(times, cur)
			}
		}
		loc := locs[int(zoneIdx)%len(locs)]
		var w Window
		if fromOff != 0 || toOff != 0 {
			base := int64(0)
			if len(times) > 0 {
				base = clampMs(times[0])
			}
			w.From = time.UnixMilli(clampMs(base + fromOff%(400*msPerDay)))
			w.To = time.UnixMilli(clampMs(base + toOff%(400*msPerDay)))
		}
		a := AnalyzeTimes(times, loc, w)
		checkInvariants(t, a, loc)
	})
}

func checkInvariants(t *testing.T, a Analysis, loc *time.Location) {
	t.Helper()
	if a.Periods == nil || a.Days == nil || a.Timezone != loc.String() {
		t.Fatalf("nil lists or wrong zone: %+v", a)
	}
	posts := 0
	for i, p := range a.Periods {
		if p.Posts < 2 || !p.End.After(p.Start) {
			t.Fatalf("period %d = %+v", i, p)
		}
		if i > 0 && p.Start.Sub(a.Periods[i-1].End) <= MaxAwakeGap {
			t.Fatalf("periods %d and %d overlap or should have merged", i-1, i)
		}
		if p.Start.Location() != loc {
			t.Fatalf("period %d not in %v", i, loc)
		}
		posts += p.Posts
	}
	if posts > a.PostCount {
		t.Fatalf("periods hold %d posts of %d", posts, a.PostCount)
	}
	pieces := 0
	for i, d := range a.Days {
		if d.Awake == nil {
			t.Fatalf("day %s has nil awake", d.Date)
		}
		// Dates are compared as UTC dates: some zones skip their own midnight.
		date, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			t.Fatalf("day %d date %q: %v", i, d.Date, err)
		}
		if i > 0 {
			if prev, _ := time.Parse(time.DateOnly, a.Days[i-1].Date); date.Sub(prev) != 24*time.Hour {
				t.Fatalf("days not contiguous: %s then %s", a.Days[i-1].Date, d.Date)
			}
		}
		for _, iv := range d.Awake {
			if !iv.End.After(iv.Start) || iv.Start.In(loc).Format(time.DateOnly) != d.Date {
				t.Fatalf("day %s: interval %v .. %v", d.Date, iv.Start, iv.End)
			}
			// A day ends where the next date begins. That instant is not always 00:00: where
			// clocks jump at midnight (America/Sao_Paulo on 2009-10-18) the next date begins at
			// 01:00. So the millisecond before the end must still be on this date.
			if last := iv.End.Add(-time.Millisecond).In(loc); last.Format(time.DateOnly) != d.Date {
				t.Fatalf("day %s: interval ends %v, past the start of the next date", d.Date, iv.End.In(loc))
			}
		}
		pieces += len(d.Awake)
	}
	if len(a.Days) > 0 {
		if a.From == "" || a.To == "" {
			t.Fatalf("days without from/to")
		}
		if len(a.Days) > MaxDays {
			t.Fatalf("%d days", len(a.Days))
		}
	}
	if len(a.Days) > 0 && len(a.Periods) > pieces {
		t.Fatalf("%d periods but %d pieces", len(a.Periods), pieces)
	}
	s := a.Stats
	inRange := func(name string, v *float64, lo, hi float64) {
		if v != nil && (math.IsNaN(*v) || *v < lo || *v > hi) {
			t.Fatalf("%s = %v outside [%v, %v]", name, *v, lo, hi)
		}
	}
	inRange("sri", s.SRI, -100, 100)
	inRange("sleepHours", s.SleepHours, 3.5, 16)
	inRange("socialJetlagHours", s.SocialJetlagHours, 0, 12)
	inRange("wakeSpreadMinutes", s.WakeSpreadMinutes, 0, math.MaxFloat64)
	inRange("bedSpreadMinutes", s.BedSpreadMinutes, 0, math.MaxFloat64)
	for _, c := range []*string{s.WakeTime, s.BedTime} {
		if c != nil {
			if _, err := time.Parse("15:04", *c); err != nil {
				t.Fatalf("clock %q: %v", *c, err)
			}
		}
	}
	if s.ActiveDays > a.PostCount || s.AllNighters < 0 || s.LongestAwakeHours < 0 {
		t.Fatalf("stats = %+v", s)
	}
}
