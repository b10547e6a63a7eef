package server

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/logging"
)

// statusOf is the one place where application error kinds become HTTP statuses.
var statusOf = map[apperr.Kind]int{
	apperr.Internal:        http.StatusInternalServerError,
	apperr.Invalid:         http.StatusBadRequest,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.NotFound:        http.StatusNotFound,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.Queued:          http.StatusAccepted,
	apperr.Unavailable:     http.StatusServiceUnavailable,
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	RetryAfter *int `json:"retryAfter,omitempty"`
	Position   *int `json:"position,omitempty"`
}

// classify turns any error into an *apperr.Error. Redis failures that nobody translated become
// 503 storage_unavailable; everything else unknown is an internal error.
func classify(err error) *apperr.Error {
	if e, ok := apperr.As(err); ok {
		return e
	}
	if isStorageError(err) {
		return apperr.Wrap(apperr.Unavailable, "storage_unavailable",
			"Our storage is briefly unavailable. Please try again in a few seconds.", err)
	}
	return apperr.Wrap(apperr.Internal, "internal", "Something went wrong on our side.", err)
}

// statusClientClosed is what a request whose client disconnected before the answer counts as
// (nginx's 499): nobody was failed, so it is neither a 5xx nor an ERROR log line.
const statusClientClosed = 499

// clientGone reports whether err is the request's own context ending because the client went
// away, and if so records it as a 499, logged at INFO. It is the one place that decides this,
// for JSON errors and sign-in redirects alike.
func (s *Server) clientGone(c *gin.Context, err error) bool {
	if !errors.Is(err, context.Canceled) || c.Request.Context().Err() == nil {
		return false
	}
	logFrom(c, s.log).Info("client went away before the answer", "err", err)
	c.AbortWithStatus(statusClientClosed)
	return true
}

// writeError answers with the contract's JSON error and logs it once, here, where it is handled.
func (s *Server) writeError(c *gin.Context, err error) {
	if s.clientGone(c, err) {
		return
	}
	e := classify(err)
	status := statusOf[e.Kind]
	var body errorBody
	body.Error.Code = e.Code
	body.Error.Message = e.Message
	if e.Kind == apperr.RateLimited || e.Kind == apperr.Queued || (e.Kind == apperr.Unavailable && e.RetryAfter > 0) {
		secs := retrySeconds(e.RetryAfter)
		body.RetryAfter = &secs
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	if e.Kind == apperr.Queued {
		pos := e.Position
		body.Position = &pos
	}
	log := logging.From(c.Request.Context(), s.log)
	switch {
	case status >= 500:
		if e.Code == "storage_unavailable" {
			s.metrics.RedisErrors.Inc()
		}
		log.Error("request failed", "code", e.Code, "err", e.Error())
	case e.Err != nil:
		log.Info("request refused", "code", e.Code, "err", e.Error())
	}
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(status, body)
}

func retrySeconds(d time.Duration) int {
	if d <= 0 {
		return 1
	}
	return int(math.Ceil(d.Seconds()))
}

// isStorageError reports whether err is a failure to reach Redis (refused, reset, timed out,
// pool exhausted, server still loading) as opposed to a bug.
func isStorageError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, redis.ErrClosed) || errors.Is(err, redis.ErrPoolTimeout) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		strings.HasPrefix(err.Error(), "LOADING")
}
