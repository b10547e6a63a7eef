package analysisjson

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

// same checks that Append writes what encoding/json's Marshal writes (or fails where it fails).
func same(t *testing.T, a analyzer.Analysis) {
	t.Helper()
	want, wantErr := json.Marshal(a)
	got, err := Append(nil, &a)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("error = %v, encoding/json's = %v", err, wantErr)
	}
	if err != nil {
		if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("error = %v, want ErrUnsupported", err)
		}
		return
	}
	if string(got) != string(want) {
		t.Fatalf("Append =\n%s\nencoding/json =\n%s", got, want)
	}
	wantStats, _ := json.Marshal(a.Stats)
	if gotStats, _ := AppendStats(nil, &a.Stats); string(gotStats) != string(wantStats) {
		t.Fatalf("AppendStats =\n%s\nencoding/json =\n%s", gotStats, wantStats)
	}
}

func ptr[T any](v T) *T { return &v }

func TestEdgeValues(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	odd := time.FixedZone("", -(3*3600 + 30*60))
	at := time.Date(2026, 11, 1, 7, 40, 0, 0, tokyo)
	for _, tc := range []struct {
		name string
		a    analyzer.Analysis
	}{
		{"zero value, nil lists", analyzer.Analysis{}},
		{"empty lists", analyzer.Analysis{Periods: []analyzer.Period{}, Singles: []time.Time{}, Sleeps: []analyzer.Sleep{}, Gaps: []analyzer.Gap{}, ZoneChanges: []analyzer.ZoneChange{}, Days: []analyzer.Day{},
			Stats: analyzer.Stats{Patterns: []analyzer.Pattern{}}}},
		{"strings that need escaping", analyzer.Analysis{
			Timezone: "a\"b\\c/d<e>f&g\x00h\x01\b\f\n\r\t\x1f\x7f",
			Method:   "\u2028\u2029 日本語 \xff\xfe bad utf-8 \xe2\x82",
			From:     "😴", To: "</script>",
		}},
		{"floats", analyzer.Analysis{Sleeps: []analyzer.Sleep{
			{Confidence: 0}, {Confidence: math.Copysign(0, -1)}, {Confidence: 1}, {Confidence: 0.1 + 0.2},
			{Confidence: 1e-6}, {Confidence: 9.99e-7}, {Confidence: 1e-7}, {Confidence: 1e20}, {Confidence: 1e21},
			{Confidence: 123456789.125}, {Confidence: 5e-324}, {Confidence: math.MaxFloat64}, {Confidence: -2.5e-10},
		}, Stats: analyzer.Stats{LongestAwakeHours: 31.2, SRI: ptr(-100.0), SleepHours: ptr(6.4)}}},
		{"times: offsets, UTC, fractions, the ends of the range", analyzer.Analysis{Periods: []analyzer.Period{
			{Start: at, End: at.Add(1500 * time.Millisecond), Posts: 2},
			{Start: at.UTC(), End: at.In(odd).Add(time.Nanosecond), Posts: -1},
			{Start: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		}, Singles: []time.Time{at, at.In(odd).Add(time.Millisecond), at.UTC()}}},
		{"pointers set and nil, bools", analyzer.Analysis{Sleeps: []analyzer.Sleep{{Main: true}, {Main: false}},
			Stats: analyzer.Stats{WakeTime: ptr("07:40"), BedTime: nil, WakeSpreadMinutes: ptr(48.0), Patterns: []analyzer.Pattern{{WakeTime: "07:10", BedTime: "23:40", Nights: 14}}}}},
		{"NaN is refused", analyzer.Analysis{Stats: analyzer.Stats{LongestAwakeHours: math.NaN()}}},
		{"infinity is refused", analyzer.Analysis{Stats: analyzer.Stats{SRI: ptr(math.Inf(1))}}},
		{"a year past 9999 is refused", analyzer.Analysis{Gaps: []analyzer.Gap{{Start: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}},
	} {
		t.Run(tc.name, func(t *testing.T) { same(t, tc.a) })
	}
}

func TestRealAnalyses(t *testing.T) {
	base := time.Date(2026, 3, 1, 22, 13, 7, 0, time.UTC).UnixMilli()
	var times []int64
	for k := int64(0); k < 3000; k++ {
		// Posts through the day with nights of silence, a sleepless stretch and a week away.
		if h := (k * 37) % 24; h < 7 || (k > 900 && k < 1100) {
			continue
		}
		times = append(times, base+k*37*60_000+(k%13)*1_000)
	}
	for _, zone := range []string{"UTC", "Asia/Tokyo", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			same(t, analyzer.AnalyzeTimes(times, loc, analyzer.Window{}))
			same(t, analyzer.AnalyzeTimes(times[:40], loc, analyzer.Window{}))
			same(t, analyzer.AnalyzeTimes(nil, loc, analyzer.Window{}))
		})
	}
}

// TestEveryField fills every field of every type in an Analysis with a value of its own (through
// reflection, so a field added to the analyzer is filled too) and compares: a field the encoder
// does not know fails here, naming itself in encoding/json's output.
func TestEveryField(t *testing.T) {
	var a analyzer.Analysis
	n := 0
	fill(reflect.ValueOf(&a).Elem(), &n)
	same(t, a)
	if n < 40 {
		t.Fatalf("filled only %d values; is fill still walking the types?", n)
	}
}

var timeType = reflect.TypeOf(time.Time{})

// fill gives v (and everything inside it) a non-zero value, different for each field.
func fill(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2026, 11, 1, 7, 40, *n, *n*1000, time.FixedZone("", 9*3600))))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.String:
		v.SetString("s<" + string(rune('a'+*n%26)) + ">")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n))
	case reflect.Float64, reflect.Float32:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Bool:
		v.SetBool(*n%2 == 0)
	default:
		panic("fill: teach it " + v.Kind().String())
	}
}

func BenchmarkAppend(b *testing.B) {
	var times []int64
	for k := int64(0); k < 100_000; k++ {
		times = append(times, 1_700_000_000_000+k*29*60_000)
	}
	loc, _ := time.LoadLocation("Asia/Tokyo")
	a := analyzer.AnalyzeTimes(times, loc, analyzer.Window{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Append(nil, &a); err != nil {
			b.Fatal(err)
		}
	}
}
