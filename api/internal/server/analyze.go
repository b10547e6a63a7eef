package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
)

const (
	// maxAnalyzeTimestamps is the contract's limit for POST /api/analyze.
	maxAnalyzeTimestamps = 1_000_000
	// maxAnalyzeBody bounds the (decompressed) body: a million RFC 3339 strings with
	// nanoseconds and an offset, or a million sources of a typical length, fit well within it.
	maxAnalyzeBody = 64 << 20
	// analyzeConcurrency and analyzeQueueWait bound the archive analyses one instance runs.
	analyzeConcurrency = 3
	analyzeQueueWait   = 10 * time.Second
)

// Twitter launched in March 2006; anything earlier or absurdly far ahead is a unit mistake
// (seconds instead of milliseconds) rather than a post time.
var (
	earliestPost = time.Date(2006, 3, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	latestPost   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
)

type analyzeRequest struct {
	// Timestamps stays raw and is scanned by parseTimestamps: decoding a million items into
	// a million values would allocate several times the body.
	Timestamps json.RawMessage `json:"timestamps"`
	Sources    []string        `json:"sources"`
	TZ         string          `json:"tz"`
}

// analyze serves POST /api/analyze: timestamps in, Analysis out. Used by the archive import,
// so it needs no session and costs no Twitter quota.
func (s *Server) analyze(c *gin.Context) {
	// A million-item analysis holds ~80 MB while it runs; a few at once per instance keep a
	// 512 MiB Cloud Run instance far from its limit, and the rest wait briefly or retry.
	wait, cancel := context.WithTimeout(c.Request.Context(), analyzeQueueWait)
	defer cancel()
	select {
	case s.analyzeSlots <- struct{}{}:
		defer func() { <-s.analyzeSlots }()
	case <-wait.Done():
		s.writeError(c, apperr.AnalysisBusy(2*time.Second))
		return
	}
	req, err := decodeAnalyzeRequest(c.Request, c.Writer)
	if err != nil {
		s.writeError(c, err)
		return
	}
	loc, ok := s.zones.Load(req.TZ)
	if !ok {
		s.writeError(c, apperr.InvalidTimezone(req.TZ))
		return
	}
	ms, err := parseTimestamps(req.Timestamps)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if req.Sources != nil && len(req.Sources) != len(ms) {
		s.writeError(c, apperr.InvalidBody(
			fmt.Sprintf("sources must have one entry per timestamp: %d sources for %d timestamps", len(req.Sources), len(ms)), nil))
		return
	}
	var a analyzer.Analysis
	if req.Sources != nil {
		posts := make([]analyzer.Post, len(ms))
		for i, t := range ms {
			posts[i] = analyzer.Post{Time: time.UnixMilli(t), Source: req.Sources[i]}
		}
		a = analyzer.Analyze(analyzer.FilterAutomated(posts), loc, analyzer.Window{})
	} else {
		a = analyzer.AnalyzeTimes(ms, loc, analyzer.Window{})
	}
	s.metrics.ObserveAnalysis("archive")
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, a)
}

var errBodyTooLarge = apperr.BodyTooLarge(maxAnalyzeBody)

func decodeAnalyzeRequest(r *http.Request, w http.ResponseWriter) (analyzeRequest, error) {
	var req analyzeRequest
	var body io.Reader = http.MaxBytesReader(w, r.Body, maxAnalyzeBody)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return req, apperr.InvalidBody("the body is not valid gzip", err)
		}
		defer zr.Close()
		body = &limitedReader{r: zr, left: maxAnalyzeBody}
	default:
		return req, apperr.UnsupportedEncoding()
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return req, apperr.UnsupportedMediaType()
	}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return req, decodeError(err)
		}
		return req, apperr.InvalidBody("the body must hold exactly one JSON object", nil)
	}
	switch t := bytes.TrimSpace(req.Timestamps); {
	case len(t) == 0 || string(t) == "null":
		return req, apperr.InvalidBody(`the body needs a "timestamps" array (it may be empty)`, nil)
	case t[0] != '[':
		return req, apperr.InvalidBody("timestamps must be an array", nil)
	}
	return req, nil
}

func decodeError(err error) error {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &maxErr), errors.Is(err, errDecompressedTooLarge):
		return errBodyTooLarge
	case errors.Is(err, io.EOF):
		return apperr.InvalidBody("the body is empty; send a JSON object", err)
	case errors.As(err, &typeErr):
		return apperr.InvalidBody(fmt.Sprintf("%s must be %s, not a JSON %s", fieldName(typeErr.Field), expectedType(typeErr.Field), typeErr.Value), err)
	case errors.As(err, &syntaxErr):
		return apperr.InvalidBody(fmt.Sprintf("malformed JSON at byte %d", syntaxErr.Offset), err)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return apperr.InvalidBody(strings.TrimPrefix(err.Error(), "json: ")+"; allowed fields are timestamps, sources and tz", err)
	default:
		return apperr.InvalidBody("malformed JSON", err)
	}
}

func fieldName(f string) string {
	if f == "" {
		return "the body"
	}
	return f
}

func expectedType(field string) string {
	switch {
	case field == "":
		return "a JSON object"
	case field == "tz":
		return "a string"
	case strings.HasPrefix(field, "sources."):
		return "a string"
	case field == "timestamps", field == "sources":
		return "an array"
	}
	return "of another type"
}

// parseTimestamps scans the JSON array of timestamps (already syntax-checked by the decoder)
// item by item, accepting RFC 3339 strings and Unix milliseconds (integers), and names the
// first bad item by its index so a client can find it in a million.
func parseTimestamps(raw json.RawMessage) ([]int64, error) {
	p := bytes.TrimSpace(raw)[1:] // after '['
	ms := make([]int64, 0, min(bytes.Count(p, []byte{','})+1, maxAnalyzeTimestamps+1))
	for i := 0; ; i++ {
		p = trimJSONSpace(p)
		if len(p) > 0 && p[0] == ']' {
			return ms, nil
		}
		if i == maxAnalyzeTimestamps {
			return nil, apperr.TooManyTimestamps(maxAnalyzeTimestamps)
		}
		item, rest := nextItem(p)
		t, ok := parseTimestamp(item)
		if !ok {
			shown := string(item)
			if len(shown) > 40 {
				shown = shown[:40] + "…"
			}
			return nil, apperr.InvalidTimestamp(fmt.Sprintf("timestamps[%d] is %s: expected an RFC 3339 string such as \"2026-11-01T07:40:00+09:00\" or Unix milliseconds between 2006 and 2100.", i, shown))
		}
		ms = append(ms, t)
		p = trimJSONSpace(rest)
		if len(p) > 0 && p[0] == ',' {
			p = p[1:]
		}
	}
}

// nextItem splits off one array item: a string (to its closing quote) or a scalar (to the
// next separator). Objects and arrays come out as a prefix, which then fails to parse, which is
// all a bad item needs.
func nextItem(p []byte) (item, rest []byte) {
	if len(p) > 0 && p[0] == '"' {
		for i := 1; i < len(p); i++ {
			switch p[i] {
			case '\\':
				i++
			case '"':
				return p[:i+1], p[i+1:]
			}
		}
		return p, nil
	}
	i := bytes.IndexAny(p, ",] \t\r\n")
	switch {
	case i < 0:
		i = len(p)
	case i == 0:
		i = 1
	}
	return p[:i], p[i:]
}

func trimJSONSpace(p []byte) []byte {
	for len(p) > 0 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n') {
		p = p[1:]
	}
	return p
}

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
	return ms, ms >= earliestPost && ms < latestPost
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

var errDecompressedTooLarge = errors.New("decompressed body too large")

// limitedReader caps a decompressed stream so a small gzip bomb cannot exhaust memory.
type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errDecompressedTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
