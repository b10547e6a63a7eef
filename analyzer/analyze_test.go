package analyzer

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPeriodsThreshold(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		offsets []time.Duration
		want    []int           // posts per period
		singles []time.Duration // the lone posts
	}{
		{"exactly 3h30m does not split", []time.Duration{0, hm(3, 30)}, []int{2}, nil},
		{"3h30m+1s splits into two single posts", []time.Duration{0, hm(3, 30) + time.Second}, nil, []time.Duration{0, hm(3, 30) + time.Second}},
		{"3h30m+1ms splits", []time.Duration{0, hm(3, 30) + time.Millisecond}, nil, []time.Duration{0, hm(3, 30) + time.Millisecond}},
		{"chain of exact gaps stays one period", []time.Duration{0, hm(3, 30), hm(7, 0), hm(10, 30)}, []int{4}, nil},
		{"split leaves two periods", []time.Duration{0, time.Hour, hm(4, 30) + time.Second, hm(5, 0)}, []int{2, 2}, nil},
		{"single post between periods is not a period", []time.Duration{0, time.Hour, hm(6, 0), hm(11, 0), hm(12, 0)}, []int{2, 2}, []time.Duration{hm(6, 0)}},
		{"duplicates of a lone post are one single", []time.Duration{hm(6, 0), 0, time.Hour, hm(6, 0)}, []int{2}, []time.Duration{hm(6, 0)}},
		{"a run of one instant posted twice is no period", []time.Duration{0, 0}, nil, []time.Duration{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ts []time.Time
			for _, o := range tc.offsets {
				ts = append(ts, base.Add(o))
			}
			a := Analyze(postsAt(ts...), time.UTC, Window{})
			var got []int
			for _, p := range a.Periods {
				got = append(got, p.Posts)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("periods posts = %v, want %v (%+v)", got, tc.want, a.Periods)
			}
			var singles []time.Duration
			for _, s := range a.Singles {
				singles = append(singles, s.Sub(base))
			}
			if !slices.Equal(singles, tc.singles) || a.Singles == nil {
				t.Errorf("singles = %v, want %v", singles, tc.singles)
			}
			if a.PostCount != len(ts) {
				t.Errorf("postCount = %d, want %d", a.PostCount, len(ts))
			}
		})
	}
}

func TestMidnightCrossing(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	ps := postsAt(awake(at(t, tokyo, "2026-11-02 22:00"), at(t, tokyo, "2026-11-03 02:00"), time.Hour)...)
	a := Analyze(ps, tokyo, Window{})

	if len(a.Periods) != 1 || a.Periods[0].Posts != 5 {
		t.Fatalf("periods = %+v, want one of 5 posts", a.Periods)
	}
	if a.From != "2026-11-02T00:00:00+09:00" || a.To != "2026-11-04T00:00:00+09:00" {
		t.Errorf("from/to = %s %s", a.From, a.To)
	}
	want := []struct{ date, start, end string }{
		{"2026-11-02", "2026-11-02T22:00:00+09:00", "2026-11-03T00:00:00+09:00"},
		{"2026-11-03", "2026-11-03T00:00:00+09:00", "2026-11-03T02:00:00+09:00"},
	}
	if len(a.Days) != len(want) {
		t.Fatalf("days = %+v", a.Days)
	}
	for i, w := range want {
		d := a.Days[i]
		if d.Date != w.date || len(d.Awake) != 1 ||
			d.Awake[0].Start.Format(time.RFC3339) != w.start || d.Awake[0].End.Format(time.RFC3339) != w.end {
			t.Errorf("day %d = %+v, want %+v", i, d, w)
		}
	}
	if a.Stats.ActiveDays != 2 || a.Stats.LongestAwakeHours != 4 {
		t.Errorf("activeDays %d longest %v", a.Stats.ActiveDays, a.Stats.LongestAwakeHours)
	}
	// The JSON carries the zone's offset.
	b, err := json.Marshal(a.Periods[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"start":"2026-11-02T22:00:00+09:00"`) {
		t.Errorf("period JSON %s lacks the local offset", b)
	}
}

func TestSinglesJSON(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	// A lone post at 01:00 inside a night, a scheduled-looking one every night at 05:00 (the
	// model sets those aside, the calendar still shows them), posts every hour 09:00-21:00.
	var ts []time.Time
	for d := range 5 {
		day := at(t, tokyo, "2026-11-02 09:00").AddDate(0, 0, d)
		ts = append(ts, awake(day, day.Add(12*time.Hour), time.Hour)...)
		ts = append(ts, day.Add(-4*time.Hour)) // 05:00
	}
	ts = append(ts, at(t, tokyo, "2026-11-04 01:00"))
	a := Analyze(postsAt(ts...), tokyo, Window{})
	var got []string
	for _, s := range a.Singles {
		got = append(got, s.Format(time.RFC3339))
	}
	want := []string{"2026-11-02T05:00:00+09:00", "2026-11-03T05:00:00+09:00", "2026-11-04T01:00:00+09:00",
		"2026-11-04T05:00:00+09:00", "2026-11-05T05:00:00+09:00", "2026-11-06T05:00:00+09:00"}
	if !slices.Equal(got, want) {
		t.Fatalf("singles = %v, want %v", got, want)
	}
	b, err := json.Marshal(Analyze(nil, tokyo, Window{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"singles":[]`) {
		t.Errorf("no posts: JSON %s lacks singles: []", b)
	}
}

func TestAllNighters(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	// Nights 11-01 .. 11-09 from 23:00 to 07:00, except that night 11-05 is spent awake:
	// awake from 11-05 07:00 to 11-06 23:00, 40 h.
	var sleeps []span
	for _, s := range nightly(t, tokyo, "2026-11-01", 9, hm(23, 0), hm(31, 0)) {
		if s.start.Day() != 5 {
			sleeps = append(sleeps, s)
		}
	}
	s := statsOf(t, lifeline(at(t, tokyo, "2026-11-01 20:00"), sleeps, at(t, tokyo, "2026-11-10 12:00")), tokyo)
	if s.AllNighters != 1 || s.LongestAwakeHours != 40 || s.Nights != 9 {
		t.Errorf("allNighters %d longestAwake %v nights %d, want 1, 40, 9", s.AllNighters, s.LongestAwakeHours, s.Nights)
	}
}

func TestAllNightersNeedEvidence(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	z := newZone(tokyo)
	// Eight nights slept from 23:00 to 07:00, posts every 2 h while awake; then two nights
	// without sleep: on 11-10 the posts go on every 2 h (evidence of being awake), on 11-11
	// there is only one post at 03:00 (no evidence either way); on 11-12 the night falls in an
	// absence; 11-13 is slept.
	var ts []int64
	var inf inference
	add := func(a, b time.Time, step time.Duration) {
		for _, v := range awake(a, b, step) {
			ts = append(ts, v.UnixMilli())
		}
	}
	add(at(t, tokyo, "2026-11-02 07:00"), at(t, tokyo, "2026-11-02 23:00"), 2*time.Hour)
	for _, s := range nightly(t, tokyo, "2026-11-02", 8, hm(23, 0), hm(31, 0)) {
		inf.sleeps = append(inf.sleeps, episode{start: s.start.UnixMilli(), end: s.end.UnixMilli(), conf: 1})
		add(s.end, s.end.Add(16*time.Hour), 2*time.Hour)
	}
	add(at(t, tokyo, "2026-11-10 23:00"), at(t, tokyo, "2026-11-11 23:00"), 2*time.Hour)
	ts = append(ts, at(t, tokyo, "2026-11-12 03:00").UnixMilli())
	add(at(t, tokyo, "2026-11-12 10:00"), at(t, tokyo, "2026-11-12 16:00"), 2*time.Hour)
	inf.gaps = append(inf.gaps, stretch{at(t, tokyo, "2026-11-12 16:00").UnixMilli(), at(t, tokyo, "2026-11-13 16:00").UnixMilli(), GapAbsence})
	add(at(t, tokyo, "2026-11-13 16:00"), at(t, tokyo, "2026-11-13 23:00"), 2*time.Hour)
	inf.sleeps = append(inf.sleeps, episode{start: at(t, tokyo, "2026-11-13 23:00").UnixMilli(), end: at(t, tokyo, "2026-11-14 07:00").UnixMilli(), conf: 1})
	add(at(t, tokyo, "2026-11-14 07:00"), at(t, tokyo, "2026-11-14 12:00"), 2*time.Hour)
	ts = sortTimes(ts)
	inf.evidence = ts
	pats, nights := assignNights(&z, inf.sleeps)
	s := modelStats(&z, ts, inf, pats, nights)
	if s.AllNighters != 1 {
		t.Errorf("allNighters = %d, want 1 (only night 11-10 shows wakefulness)", s.AllNighters)
	}
	if s.Nights != 10 {
		t.Errorf("nights = %d, want 10 (nine slept, one all-nighter)", s.Nights)
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	tests := []struct {
		name     string
		posts    []Post
		w        Window
		wantDays []string
		from, to string
	}{
		{name: "nil input", posts: nil},
		{name: "empty input", posts: []Post{}},
		{
			name:     "window without posts lists its dates",
			posts:    nil,
			w:        Window{From: at(t, tokyo, "2026-11-01 10:00"), To: at(t, tokyo, "2026-11-03 09:00")},
			wantDays: []string{"2026-11-01", "2026-11-02", "2026-11-03"},
			from:     "2026-11-01T00:00:00+09:00", to: "2026-11-04T00:00:00+09:00",
		},
		{
			name:     "all posts outside the window",
			posts:    postsAt(at(t, tokyo, "2026-10-01 10:00"), at(t, tokyo, "2026-10-01 11:00")),
			w:        Window{From: at(t, tokyo, "2026-11-01 00:00"), To: at(t, tokyo, "2026-11-01 23:59")},
			wantDays: []string{"2026-11-01"},
			from:     "2026-11-01T00:00:00+09:00", to: "2026-11-02T00:00:00+09:00",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := Analyze(tc.posts, tokyo, tc.w)
			if a.PostCount != 0 || a.Periods == nil || len(a.Periods) != 0 || a.Days == nil {
				t.Fatalf("analysis = %+v", a)
			}
			var dates []string
			for _, d := range a.Days {
				dates = append(dates, d.Date)
				if d.Awake == nil || len(d.Awake) != 0 {
					t.Errorf("day %s awake = %#v, want empty non-nil", d.Date, d.Awake)
				}
			}
			if !slices.Equal(dates, tc.wantDays) || a.From != tc.from || a.To != tc.to {
				t.Errorf("days %v from %q to %q, want %v %q %q", dates, a.From, a.To, tc.wantDays, tc.from, tc.to)
			}
			s := a.Stats
			if s.WakeTime != nil || s.BedTime != nil || s.WakeSpreadMinutes != nil || s.BedSpreadMinutes != nil ||
				s.SleepHours != nil || s.SRI != nil || s.SocialJetlagHours != nil || s.AllNighters != 0 ||
				s.ActiveDays != 0 || s.LongestAwakeHours != 0 {
				t.Errorf("stats = %+v, want all empty", s)
			}
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			for _, frag := range []string{`"periods":[]`, `"sri":null`, `"wakeTime":null`, `"timezone":"Asia/Tokyo"`} {
				if !strings.Contains(string(b), frag) {
					t.Errorf("JSON %s lacks %s", b, frag)
				}
			}
			listFrag := `"days":[]`
			if len(tc.wantDays) > 0 {
				listFrag = `"awake":[]`
			}
			if !strings.Contains(string(b), listFrag) {
				t.Errorf("JSON %s lacks %s", b, listFrag)
			}
		})
	}
}

func TestOnePost(t *testing.T) {
	t.Parallel()
	ny := mustLoad(t, "America/New_York")
	a := Analyze(postsAt(at(t, ny, "2026-11-02 23:30")), ny, Window{})
	if a.PostCount != 1 || len(a.Periods) != 0 || len(a.Days) != 1 || a.Days[0].Date != "2026-11-02" ||
		len(a.Days[0].Awake) != 0 || a.Stats.ActiveDays != 1 || a.Stats.LongestAwakeHours != 0 {
		t.Fatalf("analysis = %+v", a)
	}
	if a.From != "2026-11-02T00:00:00-05:00" || a.To != "2026-11-03T00:00:00-05:00" {
		t.Errorf("from/to = %s %s", a.From, a.To)
	}
}

func TestUnsortedAndDuplicates(t *testing.T) {
	t.Parallel()
	utc := time.UTC
	sorted := []time.Time{
		at(t, utc, "2026-11-02 08:00"), at(t, utc, "2026-11-02 09:00"), at(t, utc, "2026-11-02 11:00"),
		at(t, utc, "2026-11-02 20:00"), at(t, utc, "2026-11-02 21:00"),
	}
	shuffled := []time.Time{sorted[3], sorted[0], sorted[4], sorted[2], sorted[1], sorted[2], sorted[0]}
	want := Analyze(postsAt(sorted...), utc, Window{})
	got := Analyze(postsAt(shuffled...), utc, Window{})

	if got.PostCount != 7 {
		t.Errorf("postCount = %d, want 7 (every post given counts)", got.PostCount)
	}
	if len(got.Periods) != 2 || got.Periods[0].Posts != 5 || got.Periods[1].Posts != 2 {
		t.Fatalf("periods = %+v, want posts 5 (with duplicates) and 2", got.Periods)
	}
	for i := range want.Periods {
		if !got.Periods[i].Start.Equal(want.Periods[i].Start) || !got.Periods[i].End.Equal(want.Periods[i].End) {
			t.Errorf("period %d = %+v, want %+v", i, got.Periods[i], want.Periods[i])
		}
	}

	// A run whose posts all share one instant is no period.
	dup := Analyze(postsAt(sorted[0], sorted[0], sorted[0]), utc, Window{})
	if len(dup.Periods) != 0 || dup.PostCount != 3 {
		t.Errorf("duplicates of one post: %+v", dup)
	}

	// AnalyzeTimes leaves its input alone.
	ms := []int64{sorted[3].UnixMilli(), sorted[0].UnixMilli(), sorted[1].UnixMilli()}
	orig := slices.Clone(ms)
	AnalyzeTimes(ms, utc, Window{})
	if !slices.Equal(ms, orig) {
		t.Errorf("AnalyzeTimes modified its input: %v", ms)
	}
}

func TestDSTDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		zone, date string
		hours      float64
		from, to   string
	}{
		{"America/New_York", "2026-03-08", 23, "2026-03-07T00:00:00-05:00", "2026-03-10T00:00:00-04:00"},
		{"America/New_York", "2026-11-01", 25, "2026-10-31T00:00:00-04:00", "2026-11-03T00:00:00-05:00"},
		{"Europe/London", "2026-03-29", 23, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00+01:00"},
		{"Europe/London", "2026-10-25", 25, "2026-10-24T00:00:00+01:00", "2026-10-27T00:00:00Z"},
		// Clocks that jump at midnight: the date begins at 01:00, as there is no 00:00.
		{"America/Sao_Paulo", "2009-10-18", 23, "2009-10-17T00:00:00-03:00", "2009-10-20T00:00:00-02:00"},
		{"America/Asuncion", "2024-10-06", 23, "2024-10-05T00:00:00-04:00", "2024-10-08T00:00:00-03:00"},
		// Clocks that go back at 24:00: the hour 23:00-24:00 happens twice on the same date.
		{"America/Sao_Paulo", "2010-02-20", 25, "2010-02-19T00:00:00-02:00", "2010-02-22T00:00:00-03:00"},
		{"America/Asuncion", "2024-03-23", 25, "2024-03-22T00:00:00-03:00", "2024-03-25T00:00:00-04:00"},
	}
	for _, tc := range tests {
		t.Run(tc.zone+" "+tc.date, func(t *testing.T) {
			loc := mustLoad(t, tc.zone)
			day := at(t, loc, tc.date+" 12:00")
			prev := time.Date(day.Year(), day.Month(), day.Day()-1, 22, 0, 0, 0, loc)
			next := time.Date(day.Year(), day.Month(), day.Day()+1, 2, 0, 0, 0, loc)
			// Awake without a break from the evening before to the night after the DST day.
			a := Analyze(postsAt(awake(prev, next, time.Hour)...), loc, Window{})
			if a.From != tc.from || a.To != tc.to {
				t.Errorf("from/to = %s %s, want %s %s", a.From, a.To, tc.from, tc.to)
			}
			if len(a.Days) != 3 || a.Days[1].Date != tc.date || len(a.Days[1].Awake) != 1 {
				t.Fatalf("days = %+v", a.Days)
			}
			iv := a.Days[1].Awake[0]
			if got := iv.End.Sub(iv.Start).Hours(); got != tc.hours {
				t.Errorf("awake on %s = %v h, want %v (%s .. %s)", tc.date, got, tc.hours,
					iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
			}
			// The piece runs from the first instant of the date to the first of the next one
			// (which is 01:00, not 00:00, where the clocks jump at midnight).
			dateOf := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
			ms := time.Millisecond
			if dateOf(iv.Start) != tc.date || dateOf(iv.Start.Add(-ms)) == tc.date ||
				dateOf(iv.End.Add(-ms)) != tc.date || dateOf(iv.End) == tc.date {
				t.Errorf("clipped interval %v .. %v is not the whole date", iv.Start, iv.End)
			}
			// Pieces are continuous across the three days.
			for i := 1; i < len(a.Days); i++ {
				if !a.Days[i-1].Awake[0].End.Equal(a.Days[i].Awake[0].Start) {
					t.Errorf("gap between day %d and %d", i-1, i)
				}
			}
			if a.Stats.ActiveDays != 3 {
				t.Errorf("activeDays = %d", a.Stats.ActiveDays)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	utc := time.UTC
	ts := awake(at(t, utc, "2026-11-01 08:00"), at(t, utc, "2026-11-06 08:00"), 3*time.Hour)
	w := Window{From: at(t, utc, "2026-11-02 09:00"), To: at(t, utc, "2026-11-03 11:00")}
	a := Analyze(postsAt(ts...), utc, w)
	// Posts from 11:00 on the 2nd to 11:00 on the 3rd, inclusive: 9 of them.
	if a.PostCount != 9 {
		t.Errorf("postCount = %d, want 9", a.PostCount)
	}
	if len(a.Days) != 2 || a.Days[0].Date != "2026-11-02" || a.Days[1].Date != "2026-11-03" {
		t.Errorf("days = %+v", a.Days)
	}
	if len(a.Periods) != 1 || !a.Periods[0].Start.Equal(at(t, utc, "2026-11-02 11:00")) ||
		!a.Periods[0].End.Equal(at(t, utc, "2026-11-03 11:00")) {
		t.Errorf("periods = %+v", a.Periods)
	}
	// A window ending before it starts is empty.
	if b := Analyze(postsAt(ts...), utc, Window{From: w.To, To: w.From}); b.PostCount != 0 || len(b.Days) != 0 {
		t.Errorf("reversed window: %+v", b)
	}
}

func TestMaxDays(t *testing.T) {
	t.Parallel()
	old := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	recent := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	a := Analyze(postsAt(old, recent, recent.Add(time.Hour)), time.UTC, Window{})
	if len(a.Days) != MaxDays || a.PostCount != 2 || a.Days[len(a.Days)-1].Date != "2026-11-02" {
		t.Errorf("days %d postCount %d", len(a.Days), a.PostCount)
	}
	// Out-of-range timestamps are ignored, not overflowed.
	b := AnalyzeTimes([]int64{-1 << 62, recent.UnixMilli(), 1 << 62}, time.UTC, Window{})
	if b.PostCount != 1 || len(b.Days) != 1 {
		t.Errorf("out of range: postCount %d days %d", b.PostCount, len(b.Days))
	}
}
