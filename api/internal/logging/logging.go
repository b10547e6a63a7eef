// Package logging builds the service's slog logger: human text locally, and on Cloud Run JSON in
// the shape Cloud Logging understands (severity, message, httpRequest, logging.googleapis.com/trace).
package logging

import (
	"context"
	"io"
	"log/slog"
	"strings"
)

// New returns a logger writing to w at level and above. format is "json" for the Cloud Logging
// shape (see cloudLoggingAttr) and anything else for slog's text. Trace ids are qualified with
// the project where a request's logger is made (TraceAttr), not here.
func New(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format != "json" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	opts.ReplaceAttr = cloudLoggingAttr
	return slog.New(slog.NewJSONHandler(w, opts))
}

// cloudLoggingAttr renames slog's built-in keys to the ones Cloud Logging reads from a JSON line.
func cloudLoggingAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.MessageKey:
		a.Key = "message"
	case slog.TimeKey:
		a.Key = "time"
	case slog.LevelKey:
		a.Key = "severity"
		lvl, _ := a.Value.Any().(slog.Level)
		a.Value = slog.StringValue(severity(lvl))
	}
	return a
}

// LevelCritical is for panics: Cloud Logging's CRITICAL, which the alert policies match.
const LevelCritical = slog.Level(12)

func severity(l slog.Level) string {
	switch {
	case l >= LevelCritical:
		return "CRITICAL"
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	default:
		return "DEBUG"
	}
}

// TraceAttr returns the Cloud Logging trace attribute for a request's trace header, or an empty
// attr when there is none. X-Cloud-Trace-Context is "TRACE_ID/SPAN_ID;o=1"; traceparent is
// "00-TRACE_ID-SPAN_ID-01".
func TraceAttr(project, cloudTrace, traceparent string) (slog.Attr, bool) {
	id := ""
	if cloudTrace != "" {
		id, _, _ = strings.Cut(cloudTrace, "/")
	} else if parts := strings.Split(traceparent, "-"); len(parts) == 4 && len(parts[1]) == 32 {
		id = parts[1]
	}
	if id == "" || !isHex(id) {
		return slog.Attr{}, false
	}
	if project != "" {
		id = "projects/" + project + "/traces/" + id
	}
	return slog.String("logging.googleapis.com/trace", id), true
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return len(s) <= 64
}

type ctxKey struct{}

// WithLogger stores a request-scoped logger in ctx.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the request-scoped logger in ctx, or fallback.
func From(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(ctxKey{}).(*slog.Logger); ok {
		return l
	}
	return fallback
}
