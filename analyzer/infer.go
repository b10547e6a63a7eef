package analyzer

import (
	"slices"
	"time"
)

// MethodModel names the per-person hidden semi-Markov model (hsmm.go), the default inference.
const MethodModel = "nezame-hsmm/8"

// How the model treats long silences and the time after the last post.
const (
	// A silence is an absence (the person was away, or not posting at all) when it is far
	// longer than the silences the person keeps: longer than absenceFactor times the
	// absenceQuantile of their silences of longSilence or more (nearly all of them nights, the
	// rest quiet spells), so that it can be neither one of their nights nor a night and an
	// ordinary silent day. A silence of up to absenceMin (the longest sleep the model has) is
	// never an absence, and one of more than absenceMax — two days, so that at least one whole
	// waking day passed without a post — always is, whatever the person's habits: the nights
	// inside it would be the model's priors, not inferences. Without absenceHistory long
	// silences to learn from, only absenceMax applies. Only absenceEdge on each side of an
	// absence is analysed (the night right after the last post and right before the next can
	// still be sleep); the rest is a gap.
	absenceMin      = maxSleep * binMs
	absenceMax      = 48 * msPerHour
	absenceFactor   = 2
	absenceQuantile = 0.9
	absenceHistory  = 5
	longSilence     = 3 * msPerHour
	absenceEdge     = 12 * msPerHour
	// edgeReach is how far from the post at an absence's edge a sleep may begin (after the last
	// post) or end (before the next) and still be claimed: beyond it, the person may as well
	// have been away.
	edgeReach = 6 * msPerHour
	// emIterations is the number of EM updates before the final pass, first for everyone and
	// then again for a person with two regimes (whose regime tables start as copies and must
	// be learned).
	emIterations       = 0
	emRegimeIterations = 1
	// mergeAwake is the longest dip below P(asleep) = 1/2 inside a sleep that is read as a brief
	// awakening rather than two sleeps.
	mergeAwake = 20 / binMinutes // bins
	// minSleepBins is the shortest sleep reported.
	minSleepBins = 2
)

// episode is a sleep in Unix milliseconds, with its confidence.
type episode struct {
	start, end int64
	conf       float64
	main       bool
}

// stretch is a gap in Unix milliseconds.
type stretch struct {
	start, end int64
	reason     string
}

// inference is what the model says about a person: sleeps and gaps, in time order.
type inference struct {
	sleeps   []episode
	gaps     []stretch
	evidence []int64 // the posts that count as evidence of being awake (evidence())
	changes  []rhythmChange
}

// infer runs the model on sorted timestamps ts inside w; after w.Now, up to futureEnd (the
// calendar's end), is the future.
func infer(z *zone, ts []int64, w Window, futureEnd time.Time) inference {
	var inf inference
	if len(ts) > 0 && !w.From.IsZero() && w.From.UnixMilli() < ts[0] {
		reason := GapBeforeFirstPost
		if w.Truncated {
			reason = GapAPILimit
		}
		inf.gaps = append(inf.gaps, stretch{w.From.UnixMilli(), ts[0], reason})
	}
	ev := evidence(z, ts)
	inf.evidence = ev
	if len(ev) > 0 {
		horizon := ev[len(ev)-1]
		if !w.Now.IsZero() && w.Now.UnixMilli() > horizon {
			horizon = w.Now.UnixMilli()
			if !w.To.IsZero() {
				horizon = min(horizon, w.To.UnixMilli())
			}
		}
		inf.model(z, ev, horizon)
	}
	if !w.Now.IsZero() && !futureEnd.IsZero() && w.Now.Before(futureEnd) {
		inf.gaps = append(inf.gaps, stretch{w.Now.UnixMilli(), futureEnd.UnixMilli(), GapFuture})
	}
	sortSpans(inf.gaps)
	return inf
}

// model fits the model to the evidence ev (distinct, sorted) and decodes sleeps up to horizon
// (≥ the last post), adding the absences it finds to inf.gaps.
func (inf *inference) model(z *zone, ev []int64, horizon int64) {
	chains, absences := buildChains(z, ev, horizon)
	m := params{regimes: 1}
	// A person whose daily rhythm moved for good (a flight across time zones) is read on their
	// own clock: the days after the move with the clock moved back by the shift, so that one
	// rhythm, learned from all the days, places the nights on both sides.
	inf.changes = rhythmChanges(z, ev)
	if len(inf.changes) > 0 {
		shift := rhythmAt(inf.changes)
		for i := range chains {
			chains[i].rephase(z, shift)
		}
	}
	m.more = continuation(chains)
	acc, lag := initialCounts(chains)
	m.lag = lag
	m.update(&acc)
	m.compile()
	f := newFB()
	sleeps := fitAndDecode(&m, chains, f, emIterations, ev, ev[0], horizon, nil)
	// A person whose nights fall into two patterns (shift work, a move across time zones) is
	// fitted again with each day following its own pattern's rhythm.
	if regime := regimes(z, sleeps); regime != nil {
		for i := range chains {
			chains[i].setRegimes(regime)
		}
		m.splitRegimes()
		sleeps = fitAndDecode(&m, chains, f, emRegimeIterations, ev, ev[0], horizon, nil)
	}
	inf.sleeps = sleeps
	inf.sleeps, inf.gaps = applyAbsences(inf.sleeps, inf.gaps, absences)
}

// fitAndDecode runs iterations EM updates of m from its current value, then a last pass, and
// decodes the sleeps of every chain (clipped to [lo, hi]) into out.
func fitAndDecode(m *params, chains []chain, f *fb, iterations int, ev []int64, lo, hi int64, out []episode) []episode {
	for range iterations {
		var acc counts
		for i := range chains {
			m.forward(&chains[i], f)
			m.backward(&chains[i], f, &acc)
		}
		m.update(&acc)
		m.compile()
	}
	for i := range chains {
		m.forward(&chains[i], f)
		m.backward(&chains[i], f, nil)
		out = decode(&chains[i], f.sleepP, ev, out, lo, hi)
	}
	return out
}

// regimes looks for two patterns among sleeps (clusterMidpoints on their main sleeps). With
// two or more, it returns which one each instant follows: that of the nearest main sleep (the
// dominant pattern 0, any other 1). With one, nil.
func regimes(z *zone, sleeps []episode) func(ms int64) int {
	tmp := append([]episode(nil), sleeps...)
	pats, nights := assignNights(z, tmp)
	if len(pats) < 2 {
		return nil
	}
	var mids []int64
	var regime []int
	for i, s := range tmp {
		if s.main {
			mids = append(mids, s.start+(s.end-s.start)/2)
			regime = append(regime, min(nights[i].pattern, 1))
		}
	}
	if len(mids) == 0 {
		return nil
	}
	k := 0
	return func(ms int64) int { // called with ms increasing along a chain, then restarting
		for k > 0 && mids[k] > ms {
			k--
		}
		for k+1 < len(mids) && mids[k+1] <= ms {
			k++
		}
		if k+1 < len(mids) && mids[k+1]-ms < ms-mids[k] {
			return regime[k+1]
		}
		return regime[k]
	}
}

// continuation estimates P(post | awake, post in the previous bin) from the bins that follow a
// posting bin (nearly all of them awake), with one pseudo-count each way.
func continuation(chains []chain) float64 {
	more, stop := 1.0, 1.0
	for i := range chains {
		for _, o := range chains[i].obs {
			switch o {
			case obsMore, obsRun:
				more++
			case obsStop:
				stop++
			}
		}
	}
	return min(more/(more+stop), 0.95)
}

// buildChains bins the evidence into chains, splitting at absences, which it returns as spans
// [last post, next post) (or [last post, horizon) at the end).
func buildChains(z *zone, ev []int64, horizon int64) ([]chain, []stretch) {
	limit := absenceLimit(ev)
	var chains []chain
	var absences []stretch
	from := ev[0] // the chain being built starts here
	fromSilence := false
	i := 0
	for i < len(ev) {
		// Extend to the last post before an absence (or the end).
		j := i
		for j+1 < len(ev) && ev[j+1]-ev[j] <= limit {
			j++
		}
		end := horizon
		// Each side of an absence models absenceEdge of it, or half of a shorter one, so that
		// the chains on either side do not overlap.
		edge := int64(absenceEdge)
		if j+1 < len(ev) {
			edge = min(edge, (ev[j+1]-ev[j])/2)
			end = ev[j] + edge
			absences = append(absences, stretch{ev[j], ev[j+1], GapAbsence})
		} else if horizon-ev[j] > limit {
			end = ev[j] + absenceEdge
			absences = append(absences, stretch{ev[j], horizon, GapAbsence})
		}
		chains = append(chains, newChain(z, ev[i:j+1], from, end, fromSilence))
		if j+1 < len(ev) {
			from, fromSilence = ev[j+1]-edge, true
		}
		i = j + 1
	}
	return chains, absences
}

// absenceLimit is the longest silence that is not an absence for a person with posts ev (see
// absenceFactor).
func absenceLimit(ev []int64) int64 {
	var long []int64
	for i := 1; i < len(ev); i++ {
		if d := ev[i] - ev[i-1]; d >= longSilence {
			long = append(long, d)
		}
	}
	if len(long) < absenceHistory {
		return absenceMax
	}
	slices.Sort(long)
	usual := long[int(absenceQuantile*float64(len(long)))]
	return min(max(absenceFactor*usual, absenceMin), absenceMax)
}

// newChain bins posts (sorted, distinct) over [from, end].
func newChain(z *zone, posts []int64, from, end int64, fromSilence bool) chain {
	start := floorDiv(from, binMs) * binMs
	n := int((end-start)/binMs) + 1
	codes := make([]uint8, 2*n) // the observations, then the lag buckets: one allocation
	ch := chain{start: start, obs: codes[:n:n], lag: codes[n:], postSlot: make([]uint16, n+maxSleep),
		nightSlot: make([]uint16, n+maxSleep), asleepAtStart: fromSilence}
	for _, t := range posts {
		ch.obs[(t-start)/binMs] = obsStart
	}
	prevPost, prev2 := false, false
	for b := range n {
		post := ch.obs[b] == obsStart
		switch {
		case post && prevPost && prev2:
			ch.obs[b] = obsRun
		case post && prevPost:
			ch.obs[b] = obsMore
		case !post && prevPost:
			ch.obs[b] = obsStop
		}
		prevPost, prev2 = post, prevPost
	}
	k := 1000 // a chain starting inside a silence: long since the last post
	if !fromSilence {
		k = 2
	}
	for b, o := range ch.obs {
		ch.lag[b] = lagBucket(k)
		if o == obsStart || o == obsMore || o == obsRun {
			k = 1
		} else {
			k++
		}
	}
	ch.rephase(z, nil)
	return ch
}

// rephase sets every bin's slots (regime 0): its clock bin and day type on the person's own
// clock, the zone's local clock moved back by shift(ms) (none when shift is nil).
func (ch *chain) rephase(z *zone, shift func(ms int64) int64) {
	for b := -maxSleep; b < len(ch.obs); b++ {
		// The night's date is taken 12 h back on the local clock (not the instant 12 h
		// earlier): the same thing but on the day of a daylight-saving change.
		mid := ch.start + int64(b)*binMs + binMs/2
		local := z.localMs(mid)
		if shift != nil {
			local -= shift(mid)
		}
		day := floorDiv(local, msPerDay)
		c := (local - day*msPerDay) / binMs
		ch.postSlot[b+maxSleep] = uint16(c + nClock*z.freeDay(day))
		ch.nightSlot[b+maxSleep] = uint16(c + nClock*z.freeDay(floorDiv(local-12*msPerHour, msPerDay)+1))
	}
}

// freeDay is 1 when local date d is a day of the zone's weekend, else 0.
func (z *zone) freeDay(d int64) int64 {
	if z.rest.has(weekday(d)) {
		return 1
	}
	return 0
}

// decode turns P(asleep) per bin into sleep episodes: runs of bins at or above 1/2, joined
// across dips of at most mergeAwake bins (a brief awakening), at least minSleepBins long. Each
// edge is then placed within its bins (placeEdge) and kept clear of the posts next to it
// (clearOfPosts), and the episode is clipped to [lo, hi]. The confidence is the mean
// P(asleep) over the episode's bins.
func decode(ch *chain, p []float64, ev []int64, out []episode, lo, hi int64) []episode {
	n := len(p)
	type run struct{ s, e int }
	var runs []run
	for t := 0; t < n; {
		if p[t] < 0.5 {
			t++
			continue
		}
		s, e := t, t+1
		for {
			for e < n && p[e] >= 0.5 {
				e++
			}
			k := e
			for k < n && k-e < mergeAwake+1 && p[k] < 0.5 {
				k++
			}
			if k < n && k-e <= mergeAwake && p[k] >= 0.5 {
				e = k
				continue
			}
			break
		}
		t = e
		if e-s >= minSleepBins {
			runs = append(runs, run{s, e})
		}
	}
	for k, r := range runs {
		prevEnd, nextStart := 0, n
		if k > 0 {
			prevEnd = runs[k-1].e
		}
		if k+1 < len(runs) {
			nextStart = runs[k+1].s
		}
		sum := 0.0
		for b := r.s; b < r.e; b++ {
			sum += p[b]
		}
		ep := episode{
			start: ch.start + placeEdge(p, r.s, prevEnd, r.e, true),
			end:   ch.start + placeEdge(p, r.e, r.s, nextStart, false),
			conf:  sum / float64(r.e-r.s),
		}
		ep.start, ep.end = clearOfPosts(ev, ep.start, ep.end)
		ep.start, ep.end = max(ep.start, lo), min(ep.end, hi)
		if ep.end-ep.start >= minSleepBins*binMs/2 {
			out = append(out, ep)
		}
	}
	return out
}

// edgeReachBins is how many bins on each side of a run's edge placeEdge looks at.
const edgeReachBins = 2

// placeEdge returns the offset (ms from bin 0) of a run's edge at bin boundary b, finer than a
// bin: over the bins within edgeReachBins of b (and within [lo, hi)), a clean step from awake to
// asleep (rising) or back (falling) is placed where it gives the same expected time asleep as
// the posterior does. A posterior that is 0.9 in the run's first bin and 0.3 in the bin before
// puts the onset 0.2 bins before the boundary.
func placeEdge(p []float64, b, lo, hi int, rising bool) int64 {
	from, to := max(b-edgeReachBins, lo), min(b+edgeReachBins, hi)
	area := 0.0
	for t := from; t < to; t++ {
		area += p[t]
	}
	at := float64(from) + area // falling: asleep from `from` for `area` bins
	if rising {
		at = float64(to) - area // asleep for `area` bins up to `to`
	}
	at = min(max(at, float64(from)), float64(to))
	return int64(at * binMs)
}

// edgeClear is how far a sleep's edge is kept from the post next to it.
const edgeClear = 5 * msPerMinute

// clearOfPosts moves a sleep's edges past the posts within a bin of them: someone who posted
// was awake then, so the sleep begins after the last of those posts and ends before the first.
// Posts deeper inside the sleep are brief awakenings and stay inside it.
func clearOfPosts(ev []int64, start, end int64) (int64, int64) {
	i, _ := slices.BinarySearch(ev, start-edgeClear)
	for ; i < len(ev) && ev[i] < min(start+binMs, end); i++ {
		start = max(start, ev[i]+edgeClear)
	}
	j, _ := slices.BinarySearch(ev, end+edgeClear)
	for j--; j >= 0 && ev[j] > max(end-binMs, start); j-- {
		end = min(end, ev[j]-edgeClear)
	}
	return start, end
}

// applyAbsences keeps, of the sleeps inside each absence, only the one that starts soon after
// its last post and the one that ends soon before its next post; the stretch between them (or
// the whole absence) becomes a gap.
func applyAbsences(sleeps []episode, gaps []stretch, absences []stretch) ([]episode, []stretch) {
	for _, a := range absences {
		g0, g1 := a.start, a.end
		for _, s := range sleeps {
			if s.start >= a.start && s.start <= a.start+edgeReach && s.end > g0 {
				g0 = s.end
			}
		}
		for k := len(sleeps) - 1; k >= 0; k-- {
			s := sleeps[k]
			if s.end <= a.end && s.end >= a.end-edgeReach && s.start < g1 && s.start >= g0 {
				g1 = s.start
			}
		}
		if g1 <= g0 {
			continue
		}
		kept := sleeps[:0]
		for _, s := range sleeps {
			if s.end <= g0 || s.start >= g1 {
				kept = append(kept, s)
			}
		}
		sleeps = kept
		gaps = append(gaps, stretch{g0, g1, GapAbsence})
	}
	return sleeps, gaps
}

func sortSpans(s []stretch) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].start < s[j-1].start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
