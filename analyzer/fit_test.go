package analyzer

import (
	"math"
	"testing"
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

func TestShiftProfile(t *testing.T) {
	t.Parallel()
	var p [nClock]float64
	p[0], p[nClock-1] = 1, 2
	for _, tt := range []struct{ k, at0, atLast int }{{0, 0, nClock - 1}, {1, 1, 0}, {-1, nClock - 1, nClock - 2}, {nClock + 1, 1, 0}} {
		got := shiftProfile(&p, tt.k)
		if got[tt.at0] != 1 || got[tt.atLast] != 2 {
			t.Errorf("shift %d: got[%d]=%v got[%d]=%v, want 1 and 2", tt.k, tt.at0, got[tt.at0], tt.atLast, got[tt.atLast])
		}
	}
}
