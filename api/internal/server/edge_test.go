package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/config"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/ratelimit"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/twitter/twittertest"
)

// syncBuffer is a log sink that a server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// serveHTTP serves s over real HTTP on loopback, configured as main configures it.
func serveHTTP(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := s.HTTPServer(ln.Addr().String())
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

func newLoggedServer(t *testing.T, env map[string]string, mutate func(*Options)) (*Server, *syncBuffer) {
	t.Helper()
	cfg, err := config.Load(mapEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	o := Options{Config: cfg, Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	if mutate != nil {
		mutate(&o)
	}
	return New(o), logs
}

func send(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func scrape(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	_, body := send(t, req)
	return body
}

// Invented HTTP methods used to become metric labels and log fields without bound: 2,000 of
// them at 60 kB grew /metrics to 2.3 GB.
func TestInventedMethodsDoNotGrowMetricsOrLogs(t *testing.T) {
	s, logs := newLoggedServer(t, nil, nil)
	base := serveHTTP(t, s)
	before := len(scrape(t, base))
	const n, size = 200, 4 << 10
	for i := range n {
		method := fmt.Sprintf("X%s%d", strings.Repeat("M", size), i)
		path := "/" + strings.Repeat("p", size) + fmt.Sprint(i)
		req, err := http.NewRequest(method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("User-Agent", strings.Repeat("u", size))
		req.Header.Set("Referer", "https://elsewhere.example/"+strings.Repeat("r", size)+"?oauth_token=secret")
		resp, body := send(t, req)
		if resp.StatusCode != 404 || len(body) > 512 {
			t.Fatalf("invented method = %d, body of %d bytes", resp.StatusCode, len(body))
		}
	}
	after := scrape(t, base)
	// The OTHER series of one route and status: a counter and a histogram, about 2 kB.
	if grown := len(after) - before; grown > 8<<10 {
		t.Fatalf("/metrics grew by %d bytes after %d invented methods", grown, n)
	}
	if !strings.Contains(after, `nezame_http_requests_total{method="OTHER",route="unmatched",status="404"} 200`) {
		t.Fatalf("invented methods not counted as OTHER:\n%.3000s", after)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) < n {
		t.Fatalf("%d log lines for %d refused requests", len(lines), n)
	}
	for _, l := range lines {
		if len(l) > 2<<10 {
			t.Fatalf("a log line of %d bytes: %.300s…", len(l), l)
		}
		if strings.Contains(l, "secret") {
			t.Fatalf("a referer's query reached the log: %.300s", l)
		}
	}
}

func TestEveryGETRouteAnswersHEAD(t *testing.T) {
	st := newStack(t)
	routes := map[string]bool{}
	for _, r := range st.server.engine.Routes() {
		routes[r.Method+" "+r.Path] = true
	}
	for _, r := range st.server.engine.Routes() {
		if r.Method == http.MethodGet && !routes["HEAD "+r.Path] {
			t.Errorf("GET %s has no HEAD", r.Path)
		}
	}
	b := browser(t)
	signInReady(t, st, b, "night_owl")
	req, _ := http.NewRequest("POST", st.srv.URL+"/api/shares", strings.NewReader(`{"tz":"UTC"}`))
	req.Header.Set("Origin", st.srv.URL)
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var share struct{ URL, ImageURL string }
	_ = json.NewDecoder(resp.Body).Decode(&share)
	resp.Body.Close()
	for _, tc := range []struct {
		url         string
		contentType string
	}{
		{st.srv.URL + "/healthz", "application/json"},
		{st.srv.URL + "/readyz", "application/json"},
		{share.URL, "text/html"},
		{share.ImageURL, "image/png"},
		{st.srv.URL + "/metrics", "text/plain"},
		{st.srv.URL + "/api/me", "application/json"},
	} {
		req, _ := http.NewRequest("HEAD", tc.url, nil)
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) || len(body) != 0 {
			t.Errorf("HEAD %s = %d %q, %d body bytes", tc.url, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	}
	// A HEAD on a sign-in step starts nothing: no request token is asked for.
	before := twittertest.Calls(t, st.emu.URL, "request_token")
	req, _ = http.NewRequest("HEAD", st.srv.URL+"/auth/login", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("HEAD /auth/login = %v %v", resp, err)
	}
	if after := twittertest.Calls(t, st.emu.URL, "request_token"); after != before {
		t.Fatalf("HEAD /auth/login called request_token %d times", after-before)
	}
}

func TestOversizedHeadersAreJSON431(t *testing.T) {
	s, _ := newLoggedServer(t, nil, nil)
	base := serveHTTP(t, s)
	for _, size := range []int{maxHeaderBytes + 1, readHeaderBytes - 8<<10} {
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		req.Header.Set("Cookie", "big="+strings.Repeat("c", size))
		resp, body := send(t, req)
		var e errJSON
		if resp.StatusCode != 431 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "headers_too_large" {
			t.Fatalf("%d bytes of headers = %d %q %.200s", size, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("Cookie", "ok="+strings.Repeat("c", maxHeaderBytes-1024))
	if resp, _ := send(t, req); resp.StatusCode != 200 {
		t.Fatalf("headers within the limit = %d", resp.StatusCode)
	}
}

// A client that disconnects before the answer is nobody's failure: 499 at INFO, not 500 at ERROR,
// whichever way the route answers errors (JSON, a sign-in redirect, a share page).
func TestClientThatLeavesIs499AtInfo(t *testing.T) {
	s, logs := newLoggedServer(t, nil, nil)
	handled := make(chan struct{}, 3)
	writers := map[string]func(*gin.Context, error){
		"/api/slow": s.writeError, "/auth/slow": s.redirectWithError, "/s/slow": s.writeSharePageError,
	}
	for path, write := range writers {
		s.engine.GET(path, func(c *gin.Context) {
			defer func() { handled <- struct{}{} }()
			<-c.Request.Context().Done()
			write(c, fmt.Errorf("read cached analysis: %w", c.Request.Context().Err()))
		})
	}
	base := serveHTTP(t, s)
	for path := range writers {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		if _, err := http.DefaultClient.Do(req); err == nil {
			t.Fatal("the request should have been abandoned")
		}
		cancel()
		<-handled
	}
	deadline := time.Now().Add(30 * time.Second)
	for path := range writers {
		for !strings.Contains(scrape(t, base), `route="`+path+`",status="499"`) {
			if time.Now().After(deadline) {
				t.Fatalf("no 499 counted for %s:\n%s", path, scrape(t, base))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if m := scrape(t, base); strings.Contains(m, `status="500"`) {
		t.Fatal("an abandoned request counted as a 500")
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Fatalf("an abandoned request logged at ERROR: %s", logs)
	}
}

// X-Forwarded-For's left-most entries are whatever the client wrote; only the entry the front
// end appended says who connected.
func TestClientAddressCannotBeSpoofed(t *testing.T) {
	rs := redistest.Start(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"on Cloud Run", map[string]string{"K_SERVICE": "nezame"}},
		{"behind a local proxy", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_ = rs.Flush(context.Background())
			s, logs := newLoggedServer(t, tc.env, func(o *Options) {
				o.Limiter = ratelimit.New(rs.Client(), ratelimit.Limits{"analyze": {Rate: 1, Burst: 2, Period: time.Hour}})
			})
			base := serveHTTP(t, s)
			const real = "203.0.113.7"
			var codes []int
			for i := range 4 {
				req, _ := http.NewRequest("POST", base+"/api/analyze", strings.NewReader(`{"timestamps":[]}`))
				// The client sends a made-up address each time; the front end appends the real one,
				// on the same line or, when the client sent its own line, on one of its own.
				if i%2 == 0 {
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d, %s", i, real))
				} else {
					req.Header.Add("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
					req.Header.Add("X-Forwarded-For", real)
				}
				req.Header.Set("X-Real-Ip", fmt.Sprintf("192.0.2.%d", i))
				resp, _ := send(t, req)
				codes = append(codes, resp.StatusCode)
			}
			if fmt.Sprint(codes) != "[200 200 429 429]" {
				t.Fatalf("burst of 2 from one real address, spoofed four ways: %v", codes)
			}
			if !strings.Contains(logs.String(), `"remoteIp":"`+real+`"`) || strings.Contains(logs.String(), `198.51.100.`) {
				t.Fatalf("logs do not record the real address: %s", logs)
			}
		})
	}
}

func TestClientAddr(t *testing.T) {
	for _, tc := range []struct {
		name, remote string
		xff          []string
		cloudRun     bool
		want         string
	}{
		{"direct, no header", "192.0.2.1:5000", nil, false, "192.0.2.1"},
		{"direct peer's header is not believed", "192.0.2.1:5000", []string{"198.51.100.9"}, false, "192.0.2.1"},
		{"loopback proxy", "127.0.0.1:5000", []string{"198.51.100.9, 203.0.113.7"}, false, "203.0.113.7"},
		{"cloud run: right-most", "169.254.1.1:5000", []string{"1.1.1.1,2.2.2.2, 203.0.113.7"}, true, "203.0.113.7"},
		{"cloud run: last line", "169.254.1.1:5000", []string{"1.1.1.1", "203.0.113.7"}, true, "203.0.113.7"},
		{"cloud run: ipv6", "169.254.1.1:5000", []string{"2001:db8::1"}, true, "2001:db8::1"},
		{"cloud run: mapped ipv4", "169.254.1.1:5000", []string{"::ffff:203.0.113.7"}, true, "203.0.113.7"},
		{"cloud run: garbage falls back to the peer", "169.254.1.1:5000", []string{"1.1.1.1, nonsense"}, true, "169.254.1.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, tc.cloudRun); got != tc.want {
				t.Fatalf("clientAddr = %q, want %q", got, tc.want)
			}
		})
	}
	if a, b := limitKey("2001:db8:1:2:aaaa::1"), limitKey("2001:db8:1:2:bbbb::2"); a != b || a != "2001:db8:1:2::/64" {
		t.Fatalf("one IPv6 /64 is one client: %q, %q", a, b)
	}
	if k := limitKey("203.0.113.7"); k != "203.0.113.7" {
		t.Fatalf("limitKey(IPv4) = %q", k)
	}
}

// Zone aliases used to load from the host's zoneinfo, each one a new in-process cache entry and
// a new analysis cached in Redis under its own key.
func TestZoneAliasesAreRefused(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signInReady(t, st, b, "early_bird") // posts read: an analysis in any zone is 200 at once
	if resp := get(t, b, st.srv.URL+"/api/periods?tz=America/New_York"); resp.StatusCode != 200 {
		t.Fatalf("canonical zone = %d", resp.StatusCode)
	}
	stored := func() []string {
		k, err := st.redis.Client().Keys(context.Background(), keys.ResponsePrefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	storedBefore, zonesBefore := stored(), st.server.zones.Len()
	aliases := []string{"America/./New_York", "America//New_York", "right/America/New_York", "posix/America/New_York",
		"posixrules", "US/Eastern", "EST5EDT", "America/New_York/", "Asia/Calcutta"}
	for _, tz := range aliases {
		resp := get(t, b, st.srv.URL+"/api/periods?tz="+url.QueryEscape(tz))
		var e errJSON
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode != 400 || e.Error.Code != "invalid_timezone" {
			t.Errorf("periods in %q = %d %q", tz, resp.StatusCode, e.Error.Code)
		}
		req, _ := http.NewRequest("POST", st.srv.URL+"/api/analyze", strings.NewReader(`{"timestamps":[],"tz":"`+tz+`"}`))
		if resp, body := send(t, req); resp.StatusCode != 400 || !strings.Contains(body, "invalid_timezone") {
			t.Errorf("analyze in %q = %d %s", tz, resp.StatusCode, body)
		}
	}
	if after := stored(); len(after) != len(storedBefore) {
		t.Fatalf("stored answers before %d aliases %v, after %v", len(aliases), storedBefore, after)
	}
	if n := st.server.zones.Len(); n != zonesBefore {
		t.Fatalf("the zone cache held %d locations, and %d after the aliases", zonesBefore, n)
	}
}
