package analyzer

import (
	"math"
	"time"
)

const (
	msPerSecond = 1000
	msPerMinute = 60 * msPerSecond
	msPerHour   = 60 * msPerMinute
	msPerDay    = 24 * msPerHour

	// minMs and maxMs bound the instants the analyzer accepts: 0001-01-02 and 9999-12-30 UTC, so
	// that every local date (offsets are within ±1 day) is a year 1..9999 date that formats as
	// RFC 3339 and keeps all millisecond arithmetic far from int64 overflow.
	minMs = -62135510400000
	maxMs = 253402128000000
)

// zone answers offset questions about one location quickly. Looking a zone up through
// time.Time.In for every post is the expensive part of calendar work, but posts are sorted and a
// zone's offset only changes at a few transitions a year, so it caches the offset together with
// the span [start, end) (Unix seconds) in which that offset is valid and only asks the time
// package again when an instant falls outside it.
type zone struct {
	loc        *time.Location
	rest       weekdays // the days of the zone's weekend (weekendOf)
	start, end int64    // Unix seconds; start > end means "nothing cached yet"
	off        int64    // seconds east of UTC
}

func newZone(loc *time.Location) zone {
	return zone{loc: loc, rest: weekendOf(loc.String()), start: 1, end: 0}
}

// offset returns the zone's offset from UTC in seconds at Unix second sec.
func (z *zone) offset(sec int64) int64 {
	if sec >= z.start && sec < z.end {
		return z.off
	}
	t := time.Unix(sec, 0).In(z.loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	z.start, z.end = math.MinInt64, math.MaxInt64
	if !s.IsZero() {
		z.start = s.Unix()
	}
	if !e.IsZero() {
		z.end = e.Unix()
	}
	z.off = int64(off)
	return z.off
}

// localMs returns the instant ms (Unix milliseconds) shifted into local wall-clock milliseconds,
// i.e. the Unix milliseconds of the same wall-clock reading in UTC.
func (z *zone) localMs(ms int64) int64 {
	return ms + z.offset(floorDiv(ms, msPerSecond))*msPerSecond
}

// day returns the local date of instant ms as days since 1970-01-01.
func (z *zone) day(ms int64) int64 {
	return floorDiv(z.localMs(ms), msPerDay)
}

// clockMs returns the local time of day of instant ms in milliseconds after midnight.
func (z *zone) clockMs(ms int64) int64 {
	return floorMod(z.localMs(ms), msPerDay)
}

// at returns the instant (Unix milliseconds) at which local date day reaches wall-clock time
// clock (milliseconds after midnight). It resolves nonexistent and repeated wall-clock times
// exactly like time.Date does, so that it agrees with the time package on DST days.
func (z *zone) at(day, clock int64) int64 {
	unix := day*86400 + clock/msPerSecond
	off := z.offset(unix)
	if off != 0 {
		utc := unix - off
		if utc < z.start || utc >= z.end {
			off = z.offset(utc)
		}
		unix -= off
	}
	return unix*msPerSecond + clock%msPerSecond
}

// midnight returns the instant (Unix milliseconds) at which local date day begins. Where a
// DST change skips midnight itself (America/Sao_Paulo until 2019 jumped from 00:00 to 01:00),
// time.Date resolves 00:00 to 23:00 of the day before; the date really begins at the transition.
func (z *zone) midnight(day int64) int64 {
	ms := z.at(day, 0)
	if z.day(ms) < day && z.end != math.MaxInt64 {
		// z now caches the zone period holding ms, which ends at the skip.
		return z.end * msPerSecond
	}
	return ms
}

// appendDate appends day (days since 1970-01-01) as YYYY-MM-DD.
func appendDate(b []byte, day int64) []byte {
	y, m, d := civil(day)
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-')
	return append(b, byte('0'+d/10), byte('0'+d%10))
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm);
// it avoids constructing a time.Time per calendar day.
func civil(day int64) (year, month, dom int64) {
	z := day + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekday returns the weekday of day (days since 1970-01-01, a Thursday).
func weekday(day int64) time.Weekday {
	return time.Weekday(floorMod(day+4, 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && ((m < 0) != (b < 0)) {
		m += b
	}
	return m
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }
