package loadtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
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

	px := newProxy([]string{strings.TrimPrefix(a.URL, "http://"), deadHost, strings.TrimPrefix(b.URL, "http://")})
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
