// Package analyzebody decodes the body of POST /api/analyze as a stream:
// {"timestamps":[...],"sources":[...],"tz":"..."} with timestamps as RFC 3339 strings or Unix
// milliseconds. The timestamps array is scanned item by item as it arrives and only the parsed
// milliseconds are kept (8 bytes each), never the body: a 64 MiB body, or a small gzip stream that
// inflates to it, costs memory in proportion to the timestamps it holds, not to its size. Sources
// are classified (automated or not) as they arrive and only the verdict is kept.
//
// Memory is reserved before it is held, through the Reserve function the caller passes, so that
// an instance can bound the bytes all analyses hold at once.
package analyzebody

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
)

// BytesPerTimestamp is what one timestamp costs from decoding to the written response: the
// parsed milliseconds with the slice's growth room (16), the analyzer's copy and sort scratch
// (16), and its share of the result (16). Reserve is asked for this much per slot before the
// slots are allocated.
const BytesPerTimestamp = 48

// Request is a decoded body.
type Request struct {
	// Times are the posts' Unix milliseconds in the order given, without the posts whose source
	// is automated (when sources were given).
	Times []int64
	// Given is how many timestamps the body held.
	Given int
	// TZ is the zone name as sent (at most maxTZ bytes); "" when absent.
	TZ string
}

// Reserve is called before memory is held, with the number of bytes about to be; an error stops
// decoding and is returned as it is.
type Reserve func(bytes int64) error

const (
	maxTZ     = 128     // longer is no zone name
	maxSource = 4 << 10 // Twitter's source field is an HTML anchor of about a hundred bytes
	maxItem   = 64      // a timestamp item: RFC 3339 with nanoseconds and an offset is 37
	readSize  = 32 << 10
)

// Decode reads one JSON object from r. maxItems bounds the timestamps (and sources). Errors are
// *apperr.Error for what the client sent wrong, and otherwise the reader's error, wrapped.
func Decode(r io.Reader, maxItems int, reserve Reserve) (Request, error) {
	d := decoder{s: scanner{r: bufio.NewReaderSize(r, readSize)}, maxItems: maxItems, reserve: reserve}
	return d.decode()
}

type decoder struct {
	s        scanner
	maxItems int
	reserve  Reserve
	req      Request
	times    []int64
	auto     []bool // per timestamp: posted by software (from sources); nil without sources
	sources  int    // sources given, -1 when absent
}

func (d *decoder) decode() (Request, error) {
	d.sources = -1
	c, err := d.s.next()
	if errors.Is(err, io.EOF) {
		return Request{}, invalidBody("the body is empty; send a JSON object", nil)
	}
	if err != nil {
		return Request{}, err
	}
	if c != '{' {
		return Request{}, invalidBody("the body must be a JSON object", nil)
	}
	d.s.skip()
	seen := map[string]bool{}
	for first := true; ; first = false {
		c, err := d.s.next()
		if err != nil {
			return Request{}, d.s.syntax(err)
		}
		if c == '}' && first {
			d.s.skip()
			break
		}
		key, err := d.s.str(64)
		if err != nil && !errors.Is(err, errTooLong) {
			return Request{}, err
		}
		name := string(key)
		if seen[name] {
			return Request{}, invalidBody(fmt.Sprintf("%q appears twice", name), nil)
		}
		seen[name] = true
		if err := d.s.expect(':'); err != nil {
			return Request{}, err
		}
		switch name {
		case "timestamps":
			err = d.timestamps()
		case "sources":
			err = d.sourceList()
		case "tz":
			err = d.tz()
		default:
			return Request{}, invalidBody(fmt.Sprintf("unknown field %q; allowed fields are timestamps, sources and tz", apperr.Clip(name, 40)), nil)
		}
		if err != nil {
			return Request{}, err
		}
		c, err = d.s.next()
		if err != nil {
			return Request{}, d.s.syntax(err)
		}
		d.s.skip()
		if c == '}' {
			break
		}
		if c != ',' {
			return Request{}, d.s.malformed()
		}
	}
	if _, err := d.s.next(); !errors.Is(err, io.EOF) {
		if err != nil {
			return Request{}, err
		}
		return Request{}, invalidBody("the body must hold exactly one JSON object", nil)
	}
	if !seen["timestamps"] {
		return Request{}, invalidBody(`the body needs a "timestamps" array (it may be empty)`, nil)
	}
	d.req.Given = len(d.times)
	d.req.Times = d.times
	if d.sources >= 0 {
		if d.sources != len(d.times) {
			return Request{}, invalidBody(fmt.Sprintf("sources must have one entry per timestamp: %d sources for %d timestamps", d.sources, len(d.times)), nil)
		}
		kept := d.times[:0]
		for i, t := range d.times {
			if !d.auto[i] {
				kept = append(kept, t)
			}
		}
		d.req.Times = kept
	}
	return d.req, nil
}

func (d *decoder) timestamps() error {
	c, err := d.s.next()
	if err != nil {
		return d.s.syntax(err)
	}
	if c == 'n' {
		return invalidBody(`the body needs a "timestamps" array (it may be empty)`, nil)
	}
	if c != '[' {
		return invalidBody("timestamps must be an array", nil)
	}
	return d.array(func(i int) error {
		if i == d.maxItems {
			return tooMany(d.maxItems)
		}
		item, err := d.s.item(maxItem)
		if err != nil {
			return err
		}
		t, ok := parseTimestamp(item)
		if !ok {
			return invalidTimestamp(i, item)
		}
		if err := d.growTimes(i); err != nil {
			return err
		}
		d.times = append(d.times, t)
		return nil
	})
}

func (d *decoder) sourceList() error {
	c, err := d.s.next()
	if err != nil {
		return d.s.syntax(err)
	}
	if c == 'n' {
		return d.s.literal("null")
	}
	if c != '[' {
		return invalidBody("sources must be an array", nil)
	}
	d.sources = 0
	return d.array(func(i int) error {
		if i == d.maxItems {
			return tooMany(d.maxItems)
		}
		if c, _ := d.s.next(); c != '"' {
			return invalidBody(fmt.Sprintf("sources[%d] must be a string", i), nil)
		}
		raw, err := d.s.str(maxSource)
		if errors.Is(err, errTooLong) {
			return invalidBody(fmt.Sprintf("sources[%d] is longer than %d bytes", i, maxSource), nil)
		}
		if err != nil {
			return err
		}
		if err := d.growAuto(i); err != nil {
			return err
		}
		d.auto = append(d.auto, analyzer.IsAutomated(analyzer.Post{Source: string(raw)}))
		d.sources++
		return nil
	})
}

func (d *decoder) tz() error {
	c, err := d.s.next()
	if err != nil {
		return d.s.syntax(err)
	}
	switch c {
	case 'n':
		return d.s.literal("null")
	case '"':
		raw, err := d.s.str(maxTZ)
		if errors.Is(err, errTooLong) {
			d.req.TZ = string(raw) + "…"
			return nil
		}
		d.req.TZ = string(raw)
		return err
	}
	return invalidBody("tz must be a string", nil)
}

// array reads the items of an array whose '[' is next, calling item for each with its index.
func (d *decoder) array(item func(i int) error) error {
	d.s.skip() // '['
	for i := 0; ; i++ {
		c, err := d.s.next()
		if err != nil {
			return d.s.syntax(err)
		}
		if c == ']' && i == 0 {
			d.s.skip()
			return nil
		}
		if err := item(i); err != nil {
			return err
		}
		c, err = d.s.next()
		if err != nil {
			return d.s.syntax(err)
		}
		d.s.skip()
		if c == ']' {
			return nil
		}
		if c != ',' {
			return d.s.malformed()
		}
	}
}

// growTimes and growAuto pay for slot i of the timestamps or of the sources' verdicts before it
// is used. Capacity is added in doubling steps, each reserved up front.
func (d *decoder) growTimes(i int) error {
	var err error
	d.times, err = grow(d.times, i, BytesPerTimestamp, d.reserve)
	return err
}

func (d *decoder) growAuto(i int) error {
	var err error
	d.auto, err = grow(d.auto, i, 1, d.reserve)
	return err
}

func grow[T any](s []T, i int, perSlot int64, reserve Reserve) ([]T, error) {
	if i < cap(s) {
		return s, nil
	}
	more := max(cap(s), 4096)
	if reserve != nil {
		if err := reserve(int64(more) * perSlot); err != nil {
			return s, err
		}
	}
	t := make([]T, len(s), cap(s)+more)
	copy(t, s)
	return t, nil
}

func tooMany(n int) error { return apperr.TooManyTimestamps(n) }

func invalidTimestamp(i int, item []byte) error {
	return apperr.InvalidTimestamp(fmt.Sprintf("timestamps[%d] is %s: expected an RFC 3339 string such as \"2026-11-01T07:40:00+09:00\" or Unix milliseconds between 2006 and 2100.", i, apperr.Clip(string(item), 40)))
}

func invalidBody(msg string, err error) *apperr.Error { return apperr.InvalidBody(msg, err) }

func parseTimestamp(r []byte) (int64, bool) {
	if len(r) == 0 {
		return 0, false
	}
	var ms int64
	if r[0] == '"' {
		if len(r) < 2 || r[len(r)-1] != '"' || bytes.IndexByte(r, '\\') >= 0 {
			return 0, false
		}
		t, err := time.Parse(time.RFC3339Nano, string(r[1:len(r)-1]))
		if err != nil {
			return 0, false
		}
		ms = t.UnixMilli()
	} else {
		n, ok := parseInt(r)
		if !ok {
			return 0, false
		}
		ms = n
	}
	// The analyzer's bounds (the WebAssembly build refuses the same): anything before Twitter
	// or absurdly far ahead is a unit mistake (seconds instead of milliseconds), not a post.
	return ms, ms >= analyzer.EarliestPostMs && ms < analyzer.LatestPostMs
}

// parseInt reads a plain decimal integer without allocating (strconv wants a string).
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
