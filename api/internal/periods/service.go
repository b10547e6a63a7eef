// Package periods produces a signed-in user's Analysis: GET /api/periods and the share cards
// call Get. It keeps the corridor short: the user's stored post times (package posttimes) when
// they are fresh, else a read of what is new from Twitter (package twitter), then the analyzer.
//
// A read of Twitter runs in the background, detached from the request that started it and
// bounded by FetchBound; a request waits for it at most FirstWait and otherwise answers 202
// fetching with the posts read so far (the UI polls). Concurrent requests for one user share one
// read within an instance (singleflight) and across instances (a Redis lock: the other instances
// follow the lock holder's progress and result). A read that fails on Twitter's side is
// remembered briefly, so the polls that follow are told so instead of starting a read each.
// Shutdown ends the reads still running and frees their lock and waiting-room slot, so another
// instance can take over at once.
package periods

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/bsm/redislock"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/logging"
	"github.com/nezame/nezame/api/internal/metrics"
	"github.com/nezame/nezame/api/internal/posttimes"
	"github.com/nezame/nezame/api/internal/twitter"
)

// User is whose analysis is asked for: their id and the access token to read their posts with.
type User struct {
	ID    string
	Token twitter.Token
}

// Result is an analysis and how long it stays true: the post times under it are fresh until
// Expires (CACHE_TTL after they were read, or a short StaleTTL when a refresh could not run).
type Result struct {
	Analysis analyzer.Analysis
	Expires  time.Time
}

// PostStore keeps users' post times (posttimes.Store).
type PostStore interface {
	Load(ctx context.Context, userID string) (posttimes.Record, bool, error)
	Save(ctx context.Context, userID string, r posttimes.Record) error
}

// Fetcher reads a user's posts from Twitter (twitter.Client).
type Fetcher interface {
	Fetch(ctx context.Context, tok twitter.Token, userID string, from time.Time, sinceID int64, progress twitter.Progress) (twitter.Fetched, error)
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
	// StaleTTL is how long an analysis of stored (not refreshed) posts is good for when a refresh
	// could not run (waiting room, budget spent, Twitter down or slow); then a refresh is tried
	// again. Default min(30s, CacheTTL).
	StaleTTL time.Duration
	// FirstWait is how long a request waits for a read of Twitter before answering 202 fetching
	// (or, for a returning user, their stored calendar). Default 800ms.
	FirstWait time.Duration
	// FetchBound is the longest a background read may run, retries and waiting room included.
	// Default 90s.
	FetchBound time.Duration
	// FailureTTL is how long a read that failed on Twitter's side is told to the polls that
	// follow before another read is tried. Default 20s.
	FailureTTL time.Duration
}

func (c Config) withDefaults() Config {
	if c.StaleTTL <= 0 {
		c.StaleTTL = min(30*time.Second, c.CacheTTL)
	}
	if c.FirstWait <= 0 {
		c.FirstWait = 800 * time.Millisecond
	}
	if c.FetchBound <= 0 {
		c.FetchBound = 90 * time.Second
	}
	if c.FailureTTL <= 0 {
		c.FailureTTL = 20 * time.Second
	}
	return c
}

// pollAfter is the retryAfter of a 202 fetching: soon, since a read of one page takes ~a second.
const pollAfter = 2 * time.Second

// Service serves analyses.
type Service struct {
	cfg     Config
	posts   PostStore
	fetcher Fetcher
	admit   Admission
	rdb     redis.UniversalClient // fetch locks, progress and failures
	locks   *redislock.Client
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics.Metrics
	group   singleflight.Group

	// stop cancels every background read (Shutdown); reads counts those running. closing is
	// set under mu before Shutdown waits, so no read is added while it does.
	life    context.Context
	stop    context.CancelFunc
	mu      sync.Mutex
	closing bool
	reads   sync.WaitGroup
}

// New returns a Service. admit may be nil (no waiting room); m may be nil.
func New(cfg Config, posts PostStore, f Fetcher, admit Admission, rdb redis.UniversalClient, now func() time.Time, log *slog.Logger, m *metrics.Metrics) *Service {
	life, stop := context.WithCancel(context.Background())
	return &Service{cfg: cfg.withDefaults(), posts: posts, fetcher: f, admit: admit, rdb: rdb,
		locks: redislock.New(rdb), now: now, log: log, metrics: m, life: life, stop: stop}
}

// Shutdown cancels the background reads still running and waits until each has ended and
// released its fetch lock and waiting-room slot, or until ctx is done. Left running, they would
// die with the process holding the lock, and every instance would wait out its TTL for that
// user. Reads asked for afterwards are refused as busy (503, retry).
func (s *Service) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.stop()
	done := make(chan struct{})
	go func() { s.reads.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("background reads still running: %w", ctx.Err())
	}
}

// startRead counts a background read in, unless the service is shutting down.
func (s *Service) startRead() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.reads.Add(1)
	return true
}

// HoldTTL is how long a read's cross-instance holds (its fetch lock, its waiting-room slot)
// may outlive a crashed instance: a little past the longest a read may run (FetchBound), so
// that a slow but alive read never loses them and lets a second read in beside it.
func (c Config) HoldTTL() time.Duration { return c.withDefaults().FetchBound + 15*time.Second }

// lockTTL bounds how long a crashed instance's lock blocks the others.
func (s *Service) lockTTL() time.Duration { return s.cfg.HoldTTL() }

// Get returns u's analysis in loc.
func (s *Service) Get(ctx context.Context, u User, loc *time.Location) (analyzer.Analysis, error) {
	r, err := s.Lookup(ctx, u, loc)
	return r.Analysis, err
}

// Lookup returns u's analysis in loc and until when it holds: from the stored post times when
// they are fresh, else after reading what is new from Twitter. A returning user whose refresh
// cannot run now (waiting room, budget spent, Twitter down or slow) gets the analysis of their
// stored posts, briefly.
func (s *Service) Lookup(ctx context.Context, u User, loc *time.Location) (Result, error) {
	rec, stored, err := s.posts.Load(ctx, u.ID)
	if err != nil {
		return Result{}, err
	}
	if now := s.now(); stored && s.fresh(rec, now) {
		s.metrics.ObserveAnalysis("stored")
		return s.result(rec, loc, now, rec.FetchedAt.Add(s.cfg.CacheTTL)), nil
	}
	fresh, err := s.refresh(ctx, u)
	now := s.now()
	switch {
	case err == nil:
		s.metrics.ObserveAnalysis("fetch")
		return s.result(fresh, loc, now, fresh.FetchedAt.Add(s.cfg.CacheTTL)), nil
	case stored && refreshDeferred(err):
		if apperr.Is(err, apperr.KindQueued) && s.admit != nil {
			s.admit.Leave(ctx, u.ID) // served: the ticket must not hold a place in line
		}
		e, _ := apperr.As(err)
		s.log.Info("served stored posts", "userId", u.ID, "because", e.Code)
		s.metrics.ObserveAnalysis("stale")
		return s.result(rec, loc, now, now.Add(s.cfg.StaleTTL)), nil
	}
	return Result{}, err
}

// refreshDeferred reports whether err means "not now" rather than "never": the stored calendar
// is then the best answer.
func refreshDeferred(err error) bool {
	e, ok := apperr.As(err)
	return ok && (e.Kind == apperr.KindQueued || e.Kind == apperr.KindFetching ||
		e.Kind == apperr.KindRateLimited || e.Kind == apperr.KindUnavailable)
}

func (s *Service) fresh(r posttimes.Record, now time.Time) bool {
	return now.Sub(r.FetchedAt) < s.cfg.CacheTTL && !r.FetchedAt.After(now.Add(time.Minute))
}

// refresh brings u's stored post times up to date: it starts (or joins) the shared background
// read and waits for it at most FirstWait.
func (s *Service) refresh(ctx context.Context, u User) (posttimes.Record, error) {
	if err := s.lastFailure(ctx, u.ID); err != nil {
		return posttimes.Record{}, err
	}
	ch := s.group.DoChan(u.ID, func() (v any, err error) {
		if !s.startRead() {
			return nil, apperr.AnalysisBusy(pollAfter)
		}
		defer s.reads.Done()
		// DoChan re-panics on its own goroutine, where nothing can recover: a bug here would
		// take the whole instance down. Turn it into an error for the requests instead.
		defer func() {
			if r := recover(); r != nil {
				// CRITICAL with a "panic" message: what the panic alert policy matches.
				s.log.Log(ctx, logging.LevelCritical, "panic: fetch posts", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = apperr.Internal(fmt.Errorf("panic: %v", r))
			}
		}()
		// The read must not die with the request that started it, but it has a bound of its own,
		// and it ends with the service (Shutdown).
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.FetchBound)
		defer cancel()
		defer context.AfterFunc(s.life, cancel)()
		return s.shared(bctx, u)
	})
	wait := time.NewTimer(s.cfg.FirstWait)
	defer wait.Stop()
	select {
	case r := <-ch:
		if r.Err != nil {
			return posttimes.Record{}, r.Err
		}
		return r.Val.(posttimes.Record), nil
	case <-ctx.Done():
		return posttimes.Record{}, fmt.Errorf("wait for posts: %w", ctx.Err())
	case <-wait.C:
		return posttimes.Record{}, apperr.Fetching(s.progress(ctx, u.ID), pollAfter)
	}
}

// shared returns u's fresh post times: stored by another instance meanwhile, read under the
// cross-instance lock, or followed while another instance holds it.
func (s *Service) shared(ctx context.Context, u User) (posttimes.Record, error) {
	wait := 25 * time.Millisecond
	for {
		if err := s.lastFailure(ctx, u.ID); err != nil {
			return posttimes.Record{}, err
		}
		rec, ok, err := s.posts.Load(ctx, u.ID)
		if err != nil {
			return posttimes.Record{}, err
		}
		if ok && s.fresh(rec, s.now()) {
			return rec, nil
		}
		lock, err := s.locks.Obtain(ctx, keys.FetchLock(u.ID), s.lockTTL(), nil)
		if err == nil {
			defer s.release(lock, time.Now())
			// Another instance may have finished between our check and the lock.
			if rec, ok, err = s.posts.Load(ctx, u.ID); err != nil || (ok && s.fresh(rec, s.now())) {
				return rec, err
			}
			return s.read(ctx, u, rec, ok)
		}
		if !errors.Is(err, redislock.ErrNotObtained) {
			return posttimes.Record{}, apperr.StorageUnavailable(fmt.Errorf("take fetch lock: %w", err))
		}
		select {
		case <-ctx.Done():
			// The bound of the read another instance runs has passed too.
			return posttimes.Record{}, apperr.AnalysisBusy(pollAfter)
		case <-time.After(wait):
		}
		wait = min(wait*2, 200*time.Millisecond)
	}
}

// read reads what is new from Twitter (everything in the window without stored times), merges
// it with what is stored, and stores the result. Only a complete read is stored.
func (s *Service) read(ctx context.Context, u User, stored posttimes.Record, ok bool) (posttimes.Record, error) {
	if s.admit != nil {
		release, err := s.admit.Admit(ctx, u.ID)
		if err != nil {
			return posttimes.Record{}, err
		}
		defer release()
	}
	now := s.now()
	from := fetchFrom(now, s.cfg.WindowDays)
	var since int64
	if ok {
		since = stored.NewestID
	}
	s.setProgress(ctx, u.ID, 0)
	f, err := s.fetcher.Fetch(ctx, u.Token, u.ID, from, since, func(n int) { s.setProgress(ctx, u.ID, n) })
	if err != nil {
		s.remember(ctx, u.ID, err)
		return posttimes.Record{}, err
	}
	s.metrics.ObservePostsRead(f.Stats.PostsRead)
	rec := merge(stored, ok, f, now, from)
	if err := s.posts.Save(ctx, u.ID, rec); err != nil {
		// The read is good for the requests waiting on it; the next one reads again.
		s.log.Warn("store post times", "userId", u.ID, "err", err)
	}
	return rec, nil
}

// merge adds a read's new times to the stored ones still in the window. A refresh that stopped
// at Twitter's cap before reaching the stored posts left a hole between them and the new ones:
// the stored times are dropped, and the record is truncated at the oldest post read.
func merge(stored posttimes.Record, ok bool, f twitter.Fetched, now, from time.Time) posttimes.Record {
	rec := posttimes.Record{FetchedAt: now, NewestID: f.NewestID, Truncated: f.Truncated}
	var old []int64
	if ok && stored.NewestID > 0 && !f.Truncated {
		kept := stored.Since(from.UnixMilli())
		old, rec.Truncated = kept.Times, kept.Truncated
	}
	rec.Times = make([]int64, 0, len(old)+len(f.Times))
	rec.Times = append(append(rec.Times, old...), f.Times...)
	slices.Sort(rec.Times)
	return rec
}

// release frees the fetch lock. If Redis is unreachable right then (an outage or a restart that
// may bring the lock back from a snapshot), it keeps trying in the background until the lock
// would have expired anyway, so other users are not left waiting for a dead read.
func (s *Service) release(l *redislock.Lock, taken time.Time) {
	try := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := l.Release(ctx); err != nil && !errors.Is(err, redislock.ErrLockNotHeld) {
			return err
		}
		return nil
	}
	if try() == nil {
		return
	}
	go func() {
		deadline := taken.Add(s.lockTTL())
		for wait := 250 * time.Millisecond; time.Now().Before(deadline); wait = min(wait*2, 2*time.Second) {
			time.Sleep(wait)
			if try() == nil {
				return
			}
		}
		s.log.Warn("fetch lock not released; it expires by itself", "key", l.Key())
	}()
}

// setProgress records how many posts the running read has read, for the 202 fetching answers
// of every instance.
func (s *Service) setProgress(ctx context.Context, userID string, n int) {
	if err := s.rdb.Set(ctx, keys.FetchProgress(userID), n, s.lockTTL()).Err(); err != nil {
		s.log.Warn("store fetch progress", "err", err) // only the progress shown is lost
	}
}

func (s *Service) progress(ctx context.Context, userID string) int {
	n, _ := s.rdb.Get(ctx, keys.FetchProgress(userID)).Int()
	return n
}

// remember keeps a failure on Twitter's side for FailureTTL, so the polls that follow hear it
// instead of each starting a read that would fail the same way. Refusals that cost nothing to
// repeat (the budget, the waiting room) are not kept.
func (s *Service) remember(ctx context.Context, userID string, err error) {
	if s.life.Err() != nil {
		return // cut short by Shutdown: nothing failed on Twitter's side
	}
	e, ok := apperr.As(err)
	if !ok || (e.Code != apperr.CodeTwitterUnavailable && e.Code != apperr.CodeTwitterRejected) {
		return
	}
	e.RetryAfter = s.cfg.FailureTTL
	if err := s.rdb.Set(ctx, keys.FetchFailure(userID), e.Code, s.cfg.FailureTTL).Err(); err != nil {
		s.log.Warn("store fetch failure", "err", err)
	}
}

// lastFailure returns the remembered failure of userID's last read, if it is still recent.
func (s *Service) lastFailure(ctx context.Context, userID string) error {
	pipe := s.rdb.Pipeline()
	code := pipe.Get(ctx, keys.FetchFailure(userID))
	ttl := pipe.PTTL(ctx, keys.FetchFailure(userID))
	if _, err := pipe.Exec(ctx); err != nil {
		if errors.Is(err, redis.Nil) {
			return nil
		}
		return apperr.StorageUnavailable(fmt.Errorf("read fetch failure: %w", err))
	}
	cause := errors.New("an earlier read of Twitter failed moments ago")
	var e *apperr.Error
	switch code.Val() {
	case apperr.CodeTwitterUnavailable:
		e = apperr.TwitterUnavailable(cause)
	case apperr.CodeTwitterRejected:
		e = apperr.TwitterRejected(cause)
	default:
		return nil
	}
	e.RetryAfter = max(ttl.Val(), time.Second)
	return e
}

// result analyses rec's times in loc at now.
func (s *Service) result(rec posttimes.Record, loc *time.Location, now, expires time.Time) Result {
	from := fetchFrom(now, s.cfg.WindowDays)
	kept := rec.Since(from.UnixMilli())
	return Result{Analysis: analyzer.AnalyzeTimes(kept.Times, loc, window(now, loc, s.cfg.WindowDays, kept.Truncated)), Expires: expires}
}
