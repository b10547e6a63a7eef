package analyzer

import "time"

// MethodGapRule names the 2020 gap rule: silences of 3 h 30 min to 16 h are sleep.
const MethodGapRule = "gaprule/2020"

// gapRuleEpisodes turns the gap rule's silences into the contract's sleeps and gaps: every sleep
// gap is a sleep (the longest of its night the main one, with confidence 1, since the rule knows
// no doubt), every longer silence an absence, and the stretches before the first post and after
// Now the window's own gaps.
func gapRuleEpisodes(z *zone, ts []int64, gaps []gap, w Window, futureEnd time.Time) ([]Sleep, []Gap) {
	sleeps := []Sleep{}
	out := []Gap{}
	at := func(ms int64) time.Time { return time.UnixMilli(ms).In(z.loc) }
	if len(ts) > 0 && !w.From.IsZero() && w.From.UnixMilli() < ts[0] {
		reason := GapBeforeFirstPost
		if w.Truncated {
			reason = GapAPILimit
		}
		out = append(out, Gap{Start: at(w.From.UnixMilli()), End: at(ts[0]), Reason: reason})
	}
	nightOf := func(g gap) int64 { return z.day(g.start + (g.end-g.start)/2 - 12*msPerHour) }
	for i, g := range gaps {
		if g.state != stateAsleep {
			out = append(out, Gap{Start: at(g.start), End: at(g.end), Reason: GapAbsence})
			continue
		}
		main := true
		for j := i - 1; j >= 0 && gaps[j].state == stateAsleep && nightOf(gaps[j]) == nightOf(g); j-- {
			main = main && g.end-g.start > gaps[j].end-gaps[j].start
		}
		for j := i + 1; j < len(gaps) && gaps[j].state == stateAsleep && nightOf(gaps[j]) == nightOf(g); j++ {
			main = main && g.end-g.start >= gaps[j].end-gaps[j].start
		}
		sleeps = append(sleeps, Sleep{Start: at(g.start), End: at(g.end), Confidence: 1, Main: main})
	}
	if !w.Now.IsZero() && !futureEnd.IsZero() && w.Now.Before(futureEnd) {
		out = append(out, Gap{Start: at(w.Now.UnixMilli()), End: at(futureEnd.UnixMilli()), Reason: GapFuture})
	}
	return sleeps, out
}

// mainSleep is the longest sleep episode of night (a local date; the night runs from its noon
// to the next day's noon).
type mainSleep struct {
	night, start, end int64
}

// gapRuleStats computes the statistics under the gap rule from sorted timestamps, their periods
// and their gaps (the 2020 definitions, kept for the baseline).
func gapRuleStats(z *zone, ts []int64, periods []Period, gaps []gap) Stats {
	st := Stats{Patterns: []Pattern{}}

	st.ActiveDays = activeDays(z, ts)
	var longest time.Duration
	for _, p := range periods {
		longest = max(longest, p.End.Sub(p.Start))
	}
	st.LongestAwakeHours = round1(longest.Hours())
	if len(ts) == 0 {
		return st
	}

	// Nights: each sleep episode belongs to the local date of its midpoint − 12 h; the longest
	// episode of a night is its main sleep. Episodes come in time order, so nights do too.
	var mains []mainSleep
	for _, g := range gaps {
		if g.state != stateAsleep {
			continue
		}
		night := z.day(g.start + (g.end-g.start)/2 - 12*msPerHour)
		if k := len(mains) - 1; k >= 0 && mains[k].night == night {
			if g.end-g.start > mains[k].end-mains[k].start {
				mains[k].start, mains[k].end = g.start, g.end
			}
			continue
		}
		mains = append(mains, mainSleep{night: night, start: g.start, end: g.end})
	}

	if len(mains) >= MinNights {
		scratch := make([]int64, len(mains))
		for i, m := range mains {
			scratch[i] = z.clockMs(m.end)
		}
		if mean, sd, ok := circularClock(scratch); ok {
			st.WakeTime, st.WakeSpreadMinutes = ptr(clockString(mean)), ptr(round1(sd))
		}
		for i, m := range mains {
			scratch[i] = z.clockMs(m.start)
		}
		if mean, sd, ok := circularClock(scratch); ok {
			st.BedTime, st.BedSpreadMinutes = ptr(clockString(mean)), ptr(round1(sd))
		}
		for i, m := range mains {
			scratch[i] = m.end - m.start
		}
		st.SleepHours = ptr(round1(medianMs(scratch) / msPerHour))
	}

	st.SocialJetlagHours = socialJetlag(z, mains)

	if idx, valid := sri(gaps, ts[0], ts[len(ts)-1]); valid >= MinSRIDays*1440 {
		st.SRI = ptr(round2(idx))
	}

	st.AllNighters = allNighters(z, ts[0], ts[len(ts)-1], gaps, mains)
	st.Nights = len(mains) + st.AllNighters
	return st
}

// socialJetlag is |MSF − MSW| in hours, taken the short way round the clock, where the
// mid-sleep of a night is the clock time of its main sleep's midpoint and MSF/MSW are the
// circular means over free nights (followed by a day of the zone's weekend) and work nights. Nil
// unless there are MinJetlagNights of each.
func socialJetlag(z *zone, mains []mainSleep) *float64 {
	var free, work []int64
	for _, m := range mains {
		mid := z.clockMs(m.start + (m.end-m.start)/2)
		if z.freeDay(m.night+1) == 1 {
			free = append(free, mid)
		} else {
			work = append(work, mid)
		}
	}
	if len(free) < MinJetlagNights || len(work) < MinJetlagNights {
		return nil
	}
	msf, _, okF := circularClock(free)
	msw, _, okW := circularClock(work)
	if !okF || !okW {
		return nil
	}
	return ptr(round1(clockDiffHours(msf, msw)))
}

// allNighters counts nights whose noon-to-noon window lies inside [first, last], overlaps no
// missing-data gap, and has no sleep episode.
func allNighters(z *zone, first, last int64, gaps []gap, mains []mainSleep) int {
	count, gi, mi := 0, 0, 0
	lastNight := z.day(last) - 1
	noon := z.at(z.day(first), 12*msPerHour)
	for d := z.day(first); d <= lastNight; d++ {
		next := z.at(d+1, 12*msPerHour)
		n0, n1 := noon, next
		noon = next
		if n0 < first || n1 > last {
			continue
		}
		for gi < len(gaps) && gaps[gi].end <= n0 {
			gi++
		}
		if missingIn(gaps[gi:], n1) {
			continue
		}
		for mi < len(mains) && mains[mi].night < d {
			mi++
		}
		if mi < len(mains) && mains[mi].night == d {
			continue
		}
		count++
	}
	return count
}

// missingIn reports whether a missing-data gap starts before end among gaps, which all end after
// the start of the span in question.
func missingIn(gaps []gap, end int64) bool {
	for _, g := range gaps {
		if g.start >= end {
			return false
		}
		if g.state == stateUnknown {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
