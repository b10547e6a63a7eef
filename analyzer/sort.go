package analyzer

import (
	"math/bits"
	"slices"
)

// radixBits is the digit width of the radix sort: 2,048 buckets keep the counts in L1 cache
// and sort 28 days of millisecond timestamps in three passes, seven years in four.
const radixBits = 11

// sortMin is the length below which slices.Sort beats the distribution sorts' fixed costs.
const sortMin = 256

// sortTimes sorts ts ascending and returns the sorted slice, which is ts itself or a new slice
// of the same length. Already sorted input and newest-first input (the order timelines and
// archives deliver) take one pass; anything else is distributed by its offset from the
// minimum: a bucket sort up to bucketMax values, an LSD radix sort beyond. Both are linear in
// len(ts) for timestamps; comparison sorting was the biggest cost of an analysis.
func sortTimes(ts []int64) []int64 {
	if len(ts) < 2 {
		return ts
	}
	asc, desc := true, true
	lo, hi := ts[0], ts[0]
	for i := 1; i < len(ts); i++ {
		t := ts[i]
		if t < ts[i-1] {
			asc = false
		} else if t > ts[i-1] {
			desc = false
		}
		lo, hi = min(lo, t), max(hi, t)
	}
	switch {
	case asc:
		return ts
	case desc:
		slices.Reverse(ts)
		return ts
	case len(ts) < sortMin:
		slices.Sort(ts)
		return ts
	case len(ts) <= bucketMax:
		return bucketSort(ts, lo, hi)
	}
	return radixSort(ts, lo, hi)
}

// bucketMax is the length up to which bucketSort is used; beyond it one bucket per element
// stops fitting in cache and the radix sort's sequential passes win.
const bucketMax = 1 << 16

// bucketSort sorts ts, whose values lie in [lo, hi], by distributing them into about len(ts)
// buckets of equal width (the top bits of t − lo) and then insertion-sorting the nearly sorted
// result. Posts are spread over days, so buckets hold a few elements and the whole sort costs a
// few passes. Input that piles up in few buckets would make insertion sort quadratic, so after
// a budget of moves it hands over to slices.Sort.
func bucketSort(ts []int64, lo, hi int64) []int64 {
	n := len(ts)
	shift := max(0, bits.Len64(uint64(hi-lo))-bits.Len(uint(n)))
	counts := make([]uint32, (uint64(hi-lo)>>shift)+2)
	for _, t := range ts {
		counts[(uint64(t-lo)>>shift)+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	out := make([]int64, n)
	for _, t := range ts {
		b := uint64(t-lo) >> shift
		out[counts[b]] = t
		counts[b]++
	}
	budget := 8 * n
	for i := 1; i < n; i++ {
		v, j := out[i], i
		for j > 0 && out[j-1] > v {
			out[j] = out[j-1]
			j--
		}
		out[j] = v
		if budget -= i - j; budget < 0 {
			slices.Sort(out)
			break
		}
	}
	return out
}

// radixSort sorts ts, whose values lie in [lo, hi], by the digits of t − lo. It needs
// ceil(bits(hi − lo) / radixBits) passes; timestamps are bounded to [minMs, maxMs], so at
// most five.
func radixSort(ts []int64, lo, hi int64) []int64 {
	passes := (bits.Len64(uint64(hi-lo)) + radixBits - 1) / radixBits
	const mask = 1<<radixBits - 1
	var counts [1 << radixBits]uint32
	src, dst := ts, make([]int64, len(ts))
	for p := range passes {
		shift := uint(p * radixBits)
		clear(counts[:])
		for _, t := range src {
			counts[(uint64(t-lo)>>shift)&mask]++
		}
		var sum uint32
		for i, n := range counts {
			counts[i] = sum
			sum += n
		}
		for _, t := range src {
			d := (uint64(t-lo) >> shift) & mask
			dst[counts[d]] = t
			counts[d]++
		}
		src, dst = dst, src
	}
	return src
}
