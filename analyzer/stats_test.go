package analyzer

import (
	"math"
	"testing"
	"time"
)

func TestCircularClock(t *testing.T) {
	t.Parallel()
	h := func(hh, mm int64) int64 { return hh*msPerHour + mm*msPerMinute }
	tests := []struct {
		name       string
		clocks     []int64
		mean       string
		spread     float64
		ok         bool
		meanMinute float64
	}{
		{"across midnight: 23:00 01:00 00:00", []int64{h(23, 0), h(1, 0), h(0, 0)}, "00:00", 49.1, true, 0},
		{"identical", []int64{h(7, 40), h(7, 40), h(7, 40)}, "07:40", 0, true, 460},
		{"symmetric around noon", []int64{h(11, 0), h(13, 0)}, "12:00", 0, true, 720},
		{"opposite times cancel", []int64{h(6, 0), h(18, 0)}, "", 0, false, 0},
		{"none", nil, "", 0, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mean, sd, ok := circularClock(tc.clocks)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if got := clockString(mean); got != tc.mean {
				t.Errorf("mean = %s (%v min), want %s", got, mean, tc.mean)
			}
			if tc.spread > 0 && round1(sd) != tc.spread {
				t.Errorf("spread = %v, want %v", sd, tc.spread)
			}
			if tc.name == "symmetric around noon" && math.Abs(sd-60.3) > 0.1 {
				// R̄ = cos(15°): √(−2 ln 0.9659)·1440/2π = 60.3 min.
				t.Errorf("spread = %v, want ≈60.3", sd)
			}
		})
	}
}

func TestClockHelpers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		minutes float64
		want    string
	}{{0, "00:00"}, {1439.6, "00:00"}, {459.5, "07:40"}, {75, "01:15"}, {-1, "23:59"}} {
		if got := clockString(tc.minutes); got != tc.want {
			t.Errorf("clockString(%v) = %s, want %s", tc.minutes, got, tc.want)
		}
	}
	for _, tc := range []struct{ a, b, want float64 }{
		{270, 1410, 5}, // MSW 04:30, MSF 23:30: 5 h the short way, not 19 h
		{1410, 270, 5},
		{0, 720, 12},
		{60, 120, 1},
	} {
		if got := clockDiffHours(tc.a, tc.b); got != tc.want {
			t.Errorf("clockDiffHours(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	for _, tc := range []struct {
		ds   []int64
		want float64
	}{{[]int64{3, 1, 2}, 2}, {[]int64{4, 1, 3, 2}, 2.5}, {[]int64{5}, 5}} {
		if got := medianMs(tc.ds); got != tc.want {
			t.Errorf("medianMs = %v, want %v", got, tc.want)
		}
	}
}

func TestSRIEpochs(t *testing.T) {
	t.Parallel()
	day := int64(msPerDay)
	h := int64(msPerHour)
	tests := []struct {
		name      string
		gaps      []gap
		first     int64
		last      int64
		want      float64
		wantValid int64
	}{
		{
			// Worked by hand: epochs tile [first post, last post) = two days; the pairs (t, t+24h)
			// with both epochs inside cover the first day: 1,440 pairs, 60 differ -> 23/24.
			name: "two days [0:00,7:00) then [0:00,8:00)",
			gaps: []gap{{0, 7 * h, stateAsleep}, {day, day + 8*h, stateAsleep}},
			last: 2 * day, want: 91.67, wantValid: 1440,
		},
		{
			name: "identical days",
			gaps: []gap{{0, 7 * h, stateAsleep}, {day, day + 7*h, stateAsleep}, {2 * day, 2*day + 7*h, stateAsleep}},
			last: 3 * day, want: 100, wantValid: 2880,
		},
		{
			name: "unknown epochs are left out of the pairs",
			gaps: []gap{{0, 7 * h, stateAsleep}, {day - 4*h, 2*day + 7*h, stateUnknown}, {2 * day, 2*day + 7*h, stateAsleep}},
			// The first day pairs with an unknown day; the second is unknown itself.
			last: 3 * day, want: 0, wantValid: 0,
		},
		{
			name: "shorter than a day has no pairs",
			gaps: []gap{{0, 7 * h, stateAsleep}},
			last: day, want: 0, wantValid: 0,
		},
		{
			// Epoch starts are first + k min; with first at :30 s the sleep [0:00, 7:00) holds
			// the epochs starting 0:00:30 .. 6:59:30 and the next day's [0:00, 8:00) one hour more.
			name:  "first post off the minute",
			gaps:  []gap{{30 * msPerSecond, 7 * h, stateAsleep}, {day, day + 8*h, stateAsleep}},
			first: 30 * msPerSecond, last: 2*day + 30*msPerSecond, want: 91.67, wantValid: 1440,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, valid := sri(tc.gaps, tc.first, tc.last)
			if round2(got) != tc.want || valid != tc.wantValid {
				t.Errorf("sri = %v over %d pairs, want %v over %d", got, valid, tc.want, tc.wantValid)
			}
		})
	}
}

// bruteSRI is the textbook per-epoch computation sri must agree with.
func bruteSRI(gaps []gap, first, last int64) (float64, int64) {
	var states []byte
	for t := first; t < last; t += msPerMinute {
		s := stateAwake
		for _, g := range gaps {
			if g.start <= t && t < g.end {
				s = g.state
			}
		}
		states = append(states, s)
	}
	var match, valid int64
	for k := 0; k+1440 < len(states); k++ {
		a, b := states[k], states[k+1440]
		if a == stateUnknown || b == stateUnknown {
			continue
		}
		valid++
		if a == b {
			match++
		}
	}
	if valid == 0 {
		return 0, 0
	}
	return 200*float64(match)/float64(valid) - 100, valid
}

func TestSRIMatchesPerEpochDefinition(t *testing.T) {
	t.Parallel()
	utc := time.UTC
	// An irregular week with a missing-data hole and posts off the minute.
	ts := awake(at(t, utc, "2026-11-02 07:13:20"), at(t, utc, "2026-11-02 23:41:07"), 97*time.Minute)
	ts = append(ts, awake(at(t, utc, "2026-11-03 06:02:59"), at(t, utc, "2026-11-04 01:00"), 3*time.Hour)...)
	ts = append(ts, awake(at(t, utc, "2026-11-04 09:30:30"), at(t, utc, "2026-11-04 13:00"), time.Hour)...)
	ts = append(ts, awake(at(t, utc, "2026-11-05 12:00"), at(t, utc, "2026-11-06 02:00"), 2*time.Hour)...)
	ts = append(ts, awake(at(t, utc, "2026-11-06 11:00:01"), at(t, utc, "2026-11-08 03:00"), 210*time.Minute)...)
	ms := make([]int64, len(ts))
	for i, v := range ts {
		ms[i] = v.UnixMilli()
	}
	_, _, gaps := runs(ms, utc)
	got, gv := sri(gaps, ms[0], ms[len(ms)-1])
	want, wv := bruteSRI(gaps, ms[0], ms[len(ms)-1])
	if gv != wv || math.Abs(got-want) > 1e-9 || wv == 0 {
		t.Errorf("sri = %v over %d, per-epoch = %v over %d", got, gv, want, wv)
	}
}

// statsOf computes the model's statistics as if it had inferred exactly the sleeps between
// posts' silences of 3 h 30 min to 16 h (the lifeline helpers post at each sleep's start and
// end), longer silences being absences: the statistics' definitions, apart from the inference.
func statsOf(t *testing.T, posts []Post, loc *time.Location) Stats {
	t.Helper()
	ts := make([]int64, len(posts))
	for i, p := range posts {
		ts[i] = p.Time.UnixMilli()
	}
	ts = sortTimes(ts)
	_, _, gaps := runs(ts, loc)
	inf := inference{evidence: ts}
	for _, g := range gaps {
		if g.state == stateAsleep {
			inf.sleeps = append(inf.sleeps, episode{start: g.start, end: g.end, conf: 1})
		} else {
			inf.gaps = append(inf.gaps, stretch{g.start, g.end, GapAbsence})
		}
	}
	z := newZone(loc)
	pats, nights := assignNights(&z, inf.sleeps)
	return modelStats(&z, ts, inf, pats, nights)
}

// TestStatsEndToEnd checks each statistic's definition on known sleeps (statsOf).
func TestStatsEndToEnd(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	const first = "2026-11-02" // a Monday

	type want struct {
		wake, bed            *string
		wakeSpread, bedSpr   *float64
		sleep, sri, jetlag   *float64
		allNighters, actDays int
	}
	tests := []struct {
		name   string
		posts  func(t *testing.T) []Post
		want   want
		checks []string // which fields to compare
	}{
		{
			name: "bedtimes 23:00, 01:00, 00:00",
			posts: func(t *testing.T) []Post {
				sleeps := []span{
					{at(t, tokyo, "2026-11-02 23:00"), at(t, tokyo, "2026-11-03 07:00")},
					{at(t, tokyo, "2026-11-04 01:00"), at(t, tokyo, "2026-11-04 07:00")},
					{at(t, tokyo, "2026-11-05 00:00"), at(t, tokyo, "2026-11-05 07:00")},
				}
				return lifeline(at(t, tokyo, "2026-11-02 20:00"), sleeps, at(t, tokyo, "2026-11-05 12:00"))
			},
			want: want{
				bed: sptr("00:00"), bedSpr: fptr(49.1), wake: sptr("07:00"), wakeSpread: fptr(0),
				sleep: fptr(7), // 8, 6, 7 h
			},
			checks: []string{"bed", "wake", "sleep"},
		},
		{
			name: "median of an even count of nights",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 4, func(int) time.Duration { return hm(1, 0) },
					func(i int) time.Duration { return hm(7+i, 0) }) // 6, 7, 8, 9 h
				return lifeline(at(t, tokyo, "2026-11-01 20:00"), sleeps, at(t, tokyo, "2026-11-05 20:00"))
			},
			want:   want{sleep: fptr(7.5), wake: sptr("08:30"), bed: sptr("01:00"), bedSpr: fptr(0)},
			checks: []string{"sleep", "wake", "bed"},
		},
		{
			name: "two nights are too few for times",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 2, func(int) time.Duration { return hm(1, 0) },
					func(int) time.Duration { return hm(8, 0) })
				return lifeline(at(t, tokyo, "2026-11-01 20:00"), sleeps, at(t, tokyo, "2026-11-03 20:00"))
			},
			want:   want{},
			checks: []string{"bed", "wake", "sleep", "sri", "jetlag"},
		},
		{
			name: "regular fortnight has SRI 100",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 14, func(int) time.Duration { return hm(0, 30) },
					func(int) time.Duration { return hm(7, 30) })
				return lifeline(sleeps[0].start, sleeps, at(t, tokyo, "2026-11-15 23:00"))
			},
			want:   want{sri: fptr(100), wake: sptr("07:30"), bed: sptr("00:30"), sleep: fptr(7), allNighters: 0},
			checks: []string{"sri", "wake", "bed", "sleep", "allNighters"},
		},
		{
			name: "regular fortnight with a missing-data hole is still 100",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 14, func(int) time.Duration { return hm(0, 30) },
					func(int) time.Duration { return hm(7, 30) })
				ps := lifeline(sleeps[0].start, sleeps, at(t, tokyo, "2026-11-15 23:00"))
				// Drop everything from Fri 09:00 to Sat 19:00 (a 34 h hole).
				var out []Post
				for _, p := range ps {
					if p.Time.Before(at(t, tokyo, "2026-11-06 09:00")) || p.Time.After(at(t, tokyo, "2026-11-07 19:00")) {
						out = append(out, p)
					}
				}
				return out
			},
			want:   want{sri: fptr(100)},
			checks: []string{"sri"},
		},
		{
			name: "alternating 7 h and 8 h nights: 23/24 -> 91.67",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 7, func(int) time.Duration { return 0 },
					func(i int) time.Duration { return hm(7+i%2, 0) })
				return lifeline(sleeps[0].start, sleeps, at(t, tokyo, "2026-11-09 00:00"))
			},
			want:   want{sri: fptr(91.67)},
			checks: []string{"sri"},
		},
		{
			name: "alternating day and night sleep: low SRI",
			posts: func(t *testing.T) []Post {
				// Even days sleep 00:00-08:00, odd days 12:00-20:00: 16 of 24 h differ.
				sleeps := dailySleeps(t, tokyo, first, 8,
					func(i int) time.Duration { return hm(12*(i%2), 0) },
					func(i int) time.Duration { return hm(12*(i%2)+8, 0) })
				return lifeline(sleeps[0].start, sleeps, at(t, tokyo, "2026-11-10 00:00"))
			},
			want:   want{sri: fptr(-33.33)},
			checks: []string{"sri"},
		},
		{
			name: "SRI needs five days of pairs: exactly five",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 6, func(int) time.Duration { return 0 },
					func(int) time.Duration { return hm(7, 0) })
				return lifeline(sleeps[0].start, sleeps, at(t, tokyo, "2026-11-08 00:00"))
			},
			want:   want{sri: fptr(100)},
			checks: []string{"sri"},
		},
		{
			name: "SRI needs five days of pairs: one minute short",
			posts: func(t *testing.T) []Post {
				sleeps := dailySleeps(t, tokyo, first, 6, func(int) time.Duration { return 0 },
					func(int) time.Duration { return hm(7, 0) })
				return lifeline(sleeps[0].start, sleeps, at(t, tokyo, "2026-11-07 23:59"))
			},
			want:   want{},
			checks: []string{"sri"},
		},
		{
			name: "social jetlag: MSW 04:30, MSF 23:30 -> 5 h",
			posts: func(t *testing.T) []Post {
				// Nights 11-01 (Sun) .. 11-14 (Sat); a night is free when the next day is Sat/Sun.
				var sleeps []span
				for i := range 14 {
					d := time.Date(2026, 11, 1+i, 0, 0, 0, 0, tokyo)
					if wd := d.AddDate(0, 0, 1).Weekday(); wd == time.Saturday || wd == time.Sunday {
						sleeps = append(sleeps, span{d.Add(hm(19, 30)), d.Add(hm(27, 30))})
					} else {
						sleeps = append(sleeps, span{d.Add(hm(24, 30)), d.Add(hm(32, 30))})
					}
				}
				return lifeline(at(t, tokyo, "2026-11-01 12:00"), sleeps, at(t, tokyo, "2026-11-15 12:00"))
			},
			want:   want{jetlag: fptr(5), sleep: fptr(8)},
			checks: []string{"jetlag", "sleep"},
		},
		{
			name: "social jetlag needs two free nights",
			posts: func(t *testing.T) []Post {
				// Nights 11-02 (Mon) .. 11-06 (Fri): only Friday night is free.
				sleeps := dailySleeps(t, tokyo, "2026-11-03", 5, func(int) time.Duration { return hm(0, 30) },
					func(int) time.Duration { return hm(8, 30) })
				return lifeline(at(t, tokyo, "2026-11-02 12:00"), sleeps, at(t, tokyo, "2026-11-07 12:00"))
			},
			want:   want{sleep: fptr(8)},
			checks: []string{"jetlag", "sleep"},
		},
		{
			name: "active days are local dates",
			posts: func(t *testing.T) []Post {
				// 08:00 and 10:00 UTC on one UTC date are 17:00 and 19:00 in Tokyo; 16:00 UTC
				// is 01:00 the next Tokyo date.
				return postsAt(at(t, time.UTC, "2026-11-02 08:00"), at(t, time.UTC, "2026-11-02 10:00"),
					at(t, time.UTC, "2026-11-02 16:00"))
			},
			want:   want{actDays: 2},
			checks: []string{"actDays"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := statsOf(t, tc.posts(t), tokyo)
			for _, c := range tc.checks {
				var ok bool
				var got, exp any
				switch c {
				case "bed":
					ok = eqPtr(s.BedTime, tc.want.bed) && (tc.want.bedSpr == nil || eqPtr(s.BedSpreadMinutes, tc.want.bedSpr))
					got, exp = []any{show(s.BedTime), show(s.BedSpreadMinutes)}, []any{show(tc.want.bed), show(tc.want.bedSpr)}
				case "wake":
					ok = eqPtr(s.WakeTime, tc.want.wake) && (tc.want.wakeSpread == nil || eqPtr(s.WakeSpreadMinutes, tc.want.wakeSpread))
					got, exp = []any{show(s.WakeTime), show(s.WakeSpreadMinutes)}, []any{show(tc.want.wake), show(tc.want.wakeSpread)}
				case "sleep":
					ok, got, exp = eqPtr(s.SleepHours, tc.want.sleep), show(s.SleepHours), show(tc.want.sleep)
				case "sri":
					ok, got, exp = eqPtr(s.SRI, tc.want.sri), show(s.SRI), show(tc.want.sri)
				case "jetlag":
					ok, got, exp = eqPtr(s.SocialJetlagHours, tc.want.jetlag), show(s.SocialJetlagHours), show(tc.want.jetlag)
				case "allNighters":
					ok, got, exp = s.AllNighters == tc.want.allNighters, s.AllNighters, tc.want.allNighters
				case "actDays":
					ok, got, exp = s.ActiveDays == tc.want.actDays, s.ActiveDays, tc.want.actDays
				default:
					t.Fatalf("unknown check %q", c)
				}
				if !ok {
					t.Errorf("%s = %v, want %v", c, got, exp)
				}
			}
		})
	}
}
