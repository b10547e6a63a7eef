package analyzer

import (
	"math"
	"testing"
	"time"
)

func TestFreeShift(t *testing.T) {
	t.Parallel()
	// clocks returns n clocks (minutes after midnight) around c, spread ±spread in a fixed
	// sequence.
	clocks := func(n int, c, spread float64) []float64 {
		var out []float64
		for i := range n {
			out = append(out, math.Mod(c+spread*float64(i%5-2)/2+1440, 1440))
		}
		return out
	}
	tests := []struct {
		name     string
		work     []float64
		free     []float64
		lo, hi   float64
		equalsTo float64 // when not NaN, the result exactly
	}{
		{"without free nights, the prior", clocks(20, 23*60, 20), nil, 0, 0, priorFreeOnset},
		{"one free night is not evidence", clocks(20, 23*60, 20), clocks(1, 2*60, 0), 0, 0, priorFreeOnset},
		{"a steady 90 min delay outweighs the prior", clocks(20, 23*60, 20), clocks(8, 30, 20), 80, 90, math.NaN()},
		{"across midnight both ways", clocks(20, 23*60+30, 20), clocks(8, 60, 20), 80, 90, math.NaN()},
		{"earlier free nights give a negative delay", clocks(20, 23*60, 20), clocks(8, 22*60, 20), -60, -30, math.NaN()},
		{"scattered clocks leave it near the prior", clocks(20, 23*60, 300), clocks(8, 30, 300), 60, 75, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := freeShift(&[2][]float64{tt.work, tt.free}, priorFreeOnset)
			if !math.IsNaN(tt.equalsTo) {
				if got != tt.equalsTo {
					t.Errorf("freeShift = %v, want %v", got, tt.equalsTo)
				}
				return
			}
			if got < tt.lo || got > tt.hi {
				t.Errorf("freeShift = %.1f, want in [%v, %v]", got, tt.lo, tt.hi)
			}
		})
	}
}

func TestRestfulStartLate(t *testing.T) {
	t.Parallel()
	// A day-long chain whose profile is most restful from 00:00 to 06:00: a 3-hour sleep is placed
	// at 00:00, or at 02:00 with the profile moved two hours later, or wrapping past midnight
	// when moved back.
	z := newZone(time.UTC)
	ch := newChain(&z, nil, 0, msPerDay, false)
	var restful [nClock]float64
	for c := range 6 * 60 / binMinutes {
		restful[c] = 1
	}
	for _, tt := range []struct{ late, want int }{{0, 0}, {2 * 60 / binMinutes, 2 * 60 / binMinutes}, {-nClock + 1, 1}} {
		if got := restfulStart(&ch, &restful, tt.late, 0, nClock, 3*60/binMinutes); got != tt.want {
			t.Errorf("late %d: start bin %d, want %d", tt.late, got, tt.want)
		}
	}
}
