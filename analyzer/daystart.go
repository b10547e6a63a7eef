package analyzer

import "time"

// DayStart returns the first instant of the local date y-m-d in loc (out-of-range month and day
// values are normalized as time.Date does). It differs from time.Date(y, m, d, 0, 0, 0, 0, loc)
// where a clock change skips midnight itself (America/Santiago, America/Havana, America/Asuncion,
// America/Sao_Paulo until 2019): there time.Date resolves the missing 00:00 to 23:00 of the day
// before, while the date really begins at the transition (01:00). Callers that cut time into
// local days use this so their days agree with the analyzer's.
func DayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	day := floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
	z := newZone(loc)
	return time.UnixMilli(z.midnight(day)).In(loc)
}
