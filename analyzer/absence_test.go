package analyzer

import (
	"testing"
	"time"
)

// TestAbsenceLimit checks the rule that makes a silence an absence: twice the 90th percentile of
// the person's silences of 3 h or more, never under 16 h (the longest sleep) nor over 48 h.
func TestAbsenceLimit(t *testing.T) {
	t.Parallel()
	// silences returns posts separated by the given silences (hours), two posts at each end.
	silences := func(hours ...float64) []int64 {
		ev := []int64{0}
		for _, h := range hours {
			next := ev[len(ev)-1] + int64(h*float64(msPerHour))
			ev = append(ev, next, next+10*msPerMinute)
		}
		return ev
	}
	repeat := func(n int, h ...float64) []float64 {
		var out []float64
		for range n {
			out = append(out, h...)
		}
		return out
	}
	tests := []struct {
		name string
		ev   []int64
		want time.Duration
	}{
		{"nights of 8 h 30 min to 9 h: twice the longest usual one", silences(repeat(20, 8.5, 8.5, 8.5, 8.5, 8.5, 8.5, 8.5, 8.5, 9, 9)...), 18 * time.Hour},
		{"nights of 6 h: never under the longest sleep", silences(repeat(20, 6)...), 16 * time.Hour},
		{"silences of a day or more: never over two days", silences(repeat(10, 20, 30, 50)...), 48 * time.Hour},
		{"too few long silences to learn from", silences(9, 9, 9, 1, 2), 48 * time.Hour},
		{"one absence among many nights does not move the limit", silences(append(repeat(20, 10), 100)...), 20 * time.Hour},
	}
	for _, tc := range tests {
		if got := time.Duration(absenceLimit(tc.ev)) * time.Millisecond; got != tc.want {
			t.Errorf("%s: limit %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAbsences checks that a silence far longer than the person's usual ones is a gap, not a run
// of nights drawn from the model's priors, and that ordinary nights are still sleep.
func TestAbsences(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	nights := nightly(t, tokyo, "2026-11-01", 30, hm(23, 0), hm(31, 0))
	// daily returns a post at each clock on every day from 11-02 to 11-28, later by a few minutes
	// from day to day (a scheduling client keeps the minute; a person does not), each with n-1
	// more in the same sitting.
	daily := func(n int, clocks ...time.Duration) []Post {
		var ts []time.Time
		for d := 2; d <= 28; d++ {
			for _, c := range clocks {
				v := time.Date(2026, 11, d, 0, 0, 0, 0, tokyo).Add(c + time.Duration(d*7%40)*time.Minute)
				for k := range n {
					ts = append(ts, v.Add(time.Duration(k*4)*time.Minute))
				}
			}
		}
		return postsAt(ts...)
	}
	heavy := life{sleeps: nights, every: 6 * time.Minute}.posts(at(t, tokyo, "2026-11-02 08:00"), at(t, tokyo, "2026-11-21 22:00"))
	tests := []struct {
		name     string
		posts    []Post
		from, to string // the silence: no posts in [from, to)
	}{
		{"three posts a day, three days silent", daily(1, hm(8, 0), hm(13, 0), hm(21, 0)), "2026-11-12 12:00", "2026-11-15 12:00"},
		{"three posts a day in one sitting, three days silent", daily(3, hm(20, 0)), "2026-11-12 00:00", "2026-11-15 00:00"},
		{"three posts a day in one sitting, six days silent", daily(3, hm(12, 0)), "2026-11-12 00:00", "2026-11-18 00:00"},
		{"a post every few minutes, 20 h silent", heavy, "2026-11-12 22:30", "2026-11-13 18:40"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			from, to := at(t, tokyo, tc.from), at(t, tokyo, tc.to)
			var posts []Post
			for _, p := range tc.posts {
				if p.Time.Before(from) || !p.Time.Before(to) {
					posts = append(posts, p)
				}
			}
			var last, next time.Time // the posts either side of the silence
			for _, p := range posts {
				if p.Time.Before(from) {
					last = p.Time
				} else if next.IsZero() {
					next = p.Time
				}
			}
			a := Analyze(posts, tokyo, Window{})
			if tc.posts[0] == heavy[0] {
				// The night right after going quiet is still a sleep.
				if s := sleepsOver(a, at(t, tokyo, "2026-11-13 02:00"), at(t, tokyo, "2026-11-13 04:00")); len(s) != 1 {
					t.Errorf("the night after going quiet: %+v", s)
				}
			}
			// One absence inside the silence, covering all of it but the nights at its edges.
			if len(a.Gaps) != 1 || a.Gaps[0].Reason != GapAbsence || a.Gaps[0].Start.Before(last) || a.Gaps[0].End.After(next) ||
				a.Gaps[0].Start.After(last.Add(16*time.Hour)) || a.Gaps[0].End.Before(next.Add(-16*time.Hour)) {
				t.Fatalf("silence %s .. %s: gaps %+v", last.Format("01-02 15:04"), next.Format("01-02 15:04"), a.Gaps)
			}
			// No sleep inside the silence but at its edges: one beginning soon after the last
			// post, one ending soon before the next.
			for _, s := range sleepsOver(a, last, next) {
				if s.Start.After(last.Add(edgeReach*time.Millisecond)) && s.End.Before(next.Add(-edgeReach*time.Millisecond)) {
					t.Errorf("sleep %s .. %s inside the silence", s.Start.Format("01-02 15:04"), s.End.Format("01-02 15:04"))
				}
			}
		})
	}
	// The person who posts every few minutes: the night after going quiet is still a sleep, and
	// with no silence, every night of 8 h is one, and nothing is an absence.
	a := Analyze(tests[3].posts, tokyo, Window{})
	for _, n := range nights[1:20] {
		if got := sleepsOver(a, n.start, n.end); len(got) != 1 || !got[0].Main {
			t.Errorf("night of %s: %+v", n.start.Format("01-02"), got)
		}
	}
	if len(a.Gaps) != 0 {
		t.Errorf("no silence: gaps %+v", a.Gaps)
	}
}
