// Package analysisjson writes an analyzer.Analysis as JSON without reflection: byte for byte
// what encoding/json's Marshal writes (and so what the server answers), field order, number
// format, string escaping (HTML-safe) and times (RFC 3339 with nanoseconds) included. It exists
// for the WebAssembly build, where encoding/json, reflect and fmt would cost 0.22 MB of the
// 1.2 MB gzipped budget. Its test compares it with encoding/json on every field of every type,
// so a field added to the analyzer's types fails the test until it is added here.
package analysisjson

import (
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/nezame/nezame/analyzer"
)

// ErrUnsupported is a value encoding/json refuses too: NaN or ±Inf, or a time outside the
// years 0–9999.
var ErrUnsupported = errors.New("analysisjson: unsupported value")

// Append appends the JSON of a to b.
func Append(b []byte, a *analyzer.Analysis) ([]byte, error) {
	var e encoder
	e.b = b
	e.analysis(a)
	return e.b, e.err
}

// AppendStats appends the JSON of s to b.
func AppendStats(b []byte, s *analyzer.Stats) ([]byte, error) {
	var e encoder
	e.b = b
	e.stats(s)
	return e.b, e.err
}

type encoder struct {
	b   []byte
	err error
}

// key writes `,"name":` (the comma unless first).
func (e *encoder) key(name string, first bool) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
}

func (e *encoder) analysis(a *analyzer.Analysis) {
	e.b = append(e.b, '{')
	e.key("timezone", true)
	e.str(a.Timezone)
	e.key("weekend", false)
	values(e, a.Weekend, func(d time.Weekday) { e.int(int(d)) })
	e.key("method", false)
	e.str(a.Method)
	e.key("from", false)
	e.str(a.From)
	e.key("to", false)
	e.str(a.To)
	e.key("postCount", false)
	e.int(a.PostCount)
	e.key("periods", false)
	list(e, a.Periods, func(p *analyzer.Period) {
		e.key("start", true)
		e.time(p.Start)
		e.key("end", false)
		e.time(p.End)
		e.key("posts", false)
		e.int(p.Posts)
	})
	e.key("singles", false)
	values(e, a.Singles, e.time)
	e.key("sleeps", false)
	list(e, a.Sleeps, func(s *analyzer.Sleep) {
		e.key("start", true)
		e.time(s.Start)
		e.key("end", false)
		e.time(s.End)
		e.key("confidence", false)
		e.float(s.Confidence)
		e.key("main", false)
		e.bool(s.Main)
	})
	e.key("gaps", false)
	list(e, a.Gaps, func(g *analyzer.Gap) {
		e.key("start", true)
		e.time(g.Start)
		e.key("end", false)
		e.time(g.End)
		e.key("reason", false)
		e.str(g.Reason)
	})
	e.key("zoneChanges", false)
	list(e, a.ZoneChanges, func(c *analyzer.ZoneChange) {
		e.key("at", true)
		e.time(c.At)
		e.key("hours", false)
		e.int(c.Hours)
	})
	e.key("days", false)
	list(e, a.Days, func(d *analyzer.Day) {
		e.key("date", true)
		e.str(d.Date)
		e.key("awake", false)
		list(e, d.Awake, func(iv *analyzer.Interval) {
			e.key("start", true)
			e.time(iv.Start)
			e.key("end", false)
			e.time(iv.End)
		})
	})
	e.key("stats", false)
	e.stats(&a.Stats)
	e.b = append(e.b, '}')
}

func (e *encoder) stats(s *analyzer.Stats) {
	e.b = append(e.b, '{')
	e.key("nights", true)
	e.int(s.Nights)
	e.key("wakeTime", false)
	e.strPtr(s.WakeTime)
	e.key("bedTime", false)
	e.strPtr(s.BedTime)
	e.key("wakeSpreadMinutes", false)
	e.floatPtr(s.WakeSpreadMinutes)
	e.key("bedSpreadMinutes", false)
	e.floatPtr(s.BedSpreadMinutes)
	e.key("sleepHours", false)
	e.floatPtr(s.SleepHours)
	e.key("sri", false)
	e.floatPtr(s.SRI)
	e.key("socialJetlagHours", false)
	e.floatPtr(s.SocialJetlagHours)
	e.key("patterns", false)
	list(e, s.Patterns, func(p *analyzer.Pattern) {
		e.key("wakeTime", true)
		e.str(p.WakeTime)
		e.key("bedTime", false)
		e.str(p.BedTime)
		e.key("nights", false)
		e.int(p.Nights)
	})
	e.key("allNighters", false)
	e.int(s.AllNighters)
	e.key("activeDays", false)
	e.int(s.ActiveDays)
	e.key("longestAwakeHours", false)
	e.float(s.LongestAwakeHours)
	e.b = append(e.b, '}')
}

// list writes a slice of objects: null when nil, as encoding/json does.
func list[T any](e *encoder, items []T, fields func(*T)) {
	if items == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i := range items {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, '{')
		fields(&items[i])
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, ']')
}

// values writes a slice of plain values with write: null when nil, as encoding/json does.
func values[T any](e *encoder, xs []T, write func(T)) {
	if xs == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i, x := range xs {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		write(x)
	}
	e.b = append(e.b, ']')
}

func (e *encoder) int(v int) { e.b = strconv.AppendInt(e.b, int64(v), 10) }

func (e *encoder) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

// float writes f as encoding/json does: like JavaScript, %f between 1e-6 and 1e21, else an
// exponent without padding (1e-7, not 1e-07).
func (e *encoder) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.fail()
		e.b = append(e.b, "null"...)
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if n := len(e.b); format == 'e' && n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
		e.b[n-2] = e.b[n-1]
		e.b = e.b[:n-1]
	}
}

func (e *encoder) floatPtr(f *float64) {
	if f == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.float(*f)
}

func (e *encoder) strPtr(s *string) {
	if s == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.str(*s)
}

// time writes t as time.Time's MarshalJSON does: RFC 3339 with nanoseconds, years 0–9999.
func (e *encoder) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		e.fail()
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

func (e *encoder) fail() {
	if e.err == nil {
		e.err = ErrUnsupported
	}
}

const hex = "0123456789abcdef"

// str writes s as encoding/json does with HTML escaping on: <, > and & as \u003c…, control
// characters as \n, \t… or \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func (e *encoder) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}
