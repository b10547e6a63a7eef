package benchmark

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/analyzer/simulate"
)

// Method is one inference under test.
type Method struct {
	Name    string
	Analyze func(ts []int64, loc *time.Location, w analyzer.Window) analyzer.Analysis
	// Oracle, when set, is used instead of Analyze: a reference that reads the person's truth
	// (Habit). It is a field of its own so that an inference, given only Analyze's arguments
	// (what the service sees), cannot read the truth by mistake.
	Oracle func(p simulate.Person, ts []int64) analyzer.Analysis
}

// Config says which people a set holds: PerKind people of every kind over Days days (the API's
// window), plus Archives people per kind analysed whole over ArchiveDays.
type Config struct {
	PerKind     int `json:"perKind"`
	Days        int `json:"days"`
	Archives    int `json:"archives"`
	ArchiveDays int `json:"archiveDays"`
}

// Specs lists the people of c, kind by kind.
func (c Config) Specs() []simulate.Spec {
	var out []simulate.Spec
	for _, k := range simulate.Kinds() {
		for i := range c.PerKind {
			out = append(out, simulate.Spec{Kind: k, Index: i, Days: c.Days})
		}
		for i := range c.Archives {
			out = append(out, simulate.Spec{Kind: k, Index: i, Days: c.ArchiveDays, Archive: true})
		}
	}
	return out
}

// Row aggregates one method's scores over the people of one kind. Accuracy, Covered and
// Coverage are means over people; F1 pools the minutes of all of them; the timing errors are
// medians over all their matched nights; SRIError is the mean absolute error over the people
// whose SRI is not null; the headline statistics' errors are medians over people of the
// absolute error and, beside them, of the signed one.
type Row struct {
	Accuracy float64  `json:"accuracy"`
	Covered  float64  `json:"coveredAccuracy"`
	F1       float64  `json:"sleepF1"`
	Coverage float64  `json:"coverage"`
	Onset    *float64 `json:"onsetErrorMinutes"`
	Wake     *float64 `json:"wakeErrorMinutes"`
	Length   *float64 `json:"lengthErrorMinutes"`
	Nights   int      `json:"nights"`
	Missed   int      `json:"missedNights"`
	SRIError *float64 `json:"sriError"`
	SRINull  int      `json:"sriNull"`

	BedTimeError     *float64 `json:"bedTimeErrorMinutes"`
	BedTimeBias      *float64 `json:"bedTimeBiasMinutes"`
	WakeTimeError    *float64 `json:"wakeTimeErrorMinutes"`
	WakeTimeBias     *float64 `json:"wakeTimeBiasMinutes"`
	SleepLengthError *float64 `json:"sleepHoursErrorMinutes"`
	SleepLengthBias  *float64 `json:"sleepHoursBiasMinutes"`
}

// KindResult is one kind of person under every method.
type KindResult struct {
	Kind    string         `json:"kind"`
	People  int            `json:"people"`
	Methods map[string]Row `json:"methods"`
}

// Set is a whole benchmark run on one parameter set.
type Set struct {
	Name    string         `json:"name"`
	Seed    uint64         `json:"seed"`
	Config  Config         `json:"config"`
	Methods []string       `json:"methodOrder"`
	Kinds   []KindResult   `json:"kinds"`
	Mean    map[string]Row `json:"mean"` // unweighted means of the kinds' rows (accuracy, coverage, F1)
	// Calibration pools every person's minutes inside sleeps by the sleep's confidence.
	Calibration map[string][CalibrationBins]Bucket `json:"calibration"`
}

// ECE is the expected calibration error of buckets: the minute-weighted mean of |share truly
// asleep − the bucket's middle confidence|.
func ECE(bs [CalibrationBins]Bucket) float64 {
	var err float64
	var total int64
	for i, b := range bs {
		if b.Minutes == 0 {
			continue
		}
		mid := (float64(i) + 0.5) / CalibrationBins
		err += math.Abs(float64(b.Asleep)/float64(b.Minutes)-mid) * float64(b.Minutes)
		total += b.Minutes
	}
	if total == 0 {
		return math.NaN()
	}
	return err / float64(total)
}

// Run simulates the people of c under p and scores every method on each.
func Run(p simulate.Params, c Config, methods []Method) Set {
	set := Set{Name: p.Name, Seed: p.Seed, Config: c, Mean: map[string]Row{}, Calibration: map[string][CalibrationBins]Bucket{}}
	for _, m := range methods {
		set.Methods = append(set.Methods, m.Name)
	}
	scores := map[simulate.Kind]map[string][]Score{}
	for _, spec := range c.Specs() {
		person := p.Person(spec)
		ts := Times(person)
		w := analyzer.Window{Truncated: person.Truncated}
		if !person.Archive {
			w.From, w.To, w.Now = time.UnixMilli(person.From), time.UnixMilli(person.To), time.UnixMilli(person.Now)
		}
		if scores[spec.Kind] == nil {
			scores[spec.Kind] = map[string][]Score{}
		}
		for _, m := range methods {
			var a analyzer.Analysis
			if m.Oracle != nil {
				a = m.Oracle(person, ts)
			} else {
				a = m.Analyze(ts, person.Zone, w)
			}
			sc := ScoreAnalysis(person, ts, a)
			scores[spec.Kind][m.Name] = append(scores[spec.Kind][m.Name], sc)
			cal := set.Calibration[m.Name]
			for i, b := range sc.Calibration {
				cal[i].Minutes += b.Minutes
				cal[i].Asleep += b.Asleep
			}
			set.Calibration[m.Name] = cal
		}
	}
	for _, k := range simulate.Kinds() {
		kr := KindResult{Kind: string(k), Methods: map[string]Row{}}
		for _, m := range methods {
			ss := scores[k][m.Name]
			kr.People = len(ss)
			kr.Methods[m.Name] = aggregate(ss)
		}
		set.Kinds = append(set.Kinds, kr)
	}
	for _, m := range methods {
		var mean Row
		for _, kr := range set.Kinds {
			r := kr.Methods[m.Name]
			mean.Accuracy += r.Accuracy / float64(len(set.Kinds))
			mean.Covered += r.Covered / float64(len(set.Kinds))
			mean.F1 += r.F1 / float64(len(set.Kinds))
			mean.Coverage += r.Coverage / float64(len(set.Kinds))
		}
		set.Mean[m.Name] = mean
	}
	return set
}

func aggregate(ss []Score) Row {
	var r Row
	var tp, fp, fn int64
	var onset, wake, length, sriErr []float64
	var stat [3][]float64 // bedtime, wake time, sleep length: signed errors
	for _, s := range ss {
		for i, e := range []*float64{s.BedTime, s.WakeTime, s.SleepLength} {
			if e != nil {
				stat[i] = append(stat[i], *e)
			}
		}
		r.Accuracy += s.Accuracy() / float64(len(ss))
		r.Covered += nanAsZero(s.CoveredAccuracy()) / float64(len(ss))
		r.Coverage += s.Coverage() / float64(len(ss))
		tp, fp, fn = tp+s.TP, fp+s.FP, fn+s.FN
		onset, wake, length = append(onset, s.Onset...), append(wake, s.Wake...), append(length, s.Length...)
		r.Nights += s.Nights
		r.Missed += s.Missed
		switch {
		case s.SRI == nil:
			r.SRINull++
		case !math.IsNaN(s.SRITrue):
			sriErr = append(sriErr, math.Abs(*s.SRI-s.SRITrue))
		}
	}
	if tp > 0 {
		r.F1 = 2 * float64(tp) / float64(2*tp+fp+fn)
	}
	r.Onset, r.Wake, r.Length = median(onset), median(wake), median(length)
	abs := func(xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = math.Abs(x)
		}
		return out
	}
	r.BedTimeError, r.BedTimeBias = median(abs(stat[0])), median(stat[0])
	r.WakeTimeError, r.WakeTimeBias = median(abs(stat[1])), median(stat[1])
	r.SleepLengthError, r.SleepLengthBias = median(abs(stat[2])), median(stat[2])
	if len(sriErr) > 0 {
		m := 0.0
		for _, e := range sriErr {
			m += e / float64(len(sriErr))
		}
		r.SRIError = &m
	}
	return r
}

func nanAsZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

// Markdown renders the set as a table: one row per kind and a mean row; each cell holds the
// methods' values in order, separated by " → " (the baseline first).
func (s Set) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| kind | people | accuracy (all minutes) | accuracy (covered) | sleep F1 | coverage | onset error (min) | wake error (min) | length error (min) | SRI error |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range s.Kinds {
		fmt.Fprintf(&b, "| %s | %d |", k.Kind, k.People)
		cells := []func(Row) string{
			func(r Row) string { return f3(r.Accuracy) },
			func(r Row) string { return f3(r.Covered) },
			func(r Row) string { return f3(r.F1) },
			func(r Row) string { return f3(r.Coverage) },
			func(r Row) string { return fp(r.Onset, 1) },
			func(r Row) string { return fp(r.Wake, 1) },
			func(r Row) string { return fp(r.Length, 1) },
			func(r Row) string { return sriCell(r) },
		}
		for _, cell := range cells {
			var vals []string
			for _, m := range s.Methods {
				vals = append(vals, cell(k.Methods[m]))
			}
			fmt.Fprintf(&b, " %s |", strings.Join(vals, " → "))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "| **mean** | |")
	for _, cell := range []func(Row) float64{
		func(r Row) float64 { return r.Accuracy }, func(r Row) float64 { return r.Covered },
		func(r Row) float64 { return r.F1 }, func(r Row) float64 { return r.Coverage },
	} {
		var vals []string
		for _, m := range s.Methods {
			vals = append(vals, f3(cell(s.Mean[m])))
		}
		fmt.Fprintf(&b, " **%s** |", strings.Join(vals, " → "))
	}
	b.WriteString(" | | | |\n")
	return b.String()
}

// StatsMarkdown renders the headline statistics' errors: one row per kind, each cell the
// median over people of the absolute error with the median signed error in brackets, minutes,
// the methods' values in order.
func (s Set) StatsMarkdown() string {
	var b strings.Builder
	b.WriteString("| kind | typical bedtime error (min) | typical wake time error (min) | sleep length error (min) |\n")
	b.WriteString("|---|---:|---:|---:|\n")
	for _, k := range s.Kinds {
		fmt.Fprintf(&b, "| %s |", k.Kind)
		for _, cell := range []func(Row) (*float64, *float64){
			func(r Row) (*float64, *float64) { return r.BedTimeError, r.BedTimeBias },
			func(r Row) (*float64, *float64) { return r.WakeTimeError, r.WakeTimeBias },
			func(r Row) (*float64, *float64) { return r.SleepLengthError, r.SleepLengthBias },
		} {
			var vals []string
			for _, m := range s.Methods {
				e, bias := cell(k.Methods[m])
				v := fp(e, 0)
				if bias != nil {
					v += fmt.Sprintf(" (%+.0f)", *bias)
				}
				vals = append(vals, v)
			}
			fmt.Fprintf(&b, " %s |", strings.Join(vals, " → "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// CalibrationMarkdown renders the calibration of each method's confidence: per tenth of
// confidence, the share of the claimed minutes that fall in it and the share of those truly
// asleep (a well calibrated 0.8 is right about 80% of the time); then the ECE.
func (s Set) CalibrationMarkdown() string {
	var b strings.Builder
	b.WriteString("| confidence |")
	for _, m := range s.Methods {
		fmt.Fprintf(&b, " %s: minutes | %s: truly asleep |", m, m)
	}
	b.WriteString("\n|---|")
	for range s.Methods {
		b.WriteString("---:|---:|")
	}
	b.WriteByte('\n')
	totals := map[string]int64{}
	for _, m := range s.Methods {
		for _, bk := range s.Calibration[m] {
			totals[m] += bk.Minutes
		}
	}
	for i := range CalibrationBins {
		used := false
		for _, m := range s.Methods {
			used = used || s.Calibration[m][i].Minutes > 0
		}
		if !used {
			continue // no method claims sleep at this confidence
		}
		fmt.Fprintf(&b, "| %.1f–%.1f |", float64(i)/CalibrationBins, float64(i+1)/CalibrationBins)
		for _, m := range s.Methods {
			bk := s.Calibration[m][i]
			if bk.Minutes == 0 {
				b.WriteString(" – | – |")
				continue
			}
			fmt.Fprintf(&b, " %.1f%% | %.3f |", 100*float64(bk.Minutes)/float64(totals[m]), float64(bk.Asleep)/float64(bk.Minutes))
		}
		b.WriteByte('\n')
	}
	b.WriteString("| **ECE** |")
	for _, m := range s.Methods {
		fmt.Fprintf(&b, " | **%.3f** |", ECE(s.Calibration[m]))
	}
	b.WriteByte('\n')
	return b.String()
}

func f3(x float64) string { return fmt.Sprintf("%.3f", x) }

// fp formats an optional figure with digits decimals, "–" when absent. Timing errors get one
// decimal: a target of 30 min is not met by 30.3.
func fp(x *float64, digits int) string {
	if x == nil {
		return "–"
	}
	return fmt.Sprintf("%.*f", digits, *x)
}

func sriCell(r Row) string {
	s := fp(r.SRIError, 0)
	if r.SRINull > 0 {
		s += fmt.Sprintf(" (%d null)", r.SRINull)
	}
	return s
}
