// Package benchmark scores analyses against simulated people whose true sleep is known
// (analyzer/simulate) and aggregates the scores per kind of person: the numbers `make accuracy`
// prints and writes to docs/accuracy.md and docs/accuracy.json. Every metric is defined in
// docs/METHOD.md ("The benchmark").
package benchmark

import (
	"math"
	"slices"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/analyzer/simulate"
)

const msMinute = int64(60_000)

// Score is how one analysis of one person compares with the truth.
type Score struct {
	// Minute-level agreement over the minutes from the first post the analysis used to the
	// last. "All" reads every minute outside a sleep (gaps included) as not asleep; "covered"
	// counts only the minutes outside gaps.
	Minutes, Covered           int64
	CorrectAll, CorrectCovered int64
	TP, FP, FN                 int64 // sleep as the positive class, over all minutes

	// Per true main sleep inside the span, matched with the predicted main sleep that overlaps
	// it most: absolute errors of onset, wake and length, in minutes. Missed counts true main
	// sleeps no predicted main sleep overlaps.
	Onset, Wake, Length []float64
	Nights, Missed      int

	SRITrue float64  // SRI of the true sleep over the span (every minute known)
	SRI     *float64 // the analysis's stats.sri (nil = null)

	// The headline statistics a person reads, against the same statistic of their true main
	// sleeps inside the span, in minutes: stats.bedTime and stats.wakeTime minus the circular
	// mean of the true start and end clocks (the short way round the clock), stats.sleepHours
	// minus the true median length. Nil when the analysis's statistic is null, fewer than
	// minStatNights true main sleeps lie inside the span, or the person keeps two clocks (shift
	// workers and travellers: which pattern is "typical" is a reading, not a truth).
	BedTime, WakeTime, SleepLength *float64

	// Calibration of the sleeps' confidence: the minutes inside sleeps (and outside gaps) by the
	// sleep's confidence, in tenths (0.9 ≤ confidence ≤ 1 is the last), and how many of them
	// were truly asleep.
	Calibration [CalibrationBins]Bucket
}

// CalibrationBins is how many buckets of confidence the calibration counts: tenths.
const CalibrationBins = 10

// Bucket counts the minutes claimed asleep with a confidence in one tenth, and those truly
// asleep.
type Bucket struct {
	Minutes int64 `json:"minutes"`
	Asleep  int64 `json:"asleep"`
}

// bucketOf is the calibration bucket of a confidence.
func bucketOf(conf float64) int {
	return min(max(int(conf*CalibrationBins), 0), CalibrationBins-1)
}

// Accuracy is the share of all minutes classified right.
func (s Score) Accuracy() float64 { return ratio(s.CorrectAll, s.Minutes) }

// CoveredAccuracy is the share of covered minutes classified right.
func (s Score) CoveredAccuracy() float64 { return ratio(s.CorrectCovered, s.Covered) }

// Coverage is the share of minutes outside gaps.
func (s Score) Coverage() float64 { return ratio(s.Covered, s.Minutes) }

func ratio(a, b int64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Times returns the post times the service would analyse for p: automated posts dropped by the
// analyzer's own rules, as the API does.
func Times(p simulate.Person) []int64 {
	posts := make([]analyzer.Post, 0, len(p.Posts))
	for _, q := range p.Posts {
		posts = append(posts, analyzer.Post{Source: q.Source, Time: time.UnixMilli(q.At)})
	}
	kept := analyzer.FilterAutomated(posts)
	ts := make([]int64, len(kept))
	for i, q := range kept {
		ts[i] = q.Time.UnixMilli()
	}
	return ts
}

// ScoreAnalysis compares a with p's true sleep over the minutes from the first to the last of
// ts (the times analysed).
func ScoreAnalysis(p simulate.Person, ts []int64, a analyzer.Analysis) Score {
	var s Score
	if len(ts) < 2 {
		return s
	}
	first, last := slices.Min(ts), slices.Max(ts)
	n := int((last - first) / msMinute)
	if n == 0 {
		return s
	}
	truth := paint(n, first, p.Sleeps)
	pred := make([]bool, n)
	gap := make([]bool, n)
	for _, sl := range a.Sleeps {
		mark(pred, first, sl.Start.UnixMilli(), sl.End.UnixMilli())
	}
	for _, g := range a.Gaps {
		mark(gap, first, g.Start.UnixMilli(), g.End.UnixMilli())
	}
	for i := range n {
		asleep := pred[i] && !gap[i]
		s.Minutes++
		if asleep == truth[i] {
			s.CorrectAll++
		}
		if !gap[i] {
			s.Covered++
			if pred[i] == truth[i] {
				s.CorrectCovered++
			}
		}
		switch {
		case asleep && truth[i]:
			s.TP++
		case asleep:
			s.FP++
		case truth[i]:
			s.FN++
		}
	}
	for _, sl := range a.Sleeps {
		b := &s.Calibration[bucketOf(sl.Confidence)]
		lo := max(ceilDiv(sl.Start.UnixMilli()-first, msMinute), 0)
		hi := min(ceilDiv(sl.End.UnixMilli()-first, msMinute), int64(n))
		for i := lo; i < hi; i++ {
			if gap[i] {
				continue
			}
			b.Minutes++
			if truth[i] {
				b.Asleep++
			}
		}
	}
	s.SRITrue = sriOf(truth)
	s.SRI = a.Stats.SRI

	var mains []analyzer.Sleep
	for _, sl := range a.Sleeps {
		if sl.Main {
			mains = append(mains, sl)
		}
	}
	for _, m := range p.Mains {
		if m.Start < first || m.End > last {
			continue
		}
		s.Nights++
		best, bestOverlap := -1, int64(0)
		for i, pm := range mains {
			ov := min(m.End, pm.End.UnixMilli()) - max(m.Start, pm.Start.UnixMilli())
			if ov > bestOverlap {
				best, bestOverlap = i, ov
			}
		}
		if best < 0 {
			s.Missed++
			continue
		}
		ps, pe := mains[best].Start.UnixMilli(), mains[best].End.UnixMilli()
		s.Onset = append(s.Onset, absMinutes(ps-m.Start))
		s.Wake = append(s.Wake, absMinutes(pe-m.End))
		s.Length = append(s.Length, absMinutes((pe-ps)-(m.End-m.Start)))
	}
	s.BedTime, s.WakeTime, s.SleepLength = statErrors(p, first, last, a.Stats)
	return s
}

// minStatNights is the fewest true main sleeps whose typical clock and length are compared:
// the analysis's own statistics need as many.
const minStatNights = 3

// statErrors compares st's bedtime, wake time and sleep length with those of p's true main
// sleeps inside [first, last] (see Score).
func statErrors(p simulate.Person, first, last int64, st analyzer.Stats) (bed, wake, length *float64) {
	if p.Kind == simulate.Shift || p.Kind == simulate.Traveller {
		return nil, nil, nil
	}
	loc := p.Zone
	if loc == nil {
		loc = time.UTC
	}
	var starts, ends, lengths []float64
	for _, m := range p.Mains {
		if m.Start < first || m.End > last {
			continue
		}
		starts = append(starts, clockMinutes(m.Start, loc))
		ends = append(ends, clockMinutes(m.End, loc))
		lengths = append(lengths, float64(m.End-m.Start)/float64(msMinute))
	}
	if len(starts) < minStatNights {
		return nil, nil, nil
	}
	clockError := func(hhmm *string, truth []float64) *float64 {
		got, ok := parseClock(hhmm)
		if !ok {
			return nil
		}
		d := math.Mod(got-circularMean(truth)+1.5*minutesPerDay, minutesPerDay) - minutesPerDay/2
		return &d
	}
	bed, wake = clockError(st.BedTime, starts), clockError(st.WakeTime, ends)
	if st.SleepHours != nil {
		d := *st.SleepHours*60 - *median(lengths)
		length = &d
	}
	return bed, wake, length
}

const minutesPerDay = 1440.0

// clockMinutes is the local clock of ms in loc, in minutes after midnight.
func clockMinutes(ms int64, loc *time.Location) float64 {
	t := time.UnixMilli(ms).In(loc)
	return float64(t.Hour()*60+t.Minute()) + float64(t.Second())/60
}

// circularMean is the mean of clock minutes round the 24-hour circle (the statistics' own
// definition of a typical time).
func circularMean(clocks []float64) float64 {
	var sin, cos float64
	for _, c := range clocks {
		theta := 2 * math.Pi * c / minutesPerDay
		sin, cos = sin+math.Sin(theta), cos+math.Cos(theta)
	}
	return math.Mod(math.Atan2(sin, cos)*minutesPerDay/(2*math.Pi)+minutesPerDay, minutesPerDay)
}

// parseClock reads a statistic's "HH:MM" as minutes after midnight.
func parseClock(hhmm *string) (float64, bool) {
	if hhmm == nil {
		return 0, false
	}
	t, err := time.Parse("15:04", *hhmm)
	if err != nil {
		return 0, false
	}
	return float64(t.Hour()*60 + t.Minute()), true
}

// paint marks the minutes of [first, first + n min) whose start lies inside one of ivs.
func paint(n int, first int64, ivs []simulate.Interval) []bool {
	out := make([]bool, n)
	for _, iv := range ivs {
		mark(out, first, iv.Start, iv.End)
	}
	return out
}

// mark sets the minutes whose start lies in [s, e).
func mark(b []bool, first, s, e int64) {
	lo := ceilDiv(s-first, msMinute)
	hi := ceilDiv(e-first, msMinute)
	for i := max(lo, 0); i < min(hi, int64(len(b))); i++ {
		b[i] = true
	}
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a > 0) == (b > 0) {
		q++
	}
	return q
}

// sriOf is the Sleep Regularity Index of a per-minute state sequence in which every minute is
// known: 200 · (pairs 24 h apart in the same state) / pairs − 100.
func sriOf(asleep []bool) float64 {
	const day = 1440
	var match, valid int
	for i := 0; i+day < len(asleep); i++ {
		valid++
		if asleep[i] == asleep[i+day] {
			match++
		}
	}
	if valid == 0 {
		return math.NaN()
	}
	return 200*float64(match)/float64(valid) - 100
}

func absMinutes(ms int64) float64 { return math.Abs(float64(ms)) / float64(msMinute) }
