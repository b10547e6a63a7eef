package share

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/share/sharetest"
)

// summaryJSON is the fixture analysis as the web client sends it: the Analysis without periods.
func summaryJSON(t testing.TB, edit func(m map[string]any)) []byte {
	t.Helper()
	return summaryOf(t, fixtureAnalysis(t), edit)
}

// summaryOf is a as the web client sends it (on the grid, without post times), edited by edit
// when it is not nil.
func summaryOf(t testing.TB, a analyzer.Analysis, edit func(m map[string]any)) []byte {
	t.Helper()
	raw := sharetest.Summary(t, a)
	if edit == nil {
		return raw
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDecodeSummaryAcceptsAnAnalysisWithoutPeriods(t *testing.T) {
	t.Parallel()
	want := fixtureAnalysis(t)
	got, err := DecodeSummary(summaryJSON(t, nil), fixtureLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Days) != len(want.Days) || len(got.Sleeps) != len(want.Sleeps) || len(got.Gaps) != len(want.Gaps) ||
		*got.Stats.SRI != *want.Stats.SRI || got.PostCount != want.PostCount || got.From != want.From {
		t.Fatalf("decoded %d days, %d sleeps, %d gaps; want the analysis' %d, %d, %d",
			len(got.Days), len(got.Sleeps), len(got.Gaps), len(want.Days), len(want.Sleeps), len(want.Gaps))
	}
	// Rounding moves a time by at most half a grid step.
	for i, s := range got.Sleeps {
		if d := s.Start.Sub(want.Sleeps[i].Start).Abs(); d > GridMinutes*time.Minute/2 {
			t.Errorf("sleep %d starts %v from the analysis'", i, d)
		}
	}
	// A decoded summary sent again is the same card.
	again, err := DecodeSummary(summaryOf(t, got, nil), fixtureLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	a, err := newRecord(got, fixtureLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newRecord(again, fixtureLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("records differ:\n%s\n%s", ja, jb)
	}
}

// A traveller's change of time zone comes through on the grid, onto the card's day; a summary
// from a client that sends none (the field absent or null) has none.
func TestDecodeSummaryZoneChanges(t *testing.T) {
	t.Parallel()
	loc := fixtureLoc(t)
	a := travellerAnalysis(t)
	got, err := DecodeSummary(summaryOf(t, a, nil), loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ZoneChanges) != 1 || got.ZoneChanges[0].Hours != 8 || !onGrid(got.ZoneChanges[0].At) ||
		got.ZoneChanges[0].At.Sub(a.ZoneChanges[0].At).Abs() > GridMinutes*time.Minute/2 {
		t.Fatalf("zone changes = %+v, want the analysis' %+v on the grid", got.ZoneChanges, a.ZoneChanges)
	}
	rec, err := newRecord(got, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := a.ZoneChanges[0].At.Format(dateLayout); !slices.ContainsFunc(rec.Days, func(d RecordDay) bool {
		return d.Date == want && slices.Equal(d.Zone, []int{8})
	}) {
		t.Errorf("the record does not mark +8 on %s", want)
	}
	for _, edit := range []func(map[string]any){
		func(m map[string]any) { delete(m, "zoneChanges") },
		func(m map[string]any) { m["zoneChanges"] = nil },
	} {
		old, err := DecodeSummary(summaryOf(t, a, edit), loc)
		if err != nil {
			t.Fatal(err)
		}
		if old.ZoneChanges == nil || len(old.ZoneChanges) != 0 {
			t.Errorf("zone changes of a summary without them = %#v, want []", old.ZoneChanges)
		}
	}
}

func TestDecodeSummaryRefuses(t *testing.T) {
	t.Parallel()
	set := func(path string, v any) func(m map[string]any) {
		return func(m map[string]any) {
			parts := strings.Split(path, ".")
			var cur any = m
			for _, p := range parts[:len(parts)-1] {
				switch c := cur.(type) {
				case map[string]any:
					cur = c[p]
				case []any:
					var i int
					_, _ = fmtSscan(p, &i)
					cur = c[i]
				}
			}
			last := parts[len(parts)-1]
			switch c := cur.(type) {
			case map[string]any:
				if v == nil {
					delete(c, last)
				} else {
					c[last] = v
				}
			case []any:
				var i int
				_, _ = fmtSscan(last, &i)
				c[i] = v
			}
		}
	}
	// offGrid moves the first item's field (for days, the first awake span's start) by d.
	offGrid := func(list, field string, d time.Duration) func(map[string]any) {
		return func(m map[string]any) {
			item := m[list].([]any)[0].(map[string]any)
			if list == "days" {
				item, field = item["awake"].([]any)[0].(map[string]any), "start"
			}
			at, err := time.Parse(time.RFC3339, item[field].(string))
			if err != nil {
				panic(err)
			}
			item[field] = at.Add(d).Format(time.RFC3339)
		}
	}
	zone := func(at string, hours any) map[string]any { return map[string]any{"at": at, "hours": hours} }
	// zones are n changes a day apart from Oct 26, alternately 8 h later and back.
	zones := func(n int) []any {
		out := []any{}
		for i := range n {
			out = append(out, zone(time.Date(2026, 10, 26+i, 6, 0, 0, 0, fixtureLoc(t)).Format(time.RFC3339), 8-16*(i%2)))
		}
		return out
	}
	manyDays := func(m map[string]any) {
		days := m["days"].([]any)
		for len(days) <= MaxDays {
			days = append(days, days...)
		}
		m["days"] = days
	}
	tests := []struct {
		name string
		edit func(map[string]any)
		want string // in the message
	}{
		{"post times", set("timestamps", []any{1793487600000}), `unknown field "timestamps"`},
		{"periods", set("periods", []any{}), `unknown field "periods"`},
		{"other zone", set("timezone", "UTC"), "summary.timezone"},
		{"missing stats", set("stats", nil), "summary.stats: missing"},
		{"from not midnight", set("from", "2026-10-25T01:00:00+09:00"), "summary.from: must be a local midnight"},
		{"malformed time", set("to", "yesterday"), "summary.to"},
		{"more than 62 days", func(m map[string]any) { m["to"] = "2027-01-01T00:00:00+09:00" }, "covers more than 62 days"},
		{"too many day entries", manyDays, "summary.days"},
		{"days out of order", set("days.1.date", "2026-10-25"), "summary.days[1].date"},
		{"awake outside its day", set("days.3.awake.0.start", "2026-10-27T10:00:00+09:00"), "summary.days[3].awake[0]"},
		{"sleep ends before it starts", set("sleeps.2.end", "2026-10-25T00:00:00+09:00"), "summary.sleeps[2]"},
		{"sleeps out of order", set("sleeps.3.start", "2026-10-25T00:00:00+09:00"), "summary.sleeps[3]"},
		{"sleep after to", set("sleeps.3.end", "2027-10-25T00:00:00+09:00"), "summary.sleeps[3]"},
		{"confidence over 1", set("sleeps.0.confidence", 1.5), "summary.sleeps[0].confidence"},
		{"unknown gap reason", set("gaps.0.reason", "nap"), "summary.gaps[0].reason"},
		{"clock string", set("stats.wakeTime", "25:00"), "summary.stats.wakeTime"},
		{"sri out of range", set("stats.sri", 180), "summary.stats.sri"},
		{"negative count", set("stats.nights", -1), "summary.stats.nights"},
		{"post count", set("postCount", 1e9), "summary.postCount"},
		{"wrong type", set("postCount", "many"), "postCount has the wrong type"},
		{"sleep off the grid", offGrid("sleeps", "start", 7*time.Minute), "summary.sleeps[0].start: 2026"},
		{"awake off the grid", offGrid("days", "awake", time.Minute), "not on the 15-minute grid"},
		{"gap with seconds", offGrid("gaps", "end", -time.Second), "summary.gaps[0].end"},
		{"wake time off the grid", set("stats.wakeTime", "07:07"), "summary.stats.wakeTime"},
		{"sleep hours off the grid", set("stats.sleepHours", 7.1), "summary.stats.sleepHours"},
		{"longest awake off the grid", set("stats.longestAwakeHours", 16.3), "summary.stats.longestAwakeHours"},
		{"pattern off the grid", set("stats.patterns", []any{map[string]any{"wakeTime": "07:00", "bedTime": "23:10", "nights": 2}}), "summary.stats.patterns[0]"},
		{"pattern clock", set("stats.patterns", []any{map[string]any{"wakeTime": "7", "bedTime": "23:00", "nights": 2}}), "summary.stats.patterns[0]"},
		{"too many zone changes", set("zoneChanges", zones(9)), "summary.zoneChanges: more than 8"},
		{"zone changes not a list", set("zoneChanges", map[string]any{}), "zoneChanges has the wrong type"},
		{"zone change field unknown", set("zoneChanges", []any{map[string]any{"at": "2026-11-09T17:15:00+09:00", "hours": 8, "from": "Tokyo"}}), `unknown field "from"`},
		{"zone change without at", set("zoneChanges", []any{map[string]any{"hours": 8}}), "summary.zoneChanges[0].at: missing"},
		{"zone change at malformed", set("zoneChanges", []any{zone("Nov 9", 8)}), "summary.zoneChanges[0].at: \"Nov 9\" is not an RFC 3339 time"},
		{"zone change off the grid", set("zoneChanges", []any{zone("2026-11-09T17:13:00+09:00", 8)}), "summary.zoneChanges[0].at: 2026-11-09T17:13:00+09:00 is not on the 15-minute grid"},
		{"zone change before from", set("zoneChanges", []any{zone("2026-10-24T23:45:00+09:00", 8)}), "summary.zoneChanges[0].at: outside"},
		{"zone change after to", set("zoneChanges", []any{zone("2026-11-22T00:15:00+09:00", 8)}), "summary.zoneChanges[0].at: outside"},
		{"zone changes out of order", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 8), zone("2026-11-01T06:00:00+09:00", -8)}), "summary.zoneChanges[1].at: not after"},
		{"zone changes at one instant", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 8), zone("2026-11-09T08:15:00Z", -8)}), "summary.zoneChanges[1].at: not after"},
		{"zone change without hours", set("zoneChanges", []any{map[string]any{"at": "2026-11-09T17:15:00+09:00"}}), "summary.zoneChanges[0].hours: missing"},
		{"zone change of half an hour", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 8.5)}), "summary.zoneChanges[0].hours: want a whole number"},
		{"zone change too small", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 3)}), "summary.zoneChanges[0].hours"},
		{"zone change of zero", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 0)}), "summary.zoneChanges[0].hours"},
		{"zone change of -12", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", -12)}), "summary.zoneChanges[0].hours"},
		{"zone change of 13", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 13)}), "summary.zoneChanges[0].hours"},
		{"zone change hours a string", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", "8")}), "hours has the wrong type"},
		{"zone change huge", set("zoneChanges", []any{zone("2026-11-09T17:15:00+09:00", 1e300)}), "summary.zoneChanges[0].hours"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeSummary(summaryJSON(t, tc.edit), fixtureLoc(t))
			var se *SummaryError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a SummaryError mentioning %q", err, tc.want)
			}
		})
	}
	for _, raw := range []string{``, `[]`, `{"timezone":"Asia/Tokyo"} {}`, `{` + strings.Repeat(" ", MaxSummaryBytes) + `}`} {
		if _, err := DecodeSummary([]byte(raw), fixtureLoc(t)); err == nil {
			t.Errorf("DecodeSummary(%.20q) accepted", raw)
		}
	}
}

// FuzzDecodeSummary: no input panics, and whatever is accepted is within the bounds a card
// needs and comes out the same after another round trip.
func FuzzDecodeSummary(f *testing.F) {
	f.Add(summaryJSON(f, nil))
	f.Add(summaryOf(f, travellerAnalysis(f), nil)) // with a change of time zone
	f.Add([]byte(`{"timezone":"Asia/Tokyo","from":"2026-11-01T00:00:00+09:00","to":"2026-11-02T00:00:00+09:00","postCount":0,` +
		`"days":[{"date":"2026-11-01","awake":[]}],"sleeps":[],"gaps":[],"stats":{"nights":0,"wakeTime":null,"bedTime":null,` +
		`"wakeSpreadMinutes":null,"bedSpreadMinutes":null,"sleepHours":null,"sri":null,"socialJetlagHours":null,"patterns":[],` +
		`"allNighters":0,"activeDays":0,"longestAwakeHours":0}}`))
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := DecodeSummary(raw, loc)
		if err != nil {
			var se *SummaryError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a SummaryError", err)
			}
			return
		}
		if len(a.Days) == 0 || len(a.Days) > MaxDays || len(a.Sleeps) > maxSleeps || len(a.Gaps) > maxGaps {
			t.Fatalf("accepted %d days, %d sleeps, %d gaps", len(a.Days), len(a.Sleeps), len(a.Gaps))
		}
		again, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.Unmarshal(again, &m)
		delete(m, "periods")
		delete(m, "singles") // post times too
		delete(m, "weekend") // the zone's, derived by the server
		again, _ = json.Marshal(m)
		b, err := DecodeSummary(again, loc)
		if err != nil {
			t.Fatalf("re-encoded summary refused: %v\n%s", err, again)
		}
		if len(b.Days) != len(a.Days) || len(b.Sleeps) != len(a.Sleeps) || len(b.ZoneChanges) != len(a.ZoneChanges) || b.From != a.From || b.To != a.To {
			t.Fatal("round trip changed the summary")
		}
		if _, err := newRecord(a, loc); err != nil {
			t.Fatalf("accepted summary makes no record: %v", err)
		}
	})
}

func fmtSscan(s string, i *int) (int, error) { return fmt.Sscan(s, i) }
