// Package ratelimit throttles abusable public endpoints per client IP, in Redis so that every
// instance shares the count (GCRA through github.com/go-redis/redis_rate).
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Limits are the named per-IP limits.
type Limits map[string]redis_rate.Limit

// DefaultLimits: sign-in steps are cheap but each costs a Twitter request-token call; an
// archive analysis can carry a million timestamps.
func DefaultLimits() Limits {
	return Limits{
		"auth":    {Rate: 30, Burst: 10, Period: time.Minute},
		"analyze": {Rate: 10, Burst: 5, Period: time.Minute},
	}
}

// Limiter checks requests against Limits.
type Limiter struct {
	rl     *redis_rate.Limiter
	limits Limits
}

// New returns a Limiter on rdb.
func New(rdb redis.UniversalClient, limits Limits) *Limiter {
	return &Limiter{rl: redis_rate.NewLimiter(rdb), limits: limits}
}

// Allow reports whether one more request under limit fits for key.
func (l *Limiter) Allow(ctx context.Context, limit, key string) (bool, time.Duration, error) {
	lim, ok := l.limits[limit]
	if !ok {
		return true, 0, nil
	}
	res, err := l.rl.Allow(ctx, "nezame:ratelimit:"+limit+":"+key, lim)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", limit, err)
	}
	return res.Allowed > 0, res.RetryAfter, nil
}
