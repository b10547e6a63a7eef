// Package analyzer infers awake periods, a per-day calendar and sleep statistics from the
// timestamps of a person's posts. It is pure: no I/O, no HTTP, no Redis, no wall clock.
// The model and every statistic are defined in docs/METHOD.md.
package analyzer

import "time"

// Post is one post as the analyzer sees it. Source and Text are optional and used only by the
// automated-post rules (FilterAutomated); the analysis itself reads only Time.
type Post struct {
	Time   time.Time
	Source string // the client app, e.g. `<a href="...">twittbot.net</a>` or "twittbot.net"
	Text   string
}

// Window bounds an analysis. Days run from the local date of From to the local date of To
// (inclusive). The zero Window means "from the first post's date to the last post's date".
type Window struct {
	From, To time.Time
	// Now is the instant of the analysis: time after it, to the end of To's date, has not
	// happened yet and is a gap with reason "future". Zero means "after every post" (an
	// archive, POST /api/analyze).
	Now time.Time
	// Truncated says the source stopped returning older posts (Twitter's 3,200-post cap), so the
	// stretch from From to the first post is a gap with reason "api_limit", not a silence.
	Truncated bool
}

// Gap reasons: why a stretch has no data. A gap is never drawn or counted as sleep.
const (
	GapBeforeFirstPost = "before_first_post" // the window starts before the first post
	GapAPILimit        = "api_limit"         // older posts exist but the source did not return them
	GapAbsence         = "absence"           // a silence far longer than the person's usual ones: away, or not posting
	GapFuture          = "future"            // after Now
)

// Analysis is the result served by GET /api/periods and POST /api/analyze (schema Analysis in
// docs/openapi.yaml).
// Every list is non-nil so that JSON carries [] and never null.
type Analysis struct {
	Timezone string `json:"timezone"`
	// Weekend lists the days of the week (0 = Sunday … 6 = Saturday) read as rest days: a night
	// before one is a free night, for the model and for social jetlag. It is the customary
	// weekend of the zone's country: Saturday and Sunday, or Friday and Saturday in most of the
	// Arab world, Israel and Bangladesh (METHOD.md). A calendar marks these days.
	Weekend   []time.Weekday `json:"weekend"`
	Method    string         `json:"method"` // the inference's name and version
	From      string         `json:"from"`   // RFC 3339, local midnight starting the first day
	To        string         `json:"to"`     // RFC 3339, local midnight ending the last day (exclusive)
	PostCount int            `json:"postCount"`
	Periods   []Period       `json:"periods"`
	// Singles are the lone posts: each distinct instant whose run (posts at most MaxAwakeGap
	// apart) holds no other instant, so it belongs to no period — a 03:00 post inside a night,
	// say. Oldest first, in the requested zone; posts the model sets aside as a scheduling
	// client's are still posts and are listed.
	Singles []time.Time `json:"singles"`
	Sleeps  []Sleep     `json:"sleeps"`
	Gaps    []Gap       `json:"gaps"`
	// ZoneChanges lists, oldest first, the lasting moves of the person's daily rhythm by 4 hours
	// or more that the model read as moves across time zones (a flight, a move): the nights
	// after one are inferred on the person's new clock, and the calendar says so.
	ZoneChanges []ZoneChange `json:"zoneChanges"`
	Days        []Day        `json:"days"`
	Stats       Stats        `json:"stats"`
}

// Sleep is an inferred sleep episode. Sleeps are in time order and do not overlap each other or
// any Gap. Main marks the main sleep of its night; the others are naps.
type Sleep struct {
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Confidence float64   `json:"confidence"` // 0..1: the mean posterior probability of sleep over the episode
	Main       bool      `json:"main"`
}

// Gap is a stretch with no data, and why (one of the Gap* reasons).
type Gap struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Reason string    `json:"reason"`
}

// ZoneChange is a lasting move of the person's day against the analysis zone's clock. Hours is
// how much later their day runs from At on than just before it (−11..12, never less than 4 the
// short way round): +8 is what a flight 8 time zones west looks like, −7 one 7 zones east. At is
// where the model starts reading the days on the new clock, within about a day of the move: the
// start of the longest silence of the day before the first of the zone's dates whose posts
// follow the new rhythm, usually the journey or the first night on the new clock. After a move
// west, whose first day on the new clock straddles two of the zone's dates, it can fall some
// hours after the first posts on the new clock.
type ZoneChange struct {
	At    time.Time `json:"at"`
	Hours int       `json:"hours"`
}

// Pattern is one recurring sleep timing, when nights form more than one (shift work).
type Pattern struct {
	WakeTime string `json:"wakeTime"` // "HH:MM"
	BedTime  string `json:"bedTime"`  // "HH:MM"
	Nights   int    `json:"nights"`
}

// Period is an awake period: a maximal run of posts whose gaps are all ≤ 3h30m.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Posts int       `json:"posts"`
}

// Day is one local calendar date with the awake periods clipped to it.
type Day struct {
	Date  string     `json:"date"` // YYYY-MM-DD
	Awake []Interval `json:"awake"`
}

// Interval is a span of time within one day.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Stats are the sleep statistics. A nil pointer means "too little data" and is encoded as null.
type Stats struct {
	Nights            int      `json:"nights"` // nights with evidence (a main sleep or an all-nighter)
	WakeTime          *string  `json:"wakeTime"`
	BedTime           *string  `json:"bedTime"`
	WakeSpreadMinutes *float64 `json:"wakeSpreadMinutes"`
	BedSpreadMinutes  *float64 `json:"bedSpreadMinutes"`
	SleepHours        *float64 `json:"sleepHours"`
	SRI               *float64 `json:"sri"`
	SocialJetlagHours *float64 `json:"socialJetlagHours"`
	// Patterns lists each pattern, the dominant first, when nights form more than one; it is
	// empty otherwise. WakeTime and BedTime are then the dominant pattern's. After a move across
	// time zones (ZoneChanges) each clock the person kept is a pattern, and the dominant one is
	// the clock kept since the last move.
	Patterns          []Pattern `json:"patterns"`
	AllNighters       int       `json:"allNighters"`
	ActiveDays        int       `json:"activeDays"`
	LongestAwakeHours float64   `json:"longestAwakeHours"`
}
