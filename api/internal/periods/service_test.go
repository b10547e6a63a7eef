package periods

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/posttimes"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/twitter"
)

// fetchFunc stands in for Twitter where a test needs a fetch to block, fail or count; the
// end-to-end behaviour against the emulator is tested in package server.
type fetchFunc func(ctx context.Context, since int64, progress twitter.Progress) (twitter.Fetched, error)

func (f fetchFunc) Fetch(ctx context.Context, _ twitter.Token, _ string, _ time.Time, since int64, progress twitter.Progress) (twitter.Fetched, error) {
	return f(ctx, since, progress)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newService(t *testing.T, srv *redistest.Server, cfg Config, f Fetcher, now func() time.Time) *Service {
	t.Helper()
	rdb := srv.Client()
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = time.Minute
	}
	if cfg.WindowDays == 0 {
		cfg.WindowDays = 28
	}
	return New(cfg, posttimes.NewStore(rdb, 29*24*time.Hour), f, nil, rdb, now, quiet(), nil)
}

// A fetch that dies in a Redis outage cannot release its lock then; if Redis comes back with
// the lock (restored from a snapshot), the owner must still release it, or every request for
// that user waits for the lock's TTL.
func TestLockReleasedAfterRedisComesBack(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client()
	var owner string
	fetcher := fetchFunc(func(ctx context.Context, _ int64, _ twitter.Progress) (twitter.Fetched, error) {
		owner = rdb.Get(ctx, keys.FetchLock("u1")).Val()
		srv.Stop()
		return twitter.Fetched{}, errors.New("redis went away mid-fetch")
	})
	s := newService(t, srv, Config{FetchBound: 15 * time.Second, FirstWait: 5 * time.Second}, fetcher, time.Now)
	if _, err := s.Get(context.Background(), User{ID: "u1"}, time.UTC); err == nil {
		t.Fatal("want the fetch error")
	}
	if owner == "" {
		t.Fatal("the fetch ran without holding the lock")
	}
	srv.Restart()
	if err := rdb.Set(context.Background(), keys.FetchLock("u1"), owner, 30*time.Second).Err(); err != nil {
		t.Fatal(err) // what a snapshot restore would bring back
	}
	deadline := time.Now().Add(25 * time.Second)
	for rdb.Exists(context.Background(), keys.FetchLock("u1")).Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("the dead fetch's lock was still held 25 s after Redis came back (its TTL is 30 s)")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestGetServesStoredTimesAndSharesFetch(t *testing.T) {
	srv := redistest.Start(t)
	var calls atomic.Int32
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	fetcher := fetchFunc(func(context.Context, int64, twitter.Progress) (twitter.Fetched, error) {
		calls.Add(1)
		return twitter.Fetched{NewestID: 9, Times: []int64{now.Add(-time.Hour).UnixMilli(), now.Add(-2 * time.Hour).UnixMilli()}}, nil
	})
	s := newService(t, srv, Config{}, fetcher, func() time.Time { return now })
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	for _, loc := range []*time.Location{time.UTC, time.UTC, tokyo} {
		a, err := s.Get(context.Background(), User{ID: "u1"}, loc)
		if err != nil || a.PostCount != 2 || a.Timezone != loc.String() {
			t.Fatalf("Get(%s) = %d posts in %q, %v", loc, a.PostCount, a.Timezone, err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("three requests (two zones) within CACHE_TTL fetched %d times, want 1", n)
	}
}

// A slow read answers 202 fetching with its progress, keeps going without the request, and the
// next poll gets the analysis.
func TestSlowReadAnswersFetchingAndFinishesInTheBackground(t *testing.T) {
	srv := redistest.Start(t)
	release := make(chan struct{})
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	fetcher := fetchFunc(func(ctx context.Context, _ int64, progress twitter.Progress) (twitter.Fetched, error) {
		progress(200)
		select {
		case <-release:
		case <-ctx.Done():
			return twitter.Fetched{}, ctx.Err()
		}
		return twitter.Fetched{NewestID: 1, Times: []int64{now.Add(-time.Hour).UnixMilli()}}, nil
	})
	s := newService(t, srv, Config{FirstWait: 50 * time.Millisecond}, fetcher, func() time.Time { return now })
	ctx, cancel := context.WithCancel(context.Background())
	_, err := s.Get(ctx, User{ID: "u1"}, time.UTC)
	cancel() // the request is over; the read must go on
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeFetching || e.Fetched != 200 || e.RetryAfter <= 0 {
		t.Fatalf("first view = %v, want 202 fetching with 200 posts read", err)
	}
	close(release)
	deadline := time.Now().Add(30 * time.Second)
	for {
		a, err := s.Get(context.Background(), User{ID: "u1"}, time.UTC)
		if err == nil {
			if a.PostCount != 1 {
				t.Fatalf("analysis after the read = %d posts, want 1", a.PostCount)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %v 30 s after the read could finish", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Shutdown ends a background read that is still running and releases its fetch lock and its
// waiting-room slot before it returns, so another instance can read for that user at once; and
// the cut-short read is not remembered as a failure of Twitter.
func TestShutdownEndsBackgroundReadsAndReleasesTheirHolds(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client()
	started := make(chan struct{})
	fetcher := fetchFunc(func(ctx context.Context, _ int64, _ twitter.Progress) (twitter.Fetched, error) {
		close(started)
		<-ctx.Done() // Twitter is slow; only the read's context ends it
		return twitter.Fetched{}, apperr.TwitterUnavailable(ctx.Err())
	})
	room := &countingRoom{}
	cfg := Config{CacheTTL: time.Minute, WindowDays: 28, FirstWait: 10 * time.Millisecond, FetchBound: time.Hour}
	s := New(cfg, posttimes.NewStore(rdb, 29*24*time.Hour), fetcher, room, rdb, time.Now, quiet(), nil)
	if _, err := s.Get(context.Background(), User{ID: "u1"}, time.UTC); codeOf(err) != apperr.CodeFetching {
		t.Fatalf("first view = %v, want fetching", err)
	}
	<-started
	if rdb.Exists(context.Background(), keys.FetchLock("u1")).Val() != 1 || room.held.Load() != 1 {
		t.Fatal("the running read holds no lock or no slot")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	if rdb.Exists(context.Background(), keys.FetchLock("u1")).Val() != 0 || room.held.Load() != 0 {
		t.Fatalf("after Shutdown: lock held %d, slots held %d; want both released", rdb.Exists(context.Background(), keys.FetchLock("u1")).Val(), room.held.Load())
	}
	if rdb.Exists(context.Background(), keys.FetchFailure("u1")).Val() != 0 {
		t.Error("the read cut short by Shutdown was remembered as Twitter failing")
	}
	if _, err := s.Get(context.Background(), User{ID: "u2"}, time.UTC); codeOf(err) != apperr.CodeAnalysisBusy {
		t.Errorf("a read asked for after Shutdown = %v, want analysis_busy", err)
	}
}

// countingRoom admits everyone and counts the slots held.
type countingRoom struct{ held atomic.Int32 }

func (r *countingRoom) Admit(context.Context, string) (func(), error) {
	r.held.Add(1)
	return func() { r.held.Add(-1) }, nil
}

func (r *countingRoom) Leave(context.Context, string) {}

// A read that fails on Twitter's side is told to the polls that follow, without another read.
func TestFailedReadIsRemembered(t *testing.T) {
	srv := redistest.Start(t)
	var calls atomic.Int32
	fetcher := fetchFunc(func(context.Context, int64, twitter.Progress) (twitter.Fetched, error) {
		calls.Add(1)
		return twitter.Fetched{}, apperr.TwitterUnavailable(errors.New("timeouts"))
	})
	s := newService(t, srv, Config{FailureTTL: time.Minute}, fetcher, time.Now)
	for i := range 3 {
		_, err := s.Get(context.Background(), User{ID: "u1"}, time.UTC)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeTwitterUnavailable || e.RetryAfter <= 0 {
			t.Fatalf("poll %d = %v, want twitter_unavailable with a retry", i+1, err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("three polls after a failed read made %d reads, want 1", n)
	}
}

func TestMergeKeepsTheWindowAndTheCap(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	from := fetchFrom(now, 28)
	in := from.UnixMilli() + 1000
	out := from.UnixMilli() - 1000
	tests := []struct {
		name      string
		stored    posttimes.Record
		ok        bool
		f         twitter.Fetched
		want      []int64
		truncated bool
	}{
		{"first read", posttimes.Record{}, false, twitter.Fetched{NewestID: 5, Times: []int64{in + 2, in}, Truncated: true}, []int64{in, in + 2}, true},
		{"refresh adds new times", posttimes.Record{NewestID: 5, Times: []int64{in}}, true, twitter.Fetched{NewestID: 6, Times: []int64{in + 9}}, []int64{in, in + 9}, false},
		{"old times leave the window", posttimes.Record{NewestID: 5, Times: []int64{out, in}, Truncated: true}, true, twitter.Fetched{NewestID: 5, Times: []int64{}}, []int64{in}, false},
		{"a truncated read stays truncated while its cut is in the window", posttimes.Record{NewestID: 5, Times: []int64{in}, Truncated: true}, true, twitter.Fetched{NewestID: 7, Times: []int64{in + 5}}, []int64{in, in + 5}, true},
		{"a refresh cut by the cap leaves a hole: it starts the record again, truncated", posttimes.Record{NewestID: 5, Times: []int64{in}}, true, twitter.Fetched{NewestID: 9000, Times: []int64{in + 50, in + 40}, Truncated: true}, []int64{in + 40, in + 50}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := merge(tc.stored, tc.ok, tc.f, now, from)
			if !got.FetchedAt.Equal(now) || got.NewestID != tc.f.NewestID || got.Truncated != tc.truncated || len(got.Times) != len(tc.want) {
				t.Fatalf("merge = %+v, want times %v truncated %v", got, tc.want, tc.truncated)
			}
			for i := range tc.want {
				if got.Times[i] != tc.want[i] {
					t.Fatalf("merge times = %v, want %v", got.Times, tc.want)
				}
			}
		})
	}
}

func codeOf(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}
