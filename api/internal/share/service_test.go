package share

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/ratelimit"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/share/blobstore"
)

// clock is a settable clock for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	svc   *Service
	store *blobstore.File
	clock *clock
}

func newFixture(t *testing.T, limits ratelimit.Limits, opts ...Option) *fixture {
	t.Helper()
	fs, err := blobstore.NewFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fs.Close() })
	var lim Limiter
	if limits != nil {
		lim = ratelimit.New(redistest.Start(t).Client(), limits)
	}
	f := &fixture{store: fs, clock: &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}}
	pub, _ := url.Parse("https://nezame.example/")
	f.svc, err = NewService(fs, lim, pub, f.clock.now, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) request(t testing.TB, owner string) Request {
	return Request{Owner: Owner{ID: owner, ScreenName: "night_owl_42"}, Analysis: fixtureAnalysis(t), Loc: fixtureLoc(t), Lang: LangEnglish}
}

func codeOf(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

func TestCreateListDeleteAndDedupe(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	a, existed, err := f.svc.Create(ctx, f.request(t, "1001"))
	if err != nil || existed {
		t.Fatalf("create = %v, existed %v", err, existed)
	}
	if a.URL != "https://nezame.example/s/"+a.ID || a.ImageURL != a.URL+".png" || a.ExpiresAt != nil || !a.CreatedAt.Equal(f.clock.now()) {
		t.Errorf("created = %+v", a)
	}
	// The same card again: the same share, no second public URL.
	again, existed, err := f.svc.Create(ctx, f.request(t, "1001"))
	if err != nil || !existed || again.ID != a.ID {
		t.Fatalf("second create = %+v, %v, existed %v; want the first share", again, err, existed)
	}
	f.clock.add(time.Minute)
	ja := f.request(t, "1001")
	ja.Lang, ja.ExpiresInDays = LangJapanese, 7
	b, existed, err := f.svc.Create(ctx, ja)
	if err != nil || existed || b.ID == a.ID || b.ExpiresAt == nil || !b.ExpiresAt.Equal(f.clock.now().AddDate(0, 0, 7)) {
		t.Fatalf("japanese 7-day share = %+v, %v", b, err)
	}
	if _, _, err := f.svc.Create(ctx, f.request(t, "2002")); err != nil {
		t.Fatal(err)
	}
	list, err := f.svc.List(ctx, "1001")
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("list = %+v, %v; want b then a", list, err)
	}
	if err := f.svc.Delete(ctx, a.ID, "2002", ""); codeOf(err) != apperr.CodeNotOwner {
		t.Fatalf("delete by another = %v, want not_owner", err)
	}
	for range 2 { // idempotent
		if err := f.svc.Delete(ctx, a.ID, "1001", ""); err != nil {
			t.Fatalf("delete = %v", err)
		}
	}
	if list, _ := f.svc.List(ctx, "1001"); len(list) != 1 || list[0].ID != b.ID {
		t.Fatalf("list after delete = %+v", list)
	}
	if _, err := f.svc.Page(ctx, a.ID); codeOf(err) != apperr.CodeShareNotFound {
		t.Fatalf("page after delete = %v", err)
	}
	if err := f.svc.Delete(ctx, "../etc/passwd", "1001", ""); codeOf(err) != apperr.CodeShareNotFound {
		t.Fatalf("malformed id = %v", err)
	}
}

func TestExpiredSharesDisappear(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	r := f.request(t, "1001")
	r.ExpiresInDays = 1
	c, _, err := f.svc.Create(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.add(23*time.Hour + 30*time.Minute)
	img, err := f.svc.Image(ctx, c.ID, "")
	if err != nil || img.MaxAge != 30*time.Minute {
		t.Fatalf("image half an hour before expiry: max-age %v, %v; want 30m", img.MaxAge, err)
	}
	page, err := f.svc.Page(ctx, c.ID)
	if err != nil || page.MaxAge != pageAge {
		t.Fatalf("page max-age %v, %v", page.MaxAge, err)
	}
	f.clock.add(30 * time.Minute)
	if _, err := f.svc.Image(ctx, c.ID, ""); codeOf(err) != apperr.CodeShareExpired {
		t.Fatalf("image after expiry = %v, want share_expired", err)
	}
	if list, err := f.svc.List(ctx, "1001"); err != nil || len(list) != 0 {
		t.Fatalf("list after expiry = %+v, %v", list, err)
	}
	// Met once, it is gone from storage.
	if names, _ := f.store.List(ctx, "owners/1001"); len(names) != 0 {
		t.Errorf("index still holds %v", names)
	}
	if _, err := f.store.Get(ctx, c.ID); err == nil {
		t.Error("expired record still stored")
	}
}

func TestArchiveShareDeleteToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	r := f.request(t, "")
	r.Owner, r.Archive = Owner{}, true
	c, _, err := f.svc.Create(ctx, r)
	if err != nil || len(c.DeleteToken) < 40 {
		t.Fatalf("archive share = %+v, %v", c, err)
	}
	raw, err := f.store.Get(ctx, c.ID)
	if err != nil || bytes.Contains(raw, []byte(c.DeleteToken)) || !bytes.Contains(raw, []byte(`"source":"archive"`)) {
		t.Fatalf("stored record %s: want the token hashed, the source said", raw)
	}
	if bytes.Contains(raw, []byte("night_owl")) || bytes.Contains(raw, []byte(`"owner"`)) {
		t.Errorf("anonymous record names someone: %s", raw)
	}
	// Asking twice makes two shares: the token is given once.
	d, _, err := f.svc.Create(ctx, r)
	if err != nil || d.ID == c.ID || d.DeleteToken == c.DeleteToken {
		t.Fatalf("second archive share = %+v, %v", d, err)
	}
	for _, tc := range []struct{ owner, token, code string }{
		{"", "", apperr.CodeNotOwner}, {"", d.DeleteToken, apperr.CodeNotOwner}, {"1001", "", apperr.CodeNotOwner},
		{"", strings.ToUpper(c.DeleteToken), apperr.CodeNotOwner},
	} {
		if err := f.svc.Delete(ctx, c.ID, tc.owner, tc.token); codeOf(err) != tc.code {
			t.Errorf("delete with owner %q token %.6q = %v, want %s", tc.owner, tc.token, err, tc.code)
		}
	}
	if err := f.svc.Delete(ctx, c.ID, "", c.DeleteToken); err != nil {
		t.Fatalf("delete with its token = %v", err)
	}
	if _, err := f.svc.Page(ctx, c.ID); codeOf(err) != apperr.CodeShareNotFound {
		t.Fatalf("page after delete = %v", err)
	}
}

func TestPreviewIsThePublishedCard(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	r := f.request(t, "1001")
	r.Lang, r.ExpiresInDays = LangJapanese, 30
	preview, err := f.svc.Preview(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := f.svc.List(ctx, "1001"); len(list) != 0 {
		t.Fatalf("preview stored a share: %+v", list)
	}
	c, _, err := f.svc.Create(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	other := newFixture(t, nil) // another instance renders from the stored record
	other.svc.store = f.store
	img, err := other.svc.Image(ctx, c.ID, "")
	if err != nil || !bytes.Equal(img.PNG, preview) {
		t.Fatalf("published card (%d bytes, %v) differs from the preview (%d bytes)", len(img.PNG), err, len(preview))
	}
}

func TestOwnerLimitOnRedisRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, ratelimit.Limits{OwnerLimit: {Rate: 2, Burst: 2, Period: time.Hour}})
	ctx := context.Background()
	for i := range 2 {
		r := f.request(t, "1001")
		r.ExpiresInDays = i + 1 // different shares
		if _, _, err := f.svc.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	r := f.request(t, "1001")
	r.ExpiresInDays = 9
	_, _, err := f.svc.Create(ctx, r)
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindRateLimited || e.RetryAfter <= 0 || e.RetryAfter > time.Hour {
		t.Fatalf("third share = %v, want rate limited within the hour", err)
	}
	// Asking again for a live share is not a new share: not limited.
	r.ExpiresInDays = 1
	if _, existed, err := f.svc.Create(ctx, r); err != nil || !existed {
		t.Fatalf("repeat of a live share = %v, existed %v", err, existed)
	}
	if _, _, err := f.svc.Create(ctx, f.request(t, "2002")); err != nil {
		t.Fatalf("another owner was limited: %v", err)
	}
}

func TestRendersAreBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil, WithRenderWait(20*time.Millisecond))
	for range renderConcurrency {
		f.svc.renderSlots <- struct{}{} // every slot busy
	}
	_, err := f.svc.Preview(context.Background(), f.request(t, "1001"))
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeShareBusy || e.Kind != apperr.KindUnavailable || e.RetryAfter <= 0 {
		t.Fatalf("preview with all slots busy = %v, want share_busy with a retry", err)
	}
}

func TestImageETag(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	c, _, err := f.svc.Create(ctx, f.request(t, "1001"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.svc.Image(ctx, c.ID, "")
	if err != nil || len(img.ETag) != 34 || img.MaxAge != imageAge {
		t.Fatalf("image = %q %v, %v", img.ETag, img.MaxAge, err)
	}
	for inm, want := range map[string]bool{img.ETag: true, `"x", W/` + img.ETag: true, "*": true, `"0123"`: false} {
		got, err := f.svc.Image(ctx, c.ID, inm)
		if err != nil || got.NotModified != want || (want && got.PNG != nil) {
			t.Errorf("If-None-Match %s: not modified %v, %v", inm, got.NotModified, err)
		}
	}
}
