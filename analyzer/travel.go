package analyzer

import (
	"math"
	"sort"
)

// A move across time zones (a flight, a move) shifts a person's whole day — their posting and
// their sleep — against the clock of the analysis zone, and the shift lasts: the body clock
// re-entrains to the new zone's light and social schedule by about an hour a day after an
// eastward flight and an hour and a half after a westward one (Aschoff et al. 1975; Waterhouse
// et al. 2007), while the day's social schedule moves at once. A rhythm learned over the whole
// record would then be an average of two that fits neither, and the nights after the flight
// would be pulled towards the hours slept before it. rhythmChanges finds such shifts from the
// clock of the posts, so that the days after a move are read on the person's new clock
// (chain.rephase) and one rhythm serves both sides.
const (
	// travelMinShift is the smallest shift, in hours, read as a change of zone: social jetlag
	// (weekend nights, typically 1-2 h later; Roenneberg et al. 2012) and a late week are
	// smaller.
	travelMinShift = 4
	// travelMinDays is how many days each side of a change must cover: a week, so that each
	// side holds a whole weekly rhythm, and as long as the body clock takes to re-entrain after
	// a shift of 6-9 h. A shorter trip is not told apart from a disturbed week.
	travelMinDays = 7
	// travelMinGain is how much more alike, as a correlation of the two sides' clock profiles,
	// the sides must be once one is shifted than as they are; travelMinFit is how alike they
	// must be once shifted. A run of night shifts among day shifts gives two sides that are
	// each a mix of both: shifting one does not make it match the other.
	//
	// A correlation drawn from n posting sessions varies by about 1/√n, and the best of every
	// day and shift is drawn: the gain must also be travelMinZ times that for the n sessions of
	// the smaller side, so that a few days of a sparse poster's chance posting are not a
	// flight.
	travelMinGain = 0.5
	travelMinFit  = 0.6
	travelMinZ    = 6
	// travelMaxChanges bounds the search, so that it stays linear in the record's days
	// whatever the input: at most 2×travelMaxChanges+1 segments are searched (each search over
	// a segment costs as much as its days), and each can add one change, so a record holds at
	// most that many. A lifetime of archived posts may hold many trips; beyond these, later
	// ones are read on the clock before them.
	travelMaxChanges = 12
)

// hourProfile is the number of posting sessions by local hour.
type hourProfile [24]float64

// rhythmChange is a lasting shift of the daily rhythm: from instant at on, the person's day
// runs shift milliseconds later on the analysis zone's clock than before (a flight west of
// 8 hours: +8 h).
type rhythmChange struct {
	at, shift int64
}

// rhythmChanges returns the changes, in time order, at which the person's daily rhythm moved by
// at least travelMinShift hours and stayed moved for at least travelMinDays on both sides,
// found from the clock of the session starts among ev (sorted, distinct) by binary
// segmentation: the best change of the whole record, then of each side (at most
// travelMaxChanges). None when the rhythm holds, or alternates without a lasting change (shift
// work: each side is then a mix, or the rhythm after a change was kept before it).
func rhythmChanges(z *zone, ev []int64) []rhythmChange {
	if len(ev) == 0 {
		return nil
	}
	first, last := z.day(ev[0]), z.day(ev[len(ev)-1])
	n := int(last - first + 1)
	if n < 2*travelMinDays {
		return nil
	}
	// cum[d] is the profile of the days before day d (days counted from first).
	cum := make([]hourProfile, n+1)
	prev := int64(math.MinInt64)
	for _, t := range ev {
		if t-prev >= binMs { // a session starts: nothing in the previous bin's length
			d := int(z.day(t) - first)
			cum[d+1][z.clockMs(t)/msPerHour]++
		}
		prev = t
	}
	for d := 1; d <= n; d++ {
		for h := range 24 {
			cum[d][h] += cum[d-1][h]
		}
	}
	var out []rhythmChange
	var split func(a, b int)
	searches := 0
	split = func(a, b int) {
		if b-a < 2*travelMinDays || searches == 2*travelMaxChanges+1 {
			return
		}
		searches++
		k, shift := bestChange(cum, a, b)
		if k < 0 {
			return
		}
		split(a, k)
		out = append(out, rhythmChange{changeInstant(z, ev, first+int64(k)), int64(shift) * msPerHour})
		split(k, b)
	}
	split(0, n)
	return out
}

// bestChange returns the day k in (a, b) at which the profiles of days [a, k) and [k, b) are
// best explained by a lasting shift, and the shift in hours (-11..12), or -1 when no day
// qualifies.
func bestChange(cum []hourProfile, a, b int) (int, int) {
	// The profile of every week from a on, for seenBefore, made when a day first needs it.
	var weeks []hourProfile
	before := func(k int) []hourProfile {
		if weeks == nil {
			weeks = make([]hourProfile, b-a-travelMinDays+1)
			for d := range weeks {
				var w hourProfile
				for h := range 24 {
					w[h] = cum[a+d+travelMinDays][h] - cum[a+d][h]
				}
				weeks[d] = unitProfile(&w)
			}
		}
		return weeks[:k-a-travelMinDays+1]
	}
	best, bestShift, bestGain := -1, 0, travelMinGain
	for k := a + travelMinDays; k <= b-travelMinDays; k++ {
		var x, y hourProfile
		var nx, ny float64
		for h := range 24 {
			x[h], y[h] = cum[k][h]-cum[a][h], cum[b][h]-cum[k][h]
			nx, ny = nx+x[h], ny+y[h]
		}
		shift, fit, gain := profileShift(&x, &y)
		if fit >= travelMinFit && gain > bestGain && min(shift, 24-shift) >= travelMinShift &&
			gain*math.Sqrt(min(nx, ny)) >= travelMinZ && !seenBefore(before(k), &y) {
			best, bestShift, bestGain = k, shift, gain
			if shift > 12 {
				bestShift = shift - 24
			}
		}
	}
	return best, bestShift
}

// seenBefore reports whether the rhythm y (the days after a candidate change) was already
// kept, unshifted, in one of the weeks before it (their unit profiles): then the change is a
// return to it (rotating shifts, a run of late nights), not a move to a new clock.
func seenBefore(weeks []hourProfile, y *hourProfile) bool {
	ys := unitProfile(y)
	for _, w := range weeks {
		c := 0.0
		for h := range 24 {
			c += w[h] * ys[h]
		}
		if c >= travelMinFit {
			return true
		}
	}
	return false
}

// profileShift returns the shift (hours, 0-23) that best matches y to x, the correlation of x
// with y shifted so, and how much that exceeds their correlation unshifted. Both are smoothed
// round the clock (an hour and a half, as the restful profile) and centred first.
func profileShift(x, y *hourProfile) (shift int, fit, gain float64) {
	xs, ys := unitProfile(x), unitProfile(y)
	var at0 float64
	fit = math.Inf(-1)
	for s := range 24 {
		c := 0.0
		for h := range 24 {
			c += xs[h] * ys[(h+s)%24]
		}
		if s == 0 {
			at0 = c
		}
		if c > fit {
			shift, fit = s, c
		}
	}
	return shift, fit, fit - at0
}

// unitProfile smooths p round the clock (the kernel's scale does not matter), centres it and
// scales it to unit length (all zeros when flat).
func unitProfile(p *hourProfile) hourProfile {
	const sigma, r = 1.5, 4
	var g [2*r + 1]float64
	for k := -r; k <= r; k++ {
		g[k+r] = math.Exp(-0.5 * float64(k*k) / (sigma * sigma))
	}
	var out hourProfile
	mean := 0.0
	for h := range 24 {
		for k := -r; k <= r; k++ {
			out[h] += g[k+r] * p[(h+k+24)%24]
		}
		mean += out[h] / 24
	}
	norm := 0.0
	for h := range 24 {
		out[h] -= mean
		norm += out[h] * out[h]
	}
	if norm == 0 {
		return hourProfile{}
	}
	norm = math.Sqrt(norm)
	for h := range 24 {
		out[h] /= norm
	}
	return out
}

// changeInstant places a change found at local day d (the first on the new clock): at the
// start of the longest silence that begins on the day before it — the journey, or the first
// night on the new clock — or at its midnight when there is no post that day.
func changeInstant(z *zone, ev []int64, d int64) int64 {
	lo, hi := z.midnight(d-1), z.midnight(d)
	at, longest := hi, int64(0)
	i := sort.Search(len(ev), func(i int) bool { return ev[i] >= lo })
	for ; i+1 < len(ev) && ev[i] < hi; i++ {
		if g := ev[i+1] - ev[i]; g > longest {
			at, longest = ev[i]+binMs, g
		}
	}
	return at
}

// rhythmAt returns, for an instant, how far the person's day has moved by then against the
// analysis zone's clock: the sum of the changes before it, the short way round the clock.
func rhythmAt(changes []rhythmChange) func(ms int64) int64 {
	return func(ms int64) int64 {
		var s int64
		for _, c := range changes {
			if ms >= c.at {
				s += c.shift
			}
		}
		return floorMod(s+12*msPerHour, msPerDay) - 12*msPerHour
	}
}
