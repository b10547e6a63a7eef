package analyzer

import (
	"math"
	"slices"
)

// Nights and patterns. A night is a 24-hour window centred on the time a person's main sleep
// is usually half over; its label is a local date. For most people that window runs from about
// mid-afternoon to mid-afternoon and is labelled by the evening's date; for a day sleeper it runs
// from about midnight to midnight. People whose main sleeps fall into two or more clusters of
// clock time (rotating shifts, a move across time zones) have one window per pattern, so that a
// day sleep after a night shift is that night's sleep and not a second one.
const (
	// mainMinLen is the shortest sleep that can be a night's main sleep.
	mainMinLen = 2 * msPerHour
	// patternApart is how far apart (circularly) two patterns' typical midpoints must be; closer
	// clusters are one pattern with some spread (a late weekend is social jetlag, not a pattern).
	patternApart = 4 * 60.0 // minutes
	// patternMinNights and patternMinShare bound the size of a pattern.
	patternMinNights = 5
	patternMinShare  = 0.2
	maxPatterns      = 3
)

// pattern is a cluster of main-sleep midpoints.
type pattern struct {
	mid    float64 // circular mean of the midpoints, minutes after midnight
	nights int
}

// night assignment of one sleep.
type nightOf struct {
	night   int64 // local date label
	pattern int   // index into the patterns
}

// clusterMidpoints groups clock minutes (0..1440) into at most maxPatterns circular clusters,
// choosing the number that minimises within-cluster squared distance plus a penalty per extra
// cluster, subject to patternApart and the size bounds. It returns the patterns sorted by
// nights, most first, and the pattern of each input.
func clusterMidpoints(mids []float64) ([]pattern, []int) {
	n := len(mids)
	assign := make([]int, n)
	if n == 0 {
		return nil, assign
	}
	best := []float64{circularMeanMinutes(mids)}
	bestCost := withinCost(mids, best, assign)
	// A further cluster must pay for itself: a penalty of about an hour squared per night
	// (in minutes²), so only clusters hours apart, each with several nights, survive.
	penalty := float64(n) * 60 * 60
	for k := 2; k <= maxPatterns && n >= k*patternMinNights; k++ {
		centres := seedCentres(mids, k)
		if centres == nil {
			break
		}
		tmp := make([]int, n)
		prev := make([]int, n)
		var sin, cos [maxPatterns]float64
		for range 20 {
			withinCost(mids, centres, tmp)
			if slices.Equal(tmp, prev) {
				break
			}
			copy(prev, tmp)
			clear(sin[:])
			clear(cos[:])
			for i, a := range tmp {
				th := 2 * math.Pi * mids[i] / 1440
				sin[a] += math.Sin(th)
				cos[a] += math.Cos(th)
			}
			for c := range centres {
				if sin[c] != 0 || cos[c] != 0 {
					centres[c] = math.Mod(math.Atan2(sin[c], cos[c])*1440/(2*math.Pi)+1440, 1440)
				}
			}
		}
		cost := withinCost(mids, centres, tmp) + penalty*float64(k-1)
		if cost >= bestCost || !validPatterns(centres, tmp, n) {
			continue
		}
		best, bestCost = centres, cost
		copy(assign, tmp)
	}
	withinCost(mids, best, assign)
	pats := make([]pattern, len(best))
	for i, c := range best {
		pats[i].mid = c
	}
	for _, a := range assign {
		pats[a].nights++
	}
	// Most nights first (ties: earlier midpoint), renumbering the assignment.
	order := make([]int, len(pats))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if pats[a].nights != pats[b].nights {
			return pats[b].nights - pats[a].nights
		}
		return int(math.Copysign(1, pats[a].mid-pats[b].mid))
	})
	rank := make([]int, len(pats))
	sorted := make([]pattern, len(pats))
	for r, i := range order {
		rank[i] = r
		sorted[r] = pats[i]
	}
	for i := range assign {
		assign[i] = rank[assign[i]]
	}
	return sorted, assign
}

// seedCentres starts k-means on the circle from the k largest empty arcs between the sorted
// midpoints: each arc between two cuts is a cluster, its circular mean a centre.
func seedCentres(mids []float64, k int) []float64 {
	s := slices.Clone(mids)
	slices.Sort(s)
	n := len(s)
	type cut struct {
		at  int // cluster boundary after s[at]
		gap float64
	}
	cuts := make([]cut, n)
	for i := range n {
		g := s[(i+1)%n] - s[i]
		if i == n-1 {
			g += 1440
		}
		cuts[i] = cut{i, g}
	}
	slices.SortStableFunc(cuts, func(a, b cut) int { return int(math.Copysign(1, b.gap-a.gap)) })
	at := make([]int, k)
	for i := range k {
		at[i] = cuts[i].at
	}
	slices.Sort(at)
	var centres []float64
	for i := range k {
		from, to := at[i]+1, at[(i+1)%k]
		var sel []float64
		for j := from; ; j++ {
			sel = append(sel, s[j%n])
			if j%n == to {
				break
			}
		}
		centres = append(centres, circularMeanMinutes(sel))
	}
	return centres
}

// withinCost assigns each midpoint to its nearest centre and returns the sum of squared
// circular distances (minutes²).
func withinCost(mids, centres []float64, assign []int) float64 {
	cost := 0.0
	for i, m := range mids {
		bd, bc := math.Inf(1), 0
		for c, x := range centres {
			if d := circDist(m, x); d < bd {
				bd, bc = d, c
			}
		}
		assign[i] = bc
		cost += bd * bd
	}
	return cost
}

func validPatterns(centres []float64, assign []int, n int) bool {
	size := make([]int, len(centres))
	for _, a := range assign {
		size[a]++
	}
	for i, c := range centres {
		if size[i] < patternMinNights || float64(size[i]) < patternMinShare*float64(n) {
			return false
		}
		for _, d := range centres[:i] {
			if circDist(c, d) < patternApart {
				return false
			}
		}
	}
	return true
}

// circDist is the distance between two clock times in minutes, the short way round.
func circDist(a, b float64) float64 {
	d := math.Abs(a - b)
	if d >= 1440 {
		d = math.Mod(d, 1440)
	}
	return min(d, 1440-d)
}

// circularMeanMinutes is the circular mean of clock minutes (0 when undefined).
func circularMeanMinutes(ms []float64) float64 {
	var s, c float64
	for _, m := range ms {
		th := 2 * math.Pi * m / 1440
		s += math.Sin(th)
		c += math.Cos(th)
	}
	if math.Hypot(s, c) < minResultantLength*float64(len(ms)) {
		return 0
	}
	m := math.Atan2(s, c) * 1440 / (2 * math.Pi)
	if m < 0 {
		m += 1440
	}
	return m
}

// midMs is the pattern's typical midpoint in milliseconds after the midnight ending its night's
// label date, taken in [-6 h, 18 h): night D of a pattern with midpoint 03:30 is centred on
// 03:30 of D+1 (labelled by the evening it starts), that of a day sleeper with midpoint 12:00 on
// noon of D+1 (labelled by the night of work before it), that of an early sleeper with midpoint
// 23:00 on 23:00 of D.
func (p pattern) midMs() int64 {
	mid := p.mid
	if mid >= 18*60 {
		mid -= 1440
	}
	return int64(mid * msPerMinute)
}

// nightLabel is the night (local date) sleep s belongs to under pattern p: the night whose
// 24-hour window, centred on the pattern's midpoint, holds the sleep's midpoint. With no pattern
// (midpoint 0) nights run noon to noon.
func nightLabel(z *zone, s episode, p pattern) int64 {
	mid := s.start + (s.end-s.start)/2
	return z.day(mid - p.midMs() - 12*msPerHour)
}

// nightCentre is the instant night d of pattern p is centred on.
func nightCentre(z *zone, d int64, p pattern) int64 {
	return z.midnight(d+1) + p.midMs()
}

// assignNights clusters the main-length sleeps into patterns, gives every sleep a night, and
// marks the longest main-length sleep of each night as its main sleep (sleeps[i].main). It
// returns the patterns and each sleep's assignment.
func assignNights(z *zone, sleeps []episode) ([]pattern, []nightOf) {
	var mids []float64
	var idx []int
	for i, s := range sleeps {
		sleeps[i].main = false
		if s.end-s.start >= mainMinLen {
			mids = append(mids, float64(z.clockMs(s.start+(s.end-s.start)/2))/msPerMinute)
			idx = append(idx, i)
		}
	}
	pats, assign := clusterMidpoints(mids)
	if len(pats) == 0 {
		pats = []pattern{{mid: 0}} // nights run noon to noon
	}
	nights := make([]nightOf, len(sleeps))
	k := 0
	for i, s := range sleeps {
		pi := 0
		if k < len(idx) && idx[k] == i {
			pi = assign[k]
			k++
		} else {
			mid := float64(z.clockMs(s.start+(s.end-s.start)/2)) / msPerMinute
			for j := range pats {
				if circDist(mid, pats[j].mid) < circDist(mid, pats[pi].mid) {
					pi = j
				}
			}
		}
		nights[i] = nightOf{night: nightLabel(z, s, pats[pi]), pattern: pi}
	}
	// The longest main-length sleep of each night is its main sleep.
	best := map[int64]int{}
	for i, s := range sleeps {
		if s.end-s.start < mainMinLen {
			continue
		}
		if j, ok := best[nights[i].night]; !ok || s.end-s.start > sleeps[j].end-sleeps[j].start {
			best[nights[i].night] = i
		}
	}
	for _, i := range best {
		sleeps[i].main = true
	}
	return pats, nights
}
