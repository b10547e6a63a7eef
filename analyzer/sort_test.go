package analyzer

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortTimes(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	random := func(n int, lo, span int64) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = lo + r.Int64N(span)
		}
		return out
	}
	tests := []struct {
		name string
		in   []int64
	}{
		{"empty", nil},
		{"one", []int64{5}},
		{"small unsorted", []int64{3, -1, 2, 2, 9}},
		{"sorted", []int64{1, 2, 2, 3, 10}},
		{"newest first with ties", []int64{10, 3, 3, 2, -7}},
		{"28 days of ms, bucket sort", random(3200, 1_700_000_000_000, 28*msPerDay)},
		{"seven years, radix sort", random(bucketMax+1000, 1_700_000_000_000, 7*365*msPerDay)},
		{"radix sort over the full range", random(bucketMax+1, minMs, maxMs-minMs)},
		// All but one value in one bucket: insertion sort would be quadratic, so the budget
		// hands over to slices.Sort.
		{"one crowded bucket", append(random(3000, 1_700_000_000_000, 1000), maxMs)},
		{"full supported range, five passes", random(5000, minMs, maxMs-minMs)},
		{"negative instants", random(1000, -5*msPerDay*365, msPerDay)},
		{"many duplicates", random(2000, 42, 3)},
		{"all equal but one", append(slices.Repeat([]int64{7}, 600), 6)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := slices.Clone(tc.in)
			slices.Sort(want)
			got := sortTimes(slices.Clone(tc.in))
			if !slices.Equal(got, want) {
				t.Errorf("sortTimes = %v..., want %v...", got[:min(len(got), 8)], want[:min(len(want), 8)])
			}
		})
	}
}
