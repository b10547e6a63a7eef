// Package timeline stores, per user, the Unix times of the posts kept for analysis and the newest
// post id seen, so that the next analysis fetches only what is new (since_id). No post text or
// source is ever stored. One user is one compact binary value under one Redis key with a TTL.
package timeline

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	keyPrefix     = "nezame:timeline:"
	formatVersion = 1
)

// Timeline is what is remembered about one user's posts.
type Timeline struct {
	// NewestID is the id of the newest post seen, kept or dropped as automated; 0 when none.
	NewestID int64
	// Times are the Unix seconds of the kept posts, newest first.
	Times []int64
}

// Prune returns t without the times before from.
func (t Timeline) Prune(from time.Time) Timeline {
	cut := from.Unix()
	kept := make([]int64, 0, len(t.Times))
	for _, ts := range t.Times {
		if ts >= cut {
			kept = append(kept, ts)
		}
	}
	return Timeline{NewestID: t.NewestID, Times: kept}
}

// ErrCorrupt is returned by Decode for a value it cannot read.
var ErrCorrupt = errors.New("timeline: corrupt stored value")

// Encode packs t as a version byte, the newest id, the count, and the times newest first as
// varint deltas (a few bytes per post instead of eight).
func Encode(t Timeline) []byte {
	times := slices.Clone(t.Times)
	slices.SortFunc(times, func(a, b int64) int { return cmp.Compare(b, a) })
	buf := make([]byte, 0, 1+2*binary.MaxVarintLen64+3*len(times))
	buf = append(buf, formatVersion)
	buf = binary.AppendUvarint(buf, uint64(t.NewestID))
	buf = binary.AppendUvarint(buf, uint64(len(times)))
	prev := int64(0)
	for i, ts := range times {
		if i == 0 {
			buf = binary.AppendVarint(buf, ts)
		} else {
			buf = binary.AppendUvarint(buf, uint64(prev-ts))
		}
		prev = ts
	}
	return buf
}

// Decode reverses Encode.
func Decode(b []byte) (Timeline, error) {
	if len(b) == 0 || b[0] != formatVersion {
		return Timeline{}, ErrCorrupt
	}
	b = b[1:]
	newest, n := binary.Uvarint(b)
	if n <= 0 {
		return Timeline{}, ErrCorrupt
	}
	b = b[n:]
	count, n := binary.Uvarint(b)
	// Every time takes at least one byte, which bounds the allocation by the input size.
	if n <= 0 || count > uint64(len(b)-n) {
		return Timeline{}, ErrCorrupt
	}
	b = b[n:]
	t := Timeline{NewestID: int64(newest), Times: make([]int64, 0, count)}
	prev := int64(0)
	for i := uint64(0); i < count; i++ {
		var ts int64
		if i == 0 {
			v, n := binary.Varint(b)
			if n <= 0 {
				return Timeline{}, ErrCorrupt
			}
			ts, b = v, b[n:]
		} else {
			d, n := binary.Uvarint(b)
			if n <= 0 {
				return Timeline{}, ErrCorrupt
			}
			ts, b = prev-int64(d), b[n:]
		}
		t.Times = append(t.Times, ts)
		prev = ts
	}
	if len(b) != 0 {
		return Timeline{}, ErrCorrupt
	}
	return t, nil
}

// Store keeps timelines in Redis.
type Store struct {
	rdb redis.UniversalClient
	ttl time.Duration
}

// NewStore returns a Store whose values expire after ttl (the analysis window plus a margin:
// an older timeline would be pruned to nothing anyway).
func NewStore(rdb redis.UniversalClient, ttl time.Duration) *Store {
	return &Store{rdb: rdb, ttl: ttl}
}

// Key is the Redis key of userID's timeline.
func Key(userID string) string { return keyPrefix + userID }

// Load returns userID's stored timeline; ok is false when there is none. A value that cannot be
// decoded counts as none, so a format change costs one full fetch instead of failing analyses.
func (s *Store) Load(ctx context.Context, userID string) (t Timeline, ok bool, err error) {
	b, err := s.rdb.Get(ctx, Key(userID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Timeline{}, false, nil
	}
	if err != nil {
		return Timeline{}, false, fmt.Errorf("load timeline: %w", err)
	}
	t, err = Decode(b)
	if err != nil {
		return Timeline{}, false, nil
	}
	return t, true, nil
}

// Save replaces userID's stored timeline.
func (s *Store) Save(ctx context.Context, userID string, t Timeline) error {
	if err := s.rdb.Set(ctx, Key(userID), Encode(t), s.ttl).Err(); err != nil {
		return fmt.Errorf("save timeline: %w", err)
	}
	return nil
}
