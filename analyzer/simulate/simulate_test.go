package simulate

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestPersonIsDeterministic(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds() {
		s := Spec{Kind: k, Index: 3, Days: 28}
		a, b := Tuned().Person(s), Tuned().Person(s)
		if !reflect.DeepEqual(a.Posts, b.Posts) || !reflect.DeepEqual(a.Sleeps, b.Sleeps) || a.Now != b.Now {
			t.Errorf("%s: two runs differ", k)
		}
		if c := HeldOut().Person(s); reflect.DeepEqual(a.Posts, c.Posts) {
			t.Errorf("%s: held-out person equals the tuned one", k)
		}
	}
}

// TestPersonInvariants checks what the benchmark relies on, for every kind in both sets: true
// sleep ordered and disjoint, hand-written posts only while awake, everything inside the window,
// the API cap.
func TestPersonInvariants(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{Tuned(), HeldOut(), Dense()} {
		for _, k := range Kinds() {
			for i := range 4 {
				for _, archive := range []bool{false, true} {
					s := Spec{Kind: k, Index: i, Days: 28, Archive: archive}
					checkPerson(t, p.Name, p.Person(s))
				}
			}
		}
	}
}

func checkPerson(t *testing.T, set string, p Person) {
	t.Helper()
	name := set + "/" + p.Name
	for _, ivs := range [][]Interval{p.Sleeps, p.Mains} {
		for i, iv := range ivs {
			if iv.End <= iv.Start || (i > 0 && iv.Start < ivs[i-1].End) {
				t.Fatalf("%s: interval %d %+v out of order", name, i, iv)
			}
		}
	}
	if len(p.Mains) < 20 && p.Kind != AllNighter {
		t.Errorf("%s: only %d main sleeps in 28 days", name, len(p.Mains))
	}
	lo, hi := p.From, p.Now
	if p.Archive {
		lo, hi = p.Posts[0].At, p.Posts[len(p.Posts)-1].At
	}
	j := 0
	for i, q := range p.Posts {
		if q.At < lo || q.At > hi || (i > 0 && q.At < p.Posts[i-1].At) {
			t.Fatalf("%s: post %d at %d outside [%d, %d] or out of order", name, i, q.At, lo, hi)
		}
		if q.Source != clientApp {
			continue
		}
		for j < len(p.Sleeps) && p.Sleeps[j].End <= q.At {
			j++
		}
		if j < len(p.Sleeps) && p.Sleeps[j].Start <= q.At {
			t.Fatalf("%s: hand-written post at %v while asleep %+v", name, time.UnixMilli(q.At), p.Sleeps[j])
		}
	}
	if p.Truncated != (len(p.Posts) == APICap) && !p.Archive {
		t.Errorf("%s: truncated %v with %d posts", name, p.Truncated, len(p.Posts))
	}
	perDay := float64(len(p.Posts)) / 28
	switch p.Kind {
	case Heavy:
		if !p.Archive && !p.Truncated {
			t.Errorf("%s: a heavy poster's window was not cut at the API cap (%d posts)", name, len(p.Posts))
		}
	case Sparse:
		if perDay < 1 || perDay > 6 {
			t.Errorf("%s: %.1f posts a day", name, perDay)
		}
	case Traveller:
		if h := math.Abs(p.ZoneShift); h < 6 || h > 9 {
			t.Errorf("%s: zone shift %v h", name, p.ZoneShift)
		}
	case Scheduled:
		if !sameMinuteDaily(p) {
			t.Errorf("%s: no clock minute recurs daily", name)
		}
	}
}

// sameMinuteDaily reports whether some local clock minute carries a post on at least 20 days.
func sameMinuteDaily(p Person) bool {
	days := map[int]map[string]bool{}
	for _, q := range p.Posts {
		lt := time.UnixMilli(q.At).In(p.Zone)
		m := lt.Hour()*60 + lt.Minute()
		if days[m] == nil {
			days[m] = map[string]bool{}
		}
		days[m][lt.Format(time.DateOnly)] = true
	}
	for _, d := range days {
		if len(d) >= 20 {
			return true
		}
	}
	return false
}

func TestShiftWorkerSleepsByDayAndByNight(t *testing.T) {
	t.Parallel()
	p := Tuned().Person(Spec{Kind: Shift, Index: 0, Days: 28})
	var day, night int
	for _, m := range p.Mains {
		mid := time.UnixMilli(m.Start + (m.End-m.Start)/2).In(p.Zone)
		if h := mid.Hour(); h >= 9 && h < 16 {
			day++
		} else {
			night++
		}
	}
	if day < 5 || night < 10 {
		t.Errorf("day sleeps %d, night sleeps %d", day, night)
	}
}
