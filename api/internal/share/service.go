package share

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
)

// Defaults for the per-owner creation limit and the in-process PNG cache.
const (
	DefaultLimit      = 10
	DefaultLimitEvery = time.Hour
	// DefaultCacheBytes holds ~100 cards: a CDN in front absorbs repeat views of popular ones,
	// so the in-process cache only smooths the first burst and must not cost RSS.
	DefaultCacheBytes = 8 << 20
	// renderConcurrency bounds renders in flight per instance: each allocates ~6 MB, and a
	// burst of shares must not push a 512 MiB instance towards its limit.
	renderConcurrency = 2
)

// Service creates, serves and deletes shares.
type Service struct {
	store   Store
	limiter limiter
	public  *url.URL
	now     func() time.Time
	log     *slog.Logger
	rand    io.Reader
	cache   *pngCache
	renders singleflight.Group
	// renderSlots is a semaphore bounding concurrent renders.
	renderSlots chan struct{}

	limit      int
	limitEvery time.Duration
	cacheBytes int
}

// Option adjusts a Service.
type Option func(*Service)

// WithLimit sets how many shares one owner may create per window (default 10 per hour).
func WithLimit(n int, per time.Duration) Option {
	return func(s *Service) { s.limit, s.limitEvery = n, per }
}

// WithCacheBytes bounds the in-process PNG cache (default 32 MiB).
func WithCacheBytes(n int) Option { return func(s *Service) { s.cacheBytes = n } }

// Created is the answer to POST /api/shares.
type Created struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	ImageURL string `json:"imageUrl"`
}

// NewService wires a Service. rdb holds the per-owner creation limit; when it is nil the limit
// is kept in process (single instance only). publicURL is the external base of every link.
func NewService(store Store, rdb redis.UniversalClient, publicURL *url.URL, now func() time.Time, logger *slog.Logger, opts ...Option) *Service {
	s := &Service{
		store: store, public: publicURL, now: now, log: logger, rand: rand.Reader,
		limit: DefaultLimit, limitEvery: DefaultLimitEvery, cacheBytes: DefaultCacheBytes,
	}
	for _, o := range opts {
		o(s)
	}
	if rdb != nil {
		s.limiter = &redisLimiter{rdb: rdb, limit: int64(s.limit), window: s.limitEvery}
	} else {
		s.limiter = &memLimiter{limit: s.limit, window: s.limitEvery, now: now, counts: map[string]memCount{}}
	}
	s.cache = newPNGCache(s.cacheBytes)
	s.renderSlots = make(chan struct{}, renderConcurrency)
	return s
}

// Create stores a share of a for its owner and renders its card into the cache, so the first
// wave of viewers is served from memory.
func (s *Service) Create(ctx context.Context, ownerID, screenName string, a analyzer.Analysis) (Created, error) {
	if ownerID == "" {
		return Created{}, apperr.New(apperr.Unauthenticated, "unauthenticated", "Sign in to share.")
	}
	wait, err := s.limiter.allow(ctx, ownerID)
	if err != nil {
		return Created{}, apperr.Wrap(apperr.Unavailable, "unavailable", "Sharing is unavailable right now; try again shortly.", err)
	}
	if wait > 0 {
		e := apperr.New(apperr.RateLimited, "share_limit",
			fmt.Sprintf("You can create %d shares per %s; try again later.", s.limit, s.limitEvery))
		e.RetryAfter = wait
		return Created{}, e
	}
	id, err := newID(s.rand)
	if err != nil {
		return Created{}, apperr.Wrap(apperr.Internal, "internal", "Could not create the share.", err)
	}
	rec, err := NewRecord(id, ownerID, screenName, s.public.Host, s.now(), a)
	if err != nil {
		return Created{}, apperr.Wrap(apperr.Invalid, "invalid_analysis", "The analysis cannot be shared.", err)
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return Created{}, apperr.Wrap(apperr.Internal, "internal", "Could not create the share.", fmt.Errorf("encode record: %w", err))
	}
	png, err := s.render(rec)
	if err != nil {
		return Created{}, apperr.Wrap(apperr.Internal, "internal", "Could not draw the share image.", err)
	}
	if err := s.store.Put(ctx, id, raw); err != nil {
		return Created{}, apperr.Wrap(apperr.Unavailable, "share_store_unavailable", "Could not save the share; try again shortly.", err)
	}
	s.cache.add(id, etagOf(raw), png)
	return Created{ID: id, URL: s.pageURL(id), ImageURL: s.imageURL(id)}, nil
}

// Delete removes a share; only its owner may.
func (s *Service) Delete(ctx context.Context, id, ownerID string) error {
	if !ValidID(id) {
		return errNotFound()
	}
	_, rec, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if rec.OwnerID != ownerID {
		return apperr.New(apperr.Forbidden, "not_owner", "Only the person who shared this can delete it.")
	}
	if err := s.store.Delete(ctx, id); err != nil {
		return apperr.Wrap(apperr.Unavailable, "share_store_unavailable", "Could not delete the share; try again shortly.", err)
	}
	s.cache.remove(id)
	return nil
}

func errNotFound() *apperr.Error {
	return apperr.New(apperr.NotFound, "share_not_found", "This share does not exist or was deleted.")
}

// load reads and decodes a record. The caller has validated id.
func (s *Service) load(ctx context.Context, id string) ([]byte, Record, error) {
	raw, err := s.store.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, Record{}, errNotFound()
	}
	if err != nil {
		return nil, Record{}, apperr.Wrap(apperr.Unavailable, "share_store_unavailable", "Shares are unavailable right now.", err)
	}
	var rec Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, Record{}, apperr.Wrap(apperr.Internal, "internal", "The share is damaged.", fmt.Errorf("decode share %s: %w", id, err))
	}
	return raw, rec, nil
}

// image returns the card for a record, from the cache or rendered once however many requests
// ask for it at the same moment.
func (s *Service) image(id, etag string, rec Record) ([]byte, error) {
	if png, ok := s.cache.get(id, etag); ok {
		return png, nil
	}
	v, err, _ := s.renders.Do(id+"/"+etag, func() (any, error) {
		png, err := s.render(rec)
		if err != nil {
			return nil, err
		}
		s.cache.add(id, etag, png)
		return png, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// render draws a card once a render slot is free.
func (s *Service) render(rec Record) ([]byte, error) {
	s.renderSlots <- struct{}{}
	defer func() { <-s.renderSlots }()
	return Render(rec)
}

// etagOf is a strong validator for the card: rendering is deterministic in the stored record
// and the renderer version, so their hash names the exact bytes without rendering them.
func etagOf(raw []byte) string {
	h := sha256.New()
	h.Write([]byte("nezame-share-png/" + RendererVersion + "\n"))
	h.Write(raw)
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

func (s *Service) pageURL(id string) string  { return s.public.JoinPath("s", id).String() }
func (s *Service) imageURL(id string) string { return s.public.JoinPath("s", id+".png").String() }
func (s *Service) appURL() string            { return s.public.JoinPath("/").String() }
