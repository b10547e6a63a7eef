//go:build js && wasm

package main

import (
	"errors"
	"math"
	"strconv"
	"syscall/js"

	"github.com/nezame/nezame/analyzer"
)

// GlobalName is the property of the JavaScript global scope that holds the analyzer's
// functions once the module runs.
const GlobalName = "nezameAnalyzer"

// register puts the analyzer's functions on global under GlobalName:
//
//	analyze(times: Uint8Array, tz: string, sources?: string[], sourceOf?: Uint8Array)
//	    -> {json: string} | {error: string, message: string}
//	stats(times: Uint8Array, tz: string) -> {json: string} | {error: string, message: string}
//	automated(sources: string[]) -> Uint8Array (1 = automated)
//
// times holds little-endian float64 Unix milliseconds (the bytes of a Float64Array);
// sourceOf, when given, little-endian uint32 indexes into sources, one per time. Typed arrays
// cross the boundary as one copy each: a million times are 8 MB of bytes, not a million
// JavaScript values.
func register(global js.Value) {
	api := js.Global().Get("Object").New()
	api.Set("analyze", js.FuncOf(analyzeJS))
	api.Set("stats", js.FuncOf(statsJS))
	api.Set("automated", js.FuncOf(automatedJS))
	global.Set(GlobalName, api)
}

func analyzeJS(_ js.Value, args []js.Value) any {
	return withTimes(args, "analyze(times, tz[, sources, sourceOf])", func(times []int64, tz string) ([]byte, error) {
		var sources []string
		var sourceOf []uint32
		if len(args) >= 4 && truthy(args[2]) && truthy(args[3]) {
			sources = stringsOf(args[2])
			sourceOf = uint32s(bytesOf(args[3]))
		}
		return analyze(times, tz, sources, sourceOf)
	})
}

// statsJS answers the statistics alone (the "stats" member of the Analysis): the month-by-month
// trends run one analysis per month and need nothing else.
func statsJS(_ js.Value, args []js.Value) any {
	return withTimes(args, "stats(times, tz)", stats)
}

// withTimes decodes the (times, tz) that analyze and stats start with, runs fn and wraps its
// JSON or error for JavaScript. A panic would end the Go program and every later call with
// it; it is reported instead, so the page can say the analysis failed (not the archive).
func withTimes(args []js.Value, usage string, fn func(times []int64, tz string) ([]byte, error)) (result any) {
	defer func() {
		if r := recover(); r != nil {
			result = failure("internal", panicText(r))
		}
	}()
	if len(args) < 2 || args[1].Type() != js.TypeString {
		return failure("invalid_call", usage)
	}
	times, err := float64Times(bytesOf(args[0]))
	if err != nil {
		return failure("invalid_timestamp", err.Error())
	}
	out, err := fn(times, args[1].String())
	if err != nil {
		return failure(errorCode(err), err.Error())
	}
	return map[string]any{"json": string(out)}
}

func automatedJS(_ js.Value, args []js.Value) (result any) {
	defer func() {
		if r := recover(); r != nil {
			result = failure("internal", panicText(r))
		}
	}()
	if len(args) < 1 || !truthy(args[0]) {
		return failure("invalid_call", "automated(sources)")
	}
	flags := automated(stringsOf(args[0]))
	arr := js.Global().Get("Uint8Array").New(len(flags))
	js.CopyBytesToJS(arr, flags)
	return arr
}

// panicText says what a recovered panic was.
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "unexpected panic"
}

func failure(code, message string) map[string]any {
	return map[string]any{"error": code, "message": message}
}

func truthy(v js.Value) bool { return v.Type() != js.TypeUndefined && v.Type() != js.TypeNull }

// bytesOf copies a Uint8Array into Go memory.
func bytesOf(v js.Value) []byte {
	if !truthy(v) {
		return nil
	}
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func stringsOf(v js.Value) []string {
	out := make([]string, v.Length())
	for i := range out {
		out[i] = v.Index(i).String()
	}
	return out
}

// float64Times decodes little-endian float64 Unix milliseconds; each must be a whole number from
// 2006 to 2099, as the server accepts.
func float64Times(b []byte) ([]int64, error) {
	if len(b)%8 != 0 {
		return nil, errors.New("times hold " + strconv.Itoa(len(b)) + " bytes, not a whole number of float64s")
	}
	out := make([]int64, len(b)/8)
	for i := range out {
		f := math.Float64frombits(le64(b[8*i:]))
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, errors.New("times[" + strconv.Itoa(i) + "] = " + strconv.FormatFloat(f, 'g', -1, 64) + " is not a whole number of milliseconds")
		}
		out[i] = int64(f)
		// As the server: before Twitter or after 2099 is a unit mistake, not a post time.
		if out[i] < analyzer.EarliestPostMs || out[i] >= analyzer.LatestPostMs {
			return nil, errors.New("times[" + strconv.Itoa(i) + "] = " + strconv.FormatInt(out[i], 10) + " is not Unix milliseconds between 2006 and 2100")
		}
	}
	return out, nil
}

func uint32s(b []byte) []uint32 {
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24
	}
	return out
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
