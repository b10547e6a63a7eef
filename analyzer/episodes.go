package analyzer

import "time"

// MethodGapRule names the 2020 gap rule: silences of 3 h 30 min to 16 h are sleep.
const MethodGapRule = "gaprule/2020"

// gapRuleEpisodes turns the gap rule's silences into the contract's sleeps and gaps: every sleep
// gap is a sleep (the longest of its night the main one, with confidence 1, since the rule knows
// no doubt), every longer silence an absence, and the stretches before the first post and after
// Now the window's own gaps.
func gapRuleEpisodes(z *zone, ts []int64, gaps []gap, w Window) ([]Sleep, []Gap) {
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
	if !w.Now.IsZero() && !w.To.IsZero() && w.Now.Before(w.To) {
		out = append(out, Gap{Start: at(w.Now.UnixMilli()), End: at(w.To.UnixMilli()), Reason: GapFuture})
	}
	return sleeps, out
}
