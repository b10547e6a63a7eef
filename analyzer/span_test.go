package analyzer

import (
	"testing"
	"time"
)

func TestSpanOf(t *testing.T) {
	t.Parallel()
	ms := func(s string) int64 {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMilli()
	}
	for _, tc := range []struct {
		name        string
		times       []int64
		first, last int64
		tooLong     bool
	}{
		{"empty", nil, 0, 0, false},
		{"one", []int64{5}, 5, 5, false},
		{"unsorted", []int64{ms("2026-11-01T00:00:00Z"), ms("2010-01-01T00:00:00Z"), ms("2020-01-01T00:00:00Z")}, ms("2010-01-01T00:00:00Z"), ms("2026-11-01T00:00:00Z"), false},
		{"exactly 25 years of 365.25 days", []int64{ms("2000-01-01T00:00:00Z"), ms("2024-12-31T06:00:00Z")}, ms("2000-01-01T00:00:00Z"), ms("2024-12-31T06:00:00Z"), false},
		{"a millisecond more", []int64{ms("2000-01-01T00:00:00Z"), ms("2024-12-31T06:00:00Z") + 1}, ms("2000-01-01T00:00:00Z"), ms("2024-12-31T06:00:00Z") + 1, true},
	} {
		first, last, tooLong := SpanOf(tc.times)
		if first != tc.first || last != tc.last || tooLong != tc.tooLong {
			t.Errorf("%s: SpanOf = %d, %d, %v; want %d, %d, %v", tc.name, first, last, tooLong, tc.first, tc.last, tc.tooLong)
		}
	}
	if EarliestPostMs != time.Date(2006, 3, 1, 0, 0, 0, 0, time.UTC).UnixMilli() || LatestPostMs != time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() {
		t.Error("EarliestPostMs, LatestPostMs")
	}
}
