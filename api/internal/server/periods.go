package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/etag"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/periods"
	"github.com/nezame/nezame/api/internal/session"
)

// Periods produces signed-in users' analyses (periods.Service).
type Periods interface {
	// Lookup returns the analysis and until when it holds.
	Lookup(ctx context.Context, u periods.User, loc *time.Location) (periods.Result, error)
	// Get returns the analysis alone.
	Get(ctx context.Context, u periods.User, loc *time.Location) (analyzer.Analysis, error)
}

// The answer to GET /api/periods is encoded once — JSON, gzipped, with its ETag — and stored in
// Redis under the session, until the post times under it go stale. A revisit costs one Redis
// round trip, an MGET of the session and the stored answer, and writes the stored bytes as they
// are. Nothing about a session is kept in process, and a stored answer is served only while its
// session exists, so a logout ends it on every instance at once. (The session's sliding lifetime
// is pushed forward by the full path, which runs at least once per CACHE_TTL.)

// locKey holds the request's validated zone in the gin context.
const locKey = "nezame.loc"

// periodsStored serves GET /api/periods from the stored answer, or hands over to the session
// middleware and periods.
func (s *Server) periodsStored(c *gin.Context) {
	loc, ok := s.zones.Load(c.Query("tz"))
	if !ok {
		s.writeError(c, apperr.InvalidTimezone(c.Query("tz")))
		return
	}
	c.Set(locKey, loc) // validated once, here; periods takes it from the context
	id, err := c.Cookie(sessionCookie)
	if err != nil || !session.ValidID(id) {
		c.Next()
		return
	}
	rdb := s.auth.Revisits
	if rdb == nil {
		rdb = s.auth.Redis
	}
	vals, err := rdb.MGet(c.Request.Context(), keys.Session(id), keys.Response(id, loc.String(), s.cfg.WindowDays)).Result()
	if err != nil || len(vals) != 2 || vals[0] == nil || vals[1] == nil {
		c.Next() // no session, no answer, or Redis failed: the full path answers 401, 200 or 503
		return
	}
	answer, _ := vals[1].(string)
	// The answer names the session it was stored for: a reply that is not this request's (were
	// batched replies ever mismatched) is never served to it.
	if sid, _, _, err := decodeAnswer(answer); err != nil || sid != id {
		c.Next()
		return
	}
	c.Set(quietKey, true)
	s.metrics.ObserveAnalysis("cache")
	s.writeAnswer(c, answer)
	c.Abort()
}

// periods serves GET /api/periods?tz=ZONE when no answer is stored: it makes the answer, stores
// it and writes it.
func (s *Server) periods(c *gin.Context) {
	loc := c.MustGet(locKey).(*time.Location)
	u, err := s.sessionUser(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	res, err := s.auth.Periods.Lookup(ctx, periods.User{ID: u.ID, Token: u.Token}, loc)
	if err != nil {
		if apperr.Is(err, apperr.KindUnauthenticated) {
			s.endSession(c) // Twitter revoked the token: the user must sign in again
		}
		s.writeError(c, err)
		return
	}
	// The session is the one the cookie names (sessionUser loaded it).
	id, _ := c.Cookie(sessionCookie)
	answer, err := encodeAnswer(id, res.Analysis)
	if err != nil {
		s.writeError(c, apperr.Internal(err))
		return
	}
	if session.ValidID(id) {
		if ttl := time.Until(res.Expires); ttl >= time.Second {
			if err := s.auth.Redis.Set(ctx, keys.Response(id, loc.String(), s.cfg.WindowDays), answer, ttl).Err(); err != nil {
				// The answer is good; failing to store it only costs making it again.
				logFrom(c, s.log).Warn("store answer", "err", err)
			}
		}
	}
	s.writeAnswer(c, answer)
}

// An encoded answer is a version byte, the session id's length and the id, the ETag's length
// and the ETag, then the gzipped JSON.
const answerVersion = 2

// encodeAnswer encodes a once, for session sid: JSON, gzipped, and its ETag (of the JSON).
func encodeAnswer(sid string, a analyzer.Analysis) (string, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("encode analysis: %w", err)
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	var buf bytes.Buffer
	buf.Grow(3 + len(sid) + len(etag) + len(body)/4)
	buf.WriteByte(answerVersion)
	buf.WriteByte(byte(len(sid)))
	buf.WriteString(sid)
	buf.WriteByte(byte(len(etag)))
	buf.WriteString(etag)
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level cannot fail
	_, _ = zw.Write(body)
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("compress analysis: %w", err)
	}
	return buf.String(), nil
}

var errBadAnswer = errors.New("stored answer: unknown format")

func decodeAnswer(b string) (sid, etag, gz string, err error) {
	if len(b) < 2 || b[0] != answerVersion || len(b) < 3+int(b[1]) {
		return "", "", "", errBadAnswer
	}
	n := 2 + int(b[1])
	sid, b = b[2:n], b[n:]
	if len(b) < 1+int(b[0]) {
		return "", "", "", errBadAnswer
	}
	n = 1 + int(b[0])
	return sid, b[1:n], b[n:], nil
}

// writeAnswer writes an encoded answer: 304 when the client holds it already, the gzipped bytes
// as they are when the client accepts gzip (every browser), else inflated.
func (s *Server) writeAnswer(c *gin.Context, answer string) {
	_, tag, gz, err := decodeAnswer(answer)
	if err != nil {
		s.writeError(c, apperr.Internal(err))
		return
	}
	h := c.Writer.Header()
	// The constant headers share their values (net/http never modifies them): this runs for
	// every revisit.
	h["Cache-Control"] = privateNoCache
	h["Vary"] = varyEncoding
	h["Etag"] = []string{tag}
	if etag.Matches(c.GetHeader("If-None-Match"), tag) {
		c.Status(http.StatusNotModified)
		return
	}
	h["Content-Type"] = jsonType
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		h["Content-Encoding"] = gzipEncoding
		h["Content-Length"] = []string{strconv.Itoa(len(gz))}
		c.Status(http.StatusOK)
		_, _ = c.Writer.WriteString(gz)
		return
	}
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		s.writeError(c, apperr.Internal(fmt.Errorf("stored answer: %w", err)))
		return
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		s.writeError(c, apperr.Internal(fmt.Errorf("stored answer: %w", err)))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(body)
}

// Header values of every answer. private: per user; no-cache: a browser may keep it but must
// ask (cheaply, 304) each time.
var (
	privateNoCache = []string{"private, no-cache"}
	varyEncoding   = []string{"Accept-Encoding"}
	jsonType       = []string{"application/json; charset=utf-8"}
	gzipEncoding   = []string{"gzip"}
)

// acceptsGzip reports whether an Accept-Encoding header admits gzip (and does not refuse it
// with q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}
