package share

import (
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// TestSummaryAndRecordWhereMidnightIsSkipped covers zones whose clocks jump from 00:00 to 01:00:
// there time.Date(y, m, d, 0, 0, 0, 0, loc) is 23:00 of the day before, so cutting days with it
// refused the analyzer's own summaries (its days begin at 01:00) and cut an hour off the cards.
func TestSummaryAndRecordWhereMidnightIsSkipped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone string
		skip string // the date whose midnight does not exist
	}{
		{"America/Santiago", "2022-09-11"},
		{"America/Havana", "2023-03-12"},
		{"America/Asuncion", "2023-10-01"},
		{"Asia/Beirut", "2023-03-26"},
		{"America/Sao_Paulo", "2018-11-04"},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			skip, _ := time.Parse(dateLayout, tc.skip)
			y, m, d := skip.Date()
			var times []int64
			for i := -3; i < 3; i++ {
				for min := 8 * 60; min < 24*60; min += 20 {
					times = append(times, time.Date(y, m, d+i, 0, min, 0, 0, loc).UnixMilli())
				}
			}
			// The window's To is inclusive: its last millisecond keeps the next date out.
			from, to := analyzer.DayStart(y, m, d-3, loc), analyzer.DayStart(y, m, d+3, loc).Add(-time.Millisecond)
			a := analyzer.AnalyzeTimes(times, loc, analyzer.Window{From: from, To: to})
			got, err := DecodeSummary(summaryOf(t, a, nil), loc)
			if err != nil {
				t.Fatalf("the analyzer's own summary is refused: %v", err)
			}
			if len(got.Days) != 6 {
				t.Fatalf("decoded %d days, want 6", len(got.Days))
			}
			rec, err := newRecord(a, loc)
			if err != nil {
				t.Fatal(err)
			}
			for i, day := range a.Days {
				next := analyzer.DayStart(y, m, d-3+i+1, loc)
				rd := rec.Days[i]
				if len(rd.Awake) != len(day.Awake) {
					t.Fatalf("%s: record has %d awake runs, analysis %d", day.Date, len(rd.Awake), len(day.Awake))
				}
				for j, iv := range day.Awake {
					want := [2]int{wallMinute(iv.Start), wallMinute(iv.End)}
					if iv.End.Equal(next) {
						want[1] = 24 * 60
					}
					if rd.Awake[j] != want {
						t.Errorf("%s awake[%d] = %v, want %v (%s..%s)", day.Date, j, rd.Awake[j], want,
							iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
					}
				}
			}
		})
	}
}

// wallMinute is t's wall-clock minute on the card's grid (nearest GridMinutes).
func wallMinute(t time.Time) int {
	return ((t.Hour()*60+t.Minute())*60 + t.Second() + GridMinutes*30) / (GridMinutes * 60) * GridMinutes
}
