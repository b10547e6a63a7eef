package share

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/redistest"
)

// countingStore is a real FileStore that counts calls, to prove junk ids never reach storage.
type countingStore struct {
	Store
	gets atomic.Int64
}

func (c *countingStore) Get(ctx context.Context, id string) ([]byte, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, id)
}

type fixture struct {
	svc    *Service
	store  *countingStore
	rdb    *redis.Client
	srv    *redistest.Server
	router *gin.Engine
}

var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	fs, err := NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fs.Close() })
	srv := redistest.Start(t)
	f := &fixture{store: &countingStore{Store: fs}, srv: srv, rdb: srv.Client()}
	f.svc = f.newService(opts...)
	f.router = router(f.svc)
	return f
}

// newService returns another instance over the same store and Redis, like a second Cloud Run
// instance.
func (f *fixture) newService(opts ...Option) *Service {
	pub, _ := url.Parse("https://nezame.example/")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return NewService(f.store, f.rdb, pub, func() time.Time { return testNow }, log, opts...)
}

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

func router(svc *Service) *gin.Engine {
	r := gin.New()
	r.GET("/s/:file", svc.Serve)
	return r
}

func get(t *testing.T, r http.Handler, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://nezame.example"+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func (f *fixture) create(t *testing.T, owner string) Created {
	t.Helper()
	c, err := f.svc.Create(context.Background(), owner, "night_owl_42", fixtureAnalysis(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateAnswersAbsoluteURLs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.create(t, "1001")
	if !ValidID(c.ID) {
		t.Fatalf("id %q is not valid", c.ID)
	}
	if want := "https://nezame.example/s/" + c.ID; c.URL != want {
		t.Errorf("url = %q, want %q", c.URL, want)
	}
	if want := "https://nezame.example/s/" + c.ID + ".png"; c.ImageURL != want {
		t.Errorf("imageUrl = %q, want %q", c.ImageURL, want)
	}
	raw, err := f.store.Get(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"owner":"1001"`, `"screenName":"night_owl_42"`, `"tz":"Asia/Tokyo"`} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Errorf("record lacks %s: %s", s, raw)
		}
	}
	if n, _ := f.svc.cache.size(); n != 1 {
		t.Errorf("cache holds %d cards after Create, want the new one", n)
	}
}

var metaRe = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

func TestPageHasOpenGraphTags(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.create(t, "1001")
	w := get(t, f.router, "/s/"+c.ID)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control = %q", got)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q", ct)
	}
	meta := map[string]string{}
	for _, m := range metaRe.FindAllStringSubmatch(w.Body.String(), -1) {
		meta[m[1]] = m[2]
	}
	want := map[string]string{
		"og:url":        c.URL,
		"og:image":      c.ImageURL,
		"twitter:image": c.ImageURL,
		"twitter:card":  "summary_large_image",
		"og:title":      "@night_owl_42&#39;s sleep calendar on nezame",
	}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("%s = %q, want %q", k, meta[k], v)
		}
	}
	for _, k := range []string{"og:url", "og:image", "twitter:image"} {
		u, err := url.Parse(meta[k])
		if err != nil || !u.IsAbs() || u.Host != "nezame.example" {
			t.Errorf("%s = %q is not absolute on the public host", k, meta[k])
		}
	}
	desc := meta["og:description"]
	for _, s := range []string{"07:52", "00:41", "6.4 h", "regularity 62", "28 days"} {
		if !strings.Contains(desc, s) {
			t.Errorf("og:description %q lacks %q", desc, s)
		}
	}
	body := w.Body.String()
	if !strings.Contains(body, `<a class="cta" href="https://nezame.example/">See your own</a>`) {
		t.Error("page lacks the link into the app")
	}
	if !strings.Contains(body, `<img src="`+c.ImageURL+`"`) {
		t.Error("page lacks the image")
	}
}

func TestPageEscapesRecordText(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.svc.Create(context.Background(), "1001", `<script>alert(1)</script>`, fixtureAnalysis(t))
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, f.router, "/s/"+c.ID).Body.String()
	if strings.Contains(body, "<script>") {
		t.Fatal("screen name was not escaped")
	}
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Fatal("escaped screen name missing")
	}
}

func TestImageCachingHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.create(t, "1001")
	w := get(t, f.router, "/s/"+c.ID+".png")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "image/png" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", cc)
	}
	etag := w.Header().Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(etag) {
		t.Fatalf("ETag = %q, want a strong quoted tag", etag)
	}
	decodeCard(t, w.Body.Bytes())

	// A second instance renders the same bytes under the same ETag (deterministic render).
	other := get(t, router(f.newService()), "/s/"+c.ID+".png")
	if other.Header().Get("ETag") != etag || !bytes.Equal(other.Body.Bytes(), w.Body.Bytes()) {
		t.Error("another instance served different bytes or ETag")
	}

	tests := []struct {
		name, inm string
		want      int
	}{
		{"same tag", etag, http.StatusNotModified},
		{"in a list, weak form", `"nope", W/` + etag, http.StatusNotModified},
		{"star", "*", http.StatusNotModified},
		{"other tag", `"0123"`, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, f.router, "/s/"+c.ID+".png", "If-None-Match", tc.inm)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d", w.Code, tc.want)
			}
			if tc.want == http.StatusNotModified && (w.Body.Len() != 0 || w.Header().Get("ETag") != etag) {
				t.Errorf("304 with body %d bytes, ETag %q", w.Body.Len(), w.Header().Get("ETag"))
			}
		})
	}
}

func TestJunkIDsAreRefusedBeforeStorage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.create(t, "1001")
	paths := []string{
		"/s/../etc/passwd",
		"/s/%2e%2e",
		"/s/%2e%2e%2fetc%2fpasswd",
		"/s/..%2f..%2fetc%2fpasswd.png",
		"/s/" + c.ID + "A", // too long
		"/s/" + c.ID[:21],  // too short
		"/s/" + strings.Repeat("A", 5000),
		"/s/AAAAAAAAAAAAAAAAAAAA+A", // wrong alphabet
		"/s/AAAAAAAAAAAAAAAAAAAA%2FA",
		"/s/" + c.ID + ".json",
		"/s/" + c.ID + ".png.png",
		"/s/.png",
	}
	before := f.store.gets.Load()
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			w := get(t, f.router, p)
			if w.Code != http.StatusNotFound {
				t.Fatalf("status %d, want 404", w.Code)
			}
		})
	}
	if n := f.store.gets.Load() - before; n != 0 {
		t.Errorf("junk ids reached the store %d times", n)
	}
	// A well-formed id that does not exist is a 404 page after a store lookup.
	w := get(t, f.router, "/s/BBBBBBBBBBBBBBBBBBBBBA")
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "This share does not exist") {
		t.Errorf("unknown id: %d %q", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("404 Content-Type = %q, want HTML", ct)
	}
}

func kindOf(err error) (apperr.Kind, string) {
	e, ok := apperr.As(err)
	if !ok {
		return -1, ""
	}
	return e.Kind, e.Code
}

func TestDeleteOwnerOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.create(t, "1001")
	// Another instance has the card cached in process.
	other := f.newService()
	otherRouter := router(other)
	if w := get(t, otherRouter, "/s/"+c.ID+".png"); w.Code != http.StatusOK {
		t.Fatalf("warm other instance: %d", w.Code)
	}

	tests := []struct {
		name, id, owner string
		kind            apperr.Kind
		code            string
	}{
		{"someone else", c.ID, "2002", apperr.Forbidden, "not_owner"},
		{"unknown id", "BBBBBBBBBBBBBBBBBBBBBA", "1001", apperr.NotFound, "share_not_found"},
		{"malformed id", "../etc/passwd", "1001", apperr.NotFound, "share_not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := f.svc.Delete(context.Background(), tc.id, tc.owner)
			if k, code := kindOf(err); k != tc.kind || code != tc.code {
				t.Fatalf("Delete = %v, want kind %d code %s", err, tc.kind, tc.code)
			}
		})
	}
	if w := get(t, f.router, "/s/"+c.ID); w.Code != http.StatusOK {
		t.Fatalf("share gone after a refused delete: %d", w.Code)
	}

	if err := f.svc.Delete(context.Background(), c.ID, "1001"); err != nil {
		t.Fatalf("owner delete: %v", err)
	}
	if n, _ := f.svc.cache.size(); n != 0 {
		t.Errorf("deleting instance still caches %d cards", n)
	}
	for _, r := range []*gin.Engine{f.router, otherRouter} {
		for _, p := range []string{"/s/" + c.ID, "/s/" + c.ID + ".png"} {
			if w := get(t, r, p); w.Code != http.StatusNotFound {
				t.Errorf("GET %s after delete: %d, want 404", p, w.Code)
			}
		}
	}
	err := f.svc.Delete(context.Background(), c.ID, "1001")
	if k, _ := kindOf(err); k != apperr.NotFound {
		t.Errorf("second delete = %v, want NotFound", err)
	}
}

func TestCreateLimitPerOwner(t *testing.T) {
	t.Parallel()
	f := newFixture(t, WithLimit(3, time.Hour))
	ctx := context.Background()
	for i := range 3 {
		if _, err := f.svc.Create(ctx, "1001", "owl", fixtureAnalysis(t)); err != nil {
			t.Fatalf("create %d: %v", i+1, err)
		}
	}
	_, err := f.svc.Create(ctx, "1001", "owl", fixtureAnalysis(t))
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.RateLimited || e.Code != "share_limit" {
		t.Fatalf("4th create = %v, want RateLimited share_limit", err)
	}
	if e.RetryAfter <= 0 || e.RetryAfter > time.Hour {
		t.Errorf("RetryAfter = %v, want within the hour", e.RetryAfter)
	}
	ttl, err := f.rdb.TTL(ctx, "nezame:sharelimit:1001").Result()
	if err != nil || ttl <= 0 || ttl > time.Hour {
		t.Errorf("limit key TTL = %v, %v; want a TTL within the hour", ttl, err)
	}
	// The limit is shared by instances and per owner.
	if _, err := f.newService(WithLimit(3, time.Hour)).Create(ctx, "1001", "owl", fixtureAnalysis(t)); err == nil {
		t.Error("a second instance let the owner past the limit")
	}
	if _, err := f.svc.Create(ctx, "2002", "lark", fixtureAnalysis(t)); err != nil {
		t.Errorf("another owner was limited: %v", err)
	}
	// The window resets when the key expires.
	if err := f.rdb.Del(ctx, "nezame:sharelimit:1001").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Create(ctx, "1001", "owl", fixtureAnalysis(t)); err != nil {
		t.Errorf("create after the window: %v", err)
	}
}

func TestCreateWithRedisDownIsUnavailable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.Stop()
	_, err := f.svc.Create(context.Background(), "1001", "owl", fixtureAnalysis(t))
	if k, _ := kindOf(err); k != apperr.Unavailable {
		t.Fatalf("create with Redis down = %v, want Unavailable", err)
	}
}

func TestCreateInMemoryLimitWithoutRedis(t *testing.T) {
	t.Parallel()
	fs, err := NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := url.Parse("http://localhost:8080")
	now := testNow
	svc := NewService(fs, nil, pub, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)), WithLimit(1, time.Hour))
	ctx := context.Background()
	if _, err := svc.Create(ctx, "1", "a", fixtureAnalysis(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, "1", "a", fixtureAnalysis(t)); err == nil {
		t.Fatal("second create within the hour allowed")
	}
	now = now.Add(time.Hour)
	if _, err := svc.Create(ctx, "1", "a", fixtureAnalysis(t)); err != nil {
		t.Fatalf("create in the next window: %v", err)
	}
}

func TestCreateRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bad := fixtureAnalysis(t)
	bad.Days[3].Date = "someday"
	tests := []struct {
		name, owner string
		kind        apperr.Kind
	}{
		{"no owner", "", apperr.Unauthenticated},
		{"malformed analysis", "1001", apperr.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Create(context.Background(), tc.owner, "owl", bad)
			if k, _ := kindOf(err); k != tc.kind {
				t.Fatalf("Create = %v, want kind %d", err, tc.kind)
			}
		})
	}
}
