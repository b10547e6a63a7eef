//go:build js && wasm

package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
)

const bot = `<a href="https://twittbot.net/" rel="nofollow">twittbot.net</a>`

func TestAnalyze(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 3, 7, 22, 0, 0, 0, time.UTC).UnixMilli()
	hour := int64(time.Hour / time.Millisecond)
	// Posts every 2 h over four days that cross the US spring-forward change (2026-03-08).
	var times []int64
	for k := range int64(48) {
		times = append(times, base+2*k*hour)
	}
	for _, tc := range []struct {
		name     string
		times    []int64
		tz       string
		sources  []string
		sourceOf []uint32
		posts    int
		days     int
	}{
		{name: "empty", times: []int64{}, tz: "Asia/Tokyo"},
		{name: "DST", times: times, tz: "America/New_York", posts: 48, days: 5},
		{name: "unsorted with duplicates", times: []int64{times[3], times[0], times[3], times[1]}, tz: "UTC", posts: 4, days: 2},
		{
			name: "automated sources dropped", times: times[:4], tz: "Europe/London",
			sources: []string{"Twitter Web App", bot}, sourceOf: []uint32{0, 1, 1, 0}, posts: 2, days: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := analyze(tc.times, tc.tz, tc.sources, tc.sourceOf)
			if err != nil {
				t.Fatal(err)
			}
			var a analyzer.Analysis
			if err := json.Unmarshal(out, &a); err != nil {
				t.Fatal(err)
			}
			if a.PostCount != tc.posts || len(a.Days) != tc.days || a.Timezone != tc.tz {
				t.Fatalf("postCount %d, %d days, zone %q; want %d, %d, %q", a.PostCount, len(a.Days), a.Timezone, tc.posts, tc.days, tc.tz)
			}
			// The encoding is the server's: encoding/json's Marshal of the analyzer's result.
			loc, _ := time.LoadLocation(tc.tz)
			kept := tc.times
			if tc.sources != nil {
				kept = nil
				for i, ts := range tc.times {
					if tc.sources[tc.sourceOf[i]] != bot {
						kept = append(kept, ts)
					}
				}
			}
			want, _ := json.Marshal(analyzer.AnalyzeTimes(kept, loc, analyzer.Window{}))
			if string(out) != string(want) {
				t.Fatalf("analyze =\n%s\nwant\n%s", out, want)
			}
		})
	}
}

func TestAnalyzeRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		tz       string
		sources  []string
		sourceOf []uint32
		want     error
	}{
		{name: "unknown zone", tz: "Mars/Olympus_Mons", want: errTimezone},
		{name: "Local", tz: "Local", want: errTimezone},
		{name: "a path", tz: "../../etc/passwd", want: errTimezone},
		{name: "too few source indexes", tz: "UTC", sources: []string{"web"}, sourceOf: []uint32{0}, want: errSources},
		{name: "a source out of range", tz: "UTC", sources: []string{"web"}, sourceOf: []uint32{0, 1}, want: errSources},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := analyze([]int64{1_700_000_000_000, 1_700_000_060_000}, tc.tz, tc.sources, tc.sourceOf)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestAutomated(t *testing.T) {
	t.Parallel()
	got := automated([]string{"Twitter for iPhone", bot, "IFTTT", ""})
	if string(got) != "\x00\x01\x01\x00" {
		t.Fatalf("automated = %v", got)
	}
}

// TestRefusalsMatchServer runs the cases POST /api/analyze is tested against too
// (testdata/refusals.json): the device refuses exactly what the server refuses, with its codes,
// in analyze and in stats.
func TestRefusalsMatchServer(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/refusals.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Name       string
			TZ         string
			Timestamps []time.Time
			Code       string
		}
	}
	if err := json.Unmarshal(raw, &file); err != nil || len(file.Cases) == 0 {
		t.Fatalf("refusals.json: %v", err)
	}
	for _, tc := range file.Cases {
		// The times cross from JavaScript as float64s (withTimes decodes them first).
		b := make([]byte, 8*len(tc.Timestamps))
		for i, v := range tc.Timestamps {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(float64(v.UnixMilli())))
		}
		times, err := float64Times(b)
		if err != nil {
			if tc.Code != "invalid_timestamp" {
				t.Errorf("%s: times refused (%v), want %q", tc.Name, err, tc.Code)
			}
			continue
		}
		for name, fn := range map[string]func() ([]byte, error){
			"analyze": func() ([]byte, error) { return analyze(times, tc.TZ, nil, nil) },
			"stats":   func() ([]byte, error) { return stats(times, tc.TZ) },
		} {
			_, err := fn()
			code := ""
			if err != nil {
				code = errorCode(err)
			}
			if code != tc.Code {
				t.Errorf("%s: %s = %q (%v), want %q", tc.Name, name, code, err, tc.Code)
			}
		}
	}
}
