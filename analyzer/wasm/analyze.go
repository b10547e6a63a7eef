//go:build js && wasm

package main

import (
	"errors"
	"strconv"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/analyzer/wasm/analysisjson"
	"github.com/nezame/nezame/analyzer/zones"
)

var (
	errTimezone = errors.New("invalid time zone")
	errSources  = errors.New("invalid sources")
	errSpan     = errors.New("span too long")
)

// analyze does what POST /api/analyze does with the same input: with sources, the posts that
// IsAutomated marks are dropped first (FilterAutomated); then the whole input is analysed with
// the zero Window, and the result is encoded as the server's encoder (gin's, which is
// encoding/json's Marshal) encodes it (analysisjson), so the two are byte for byte the same.
// sourceOf[i] is the index in sources of times[i]'s source.
func analyze(times []int64, tz string, sources []string, sourceOf []uint32) ([]byte, error) {
	loc, err := accept(times, tz)
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
	loc, err := accept(times, tz)
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

// accept refuses what POST /api/analyze refuses, in the same order and with the same codes, so
// that an archive the device analyses is one the server would analyse (and share) too: a zone
// that is not a canonical IANA name (zones; "" is UTC), then timestamps spanning more than
// analyzer.MaxSpan.
func accept(times []int64, tz string) (*time.Location, error) {
	loc := time.UTC
	if tz != "" {
		if !zones.Canonical(tz) {
			return nil, detail(errTimezone, strconv.Quote(tz))
		}
		var err error
		if loc, err = time.LoadLocation(tz); err != nil {
			return nil, detail(errTimezone, strconv.Quote(tz))
		}
	}
	if first, last, tooLong := analyzer.SpanOf(times); tooLong {
		const day = "2006-01-02"
		years := strconv.Itoa(analyzer.MaxSpanYears)
		return nil, detail(errSpan, "The timestamps run from "+time.UnixMilli(first).UTC().Format(day)+" to "+
			time.UnixMilli(last).UTC().Format(day)+"; at most "+years+" years can be analysed at once. Send the most recent "+years+" years.")
	}
	return loc, nil
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
	case errors.Is(err, errSpan):
		return "span_too_long"
	}
	return "internal"
}
