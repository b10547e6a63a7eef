package analyzer

import (
	"testing"
	"time"
)

// mustLoad loads an IANA zone or fails the test.
func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// at parses "2006-01-02 15:04" (optionally with ":05") in loc.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout = "2006-01-02 15:04:05"
	}
	v, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

func postsAt(ts ...time.Time) []Post {
	ps := make([]Post, len(ts))
	for i, v := range ts {
		ps[i] = Post{Time: v}
	}
	return ps
}

// awake returns posts every step from a to b, always including b.
func awake(a, b time.Time, step time.Duration) []time.Time {
	var out []time.Time
	for v := a; v.Before(b); v = v.Add(step) {
		out = append(out, v)
	}
	return append(out, b)
}

// span is a sleep from start to end.
type span struct{ start, end time.Time }

// lifeline returns the posts of someone awake from first until the first sleep, between
// consecutive sleeps and from the last sleep until last, posting every 2 h and exactly at the
// start and end of every sleep, so that the sleep episodes are exactly sleeps.
func lifeline(first time.Time, sleeps []span, last time.Time) []Post {
	var ts []time.Time
	from := first
	for _, s := range sleeps {
		ts = append(ts, awake(from, s.start, 2*time.Hour)...)
		from = s.end
	}
	ts = append(ts, awake(from, last, 2*time.Hour)...)
	return postsAt(ts...)
}

// dailySleeps returns n sleeps, one per day starting at day0 (a local date), from
// bed(i) to wake(i) given as offsets from that day's local midnight.
func dailySleeps(t testing.TB, loc *time.Location, day0 string, n int, bed, wake func(i int) time.Duration) []span {
	t.Helper()
	d := at(t, loc, day0+" 00:00")
	out := make([]span, n)
	for i := range n {
		midnight := time.Date(d.Year(), d.Month(), d.Day()+i, 0, 0, 0, 0, loc)
		out[i] = span{midnight.Add(bed(i)), midnight.Add(wake(i))}
	}
	return out
}

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

func fptr(v float64) *float64 { return &v }
func sptr(v string) *string   { return &v }

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func show[T any](p *T) any {
	if p == nil {
		return "null"
	}
	return *p
}

// calendarEnd is the instant a's calendar ends (its To, the midnight after its last date).
func calendarEnd(t testing.TB, a Analysis) time.Time {
	t.Helper()
	end, err := time.Parse(time.RFC3339, a.To)
	if err != nil {
		t.Fatalf("analysis to %q: %v", a.To, err)
	}
	return end
}
