package analyzer

import (
	"slices"
	"time"
)

// Evidence of an all-nighter: within the hours a person usually sleeps (their dominant pattern's
// typical sleep, widened by allNightMargin each side), no silence between posts longer than
// allNightSilence.
const (
	allNightMargin  = msPerHour
	allNightSilence = 3 * msPerHour
)

// export converts the inference to the contract's types in loc.
func (inf *inference) export(loc *time.Location) ([]Sleep, []Gap) {
	sleeps := make([]Sleep, len(inf.sleeps))
	for i, s := range inf.sleeps {
		sleeps[i] = Sleep{Start: time.UnixMilli(s.start).In(loc), End: time.UnixMilli(s.end).In(loc),
			Confidence: round2(min(max(s.conf, 0), 1)), Main: s.main}
	}
	gaps := make([]Gap, len(inf.gaps))
	for i, g := range inf.gaps {
		gaps[i] = Gap{Start: time.UnixMilli(g.start).In(loc), End: time.UnixMilli(g.end).In(loc), Reason: g.reason}
	}
	return sleeps, gaps
}

// exportChanges converts the moves across time zones to the contract's type in loc.
func (inf *inference) exportChanges(loc *time.Location) []ZoneChange {
	out := make([]ZoneChange, len(inf.changes))
	for i, c := range inf.changes {
		out[i] = ZoneChange{At: time.UnixMilli(c.at).In(loc), Hours: int(c.shift / msPerHour)}
	}
	return out
}

// modelStats computes the statistics from the model's sleeps and gaps (docs/METHOD.md,
// "Statistics"). ts are the sorted posts; pats and nights come from assignNights.
func modelStats(z *zone, ts []int64, inf inference, pats []pattern, nights []nightOf) Stats {
	st := Stats{Patterns: []Pattern{}, ActiveDays: activeDays(z, ts)}
	if len(ts) == 0 {
		return st
	}
	first, last := ts[0], ts[len(ts)-1]
	st.LongestAwakeHours = round1(float64(longestAwake(inf, first, last)) / msPerHour)

	// Main sleeps, by pattern.
	var mains []mainSleep
	byPattern := make([][]mainSleep, len(pats))
	for i, s := range inf.sleeps {
		if !s.main {
			continue
		}
		m := mainSleep{night: nights[i].night, start: s.start, end: s.end}
		mains = append(mains, m)
		byPattern[nights[i].pattern] = append(byPattern[nights[i].pattern], m)
	}
	// Patterns are reported only when the nights really form more than one, each with enough
	// main sleeps; the dominant one (most nights) gives wakeTime and bedTime. After a move across
	// time zones the nights on each clock are a pattern (clockPatterns), the current clock's first.
	dominant := mains
	allNight := pattern{}
	if len(pats) > 0 {
		allNight = pats[0]
	}
	inScope := func(int64) bool { return true }
	if groups, shifts := clockPatterns(inf.changes, mains); groups != nil {
		for _, g := range groups {
			wake, _, okW := circularClock(clocksOf(z, g, func(m mainSleep) int64 { return m.end }))
			bed, _, okB := circularClock(clocksOf(z, g, func(m mainSleep) int64 { return m.start }))
			if okW && okB {
				st.Patterns = append(st.Patterns, Pattern{WakeTime: clockString(wake), BedTime: clockString(bed), Nights: len(g)})
			}
		}
		if len(st.Patterns) < 2 {
			st.Patterns = []Pattern{}
		}
		dominant = groups[0]
		if mid, _, ok := circularClock(clocksOf(z, dominant, func(m mainSleep) int64 { return m.start + (m.end-m.start)/2 })); ok {
			allNight = pattern{mid: mid}
		}
		at := rhythmAt(inf.changes)
		inScope = func(centre int64) bool { return at(centre) == shifts[0] }
	} else if counted := patternsWith(byPattern, MinNights); len(counted) >= 2 {
		for _, k := range counted {
			wake, _, okW := circularClock(clocksOf(z, byPattern[k], func(m mainSleep) int64 { return m.end }))
			bed, _, okB := circularClock(clocksOf(z, byPattern[k], func(m mainSleep) int64 { return m.start }))
			if okW && okB {
				st.Patterns = append(st.Patterns, Pattern{WakeTime: clockString(wake), BedTime: clockString(bed), Nights: len(byPattern[k])})
			}
		}
		if len(st.Patterns) < 2 {
			st.Patterns = []Pattern{}
		} else {
			dominant = byPattern[counted[0]]
		}
	}
	if len(dominant) >= MinNights {
		if mean, sd, ok := circularClock(clocksOf(z, dominant, func(m mainSleep) int64 { return m.end })); ok {
			st.WakeTime, st.WakeSpreadMinutes = ptr(clockString(mean)), ptr(round1(sd))
		}
		if mean, sd, ok := circularClock(clocksOf(z, dominant, func(m mainSleep) int64 { return m.start })); ok {
			st.BedTime, st.BedSpreadMinutes = ptr(clockString(mean)), ptr(round1(sd))
		}
	}
	if len(mains) >= MinNights {
		lens := make([]int64, len(mains))
		for i, m := range mains {
			lens[i] = m.end - m.start
		}
		st.SleepHours = ptr(round1(medianMs(lens) / msPerHour))
	}
	st.SocialJetlagHours = socialJetlag(z, dominant)

	// SRI over covered time, and only for someone who sleeps: a person with no inferred sleep
	// is not perfectly regular, we just cannot say.
	if len(mains) >= MinNights {
		if idx, valid := sri(epochStates(inf), first, last); valid >= MinSRIDays*1440 {
			st.SRI = ptr(round2(idx))
		}
	}

	if len(pats) > 0 && len(dominant) >= MinNights {
		st.AllNighters = countAllNighters(z, inf, allNight, dominant, mains, first, last, inScope)
	}
	labels := map[int64]bool{}
	for _, m := range mains {
		labels[m.night] = true
	}
	st.Nights = len(labels) + st.AllNighters
	return st
}

// clockPatterns groups the main sleeps of someone who moved across time zones by the clock they
// kept when each began (the moves before it, summed): the nights on one clock fall at one set of
// hours on the zone's clock and those on another hours apart, whatever their numbers, so each
// clock with at least MinNights main sleeps is a pattern of its own. Clustering the nights by
// their hours would miss a clock kept for fewer than a fifth of them, and report the mean of two
// clocks, a time the person never slept at. The clock kept since the last move comes first (it
// is how the person lives now), then the others by nights, maxPatterns at most (a record of
// many trips lists the clocks kept longest). Nil without moves, or when no clock has MinNights
// main sleeps; shifts[i] is groups[i]'s clock (rhythmAt).
func clockPatterns(changes []rhythmChange, mains []mainSleep) (groups [][]mainSleep, shifts []int64) {
	if len(changes) == 0 {
		return nil, nil
	}
	at := rhythmAt(changes)
	current := at(changes[len(changes)-1].at)
	byShift := map[int64][]mainSleep{}
	for _, m := range mains {
		s := at(m.start)
		if _, ok := byShift[s]; !ok {
			shifts = append(shifts, s)
		}
		byShift[s] = append(byShift[s], m)
	}
	shifts = slices.DeleteFunc(shifts, func(s int64) bool { return len(byShift[s]) < MinNights })
	if len(shifts) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(shifts, func(a, b int64) int {
		switch {
		case a == current:
			return -1
		case b == current:
			return 1
		}
		return len(byShift[b]) - len(byShift[a])
	})
	shifts = shifts[:min(len(shifts), maxPatterns)]
	for _, s := range shifts {
		groups = append(groups, byShift[s])
	}
	return groups, shifts
}

// patternsWith returns the indices of the patterns with at least min main sleeps, most first.
func patternsWith(byPattern [][]mainSleep, min int) []int {
	var out []int
	for k, ms := range byPattern {
		if len(ms) >= min {
			out = append(out, k)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return len(byPattern[b]) - len(byPattern[a]) })
	return out
}

func clocksOf(z *zone, ms []mainSleep, at func(mainSleep) int64) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = z.clockMs(at(m))
	}
	return out
}

// epochStates lists the sleeps (asleep) and gaps (unknown) as the sorted, disjoint spans sri
// sweeps.
func epochStates(inf inference) []gap {
	out := make([]gap, 0, len(inf.sleeps)+len(inf.gaps))
	i, j := 0, 0
	for i < len(inf.sleeps) || j < len(inf.gaps) {
		if j == len(inf.gaps) || (i < len(inf.sleeps) && inf.sleeps[i].start < inf.gaps[j].start) {
			out = append(out, gap{start: inf.sleeps[i].start, end: inf.sleeps[i].end, state: stateAsleep})
			i++
			continue
		}
		out = append(out, gap{start: inf.gaps[j].start, end: inf.gaps[j].end, state: stateUnknown})
		j++
	}
	return out
}

// longestAwake is the longest stretch of [first, last] inside no sleep and no gap.
func longestAwake(inf inference, first, last int64) int64 {
	spans := epochStates(inf)
	best, from := int64(0), first
	for _, s := range spans {
		if s.end <= from {
			continue
		}
		if s.start > from {
			best = max(best, min(s.start, last)-from)
		}
		from = max(from, s.end)
		if from >= last {
			break
		}
	}
	if from < last {
		best = max(best, last-from)
	}
	return best
}

// countAllNighters counts the nights of the dominant pattern p, fully inside [first, last] and
// clear of gaps, that have no main sleep although the person is usually asleep then and their
// posts show them awake right through it: no silence longer than allNightSilence in the hours
// they usually sleep. A night without posts is not an all-nighter, only unknown.
func countAllNighters(z *zone, inf inference, p pattern, dominant, mains []mainSleep, first, last int64, inScope func(centre int64) bool) int {
	lens := make([]int64, len(dominant))
	for i, m := range dominant {
		lens[i] = m.end - m.start
	}
	half := int64(medianMs(lens))/2 + allNightMargin
	slept := map[int64]bool{}
	for _, m := range mains {
		slept[m.night] = true
	}
	count := 0
	for d := z.day(first) - 1; d <= z.day(last); d++ {
		c := nightCentre(z, d, p)
		lo, hi := c-half, c+half
		if lo < first || hi > last || slept[d] || !inScope(c) || overlapsGap(inf.gaps, lo, hi) {
			continue
		}
		if awakeThrough(inf.evidence, lo, hi) {
			count++
		}
	}
	return count
}

func overlapsGap(gaps []stretch, lo, hi int64) bool {
	for _, g := range gaps {
		if g.start < hi && g.end > lo {
			return true
		}
	}
	return false
}

// awakeThrough reports whether the sorted posts ev leave no silence longer than allNightSilence
// inside [lo, hi] (the window's edges count as silences' ends).
func awakeThrough(ev []int64, lo, hi int64) bool {
	i, _ := slices.BinarySearch(ev, lo)
	prev := lo
	for ; i < len(ev) && ev[i] <= hi; i++ {
		if ev[i]-prev > allNightSilence {
			return false
		}
		prev = ev[i]
	}
	return hi-prev <= allNightSilence
}
