package analyzer

import (
	"sort"
	"time"
)

// Thresholds of the awake periods every Analysis lists (what was seen), of the 2020 gap rule
// kept as the baseline (gaprule.go), and of the calendar's size. They are exported because they
// are part of what an Analysis means: a client that draws periods or singles relies on them.
const (
	// MaxAwakeGap is the longest silence inside an awake period. Exactly 3 h 30 min does not
	// split a period; one millisecond more does.
	MaxAwakeGap = 3*time.Hour + 30*time.Minute
	// MaxSleepGap is the longest silence read as sleep; a longer one is missing data (the
	// person was away, not asleep for days).
	MaxSleepGap = 16 * time.Hour
	// MaxDays bounds the calendar to about a century so that absurd input (two timestamps
	// thousands of years apart) cannot make the analysis allocate without limit. When the days
	// would exceed it, only the last MaxDays dates and the posts in them are analysed.
	MaxDays = 36600
)

const (
	maxAwakeGapMs = int64(MaxAwakeGap / time.Millisecond)
	maxSleepGapMs = int64(MaxSleepGap / time.Millisecond)
)

// Analyze analyses posts as seen from loc (UTC when nil) within w; see AnalyzeTimes. It reads
// only each post's Time: drop automated posts with FilterAutomated first.
func Analyze(posts []Post, loc *time.Location, w Window) Analysis {
	lo, hi := bounds(w)
	ts := make([]int64, 0, len(posts))
	for _, p := range posts {
		if t := p.Time.UnixMilli(); t >= lo && t <= hi {
			ts = append(ts, t)
		}
	}
	return analyzeSorted(sortTimes(ts), loc, w, MethodModel)
}

// AnalyzeTimes analyses post timestamps given as Unix milliseconds, as seen from loc (UTC when
// nil). It does not modify times.
//
// With the zero Window the days run from the local date of the first post to that of the last.
// Otherwise only posts inside [w.From, w.To] count and the days run from the local date of
// w.From to that of w.To, even where there are no posts; a zero From or To leaves that side
// open (bounded by the posts), and To before From selects nothing. Timestamps outside the
// years 0001–9999 are ignored.
//
// Input order does not matter. Duplicate timestamps count once for gaps but every post counts
// in PostCount and in its period's Posts; a run whose posts all share one instant is, like a
// run of one post, not a period. PostCount counts the posts inside the window.
func AnalyzeTimes(times []int64, loc *time.Location, w Window) Analysis {
	return AnalyzeTimesWith(times, loc, w, MethodModel)
}

// AnalyzeTimesWith is AnalyzeTimes with the inference named by method: MethodModel (the default)
// or MethodGapRule (the 2020 rule, kept as the baseline of `make accuracy`). Any other name
// selects the default.
func AnalyzeTimesWith(times []int64, loc *time.Location, w Window, method string) Analysis {
	lo, hi := bounds(w)
	ts := make([]int64, 0, len(times))
	for _, t := range times {
		if t >= lo && t <= hi {
			ts = append(ts, t)
		}
	}
	return analyzeSorted(sortTimes(ts), loc, w, method)
}

// bounds returns the inclusive range of Unix milliseconds that w admits.
func bounds(w Window) (lo, hi int64) {
	lo, hi = minMs, maxMs
	if !w.From.IsZero() {
		f := w.From.UnixMilli()
		if w.From.Nanosecond()%int(time.Millisecond) != 0 {
			f++ // a post at the truncated millisecond would be before From
		}
		lo = max(lo, f)
	}
	if !w.To.IsZero() {
		hi = min(hi, w.To.UnixMilli())
	}
	return lo, hi
}

func clampMs(ms int64) int64 { return min(max(ms, minMs), maxMs) }

// analyzeSorted builds the Analysis from sorted timestamps that all lie inside w.
func analyzeSorted(ts []int64, loc *time.Location, w Window, method string) Analysis {
	if n := len(ts); n > 0 && !w.Now.IsZero() && w.Now.UnixMilli() < ts[n-1] {
		// A post after the instant of the analysis (a clock running behind the source's):
		// nothing that was posted is in the future.
		w.Now = time.UnixMilli(ts[n-1])
	}
	if !w.Now.IsZero() && !w.From.IsZero() && w.Now.Before(w.From) {
		w.Now = w.From // the whole window is in the future
	}
	if loc == nil {
		loc = time.UTC
	}
	z := newZone(loc)
	a := Analysis{Timezone: loc.String(), Weekend: z.rest.list(), Periods: []Period{}, Singles: []time.Time{}, Sleeps: []Sleep{}, Gaps: []Gap{}, ZoneChanges: []ZoneChange{}, Days: []Day{}}

	// The calendar's dates.
	var firstDay, lastDay int64
	hasDays := len(ts) > 0
	if hasDays {
		firstDay, lastDay = z.day(ts[0]), z.day(ts[len(ts)-1])
	}
	if !w.From.IsZero() && !w.To.IsZero() {
		hasDays = !w.To.Before(w.From)
	}
	if hasDays && !w.From.IsZero() {
		firstDay = z.day(clampMs(w.From.UnixMilli()))
	}
	if hasDays && !w.To.IsZero() {
		lastDay = z.day(clampMs(w.To.UnixMilli()))
	}
	// The future runs to the end of the calendar's last day (the rest of today has not happened
	// yet), not to To itself, which may be any instant of that day.
	futureEnd := w.To
	if hasDays && !w.To.IsZero() {
		futureEnd = time.UnixMilli(z.midnight(lastDay + 1))
	}
	if hasDays && lastDay-firstDay+1 > MaxDays {
		firstDay = lastDay - MaxDays + 1
		cut := z.midnight(firstDay)
		ts = ts[sort.Search(len(ts), func(i int) bool { return ts[i] >= cut }):]
	}
	a.PostCount = len(ts)

	periods, singles, gaps := runs(ts, loc)
	a.Periods, a.Singles = periods, singles
	if hasDays {
		a.From = time.UnixMilli(z.midnight(firstDay)).In(loc).Format(time.RFC3339)
		a.To = time.UnixMilli(z.midnight(lastDay + 1)).In(loc).Format(time.RFC3339)
		a.Days = days(&z, periods, firstDay, lastDay)
	}
	if method == MethodGapRule {
		a.Method = MethodGapRule
		a.Sleeps, a.Gaps = gapRuleEpisodes(&z, ts, gaps, w, futureEnd)
		a.Stats = gapRuleStats(&z, ts, periods, gaps)
		return a
	}
	a.Method = MethodModel
	inf := infer(&z, ts, w, futureEnd)
	pats, nights := assignNights(&z, inf.sleeps)
	a.Sleeps, a.Gaps = inf.export(loc)
	a.ZoneChanges = inf.exportChanges(loc)
	a.Stats = modelStats(&z, ts, inf, pats, nights)
	return a
}

// runs splits sorted timestamps into awake periods, the lone posts (runs of one instant) and
// the gaps between runs.
func runs(ts []int64, loc *time.Location) ([]Period, []time.Time, []gap) {
	// Counting first sizes every slice exactly, so the scan below never reallocates.
	n, lone := 0, 0
	for i := 0; i < len(ts); {
		j := i
		for j+1 < len(ts) && ts[j+1]-ts[j] <= maxAwakeGapMs {
			j++
		}
		if ts[j] == ts[i] {
			lone++
		}
		if j+1 < len(ts) {
			n++
		}
		i = j + 1
	}
	periods := make([]Period, 0, n+1-lone)
	singles := make([]time.Time, 0, lone)
	gaps := make([]gap, 0, n)
	for i := 0; i < len(ts); {
		j := i
		for j+1 < len(ts) && ts[j+1]-ts[j] <= maxAwakeGapMs {
			j++
		}
		if ts[j] > ts[i] {
			periods = append(periods, Period{
				Start: time.UnixMilli(ts[i]).In(loc),
				End:   time.UnixMilli(ts[j]).In(loc),
				Posts: j - i + 1,
			})
		} else {
			singles = append(singles, time.UnixMilli(ts[i]).In(loc))
		}
		if j+1 < len(ts) {
			g := gap{start: ts[j], end: ts[j+1], state: stateAsleep}
			if g.end-g.start > maxSleepGapMs {
				g.state = stateUnknown
			}
			gaps = append(gaps, g)
		}
		i = j + 1
	}
	return periods, singles, gaps
}

// days lists every local date from firstDay to lastDay with the periods clipped to it. Clipped
// pieces of zero length (a period ending exactly at midnight) are left out.
func days(z *zone, periods []Period, firstDay, lastDay int64) []Day {
	n := int(lastDay - firstDay + 1)
	out := make([]Day, n)
	// Every date string is a slice of one shared string: one allocation instead of n.
	buf := make([]byte, 0, 10*n)
	for d := firstDay; d <= lastDay; d++ {
		buf = appendDate(buf, d)
	}
	dates := string(buf)
	// A period adds one piece per date it touches, so this capacity is never exceeded and the
	// per-day sub-slices stay valid.
	pieces := make([]Interval, 0, len(periods)+n)
	p := 0
	d0 := z.midnight(firstDay)
	for k := range n {
		d1 := z.midnight(firstDay + int64(k) + 1)
		for p < len(periods) && periods[p].End.UnixMilli() <= d0 {
			p++
		}
		from := len(pieces)
		for q := p; q < len(periods) && periods[q].Start.UnixMilli() < d1; q++ {
			s, e := periods[q].Start, periods[q].End
			sm, em := s.UnixMilli(), e.UnixMilli()
			if em <= d0 {
				continue
			}
			if sm < d0 {
				s = time.UnixMilli(d0).In(z.loc)
			}
			if em > d1 {
				e = time.UnixMilli(d1).In(z.loc)
			}
			pieces = append(pieces, Interval{Start: s, End: e})
		}
		out[k] = Day{Date: dates[10*k : 10*k+10], Awake: pieces[from:len(pieces):len(pieces)]}
		d0 = d1
	}
	return out
}
