package analyzer

import (
	"cmp"
	"slices"
	"testing"
	"time"
)

// flight returns the sleeps of someone who sleeps from bed to wake (home clock) for days
// nights from day0, flies on the morning of night fly, and from that night on keeps the same
// hours on a clock moved by shift (east positive: a flight east of 8 h puts a 23:30 bedtime at
// 15:30 on the home clock). The first night after the flight is cut short (jet lag).
func flight(t testing.TB, loc *time.Location, day0 string, days, fly int, bed, wake, shift time.Duration) []span {
	t.Helper()
	return dailySleeps(t, loc, day0, days, func(i int) time.Duration {
		if i >= fly {
			return bed - shift
		}
		return bed
	}, func(i int) time.Duration {
		switch {
		case i == fly:
			return wake - shift - 2*time.Hour
		case i > fly:
			return wake - shift
		}
		return wake
	})
}

// rotation returns a shift worker's sleeps: runs of five day shifts (asleep 22:00-05:30),
// two days off (00:00-08:00), five night shifts (asleep 08:00-14:00 the next day), two days
// off, over days nights from day0.
func rotation(t testing.TB, loc *time.Location, day0 string, days int) []span {
	t.Helper()
	hours := func(i int) (bed, wake time.Duration) {
		switch k := i % 14; {
		case k < 5:
			return hm(22, 0), hm(29, 30)
		case k >= 7 && k < 12:
			return hm(32, 0), hm(38, 0)
		}
		return hm(24, 0), hm(32, 0)
	}
	return dailySleeps(t, loc, day0, days,
		func(i int) time.Duration { bed, _ := hours(i); return bed },
		func(i int) time.Duration { _, wake := hours(i); return wake })
}

func TestRhythmChanges(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	first, last := at(t, berlin, "2026-06-01 08:00"), at(t, berlin, "2026-06-28 20:00")
	weekend := func(i int) bool { // nights before Saturday and Sunday (2026-06-01 is a Monday)
		return i%7 == 4 || i%7 == 5
	}
	cases := []struct {
		name   string
		sleeps []span
		shift  time.Duration // of the one change expected; 0: none
		day    string        // local date of the change
	}{
		{"flies 8 h east on day 14", flight(t, berlin, "2026-06-01", 28, 14, hm(23, 30), hm(31, 0), 8*time.Hour), -8 * time.Hour, "2026-06-15"},
		{"flies 7 h west on day 12", flight(t, berlin, "2026-06-01", 28, 12, hm(23, 0), hm(30, 30), -7*time.Hour), 7 * time.Hour, "2026-06-13"},
		{"regular sleeper", nightly(t, berlin, "2026-06-01", 28, hm(23, 30), hm(31, 0)), 0, ""},
		{"weekend nights 2.5 h later", dailySleeps(t, berlin, "2026-06-01", 28, func(i int) time.Duration {
			if weekend(i) {
				return hm(26, 0)
			}
			return hm(23, 30)
		}, func(i int) time.Duration {
			if weekend(i) {
				return hm(34, 30)
			}
			return hm(31, 0)
		}), 0, ""},
		{"one all-nighter", append(nightly(t, berlin, "2026-06-01", 13, hm(23, 30), hm(31, 0)),
			nightly(t, berlin, "2026-06-15", 14, hm(23, 30), hm(31, 0))...), 0, ""},
		{"shift worker", rotation(t, berlin, "2026-06-01", 28), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			posts := life{sleeps: c.sleeps, wakeLag: 45 * time.Minute, bedLag: 30 * time.Minute, every: 50 * time.Minute}.posts(first, last)
			ts := make([]int64, len(posts))
			for i, p := range posts {
				ts[i] = p.Time.UnixMilli()
			}
			z := newZone(berlin)
			got := rhythmChanges(&z, evidence(&z, sortTimes(ts)))
			if c.shift == 0 {
				if len(got) != 0 {
					t.Fatalf("changes = %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("changes = %+v, want one", got)
			}
			if got[0].shift != c.shift.Milliseconds() {
				t.Errorf("shift = %v, want %v", time.Duration(got[0].shift)*time.Millisecond, c.shift)
			}
			if d := time.UnixMilli(got[0].at).In(berlin).Format("2006-01-02"); d != c.day {
				t.Errorf("change on %s, want %s", d, c.day)
			}
		})
	}
}

// TestTravellerNights checks that after a flight 8 h east the nights are placed on the new
// clock: once the first few nights are past, each main sleep within an hour of the truth.
func TestTravellerNights(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	first, last := at(t, berlin, "2026-06-01 09:00"), at(t, berlin, "2026-06-28 14:00")
	sleeps := flight(t, berlin, "2026-06-01", 28, 14, hm(23, 30), hm(31, 0), 8*time.Hour)
	// A person whose first post comes three hours after waking and whose last an hour before
	// sleeping: where in each silence the night lies depends on their learned rhythm, which
	// before the flight's was found would have kept the nights at the old clock's hours.
	p := life{sleeps: sleeps, wakeLag: 3 * time.Hour, bedLag: time.Hour, every: 40 * time.Minute}
	a := Analyze(p.posts(first, last), berlin, Window{})
	var mains []Sleep
	for _, s := range a.Sleeps {
		if s.Main {
			mains = append(mains, s)
		}
	}
	checked := 0
	for _, want := range sleeps[18 : len(sleeps)-1] {
		var got *Sleep
		for i := range mains {
			if mains[i].Start.Before(want.end) && mains[i].End.After(want.start) {
				got = &mains[i]
			}
		}
		if got == nil {
			t.Errorf("no main sleep over %s–%s", want.start.Format("01-02 15:04"), want.end.Format("15:04"))
			continue
		}
		near(t, "bedtime", got.Start, want.start, time.Hour)
		near(t, "wake", got.End, want.end, time.Hour)
		checked++
	}
	if checked < 8 {
		t.Errorf("checked %d nights after the flight, want at least 8", checked)
	}
}

// TestZoneChangesReported checks that the Analysis says when the model read the days on a new
// clock, with the sign a user reads: hours later on the analysis zone's clock after flying west.
func TestZoneChangesReported(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	first, last := at(t, berlin, "2026-06-01 08:00"), at(t, berlin, "2026-06-28 20:00")
	cases := []struct {
		name   string
		sleeps []span
		want   []ZoneChange // At is compared by its local date
	}{
		{"flies 8 h east", flight(t, berlin, "2026-06-01", 28, 14, hm(23, 30), hm(31, 0), 8*time.Hour),
			[]ZoneChange{{At: at(t, berlin, "2026-06-15 00:00"), Hours: -8}}},
		{"flies 7 h west", flight(t, berlin, "2026-06-01", 28, 12, hm(23, 0), hm(30, 30), -7*time.Hour),
			[]ZoneChange{{At: at(t, berlin, "2026-06-13 00:00"), Hours: 7}}},
		{"stays home", nightly(t, berlin, "2026-06-01", 28, hm(23, 30), hm(31, 0)), []ZoneChange{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := life{sleeps: c.sleeps, wakeLag: 45 * time.Minute, bedLag: 30 * time.Minute, every: 50 * time.Minute}
			got := Analyze(p.posts(first, last), berlin, Window{}).ZoneChanges
			if got == nil || len(got) != len(c.want) {
				t.Fatalf("zoneChanges = %+v, want %d (non-nil)", got, len(c.want))
			}
			for i, w := range c.want {
				if got[i].Hours != w.Hours {
					t.Errorf("hours = %d, want %d", got[i].Hours, w.Hours)
				}
				if d, wd := got[i].At.Format("2006-01-02"), w.At.Format("2006-01-02"); d != wd || got[i].At.Location() != berlin {
					t.Errorf("at = %v, want on %s in %v", got[i].At, wd, berlin)
				}
			}
		})
	}
}

// After a move across time zones the nights on each clock are a pattern, the current clock's
// first, and the headline times are the current clock's: never a mean of the two, a time the
// person never slept at, even when the new clock holds fewer than a fifth of the nights.
func TestTravellerPatterns(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	cases := []struct {
		name          string
		days, fly     int
		shift         time.Duration
		bed, wake     string // on the new clock, in Berlin
		oldBed        string
		before, after int // main sleeps on each clock, at least
	}{
		// Asleep 23:30-07:00 before; 8 h east: 15:30-23:00 on Berlin's clock.
		{"8 h east, half way", 28, 14, 8 * time.Hour, "15:30", "23:00", "23:30", 12, 11},
		// 7 h west: 06:30-14:00; 10 of 60 nights, too few for clustering by their hours.
		{"7 h west, near the end", 60, 50, -7 * time.Hour, "06:30", "14:00", "23:30", 45, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			first := at(t, berlin, "2026-06-01 08:00")
			last := first.AddDate(0, 0, c.days-1).Add(12 * time.Hour)
			p := life{sleeps: flight(t, berlin, "2026-06-01", c.days, c.fly, hm(23, 30), hm(31, 0), c.shift),
				wakeLag: 45 * time.Minute, bedLag: 30 * time.Minute, every: 50 * time.Minute}
			a := Analyze(p.posts(first, last), berlin, Window{})
			if len(a.ZoneChanges) != 1 {
				t.Fatalf("zoneChanges = %+v, want one", a.ZoneChanges)
			}
			st := a.Stats
			if len(st.Patterns) != 2 {
				t.Fatalf("patterns = %+v, want two: one per clock", st.Patterns)
			}
			now, old := st.Patterns[0], st.Patterns[1]
			clockNear(t, "the first pattern's bedtime (the current clock)", &now.BedTime, c.bed, 45)
			clockNear(t, "the first pattern's wake time", &now.WakeTime, c.wake, 45)
			clockNear(t, "the other pattern's bedtime", &old.BedTime, c.oldBed, 45)
			if now.Nights < c.after || old.Nights < c.before {
				t.Errorf("nights = %d now, %d before; want at least %d and %d", now.Nights, old.Nights, c.after, c.before)
			}
			clockNear(t, "bedTime", st.BedTime, c.bed, 45)
			clockNear(t, "wakeTime", st.WakeTime, c.wake, 45)
			if st.AllNighters != 0 {
				t.Errorf("allNighters = %d, want 0: every night was slept", st.AllNighters)
			}
		})
	}
}

// clockPatterns lists the current clock first and at most maxPatterns clocks, however many trips.
func TestClockPatterns(t *testing.T) {
	day := int64(msPerDay)
	// Moves on days 10, 20, 30 and 40: +8 h, then −3 h (+5), then +4 h (+9), then −9 h (0 again:
	// home), then +6 h. Clocks: 0 (days 0-9 and 40-49), +8, +5, +9, +6 (from day 50).
	changes := []rhythmChange{
		{at: 10 * day, shift: 8 * msPerHour}, {at: 20 * day, shift: -3 * msPerHour},
		{at: 30 * day, shift: 4 * msPerHour}, {at: 40 * day, shift: -9 * msPerHour},
		{at: 50 * day, shift: 6 * msPerHour},
	}
	var mains []mainSleep
	nights := map[int64]int{0: 10, 10: 4, 20: 9, 30: 3, 40: 10, 50: 3} // main sleeps from each change on
	for from, n := range nights {
		for i := range n {
			start := (from+int64(i))*day + 2*msPerHour
			mains = append(mains, mainSleep{night: from + int64(i), start: start, end: start + 7*msPerHour})
		}
	}
	slices.SortFunc(mains, func(a, b mainSleep) int { return cmp.Compare(a.start, b.start) })
	groups, shifts := clockPatterns(changes, mains)
	want := []int64{6 * msPerHour, 0, 5 * msPerHour} // current (3 nights), home (20), +5 (9); not +8 (4), +9 (3)
	if !slices.Equal(shifts, want) {
		t.Fatalf("clocks = %v h, want %v h", hoursOf(shifts), hoursOf(want))
	}
	for i, n := range []int{3, 20, 9} {
		if len(groups[i]) != n {
			t.Errorf("clock %d holds %d main sleeps, want %d", i, len(groups[i]), n)
		}
	}
	if g, _ := clockPatterns(nil, mains); g != nil {
		t.Errorf("without moves: %d groups, want none", len(g))
	}
	if g, _ := clockPatterns(changes, mains[:2]); g != nil {
		t.Errorf("two main sleeps: %d groups, want none (no clock has %d)", len(g), MinNights)
	}
}

func hoursOf(ms []int64) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m / msPerHour
	}
	return out
}
