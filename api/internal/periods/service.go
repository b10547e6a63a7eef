// Package periods produces a signed-in user's Analysis for GET /api/periods. A cached analysis
// is served straight from Redis; on a miss, concurrent requests for one user share one Twitter
// fetch within an instance (singleflight) and across instances (a Redis lock with a bounded
// wait), and the fetched timestamps are kept for CACHE_TTL so other zones cost no calls.
package periods

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/logging"
	"github.com/nezame/nezame/api/internal/metrics"
	"github.com/nezame/nezame/api/internal/twitter"
)

// Fetcher reads a user's posts of the analysis window (twitter.Client).
type Fetcher interface {
	FetchPosts(ctx context.Context, tok twitter.Token, userID string) ([]analyzer.Post, twitter.FetchStats, error)
	// StoredPosts returns what earlier fetches stored, without calling Twitter.
	StoredPosts(ctx context.Context, userID string) ([]analyzer.Post, bool, error)
}

// Admission decides whether a fetch may start now (the waiting room). Admit returns a release
// func when admitted, or an *apperr.Error of kind Queued with the position; Leave gives up a
// ticket (the user was served another way).
type Admission interface {
	Admit(ctx context.Context, userID string) (release func(), err error)
	Leave(ctx context.Context, userID string)
}

// Config tunes the service.
type Config struct {
	CacheTTL   time.Duration
	WindowDays int
	// LockTTL bounds how long a crashed instance's lock blocks others; LockWait bounds how long a
	// request waits for another instance's fetch before answering 503 with Retry-After.
	LockTTL, LockWait time.Duration
	// StaleTTL is how long an analysis of stored (not refreshed) posts is cached when a refresh
	// could not run (waiting room, budget spent, Twitter down); then a refresh is tried again.
	StaleTTL time.Duration
}

// Service serves analyses.
type Service struct {
	cfg     Config
	rdb     redis.UniversalClient
	fetcher Fetcher
	admit   Admission
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics.Metrics
	group   singleflight.Group
}

// New returns a Service. admit may be nil (no waiting room).
func New(cfg Config, rdb redis.UniversalClient, f Fetcher, admit Admission, now func() time.Time, log *slog.Logger, m *metrics.Metrics) *Service {
	if cfg.LockTTL == 0 {
		cfg.LockTTL = 60 * time.Second
	}
	if cfg.LockWait == 0 {
		cfg.LockWait = 20 * time.Second
	}
	if cfg.StaleTTL == 0 {
		cfg.StaleTTL = min(30*time.Second, cfg.CacheTTL)
	}
	if m == nil {
		m = metrics.New()
	}
	return &Service{cfg: cfg, rdb: rdb, fetcher: f, admit: admit, now: now, log: log, metrics: m}
}

func analysisKey(userID, tz string, windowDays int) string {
	return fmt.Sprintf("nezame:analysis:%s:%s:%d", userID, tz, windowDays)
}
func postsKey(userID string) string { return "nezame:posts:" + userID }
func lockKey(userID string) string  { return "nezame:lock:fetch:" + userID }

// Cached returns the cached analysis JSON for the user and zone, or nil. This is the hot path:
// one Redis GET, no decoding.
func (s *Service) Cached(ctx context.Context, userID string, loc *time.Location) ([]byte, error) {
	b, err := s.rdb.Get(ctx, analysisKey(userID, loc.String(), s.cfg.WindowDays)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cached analysis: %w", err)
	}
	return b, nil
}

// Get returns the user's analysis JSON in loc, from the cache or freshly computed.
func (s *Service) Get(ctx context.Context, userID string, tok twitter.Token, loc *time.Location) ([]byte, error) {
	if b, err := s.Cached(ctx, userID, loc); err != nil || b != nil {
		if b != nil {
			s.metrics.Analyses.WithLabelValues("cache").Inc()
		}
		return b, err
	}
	// The shared fetch must not die with the first caller's request: detach it from that
	// request's cancellation but keep a bound of its own.
	ch := s.group.DoChan(userID, func() (v any, err error) {
		// DoChan re-panics on its own goroutine, where nothing can recover: a bug here would
		// take the whole instance down. Turn it into an error for this request instead.
		defer func() {
			if r := recover(); r != nil {
				// CRITICAL with a "panic" message: what the panic alert policy matches.
				s.log.Log(ctx, logging.LevelCritical, "panic: fetch posts", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = apperr.New(apperr.Internal, "internal", "Something went wrong on our side.")
			}
		}()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.LockWait+s.cfg.LockTTL)
		defer cancel()
		return s.posts(fctx, userID, tok)
	})
	var got fetched
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for analysis: %w", ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		got = r.Val.(fetched)
	}
	ms := got.ms
	now := s.now().In(loc)
	y, m, d := now.Date()
	from := time.Date(y, m, d-(s.cfg.WindowDays-1), 0, 0, 0, 0, loc)
	a := analyzer.AnalyzeTimes(ms, loc, analyzer.Window{From: from, To: now})
	b, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode analysis: %w", err)
	}
	ttl, source := s.cfg.CacheTTL, "fetch"
	if got.stale {
		ttl, source = s.cfg.StaleTTL, "stale"
	}
	if err := s.rdb.Set(ctx, analysisKey(userID, loc.String(), s.cfg.WindowDays), b, ttl).Err(); err != nil {
		// The analysis is good; failing to cache it only costs a recomputation.
		s.log.Warn("cache analysis", "err", err)
	}
	s.metrics.Analyses.WithLabelValues(source).Inc()
	return b, nil
}

// fetched is the shared result of one user's fetch: post times, and whether they are the
// stored ones because a refresh could not run.
type fetched struct {
	ms    []int64
	stale bool
}

// posts returns the user's post times (Unix ms) of the window: from the short-lived cache, or by
// fetching under a cross-instance lock, or by waiting for the instance that holds the lock.
func (s *Service) posts(ctx context.Context, userID string, tok twitter.Token) (fetched, error) {
	deadline := time.Now().Add(s.cfg.LockWait)
	wait := 25 * time.Millisecond
	for {
		if ms, ok, err := s.cachedPosts(ctx, userID); err != nil || ok {
			return fetched{ms: ms}, err
		}
		owner := lockOwner()
		got, err := s.rdb.SetNX(ctx, lockKey(userID), owner, s.cfg.LockTTL).Result()
		if err != nil {
			return fetched{}, fmt.Errorf("take fetch lock: %w", err)
		}
		if got {
			defer s.unlock(userID, owner, time.Now())
			// Another instance may have finished between our cache check and the lock.
			if ms, ok, err := s.cachedPosts(ctx, userID); err != nil || ok {
				return fetched{ms: ms}, err
			}
			return s.fetch(ctx, userID, tok)
		}
		if time.Now().After(deadline) {
			e := apperr.New(apperr.Unavailable, "analysis_busy", "Your calendar is still being prepared. Trying again shortly.")
			e.RetryAfter = 2 * time.Second
			return fetched{}, e
		}
		select {
		case <-ctx.Done():
			return fetched{}, fmt.Errorf("wait for another instance's fetch: %w", ctx.Err())
		case <-time.After(wait):
		}
		if wait < 200*time.Millisecond {
			wait *= 2
		}
	}
}

func (s *Service) fetch(ctx context.Context, userID string, tok twitter.Token) (fetched, error) {
	if s.admit != nil {
		release, err := s.admit.Admit(ctx, userID)
		if err != nil {
			if f, ok := s.stale(ctx, userID, err); ok {
				s.admit.Leave(ctx, userID) // served: the ticket must not hold a place in line
				return f, nil
			}
			return fetched{}, err
		}
		defer release()
	}
	posts, stats, err := s.fetcher.FetchPosts(ctx, tok, userID)
	if err != nil {
		if f, ok := s.stale(ctx, userID, err); ok {
			return f, nil
		}
		return fetched{}, err
	}
	s.metrics.PostsRead.Observe(float64(stats.PostsRead))
	ms := make([]int64, len(posts))
	for i, p := range posts {
		ms[i] = p.Time.UnixMilli()
	}
	if err := s.rdb.Set(ctx, postsKey(userID), encodeTimes(ms), s.cfg.CacheTTL).Err(); err != nil {
		s.log.Warn("cache fetched post times", "err", err)
	}
	return fetched{ms: ms}, nil
}

// stale answers a refresh that could not run — queued, Twitter's budget spent, Twitter down —
// with the posts stored by the user's last fetch, when there is one: a returning user sees their
// last known calendar instead of a queue. Briefly cached, so a real refresh is tried again soon.
func (s *Service) stale(ctx context.Context, userID string, cause error) (fetched, bool) {
	e, ok := apperr.As(cause)
	if !ok || (e.Kind != apperr.Queued && e.Kind != apperr.RateLimited && e.Kind != apperr.Unavailable) {
		return fetched{}, false
	}
	posts, ok, err := s.fetcher.StoredPosts(ctx, userID)
	if err != nil || !ok {
		return fetched{}, false
	}
	ms := make([]int64, len(posts))
	for i, p := range posts {
		ms[i] = p.Time.UnixMilli()
	}
	if err := s.rdb.Set(ctx, postsKey(userID), encodeTimes(ms), s.cfg.StaleTTL).Err(); err != nil {
		s.log.Warn("cache stored post times", "err", err)
	}
	s.log.Info("served stored posts", "userId", userID, "because", e.Code)
	return fetched{ms: ms, stale: true}, true
}

func (s *Service) cachedPosts(ctx context.Context, userID string) ([]int64, bool, error) {
	b, err := s.rdb.Get(ctx, postsKey(userID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read cached post times: %w", err)
	}
	ms, err := decodeTimes(b)
	if err != nil {
		return nil, false, nil // unreadable: refetch
	}
	return ms, true, nil
}

// unlockScript deletes the lock only if we still own it (it may have expired and been taken).
var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// unlock releases the fetch lock. If Redis is unreachable right then (an outage or a restart
// that may bring the lock back from a snapshot), it keeps trying in the background until the
// lock would have expired anyway, so other users are not left waiting for a dead fetch.
func (s *Service) unlock(userID, owner string, taken time.Time) {
	try := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return unlockScript.Run(ctx, s.rdb, []string{lockKey(userID)}, owner).Err()
	}
	if err := try(); err == nil {
		return
	}
	go func() {
		deadline := taken.Add(s.cfg.LockTTL)
		for wait := 250 * time.Millisecond; time.Now().Before(deadline); wait = min(wait*2, 2*time.Second) {
			time.Sleep(wait)
			if err := try(); err == nil {
				return
			}
		}
		s.log.Warn("fetch lock not released; it expires by itself", "userId", userID)
	}()
}

func lockOwner() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// encodeTimes stores post times as varint deltas: 3,200 posts take about 10 KB.
func encodeTimes(ms []int64) []byte {
	buf := make([]byte, 0, len(ms)*3+binary.MaxVarintLen64)
	prev := int64(0)
	for _, t := range ms {
		buf = binary.AppendVarint(buf, t-prev)
		prev = t
	}
	return buf
}

func decodeTimes(b []byte) ([]int64, error) {
	var out []int64
	prev := int64(0)
	for len(b) > 0 {
		d, n := binary.Varint(b)
		if n <= 0 {
			return nil, errors.New("corrupt post times")
		}
		prev += d
		out = append(out, prev)
		b = b[n:]
	}
	return out, nil
}
