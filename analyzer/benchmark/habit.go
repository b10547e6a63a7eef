package benchmark

import (
	"slices"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/analyzer/simulate"
)

// MethodHabit names the habit oracle (Habit): a reference, not an inference.
const MethodHabit = "habit-oracle"

// Habit is what a method that knew a person's habits exactly, and nothing of any one night,
// would say. It reads the person's true main sleeps (which no analysis can see) and predicts
// every night (noon to noon) from the one before the first post's to the last post's (the
// earlier night's sleep can reach past the first post) with one main sleep: starting at
// the median true onset of that kind of night (work, or free: the next day a day of the zone's
// weekend, as the model reads them) and lasting that kind's median true length. No naps, no
// gaps, full confidence. Scored like any method, it shows how much of a kind's error is the
// night-to-night variation around a habit, which only each night's posts can reveal.
func Habit(p simulate.Person, ts []int64) analyzer.Analysis {
	a := analyzer.Analysis{Method: MethodHabit}
	if len(ts) == 0 || len(p.Mains) == 0 {
		return a
	}
	// night is the local noon that begins the night holding ms, and whether it is free.
	rest := analyzer.Weekend(p.Zone.String())
	night := func(ms int64) (time.Time, int) {
		t := time.UnixMilli(ms).In(p.Zone).Add(-12 * time.Hour)
		noon := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, p.Zone)
		free := 0
		if slices.Contains(rest, noon.AddDate(0, 0, 1).Weekday()) {
			free = 1
		}
		return noon, free
	}
	// Minutes after the night's noon, and minutes long.
	var onset, length [2][]float64
	for _, m := range p.Mains {
		noon, free := night(m.Start)
		onset[free] = append(onset[free], time.UnixMilli(m.Start).Sub(noon).Minutes())
		length[free] = append(length[free], float64(m.End-m.Start)/float64(msMinute))
	}
	var on, ln [2]time.Duration
	for f := range 2 {
		o, l := onset[f], length[f]
		if len(o) == 0 { // a person with no night of this kind: the other kind's habit
			o, l = onset[1-f], length[1-f]
		}
		on[f] = time.Duration(*median(o) * float64(time.Minute))
		ln[f] = time.Duration(*median(l) * float64(time.Minute))
	}
	first, last := slices.Min(ts), slices.Max(ts)
	noon, _ := night(first)
	for noon = noon.AddDate(0, 0, -1); noon.UnixMilli() < last; noon = noon.AddDate(0, 0, 1) {
		_, free := night(noon.UnixMilli() + time.Hour.Milliseconds())
		start := noon.Add(on[free])
		a.Sleeps = append(a.Sleeps, analyzer.Sleep{Start: start, End: start.Add(ln[free]), Confidence: 1, Main: true})
	}
	return a
}
