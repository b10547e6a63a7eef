package periods

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/twitter"
)

type fetchFunc func(ctx context.Context) ([]analyzer.Post, error)

func (f fetchFunc) FetchPosts(ctx context.Context, _ twitter.Token, _ string) ([]analyzer.Post, twitter.FetchStats, error) {
	p, err := f(ctx)
	return p, twitter.FetchStats{}, err
}

func (f fetchFunc) StoredPosts(context.Context, string) ([]analyzer.Post, bool, error) {
	return nil, false, nil
}

// A fetch that dies in a Redis outage cannot release its lock then; if Redis comes back with
// the lock (restored from a snapshot), the owner must still release it, or every request for
// that user waits for the lock's TTL.
func TestLockReleasedAfterRedisComesBack(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client()
	var owner string
	fetcher := fetchFunc(func(ctx context.Context) ([]analyzer.Post, error) {
		owner = rdb.Get(ctx, lockKey("u1")).Val()
		srv.Stop()
		return nil, errors.New("redis went away mid-fetch")
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := New(Config{CacheTTL: time.Minute, WindowDays: 28, LockTTL: 30 * time.Second}, rdb, fetcher, nil, time.Now, log, nil)
	if _, err := s.Get(context.Background(), "u1", twitter.Token{}, time.UTC); err == nil {
		t.Fatal("want the fetch error")
	}
	if owner == "" {
		t.Fatal("the fetch ran without holding the lock")
	}
	srv.Restart()
	if err := rdb.Set(context.Background(), lockKey("u1"), owner, 30*time.Second).Err(); err != nil {
		t.Fatal(err) // what a snapshot restore would bring back
	}
	deadline := time.Now().Add(5 * time.Second)
	for rdb.Exists(context.Background(), lockKey("u1")).Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("the dead fetch's lock was still held 5 s after Redis came back (its TTL is 30 s)")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestGetServesCacheAndSharesFetch(t *testing.T) {
	srv := redistest.Start(t)
	calls := 0
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	fetcher := fetchFunc(func(context.Context) ([]analyzer.Post, error) {
		calls++
		return []analyzer.Post{{Time: now.Add(-2 * time.Hour)}, {Time: now.Add(-time.Hour)}}, nil
	})
	s := New(Config{CacheTTL: time.Minute, WindowDays: 28}, srv.Client(), fetcher, nil,
		func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	for _, loc := range []*time.Location{time.UTC, time.UTC, tokyo} {
		b, err := s.Get(context.Background(), "u1", twitter.Token{}, loc)
		if err != nil || len(b) == 0 {
			t.Fatalf("Get(%s) = %q, %v", loc, b, err)
		}
	}
	if calls != 1 {
		t.Fatalf("three requests (two zones) within CACHE_TTL fetched %d times, want 1", calls)
	}
}
