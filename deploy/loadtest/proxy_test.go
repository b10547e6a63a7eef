package loadtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProxy: round robin over live backends, a dead backend skipped without failing the request,
// a distinct X-Forwarded-For per virtual user, and the public Host kept.
func TestProxy(t *testing.T) {
	type seen struct{ backend, xff, host, user, body string }
	var mu sync.Mutex
	var got []seen
	backend := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got = append(got, seen{name, r.Header.Get("X-Forwarded-For"), r.Host, r.Header.Get(userHeader), string(b)})
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(s.Close)
		return s
	}
	a, b, dead := backend("a"), backend("b"), backend("dead")
	deadHost := strings.TrimPrefix(dead.URL, "http://")
	dead.Close() // refuses connections from now on

	px := newProxy([]string{strings.TrimPrefix(a.URL, "http://"), deadHost, strings.TrimPrefix(b.URL, "http://")}, 0)
	front := httptest.NewServer(px)
	t.Cleanup(front.Close)

	for i := range 6 {
		req, _ := http.NewRequest(http.MethodPost, front.URL+"/api/shares", strings.NewReader("body"))
		req.Header.Set(userHeader, []string{"1", "258"}[i%2])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("request %d = %d", i, resp.StatusCode)
		}
	}
	count := map[string]int{}
	for i, s := range got {
		count[s.backend]++
		wantIP := []string{"10.0.0.1", "10.0.1.2"}[i%2]
		if s.xff != wantIP || s.user != "" || s.host != strings.TrimPrefix(front.URL, "http://") || s.body != "body" {
			t.Errorf("request %d reached %s with X-Forwarded-For %q (want %q), %s %q, Host %q, body %q",
				i, s.backend, s.xff, wantIP, userHeader, s.user, s.host, s.body)
		}
	}
	if len(got) != 6 || count["a"] == 0 || count["b"] == 0 || count["dead"] != 0 {
		t.Fatalf("spread = %v over %d requests", count, len(got))
	}
	for _, be := range px.backends {
		if be.host == deadHost && be.alive.Load() {
			t.Fatal("the refusing backend is still marked alive")
		}
	}

	// With every backend down the proxy answers 502 in JSON, not a hang.
	px.setAlive(strings.TrimPrefix(a.URL, "http://"), false)
	px.setAlive(strings.TrimPrefix(b.URL, "http://"), false)
	resp, err := http.Get(front.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("no backend = %d, want 502", resp.StatusCode)
	}
}

// The proxy holds requests beyond the concurrency limit, as Cloud Run's front end does beyond
// containerConcurrency, and lets them through as slots free.
func TestProxyConcurrencyLimit(t *testing.T) {
	const limit, n = 3, 12
	var mu sync.Mutex
	inFlight, most := 0, 0
	release := make(chan struct{})
	be := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(be.Close)
	front := httptest.NewServer(newProxy([]string{strings.TrimPrefix(be.URL, "http://")}, limit))
	t.Cleanup(front.Close)
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(front.URL + "/x")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	// Wait until the limit is reached, give the others time to (wrongly) get through, release.
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		now := inFlight
		mu.Unlock()
		if now >= limit || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	for range n {
		release <- struct{}{}
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("a held request got %d", c)
		}
	}
	if most != limit {
		t.Fatalf("at most %d requests were in flight on the instance; want the limit, %d", most, limit)
	}
}
