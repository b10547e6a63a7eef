// Package metrics holds the service's Prometheus collectors. One Metrics value per process is
// created in main and passed to whoever records; nothing registers itself globally.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the collectors the service records into. The Observe methods are safe on a nil
// *Metrics (they record nothing), so packages may be built without metrics in tests.
type Metrics struct {
	registry       *prometheus.Registry
	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	twitterCalls   *prometheus.CounterVec
	twitterLatency *prometheus.HistogramVec
	postsRead      prometheus.Histogram
	analyses       *prometheus.CounterVec
	storageErrors  prometheus.Counter
	twitterBudget  prometheus.Gauge
	queueLength    prometheus.Gauge
}

// New creates the collectors in a fresh registry, with Go runtime and process collectors.
func New() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		registry: r,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nezame_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nezame_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		twitterBudget: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "nezame_twitter_budget_remaining", Help: "App-wide Twitter timeline requests left in the current 24 h budget.",
		}),
		twitterCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nezame_twitter_calls_total", Help: "Requests sent to Twitter by endpoint and outcome (ok, rate_limited, unauthorized, server_error, no_response, bad_response, rejected).",
		}, []string{"endpoint", "outcome"}),
		twitterLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nezame_twitter_request_duration_seconds", Help: "Latency of requests sent to Twitter by endpoint.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"endpoint"}),
		postsRead: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "nezame_twitter_posts_read", Help: "Posts read from Twitter per read (the v2 cost driver).",
			Buckets: []float64{0, 1, 10, 50, 100, 200, 500, 1000, 2000, 3200},
		}),
		analyses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nezame_analyses_total", Help: "Analyses served by source: cache (the stored response), stored (stored post times), fetch, stale, archive.",
		}, []string{"source"}),
		queueLength: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "nezame_waiting_room_length", Help: "Tickets in the waiting room as last seen by this instance.",
		}),
		storageErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "nezame_redis_errors_total", Help: "Requests answered 503 storage_unavailable (Redis, or the share store, failed).",
		}),
	}
	r.MustRegister(m.requests, m.latency, m.twitterBudget, m.twitterCalls, m.twitterLatency, m.postsRead, m.analyses,
		m.queueLength, m.storageErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest records one finished HTTP request. route must be the matched route pattern
// (or a fixed word for none), never the raw path; the method is labelled by name only when it is
// one of HTTP's standard methods and as OTHER otherwise. A client can send any token as a method
// and any path, and each distinct label value would be a new series held for the life of the
// process and printed on every scrape.
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	method = MethodLabel(method)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// MethodLabel is method if it is a standard HTTP method, else "OTHER".
func MethodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

// ObserveTwitterCall records one request sent to Twitter: its endpoint, outcome and latency.
func (m *Metrics) ObserveTwitterCall(endpoint, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.twitterCalls.WithLabelValues(endpoint, outcome).Inc()
	m.twitterLatency.WithLabelValues(endpoint).Observe(d.Seconds())
}

// ObservePostsRead records how many posts one read of Twitter returned.
func (m *Metrics) ObservePostsRead(n int) {
	if m == nil {
		return
	}
	m.postsRead.Observe(float64(n))
}

// ObserveAnalysis records one analysis served from source.
func (m *Metrics) ObserveAnalysis(source string) {
	if m == nil {
		return
	}
	m.analyses.WithLabelValues(source).Inc()
}

// ObserveStorageError records one request answered 503 storage_unavailable.
func (m *Metrics) ObserveStorageError() {
	if m == nil {
		return
	}
	m.storageErrors.Inc()
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Sources are the shared numbers Watch samples.
type Sources struct {
	Budget      func(ctx context.Context) (remaining int, reset time.Time, err error)
	QueueLength func(ctx context.Context) (int64, error)
}

// Watch samples the shared Twitter budget and the waiting room every interval until ctx ends,
// into the gauges and into one log line carrying twitterBudgetRemaining, which the log-based
// alert policy ("Twitter budget below 10 %") reads.
func (m *Metrics) Watch(ctx context.Context, interval time.Duration, src Sources, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if src.Budget != nil {
			if n, reset, err := src.Budget(sctx); err == nil {
				m.twitterBudget.Set(float64(n))
				log.Info("twitter budget", "twitterBudgetRemaining", n, "twitterBudgetReset", reset.UTC().Format(time.RFC3339))
			}
		}
		if src.QueueLength != nil {
			if n, err := src.QueueLength(sctx); err == nil {
				m.queueLength.Set(float64(n))
			}
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
