package analyzer

import (
	"math/bits"
	"time"
)

// weekdays is a set of days of the week, bit d for time.Weekday(d).
type weekdays uint8

const (
	saturdaySunday = weekdays(1<<time.Saturday | 1<<time.Sunday)
	fridaySaturday = weekdays(1<<time.Friday | 1<<time.Saturday)
	fridaySunday   = weekdays(1<<time.Friday | 1<<time.Sunday)
)

func (w weekdays) has(d time.Weekday) bool { return w&(1<<d) != 0 }

// weekendOf is the customary weekend of the country a canonical zone name belongs to. Free
// nights (the next day a rest day) start later and last longer than work nights, and the model
// and the social jetlag statistic both read the week by them: taking Saturday and Sunday
// everywhere would read a Sunday-to-Thursday worker's Thursday night as a work night and their
// Saturday night, before a working Sunday, as a free one.
//
// Listed are the zones whose country's official weekend is not Saturday and Sunday: Friday and
// Saturday across most of the Arab world, in Israel and Palestine, Bangladesh and the
// Maldives; Friday and Sunday in Brunei. The United Arab Emirates moved to Saturday and Sunday
// in 2022 and are not listed. Zones whose country rests a single day or has been changing its
// weekend (Iran, Afghanistan, Nepal), or that span regions resting on different days
// (Malaysia), keep the default, which is wrong there by a day or so: no two days are right for
// everyone in them.
func weekendOf(zone string) weekdays {
	switch zone {
	case "Africa/Algiers", "Africa/Cairo", "Africa/Khartoum", "Africa/Tripoli",
		"Asia/Aden", "Asia/Amman", "Asia/Baghdad", "Asia/Bahrain", "Asia/Damascus", "Asia/Dhaka",
		"Asia/Gaza", "Asia/Hebron", "Asia/Jerusalem", "Asia/Kuwait", "Asia/Muscat", "Asia/Qatar",
		"Asia/Riyadh", "Indian/Maldives":
		return fridaySaturday
	case "Asia/Brunei":
		return fridaySunday
	}
	return saturdaySunday
}

// Weekend returns the days of the week an analysis in the named zone reads as rest days (see
// Analysis.Weekend), in order from Sunday. Callers that draw a calendar (the share card) mark
// these days, so that the picture and the statistics agree.
func Weekend(zone string) []time.Weekday {
	return weekendOf(zone).list()
}

func (w weekdays) list() []time.Weekday {
	out := make([]time.Weekday, 0, bits.OnesCount8(uint8(w)))
	for d := time.Sunday; d <= time.Saturday; d++ {
		if w.has(d) {
			out = append(out, d)
		}
	}
	return out
}
