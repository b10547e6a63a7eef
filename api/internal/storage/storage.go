// Package storage opens the one Redis connection the whole service shares. Without REDIS_URL it
// starts an in-process Redis-compatible store instead, so demo mode and `make run` need no
// servers and every store runs the same code path; that fallback is for one instance only.
package storage

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Conn is the shared Redis client and how to release it.
type Conn struct {
	Client   *redis.Client
	InMemory bool
	close    func()
}

// Close releases the client (and the in-process store).
func (c *Conn) Close() { c.close() }

// Ping is the readiness check.
func (c *Conn) Ping(ctx context.Context) error { return c.Client.Ping(ctx).Err() }

// Open connects to redisURL, or starts the in-process store when it is empty. Timeouts are short
// on purpose: a Redis that does not answer quickly should become a 503 quickly, not a pile-up.
func Open(redisURL string, logger *slog.Logger) (*Conn, error) {
	if redisURL == "" {
		return openInMemory(logger)
	}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	applyTimeouts(opt)
	c := redis.NewClient(opt)
	return &Conn{Client: c, close: func() { _ = c.Close() }}, nil
}

func applyTimeouts(opt *redis.Options) {
	opt.DialTimeout = 2 * time.Second
	opt.ReadTimeout = time.Second
	opt.WriteTimeout = time.Second
	opt.PoolTimeout = 2 * time.Second
	opt.MaxRetries = 1
	// Many goroutines wait on a few connections during a spike; keep enough idle ones around.
	if opt.PoolSize == 0 {
		opt.PoolSize = 64
	}
	opt.MinIdleConns = 4
	// Memory per connection: go-redis gives each 32 KiB read and write buffers, and keeps a
	// second pool of ten connections for pipelines with 128 KiB buffers each, about 6 MiB an
	// instance at full pool. nezame's replies are small (an analysis is tens of KB and is read
	// straight into its own slice past the buffer) and its pipelines are a few commands, so
	// 8 KiB buffers and pipelines on the main pool cost nothing measurable and keep that memory.
	if opt.ReadBufferSize == 0 {
		opt.ReadBufferSize = 8 << 10
	}
	if opt.WriteBufferSize == 0 {
		opt.WriteBufferSize = 8 << 10
	}
	opt.PipelinePoolSize = -1
	// RESP2: the service uses no RESP3 feature (push notifications, client-side caching), and
	// under RESP3 every command first checks its connection for pending pushes — measurable on
	// the hot path (one Redis round trip per cached /api/periods).
	if opt.Protocol == 0 {
		opt.Protocol = 2
	}
}

func openInMemory(logger *slog.Logger) (*Conn, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start in-process store: %w", err)
	}
	logger.Warn("REDIS_URL is not set: sessions, caches and quotas live in this process only. " +
		"Run a single instance, or set REDIS_URL before scaling out.")
	// The in-process store keeps time only when told; advance it with the wall clock so TTLs
	// expire and memory stays bounded.
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				m.SetTime(now)
				m.FastForward(now.Sub(last))
				last = now
			}
		}
	}()
	m.SetTime(time.Now())
	opt := &redis.Options{Addr: m.Addr()}
	applyTimeouts(opt)
	c := redis.NewClient(opt)
	return &Conn{Client: c, InMemory: true, close: func() {
		close(stop)
		_ = c.Close()
		m.Close()
	}}, nil
}

// Logger adapts slog to go-redis's logger, so the client's own messages (failed dials during
// an outage) come out structured, with a severity, like every other line.
type Logger struct{ Log *slog.Logger }

// Printf implements go-redis's internal logging interface.
func (l Logger) Printf(ctx context.Context, format string, v ...any) {
	l.Log.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "redis")
}
