package share

import (
	"errors"
	"testing"
	"time"
)

// A summary whose times are in the year 9999 as written but in 10000 in its zone is refused
// with a 400's SummaryError: accepted, it could not be encoded as JSON again.
func TestDecodeSummaryRefusesTheYear10000InItsZone(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte(`{"timezone":"Asia/Tokyo","from":"9999-12-31T00:00:00+09:00","to":"9999-12-31T15:00:00Z","postCount":0,` +
		`"days":[{"date":"9999-12-31","awake":[{"start":"9999-12-31T10:00:00+09:00","end":"9999-12-31T15:00:00Z"}]}],` +
		`"sleeps":[],"gaps":[],"stats":{"nights":0,"wakeTime":null,"bedTime":null,"wakeSpreadMinutes":null,` +
		`"bedSpreadMinutes":null,"sleepHours":null,"sri":null,"socialJetlagHours":null,"patterns":[],` +
		`"allNighters":0,"activeDays":0,"longestAwakeHours":0}}`)
	_, err = DecodeSummary(raw, loc)
	var se *SummaryError
	if !errors.As(err, &se) || se.Path != "summary.to" {
		t.Fatalf("DecodeSummary = %v, want a SummaryError on summary.to", err)
	}
}
