package analyzer

import (
	"slices"
	"testing"
	"time"
)

func TestEvidenceSetsSchedulesAside(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	z := newZone(tokyo)
	day0 := at(t, tokyo, "2026-11-02 00:00")
	// days returns one post a day for n days at the clock offset off(i) after midnight.
	days := func(n int, off func(i int) time.Duration) []time.Time {
		var out []time.Time
		for i := range n {
			out = append(out, day0.AddDate(0, 0, i).Add(off(i)))
		}
		return out
	}
	fixed := func(d time.Duration) func(int) time.Duration { return func(int) time.Duration { return d } }
	// The person: awake 09:00-23:00, a post every 70 min (minutes drift from day to day).
	var person []time.Time
	for i := range 10 {
		d := day0.AddDate(0, 0, i)
		person = append(person, awake(d.Add(hm(9, i)), d.Add(hm(23, 2*i)), 70*time.Minute)...)
	}
	tests := []struct {
		name    string
		extra   []time.Time
		dropped int // how many of extra are set aside
	}{
		{"a lone post at 05:00 every day is a schedule", days(10, fixed(hm(5, 0))), 10},
		{"two schedules six minutes apart do not shield each other",
			append(days(10, fixed(hm(3, 0))), days(10, fixed(hm(3, 6)))...), 20},
		{"three lone posts at 05:00 are not enough", days(3, fixed(hm(5, 0))), 0},
		{"lone night posts at changing minutes are the person's", days(10, func(i int) time.Duration { return hm(3, 7*i) }), 0},
		{"a post at the schedule's minute beside one of the person's own counts as awake",
			append(days(10, fixed(hm(3, 0))), days(10, func(i int) time.Duration { return hm(3, 10+i) })...), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			all := append(slices.Clone(person), tt.extra...)
			ts := make([]int64, len(all))
			for i, x := range all {
				ts[i] = x.UnixMilli()
			}
			slices.Sort(ts)
			got := evidence(&z, ts)
			if dropped := len(ts) - len(got); dropped != tt.dropped {
				t.Errorf("set aside %d posts, want %d", dropped, tt.dropped)
			}
		})
	}
}
