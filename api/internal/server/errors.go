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
	apperr.KindInternal:         http.StatusInternalServerError,
	apperr.KindInvalid:          http.StatusBadRequest,
	apperr.KindUnauthenticated:  http.StatusUnauthorized,
	apperr.KindForbidden:        http.StatusForbidden,
	apperr.KindNotFound:         http.StatusNotFound,
	apperr.KindMethodNotAllowed: http.StatusMethodNotAllowed,
	apperr.KindTooLarge:         http.StatusRequestEntityTooLarge,
	apperr.KindTimedOut:         http.StatusRequestTimeout,
	apperr.KindHeadersTooLarge:  http.StatusRequestHeaderFieldsTooLarge,
	apperr.KindRateLimited:      http.StatusTooManyRequests,
	apperr.KindQueued:           http.StatusAccepted,
	apperr.KindFetching:         http.StatusAccepted,
	apperr.KindUnavailable:      http.StatusServiceUnavailable,
}

// errorBody is the contract's error shape: the error itself, and the extra fields of some
// kinds beside it at the top level.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	RetryAfter *int   `json:"retryAfter,omitempty"`
	ResetAt    string `json:"resetAt,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Position   *int   `json:"position,omitempty"`
	Fetched    *int   `json:"fetched,omitempty"`
}

// classify turns any error into an *apperr.Error. Redis failures that nobody translated become
// 503 storage_unavailable; everything else unknown is an internal error.
func classify(err error) *apperr.Error {
	if e, ok := apperr.As(err); ok {
		return e
	}
	if isStorageError(err) {
		return apperr.StorageUnavailable(err)
	}
	return apperr.Internal(err)
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
	if e.RetryAfter > 0 || e.Kind == apperr.KindRateLimited || e.Kind == apperr.KindQueued || e.Kind == apperr.KindFetching {
		secs := retrySeconds(e.RetryAfter)
		body.RetryAfter = &secs
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	if e.Kind == apperr.KindRateLimited {
		body.Reason = e.Reason
		if !e.ResetAt.IsZero() {
			body.ResetAt = e.ResetAt.UTC().Format(time.RFC3339)
		}
	}
	switch e.Kind {
	case apperr.KindQueued:
		body.Position = &e.Position
	case apperr.KindFetching:
		body.Fetched = &e.Fetched
	}
	log := logging.From(c.Request.Context(), s.log)
	switch {
	case status >= 500:
		if e.Code == apperr.CodeStorageUnavailable {
			s.metrics.ObserveStorageError()
		}
		log.Error("request failed", "code", e.Code, "err", e.Error())
	case e.Err != nil:
		log.Info("request refused", "code", e.Code, "err", e.Error())
	}
	if status == http.StatusUnauthorized {
		s.dropSessionHint(c)
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
