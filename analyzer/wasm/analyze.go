//go:build js && wasm

package main

import (
	"errors"
	"strconv"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/analyzer/wasm/analysisjson"
)

var (
	errTimezone = errors.New("invalid time zone")
	errSources  = errors.New("invalid sources")
)

// analyze does what POST /api/analyze does with the same input: with sources, the posts that
// IsAutomated marks are dropped first (FilterAutomated); then the whole input is analysed with
// the zero Window, and the result is encoded as the server's encoder (gin's, which is
// encoding/json's Marshal) encodes it (analysisjson), so the two are byte for byte the same.
// sourceOf[i] is the index in sources of times[i]'s source.
func analyze(times []int64, tz string, sources []string, sourceOf []uint32) ([]byte, error) {
	loc, err := loadZone(tz)
	if err != nil {
		return nil, err
	}
	var a analyzer.Analysis
	if sources == nil {
		a = analyzer.AnalyzeTimes(times, loc, analyzer.Window{})
	} else {
		if len(sourceOf) != len(times) {
			return nil, detail(errSources, strconv.Itoa(len(sourceOf))+" source indexes for "+strconv.Itoa(len(times))+" times")
		}
		posts := make([]analyzer.Post, len(times))
		for i, t := range times {
			k := sourceOf[i]
			if int(k) >= len(sources) {
				return nil, detail(errSources, "times["+strconv.Itoa(i)+"] names source "+strconv.FormatUint(uint64(k), 10)+" of "+strconv.Itoa(len(sources)))
			}
			posts[i] = analyzer.Post{Time: time.UnixMilli(t), Source: sources[k]}
		}
		a = analyzer.Analyze(analyzer.FilterAutomated(posts), loc, analyzer.Window{})
	}
	return analysisjson.Append(nil, &a)
}

// stats is the Stats of AnalyzeTimes(times) in tz, encoded alone.
func stats(times []int64, tz string) ([]byte, error) {
	loc, err := loadZone(tz)
	if err != nil {
		return nil, err
	}
	a := analyzer.AnalyzeTimes(times, loc, analyzer.Window{})
	return analysisjson.AppendStats(nil, &a.Stats)
}

// automated marks each source that IsAutomated would drop (1) or keep (0). An archive has a few
// distinct sources for a million posts, so the worker asks once per distinct source.
func automated(sources []string) []byte {
	out := make([]byte, len(sources))
	for i, s := range sources {
		if analyzer.IsAutomated(analyzer.Post{Source: s}) {
			out[i] = 1
		}
	}
	return out
}

// loadZone accepts what the server's zone check accepts for an analysis: an IANA name, "" or
// "UTC" for UTC; never "Local" (the browser's own zone is not knowable here) or a path.
func loadZone(tz string) (*time.Location, error) {
	if tz == "" {
		return time.UTC, nil
	}
	if tz == "Local" || len(tz) > 64 || tz[0] == '/' || containsDotDot(tz) {
		return nil, detail(errTimezone, strconv.Quote(tz))
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, detail(errTimezone, strconv.Quote(tz))
	}
	return loc, nil
}

func containsDotDot(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == '.' {
			return true
		}
	}
	return false
}

// detailError is one of the errors above with what went wrong. (fmt.Errorf would do, but fmt
// and the reflect it needs cost the module more than all of this package.)
type detailError struct {
	kind   error
	detail string
}

func (e detailError) Error() string { return e.kind.Error() + ": " + e.detail }
func (e detailError) Unwrap() error { return e.kind }

func detail(kind error, what string) error { return detailError{kind, what} }

// errorCode names err for the JavaScript side, in the server's error vocabulary.
func errorCode(err error) string {
	switch {
	case errors.Is(err, errTimezone):
		return "invalid_timezone"
	case errors.Is(err, errSources):
		return "invalid_sources"
	}
	return "internal"
}
