// Package budget keeps the Twitter request budget in Redis, shared by every instance of the
// service: the app-wide daily quota of timeline requests, an app-wide block set when Twitter itself
// answers 429 for the app, and a per-user block set when a user's token has no requests left in its
// rate-limit window. A request is reserved here before it is sent, so a request the budget says
// would fail is never sent.
package budget

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Key layout. The app keys share the {app} hash tag so that the reservation script, which touches
// two of them, also runs on a Redis Cluster.
const (
	appCountPrefix = "nezame:budget:{app}:day:" // + YYYYMMDD (UTC), the day's request count
	appBlockKey    = "nezame:budget:{app}:blocked_until"
	userBlockPref  = "nezame:ratelimit:user:" // + user id
)

// Reason says why a reservation was refused.
type Reason int

// Reasons a reservation can be refused.
const (
	OK          Reason = iota // reserved
	AppQuota                  // the app's daily quota is spent
	AppBlocked                // Twitter answered 429 for the app; blocked until its reset
	UserBlocked               // the user's token has no requests left until its reset
)

func (r Reason) String() string {
	switch r {
	case OK:
		return "ok"
	case AppQuota:
		return "app_quota"
	case AppBlocked:
		return "app_blocked"
	case UserBlocked:
		return "user_blocked"
	}
	return "unknown"
}

// Reservation is the outcome of Reserve.
type Reservation struct {
	Reason    Reason
	Remaining int       // app requests left today after this reservation
	Reset     time.Time // when a refused reservation may succeed again
}

// Allowed reports whether the request may be sent.
func (r Reservation) Allowed() bool { return r.Reason == OK }

// Budget is the shared request budget. It is safe for concurrent use.
type Budget struct {
	rdb   redis.UniversalClient
	quota int
	now   func() time.Time
}

// New returns a Budget allowing dailyQuota timeline requests per UTC day across all instances
// that share rdb. now is the clock (injectable for tests).
func New(rdb redis.UniversalClient, dailyQuota int, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	return &Budget{rdb: rdb, quota: dailyQuota, now: now}
}

// reserveScript atomically checks the blocks and takes one request from the day's count.
// KEYS: day count, app block, user block (may be a dummy key). ARGV: quota, now (unix ms),
// count TTL (ms). Returns {reason, remaining, blocked-until unix ms}.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[2])
local ub = redis.call('GET', KEYS[3])
if ub and tonumber(ub) > now then return {3, 0, tonumber(ub)} end
local ab = redis.call('GET', KEYS[2])
if ab and tonumber(ab) > now then return {2, 0, tonumber(ab)} end
local quota = tonumber(ARGV[1])
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c >= quota then return {1, 0, 0} end
c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {0, quota - c, 0}
`)

// Reserve takes one request from the app's daily quota for userID (empty for requests that are
// not per user), unless a block or the spent quota says the request would fail.
func (b *Budget) Reserve(ctx context.Context, userID string) (Reservation, error) {
	now := b.now().UTC()
	dayEnd := nextUTCMidnight(now)
	userKey := userBlockPref + "-"
	if userID != "" {
		userKey = userBlockPref + userID
	}
	// A day's counter lives a day past its end so a skewed clock on another instance still
	// sees it; it is never read after that.
	ttl := dayEnd.Add(24 * time.Hour).Sub(now)
	res, err := reserveScript.Run(ctx, b.rdb,
		[]string{dayKey(now), appBlockKey, userKey},
		b.quota, now.UnixMilli(), ttl.Milliseconds()).Int64Slice()
	if err != nil {
		return Reservation{}, fmt.Errorf("reserve twitter request: %w", err)
	}
	r := Reservation{Reason: Reason(res[0]), Remaining: int(res[1])}
	switch r.Reason {
	case AppQuota:
		r.Reset = dayEnd
	case AppBlocked, UserBlocked:
		r.Reset = time.UnixMilli(res[2]).UTC()
	}
	return r, nil
}

// Remaining reports the app's requests left today and when the count resets. An app-wide block
// (Twitter said 429) counts as nothing left until its end.
func (b *Budget) Remaining(ctx context.Context) (int, time.Time, error) {
	now := b.now().UTC()
	vals, err := b.rdb.MGet(ctx, dayKey(now), appBlockKey).Result()
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("read twitter budget: %w", err)
	}
	if until, ok := parseMillis(vals[1]); ok && until.After(now) {
		return 0, until, nil
	}
	used, _ := strconv.Atoi(str(vals[0]))
	left := b.quota - used
	if left < 0 {
		left = 0
	}
	return left, nextUTCMidnight(now), nil
}

// BlockApp records that Twitter refused the app until reset, so no instance sends a timeline
// request before then.
func (b *Budget) BlockApp(ctx context.Context, until time.Time) error {
	return b.block(ctx, appBlockKey, until)
}

// BlockUser records that userID's token has no requests left until reset.
func (b *Budget) BlockUser(ctx context.Context, userID string, until time.Time) error {
	if userID == "" {
		return nil
	}
	return b.block(ctx, userBlockPref+userID, until)
}

func (b *Budget) block(ctx context.Context, key string, until time.Time) error {
	now := b.now()
	if !until.After(now) {
		return nil
	}
	// The TTL only cleans up; the stored time decides, compared with the injectable clock. A
	// minute of slack keeps the key alive if this instance's clock runs behind Redis's.
	ttl := until.Sub(now) + time.Minute
	if err := b.rdb.Set(ctx, key, until.UnixMilli(), ttl).Err(); err != nil {
		return fmt.Errorf("store twitter rate-limit block: %w", err)
	}
	return nil
}

func dayKey(t time.Time) string { return appCountPrefix + t.UTC().Format("20060102") }

func nextUTCMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func parseMillis(v any) (time.Time, bool) {
	n, err := strconv.ParseInt(str(v), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(n).UTC(), true
}
