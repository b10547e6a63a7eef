package analyzer

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// syntheticDay appends one day of a person's posts: they wake around 07:30, post in bursts
// through the day (sometimes pausing for a few hours) and go to bed around 00:30.
func syntheticDay(out []int64, r *rand.Rand, midnight int64, perDay int) []int64 {
	wake := midnight + 7*msPerHour + 30*msPerMinute + r.Int64N(2*msPerHour) - msPerHour
	bed := midnight + 24*msPerHour + 30*msPerMinute + r.Int64N(2*msPerHour) - msPerHour
	for range perDay {
		out = append(out, wake+r.Int64N(bed-wake))
	}
	return out
}

// syntheticTimes returns n timestamps over consecutive days from 2024-01-01 in Tokyo, in
// random order.
func syntheticTimes(tb testing.TB, n, perDay int) []int64 {
	r := rand.New(rand.NewPCG(1, 2))
	tokyo := mustLoad(tb, "Asia/Tokyo")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, tokyo).UnixMilli()
	out := make([]int64, 0, n+perDay)
	for day := int64(0); len(out) < n; day++ {
		out = syntheticDay(out, r, start+day*msPerDay, perDay)
	}
	out = out[:n]
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func benchAnalyzePosts(b *testing.B, ts []int64) {
	posts := make([]Post, len(ts))
	for i, t := range ts {
		posts[i] = Post{Time: time.UnixMilli(t)}
	}
	loc := mustLoad(b, "America/New_York")
	b.ReportAllocs()
	for b.Loop() {
		a := Analyze(posts, loc, Window{})
		if a.PostCount != len(ts) || len(a.Days) < 28 {
			b.Fatal(a.PostCount, len(a.Days))
		}
	}
}

// BenchmarkAnalyze3200 is the Twitter API's maximum, 3,200 posts over 28 days, in the order
// user_timeline delivers them: newest first.
func BenchmarkAnalyze3200(b *testing.B) {
	ts := syntheticTimes(b, 3200, 3200/28+1)
	slices.Sort(ts)
	slices.Reverse(ts)
	benchAnalyzePosts(b, ts)
}

// BenchmarkAnalyze3200Shuffled is the same in random order, the sorting worst case.
func BenchmarkAnalyze3200Shuffled(b *testing.B) {
	benchAnalyzePosts(b, syntheticTimes(b, 3200, 3200/28+1))
}

// BenchmarkAnalyze1M is an archive import at the size limit: 1,000,000 timestamps in random
// order, 400 a day for almost seven years, across DST transitions.
func BenchmarkAnalyze1M(b *testing.B) {
	ts := syntheticTimes(b, 1_000_000, 400)
	loc := mustLoad(b, "Europe/London")
	b.ReportAllocs()
	for b.Loop() {
		a := AnalyzeTimes(ts, loc, Window{})
		if a.PostCount != 1_000_000 || a.Stats.SRI == nil {
			b.Fatal(a.PostCount)
		}
	}
}
