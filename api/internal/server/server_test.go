package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/config"
)

func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newTestServer(t *testing.T, mutate func(*Options)) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	o := Options{Config: testConfig(t), Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	if mutate != nil {
		mutate(&o)
	}
	return New(o), &logs
}

func do(t *testing.T, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

type errJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	RetryAfter *int `json:"retryAfter"`
}

func decodeErr(t *testing.T, w *httptest.ResponseRecorder) errJSON {
	t.Helper()
	var e errJSON
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not a contract error body (%v): %s", err, w.Body.String())
	}
	return e
}

func TestHealthz(t *testing.T) {
	s, _ := newTestServer(t, nil)
	w := do(t, s.Handler(), httptest.NewRequest("GET", "/healthz", nil))
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"status":"ok"}` {
		t.Fatalf("healthz = %d %s", w.Code, w.Body)
	}
	if w.Header().Get("X-Request-Id") == "" || w.Header().Get("Content-Security-Policy") == "" ||
		w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("missing request id or security headers: %v", w.Header())
	}
}

func TestReadyz(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"redis answers", nil, 200},
		{"redis down", errors.New("dial tcp: connection refused"), 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t, func(o *Options) {
				o.Ready = func(context.Context) error { return tc.err }
			})
			w := do(t, s.Handler(), httptest.NewRequest("GET", "/readyz", nil))
			if w.Code != tc.want {
				t.Fatalf("readyz = %d, want %d: %s", w.Code, tc.want, w.Body)
			}
		})
	}
}

func TestMetricsExposeRequests(t *testing.T) {
	s, _ := newTestServer(t, nil)
	do(t, s.Handler(), httptest.NewRequest("GET", "/healthz", nil))
	w := do(t, s.Handler(), httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(w.Body.String(), `nezame_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("request counter missing from /metrics:\n%.2000s", w.Body)
	}
}

func TestPanicBecomesJSON500(t *testing.T) {
	s, logs := newTestServer(t, nil)
	s.engine.GET("/boom", func(*gin.Context) { panic("kaboom") })
	w := do(t, s.Handler(), httptest.NewRequest("GET", "/boom", nil))
	if w.Code != 500 || decodeErr(t, w).Error.Code != "internal" {
		t.Fatalf("panic answered %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "panic: kaboom") || !strings.Contains(logs.String(), "goroutine") {
		t.Fatalf("panic and stack not logged: %s", logs)
	}
	// The instance keeps serving.
	if w := do(t, s.Handler(), httptest.NewRequest("GET", "/healthz", nil)); w.Code != 200 {
		t.Fatalf("healthz after panic = %d", w.Code)
	}
}

func TestUnknownAPIRouteIsJSON404(t *testing.T) {
	s, _ := newTestServer(t, nil)
	w := do(t, s.Handler(), httptest.NewRequest("GET", "/api/nope", nil))
	if w.Code != 404 || decodeErr(t, w).Error.Code != "not_found" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	w = do(t, s.Handler(), httptest.NewRequest("GET", "/api/analyze", nil))
	if w.Code != 405 || decodeErr(t, w).Error.Code != "method_not_allowed" {
		t.Fatalf("GET /api/analyze = %d %s", w.Code, w.Body)
	}
}

func TestWebAssets(t *testing.T) {
	files := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><div id=root></div>")},
		"assets/app-abc1.js": {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
	}
	built, _ := newTestServer(t, func(o *Options) { o.Web, o.WebBuilt = files, true })
	notBuilt, _ := newTestServer(t, nil)
	for _, tc := range []struct {
		name, path string
		s          *Server
		code       int
		cache      string
		body       string
	}{
		{"index not cached", "/", built, 200, "no-cache", "id=root"},
		{"spa fallback", "/calendar", built, 200, "no-cache", "id=root"},
		{"hashed asset immutable", "/assets/app-abc1.js", built, 200, "public, max-age=31536000, immutable", "console.log"},
		{"missing asset 404", "/assets/nope.js", built, 404, "no-store", "not_found"},
		{"top-level file", "/favicon.svg", built, 200, "public, max-age=3600", "<svg/>"},
		{"not built is a clear page", "/", notBuilt, 503, "no-store", "make build"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, tc.s.Handler(), httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.code || w.Header().Get("Cache-Control") != tc.cache || !strings.Contains(w.Body.String(), tc.body) {
				t.Fatalf("%s = %d cache=%q body=%.100q", tc.path, w.Code, w.Header().Get("Cache-Control"), w.Body)
			}
		})
	}
}

func TestWebAssetsGzipped(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm wasm "), 1000)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(wasm)
	zw.Close()
	files := fstest.MapFS{
		"index.html":                   {Data: []byte("<!doctype html>")},
		"assets/analyzer-abc1.wasm":    {Data: wasm},
		"assets/analyzer-abc1.wasm.gz": {Data: gz.Bytes()},
		"assets/app-abc1.js":           {Data: []byte("console.log(1)")},
	}
	s, _ := newTestServer(t, func(o *Options) { o.Web, o.WebBuilt = files, true })
	for _, tc := range []struct {
		name, path, accept, method string
		wantGzip                   bool
		wantType, wantVary         string
	}{
		{"gzip when accepted", "/assets/analyzer-abc1.wasm", "gzip, deflate, br", "GET", true, "application/wasm", "Accept-Encoding"},
		{"HEAD too", "/assets/analyzer-abc1.wasm", "gzip", "HEAD", true, "application/wasm", "Accept-Encoding"},
		{"raw without Accept-Encoding", "/assets/analyzer-abc1.wasm", "", "GET", false, "application/wasm", "Accept-Encoding"},
		{"raw when gzip is refused", "/assets/analyzer-abc1.wasm", "gzip;q=0, *", "GET", false, "application/wasm", "Accept-Encoding"},
		{"gzip through *", "/assets/analyzer-abc1.wasm", "br, *;q=0.5", "GET", true, "application/wasm", "Accept-Encoding"},
		{"no .gz beside it", "/assets/app-abc1.js", "gzip", "GET", false, "text/javascript; charset=utf-8", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.accept != "" {
				r.Header.Set("Accept-Encoding", tc.accept)
			}
			w := do(t, s.Handler(), r)
			h := w.Header()
			if w.Code != 200 || h.Get("Content-Type") != tc.wantType || h.Get("Vary") != tc.wantVary ||
				h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Fatalf("%d type=%q vary=%q cache=%q", w.Code, h.Get("Content-Type"), h.Get("Vary"), h.Get("Cache-Control"))
			}
			// WebAssembly may be compiled (from this origin's scripts); eval stays forbidden.
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") ||
				strings.Contains(strings.ReplaceAll(csp, "'wasm-unsafe-eval'", ""), "unsafe-eval") {
				t.Fatalf("CSP = %q", csp)
			}
			if got := h.Get("Content-Encoding") == "gzip"; got != tc.wantGzip {
				t.Fatalf("Content-Encoding = %q, want gzip %v", h.Get("Content-Encoding"), tc.wantGzip)
			}
			if tc.method == "HEAD" {
				return
			}
			body := w.Body.Bytes()
			if tc.wantGzip {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if strings.HasSuffix(tc.path, ".wasm") && !bytes.Equal(body, wasm) {
				t.Fatalf("body is not the module (%d bytes)", len(body))
			}
		})
	}
}

func TestSameSite(t *testing.T) {
	s, _ := newTestServer(t, nil)
	s.engine.POST("/api/x", s.sameSite(), func(c *gin.Context) { c.Status(204) })
	for _, tc := range []struct {
		name, origin, fetchSite string
		want                    int
	}{
		{"same origin", "http://localhost:8080", "", 204},
		{"other origin", "https://evil.example", "", 403},
		{"other port", "http://localhost:9999", "", 403},
		{"no origin, same-origin fetch", "", "same-origin", 204},
		{"no origin, cross-site fetch", "", "cross-site", 403},
		{"no origin, no fetch metadata", "", "", 403},
		{"null origin", "null", "", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/x", nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			if tc.fetchSite != "" {
				r.Header.Set("Sec-Fetch-Site", tc.fetchSite)
			}
			w := do(t, s.Handler(), r)
			if w.Code != tc.want {
				t.Fatalf("got %d, want %d", w.Code, tc.want)
			}
			if w.Code == 403 && decodeErr(t, w).Error.Code != "cross_site" {
				t.Fatalf("wrong code: %s", w.Body)
			}
		})
	}
}

func analyzeReq(body string) *http.Request {
	r := httptest.NewRequest("POST", "/api/analyze", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestAnalyzeRejectsBadInput(t *testing.T) {
	s, _ := newTestServer(t, nil)
	for _, tc := range []struct {
		name, body string
		code       int
		errCode    string
		msgHas     string
	}{
		{"empty body", "", 400, "invalid_body", "empty"},
		{"malformed json", `{"timestamps":[`, 400, "invalid_body", "malformed"},
		{"not an object", `[1,2]`, 400, "invalid_body", "JSON object"},
		{"timestamps missing", `{"tz":"UTC"}`, 400, "invalid_body", "timestamps"},
		{"timestamps wrong type", `{"timestamps":"2026-01-01"}`, 400, "invalid_body", "timestamps must be an array"},
		{"tz wrong type", `{"timestamps":[],"tz":9}`, 400, "invalid_body", "tz must be a string"},
		{"unknown field", `{"timestamps":[],"text":["secret"]}`, 400, "invalid_body", "unknown field"},
		{"trailing data", `{"timestamps":[]} {}`, 400, "invalid_body", "exactly one"},
		{"bad zone", `{"timestamps":[],"tz":"Mars/Base"}`, 400, "invalid_timezone", "Mars/Base"},
		{"Local zone", `{"timestamps":[],"tz":"Local"}`, 400, "invalid_timezone", ""},
		{"bad string timestamp", `{"timestamps":["2026-11-01T07:00:00Z","yesterday"]}`, 400, "invalid_timestamp", "timestamps[1]"},
		{"seconds not ms", `{"timestamps":[1732400000]}`, 400, "invalid_timestamp", "timestamps[0]"},
		{"float", `{"timestamps":[1732400000000.5]}`, 400, "invalid_timestamp", "timestamps[0]"},
		{"null item", `{"timestamps":[1732400000000,null]}`, 400, "invalid_timestamp", "timestamps[1]"},
		{"object item", `{"timestamps":[{"t":1}]}`, 400, "invalid_timestamp", "timestamps[0]"},
		{"escaped string", `{"timestamps":["2026-11-01T07:00:00\u002b09:00"]}`, 400, "invalid_timestamp", "timestamps[0]"},
		{"nested array", `{"timestamps":[1793487600000,[1793487600000]]}`, 400, "invalid_timestamp", "timestamps[1]"},
		{"boolean", `{"timestamps":[true]}`, 400, "invalid_timestamp", "timestamps[0]"},
		{"timestamps null", `{"timestamps":null}`, 400, "invalid_body", "timestamps"},
		{"sources length", `{"timestamps":[1732400000000],"sources":[]}`, 400, "invalid_body", "one entry per timestamp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, s.Handler(), analyzeReq(tc.body))
			e := decodeErr(t, w)
			if w.Code != tc.code || e.Error.Code != tc.errCode || !strings.Contains(e.Error.Message, tc.msgHas) {
				t.Fatalf("got %d %s %q", w.Code, e.Error.Code, e.Error.Message)
			}
		})
	}
}

func TestAnalyzeLimits(t *testing.T) {
	s, _ := newTestServer(t, nil)
	var b strings.Builder
	b.WriteString(`{"timestamps":[`)
	for i := range maxAnalyzeTimestamps + 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", int64(1732400000000)+int64(i)*1000)
	}
	b.WriteString(`]}`)
	w := do(t, s.Handler(), analyzeReq(b.String()))
	if e := decodeErr(t, w); w.Code != 413 || e.Error.Code != "too_many_timestamps" {
		t.Fatalf("1,000,001 timestamps: %d %s", w.Code, e.Error.Code)
	}

	huge := `{"timestamps":[],"tz":"` + strings.Repeat("x", maxAnalyzeBody) + `"}`
	w = do(t, s.Handler(), analyzeReq(huge))
	if e := decodeErr(t, w); w.Code != 413 || e.Error.Code != "body_too_large" {
		t.Fatalf("oversized body: %d %s", w.Code, e.Error.Code)
	}

	// A gzip bomb: small on the wire, over the limit once inflated.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = io.WriteString(zw, huge)
	_ = zw.Close()
	r := analyzeReq("")
	r.Body = io.NopCloser(&z)
	r.Header.Set("Content-Encoding", "gzip")
	w = do(t, s.Handler(), r)
	if e := decodeErr(t, w); w.Code != 413 || e.Error.Code != "body_too_large" {
		t.Fatalf("gzip bomb: %d %s", w.Code, e.Error.Code)
	}
}

func TestAnalyzeValid(t *testing.T) {
	s, _ := newTestServer(t, nil)
	// Three posts an hour apart in Tokyo's morning, given as strings and milliseconds.
	body := `{"tz":"Asia/Tokyo","timestamps":["2026-11-01T07:00:00+09:00",1793487600000,"2026-11-01T00:00:00Z"]}`
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			r := analyzeReq(body)
			if gz {
				var z bytes.Buffer
				zw := gzip.NewWriter(&z)
				_, _ = io.WriteString(zw, body)
				_ = zw.Close()
				r = analyzeReq("")
				r.Body = io.NopCloser(&z)
				r.Header.Set("Content-Encoding", "gzip")
			}
			w := do(t, s.Handler(), r)
			if w.Code != 200 {
				t.Fatalf("got %d %s", w.Code, w.Body)
			}
			var a struct {
				Timezone  string `json:"timezone"`
				PostCount int    `json:"postCount"`
				Periods   []struct {
					Start, End string
					Posts      int
				} `json:"periods"`
				Days []struct{ Date string } `json:"days"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			if a.Timezone != "Asia/Tokyo" || a.PostCount != 3 || len(a.Periods) != 1 || a.Periods[0].Posts != 3 ||
				a.Periods[0].Start != "2026-11-01T07:00:00+09:00" || a.Periods[0].End != "2026-11-01T09:00:00+09:00" ||
				len(a.Days) != 1 || a.Days[0].Date != "2026-11-01" {
				t.Fatalf("unexpected analysis: %.600s", w.Body)
			}
		})
	}
}

func TestAnalyzeAcceptsAnyJSONWhitespace(t *testing.T) {
	s, _ := newTestServer(t, nil)
	body := "{\n  \"timestamps\": [\n    1793487600000 ,\n\t\"2026-11-01T00:00:00Z\"\r\n  ] ,\n  \"tz\": \"UTC\"\n}"
	w := do(t, s.Handler(), analyzeReq(body))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"postCount":2`) {
		t.Fatalf("pretty-printed body = %d %.300s", w.Code, w.Body)
	}
	w = do(t, s.Handler(), analyzeReq(`{"timestamps":[ ]}`))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"postCount":0`) {
		t.Fatalf("[ ] = %d %.300s", w.Code, w.Body)
	}
}

func TestAnalyzeEmptyIsValid(t *testing.T) {
	s, _ := newTestServer(t, nil)
	w := do(t, s.Handler(), analyzeReq(`{"timestamps":[]}`))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"periods":[]`) || !strings.Contains(w.Body.String(), `"days":[]`) ||
		!strings.Contains(w.Body.String(), `"postCount":0`) {
		t.Fatalf("empty analysis = %d %s", w.Code, w.Body)
	}
}

func TestAnalyzeDropsAutomatedPostsWhenSourcesGiven(t *testing.T) {
	s, _ := newTestServer(t, nil)
	body := `{"tz":"UTC","timestamps":["2026-11-01T07:00:00Z","2026-11-01T08:00:00Z","2026-11-01T03:00:00Z"],` +
		`"sources":["Twitter for iPhone","Twitter for iPhone","twittbot.net"]}`
	w := do(t, s.Handler(), analyzeReq(body))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"postCount":2`) {
		t.Fatalf("the bot post at 03:00 should be dropped: %d %s", w.Code, w.Body)
	}
}

func TestHTTPSDeploymentSendsHSTS(t *testing.T) {
	for _, tc := range []struct {
		public string
		hsts   bool
	}{{"https://nezame.example", true}, {"http://localhost:8080", false}} {
		t.Run(tc.public, func(t *testing.T) {
			cfg, err := config.Load(func(k string) string { return map[string]string{"PUBLIC_URL": tc.public}[k] })
			if err != nil {
				t.Fatal(err)
			}
			s := New(Options{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			w := do(t, s.Handler(), httptest.NewRequest("GET", "/healthz", nil))
			if got := w.Header().Get("Strict-Transport-Security") != ""; got != tc.hsts {
				t.Fatalf("HSTS present = %v, want %v", got, tc.hsts)
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
				!strings.Contains(csp, "script-src 'self'") {
				t.Fatalf("CSP = %q", csp)
			}
		})
	}
}

// BenchmarkAnalyzeEndpoint1M measures POST /api/analyze at its limit: decoding a million Unix
// millisecond timestamps, validating each, and analysing them.
//
//	go test -run '^$' -bench AnalyzeEndpoint1M -benchmem ./api/internal/server/
func BenchmarkAnalyzeEndpoint1M(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"tz":"Asia/Tokyo","timestamps":[`)
	t0 := int64(1700000000000)
	for i := range 1_000_000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		// About one post every 3 minutes, with the nights left silent.
		t := t0 + int64(i)*180_000
		if (t/3_600_000)%24 < 7 {
			t += 7 * 3_600_000
		}
		fmt.Fprintf(&sb, "%d", t)
	}
	sb.WriteString(`]}`)
	body := sb.String()
	var logs bytes.Buffer
	cfg, _ := config.Load(func(string) string { return "" })
	s := New(Options{Config: cfg, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, analyzeReq(body))
		if w.Code != 200 {
			b.Fatalf("status %d: %.200s", w.Code, w.Body)
		}
	}
}

func TestAnalyzeBusyInstanceAsksToRetry(t *testing.T) {
	s, _ := newTestServer(t, nil)
	s.analyzeWait = 50 * time.Millisecond
	for range analyzeConcurrency { // every turn taken by long-running analyses
		s.analyzeSlots <- struct{}{}
	}
	w := do(t, s.Handler(), analyzeReq(`{"timestamps":[]}`))
	if e := decodeErr(t, w); w.Code != 503 || e.Error.Code != "analysis_busy" || w.Header().Get("Retry-After") == "" {
		t.Fatalf("busy instance = %d %+v", w.Code, e)
	}
	<-s.analyzeSlots
	if w := do(t, s.Handler(), analyzeReq(`{"timestamps":[]}`)); w.Code != 200 {
		t.Fatalf("with a free turn = %d", w.Code)
	}
}
