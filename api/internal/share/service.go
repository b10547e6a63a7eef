package share

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/etag"
	"github.com/nezame/nezame/api/internal/share/blobstore"
)

// Defaults for the in-process PNG cache and the render bound.
const (
	// DefaultCacheBytes holds ~100 cards: a CDN in front absorbs repeat views of popular ones,
	// so the in-process cache only smooths the first burst and must not cost RSS.
	DefaultCacheBytes = 8 << 20
	// renderConcurrency bounds renders in flight per instance: each allocates ~6 MB, and a
	// burst of shares must not push a 512 MiB instance towards its limit.
	renderConcurrency = 2
	// renderWait is how long a request waits for a render slot before it is told to retry.
	renderWait = 5 * time.Second
	// MaxExpiresInDays is the longest lifetime a share can be given (besides "never").
	MaxExpiresInDays = 365
	// OwnerLimit names the per-owner creation limit in the Limiter.
	OwnerLimit = "share_owner"
	// imageAge is the cache lifetime of a card: short, because a deleted share's card must
	// leave shared caches soon (the ETag keeps revalidation after that cheap).
	imageAge = time.Hour
	// pageAge is the cache lifetime of a share page (short: its owner may delete it).
	pageAge = 5 * time.Minute
)

// Limiter is a per-key rate limiter shared by all instances (ratelimit.Limiter, on redis_rate).
type Limiter interface {
	// Allow reports whether one more event for key fits in the named limit, and if not, how
	// long until it would.
	Allow(ctx context.Context, limit, key string) (ok bool, retryAfter time.Duration, err error)
}

// Service creates, serves, lists and deletes shares.
type Service struct {
	store   blobstore.Store
	limiter Limiter
	public  *url.URL
	now     func() time.Time
	log     *slog.Logger
	rand    io.Reader
	fonts   *fonts
	cache   *pngCache
	renders singleflight.Group
	// renderSlots is a semaphore bounding concurrent renders.
	renderSlots chan struct{}
	cacheBytes  int
	renderWait  time.Duration
}

// Option adjusts a Service.
type Option func(*Service)

// WithCacheBytes bounds the in-process PNG cache (default 8 MiB).
func WithCacheBytes(n int) Option { return func(s *Service) { s.cacheBytes = n } }

// WithRenderWait sets how long a request waits for a render slot (default 5 s).
func WithRenderWait(d time.Duration) Option { return func(s *Service) { s.renderWait = d } }

// NewService wires a Service. limiter holds the per-owner creation limit (OwnerLimit); nil
// means no limit. publicURL is the external base of every link.
func NewService(store blobstore.Store, limiter Limiter, publicURL *url.URL, now func() time.Time, logger *slog.Logger, opts ...Option) (*Service, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	s := &Service{
		store: store, limiter: limiter, public: publicURL, now: now, log: logger, rand: rand.Reader, fonts: f,
		cacheBytes: DefaultCacheBytes, renderWait: renderWait,
	}
	for _, o := range opts {
		o(s)
	}
	s.cache = newPNGCache(s.cacheBytes)
	s.renderSlots = make(chan struct{}, renderConcurrency)
	return s, nil
}

// Owner is who a share belongs to. The zero Owner is an anonymous archive share.
type Owner struct {
	ID, ScreenName string
}

// Request is a share to make (or preview).
type Request struct {
	Owner Owner
	// Analysis is the analysis in Loc, the zone the person saw their calendar in.
	Analysis analyzer.Analysis
	Loc      *time.Location
	Lang     string // LangEnglish or LangJapanese
	// ExpiresInDays is the share's lifetime; 0 means it never expires.
	ExpiresInDays int
	// Archive marks a share of an archive summary: it says so on the card, and its creator
	// gets a delete token.
	Archive bool
}

// Created describes a share: the answer to POST /api/shares and an item of GET /api/shares.
type Created struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	ImageURL  string     `json:"imageUrl"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt"`
	// DeleteToken lets its bearer delete an archive share without a session; given once.
	DeleteToken string `json:"deleteToken,omitempty"`
}

// Create stores a share and renders its card into the cache, so the first wave of viewers is
// served from memory. Asking again for the same card (same owner, content, language and
// lifetime) while the first is live returns the first, with existed true: a second click does
// not make a second public URL. Archive shares are always new (their delete token is given
// only once).
func (s *Service) Create(ctx context.Context, r Request) (c Created, existed bool, err error) {
	rec, err := s.draft(r)
	if err != nil {
		return Created{}, false, err
	}
	if r.Owner.ID != "" && !r.Archive {
		entries, err := s.entries(ctx, r.Owner.ID)
		if err != nil {
			return Created{}, false, err
		}
		for _, e := range entries {
			if e.Hash == rec.Hash {
				return s.describe(e), true, nil
			}
		}
	}
	if r.Owner.ID != "" && s.limiter != nil {
		ok, wait, err := s.limiter.Allow(ctx, OwnerLimit, r.Owner.ID)
		if err != nil {
			return Created{}, false, apperr.StorageUnavailable(opErr("share limit", err))
		}
		if !ok {
			now := s.now()
			return Created{}, false, apperr.RateLimited(apperr.ReasonClient, now, now.Add(wait), nil)
		}
	}
	token := ""
	if r.Archive {
		var b [32]byte
		if _, err := io.ReadFull(s.rand, b[:]); err != nil {
			return Created{}, false, apperr.Internal(opErr("delete token", err))
		}
		token = base64.RawURLEncoding.EncodeToString(b[:])
		rec.DeleteHash = tokenHash(token)
	}
	c, err = s.publish(ctx, rec, r.ExpiresInDays)
	if err != nil {
		return Created{}, false, err
	}
	c.DeleteToken = token
	return c, false, nil
}

// Preview renders exactly the card Create would publish for r, storing nothing.
func (s *Service) Preview(ctx context.Context, r Request) ([]byte, error) {
	rec, err := s.draft(r)
	if err != nil {
		return nil, err
	}
	return s.render(ctx, rec)
}

// draft builds the record for r, without id, dates or delete token.
func (s *Service) draft(r Request) (Record, error) {
	if r.Loc == nil {
		return Record{}, apperr.Internal(opErr("draft", errors.New("no location")))
	}
	if !ValidLang(r.Lang) {
		return Record{}, apperr.InvalidShare(`lang must be "en" or "ja".`)
	}
	if r.ExpiresInDays < 0 || r.ExpiresInDays > MaxExpiresInDays {
		return Record{}, apperr.InvalidShare(fmt.Sprintf("expiresInDays must be null or 1..%d.", MaxExpiresInDays))
	}
	if r.Owner.ID != "" && !validOwner(r.Owner.ID) {
		return Record{}, apperr.Internal(opErr("draft", fmt.Errorf("owner id %q cannot name an index", r.Owner.ID)))
	}
	rec, err := newRecord(r.Analysis, r.Loc)
	if err != nil {
		return Record{}, apperr.Internal(opErr("draft", err))
	}
	rec.OwnerID, rec.ScreenName, rec.Lang, rec.Site = r.Owner.ID, r.Owner.ScreenName, r.Lang, s.public.Host
	if r.Archive {
		rec.Source = SourceArchive
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return Record{}, apperr.Internal(opErr("encode record", err))
	}
	h := sha256.New()
	fmt.Fprintf(h, "expires=%d\n", r.ExpiresInDays)
	h.Write(raw)
	rec.Hash = hex.EncodeToString(h.Sum(nil)[:16])
	return rec, nil
}

// publish gives rec an id and dates, renders it, and stores the record and its index marker.
func (s *Service) publish(ctx context.Context, rec Record, expiresInDays int) (Created, error) {
	id, err := newID(s.rand)
	if err != nil {
		return Created{}, apperr.Internal(opErr("share id", err))
	}
	rec.ID = id
	rec.Created = s.now().UTC().Truncate(time.Millisecond) // the index marker keeps milliseconds
	var expires time.Time
	if expiresInDays > 0 {
		expires = rec.Created.AddDate(0, 0, expiresInDays)
		rec.Expires = &expires
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return Created{}, apperr.Internal(opErr("encode record", err))
	}
	png, err := s.render(ctx, rec)
	if err != nil {
		return Created{}, err
	}
	if err := s.store.Put(ctx, id, raw, expires); err != nil {
		return Created{}, apperr.StorageUnavailable(opErr("save share", err))
	}
	if rec.OwnerID != "" {
		if err := s.store.Put(ctx, entryOf(rec).markerName(rec.OwnerID), []byte("{}"), expires); err != nil {
			if derr := s.store.Delete(context.WithoutCancel(ctx), id); derr != nil {
				s.log.ErrorContext(ctx, "share left without its index marker", "id", id, "err", derr)
			}
			return Created{}, apperr.StorageUnavailable(opErr("index share", err))
		}
	}
	s.cache.add(id, etagOf(raw), png)
	return s.describe(entryOf(rec)), nil
}

func (s *Service) describe(e entry) Created {
	return Created{ID: e.ID, URL: s.pageURL(e.ID), ImageURL: s.imageURL(e.ID), CreatedAt: e.Created, ExpiresAt: e.Expires}
}

// List returns the owner's live shares, newest first. Expired ones met here are removed.
func (s *Service) List(ctx context.Context, ownerID string) ([]Created, error) {
	entries, err := s.entries(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	out := make([]Created, 0, len(entries))
	for _, e := range entries {
		out = append(out, s.describe(e))
	}
	return out, nil
}

// entries reads the owner's index, newest first, without expired shares (which it deletes).
func (s *Service) entries(ctx context.Context, ownerID string) ([]entry, error) {
	if !validOwner(ownerID) {
		return []entry{}, nil
	}
	names, err := s.store.List(ctx, ownerDir(ownerID))
	if err != nil {
		return nil, apperr.StorageUnavailable(opErr("list shares", err))
	}
	now := s.now()
	live := make([]entry, 0, len(names))
	for _, n := range names {
		e, ok := parseMarker(n[len(ownerDir(ownerID))+1:])
		if !ok {
			continue
		}
		if e.Expires != nil && !now.Before(*e.Expires) {
			s.removeQuietly(ctx, e.ID, ownerID, n)
			continue
		}
		live = append(live, e)
	}
	sortNewestFirst(live)
	return live, nil
}

// Delete removes a share. Its owner (ownerID, from the session) or the bearer of its delete
// token may; anyone else is refused. Deleting a share that is already gone succeeds, so a
// repeated click or a retry after a lost answer is harmless.
func (s *Service) Delete(ctx context.Context, id, ownerID, token string) error {
	if !ValidID(id) {
		return apperr.ShareNotFound()
	}
	raw, err := s.store.Get(ctx, id)
	if errors.Is(err, blobstore.ErrNotFound) {
		// Gone already; drop a marker left behind by an interrupted delete.
		if ownerID != "" {
			entries, err := s.entries(ctx, ownerID)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if e.ID == id {
					s.removeQuietly(ctx, id, ownerID, e.markerName(ownerID))
				}
			}
		}
		return nil
	}
	if err != nil {
		return apperr.StorageUnavailable(opErr("read share", err))
	}
	var rec Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return apperr.Internal(opErr("decode share "+id, err))
	}
	byOwner := ownerID != "" && rec.OwnerID == ownerID
	byToken := token != "" && rec.DeleteHash != "" &&
		subtle.ConstantTimeCompare([]byte(tokenHash(token)), []byte(rec.DeleteHash)) == 1
	if !byOwner && !byToken {
		return apperr.NotOwner()
	}
	if err := s.store.Delete(ctx, id); err != nil {
		return apperr.StorageUnavailable(opErr("delete share", err))
	}
	s.cache.remove(id)
	if rec.OwnerID != "" && rec.Hash != "" {
		if err := s.store.Delete(ctx, entryOf(rec).markerName(rec.OwnerID)); err != nil {
			return apperr.StorageUnavailable(opErr("delete share index", err))
		}
	}
	return nil
}

// removeQuietly deletes an expired or orphaned share and its marker; failures are logged only,
// since the next request that meets them tries again.
func (s *Service) removeQuietly(ctx context.Context, id, ownerID, marker string) {
	ctx = context.WithoutCancel(ctx)
	s.cache.remove(id)
	if err := s.store.Delete(ctx, id); err != nil {
		s.log.WarnContext(ctx, "remove expired share", "id", id, "err", err)
	}
	if ownerID != "" && marker != "" {
		if err := s.store.Delete(ctx, marker); err != nil {
			s.log.WarnContext(ctx, "remove share index marker", "id", id, "err", err)
		}
	}
}

// load reads and decodes a live record; an expired one is removed and reported as such.
func (s *Service) load(ctx context.Context, id string) ([]byte, Record, error) {
	if !ValidID(id) {
		return nil, Record{}, apperr.ShareNotFound()
	}
	raw, err := s.store.Get(ctx, id)
	if errors.Is(err, blobstore.ErrNotFound) {
		return nil, Record{}, apperr.ShareNotFound()
	}
	if err != nil {
		return nil, Record{}, apperr.StorageUnavailable(opErr("read share", err))
	}
	var rec Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, Record{}, apperr.Internal(opErr("decode share "+id, err))
	}
	if rec.Expires != nil && !s.now().Before(*rec.Expires) {
		marker := ""
		if rec.OwnerID != "" && rec.Hash != "" {
			marker = entryOf(rec).markerName(rec.OwnerID)
		}
		s.removeQuietly(ctx, id, rec.OwnerID, marker)
		return nil, Record{}, apperr.ShareExpired()
	}
	return raw, rec, nil
}

// Image is a share's card as served.
type Image struct {
	PNG  []byte // nil when NotModified
	ETag string
	// MaxAge is how long caches may keep it: an hour, or until the share expires.
	MaxAge      time.Duration
	NotModified bool
}

// Image returns the card of share id. Every request reads the record first, so a share deleted
// through another instance is gone here too, even when this instance still holds its PNG; a
// CDN may keep serving an already-cached image until its max-age (at most an hour) runs out. When ifNoneMatch
// names the current ETag nothing is rendered.
func (s *Service) Image(ctx context.Context, id, ifNoneMatch string) (Image, error) {
	raw, rec, err := s.load(ctx, id)
	if err != nil {
		return Image{}, err
	}
	img := Image{ETag: etagOf(raw), MaxAge: s.maxAge(rec, imageAge)}
	if etag.Matches(ifNoneMatch, img.ETag) {
		img.NotModified = true
		return img, nil
	}
	if img.PNG, err = s.image(ctx, id, img.ETag, rec); err != nil {
		return Image{}, err
	}
	return img, nil
}

// maxAge caps a cache lifetime at the time left before the record expires.
func (s *Service) maxAge(rec Record, d time.Duration) time.Duration {
	if rec.Expires != nil {
		d = min(d, rec.Expires.Sub(s.now()).Truncate(time.Second))
	}
	return max(d, 0)
}

// image returns the card for a record, from the cache or rendered once however many requests
// ask for it at the same moment. The shared render does not run on any one caller's context:
// a client that goes away stops waiting for it, but the others still get the card. Its own
// bound is render's wait for a slot (the drawing itself is short).
func (s *Service) image(ctx context.Context, id, etag string, rec Record) ([]byte, error) {
	if png, ok := s.cache.get(id, etag); ok {
		return png, nil
	}
	shared := context.WithoutCancel(ctx)
	ch := s.renders.DoChan(id+"/"+etag, func() (any, error) {
		png, err := s.render(shared, rec)
		if err != nil {
			return nil, err
		}
		s.cache.add(id, etag, png)
		return png, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]byte), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the card: %w", ctx.Err())
	}
}

// render draws a card once a render slot is free; a request that waits too long is told to
// retry rather than piling up.
func (s *Service) render(ctx context.Context, rec Record) ([]byte, error) {
	t := time.NewTimer(s.renderWait)
	defer t.Stop()
	select {
	case s.renderSlots <- struct{}{}:
	case <-t.C:
		return nil, apperr.ShareBusy(2 * time.Second)
	case <-ctx.Done():
		return nil, apperr.ShareBusy(2 * time.Second)
	}
	defer func() { <-s.renderSlots }()
	png, err := s.fonts.render(rec)
	if err != nil {
		return nil, apperr.Internal(opErr("render share", err))
	}
	return png, nil
}

// etagOf is a strong validator for the card: rendering is deterministic in the stored record
// and the renderer version, so their hash names the exact bytes without rendering them.
func etagOf(raw []byte) string {
	h := sha256.New()
	h.Write([]byte("nezame-share-png/" + RendererVersion + "\n"))
	h.Write(raw)
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte("nezame-share-delete\n" + token))
	return hex.EncodeToString(h[:])
}

func (s *Service) pageURL(id string) string  { return s.public.JoinPath("s", id).String() }
func (s *Service) imageURL(id string) string { return s.public.JoinPath("s", id+".png").String() }
func (s *Service) appURL() string            { return s.public.JoinPath("/").String() }
