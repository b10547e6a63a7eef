package benchmark

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/analyzer/simulate"
)

// week is a person asleep 00:00-08:00 UTC for seven nights, posting at 08:00 and 23:00 daily.
func week() (simulate.Person, []int64) {
	day0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC).UnixMilli()
	var p simulate.Person
	var ts []int64
	for d := range int64(7) {
		m := day0 + d*24*60*msMinute
		p.Sleeps = append(p.Sleeps, simulate.Interval{Start: m, End: m + 8*60*msMinute})
		ts = append(ts, m+8*60*msMinute, m+23*60*msMinute)
	}
	p.Mains = p.Sleeps
	return p, ts
}

func sleepsOf(ivs []simulate.Interval, shift time.Duration) []analyzer.Sleep {
	var out []analyzer.Sleep
	for _, iv := range ivs {
		out = append(out, analyzer.Sleep{Start: time.UnixMilli(iv.Start).Add(shift), End: time.UnixMilli(iv.End).Add(shift), Main: true})
	}
	return out
}

func TestCalibration(t *testing.T) {
	t.Parallel()
	p, ts := week()
	// Nights 2-4 claimed right with confidence 0.85; nights 5-7 claimed an hour late with
	// confidence 0.95 (7 of their 8 hours asleep); the first night is outside the span.
	sl := sleepsOf(p.Sleeps, 0)
	for i := range sl {
		sl[i].Confidence = 0.85
		if i >= 4 {
			sl[i].Confidence = 0.95
			sl[i].Start, sl[i].End = sl[i].Start.Add(time.Hour), sl[i].End.Add(time.Hour)
		}
	}
	s := ScoreAnalysis(p, ts, analyzer.Analysis{Sleeps: sl})
	if b := s.Calibration[8]; b.Minutes != 3*480 || b.Asleep != 3*480 {
		t.Errorf("0.8 bucket %+v, want all 1440 minutes asleep", b)
	}
	if b := s.Calibration[9]; b.Minutes != 3*480 || b.Asleep != 3*420 {
		t.Errorf("0.9 bucket %+v, want 1440 minutes of which 1260 asleep", b)
	}
	// ECE: |1 - 0.85| and |1260/1440 - 0.95|, over 1440 minutes each.
	want := (0.15 + math.Abs(1260.0/1440-0.95)) / 2
	if got := ECE(s.Calibration); math.Abs(got-want) > 1e-12 {
		t.Errorf("ECE %v, want %v", got, want)
	}
	if !math.IsNaN(ECE([CalibrationBins]Bucket{})) {
		t.Error("ECE of nothing is not NaN")
	}
}

func TestScoreAnalysis(t *testing.T) {
	t.Parallel()
	p, ts := week()
	first, last := ts[0], ts[len(ts)-1]
	span := (last - first) / msMinute // 6 days 15 h

	// Perfect: every minute right, no timing error.
	s := ScoreAnalysis(p, ts, analyzer.Analysis{Sleeps: sleepsOf(p.Sleeps, 0)})
	if s.Minutes != span || s.Accuracy() != 1 || s.Coverage() != 1 || s.FP != 0 || s.FN != 0 {
		t.Errorf("perfect: %+v", s)
	}
	// The first night (before the first post) is outside the span: six nights are scored.
	if s.Nights != 6 || s.Missed != 0 || *median(s.Onset) != 0 || *median(s.Wake) != 0 {
		t.Errorf("perfect nights: %d missed %d onset %v", s.Nights, s.Missed, s.Onset)
	}

	// Every sleep an hour late: two hours wrong a night, onset and wake off by 60 min (and the
	// first night's late hour reaches into the span).
	late := ScoreAnalysis(p, ts, analyzer.Analysis{Sleeps: sleepsOf(p.Sleeps, time.Hour)})
	if want := float64(span-6*120-60) / float64(span); math.Abs(late.Accuracy()-want) > 1e-9 {
		t.Errorf("late accuracy %v, want %v", late.Accuracy(), want)
	}
	if *median(late.Onset) != 60 || *median(late.Wake) != 60 || *median(late.Length) != 0 {
		t.Errorf("late errors %v %v %v", late.Onset, late.Wake, late.Length)
	}

	// Abstaining over a night: "all" reads the gap as awake, "covered" leaves it out.
	night := p.Sleeps[3]
	gapped := analyzer.Analysis{
		Sleeps: append(sleepsOf(p.Sleeps[:3], 0), sleepsOf(p.Sleeps[4:], 0)...),
		Gaps:   []analyzer.Gap{{Start: time.UnixMilli(night.Start), End: time.UnixMilli(night.End), Reason: analyzer.GapAbsence}},
	}
	g := ScoreAnalysis(p, ts, gapped)
	if g.CoveredAccuracy() != 1 || g.Covered != span-480 || g.CorrectAll != span-480 || g.Missed != 1 {
		t.Errorf("gapped: %+v", g)
	}
	// Nothing asleep at all: F1 0, accuracy the awake share.
	none := ScoreAnalysis(p, ts, analyzer.Analysis{})
	if none.TP != 0 || none.FN != 6*480 {
		t.Errorf("none: %+v", none)
	}
}

func TestStatErrors(t *testing.T) {
	t.Parallel()
	clock := func(s string) *string { return &s }
	// week's people sleep 00:00-08:00 UTC, eight hours: six nights inside the span.
	for _, tc := range []struct {
		name             string
		kind             simulate.Kind
		stats            analyzer.Stats
		bed, wake, hours *float64
	}{
		{"exact", simulate.Regular, analyzer.Stats{BedTime: clock("00:00"), WakeTime: clock("08:00"), SleepHours: ptr(8)}, ptr(0), ptr(0), ptr(0)},
		// Round midnight the short way: 23:40 is 20 minutes early, not 1,420 late.
		{"late and early", simulate.Regular, analyzer.Stats{BedTime: clock("23:40"), WakeTime: clock("09:30"), SleepHours: ptr(7.5)}, ptr(-20), ptr(90), ptr(-30)},
		{"null statistics", simulate.Regular, analyzer.Stats{}, nil, nil, nil},
		{"two clocks", simulate.Shift, analyzer.Stats{BedTime: clock("00:00"), WakeTime: clock("08:00"), SleepHours: ptr(8)}, nil, nil, nil},
	} {
		p, ts := week()
		p.Kind = tc.kind
		s := ScoreAnalysis(p, ts, analyzer.Analysis{Sleeps: sleepsOf(p.Sleeps, 0), Stats: tc.stats})
		for _, c := range []struct {
			what      string
			got, want *float64
		}{{"bedtime", s.BedTime, tc.bed}, {"wake time", s.WakeTime, tc.wake}, {"sleep length", s.SleepLength, tc.hours}} {
			if (c.got == nil) != (c.want == nil) || c.got != nil && math.Abs(*c.got-*c.want) > 1e-9 {
				t.Errorf("%s: %s error %v, want %v", tc.name, c.what, deref(c.got), deref(c.want))
			}
		}
	}
	// Fewer than three nights inside the span: nothing to compare.
	p, ts := week()
	s := ScoreAnalysis(p, ts[:5], analyzer.Analysis{Stats: analyzer.Stats{BedTime: clock("00:00")}})
	if s.BedTime != nil {
		t.Errorf("two nights: bedtime error %v", *s.BedTime)
	}
}

func ptr(x float64) *float64 { return &x }

func deref(x *float64) any {
	if x == nil {
		return nil
	}
	return *x
}

func TestSRIOf(t *testing.T) {
	t.Parallel()
	day := func(asleepFrom, asleepTo int) []bool {
		b := make([]bool, 1440)
		for i := asleepFrom; i < asleepTo; i++ {
			b[i] = true
		}
		return b
	}
	same := append(append(day(0, 480), day(0, 480)...), day(0, 480)...)
	if got := sriOf(same); got != 100 {
		t.Errorf("regular: %v", got)
	}
	// Second day shifted by 12 h: 480 + 480 of the 1,441 pairs disagree.
	shifted := append(day(0, 480), day(720, 1200)...)
	shifted = append(shifted, false)
	if got, want := sriOf(shifted), 200*float64(1441-960)/1441-100; math.Abs(got-want) > 1e-9 {
		t.Errorf("shifted: %v, want %v", got, want)
	}
	if !math.IsNaN(sriOf(day(0, 480))) {
		t.Errorf("one day has no pairs")
	}
}

func TestRunIsDeterministicAndRendered(t *testing.T) {
	t.Parallel()
	c := Config{PerKind: 1, Days: 28}
	m := []Method{{Name: analyzer.MethodGapRule, Analyze: func(ts []int64, loc *time.Location, w analyzer.Window) analyzer.Analysis {
		return analyzer.AnalyzeTimesWith(ts, loc, w, analyzer.MethodGapRule)
	}}}
	a, b := Run(simulate.Tuned(), c, m), Run(simulate.Tuned(), c, m)
	if a.Markdown() != b.Markdown() {
		t.Fatal("two runs differ")
	}
	md := a.Markdown()
	for _, k := range simulate.Kinds() {
		if !strings.Contains(md, "| "+string(k)+" | 1 |") {
			t.Errorf("table lacks %s:\n%s", k, md)
		}
	}
	if r := a.Mean[analyzer.MethodGapRule]; r.Accuracy <= 0.3 || r.Accuracy >= 1 {
		t.Errorf("mean accuracy %v", r.Accuracy)
	}
	// The headline statistics: a figure with its signed median for a regular sleeper, none for
	// a shift worker, who keeps two clocks.
	stats := a.StatsMarkdown()
	if !regexp.MustCompile(`\| regular \| \d+ \([+-]\d+\) \|`).MatchString(stats) ||
		!strings.Contains(stats, "| shift | – | – | – |") {
		t.Errorf("statistics table:\n%s", stats)
	}
}
