// Package analyzer infers awake periods, a per-day calendar and sleep statistics from the
// timestamps of a person's posts. It is pure: no I/O, no HTTP, no Redis, no wall clock.
// The rules it implements are written down in ../shared/DESIGN.md ("Analyzer rules").
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
}

// Analysis is the result served by GET /api/periods and POST /api/analyze (DESIGN.md "Analysis").
// Every list is non-nil so that JSON carries [] and never null.
type Analysis struct {
	Timezone  string   `json:"timezone"`
	From      string   `json:"from"` // RFC 3339, local midnight starting the first day
	To        string   `json:"to"`   // RFC 3339, local midnight ending the last day (exclusive)
	PostCount int      `json:"postCount"`
	Periods   []Period `json:"periods"`
	Days      []Day    `json:"days"`
	Stats     Stats    `json:"stats"`
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
	WakeTime          *string  `json:"wakeTime"`
	BedTime           *string  `json:"bedTime"`
	WakeSpreadMinutes *float64 `json:"wakeSpreadMinutes"`
	BedSpreadMinutes  *float64 `json:"bedSpreadMinutes"`
	SleepHours        *float64 `json:"sleepHours"`
	SRI               *float64 `json:"sri"`
	SocialJetlagHours *float64 `json:"socialJetlagHours"`
	AllNighters       int      `json:"allNighters"`
	ActiveDays        int      `json:"activeDays"`
	LongestAwakeHours float64  `json:"longestAwakeHours"`
}
