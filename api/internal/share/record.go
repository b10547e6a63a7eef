// Package share turns an analysis into a public share: a small JSON record in a blob store, a
// 1200×630 PNG card rendered from it on demand, and an HTML page with Open Graph tags that points
// at the card. Shares are read by crowds through a CDN, so everything served is cacheable and
// rendering is deterministic: the same record always yields the same bytes. The package knows
// no HTTP: the server serves what it returns and maps its errors.
package share

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// MaxDays is the most calendar days a share keeps (the latest ones); more would not fit the card.
const MaxDays = 62

// RecordVersion is the current record layout. Version 0 (the field absent) is the first one,
// which held awake ranges only; such records still render, with that version's legend.
const RecordVersion = 2

// Sources of a share.
const (
	SourceTwitter = ""        // the signed-in user's recent posts
	SourceArchive = "archive" // a summary of an archive analysed on the person's device
)

// Record is what a share needs to render, stored as small JSON. It holds no post text, no post
// times and no tokens: the owner's id and handle, the calendar as per-day minute ranges (awake
// runs, sleep episodes with their confidence, stretches without data) and the statistics.
type Record struct {
	Version    int        `json:"v,omitempty"`
	ID         string     `json:"id"`
	OwnerID    string     `json:"owner,omitempty"`
	ScreenName string     `json:"screenName,omitempty"` // "" on an anonymous archive share
	Timezone   string     `json:"tz"`
	Lang       string     `json:"lang,omitempty"`
	Source     string     `json:"source,omitempty"`
	Method     string     `json:"method,omitempty"`
	Created    time.Time  `json:"created"`
	Expires    *time.Time `json:"expires,omitempty"`
	// Hash names the card's content (everything drawn, the language and the lifetime asked
	// for), so asking twice for the same share returns the first one.
	Hash string `json:"hash,omitempty"`
	// DeleteHash is the SHA-256 of an archive share's delete token (hex); the token itself is
	// given once, to its creator.
	DeleteHash string      `json:"deleteHash,omitempty"`
	Site       string      `json:"site"` // the app's host printed on the card, fixed at creation
	PostCount  int         `json:"posts"`
	Days       []RecordDay `json:"days"`
	Stats      RecordStats `json:"stats"`
}

// RecordDay is one local calendar date. Ranges are in wall-clock minutes after local midnight,
// [start, end) with 0 ≤ start < end ≤ 1440 (so a DST day still spans 24 rows).
type RecordDay struct {
	Date  string      `json:"d"` // YYYY-MM-DD
	Awake [][2]int    `json:"a"`
	Sleep []SleepSpan `json:"s,omitempty"`
	Gaps  []GapSpan   `json:"g,omitempty"`
	// Zone holds, oldest first, the hours of each change of time zone (analyzer.ZoneChange) the
	// model starts reading on this date: +8 means the person's days run 8 h later from then on,
	// on the share zone's clock. Absent on records from before the field, which draw no mark.
	Zone []int `json:"z,omitempty"`
}

// SleepSpan is the part of a sleep episode on one date.
type SleepSpan struct {
	Start      int  `json:"s"`
	End        int  `json:"e"`
	Confidence int  `json:"c"` // percent, 0..100
	Main       bool `json:"m,omitempty"`
}

// GapSpan is the part of a stretch without data on one date, with its reason (analyzer.Gap*).
type GapSpan struct {
	Start  int    `json:"s"`
	End    int    `json:"e"`
	Reason string `json:"r"`
}

// RecordStats are the statistics the card and page show, as the analysis gave them (not
// rounded: the card formats them as the calendar does). Nil means "too little data".
type RecordStats struct {
	WakeTime          *string         `json:"wake,omitempty"` // "HH:MM"
	BedTime           *string         `json:"bed,omitempty"`  // "HH:MM"
	SleepHours        *float64        `json:"sleepH,omitempty"`
	SRI               *float64        `json:"sri,omitempty"`
	SocialJetlagHours *float64        `json:"sjlH,omitempty"`
	Nights            int             `json:"nights,omitempty"`
	Patterns          []RecordPattern `json:"patterns,omitempty"`
	ActiveDays        int             `json:"activeDays"`
	AllNighters       int             `json:"allNighters"`
}

// RecordPattern is one sleep pattern when nights form several.
type RecordPattern struct {
	WakeTime string `json:"wake"`
	BedTime  string `json:"bed"`
	Nights   int    `json:"nights"`
}

var (
	// idPattern is the only shape of id the service ever touches storage with: 16 random bytes
	// as unpadded base64url are 22 characters, and the last one carries 2 bits only.
	idPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{21}[AQgw]$`)
	hhmm       = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	dateLayout = "2006-01-02"
)

// ValidID reports whether id is a well-formed share id. Anything else is refused before storage
// is touched, so no request can name a path or object outside the share namespace.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// newID returns a 128-bit random id, base64url without padding (22 characters).
func newID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("read random id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// newRecord builds the drawable part of a share of a, whose times are in loc: the latest
// MaxDays days with their awake runs, sleeps and gaps cut at local midnights.
func newRecord(a analyzer.Analysis, loc *time.Location) (Record, error) {
	days := a.Days
	if len(days) > MaxDays {
		days = days[len(days)-MaxDays:]
	}
	rec := Record{
		Version: RecordVersion, Timezone: loc.String(), Method: a.Method, PostCount: a.PostCount,
		Days: make([]RecordDay, 0, len(days)),
	}
	si, gi := 0, 0 // sleeps and gaps are in time order: walk them once across the days
	for _, d := range days {
		date, err := time.Parse(dateLayout, d.Date)
		if err != nil {
			return Record{}, fmt.Errorf("day %q: %w", d.Date, err)
		}
		start := analyzer.DayStart(date.Year(), date.Month(), date.Day(), loc)
		end := analyzer.DayStart(date.Year(), date.Month(), date.Day()+1, loc)
		rd := RecordDay{Date: d.Date, Awake: make([][2]int, 0, len(d.Awake))}
		for _, iv := range d.Awake {
			if s, e := minuteOf(start, end, iv.Start, loc), minuteOf(start, end, iv.End, loc); s < e {
				rd.Awake = append(rd.Awake, [2]int{s, e})
			}
		}
		for si < len(a.Sleeps) && !a.Sleeps[si].End.After(start) {
			si++
		}
		for j := si; j < len(a.Sleeps) && a.Sleeps[j].Start.Before(end); j++ {
			sl := a.Sleeps[j]
			if s, e := minuteOf(start, end, sl.Start, loc), minuteOf(start, end, sl.End, loc); s < e {
				rd.Sleep = append(rd.Sleep, SleepSpan{Start: s, End: e, Confidence: percent(sl.Confidence), Main: sl.Main})
			}
		}
		for gi < len(a.Gaps) && !a.Gaps[gi].End.After(start) {
			gi++
		}
		for j := gi; j < len(a.Gaps) && a.Gaps[j].Start.Before(end); j++ {
			g := a.Gaps[j]
			if s, e := minuteOf(start, end, g.Start, loc), minuteOf(start, end, g.End, loc); s < e {
				rd.Gaps = append(rd.Gaps, GapSpan{Start: s, End: e, Reason: g.Reason})
			}
		}
		rec.Days = append(rec.Days, rd)
	}
	addZoneChanges(rec.Days, a.ZoneChanges, loc)
	st := a.Stats
	rec.Stats = RecordStats{
		WakeTime: clockOrNil(st.WakeTime), BedTime: clockOrNil(st.BedTime),
		SleepHours: finiteOrNil(st.SleepHours), SRI: finiteOrNil(st.SRI), SocialJetlagHours: finiteOrNil(st.SocialJetlagHours),
		Nights: st.Nights, ActiveDays: st.ActiveDays, AllNighters: st.AllNighters,
	}
	for _, p := range st.Patterns {
		if hhmm.MatchString(p.WakeTime) && hhmm.MatchString(p.BedTime) {
			rec.Stats.Patterns = append(rec.Stats.Patterns, RecordPattern{WakeTime: p.WakeTime, BedTime: p.BedTime, Nights: p.Nights})
		}
	}
	return rec, nil
}

// addZoneChanges puts each change of time zone on the day its instant falls on in loc. Changes
// that make no sense (no instant, a move of less than 4 hours or outside −11..12) or fall
// outside the days kept are left out, as the calendar leaves them out. The instant itself is not
// kept: the card and page name the date only.
func addZoneChanges(days []RecordDay, changes []analyzer.ZoneChange, loc *time.Location) {
	for _, c := range changes {
		if c.At.IsZero() || !validZoneHours(c.Hours) {
			continue
		}
		date := c.At.In(loc).Format(dateLayout)
		i, found := slices.BinarySearchFunc(days, date, func(d RecordDay, date string) int { return strings.Compare(d.Date, date) })
		if found {
			days[i].Zone = append(days[i].Zone, c.Hours)
		}
	}
}

// recordZoneChange is a change of time zone as a record keeps it: its date and hours.
type recordZoneChange struct {
	Date  string
	Hours int
}

// zoneChangesOf lists rec's changes of time zone that make sense, oldest first.
func zoneChangesOf(rec Record) []recordZoneChange {
	var out []recordZoneChange
	for _, d := range rec.Days {
		for _, h := range d.Zone {
			if validZoneHours(h) {
				out = append(out, recordZoneChange{Date: d.Date, Hours: h})
			}
		}
	}
	return out
}

// validZoneHours reports whether a change of time zone by h hours is one the analysis can
// report: a whole number of hours in −11..12, 4 or more either way.
func validZoneHours(h int) bool { return h >= -11 && h <= 12 && (h >= 4 || h <= -4) }

// minuteOf is t's wall-clock minute within the local day [start, end), rounded to the nearest
// GridMinutes and clamped: an instant at or before start is 0 and one at or after end is 1440.
// The edges of awake runs and sleeps are post times; a public card draws them on the same grid
// as an archive summary, so that none can be read back from it to the minute, whatever the
// source (an account's posts may be protected).
func minuteOf(start, end, t time.Time, loc *time.Location) int {
	switch {
	case !t.After(start):
		return 0
	case !t.Before(end):
		return 24 * 60
	}
	l := t.In(loc)
	seconds := (l.Hour()*60+l.Minute())*60 + l.Second()
	const step = GridMinutes * 60
	return min((seconds+step/2)/step*GridMinutes, 24*60)
}

func percent(c float64) int {
	if math.IsNaN(c) {
		return 0
	}
	return int(math.Round(max(0, min(1, c)) * 100))
}

func clockOrNil(s *string) *string {
	if s == nil || !hhmm.MatchString(*s) {
		return nil
	}
	v := *s
	return &v
}

func finiteOrNil(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	v := *f
	return &v
}
