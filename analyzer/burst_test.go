package analyzer

import (
	"slices"
	"testing"
	"time"
)

// burstyDay returns the posts of a day awake from wake to bed of someone who posts in bursts:
// sessions of three posts a few minutes apart, the waits between sessions drawn in turn from a
// fixed heavy-tailed sequence (mostly short, now and then hours), the last post at least
// quietFor before bed.
func burstyDay(wake, bed time.Time, quietFor time.Duration, k *int) []Post {
	waits := []time.Duration{25 * time.Minute, 40 * time.Minute, 3 * time.Hour, 20 * time.Minute, 55 * time.Minute,
		30 * time.Minute, 2*time.Hour + 10*time.Minute, 35 * time.Minute, 45 * time.Minute, 4 * time.Hour}
	var out []Post
	for v := wake.Add(40 * time.Minute); v.Before(bed.Add(-quietFor)); v = v.Add(waits[*k%len(waits)]) {
		for i := range 3 {
			if p := v.Add(time.Duration(i*4) * time.Minute); p.Before(bed.Add(-quietFor)) {
				out = append(out, Post{Time: p})
			}
		}
		*k++
	}
	return out
}

// TestBurstySilentEvening checks that a bursty poster's long silent evening is read as an
// evening, not as an early night. Someone who sleeps 23:30–07:00 every night and waits up to 4 h
// between posting sessions goes quiet at about 17:00 on four evenings: their own waits run to
// hours, so after a few hours of silence one more silent bin says little, and those nights must
// begin within an hour of their usual ones (nezame-hsmm/7, which counted every silent bin alike,
// began two of them at 20:00, 2 h 45 min before its usual nights).
func TestBurstySilentEvening(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	day0 := at(t, tokyo, "2026-05-04 00:00") // a Monday
	quiet := map[int]bool{6: true, 11: true, 17: true, 23: true}
	var posts []Post
	k := 0
	for d := range 28 {
		midnight := day0.AddDate(0, 0, d)
		wake, bed := midnight.Add(7*time.Hour), midnight.Add(23*time.Hour+30*time.Minute)
		after := 30 * time.Minute
		if quiet[d] {
			after = 5*time.Hour + 30*time.Minute
		}
		posts = append(posts, burstyDay(wake, bed, after, &k)...)
	}
	a := Analyze(posts, tokyo, Window{})
	// Each night's main sleep, and how far from 23:30 it began (minutes, negative: earlier).
	late := map[int]float64{}
	for _, s := range a.Sleeps {
		if !s.Main {
			continue
		}
		d := int(s.Start.Add(-12*time.Hour).Sub(day0).Hours() / 24) // the evening of day d: begun before noon the next day
		bed := day0.AddDate(0, 0, d).Add(23*time.Hour + 30*time.Minute)
		late[d] = s.Start.Sub(bed).Minutes()
	}
	var usual []float64
	for d := range 27 {
		if _, ok := late[d]; !ok {
			t.Errorf("no main sleep on the night after day %d", d)
		} else if !quiet[d] {
			usual = append(usual, late[d])
		}
	}
	slices.Sort(usual)
	median := usual[len(usual)/2]
	for d := range quiet {
		if off, ok := late[d]; ok && off < median-60 {
			t.Errorf("night after day %d began %.0f min before 23:30, the usual nights %.0f min (median): the silent evening was read as sleep",
				d, -off, -median)
		}
	}
}

// TestLagFactors checks the estimate of the silence factors on counts with a known answer.
func TestLagFactors(t *testing.T) {
	// fill gives two slots, one twice as busy as the other, bins[b] awake bins in every bucket,
	// and starts at rate × factor[b] in each.
	fill := func(bins float64, factor [nLag]float64) (d, n [nSlot][nLag]float64) {
		for s, rate := range []float64{0.1, 0.2} {
			for b := range nLag {
				d[s][b] = bins
				n[s][b] = bins * rate * factor[b]
			}
		}
		return d, n
	}
	cases := []struct {
		name   string
		bins   float64
		factor [nLag]float64
		want   [nLag]float64 // the factors up to a common scale (the slot rates absorb it)
		tol    float64
	}{
		{"no posts: a steady rate", 0, [nLag]float64{1, 1, 1, 1, 1, 1}, [nLag]float64{1, 1, 1, 1, 1, 1}, 1e-9},
		{"a steady rate", 5000, [nLag]float64{1, 1, 1, 1, 1, 1}, [nLag]float64{1, 1, 1, 1, 1, 1}, 1e-9},
		{"bursty, plenty of posts", 5000, [nLag]float64{2, 1.5, 1.2, 1, 0.7, 0.4}, [nLag]float64{2, 1.5, 1.2, 1, 0.7, 0.4}, 0.02},
		// Six sessions a bucket for a steady rate: the shape is kept, but pulled more than half
		// of the way back towards a steady rate.
		{"bursty, few posts", 20, [nLag]float64{2, 1.5, 1.2, 1, 0.7, 0.4}, [nLag]float64{1.25, 1.12, 1.05, 1, 0.93, 0.85}, 0.03},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, n := fill(c.bins, c.factor)
			got := lagFactors(&d, &n)
			for b := range nLag {
				// Compare shapes: each factor relative to bucket 3's.
				if g, w := got[b]/got[3], c.want[b]/c.want[3]; g < w-c.tol || g > w+c.tol {
					t.Errorf("factors %.3f, want the shape of %.3f", got, c.want)
					break
				}
			}
		})
	}
}
