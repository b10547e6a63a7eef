package server

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/analyzebody"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/bytebudget"
)

const (
	// maxAnalyzeTimestamps is the contract's limit for POST /api/analyze.
	maxAnalyzeTimestamps = 1_000_000
	// maxAnalyzeBody bounds the (decompressed) body: a million RFC 3339 strings with
	// nanoseconds and an offset, or a million sources of a typical length, fit well within it.
	maxAnalyzeBody = 64 << 20
	// analyzeMemory is what all archive analyses on this instance may hold at once: timestamps
	// being received, analysed and answered, reserved as they arrive (analyzebody) and given back
	// when the answer is written. A million-timestamp analysis reserves at most 49 MiB; one
	// analysis at a time may go over by analyzeOverdraft so that analyses growing side by side
	// never wait for each other (bytebudget). At most 176 MiB in a 512 MiB instance, so three
	// of the largest run side by side and everything else keeps its room.
	analyzeMemory    = 128 << 20
	analyzeOverdraft = 48 << 20
	// analyzeConcurrency bounds the analyses computing at once (the CPU work, once the body is
	// in); analyzeQueueWait is how long a request waits for memory or a turn before a 503.
	analyzeConcurrency = 3
	analyzeQueueWait   = 10 * time.Second
	// analyzeReadTimeout is how long the body may take to arrive: tens of MB from a slow phone.
	// Receiving holds no CPU turn and only the memory of what has arrived.
	analyzeReadTimeout = 60 * time.Second
	// maxAnalyzeSpan bounds the calendar an analysis returns (see analyzer.MaxSpan why); the
	// WebAssembly build refuses the same spans.
	maxAnalyzeSpanYears = analyzer.MaxSpanYears
	maxAnalyzeSpan      = analyzer.MaxSpan
)

// analyze serves POST /api/analyze: timestamps in, Analysis out. Used by the archive import,
// so it needs no session and costs no Twitter quota. The body is decoded as it arrives, with
// its own read deadline, reserving memory from the instance's budget as timestamps accumulate;
// only then does the request wait for a CPU turn, so a slow upload holds neither a turn nor more
// memory than it has sent.
func (s *Server) analyze(c *gin.Context) {
	_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(s.analyzeRead))
	hold := s.analyzeMemory.Hold()
	defer hold.Release()
	req, err := s.readAnalyzeRequest(c, hold)
	if err != nil {
		s.writeError(c, err)
		return
	}
	loc, ok := s.zones.Load(req.TZ)
	if !ok {
		s.writeError(c, apperr.InvalidTimezone(req.TZ))
		return
	}
	if err := checkSpan(req.Times); err != nil {
		s.writeError(c, err)
		return
	}
	wait, cancel := context.WithTimeout(c.Request.Context(), s.analyzeWait)
	defer cancel()
	select {
	case s.analyzeSlots <- struct{}{}:
		defer func() { <-s.analyzeSlots }()
	case <-wait.Done():
		s.writeError(c, analysisBusy(wait.Err()))
		return
	}
	a := analyzer.AnalyzeTimes(req.Times, loc, analyzer.Window{})
	s.metrics.ObserveAnalysis("archive")
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, a)
}

// readAnalyzeRequest checks the headers and decodes the body (gzip or not) within the size
// limit, reserving memory in hold.
func (s *Server) readAnalyzeRequest(c *gin.Context, hold *bytebudget.Hold) (analyzebody.Request, error) {
	r := c.Request
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return analyzebody.Request{}, apperr.UnsupportedMediaType()
	}
	if r.ContentLength > maxAnalyzeBody {
		return analyzebody.Request{}, errBodyTooLarge
	}
	var body io.Reader = http.MaxBytesReader(c.Writer, r.Body, maxAnalyzeBody)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return analyzebody.Request{}, readError(r, fmt.Errorf("gzip header: %w", err))
		}
		defer zr.Close()
		body = &limitedReader{r: zr, left: maxAnalyzeBody}
	default:
		return analyzebody.Request{}, apperr.UnsupportedEncoding()
	}
	reserve := func(n int64) error {
		ctx, cancel := context.WithTimeout(r.Context(), s.analyzeWait)
		defer cancel()
		if err := hold.Reserve(ctx, n); err != nil {
			return analysisBusy(err)
		}
		return nil
	}
	req, err := analyzebody.Decode(body, maxAnalyzeTimestamps, reserve)
	if err != nil {
		return req, readError(r, err)
	}
	return req, nil
}

// readError explains why the body could not be read: too large, too slow, cut off, not gzip.
func readError(r *http.Request, err error) error {
	var maxErr *http.MaxBytesError
	var netErr net.Error
	switch {
	case isAppError(err):
		return err
	case errors.As(err, &maxErr), errors.Is(err, errDecompressedTooLarge):
		return errBodyTooLarge
	case errors.As(err, &netErr) && netErr.Timeout():
		return apperr.BodyTimeout(err)
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum), errors.Is(err, flate.CorruptInputError(0)):
		return apperr.InvalidBody("the body is not valid gzip", err)
	case r.Context().Err() != nil:
		return fmt.Errorf("read body: %w", r.Context().Err())
	default:
		return apperr.InvalidBody("the body could not be read to its end", err)
	}
}

func isAppError(err error) bool { _, ok := apperr.As(err); return ok }

// analysisBusy is the answer when no memory or turn frees up in time; a client that left is
// passed through as such (a 499, not a 503).
func analysisBusy(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	e := apperr.AnalysisBusy(2 * time.Second)
	e.Err = err
	return e
}

// checkSpan refuses timestamps that span more than maxAnalyzeSpan (see there why).
func checkSpan(times []int64) error {
	lo, hi, tooLong := analyzer.SpanOf(times)
	if !tooLong {
		return nil
	}
	const day = "2006-01-02"
	return apperr.SpanTooLong(time.UnixMilli(lo).UTC().Format(day), time.UnixMilli(hi).UTC().Format(day), maxAnalyzeSpanYears)
}

var errBodyTooLarge = apperr.BodyTooLarge(maxAnalyzeBody)

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
