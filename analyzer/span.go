package analyzer

import "time"

// MaxSpan bounds the calendar an analysis returns (one day entry per local date between the
// first and the last post): the server (POST /api/analyze) and the WebAssembly build refuse
// timestamps spanning more, with the same error, so a device and the server agree on what can
// be analysed. Twitter has existed since March 2006, so a real archive spans at most about 21
// years today; 25 years leaves room for the oldest accounts for years to come, and caps the
// answer at about 9,100 days (under 1 MB of days) where two made-up timestamps a century apart
// would ask for 34,000.
const (
	MaxSpanYears = 25
	MaxSpan      = MaxSpanYears * 8766 * time.Hour // a year of 365.25 days
)

// SpanOf returns the earliest and the latest of times (Unix ms, in any order) and whether they
// are more than MaxSpan apart. Empty times span nothing.
func SpanOf(times []int64) (first, last int64, tooLong bool) {
	if len(times) == 0 {
		return 0, 0, false
	}
	first, last = times[0], times[0]
	for _, t := range times {
		first, last = min(first, t), max(last, t)
	}
	return first, last, time.Duration(last-first)*time.Millisecond > MaxSpan
}

// The post times an analysis accepts, Unix ms: from 2006-03-01 (Twitter launched in March 2006)
// to before 2100-01-01. Anything outside is a unit mistake (seconds instead of milliseconds)
// rather than a post time; the server and the WebAssembly build refuse it as invalid_timestamp.
const (
	EarliestPostMs = 1141171200000 // 2006-03-01T00:00:00Z
	LatestPostMs   = 4102444800000 // 2100-01-01T00:00:00Z, excluded
)
