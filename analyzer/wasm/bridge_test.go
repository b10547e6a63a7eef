//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
	"testing"
)

// callJS calls one of the registered functions the way the worker does: from JavaScript, with
// typed arrays. Zones other than UTC are tested through analyze directly: under Node, loading
// one reads zoneinfo files through asynchronous fs calls, which cannot finish inside a
// synchronous call from JavaScript (a browser has no fs, so the embedded tzdata answers at once).
func callJS(t *testing.T, fn string, args ...any) js.Value {
	t.Helper()
	scope := js.Global().Get("Object").New()
	register(scope)
	return scope.Get(GlobalName).Call(fn, args...)
}

func float64Bytes(times ...float64) js.Value {
	arr := js.Global().Get("Float64Array").New(len(times))
	for i, v := range times {
		arr.SetIndex(i, v)
	}
	return js.Global().Get("Uint8Array").New(arr.Get("buffer"))
}

func uint32Bytes(v ...int) js.Value {
	arr := js.Global().Get("Uint32Array").New(len(v))
	for i, x := range v {
		arr.SetIndex(i, x)
	}
	return js.Global().Get("Uint8Array").New(arr.Get("buffer"))
}

func strs(s ...string) js.Value {
	arr := js.Global().Get("Array").New()
	for _, x := range s {
		arr.Call("push", x)
	}
	return arr
}

func TestBridgeAnalyze(t *testing.T) {
	t0 := 1_780_000_000_000.0
	res := callJS(t, "analyze", float64Bytes(t0, t0+60_000, t0+120_000), "UTC",
		strs("Twitter Web App", bot), uint32Bytes(0, 1, 0))
	if res.Get("error").Truthy() {
		t.Fatalf("error %s: %s", res.Get("error"), res.Get("message"))
	}
	var a struct {
		Timezone  string `json:"timezone"`
		PostCount int    `json:"postCount"`
	}
	if err := json.Unmarshal([]byte(res.Get("json").String()), &a); err != nil {
		t.Fatal(err)
	}
	if a.Timezone != "UTC" || a.PostCount != 2 {
		t.Fatalf("got %+v, want UTC with 2 posts (the automated one dropped)", a)
	}

	noSources := callJS(t, "analyze", float64Bytes(t0, t0+60_000), "UTC")
	if !noSources.Get("json").Truthy() {
		t.Fatalf("analyze without sources: %s", noSources.Get("message"))
	}
}

func TestBridgeStats(t *testing.T) {
	day := 86_400_000.0
	var times []float64
	for d := range 21 {
		for h := 8.0; h < 24; h += 0.5 { // every half hour from 08:00 to 23:30, three weeks
			times = append(times, 1_780_000_000_000+float64(d)*day+h*3_600_000)
		}
	}
	res := callJS(t, "stats", float64Bytes(times...), "UTC")
	var st struct {
		ActiveDays int     `json:"activeDays"`
		WakeTime   *string `json:"wakeTime"`
	}
	if err := json.Unmarshal([]byte(res.Get("json").String()), &st); err != nil {
		t.Fatalf("stats = %v: %v", res, err)
	}
	if st.ActiveDays < 21 || st.WakeTime == nil {
		t.Fatalf("stats = %+v, want 21+ active days and a wake time", st)
	}
	if callJS(t, "stats", float64Bytes(times[0]), "Local").Get("error").String() != "invalid_timezone" {
		t.Fatal("stats with an unknown zone must say so")
	}
}

func TestBridgeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []any
		code string
	}{
		{"no arguments", nil, "invalid_call"},
		{"no zone", []any{float64Bytes(1)}, "invalid_call"},
		{"a fraction of a millisecond", []any{float64Bytes(1_780_000_000_000.5), "UTC"}, "invalid_timestamp"},
		{"not a number", []any{float64Bytes(js.Global().Get("NaN").Float()), "UTC"}, "invalid_timestamp"},
		{"bytes that are no float64s", []any{js.Global().Get("Uint8Array").New(5), "UTC"}, "invalid_timestamp"},
		{"seconds, not milliseconds", []any{float64Bytes(1_780_000_000), "UTC"}, "invalid_timestamp"},
		{"a zone alias for the local zone", []any{float64Bytes(1_780_000_000_000), "Local"}, "invalid_timezone"},
		{"a backward link", []any{float64Bytes(1_780_000_000_000), "Asia/Calcutta"}, "invalid_timezone"},
		{"over 25 years", []any{float64Bytes(1_780_000_000_000, 1_780_000_000_000+26*365*86_400_000), "UTC"}, "span_too_long"},
		{"sources without indexes of the right length", []any{float64Bytes(1_780_000_000_000, 1_780_000_060_000), "UTC", strs("web"), uint32Bytes(0)}, "invalid_sources"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := callJS(t, "analyze", tc.args...)
			if got := res.Get("error"); got.Type() != js.TypeString || got.String() != tc.code {
				t.Fatalf("error = %v, want %q", got, tc.code)
			}
		})
	}
}

func TestBridgeAutomated(t *testing.T) {
	got := callJS(t, "automated", strs("twittbot.net", "Twitter for Android"))
	if got.Get("length").Int() != 2 || got.Index(0).Int() != 1 || got.Index(1).Int() != 0 {
		t.Fatalf("automated = %v", js.Global().Get("Array").Call("from", got))
	}
	if callJS(t, "automated").Get("error").String() != "invalid_call" {
		t.Fatal("automated() without sources must say the call is invalid")
	}
}
