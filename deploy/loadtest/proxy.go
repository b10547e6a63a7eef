package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// userHeader carries the virtual user's number from the client to the proxy, which turns it
// into a distinct X-Forwarded-For so per-IP limits see thousands of clients, not one.
const userHeader = "X-Loadtest-User"

// userIP is the fake client address of user n: 10.x.y.z. Only ever a header value.
func userIP(n int) string {
	n &= 0xffffff
	return fmt.Sprintf("10.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff)
}

// backend is one service instance behind the proxy.
type backend struct {
	host    string // 127.0.0.1:port
	alive   atomic.Bool
	probing atomic.Bool   // one prober per backend, however many requests failed on it
	slots   chan struct{} // requests in flight on it; nil: no limit
}

// proxy is a round-robin reverse proxy over the instances, the way Cloud Run's front end spreads
// requests. A backend that refuses a connection is skipped until its /healthz answers again, and
// the request goes to the next one: a killed instance costs no request that had not reached it.
// Like Cloud Run, which never has more than containerConcurrency requests in flight on one
// instance, it holds a request until an instance has a free slot.
type proxy struct {
	backends []*backend
	next     atomic.Uint64
	rp       *httputil.ReverseProxy
	inner    http.RoundTripper
	probe    *http.Client
	mu       sync.Mutex
	freed    chan struct{} // closed, and replaced, whenever a slot frees
}

// newProxy spreads requests over hosts, at most concurrency in flight on each (0: no limit).
func newProxy(hosts []string, concurrency int) *proxy {
	p := &proxy{
		inner: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 512,
			IdleConnTimeout:     30 * time.Second,
		},
		probe: &http.Client{Timeout: time.Second},
		freed: make(chan struct{}),
	}
	for _, h := range hosts {
		b := &backend{host: h}
		if concurrency > 0 {
			b.slots = make(chan struct{}, concurrency)
		}
		b.alive.Store(true)
		p.backends = append(p.backends, b)
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = "http"
			r.Out.URL.Host = "backend" // chosen per attempt by RoundTrip
			r.Out.Host = r.In.Host     // the service sees PUBLIC_URL's host, as behind a real front end
			ip := "127.0.0.1"
			if n, err := strconv.Atoi(r.In.Header.Get(userHeader)); err == nil {
				ip = userIP(n)
			}
			r.Out.Header.Del(userHeader)
			r.Out.Header.Set("X-Forwarded-For", ip)
			r.Out.Header.Set("X-Forwarded-Proto", "http")
			r.Out.Header.Set("X-Forwarded-Host", r.In.Host)
		},
		Transport: p,
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, `{"error":{"code":"proxy","message":%q}}`, err.Error())
		},
	}
	return p
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.rp.ServeHTTP(w, r) }

// setAlive marks the backend at host up or down (the cluster calls it around kills).
func (p *proxy) setAlive(host string, up bool) {
	for _, b := range p.backends {
		if b.host == host {
			b.alive.Store(up)
		}
	}
}

// pick takes a slot on the next live backend in round-robin order that has one, waiting for a
// slot to free when all are busy; nil when no backend is live.
func (p *proxy) pick(ctx context.Context, skip map[*backend]bool) (*backend, error) {
	for {
		p.mu.Lock()
		freed := p.freed
		p.mu.Unlock()
		n := len(p.backends)
		start := p.next.Add(1)
		live := false
		for i := range n {
			b := p.backends[(int(start)+i)%n]
			if !b.alive.Load() || skip[b] {
				continue
			}
			live = true
			if b.slots == nil {
				return b, nil
			}
			select {
			case b.slots <- struct{}{}:
				return b, nil
			default:
			}
		}
		if !live {
			return nil, nil
		}
		select {
		case <-freed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// release frees the slot pick took on b.
func (p *proxy) release(b *backend) {
	if b.slots == nil {
		return
	}
	<-b.slots
	p.mu.Lock()
	close(p.freed)
	p.freed = make(chan struct{})
	p.mu.Unlock()
}

// slotBody frees a backend's slot when the response body is closed, after it was relayed.
type slotBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (s *slotBody) Close() error {
	err := s.ReadCloser.Close()
	s.once.Do(s.release)
	return err
}

// RoundTrip sends the request to live backends in turn. A request that failed before reaching
// a backend (refused or reset connection) is retried on the next one; its small body is
// buffered for that.
func (p *proxy) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("proxy: read request body: %w", err)
		}
		body = b
	}
	tried := map[*backend]bool{}
	var lastErr error
	for range len(p.backends) {
		b, err := p.pick(req.Context(), tried)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		tried[b] = true
		out := req.Clone(req.Context())
		out.URL.Host = b.host
		if body != nil {
			out.Body = io.NopCloser(bytes.NewReader(body))
			out.ContentLength = int64(len(body))
		}
		resp, err := p.inner.RoundTrip(out)
		if err == nil {
			resp.Body = &slotBody{ReadCloser: resp.Body, release: func() { p.release(b) }}
			return resp, nil
		}
		p.release(b)
		lastErr = err
		if req.Context().Err() != nil {
			return nil, err
		}
		if !retryable(req.Method, err) {
			return nil, err
		}
		b.alive.Store(false)
		if b.probing.CompareAndSwap(false, true) {
			go p.revive(b)
		}
	}
	if lastErr == nil {
		lastErr = errors.New("no live backend")
	}
	return nil, fmt.Errorf("proxy: %w", lastErr)
}

// retryable: a refused connection never reached the service; an idempotent request may be
// resent whatever happened.
func retryable(method string, err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return method == http.MethodGet || method == http.MethodHead
}

// revive probes a backend that failed until /healthz answers 200 (or 30 s pass).
func (p *proxy) revive(b *backend) {
	defer b.probing.Store(false)
	for range 300 {
		resp, err := p.probe.Get("http://" + b.host + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				b.alive.Store(true)
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}
