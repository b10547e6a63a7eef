package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkCachedPeriods measures GET /api/periods when the analysis is cached: session load
// (one Redis GET), token unseal, cache read (one Redis GET), response write — the path every
// revisit and every refresh within CACHE_TTL takes. Redis is a real redis-server on loopback.
//
//	go test -run '^$' -bench CachedPeriods -benchmem ./api/internal/server/
func BenchmarkCachedPeriods(b *testing.B) {
	st := newStackTB(b)
	br := browser(b)
	signIn(b, st, br, "night_owl")
	u, _ := url.Parse(st.srv.URL)
	cookies := br.Jar.Cookies(u)
	h := st.srv.Config.Handler
	warm := httptest.NewRequest("GET", "/api/periods?tz=Asia/Tokyo", nil)
	for _, c := range cookies {
		warm.AddCookie(c)
	}
	if w := httptest.NewRecorder(); func() int { h.ServeHTTP(w, warm); return w.Code }() != http.StatusOK {
		b.Fatal("warm-up request failed")
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest("GET", "/api/periods?tz=Asia/Tokyo", nil)
			for _, c := range cookies {
				r.AddCookie(c)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}
