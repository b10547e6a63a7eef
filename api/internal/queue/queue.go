// Package queue is nezame's waiting room: admission control in front of analyses that need
// Twitter. When the fetches in flight across all instances reach the capacity, a user gets a
// ticket in a FIFO queue kept in Redis and is told their position until admitted. The line always
// moves: every slot is freed when its fetch ends (or after SlotTTL if an instance died). A spent
// Twitter budget is not a reason to queue anyone — that line could not move until the budget
// resets, so it is answered as what it is (429 rate_limited with the reset time) by the fetch
// itself. Tickets of browsers that stopped polling expire, so an abandoned tab never holds a
// place. Cached analyses never reach here.
package queue

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/keys"
)

// Config tunes the waiting room.
type Config struct {
	// Capacity is how many fetches may run at once across all instances.
	Capacity int
	// TicketTTL is how long a ticket survives without a poll.
	TicketTTL time.Duration
	// SlotTTL bounds how long a crashed instance's admitted fetch occupies a slot. It must
	// exceed the longest an alive fetch runs (periods.Config.HoldTTL), or a slow fetch loses
	// its slot and the room admits one more than Capacity. Default 2 min.
	SlotTTL time.Duration
	// FetchTime is the typical duration of a fetch, for the ETA.
	FetchTime time.Duration
}

// Room is the waiting room.
type Room struct {
	cfg Config
	rdb redis.UniversalClient
	now func() time.Time
	log *slog.Logger
}

// New returns a Room.
func New(cfg Config, rdb redis.UniversalClient, now func() time.Time, log *slog.Logger) *Room {
	if cfg.TicketTTL <= 0 {
		cfg.TicketTTL = 30 * time.Second
	}
	if cfg.SlotTTL <= 0 {
		cfg.SlotTTL = 2 * time.Minute
	}
	if cfg.FetchTime <= 0 {
		cfg.FetchTime = 2 * time.Second
	}
	return &Room{cfg: cfg, rdb: rdb, now: now, log: log}
}

// admitScript atomically expires stale tickets and slots, enqueues the user if new, refreshes
// their ticket, and admits them if they are within the free slots.
// Returns {1, 0} when admitted, {0, position} otherwise (1-based).
var admitScript = redis.NewScript(`
local now = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local stale = now - tonumber(ARGV[4])
local slotExpiry = now + tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
local gone = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", stale, "LIMIT", 0, 200)
for _, u in ipairs(gone) do
  redis.call("ZREM", KEYS[1], u)
  redis.call("ZREM", KEYS[2], u)
end
redis.call("ZREMRANGEBYSCORE", KEYS[3], "-inf", now)
local user = ARGV[1]
if redis.call("ZSCORE", KEYS[3], user) then
  redis.call("ZADD", KEYS[3], slotExpiry, user)
  return {1, 0}
end
if not redis.call("ZSCORE", KEYS[1], user) then
  redis.call("ZADD", KEYS[1], redis.call("INCR", KEYS[4]), user)
end
redis.call("ZADD", KEYS[2], now, user)
local rank = redis.call("ZRANK", KEYS[1], user)
local free = capacity - redis.call("ZCARD", KEYS[3])
for _, k in ipairs(KEYS) do redis.call("PEXPIRE", k, ttl) end
if rank < free then
  redis.call("ZREM", KEYS[1], user)
  redis.call("ZREM", KEYS[2], user)
  redis.call("ZADD", KEYS[3], slotExpiry, user)
  return {1, 0}
end
return {0, rank + 1}
`)

// Admit admits userID's fetch now, or returns an *apperr.Error of kind Queued with the position
// and when to poll again. The release func must be called when the fetch ends.
func (r *Room) Admit(ctx context.Context, userID string) (func(), error) {
	now := r.now().UnixMilli()
	// Every key lives at least a day past the last activity; the script refreshes the TTLs.
	res, err := admitScript.Run(ctx, r.rdb, []string{keys.QueueTickets, keys.QueueSeen, keys.QueueSlots, keys.QueueSeq},
		userID, now, r.cfg.Capacity, r.cfg.TicketTTL.Milliseconds(), r.cfg.SlotTTL.Milliseconds(),
		(24 * time.Hour).Milliseconds()).Int64Slice()
	if err != nil {
		return nil, apperr.StorageUnavailable(fmt.Errorf("waiting room: admit: %w", err))
	}
	if res[0] == 1 {
		return func() { r.release(userID) }, nil
	}
	pos := int(res[1])
	return nil, apperr.Queued(pos, r.eta(pos))
}

// eta is when the browser should poll again: about when its turn could come, but soon enough
// that its ticket does not expire (it must poll within TicketTTL).
func (r *Room) eta(pos int) time.Duration {
	d := time.Duration(pos) * r.cfg.FetchTime / time.Duration(max(r.cfg.Capacity, 1))
	return min(max(d, time.Second), r.cfg.TicketTTL/2)
}

// Leave removes userID's ticket: they were served another way and will not poll for it.
func (r *Room) Leave(ctx context.Context, userID string) {
	if err := r.rdb.ZRem(ctx, keys.QueueTickets, userID).Err(); err != nil {
		r.log.Warn("waiting room: leave", "err", err) // the ticket expires by itself
	}
	_ = r.rdb.ZRem(ctx, keys.QueueSeen, userID).Err()
}

func (r *Room) release(userID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := r.rdb.ZRem(ctx, keys.QueueSlots, userID).Err(); err != nil {
		// The slot expires by itself after SlotTTL.
		r.log.Warn("waiting room: release slot", "err", err)
	}
}

// Length is the number of tickets waiting (for metrics and the runbook).
func (r *Room) Length(ctx context.Context) (int64, error) {
	return r.rdb.ZCard(ctx, keys.QueueTickets).Result()
}
