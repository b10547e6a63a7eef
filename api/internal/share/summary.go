package share

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
)

// Bounds of an archive summary. A summary is what the card needs and nothing more: a few
// hundred intervals, never post times.
const (
	// GridMinutes is the wall-clock grid every time of a summary sits on (…:00, :15, :30, :45
	// local), and a quarter of an hour the unit of its durations: the edges of awake spans and
	// sleeps are post times, and a public card must not let anyone read those back to the minute.
	// The client rounds; refusing anything off the grid keeps that true for every client.
	GridMinutes = 15

	MaxSummaryBytes   = 256 << 10
	maxAwakePerDay    = 96
	maxSleeps         = 4 * MaxDays
	maxGaps           = 4 * MaxDays
	maxPatterns       = 8
	maxZoneChanges    = 8 // about one a week over MaxDays days: more is not travel
	maxSummaryPosts   = 10_000_000
	maxSummaryCount   = 100_000 // nights, active days, all-nighters (the stats may cover the whole archive)
	maxTimeString     = 40
	maxSleepEpisode   = 24 * time.Hour
	maxSpreadMinutes  = 720
	maxJetlagHours    = 12
	maxLongestAwakeH  = 100_000
	maxMethodLength   = 40
	summaryDaysSlack  = 2 * time.Hour // a window of MaxDays local days can be this much longer in a DST year
	summaryMaxSpan    = MaxDays*24*time.Hour + summaryDaysSlack
	summaryFieldsHelp = "timezone, method, from, to, postCount, days, sleeps, gaps, zoneChanges (optional), stats"
)

// SummaryError is a summary refused, with where and what: "summary.sleeps[3].end: before its
// start".
type SummaryError struct {
	Path, Problem string
}

func (e *SummaryError) Error() string { return e.Path + ": " + e.Problem }

func bad(path, format string, args ...any) error {
	return &SummaryError{Path: path, Problem: fmt.Sprintf(format, args...)}
}

// The wire form of a summary: an Analysis without periods. Pointers tell absent from zero.
type wireSummary struct {
	Timezone  *string      `json:"timezone"`
	Method    string       `json:"method"`
	From      *string      `json:"from"`
	To        *string      `json:"to"`
	PostCount *int         `json:"postCount"`
	Days      *[]wireDay   `json:"days"`
	Sleeps    *[]wireSleep `json:"sleeps"`
	Gaps      *[]wireGap   `json:"gaps"`
	// ZoneChanges is optional: clients from before it send none.
	ZoneChanges *[]wireZoneChange `json:"zoneChanges"`
	Stats       *analyzer.Stats   `json:"stats"`
}

type wireDay struct {
	Date  *string     `json:"date"`
	Awake *[]wireSpan `json:"awake"`
}

type wireSpan struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

type wireSleep struct {
	Start      *string  `json:"start"`
	End        *string  `json:"end"`
	Confidence *float64 `json:"confidence"`
	Main       bool     `json:"main"`
}

type wireZoneChange struct {
	At    *string  `json:"at"`
	Hours *float64 `json:"hours"` // a number, so that 8.5 is refused here with its path
}

type wireGap struct {
	Start  *string `json:"start"`
	End    *string `json:"end"`
	Reason *string `json:"reason"`
}

// DecodeSummary reads and validates an archive summary whose times are in loc, and returns it as
// the Analysis the card is drawn from. Anything off (an unknown field such as "timestamps" or
// "periods", a missing one, a time off the grid or outside [from, to], lists out of order or too long, a
// number out of range) is a *SummaryError naming the place.
func DecodeSummary(raw []byte, loc *time.Location) (analyzer.Analysis, error) {
	if len(raw) > MaxSummaryBytes {
		return analyzer.Analysis{}, bad("summary", "larger than %d KiB", MaxSummaryBytes>>10)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var w wireSummary
	if err := dec.Decode(&w); err != nil {
		return analyzer.Analysis{}, bad("summary", "%s (the fields are %s; post times are never sent)", jsonProblem(err), summaryFieldsHelp)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return analyzer.Analysis{}, bad("summary", "unexpected data after the object")
	}
	v := validator{loc: loc}
	return v.summary(w)
}

// jsonProblem words a decoding error without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s has the wrong type (%s)", te.Field, te.Value)
		}
		return "not an object"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "incomplete JSON"
	}
	return err.Error() // e.g. `json: unknown field "timestamps"`
}

type validator struct {
	loc      *time.Location
	from, to time.Time
}

func (v *validator) summary(w wireSummary) (analyzer.Analysis, error) {
	var a analyzer.Analysis
	if w.Timezone == nil {
		return a, bad("summary.timezone", "missing")
	}
	if *w.Timezone != v.loc.String() {
		return a, bad("summary.timezone", "%q differs from tz %q", apperr.Clip(*w.Timezone, 64), v.loc.String())
	}
	if len(w.Method) > maxMethodLength {
		return a, bad("summary.method", "longer than %d characters", maxMethodLength)
	}
	for _, r := range w.Method {
		if r < 0x21 || r > 0x7e {
			return a, bad("summary.method", "only printable ASCII without spaces")
		}
	}
	var err error
	if v.from, err = v.instant("summary.from", w.From); err != nil {
		return a, err
	}
	if v.to, err = v.instant("summary.to", w.To); err != nil {
		return a, err
	}
	if err := v.window(); err != nil {
		return a, err
	}
	if w.PostCount == nil {
		return a, bad("summary.postCount", "missing")
	}
	if *w.PostCount < 0 || *w.PostCount > maxSummaryPosts {
		return a, bad("summary.postCount", "%d is outside 0..%d", *w.PostCount, maxSummaryPosts)
	}
	a = analyzer.Analysis{
		Timezone: v.loc.String(), Method: w.Method, PostCount: *w.PostCount,
		From: v.from.Format(time.RFC3339), To: v.to.Format(time.RFC3339), Periods: []analyzer.Period{},
	}
	// The weekend is the zone's, as the client's analysis read it: derived here, never sent.
	a.Weekend = analyzer.Weekend(a.Timezone)
	if a.Days, err = v.days(w.Days); err != nil {
		return analyzer.Analysis{}, err
	}
	if a.Sleeps, err = v.sleeps(w.Sleeps); err != nil {
		return analyzer.Analysis{}, err
	}
	if a.Gaps, err = v.gaps(w.Gaps); err != nil {
		return analyzer.Analysis{}, err
	}
	if a.ZoneChanges, err = v.zoneChanges(w.ZoneChanges); err != nil {
		return analyzer.Analysis{}, err
	}
	if w.Stats == nil {
		return analyzer.Analysis{}, bad("summary.stats", "missing")
	}
	if err := validStats(*w.Stats); err != nil {
		return analyzer.Analysis{}, err
	}
	a.Stats = *w.Stats
	if a.Stats.Patterns == nil {
		a.Stats.Patterns = []analyzer.Pattern{}
	}
	return a, nil
}

// instant parses an RFC 3339 time and puts it in the summary's zone. Its year must be 2006..9999
// there too, not only as written: 9999-12-31T15:00:00Z is already the year 10000 in Tokyo, which
// time.Time cannot put in JSON.
func (v *validator) instant(path string, s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, bad(path, "missing")
	}
	if len(*s) > maxTimeString {
		return time.Time{}, bad(path, "not an RFC 3339 time")
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err == nil {
		t = t.In(v.loc)
	}
	if err != nil || t.Year() < 2006 || t.Year() > 9999 {
		return time.Time{}, bad(path, "%q is not an RFC 3339 time such as 2026-11-01T00:00:00+09:00 (years 2006 to 9999 in %s)", apperr.Clip(*s, maxTimeString), v.loc)
	}
	if !onGrid(t) {
		return time.Time{}, bad(path, "%s is not on the %d-minute grid of %s's clock (round it: post times are never shared)", t.Format(time.RFC3339Nano), GridMinutes, v.loc)
	}
	return t, nil
}

// onGrid reports whether t's wall clock in its location is a whole multiple of GridMinutes.
// Every zone's offset is a whole number of quarter hours, so this does not depend on which
// offset the client wrote.
func onGrid(t time.Time) bool {
	return t.Minute()%GridMinutes == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// clockOnGrid reports whether an "HH:MM" (already matched by hhmm) is on the grid.
func clockOnGrid(s string) bool {
	return (int(s[3]-'0')*10+int(s[4]-'0'))%GridMinutes == 0
}

// quarterHours reports whether h hours is a whole number of grid steps.
func quarterHours(h float64) bool {
	steps := h * 60 / GridMinutes
	return math.Abs(steps-math.Round(steps)) < 1e-9
}

// window checks that from and to are local midnights at most MaxDays dates apart.
func (v *validator) window() error {
	for _, e := range []struct {
		path string
		t    time.Time
	}{{"summary.from", v.from}, {"summary.to", v.to}} {
		if !isMidnight(e.t) {
			return bad(e.path, "must be a local midnight in %s (it is %s there)", v.loc, e.t.Format("15:04:05"))
		}
	}
	if !v.from.Before(v.to) {
		return bad("summary.to", "must be after from")
	}
	if v.to.Sub(v.from) > summaryMaxSpan {
		return bad("summary", "covers more than %d days: keep the last %d", MaxDays, MaxDays)
	}
	return nil
}

// isMidnight reports whether t is the first instant of its local date (which is 01:00 where the
// clocks jump over midnight).
func isMidnight(t time.Time) bool {
	y, m, d := t.Date()
	return t.Equal(analyzer.DayStart(y, m, d, t.Location()))
}

func (v *validator) days(in *[]wireDay) ([]analyzer.Day, error) {
	if in == nil {
		return nil, bad("summary.days", "missing")
	}
	days := make([]analyzer.Day, 0, len(*in))
	fy, fm, fd := v.from.Date()
	for i, wd := range *in {
		path := fmt.Sprintf("summary.days[%d]", i)
		if i >= MaxDays {
			return nil, bad("summary.days", "more than %d days", MaxDays)
		}
		start := analyzer.DayStart(fy, fm, fd+i, v.loc)
		end := analyzer.DayStart(fy, fm, fd+i+1, v.loc)
		want := start.Format(dateLayout)
		if wd.Date == nil {
			return nil, bad(path+".date", "missing")
		}
		if *wd.Date != want {
			return nil, bad(path+".date", "%q, want %s (one entry per date from from to to, in order)", apperr.Clip(*wd.Date, 20), want)
		}
		if !start.Before(v.to) {
			return nil, bad(path, "is on or after to")
		}
		if wd.Awake == nil {
			return nil, bad(path+".awake", "missing")
		}
		if len(*wd.Awake) > maxAwakePerDay {
			return nil, bad(path+".awake", "more than %d intervals", maxAwakePerDay)
		}
		day := analyzer.Day{Date: want, Awake: make([]analyzer.Interval, 0, len(*wd.Awake))}
		prev := start
		for j, sp := range *wd.Awake {
			p := fmt.Sprintf("%s.awake[%d]", path, j)
			s, e, err := v.span(p, sp.Start, sp.End, start, end, prev, true)
			if err != nil {
				return nil, err
			}
			day.Awake = append(day.Awake, analyzer.Interval{Start: s, End: e})
			prev = e
		}
		days = append(days, day)
	}
	if n := len(days); n == 0 || !analyzer.DayStart(fy, fm, fd+n, v.loc).Equal(v.to) {
		return nil, bad("summary.days", "has %d entries, want one per date from %s to the day before %s",
			n, v.from.Format(dateLayout), v.to.Format(dateLayout))
	}
	return days, nil
}

// span parses [start, end] and checks lo ≤ prev ≤ start ≤ end ≤ hi (start < end unless
// zeroOK: an awake run clipped at midnight can be empty).
func (v *validator) span(path string, ps, pe *string, lo, hi, prev time.Time, zeroOK bool) (time.Time, time.Time, error) {
	s, err := v.instant(path+".start", ps)
	if err != nil {
		return s, s, err
	}
	e, err := v.instant(path+".end", pe)
	if err != nil {
		return s, e, err
	}
	switch {
	case s.Before(lo) || e.After(hi):
		return s, e, bad(path, "outside %s..%s", lo.Format(time.RFC3339), hi.Format(time.RFC3339))
	case e.Before(s) || (!zeroOK && e.Equal(s)):
		return s, e, bad(path+".end", "not after its start")
	case s.Before(prev):
		return s, e, bad(path+".start", "overlaps or precedes the one before (keep them in time order)")
	}
	return s, e, nil
}

func (v *validator) sleeps(in *[]wireSleep) ([]analyzer.Sleep, error) {
	if in == nil {
		return nil, bad("summary.sleeps", "missing")
	}
	if len(*in) > maxSleeps {
		return nil, bad("summary.sleeps", "more than %d episodes", maxSleeps)
	}
	out := make([]analyzer.Sleep, 0, len(*in))
	prev := v.from
	for i, w := range *in {
		path := fmt.Sprintf("summary.sleeps[%d]", i)
		s, e, err := v.span(path, w.Start, w.End, v.from, v.to, prev, false)
		if err != nil {
			return nil, err
		}
		if e.Sub(s) > maxSleepEpisode {
			return nil, bad(path, "longer than %v", maxSleepEpisode)
		}
		if w.Confidence == nil || !inRange(*w.Confidence, 0, 1) {
			return nil, bad(path+".confidence", "want a number in 0..1")
		}
		out = append(out, analyzer.Sleep{Start: s, End: e, Confidence: *w.Confidence, Main: w.Main})
		prev = e
	}
	return out, nil
}

var gapReasons = map[string]bool{
	analyzer.GapBeforeFirstPost: true, analyzer.GapAPILimit: true, analyzer.GapAbsence: true, analyzer.GapFuture: true,
}

func (v *validator) gaps(in *[]wireGap) ([]analyzer.Gap, error) {
	if in == nil {
		return nil, bad("summary.gaps", "missing")
	}
	if len(*in) > maxGaps {
		return nil, bad("summary.gaps", "more than %d stretches", maxGaps)
	}
	out := make([]analyzer.Gap, 0, len(*in))
	prev := v.from
	for i, w := range *in {
		path := fmt.Sprintf("summary.gaps[%d]", i)
		s, e, err := v.span(path, w.Start, w.End, v.from, v.to, prev, false)
		if err != nil {
			return nil, err
		}
		if w.Reason == nil || !gapReasons[*w.Reason] {
			return nil, bad(path+".reason", "want before_first_post, api_limit, absence or future")
		}
		out = append(out, analyzer.Gap{Start: s, End: e, Reason: *w.Reason})
		prev = e
	}
	return out, nil
}

// zoneChanges checks the changes of time zone: at most maxZoneChanges, each instant on the grid
// (it is a post time: where a silence starts) within [from, to] and after the one before,
// each a whole number of hours the analysis can report.
func (v *validator) zoneChanges(in *[]wireZoneChange) ([]analyzer.ZoneChange, error) {
	out := []analyzer.ZoneChange{}
	if in == nil {
		return out, nil
	}
	if len(*in) > maxZoneChanges {
		return nil, bad("summary.zoneChanges", "more than %d changes", maxZoneChanges)
	}
	prev := time.Time{}
	for i, w := range *in {
		path := fmt.Sprintf("summary.zoneChanges[%d]", i)
		at, err := v.instant(path+".at", w.At)
		if err != nil {
			return nil, err
		}
		switch {
		case at.Before(v.from) || at.After(v.to):
			return nil, bad(path+".at", "outside %s..%s", v.from.Format(time.RFC3339), v.to.Format(time.RFC3339))
		case !prev.IsZero() && !at.After(prev):
			return nil, bad(path+".at", "not after the one before (keep them in time order)")
		}
		if w.Hours == nil {
			return nil, bad(path+".hours", "missing")
		}
		h := *w.Hours
		if h != math.Trunc(h) || !inRange(h, -11, 12) || !validZoneHours(int(h)) {
			return nil, bad(path+".hours", "want a whole number of hours in -11..12, at least 4 either way")
		}
		out = append(out, analyzer.ZoneChange{At: at, Hours: int(h)})
		prev = at
	}
	return out, nil
}

func validStats(st analyzer.Stats) error {
	clocks := []struct {
		path string
		v    *string
	}{{"summary.stats.wakeTime", st.WakeTime}, {"summary.stats.bedTime", st.BedTime}}
	for _, c := range clocks {
		if c.v != nil && (!hhmm.MatchString(*c.v) || !clockOnGrid(*c.v)) {
			return bad(c.path, "want null or HH:MM on the %d-minute grid", GridMinutes)
		}
	}
	nums := []struct {
		path   string
		v      *float64
		lo, hi float64
	}{
		{"summary.stats.wakeSpreadMinutes", st.WakeSpreadMinutes, 0, maxSpreadMinutes},
		{"summary.stats.bedSpreadMinutes", st.BedSpreadMinutes, 0, maxSpreadMinutes},
		{"summary.stats.sleepHours", st.SleepHours, 0, 24},
		{"summary.stats.sri", st.SRI, -100, 100},
		{"summary.stats.socialJetlagHours", st.SocialJetlagHours, 0, maxJetlagHours},
	}
	for _, n := range nums {
		if n.v != nil && !inRange(*n.v, n.lo, n.hi) {
			return bad(n.path, "want null or a number in %g..%g", n.lo, n.hi)
		}
	}
	if st.SleepHours != nil && !quarterHours(*st.SleepHours) {
		return bad("summary.stats.sleepHours", "want a whole number of quarter hours")
	}
	if !inRange(st.LongestAwakeHours, 0, maxLongestAwakeH) || !quarterHours(st.LongestAwakeHours) {
		return bad("summary.stats.longestAwakeHours", "want a whole number of quarter hours in 0..%d", maxLongestAwakeH)
	}
	counts := []struct {
		path string
		v    int
	}{
		{"summary.stats.nights", st.Nights}, {"summary.stats.allNighters", st.AllNighters},
		{"summary.stats.activeDays", st.ActiveDays},
	}
	for _, c := range counts {
		if c.v < 0 || c.v > maxSummaryCount {
			return bad(c.path, "want a count in 0..%d", maxSummaryCount)
		}
	}
	if len(st.Patterns) > maxPatterns {
		return bad("summary.stats.patterns", "more than %d patterns", maxPatterns)
	}
	for i, p := range st.Patterns {
		path := fmt.Sprintf("summary.stats.patterns[%d]", i)
		if !hhmm.MatchString(p.WakeTime) || !hhmm.MatchString(p.BedTime) || !clockOnGrid(p.WakeTime) || !clockOnGrid(p.BedTime) {
			return bad(path, "wakeTime and bedTime must be HH:MM on the %d-minute grid", GridMinutes)
		}
		if p.Nights < 0 || p.Nights > maxSummaryCount {
			return bad(path+".nights", "want a count in 0..%d", maxSummaryCount)
		}
	}
	return nil
}

func inRange(f, lo, hi float64) bool {
	return !math.IsNaN(f) && f >= lo && f <= hi
}
