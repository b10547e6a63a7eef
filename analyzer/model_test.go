package analyzer

import (
	"math"
	"slices"
	"testing"
	"time"
)

// life describes a synthetic person for the model's tests: who sleeps sleeps and, while awake,
// posts every few tens of minutes (a fixed, uneven rhythm), starting wakeLag after waking and
// stopping bedLag before sleeping.
type life struct {
	sleeps          []span
	wakeLag, bedLag time.Duration
	every           time.Duration // mean gap between posts while awake (default 30 min)
}

// posts returns the person's posts from first to last, plus extra.
func (l life) posts(first, last time.Time, extra ...time.Time) []Post {
	every := l.every
	if every == 0 {
		every = 30 * time.Minute
	}
	wakeLag, bedLag := l.wakeLag, l.bedLag
	if wakeLag == 0 {
		wakeLag = 20 * time.Minute
	}
	if bedLag == 0 {
		bedLag = 15 * time.Minute
	}
	// An uneven rhythm: gaps of 0.4 to 1.6 times every, in a fixed sequence.
	steps := []float64{1.0, 0.4, 1.6, 0.7, 1.3, 0.9, 1.1, 0.5, 1.5}
	var ts []time.Time
	from := first
	k := 0
	// People do not post at the same clock minutes day after day (a scheduling client does):
	// each post is up to 20 min late, in a fixed sequence of another period.
	emit := func(a, b time.Time) {
		for v := a; !v.After(b); k++ {
			late := time.Duration(k*37%1200) * time.Second
			if w := v.Add(late); w.Before(b) {
				ts = append(ts, w)
			} else {
				ts = append(ts, v)
			}
			v = v.Add(time.Duration(steps[k%len(steps)] * float64(every)))
		}
	}
	for _, s := range l.sleeps {
		if s.end.Before(first) {
			continue
		}
		if s.start.After(last) {
			break
		}
		emit(from, s.start.Add(-bedLag))
		from = s.end.Add(wakeLag)
	}
	emit(from, last)
	return postsAt(append(ts, extra...)...)
}

// nightly returns n sleeps from bed to wake each night, the first on local date day0.
func nightly(t testing.TB, loc *time.Location, day0 string, n int, bed, wake time.Duration) []span {
	t.Helper()
	return dailySleeps(t, loc, day0, n, func(int) time.Duration { return bed }, func(int) time.Duration { return wake })
}

func near(t *testing.T, what string, got, want time.Time, tol time.Duration) {
	t.Helper()
	if d := got.Sub(want); d < -tol || d > tol {
		t.Errorf("%s = %s, want %s ± %v", what, got.Format("01-02 15:04"), want.Format("01-02 15:04"), tol)
	}
}

func clockNear(t *testing.T, what string, got *string, want string, tolMinutes float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %s", what, want)
		return
	}
	g, _ := time.Parse("15:04", *got)
	w, _ := time.Parse("15:04", want)
	if d := circDist(float64(g.Hour()*60+g.Minute()), float64(w.Hour()*60+w.Minute())); d > tolMinutes {
		t.Errorf("%s = %s, want %s ± %.0f min", what, *got, want, tolMinutes)
	}
}

// sleepsOver returns the sleeps that overlap [a, b).
func sleepsOver(a Analysis, from, to time.Time) []Sleep {
	var out []Sleep
	for _, s := range a.Sleeps {
		if s.Start.Before(to) && s.End.After(from) {
			out = append(out, s)
		}
	}
	return out
}

// TestGapRuleFailures reproduces each way the 2020 gap rule misread a person, now read right.
func TestGapRuleFailures(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	const day0 = "2026-11-02" // a Monday
	first := at(t, tokyo, day0+" 08:00")
	regular := life{sleeps: nightly(t, tokyo, "2026-11-01", 24, hm(23, 0), hm(31, 0))}

	t.Run("a quiet workday after one morning post is not a sleep", func(t *testing.T) {
		t.Parallel()
		// Three weeks of 23:00-07:00 nights; on Wednesday of the third week one post at 06:22,
		// then nothing until 17:48.
		var posts []Post
		for _, p := range regular.posts(first, at(t, tokyo, "2026-11-23 12:00")) {
			if p.Time.Before(at(t, tokyo, "2026-11-18 06:00")) || p.Time.After(at(t, tokyo, "2026-11-18 17:47")) {
				posts = append(posts, p)
			}
		}
		posts = append(posts, Post{Time: at(t, tokyo, "2026-11-18 06:22")}, Post{Time: at(t, tokyo, "2026-11-18 17:48")})
		a := Analyze(posts, tokyo, Window{})
		if s := sleepsOver(a, at(t, tokyo, "2026-11-18 08:00"), at(t, tokyo, "2026-11-18 17:00")); len(s) > 0 {
			t.Errorf("the quiet workday holds sleeps %+v", s)
		}
		clockNear(t, "bedTime", a.Stats.BedTime, "23:00", 30)
		clockNear(t, "wakeTime", a.Stats.WakeTime, "07:00", 45)
		if h := a.Stats.SleepHours; h == nil || *h < 7 || *h > 9 {
			t.Errorf("sleepHours = %v, want about 8", show(h))
		}
		if a.Stats.SRI == nil || *a.Stats.SRI >= 99 {
			t.Errorf("sri = %v", show(a.Stats.SRI))
		}
	})

	t.Run("a lone 02:00 post is a brief awakening, not the end of the night", func(t *testing.T) {
		t.Parallel()
		// A post between 02:00 and 02:20 every night, inside a steady 23:00-07:00 sleep.
		var extra []time.Time
		for i := range 20 {
			d := at(t, tokyo, day0+" 02:00").AddDate(0, 0, i+1)
			extra = append(extra, d.Add(time.Duration(i%3)*7*time.Minute))
		}
		a := Analyze(regular.posts(first, at(t, tokyo, "2026-11-22 12:00"), extra...), tokyo, Window{})
		for _, e := range extra {
			s := sleepsOver(a, e.Add(-time.Minute), e.Add(time.Minute))
			if len(s) != 1 || !s[0].Main || s[0].End.Sub(s[0].Start) < 6*time.Hour {
				t.Errorf("night of %s: sleeps over the post %+v", e.Format("01-02"), s)
			}
		}
		clockNear(t, "bedTime", a.Stats.BedTime, "23:00", 30)
		if h := a.Stats.SleepHours; h == nil || *h < 7 {
			t.Errorf("sleepHours = %v, want about 8 (the gap rule said 5)", show(h))
		}
	})

	t.Run("posts at the same clock minute every night are a schedule, not the person", func(t *testing.T) {
		t.Parallel()
		var extra []time.Time
		for i := range 20 {
			extra = append(extra, at(t, tokyo, day0+" 03:15").AddDate(0, 0, i+1))
		}
		a := Analyze(regular.posts(first, at(t, tokyo, "2026-11-22 12:00"), extra...), tokyo, Window{})
		clockNear(t, "bedTime", a.Stats.BedTime, "23:00", 30)
		clockNear(t, "wakeTime", a.Stats.WakeTime, "07:00", 45)
		if h := a.Stats.SleepHours; h == nil || *h < 7 {
			t.Errorf("sleepHours = %v", show(h))
		}
	})

	t.Run("a 3 h 20 min sleeper sleeps every night", func(t *testing.T) {
		t.Parallel()
		short := life{sleeps: nightly(t, tokyo, "2026-11-01", 10, hm(27, 0), hm(30, 20)), every: 20 * time.Minute}
		a := Analyze(short.posts(first, at(t, tokyo, "2026-11-09 12:00")), tokyo, Window{})
		if a.Stats.AllNighters != 0 {
			t.Errorf("allNighters = %d, want 0", a.Stats.AllNighters)
		}
		if h := a.Stats.SleepHours; h == nil || *h < 2.8 || *h > 4.2 {
			t.Errorf("sleepHours = %v, want about 3.3", show(h))
		}
		if a.Stats.Nights < 6 {
			t.Errorf("nights = %d", a.Stats.Nights)
		}
	})

	t.Run("a day sleeper straddling noon has no phantom all-nighters", func(t *testing.T) {
		t.Parallel()
		day := life{sleeps: nightly(t, tokyo, "2026-11-01", 16, hm(8, 0), hm(16, 0))}
		a := Analyze(day.posts(at(t, tokyo, "2026-11-01 18:00"), at(t, tokyo, "2026-11-15 20:00")), tokyo, Window{})
		if a.Stats.AllNighters != 0 {
			t.Errorf("allNighters = %d, want 0", a.Stats.AllNighters)
		}
		if h := a.Stats.SleepHours; h == nil || *h < 7 || *h > 9 {
			t.Errorf("sleepHours = %v, want about 8", show(h))
		}
		if a.Stats.Nights < 13 {
			t.Errorf("nights = %d, want 13 or 14", a.Stats.Nights)
		}
		clockNear(t, "bedTime", a.Stats.BedTime, "08:00", 30)
		mains := 0
		for _, s := range a.Sleeps {
			if s.Main {
				mains++
			}
		}
		if mains != a.Stats.Nights {
			t.Errorf("%d main sleeps, %d nights", mains, a.Stats.Nights)
		}
	})

	t.Run("alternating 23:00 and 05:00 bedtimes are two patterns, not 02:00", func(t *testing.T) {
		t.Parallel()
		alt := life{sleeps: dailySleeps(t, tokyo, "2026-11-01", 24,
			func(i int) time.Duration { return hm(23+6*(i%2), 0) },
			func(i int) time.Duration { return hm(31+6*(i%2), 0) })}
		a := Analyze(alt.posts(first, at(t, tokyo, "2026-11-24 20:00")), tokyo, Window{})
		if len(a.Stats.Patterns) != 2 {
			t.Fatalf("patterns = %+v, want two", a.Stats.Patterns)
		}
		beds := []string{a.Stats.Patterns[0].BedTime, a.Stats.Patterns[1].BedTime}
		if a.Stats.BedTime == nil || *a.Stats.BedTime != beds[0] {
			t.Errorf("bedTime %v is not the dominant pattern's %s", show(a.Stats.BedTime), beds[0])
		}
		for _, want := range []string{"23:00", "05:00"} {
			ok := false
			for _, b := range beds {
				g, _ := time.Parse("15:04", b)
				w, _ := time.Parse("15:04", want)
				ok = ok || circDist(float64(g.Hour()*60+g.Minute()), float64(w.Hour()*60+w.Minute())) <= 45
			}
			if !ok {
				t.Errorf("no pattern goes to bed near %s: %v", want, beds)
			}
		}
	})

	t.Run("never silent: no sleep, SRI null", func(t *testing.T) {
		t.Parallel()
		var ts []int64
		start := at(t, tokyo, day0+" 00:00").UnixMilli()
		for i := range int64(100_000) {
			ts = append(ts, start+i*37_000) // every 37 s for six weeks
		}
		a := AnalyzeTimes(ts, tokyo, Window{})
		if len(a.Sleeps) != 0 || a.Stats.SRI != nil || a.Stats.SleepHours != nil {
			t.Errorf("sleeps %d sri %v sleepHours %v", len(a.Sleeps), show(a.Stats.SRI), show(a.Stats.SleepHours))
		}
	})

	t.Run("naps count as sleep but are not the main sleep", func(t *testing.T) {
		t.Parallel()
		naps := dailySleeps(t, tokyo, day0, 20, func(int) time.Duration { return hm(14, 0) }, func(int) time.Duration { return hm(15, 0) })
		all := append(append([]span{}, regular.sleeps...), naps...)
		sortSpansByStart(all)
		napper := life{sleeps: all, every: 20 * time.Minute, wakeLag: 10 * time.Minute, bedLag: 10 * time.Minute}
		a := Analyze(napper.posts(first, at(t, tokyo, "2026-11-21 20:00")), tokyo, Window{})
		found := 0
		for _, n := range naps[:19] {
			for _, s := range sleepsOver(a, n.start.Add(15*time.Minute), n.end.Add(-15*time.Minute)) {
				if s.Main {
					t.Errorf("nap %s is a main sleep", n.start.Format("01-02 15:04"))
				}
				found++
			}
		}
		if found < 15 {
			t.Errorf("%d of 19 naps found", found)
		}
		if h := a.Stats.SleepHours; h == nil || *h < 7 || *h > 9 {
			t.Errorf("sleepHours = %v, want the nights' 8 (naps apart)", show(h))
		}
	})
}

func sortSpansByStart(s []span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].start.Before(s[j-1].start); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestRegularSleeperTiming checks that the model places a steady sleeper's nights where they
// are, although the first post comes well after waking and the last well before sleep.
func TestRegularSleeperTiming(t *testing.T) {
	t.Parallel()
	ny := mustLoad(t, "America/New_York")
	p := life{sleeps: nightly(t, ny, "2026-10-04", 24, hm(23, 30), hm(31, 0)), wakeLag: 40 * time.Minute, bedLag: 20 * time.Minute}
	a := Analyze(p.posts(at(t, ny, "2026-10-05 08:00"), at(t, ny, "2026-10-26 22:00")), ny, Window{})
	for _, s := range p.sleeps[1:21] {
		got := sleepsOver(a, s.start, s.end)
		if len(got) != 1 || !got[0].Main {
			t.Errorf("night of %s: %+v", s.start.Format("01-02"), got)
			continue
		}
		near(t, "onset", got[0].Start, s.start, 40*time.Minute)
		near(t, "wake", got[0].End, s.end, 45*time.Minute)
		if c := got[0].Confidence; c <= 0.5 || c > 1 {
			t.Errorf("confidence %v", c)
		}
	}
	if a.Method != MethodModel || a.Stats.SRI == nil || *a.Stats.SRI < 70 {
		t.Errorf("method %s sri %v", a.Method, show(a.Stats.SRI))
	}
	if math.Abs(*a.Stats.SleepHours-7.5) > 1 {
		t.Errorf("sleepHours %v", *a.Stats.SleepHours)
	}
}

// TestSocialJetlag: a sleeper whose free nights (before the zone's two rest days) begin 90 min
// later and end two hours later, posting about once an hour, is read with later free nights,
// not one blended rhythm: the typical free night is placed as late as it is, nights are not
// pulled towards the other kind's hours, and social jetlag is the difference of mid-sleeps
// (1 h 45 min). In Riyadh the week rests on Friday and Saturday, so the late nights are
// Thursday's and Friday's; read by a Saturday-and-Sunday week, the stat would blend a late
// Friday with an early Saturday. The Riyadh life is New York's a day earlier (both start on
// their second rest day), so both must read exactly alike.
func TestSocialJetlag(t *testing.T) {
	t.Parallel()
	type reading struct{ onset, wake [2]float64 }
	var readings [2]reading
	for i, tc := range []struct {
		zone, day0 string
		late       [2]time.Weekday // the nights starting on these days are free
		weekend    []time.Weekday
	}{
		{"America/New_York", "2026-10-04", [2]time.Weekday{time.Friday, time.Saturday}, []time.Weekday{time.Sunday, time.Saturday}},
		{"Asia/Riyadh", "2026-10-03", [2]time.Weekday{time.Thursday, time.Friday}, []time.Weekday{time.Friday, time.Saturday}},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			loc := mustLoad(t, tc.zone)
			day0 := at(t, loc, tc.day0+" 00:00")
			free := func(i int) bool {
				wd := day0.AddDate(0, 0, i).Weekday()
				return wd == tc.late[0] || wd == tc.late[1]
			}
			bed := func(i int) time.Duration {
				if free(i) {
					return hm(25, 0)
				}
				return hm(23, 30)
			}
			wake := func(i int) time.Duration {
				if free(i) {
					return hm(33, 0)
				}
				return hm(31, 0)
			}
			p := life{sleeps: dailySleeps(t, loc, tc.day0, 28, bed, wake), wakeLag: 60 * time.Minute, bedLag: 30 * time.Minute, every: time.Hour}
			a := Analyze(p.posts(day0.Add(32*time.Hour), day0.Add(27*24*time.Hour+22*time.Hour)), loc, Window{})
			if !slices.Equal(a.Weekend, tc.weekend) {
				t.Errorf("weekend %v, want %v", a.Weekend, tc.weekend)
			}
			var onset, wakeErr [2][]float64 // minutes late, by work (0) / free (1) night
			for i, s := range p.sleeps[1:26] {
				got := sleepsOver(a, s.start, s.end)
				if len(got) != 1 || !got[0].Main {
					t.Errorf("night of %s: %+v", s.start.Format("01-02"), got)
					continue
				}
				k := 0
				if free(i + 1) {
					k = 1
				}
				onset[k] = append(onset[k], got[0].Start.Sub(s.start).Minutes())
				wakeErr[k] = append(wakeErr[k], got[0].End.Sub(s.end).Minutes())
			}
			median := func(x []float64) float64 {
				x = slices.Clone(x)
				slices.Sort(x)
				return x[len(x)/2]
			}
			for k, what := range []string{"work", "free"} {
				readings[i].onset[k], readings[i].wake[k] = median(onset[k]), median(wakeErr[k])
				if m := median(onset[k]); math.Abs(m) > 30 {
					t.Errorf("%s nights: median onset %+.0f min off (%v)", what, m, onset[k])
				}
				if m := median(wakeErr[k]); math.Abs(m) > 30 {
					t.Errorf("%s nights: median wake %+.0f min off (%v)", what, m, wakeErr[k])
				}
			}
			if j := a.Stats.SocialJetlagHours; j == nil || math.Abs(*j-1.75) > 0.5 {
				t.Errorf("socialJetlagHours %v, want about 1.75", show(j))
			}
		})
	}
	if readings[0] != readings[1] {
		t.Errorf("the same life on each zone's week read differently: %+v and %+v", readings[0], readings[1])
	}
}

// TestModelGaps checks what the model says it cannot know: before the first post (or beyond
// the API's cap), a long absence, the future (to the end of To's date, not To itself); and that an ongoing night after the last post is
// claimed up to Now and no further.
func TestModelGaps(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	p := life{sleeps: nightly(t, tokyo, "2026-11-01", 24, hm(23, 0), hm(31, 0))}
	var posts []Post
	for _, q := range p.posts(at(t, tokyo, "2026-11-02 08:00"), at(t, tokyo, "2026-11-21 22:40")) {
		// Offline from Friday 11-13 21:00 to Sunday 11-15 10:00.
		if q.Time.Before(at(t, tokyo, "2026-11-13 21:00")) || q.Time.After(at(t, tokyo, "2026-11-15 10:00")) {
			posts = append(posts, q)
		}
	}
	w := Window{From: at(t, tokyo, "2026-10-25 02:00"), To: at(t, tokyo, "2026-11-22 12:00"), Now: at(t, tokyo, "2026-11-22 03:00")}
	for _, truncated := range []bool{false, true} {
		w.Truncated = truncated
		a := Analyze(posts, tokyo, w)
		first := GapBeforeFirstPost
		if truncated {
			first = GapAPILimit
		}
		if len(a.Gaps) != 3 || a.Gaps[0].Reason != first || !a.Gaps[0].Start.Equal(w.From) ||
			!a.Gaps[0].End.Equal(posts[0].Time) || a.Gaps[1].Reason != GapAbsence || a.Gaps[2].Reason != GapFuture ||
			!a.Gaps[2].Start.Equal(w.Now) || !a.Gaps[2].End.Equal(at(t, tokyo, "2026-11-23 00:00")) {
			t.Fatalf("gaps = %+v", a.Gaps)
		}
		// The night after going quiet (Friday) is still claimed; the absence covers the
		// Saturday, and not the Saturday night, which ends shortly before the next post.
		abs := a.Gaps[1]
		if abs.Start.Before(at(t, tokyo, "2026-11-14 05:00")) || abs.End.After(at(t, tokyo, "2026-11-15 01:00")) {
			t.Errorf("absence %v .. %v", abs.Start, abs.End)
		}
		if s := sleepsOver(a, at(t, tokyo, "2026-11-14 02:00"), at(t, tokyo, "2026-11-14 04:00")); len(s) != 1 || !s[0].Main {
			t.Errorf("the night after going quiet: %+v", s)
		}
		// The ongoing night after the last post (22:40) is claimed up to Now.
		last := a.Sleeps[len(a.Sleeps)-1]
		if !last.End.Equal(w.Now) || last.Start.Before(at(t, tokyo, "2026-11-21 22:40")) {
			t.Errorf("ongoing night %v .. %v", last.Start, last.End)
		}
	}
	// Now before the window: all of it is in the future.
	a := Analyze(nil, tokyo, Window{From: w.From, To: w.To, Now: w.From.Add(-time.Hour)})
	if len(a.Gaps) != 1 || a.Gaps[0].Reason != GapFuture || !a.Gaps[0].Start.Equal(w.From) {
		t.Errorf("gaps = %+v", a.Gaps)
	}
}
