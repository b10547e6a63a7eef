package analyzer

import (
	"testing"
	"time"
)

// TestDayStart covers zones whose clocks jump at local midnight, where time.Date's 00:00 is not
// the start of the date, next to ordinary days and normalized dates.
func TestDayStart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone    string
		y       int
		m       time.Month
		d       int
		want    string
		comment string
	}{
		{"America/Santiago", 2022, 9, 11, "2022-09-11T01:00:00-03:00", "00:00 skipped to 01:00"},
		{"America/Santiago", 2023, 4, 2, "2023-04-02T00:00:00-04:00", "midnight repeated: the first one"},
		{"America/Havana", 2023, 3, 12, "2023-03-12T01:00:00-04:00", "00:00 skipped"},
		{"America/Asuncion", 2023, 10, 1, "2023-10-01T01:00:00-03:00", "00:00 skipped"},
		{"Asia/Beirut", 2023, 3, 26, "2023-03-26T01:00:00+03:00", "00:00 skipped"},
		{"America/Sao_Paulo", 2018, 11, 4, "2018-11-04T01:00:00-02:00", "00:00 skipped"},
		{"America/Sao_Paulo", 2018, 11, 3, "2018-11-03T00:00:00-03:00", "the day before is ordinary"},
		{"Asia/Tokyo", 2026, 11, 31, "2026-12-01T00:00:00+09:00", "normalized like time.Date"},
		{"UTC", 2026, 1, 0, "2025-12-31T00:00:00Z", "normalized backwards"},
	} {
		loc := mustLoad(t, tc.zone)
		got := DayStart(tc.y, tc.m, tc.d, loc)
		if s := got.Format(time.RFC3339); s != tc.want || got.Location() != loc {
			t.Errorf("%s %d-%02d-%02d (%s): DayStart = %s in %s, want %s", tc.zone, tc.y, tc.m, tc.d, tc.comment, s, got.Location(), tc.want)
		}
	}
}
