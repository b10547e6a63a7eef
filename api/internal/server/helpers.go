package server

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/logging"
)

func logFrom(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	return logging.From(c.Request.Context(), fallback)
}
