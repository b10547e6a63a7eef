package analyzer

import "testing"

// TestGapRuleEpisodes checks the contract's sleeps and gaps under the gap rule: a nap and a
// night on one night (the longer is main), a two-day absence, and the window's own gaps.
func TestGapRuleEpisodes(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	ts := func(s ...string) []Post {
		out := make([]Post, len(s))
		for i, v := range s {
			out[i] = Post{Time: at(t, tokyo, v)}
		}
		return out
	}
	posts := ts("2026-11-02 09:00", "2026-11-02 10:00", // awake
		"2026-11-02 14:00", "2026-11-02 15:00", // a 4 h nap before
		"2026-11-03 07:00", "2026-11-03 08:00", // a 16 h silence: still sleep
		"2026-11-05 08:00", "2026-11-05 09:00") // 48 h: absence
	w := Window{From: at(t, tokyo, "2026-11-01 00:00"), To: at(t, tokyo, "2026-11-06 00:00"),
		Now: at(t, tokyo, "2026-11-05 10:00")}
	ms := make([]int64, len(posts))
	for i, p := range posts {
		ms[i] = p.Time.UnixMilli()
	}
	for _, truncated := range []bool{false, true} {
		w.Truncated = truncated
		a := AnalyzeTimesWith(ms, tokyo, w, MethodGapRule)
		if a.Method != MethodGapRule {
			t.Errorf("method = %q", a.Method)
		}
		if len(a.Sleeps) != 2 || a.Sleeps[0].Main || !a.Sleeps[1].Main || a.Sleeps[1].Confidence != 1 {
			t.Fatalf("sleeps = %+v", a.Sleeps)
		}
		first := GapBeforeFirstPost
		if truncated {
			first = GapAPILimit
		}
		want := []Gap{
			{w.From, at(t, tokyo, "2026-11-02 09:00"), first},
			{at(t, tokyo, "2026-11-03 08:00"), at(t, tokyo, "2026-11-05 08:00"), GapAbsence},
			{w.Now, calendarEnd(t, a), GapFuture}, // the rest of To's date too
		}
		if len(a.Gaps) != len(want) {
			t.Fatalf("gaps = %+v", a.Gaps)
		}
		for i, g := range a.Gaps {
			if !g.Start.Equal(want[i].Start) || !g.End.Equal(want[i].End) || g.Reason != want[i].Reason || g.Start.Location() != tokyo {
				t.Errorf("gap %d = %+v, want %+v", i, g, want[i])
			}
		}
		if a.Stats.Patterns == nil || a.Stats.Nights != 1 {
			t.Errorf("nights %d, patterns %v", a.Stats.Nights, a.Stats.Patterns)
		}
	}
}
