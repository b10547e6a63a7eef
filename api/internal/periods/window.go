package periods

import (
	"time"

	"github.com/nezame/nezame/analyzer"
)

// The analysis window is defined here and only here.

// fetchFrom is the earliest post time kept: WINDOW_DAYS back from now, in whole seconds (v1.1
// times have no fraction and v2's have milliseconds; against a whole-second start both versions
// keep exactly the same posts). It does not depend on the zone, so one read serves every zone.
func fetchFrom(now time.Time, windowDays int) time.Time {
	return now.Add(-time.Duration(windowDays) * 24 * time.Hour).Truncate(time.Second)
}

// window is the analysis window in loc at now: WINDOW_DAYS local dates ending today, what has not
// happened yet marked as the future, and the stretch before the first post marked as Twitter's
// limit when the read stopped at its 3,200-post cap. Days start at analyzer.DayStart, which is
// not 00:00 where the clocks jump over midnight. To is the last millisecond of today (the
// analyzer's To is inclusive), so a post stamped a moment ahead of this clock still counts.
func window(now time.Time, loc *time.Location, windowDays int, truncated bool) analyzer.Window {
	local := now.In(loc)
	y, m, d := local.Date()
	return analyzer.Window{
		From:      analyzer.DayStart(y, m, d-(windowDays-1), loc),
		To:        analyzer.DayStart(y, m, d+1, loc).Add(-time.Millisecond),
		Now:       local,
		Truncated: truncated,
	}
}
