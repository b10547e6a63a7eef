package server

import (
	"log/slog"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/logging"
)

func logFrom(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	return logging.From(c.Request.Context(), fallback)
}

// clip shortens a string taken from a request to at most n bytes (cut at a character boundary,
// marked with "…") before it is logged or echoed: a client must not be able to grow our logs,
// metrics or error bodies by sending a long method, path or header.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
