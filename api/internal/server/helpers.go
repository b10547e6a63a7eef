package server

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/logging"
)

func logFrom(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	return logging.From(c.Request.Context(), fallback)
}

func rateLimited(retry time.Duration, msg string) *apperr.Error {
	e := apperr.New(apperr.RateLimited, "rate_limited", msg)
	e.RetryAfter = retry
	return e
}
