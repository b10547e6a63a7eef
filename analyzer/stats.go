package analyzer

import (
	"math"
	"slices"
)

// Minimum amounts of data behind each statistic; below them the statistic is null rather than a
// number made up from one or two nights.
const (
	// MinNights is the fewest nights with a main sleep from which wakeTime, bedTime, their
	// spreads and sleepHours are reported. Two nights give a mean but no meaningful spread.
	MinNights = 3
	// MinSRIDays is the fewest days (1,440 valid epoch pairs each) the Sleep Regularity Index
	// needs: over fewer, one unusual day would weigh more than a fifth of the index.
	MinSRIDays = 5
	// MinJetlagNights is the fewest free nights and the fewest work nights social jetlag needs.
	MinJetlagNights = 2
)

// minResultantLength is the mean resultant length below which a circular mean is undefined
// (clock times spread evenly round the clock) and the circular SD would be infinite.
const minResultantLength = 1e-6

// circularClock is the circular mean and spread of clock times given in milliseconds after
// local midnight. With θ = 2π·t/day it returns mean = atan2(mean sin θ, mean cos θ) in minutes
// after midnight, in [0, 1440), and the circular standard deviation √(−2 ln R̄)·1440/2π minutes,
// where R̄ is the mean resultant length. ok is false when there are no times or R̄ ≈ 0, in which
// case the mean is undefined.
func circularClock(clocks []int64) (meanMinutes, spreadMinutes float64, ok bool) {
	if len(clocks) == 0 {
		return 0, 0, false
	}
	var s, c float64
	for _, t := range clocks {
		theta := 2 * math.Pi * float64(t) / msPerDay
		s += math.Sin(theta)
		c += math.Cos(theta)
	}
	n := float64(len(clocks))
	s, c = s/n, c/n
	r := math.Hypot(s, c)
	if r < minResultantLength {
		return 0, 0, false
	}
	r = min(r, 1) // rounding can push R̄ a hair above 1, which would make the SD NaN
	mean := math.Atan2(s, c) * 1440 / (2 * math.Pi)
	if mean < 0 {
		mean += 1440
	}
	// max(0, …) also turns the −0 of a perfect R̄ = 1 into 0, which JSON prints as 0, not -0.
	return mean, math.Sqrt(max(0, -2*math.Log(r))) * 1440 / (2 * math.Pi), true
}

// clockString formats minutes after midnight as "HH:MM", rounded to the nearest minute.
func clockString(minutes float64) string {
	m := int64(math.Round(minutes))
	m = floorMod(m, 1440)
	return string([]byte{byte('0' + m/600), byte('0' + m/60%10), ':', byte('0' + m%60/10), byte('0' + m%10)})
}

// clockDiffHours is the difference between two clock times (minutes after midnight) taken the
// short way round the clock, in hours: 04:30 and 23:30 are 5 h apart, not 19 h.
func clockDiffHours(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), 1440)
	return min(d, 1440-d) / 60
}

// medianMs is the median of durations in milliseconds (the mean of the two middle values for an
// even count). It sorts ds.
func medianMs(ds []int64) float64 {
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return float64(ds[n/2])
	}
	return (float64(ds[n/2-1]) + float64(ds[n/2])) / 2
}

// Epoch states of the Sleep Regularity Index.
const (
	stateAwake byte = iota
	stateAsleep
	stateUnknown
)

// gap is the silence between two consecutive distinct posts that is longer than MaxAwakeGap:
// a sleep episode, or missing data when it is longer than MaxSleepGap. It spans [start, end) in
// Unix milliseconds.
type gap struct {
	start, end int64
	state      byte // stateAsleep or stateUnknown
}

// sri computes the Sleep Regularity Index of Phillips et al. (2017) on 1-minute epochs.
//
// Epoch k starts at first + k minutes, for every such start before last (the epochs tile
// [first, last)). An epoch is asleep when its start lies inside a sleep episode, unknown when it
// lies inside a missing-data gap, and awake otherwise. Over all pairs (k, k + 1440) with both
// epochs inside the range and both known,
//
//	SRI = 200 · matching / valid − 100,
//
// so 100 means every minute has the same state 24 h later and −100 means none has. It returns
// the index and the number of valid pairs. gaps must be sorted and non-overlapping.
//
// Rather than materialising one state per minute (which would cost memory proportional to the
// time span, unbounded for sparse input), it sweeps the piecewise-constant pair of states
// (state(t), state(t + 24 h)) and counts the epochs of each constant stretch arithmetically, so
// it runs in time linear in len(gaps) and gives exactly the per-epoch answer.
func sri(gaps []gap, first, last int64) (index float64, valid int64) {
	end := last - msPerDay // pairs need both t and t+24h before last
	// epochs(x) is the number of epochs starting before x.
	epochs := func(x int64) int64 { return ceilDiv(x-first, msPerMinute) }
	var match int64
	i, j := 0, 0
	for t := first; t < end; {
		u := t + msPerDay
		for i < len(gaps) && gaps[i].end <= t {
			i++
		}
		for j < len(gaps) && gaps[j].end <= u {
			j++
		}
		sa, na := stateAt(gaps, i, t)
		sb, nb := stateAt(gaps, j, u)
		next := min(end, na, nb-msPerDay)
		if sa != stateUnknown && sb != stateUnknown {
			n := epochs(next) - epochs(t)
			valid += n
			if sa == sb {
				match += n
			}
		}
		t = next
	}
	if valid == 0 {
		return 0, 0
	}
	return 200*float64(match)/float64(valid) - 100, valid
}

// stateAt returns the state at instant t, given that gaps[i] is the first gap ending after t,
// and the instant at which that state next changes.
func stateAt(gaps []gap, i int, t int64) (state byte, next int64) {
	if i >= len(gaps) {
		return stateAwake, math.MaxInt64
	}
	if gaps[i].start <= t {
		return gaps[i].state, gaps[i].end
	}
	return stateAwake, gaps[i].start
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// activeDays counts the local dates with at least one post in sorted ts.
func activeDays(z *zone, ts []int64) int {
	// Posts are sorted, so a date's posts are consecutive: a post before the next local
	// midnight is on the date already counted, and only the first post of each date needs the
	// zone. (Where a fall-back transition repeats the hour before midnight, a date can recur;
	// comparing with the latest date seen still counts each date once.)
	n := 0
	lastDay, nextMidnight := int64(math.MinInt64), int64(math.MinInt64)
	for _, t := range ts {
		if t < nextMidnight {
			continue
		}
		if d := z.day(t); d > lastDay {
			n++
			lastDay = d
		}
		nextMidnight = z.midnight(lastDay + 1)
	}
	return n
}
