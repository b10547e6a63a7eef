package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// cpuMeter reports CPU time per operation, of this process and of the redis-server, which a busy
// machine distorts far less than wall time: cpu-µs/op and redis-cpu-µs/op.
type cpuMeter struct {
	st            *stack
	proc, redisNs time.Duration
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (m *cpuMeter) redisCPU() time.Duration {
	info := m.st.redis.Client().Info(context.Background(), "cpu").Val()
	var total time.Duration
	for _, f := range []string{"used_cpu_sys", "used_cpu_user"} {
		if v := regexp.MustCompile(f + `:([0-9.]+)`).FindStringSubmatch(info); v != nil {
			secs, _ := strconv.ParseFloat(v[1], 64)
			total += time.Duration(secs * float64(time.Second))
		}
	}
	return total
}

func startCPU(b *testing.B, st *stack) *cpuMeter {
	b.Helper()
	m := &cpuMeter{st: st}
	m.proc, m.redisNs = processCPU(), m.redisCPU()
	return m
}

func (m *cpuMeter) report(b *testing.B) {
	b.Helper()
	b.ReportMetric(float64((processCPU()-m.proc).Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64((m.redisCPU()-m.redisNs).Microseconds())/float64(b.N), "redis-cpu-µs/op")
}

// BenchmarkCachedPeriods measures GET /api/periods when the answer is stored — the path every
// revisit and every refresh within CACHE_TTL takes: one Redis round trip for the session and the
// stored answer, which is written as stored (gzip). BenchmarkHealthz is the ceiling for
// comparison: the same middleware, no Redis. Redis is a real redis-server on loopback. The
// end-to-end measurement over HTTP with wrk is `make bench` (deploy/hotpath).
//
//	go test -run '^$' -bench 'CachedPeriods|Healthz' -benchmem ./api/internal/server/
func BenchmarkCachedPeriods(b *testing.B) {
	st := newStackTB(b)
	br := browser(b)
	signIn(b, st, br, "night_owl")
	u, _ := url.Parse(st.srv.URL)
	cookies := br.Jar.Cookies(u)
	h := st.srv.Config.Handler
	req := func() *http.Request {
		r := httptest.NewRequest("GET", "/api/periods?tz=Asia/Tokyo", nil)
		r.Header.Set("Accept-Encoding", "gzip, deflate, br")
		for _, c := range cookies {
			r.AddCookie(c)
		}
		return r
	}
	for i := 0; ; i++ { // the first view reads the posts in the background
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req())
		if w.Code == http.StatusOK {
			break
		}
		if w.Code != http.StatusAccepted || i > 1000 {
			b.Fatalf("warm-up: status %d", w.Code)
		}
	}
	b.ReportAllocs()
	cpu := startCPU(b, st)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req())
			if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
				b.Fatalf("status %d, encoding %q", w.Code, w.Header().Get("Content-Encoding"))
			}
		}
	})
	b.StopTimer()
	cpu.report(b)
}

func BenchmarkHealthz(b *testing.B) {
	st := newStackTB(b)
	h := st.srv.Config.Handler
	b.ReportAllocs()
	cpu := startCPU(b, st)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
	b.StopTimer()
	cpu.report(b)
}
