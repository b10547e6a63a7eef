package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/bytebudget"
)

// spaces is a long run of JSON whitespace that allocates nothing.
type spaces struct{ left int }

func (s *spaces) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), s.left)], spaceBlock)
	s.left -= n
	return n, nil
}

var spaceBlock = bytes.Repeat([]byte{' '}, 64<<10)

// paddedBody is a valid body of a few timestamps padded to about size bytes with whitespace,
// inside the timestamps array, as a client within the documented limits may send it.
func paddedBody(size int) io.Reader {
	return io.MultiReader(strings.NewReader(`{"tz":"UTC","timestamps":[1793487600000,`), &spaces{left: size},
		strings.NewReader(`1793491200000,1793494800000]}`))
}

func postAnalyze(t *testing.T, base string, body io.Reader, gz bool) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/analyze", body)
	req.Header.Set("Content-Type", "application/json")
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	return send(t, req)
}

// A body costs memory in proportion to the timestamps it holds, not to its size: before, a
// 40 MiB body (or a small gzip stream inflating to it) was buffered whole, twice.
func TestAnalyzeMemoryFollowsTimestampsNotBodySize(t *testing.T) {
	s, _ := newLoggedServer(t, nil, nil)
	base := serveHTTP(t, s)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	_, _ = io.Copy(zw, paddedBody(40<<20))
	_ = zw.Close()
	if bomb.Len() > 200<<10 {
		t.Fatalf("the gzip stream is %d bytes", bomb.Len())
	}
	for _, tc := range []struct {
		name string
		body func() io.Reader
		gz   bool
	}{
		{"40 MiB body", func() io.Reader { return paddedBody(40 << 20) }, false},
		{"gzip inflating to 40 MiB", func() io.Reader { return bytes.NewReader(bomb.Bytes()) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			resp, body := postAnalyze(t, base, tc.body(), tc.gz)
			runtime.ReadMemStats(&after)
			if resp.StatusCode != 200 || !strings.Contains(body, `"postCount":3`) {
				t.Fatalf("%d %.300s", resp.StatusCode, body)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %.1f MiB", float64(alloc)/(1<<20))
			if alloc > 8<<20 {
				t.Fatalf("serving it allocated %d MiB", alloc>>20)
			}
		})
	}
}

// Analyses share a per-instance budget of bytes: they take turns when together they would hold
// more, and none holds more than its timestamps need.
func TestAnalysesShareAMemoryBudget(t *testing.T) {
	s, _ := newLoggedServer(t, nil, nil)
	const budget, overdraft = 2 * 8192 * 48, 8192 * 48 // two analyses of 5,000 timestamps, and one more
	s.analyzeMemory = bytebudget.New(budget, overdraft)
	base := serveHTTP(t, s)
	var sb strings.Builder
	sb.WriteString(`{"timestamps":[`)
	for i := range 5000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprint(&sb, 1793487600000+int64(i)*60_000)
	}
	sb.WriteString(`]}`)
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := postAnalyze(t, base, strings.NewReader(sb.String()), false)
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("an analysis got %d", c)
		}
	}
	if used, peak := s.analyzeMemory.Used(); used != 0 || peak > budget+overdraft || peak < 8192*48 {
		t.Fatalf("budget: %d in use after all answered, peak %d of %d + %d", used, peak, budget, overdraft)
	}
}

// slowUpload starts a request whose body trickles in, as a client sending a byte a second, and
// returns the connection (closed at cleanup).
func slowUpload(t *testing.T, base string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	body := `{"timestamps":[1793487600000,`
	fmt.Fprintf(conn, "POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		len(body)+1000, body)
	return conn
}

// A slow upload used to take an analysis turn before its body was read: three of them made
// everyone else wait 10 s and get 503 analysis_busy.
func TestSlowUploadsDoNotHoldAnalysisTurns(t *testing.T) {
	s, _ := newLoggedServer(t, nil, nil)
	base := serveHTTP(t, s)
	// Wait until the server is reading all of them: each one's first timestamp holds memory.
	waitUsed := func(atLeast int64) int64 {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if used, _ := s.analyzeMemory.Used(); used >= atLeast {
				return used
			}
			if time.Now().After(deadline) {
				t.Fatal("the server never started reading the slow uploads")
			}
		}
	}
	slowUpload(t, base)
	one := waitUsed(1)
	for range analyzeConcurrency {
		slowUpload(t, base)
	}
	waitUsed((analyzeConcurrency + 1) * one)
	start := time.Now()
	resp, body := postAnalyze(t, base, strings.NewReader(`{"timestamps":[1793487600000,1793491200000]}`), false)
	if resp.StatusCode != 200 || time.Since(start) > analyzeQueueWait/2 {
		t.Fatalf("a normal analysis beside slow uploads = %d after %v: %.200s", resp.StatusCode, time.Since(start), body)
	}
}

// The body has its own deadline: a client that stops sending is answered 408 and its
// reservation given back.
func TestStalledUploadTimesOut(t *testing.T) {
	s, _ := newLoggedServer(t, nil, nil)
	s.analyzeRead = 300 * time.Millisecond
	base := serveHTTP(t, s)
	conn := slowUpload(t, base)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errJSON
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 408 || e.Error.Code != "body_timeout" {
		t.Fatalf("stalled upload = %d %q", resp.StatusCode, e.Error.Code)
	}
	if used, _ := s.analyzeMemory.Used(); used != 0 {
		t.Fatalf("%d bytes still reserved", used)
	}
}

// Two timestamps 94 years apart used to produce 34,274 day entries.
func TestAnalyzeSpanIsBounded(t *testing.T) {
	s, _ := newLoggedServer(t, nil, nil)
	base := serveHTTP(t, s)
	resp, body := postAnalyze(t, base, strings.NewReader(`{"timestamps":["2006-03-01T00:00:00Z","2099-12-31T23:59:59Z"]}`), false)
	var e errJSON
	_ = json.Unmarshal([]byte(body), &e)
	if resp.StatusCode != 413 || e.Error.Code != "span_too_long" || !strings.Contains(e.Error.Message, "2006-03-01 to 2099-12-31") {
		t.Fatalf("a 94-year span = %d %s", resp.StatusCode, body)
	}
	// An archive from Twitter's first days to today still works.
	resp, body = postAnalyze(t, base, strings.NewReader(`{"tz":"Asia/Tokyo","timestamps":["2006-03-21T20:50:00Z","2006-03-21T21:50:00Z","2026-11-01T07:00:00+09:00"]}`), false)
	var a struct{ Days []json.RawMessage }
	_ = json.Unmarshal([]byte(body), &a)
	if resp.StatusCode != 200 || len(a.Days) < 7500 {
		t.Fatalf("a 20-year archive = %d with %d days", resp.StatusCode, len(a.Days))
	}
}
