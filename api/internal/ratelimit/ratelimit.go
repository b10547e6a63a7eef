// Package ratelimit throttles abusable public endpoints per client IP, in Redis so that every
// instance shares the count (GCRA through github.com/go-redis/redis_rate).
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/keys"
)

// Limits are the named per-IP limits.
type Limits map[string]redis_rate.Limit

// DefaultLimits are the production limits.
//
//   - signin counts sign-ins an address started and has not finished: each one costs a Twitter
//     request_token call, and a finished one is refunded (Refund). A campus or a mobile carrier's
//     NAT is one address for many people, so the limit is on what is abused, not on people: any
//     number of them can sign in; the address may hold 120 unfinished sign-ins at once (people
//     on Twitter's consent page) and leave 30 a minute unfinished. Someone asking for request
//     tokens they never use gets 120, then one every two seconds.
//   - analyze: an archive analysis can carry a million timestamps.
//   - share, share_preview: each creation or preview of a share card is a render; creations are
//     also limited per person (share_owner, checked by the share service), so one address (a
//     household, an office) may make more than one person.
//   - share_delete: each deletion reads the share's record from storage; a person clearing
//     "My shares" deletes a few dozen at most, and a script with a token needs no more.
func DefaultLimits() Limits {
	return Limits{
		"signin":        {Rate: 30, Burst: 120, Period: time.Minute},
		"analyze":       {Rate: 10, Burst: 5, Period: time.Minute},
		"share":         {Rate: 60, Burst: 20, Period: time.Hour},
		"share_preview": {Rate: 30, Burst: 10, Period: time.Minute},
		"share_owner":   {Rate: 10, Burst: 10, Period: time.Hour},
		"share_delete":  {Rate: 60, Burst: 30, Period: time.Minute},
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
	res, err := l.rl.Allow(ctx, keys.RateLimit(limit, key), lim)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", limit, err)
	}
	return res.Allowed > 0, res.RetryAfter, nil
}

// Refund gives back one request under limit for key, for work that turned out not to be the
// abuse the limit is about (a sign-in that was completed).
func (l *Limiter) Refund(ctx context.Context, limit, key string) error {
	lim, ok := l.limits[limit]
	if !ok {
		return nil
	}
	if _, err := l.rl.AllowN(ctx, keys.RateLimit(limit, key), lim, -1); err != nil {
		return fmt.Errorf("refund rate limit %s: %w", limit, err)
	}
	return nil
}
