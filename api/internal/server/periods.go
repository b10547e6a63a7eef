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
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
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
// Redis until the post times under it go stale. A revisit costs one Redis round trip, which
// reads the session and the stored answer together (hotScript), and writes the stored bytes as
// they are. Nothing about a session is kept in process, so a logout ends it on every instance at
// once.

// hotScript reads the session named by KEYS[1] and, when it is signed in, the stored answer of
// ARGV[1]..uid..ARGV[2]. Returns nil without a session, else {uid, touched, answer or nil}.
// (The answer's key is built in the script, so it is not declared: nezame's Redis is a single
// primary, not a cluster.)
var hotScript = redis.NewScript(`
local s = redis.call('GET', KEYS[1])
if not s then return false end
local ok, v = pcall(cjson.decode, s)
if not ok or type(v) ~= 'table' or type(v['uid']) ~= 'string' or v['uid'] == '' then return false end
local touched = v['touched']
if type(touched) ~= 'string' then touched = '' end
return {v['uid'], touched, redis.call('GET', ARGV[1] .. v['uid'] .. ARGV[2])}
`)

// periods serves GET /api/periods?tz=ZONE.
func (s *Server) periods(c *gin.Context) {
	loc, ok := s.zones.Load(c.Query("tz"))
	if !ok {
		s.writeError(c, apperr.InvalidTimezone(c.Query("tz")))
		return
	}
	if s.serveStored(c, loc) {
		return
	}
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
	answer, err := encodeAnswer(res.Analysis)
	if err != nil {
		s.writeError(c, apperr.Internal(err))
		return
	}
	if ttl := time.Until(res.Expires); ttl >= time.Second {
		key := keys.Response(u.ID, loc.String(), s.cfg.WindowDays)
		if err := s.auth.Redis.Set(ctx, key, answer, ttl).Err(); err != nil {
			// The answer is good; failing to store it only costs encoding it again.
			logFrom(c, s.log).Warn("store answer", "err", err)
		}
	}
	s.writeAnswer(c, answer)
}

// serveStored answers from the stored answer when the session is signed in and one is stored;
// it returns false (having written nothing) otherwise, and the full path takes over.
func (s *Server) serveStored(c *gin.Context, loc *time.Location) bool {
	id, err := c.Cookie(sessionCookie)
	if err != nil || !session.ValidID(id) {
		return false
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	suffix := ":" + loc.String() + ":" + strconv.Itoa(s.cfg.WindowDays)
	vals, err := hotScript.Run(ctx, s.auth.Redis, []string{keys.Session(id)}, keys.ResponsePrefix, suffix).Slice()
	if err != nil || len(vals) != 3 {
		return false // no session (redis.Nil), or Redis failed: the full path answers 401 or 503
	}
	answer, _ := vals[2].(string)
	if answer == "" {
		return false
	}
	// The session's sliding lifetime is pushed forward by the full path, once a day.
	if touched, _ := strconv.ParseInt(vals[1].(string), 10, 64); time.Since(time.Unix(touched, 0)) > touchEvery {
		return false
	}
	s.metrics.ObserveAnalysis("cache")
	s.writeAnswer(c, []byte(answer))
	return true
}

// An encoded answer is a version byte, the ETag's length and the ETag, then the gzipped JSON.
const answerVersion = 1

// encodeAnswer encodes a once: JSON, gzipped, and its ETag (of the JSON).
func encodeAnswer(a analyzer.Analysis) ([]byte, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode analysis: %w", err)
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	var buf bytes.Buffer
	buf.Grow(2 + len(etag) + len(body)/4)
	buf.WriteByte(answerVersion)
	buf.WriteByte(byte(len(etag)))
	buf.WriteString(etag)
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level cannot fail
	_, _ = zw.Write(body)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress analysis: %w", err)
	}
	return buf.Bytes(), nil
}

var errBadAnswer = errors.New("stored answer: unknown format")

func decodeAnswer(b []byte) (etag string, gz []byte, err error) {
	if len(b) < 2 || b[0] != answerVersion || len(b) < 2+int(b[1]) {
		return "", nil, errBadAnswer
	}
	n := 2 + int(b[1])
	return string(b[2:n]), b[n:], nil
}

// writeAnswer writes an encoded answer: 304 when the client holds it already, the gzipped bytes
// as they are when the client accepts gzip (every browser), else inflated.
func (s *Server) writeAnswer(c *gin.Context, answer []byte) {
	etag, gz, err := decodeAnswer(answer)
	if err != nil {
		s.writeError(c, apperr.Internal(err))
		return
	}
	h := c.Writer.Header()
	// private: per user; no-cache: a browser may keep it but must ask (cheaply, 304) each time.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
	if ifNoneMatch(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(gz)))
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write(gz)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
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

// ifNoneMatch implements If-None-Match's weak comparison over a list of tags.
func ifNoneMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

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
