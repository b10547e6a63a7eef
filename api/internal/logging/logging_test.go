package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestJSONUsesCloudLoggingKeys(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "json", slog.LevelDebug)
	l.Log(t.Context(), LevelCritical, "panic: boom", "requestId", "r1")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not JSON: %v: %s", err, buf.String())
	}
	if line["severity"] != "CRITICAL" || line["message"] != "panic: boom" || line["requestId"] != "r1" {
		t.Fatalf("unexpected line %v", line)
	}
	if _, ok := line["msg"]; ok {
		t.Fatalf("slog's msg key leaked: %v", line)
	}
}

func TestSeverity(t *testing.T) {
	for _, tc := range []struct {
		in   slog.Level
		want string
	}{{slog.LevelDebug, "DEBUG"}, {slog.LevelInfo, "INFO"}, {slog.LevelWarn, "WARNING"}, {slog.LevelError, "ERROR"}, {LevelCritical, "CRITICAL"}} {
		if got := severity(tc.in); got != tc.want {
			t.Errorf("severity(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestTraceAttr(t *testing.T) {
	for _, tc := range []struct {
		name, project, cloud, parent, want string
		ok                                 bool
	}{
		{"cloud trace header", "p1", "105445aa7843bc8bf206b12000100000/1;o=1", "", "projects/p1/traces/105445aa7843bc8bf206b12000100000", true},
		{"traceparent", "", "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736", true},
		{"none", "p1", "", "", "", false},
		{"junk", "p1", "<script>/1", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := TraceAttr(tc.project, tc.cloud, tc.parent)
			if ok != tc.ok || (ok && a.Value.String() != tc.want) {
				t.Fatalf("got %v %v, want %q %v", a, ok, tc.want, tc.ok)
			}
		})
	}
}
