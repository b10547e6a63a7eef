// Package budget keeps the Twitter request budget in Redis, shared by every instance of the
// service: the app-wide daily quota of timeline requests, an app-wide block set when Twitter itself
// answers 429 for the app, and a per-user block set when a user's token has no requests left in its
// rate-limit window. A request is reserved here before it is sent, so a request the budget says
// would fail is never sent.
//
// Two things keep the budget honest when things go wrong:
//   - When an app-wide block ends, exactly one request (the probe) is let through; the rest are
//     refused until it answers. If Twitter serves it, the block is lifted for everyone; if Twitter
//     refuses it, a new block is set. Nobody waits on a block Twitter has lifted, and a crowd
//     never hits a Twitter that has not.
//   - A Redis restart without persistence loses the day's count. Each instance counts what it
//     spent itself today and adds it to a day's count it has not contributed to yet (a fresh
//     one after a restart), so the count is rebuilt from the instances that spent it and the
//     quota cannot be spent twice over.
package budget

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/keys"
)

// probeWindow is how long the one request let through at the end of an app block has to answer
// before another may try.
const probeWindow = 30 * time.Second

// blockLinger keeps an expired app block's key a while past its end, so the first request after
// it is recognised as the probe.
const blockLinger = 10 * time.Minute

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
	// Probe marks the one request let through when an app block ended: report its success with
	// ProbeSucceeded.
	Probe bool
}

// Allowed reports whether the request may be sent.
func (r Reservation) Allowed() bool { return r.Reason == OK }

// Budget is the shared request budget. It is safe for concurrent use.
type Budget struct {
	rdb   redis.UniversalClient
	quota int
	now   func() time.Time

	id  string // this instance, in the day's list of contributors
	mu  sync.Mutex
	day string // the UTC day of own
	own int64  // the requests this instance reserved that day
}

// New returns a Budget allowing dailyQuota timeline requests per UTC day across all instances
// that share rdb. now is the clock (injectable for tests).
func New(rdb redis.UniversalClient, dailyQuota int, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	return &Budget{rdb: rdb, quota: dailyQuota, now: now, id: hex.EncodeToString(id[:])}
}

// reserveScript atomically checks the blocks, adds this instance's own spend to a day's count it
// has not contributed to (a fresh count after a Redis restart), and takes one request from the
// count. The day's count is a hash: n, the count, and one field per contributing instance.
// KEYS: day count, app block, user block, probe. ARGV: quota, now (unix ms), count TTL (ms),
// instance id, the instance's own spend today, probe window (ms).
// Returns {reason, remaining, blocked-until unix ms, probe}.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[2])
local ub = redis.call('GET', KEYS[3])
if ub and tonumber(ub) > now then return {3, 0, tonumber(ub), 0} end
local probe = 0
local ab = redis.call('GET', KEYS[2])
if ab then
  if tonumber(ab) > now then return {2, 0, tonumber(ab), 0} end
  if not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[6]) then
    return {2, 0, now + redis.call('PTTL', KEYS[4]), 0}
  end
  probe = 1
end
if redis.call('HSETNX', KEYS[1], 'i:' .. ARGV[4], '1') == 1 then
  redis.call('HINCRBY', KEYS[1], 'n', ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
local quota = tonumber(ARGV[1])
local c = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if c >= quota then
  if probe == 1 then redis.call('DEL', KEYS[4]) end
  return {1, 0, 0, 0}
end
c = redis.call('HINCRBY', KEYS[1], 'n', 1)
return {0, quota - c, 0, probe}
`)

// Reserve takes one request from the app's daily quota for userID (empty for requests that are
// not per user), unless a block or the spent quota says the request would fail.
func (b *Budget) Reserve(ctx context.Context, userID string) (Reservation, error) {
	now := b.now().UTC()
	dayEnd := nextUTCMidnight(now)
	userKey := keys.BudgetUserBlock("-")
	if userID != "" {
		userKey = keys.BudgetUserBlock(userID)
	}
	// A day's counter lives a day past its end so a skewed clock on another instance still
	// sees it; it is never read after that.
	ttl := dayEnd.Add(24 * time.Hour).Sub(now)
	res, err := reserveScript.Run(ctx, b.rdb,
		[]string{keys.BudgetDay(now), keys.BudgetAppBlock, userKey, keys.BudgetProbe},
		b.quota, now.UnixMilli(), ttl.Milliseconds(), b.id, b.spent(now, 0), probeWindow.Milliseconds()).Int64Slice()
	if err != nil {
		return Reservation{}, fmt.Errorf("reserve twitter request: %w", err)
	}
	r := Reservation{Reason: Reason(res[0]), Remaining: int(res[1]), Probe: res[3] == 1}
	switch r.Reason {
	case OK:
		b.spent(now, 1)
	case AppQuota:
		r.Reset = dayEnd
	case AppBlocked, UserBlocked:
		r.Reset = time.UnixMilli(res[2]).UTC()
	}
	return r, nil
}

// spent adds n to this instance's own spend today and returns the total.
func (b *Budget) spent(now time.Time, n int64) int64 {
	day := now.UTC().Format("20060102")
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.day != day {
		b.day, b.own = day, 0
	}
	b.own += n
	return b.own
}

// Remaining reports the app's requests left today and when the count resets. An app-wide block
// (Twitter said 429) counts as nothing left until its end.
func (b *Budget) Remaining(ctx context.Context) (int, time.Time, error) {
	now := b.now().UTC()
	pipe := b.rdb.Pipeline()
	count := pipe.HGet(ctx, keys.BudgetDay(now), "n")
	block := pipe.Get(ctx, keys.BudgetAppBlock)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, time.Time{}, fmt.Errorf("read twitter budget: %w", err)
	}
	if until, ok := parseMillis(block.Val()); ok && until.After(now) {
		return 0, until, nil
	}
	used, _ := strconv.ParseInt(count.Val(), 10, 64)
	return max(b.quota-int(used), 0), nextUTCMidnight(now), nil
}

// BlockApp records that Twitter refused the app until reset, so no instance sends a timeline
// request before then, and only one (the probe) right after.
func (b *Budget) BlockApp(ctx context.Context, until time.Time) error {
	now := b.now()
	if !until.After(now) {
		return nil
	}
	pipe := b.rdb.TxPipeline()
	pipe.Set(ctx, keys.BudgetAppBlock, until.UnixMilli(), until.Sub(now)+blockLinger)
	pipe.Del(ctx, keys.BudgetProbe)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("store twitter app block: %w", err)
	}
	return nil
}

// liftScript removes an ended app block and its probe marker, unless a new block was set since.
var liftScript = redis.NewScript(`
local ab = redis.call('GET', KEYS[1])
if ab and tonumber(ab) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`)

// ProbeSucceeded lifts an ended app block: Twitter served the probe, so everyone may go on.
func (b *Budget) ProbeSucceeded(ctx context.Context) error {
	err := liftScript.Run(ctx, b.rdb, []string{keys.BudgetAppBlock, keys.BudgetProbe}, b.now().UnixMilli()).Err()
	if err != nil {
		return fmt.Errorf("lift twitter app block: %w", err)
	}
	return nil
}

// BlockUser records that userID's token has no requests left until reset.
func (b *Budget) BlockUser(ctx context.Context, userID string, until time.Time) error {
	now := b.now()
	if userID == "" || !until.After(now) {
		return nil
	}
	// The TTL only cleans up; the stored time decides, compared with the injectable clock. A
	// minute of slack keeps the key alive if this instance's clock runs behind Redis's.
	if err := b.rdb.Set(ctx, keys.BudgetUserBlock(userID), until.UnixMilli(), until.Sub(now)+time.Minute).Err(); err != nil {
		return fmt.Errorf("store twitter user block: %w", err)
	}
	return nil
}

func nextUTCMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

func parseMillis(v string) (time.Time, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(n).UTC(), true
}
