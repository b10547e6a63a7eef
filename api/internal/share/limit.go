package share

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// limiter counts share creations per owner in fixed windows. allow returns how long to wait
// when the owner is over the limit (0 when allowed).
type limiter interface {
	allow(ctx context.Context, owner string) (time.Duration, error)
}

// redisLimiter keeps the count in nezame:sharelimit:<owner>, which expires with its window, so
// the limit holds across instances.
type redisLimiter struct {
	rdb    redis.UniversalClient
	limit  int64
	window time.Duration
}

const redisTimeout = 2 * time.Second

func (l *redisLimiter) allow(ctx context.Context, owner string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, redisTimeout)
	defer cancel()
	key := "nezame:sharelimit:" + owner
	pipe := l.rdb.TxPipeline()
	incr := pipe.Incr(ctx, key)
	pipe.ExpireNX(ctx, key, l.window) // the first creation in a window starts its clock
	ttl := pipe.PTTL(ctx, key)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, fmt.Errorf("share limit: %w", err)
	}
	if incr.Val() <= l.limit {
		return 0, nil
	}
	wait := ttl.Val()
	if wait <= 0 {
		wait = l.window
	}
	return wait, nil
}

// memLimiter is the single-instance fallback when no Redis is configured.
type memLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	now    func() time.Time
	counts map[string]memCount
}

type memCount struct {
	n     int
	reset time.Time
}

func (l *memLimiter) allow(_ context.Context, owner string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.counts) > 10000 { // drop expired windows so the map stays small
		for k, c := range l.counts {
			if !now.Before(c.reset) {
				delete(l.counts, k)
			}
		}
	}
	c := l.counts[owner]
	if !now.Before(c.reset) {
		c = memCount{reset: now.Add(l.window)}
	}
	c.n++
	l.counts[owner] = c
	if c.n <= l.limit {
		return 0, nil
	}
	return c.reset.Sub(now), nil
}
