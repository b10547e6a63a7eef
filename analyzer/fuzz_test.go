package analyzer

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
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
	f.Add(seed(nov, 3600_000, 3600_000, 12*3600_000, 3600_000), uint8(1), int64(0), int64(0), int64(0))
	f.Add(seed(mar, 7200_000, 7200_000, 7200_000, 30*3600_000, 7200_000), uint8(2), int64(-86400_000), int64(5*86400_000), int64(3))
	f.Add(seed(nov, 0, 0, 12600_000, 12601_000), uint8(3), int64(0), int64(0), int64(0))
	f.Add(seed(math.MaxInt64), uint8(0), int64(0), int64(0), int64(0))
	f.Add([]byte{}, uint8(4), int64(1), int64(2), int64(5))
	// Three weeks of a sleeper posting every 40 min from 07:30 to 23:10, with a two-day absence
	// and a window ending mid-night.
	var weeks []int64
	for d := range int64(21) {
		for m := int64(0); m < 940; m += 40 {
			if d != 9 && d != 10 {
				weeks = append(weeks, (7*60+30+m)*60_000+d*86400_000)
			}
		}
	}
	steps := make([]int64, 0, len(weeks))
	for i := 1; i < len(weeks); i++ {
		steps = append(steps, weeks[i]-weeks[i-1])
	}
	f.Add(seed(nov+weeks[0], steps...), uint8(5), int64(-3*86400_000), int64(22*86400_000), int64(1))

	locs := make([]*time.Location, len(fuzzZones))
	for i, name := range fuzzZones {
		locs[i] = mustLoad(f, name)
	}
	f.Fuzz(func(t *testing.T, data []byte, zoneIdx uint8, fromOff, toOff, nowOff int64) {
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
		if nowOff%7 != 0 && !w.To.IsZero() {
			w.Now = time.UnixMilli(clampMs(w.From.UnixMilli() + floorMod(nowOff, max(1, w.To.UnixMilli()-w.From.UnixMilli()+1))))
		}
		w.Truncated = nowOff%2 == 0
		for _, method := range []string{MethodModel, MethodGapRule} {
			a := AnalyzeTimesWith(times, loc, w, method)
			checkInvariants(t, a, loc)
			checkEpisodes(t, a, loc, times, w)
		}
	})
}

// checkEpisodes checks the sleeps and gaps: in order, disjoint from each other and from one
// another, with valid reasons and confidences, inside the analysed span, and one main sleep per
// night at most (the nights with evidence are the main sleeps plus the all-nighters).
func checkEpisodes(t *testing.T, a Analysis, loc *time.Location, times []int64, w Window) {
	t.Helper()
	if a.Sleeps == nil || a.Gaps == nil || a.ZoneChanges == nil || a.Stats.Patterns == nil {
		t.Fatalf("nil lists: %+v", a)
	}
	if a.Method != MethodModel && a.Method != MethodGapRule {
		t.Fatalf("method %q", a.Method)
	}
	lo, hi := bounds(w)
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for _, v := range times {
		if v >= lo && v <= hi && v >= minMs && v <= maxMs {
			first, last = min(first, v), max(last, v)
		}
	}
	for i, c := range a.ZoneChanges {
		if c.Hours < -11 || c.Hours > 12 || min(abs(c.Hours), 24-abs(c.Hours)) < travelMinShift || c.At.Location() != loc ||
			c.At.UnixMilli() < first || c.At.UnixMilli() > last || (i > 0 && !c.At.After(a.ZoneChanges[i-1].At)) {
			t.Fatalf("zone change %d = %+v (posts %v..%v)", i, c, time.UnixMilli(first), time.UnixMilli(last))
		}
	}
	end := last
	if !w.Now.IsZero() {
		end = max(end, w.Now.UnixMilli())
	}
	type iv struct {
		s, e int64
		what string
	}
	var all []iv
	mains := 0
	for i, s := range a.Sleeps {
		if !s.End.After(s.Start) || s.Confidence < 0 || s.Confidence > 1 || math.IsNaN(s.Confidence) || s.Start.Location() != loc {
			t.Fatalf("sleep %d = %+v", i, s)
		}
		if s.Start.UnixMilli() < first || s.End.UnixMilli() > end {
			t.Fatalf("sleep %d %v..%v outside the posts' span [%v, %v]", i, s.Start, s.End, time.UnixMilli(first), time.UnixMilli(end))
		}
		if s.Main {
			mains++
			if s.End.Sub(s.Start) < mainMinLen*time.Millisecond && a.Method == MethodModel {
				t.Fatalf("main sleep %d shorter than %v: %+v", i, mainMinLen*time.Millisecond, s)
			}
		}
		all = append(all, iv{s.Start.UnixMilli(), s.End.UnixMilli(), "sleep"})
	}
	// A window's To may be any instant of its last date; the calendar, and the future in it,
	// runs to that date's end.
	// a.To names a local midnight; RFC 3339 offsets are whole minutes, so where the zone's
	// offset had seconds (local mean time, before 1900) the instant is read from its date.
	calendarEnd := w.To
	if end, err := time.Parse(time.RFC3339, a.To); err == nil && !w.To.IsZero() {
		calendarEnd = DayStart(end.Year(), end.Month(), end.Day(), loc)
	}
	for i, g := range a.Gaps {
		switch g.Reason {
		case GapBeforeFirstPost, GapAPILimit, GapAbsence, GapFuture:
		default:
			t.Fatalf("gap %d reason %q", i, g.Reason)
		}
		if !g.End.After(g.Start) || g.Start.Location() != loc {
			t.Fatalf("gap %d = %+v", i, g)
		}
		if (!w.From.IsZero() && g.Start.Before(w.From.Truncate(time.Millisecond))) || (!w.To.IsZero() && g.End.After(calendarEnd)) {
			t.Fatalf("gap %d %+v outside the window %v..%v", i, g, w.From, calendarEnd)
		}
		// The future runs to the end of the calendar: every minute drawn after Now is in it.
		if g.Reason == GapFuture && a.To != "" && !g.End.Equal(calendarEnd) {
			t.Fatalf("future gap %+v ends before the calendar's end %v", g, calendarEnd)
		}
		all = append(all, iv{g.Start.UnixMilli(), g.End.UnixMilli(), "gap " + g.Reason})
	}
	slices.SortStableFunc(all, func(x, y iv) int { return cmp.Compare(x.s, y.s) })
	for i := 1; i < len(all); i++ {
		if all[i].s < all[i-1].e {
			t.Fatalf("%s %v..%v overlaps %s %v..%v", all[i].what, time.UnixMilli(all[i].s), time.UnixMilli(all[i].e),
				all[i-1].what, time.UnixMilli(all[i-1].s), time.UnixMilli(all[i-1].e))
		}
	}
	for i := 1; i < len(a.Sleeps); i++ {
		if a.Sleeps[i].Start.Before(a.Sleeps[i-1].Start) {
			t.Fatalf("sleeps out of order at %d", i)
		}
	}
	if a.Stats.Nights != mains+a.Stats.AllNighters {
		t.Fatalf("nights %d, but %d main sleeps and %d all-nighters: two mains share a night", a.Stats.Nights, mains, a.Stats.AllNighters)
	}
	if n := len(a.Stats.Patterns); n == 1 || n > maxPatterns {
		t.Fatalf("%d patterns", n)
	}
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
	if posts+len(a.Singles) > a.PostCount {
		t.Fatalf("periods hold %d posts and singles %d of %d", posts, len(a.Singles), a.PostCount)
	}
	// Singles are distinct, in order, in the zone, and more than MaxAwakeGap from any period.
	if a.Singles == nil {
		t.Fatalf("nil singles")
	}
	k := 0
	for i, s := range a.Singles {
		if i > 0 && !s.After(a.Singles[i-1]) {
			t.Fatalf("singles %d and %d out of order or equal: %v %v", i-1, i, a.Singles[i-1], s)
		}
		if s.Location() != loc {
			t.Fatalf("single %d not in %v", i, loc)
		}
		for k < len(a.Periods) && a.Periods[k].End.Before(s) {
			k++
		}
		if (k < len(a.Periods) && a.Periods[k].Start.Sub(s) <= MaxAwakeGap) || (k > 0 && s.Sub(a.Periods[k-1].End) <= MaxAwakeGap) {
			t.Fatalf("single %v is within %v of a period", s, MaxAwakeGap)
		}
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
	inRange("sleepHours", s.SleepHours, float64(mainMinLen)/msPerHour, 16) // main sleeps: 2 h (model) or 3 h 30 min (gap rule) to 16 h
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
