// Package posttimes stores, per user, what nezame remembers of their posts: the times of the
// posts kept for analysis (Unix milliseconds), the newest post id seen (so the next fetch asks
// only for newer posts, since_id), when Twitter was last read, and whether that read stopped at
// Twitter's 3,200-post cap. No post text or source is ever stored. One user is one compact,
// versioned binary value under one Redis key with a TTL; it is the only stored form of a post
// time.
package posttimes

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/keys"
)

// formatVersion is the codec's first byte. A value of any other version reads as absent, which
// costs one full fetch after a format change instead of failing analyses.
const formatVersion = 2

const flagTruncated = 1

// Record is what is remembered about one user's posts.
type Record struct {
	// FetchedAt is when Twitter was last read for this user.
	FetchedAt time.Time
	// NewestID is the id of the newest post seen, kept or dropped as automated; 0 when none.
	NewestID int64
	// Truncated says the fetch that read the oldest stored posts stopped at the 3,200-post cap
	// before reaching the window's start: older posts exist that Twitter would not return.
	Truncated bool
	// Times are the Unix milliseconds of the kept posts, oldest first.
	Times []int64
}

// Since returns r without the times before from (Unix ms). Dropping a time means the window now
// starts after the cap's cut, so the record is no longer truncated within it.
func (r Record) Since(from int64) Record {
	i, _ := slices.BinarySearch(r.Times, from)
	out := r
	out.Times = r.Times[i:]
	if i > 0 {
		out.Truncated = false
	}
	return out
}

// ErrCorrupt is returned by Decode for a value it cannot read.
var ErrCorrupt = errors.New("posttimes: corrupt stored value")

// Encode packs r as a version byte, a flags byte, the fetch time, the newest id, the count, and
// the times oldest first: the first as a varint, the rest as unsigned deltas (a few bytes per
// post instead of eight). Times must be sorted; Encode sorts a copy if they are not.
func Encode(r Record) []byte {
	times := r.Times
	if !slices.IsSorted(times) {
		times = slices.Sorted(slices.Values(times))
	}
	buf := make([]byte, 0, 2+3*binary.MaxVarintLen64+3*len(times))
	flags := byte(0)
	if r.Truncated {
		flags |= flagTruncated
	}
	buf = append(buf, formatVersion, flags)
	buf = binary.AppendVarint(buf, r.FetchedAt.UnixMilli())
	buf = binary.AppendUvarint(buf, uint64(r.NewestID))
	buf = binary.AppendUvarint(buf, uint64(len(times)))
	prev := int64(0)
	for i, t := range times {
		if i == 0 {
			buf = binary.AppendVarint(buf, t)
		} else {
			buf = binary.AppendUvarint(buf, uint64(t-prev))
		}
		prev = t
	}
	return buf
}

// Decode reverses Encode.
func Decode(b []byte) (Record, error) {
	if len(b) < 2 || b[0] != formatVersion || b[1]&^flagTruncated != 0 {
		return Record{}, ErrCorrupt
	}
	r := Record{Truncated: b[1]&flagTruncated != 0}
	b = b[2:]
	fetched, n := binary.Varint(b)
	if n <= 0 {
		return Record{}, ErrCorrupt
	}
	r.FetchedAt, b = time.UnixMilli(fetched).UTC(), b[n:]
	newest, n := binary.Uvarint(b)
	if n <= 0 || newest > 1<<63-1 {
		return Record{}, ErrCorrupt
	}
	r.NewestID, b = int64(newest), b[n:]
	count, n := binary.Uvarint(b)
	// Every time takes at least one byte, which bounds the allocation by the input size.
	if n <= 0 || count > uint64(len(b)-n) {
		return Record{}, ErrCorrupt
	}
	b = b[n:]
	r.Times = make([]int64, 0, count)
	prev := int64(0)
	for i := uint64(0); i < count; i++ {
		var t int64
		if i == 0 {
			v, n := binary.Varint(b)
			if n <= 0 {
				return Record{}, ErrCorrupt
			}
			t, b = v, b[n:]
		} else {
			d, n := binary.Uvarint(b)
			if n <= 0 || d > 1<<62 {
				return Record{}, ErrCorrupt
			}
			t, b = prev+int64(d), b[n:]
			if t < prev {
				return Record{}, ErrCorrupt
			}
		}
		r.Times = append(r.Times, t)
		prev = t
	}
	if len(b) != 0 {
		return Record{}, ErrCorrupt
	}
	return r, nil
}

// Store keeps records in Redis.
type Store struct {
	rdb redis.UniversalClient
	ttl time.Duration
}

// NewStore returns a Store whose values expire after ttl (the analysis window plus a margin:
// an older record would be pruned to nothing anyway).
func NewStore(rdb redis.UniversalClient, ttl time.Duration) *Store {
	return &Store{rdb: rdb, ttl: ttl}
}

// Load returns userID's stored record; ok is false when there is none. A value that cannot be
// decoded counts as none, so a format change costs one full fetch instead of failing analyses.
// A Redis failure is an apperr storage_unavailable.
func (s *Store) Load(ctx context.Context, userID string) (r Record, ok bool, err error) {
	b, err := s.rdb.Get(ctx, keys.PostTimes(userID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, apperr.StorageUnavailable(fmt.Errorf("load post times: %w", err))
	}
	r, err = Decode(b)
	if err != nil {
		return Record{}, false, nil
	}
	return r, true, nil
}

// Save replaces userID's stored record.
func (s *Store) Save(ctx context.Context, userID string, r Record) error {
	if err := s.rdb.Set(ctx, keys.PostTimes(userID), Encode(r), s.ttl).Err(); err != nil {
		return apperr.StorageUnavailable(fmt.Errorf("save post times: %w", err))
	}
	return nil
}
