// Package share turns an analysis into a public share: a small JSON record in a blob store, a
// 1200×630 PNG card rendered from it on demand, and an HTML page with Open Graph tags that points
// at the card. Shares are read by crowds through a CDN, so everything served is cacheable and
// rendering is deterministic: the same record always yields the same bytes.
package share

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"regexp"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// MaxDays is the most calendar days a share keeps (the latest ones); more would not fit the card.
const MaxDays = 62

// Record is what a share needs to render, stored as small JSON. It holds no post text and no
// tokens: only the owner's id and handle, the calendar as per-day awake minute ranges and the
// headline statistics.
type Record struct {
	ID         string      `json:"id"`
	OwnerID    string      `json:"owner"`
	ScreenName string      `json:"screenName"`
	Timezone   string      `json:"tz"`
	Created    time.Time   `json:"created"`
	Site       string      `json:"site"` // the app's host printed on the card, fixed at creation
	PostCount  int         `json:"posts"`
	Days       []RecordDay `json:"days"`
	Stats      RecordStats `json:"stats"`
}

// RecordDay is one local calendar date with its awake ranges in minutes after local midnight,
// [start, end) with 0 ≤ start < end ≤ 1440 (wall-clock minutes, so a DST day still spans 24 rows).
type RecordDay struct {
	Date  string   `json:"d"` // YYYY-MM-DD
	Awake [][2]int `json:"a"`
}

// RecordStats are the headline statistics on the card. Nil means "too little data".
type RecordStats struct {
	WakeTime    *string  `json:"wake,omitempty"` // "HH:MM"
	BedTime     *string  `json:"bed,omitempty"`  // "HH:MM"
	SleepHours  *float64 `json:"sleepH,omitempty"`
	SRI         *float64 `json:"sri,omitempty"`
	ActiveDays  int      `json:"activeDays"`
	AllNighters int      `json:"allNighters"`
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

// NewRecord builds the record for a share of a. It keeps the latest MaxDays days.
func NewRecord(id, ownerID, screenName, site string, created time.Time, a analyzer.Analysis) (Record, error) {
	days := a.Days
	if len(days) > MaxDays {
		days = days[len(days)-MaxDays:]
	}
	rec := Record{
		ID: id, OwnerID: ownerID, ScreenName: screenName, Timezone: a.Timezone,
		Created: created.UTC(), Site: site, PostCount: a.PostCount,
		Days: make([]RecordDay, 0, len(days)),
	}
	for _, d := range days {
		date, err := time.Parse(dateLayout, d.Date)
		if err != nil {
			return Record{}, fmt.Errorf("day %q: %w", d.Date, err)
		}
		rd := RecordDay{Date: d.Date, Awake: make([][2]int, 0, len(d.Awake))}
		for _, iv := range d.Awake {
			s, e := dayMinutes(date, iv.Start), dayMinutes(date, iv.End)
			if e <= s {
				continue // a zero-length piece of a period clipped at midnight
			}
			rd.Awake = append(rd.Awake, [2]int{s, e})
		}
		rec.Days = append(rec.Days, rd)
	}
	st := a.Stats
	rec.Stats = RecordStats{
		WakeTime: clockOrNil(st.WakeTime), BedTime: clockOrNil(st.BedTime),
		SleepHours: round1(st.SleepHours), SRI: round1(st.SRI),
		ActiveDays: st.ActiveDays, AllNighters: st.AllNighters,
	}
	return rec, nil
}

// dayMinutes is t's wall-clock minute within the local date day, clamped to [0, 1440]: a time
// on an earlier date is 0 and one on a later date (the next midnight of a clipped period) 1440.
func dayMinutes(day, t time.Time) int {
	y, m, d := t.Date()
	td := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch {
	case td.Before(day):
		return 0
	case td.After(day):
		return 24 * 60
	}
	return t.Hour()*60 + t.Minute()
}

func clockOrNil(s *string) *string {
	if s == nil || !hhmm.MatchString(*s) {
		return nil
	}
	v := *s
	return &v
}

func round1(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	v := math.Round(*f*10) / 10
	return &v
}
