package twitter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/emulator"
	"github.com/nezame/nezame/api/internal/emulator/persona"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/twitter"
	"github.com/nezame/nezame/api/internal/twitter/budget"
	"github.com/nezame/nezame/api/internal/twitter/twittertest"
)

const seed = 7

// start is the tests' initial clock: early in a UTC day, so a few hours later is the same
// budget day.
var start = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

// clock is the time shared by the emulator and the clients, moved by the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one emulator on loopback, one redis-server, and a shared clock.
type env struct {
	t     *testing.T
	emu   *emulator.Emulator
	base  string // the client's APIBase
	admin string // where /_emulator/* is served
	clock *clock
	rdb   redis.UniversalClient
}

type envOpts struct {
	appCap   int
	basePath string                          // mount the emulator under this prefix, as demo mode does
	wrap     func(http.Handler) http.Handler // fault fixtures in front of the emulator
}

func newEnv(t *testing.T, o envOpts) *env {
	t.Helper()
	clk := &clock{t: start}
	emu := emulator.New(emulator.Config{AppDailyCap: o.appCap, Seed: seed, Now: clk.Now, BasePath: o.basePath})
	var h http.Handler = emu
	if o.wrap != nil {
		h = o.wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, emu: emu, base: srv.URL + o.basePath, admin: srv.URL + o.basePath, clock: clk,
		rdb: redistest.Start(t).Client()}
}

func (e *env) config(version string) twitter.Config {
	return twitter.Config{
		APIBase: twittertest.Base(e.t, e.base), ConsumerKey: twittertest.ConsumerKey, ConsumerSecret: twittertest.ConsumerSecret,
		Version: version, RequestTimeout: 5 * time.Second, RetryBackoff: time.Millisecond,
	}
}

// advance moves the clock on by d, using tok at least every 20 hours on the way: the emulator
// forgets access tokens left unused for 24 hours.
func (e *env) advance(c *twitter.Client, tok twitter.Token, d time.Duration) {
	e.t.Helper()
	for d > 0 {
		step := min(d, 20*time.Hour)
		e.clock.Advance(step)
		d -= step
		if _, err := c.VerifyCredentials(context.Background(), tok); err != nil {
			e.t.Fatalf("keep the token alive: %v", err)
		}
	}
}

// client is one instance's client: its own budget object over the shared Redis.
func (e *env) client(version string, quota int) *twitter.Client {
	return twitter.NewClient(e.config(version), budget.New(e.rdb, quota, e.clock.Now), nil, e.clock.Now, nil)
}

// fetch reads the window of windowDays before now, from scratch (since 0) or after since.
func (e *env) fetch(c *twitter.Client, tok twitter.Token, userID string, windowDays int, since int64) (twitter.Fetched, error) {
	from := e.clock.Now().Add(-time.Duration(windowDays) * 24 * time.Hour).Truncate(time.Second)
	return c.Fetch(context.Background(), tok, userID, from, since, nil)
}

func (e *env) signIn(version, who string) (twitter.Token, twitter.User) {
	e.t.Helper()
	return twittertest.SignInWith(e.t, e.config(version), who)
}

// stats reads GET /_emulator/stats over HTTP: call counts come from the emulator, not the client.
func (e *env) stats() emulator.Stats {
	e.t.Helper()
	resp, err := http.Get(e.admin + "/_emulator/stats")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var s emulator.Stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) post(path, body string) {
	e.t.Helper()
	resp, err := http.Post(e.admin+path, "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("POST %s %s: status %d", path, body, resp.StatusCode)
	}
}

// calls is the number of responses the emulator sent on endpoint, any status.
func calls(s emulator.Stats, endpoint string) int {
	n := 0
	for _, v := range s.Endpoints[endpoint] {
		n += v
	}
	return n
}

// truth computes, from the persona generator itself, what a fetch at now with a window of
// windowDays must return: raw is how many posts (automated included) the API holds in the window
// (at most the 3,200-post cap), kept the Unix milliseconds of the human posts (in whole seconds,
// as the APIs give them), oldest first.
func truth(t *testing.T, who string, now time.Time, windowDays int) (raw int, kept []int64) {
	t.Helper()
	u, err := persona.ParseUser(who)
	if err != nil {
		t.Fatal(err)
	}
	from := now.Add(-time.Duration(windowDays) * 24 * time.Hour)
	var posts []analyzer.Post
	persona.NewGenerator(seed).Walk(u, now, func(_ int, p persona.Post) bool {
		if p.Time.Before(from) {
			return false
		}
		posts = append(posts, analyzer.Post{Time: p.Time, Source: p.Source, Text: p.Text})
		return true
	})
	for _, p := range analyzer.FilterAutomated(posts) {
		kept = append(kept, p.Time.Truncate(time.Second).UnixMilli()) // the APIs give whole seconds
	}
	slices.Sort(kept)
	return len(posts), kept
}

// sorted returns a read's times oldest first.
func sorted(f twitter.Fetched) []int64 { return slices.Sorted(slices.Values(f.Times)) }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func wantKind(t *testing.T, err error, kind apperr.Kind, code string) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != kind || ae.Code != code {
		t.Fatalf("error = %v, want kind %v code %q", err, kind, code)
	}
	return ae
}

func TestSignInIdentifiesTheUser(t *testing.T) {
	t.Parallel()
	for _, version := range []string{twitter.Version11, twitter.Version2} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{})
			_, user := e.signIn(version, "night_owl#3")
			u, _ := persona.ParseUser("night_owl#3")
			if user.ID != u.IDString() || user.ScreenName != u.ScreenName() || user.Name == "" ||
				!strings.Contains(user.ImageURL, u.ScreenName()) {
				t.Errorf("user = %+v, want id %s, screen name %s and their image", user, u.IDString(), u.ScreenName())
			}
		})
	}
}

// TestFirstFetch reads each persona's window from scratch and checks the posts against the
// generator and the request count against ceil(posts/page)+1, from the emulator's statistics.
func TestFirstFetch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		version  string
		who      string
		window   int
		pageSize int
	}{
		{twitter.Version11, "early_bird", 28, 200},
		{twitter.Version11, "night_owl", 28, 200},
		{twitter.Version11, "shift_worker", 28, 200},
		{twitter.Version11, "chaotic", 28, 200},
		{twitter.Version11, "silent", 28, 200},
		{twitter.Version11, "heavy", 28, 200},
		{twitter.Version11, "night_owl", 7, 200}, // the window cuts the history (60 days) short
		{twitter.Version11, "heavy", 3, 200},
		{twitter.Version2, "early_bird", 28, 100},
		{twitter.Version2, "night_owl", 28, 100},
		{twitter.Version2, "silent", 28, 100},
		{twitter.Version2, "heavy", 28, 100},
		{twitter.Version2, "night_owl", 7, 100},
	}
	for _, tc := range tests {
		t.Run(tc.version+"/"+tc.who+"/"+time.Duration(tc.window*24*int(time.Hour)).String(), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{})
			tok, user := e.signIn(tc.version, tc.who)
			c := e.client(tc.version, 1000)
			before := e.stats()

			var progress []int
			from := e.clock.Now().Add(-time.Duration(tc.window) * 24 * time.Hour).Truncate(time.Second)
			f, err := c.Fetch(context.Background(), tok, user.ID, from, 0, func(n int) { progress = append(progress, n) })
			if err != nil {
				t.Fatal(err)
			}
			raw, kept := truth(t, tc.who, e.clock.Now(), tc.window)
			if got := sorted(f); !slices.Equal(got, kept) {
				t.Fatalf("got %d posts, want the generator's %d human posts in the window", len(got), len(kept))
			}

			after := e.stats()
			ep := map[string]string{twitter.Version11: "user_timeline", twitter.Version2: "users_tweets"}[tc.version]
			sent := calls(after, ep) - calls(before, ep)
			read := after.PostsReturned[ep] - before.PostsReturned[ep]
			inWindow := min(raw, persona.Cap)
			if limit := ceilDiv(inWindow, tc.pageSize) + 1; sent > limit {
				t.Errorf("%d requests for %d posts in the window, want at most ceil(n/%d)+1 = %d", sent, inWindow, tc.pageSize, limit)
			}
			if sent != f.Stats.Calls || read != f.Stats.PostsRead {
				t.Errorf("FetchStats = %+v, emulator saw %d requests returning %d posts", f.Stats, sent, read)
			}
			if len(progress) != sent || (sent > 0 && progress[len(progress)-1] != read) {
				t.Errorf("progress reports %v for %d pages reading %d posts", progress, sent, read)
			}
			if read > inWindow+tc.pageSize {
				t.Errorf("read %d posts for %d in the window: more than one page past the window", read, inWindow)
			}
			// Only a heavy poster's full window reaches the cap before its start.
			if wantCut := tc.who == "heavy" && tc.window == 28; f.Truncated != wantCut {
				t.Errorf("Truncated = %v, want %v", f.Truncated, wantCut)
			}
			if tc.who == "heavy" && tc.window == 28 {
				// Past the 3,200 cap nothing more is asked for.
				if want := persona.Cap / tc.pageSize; sent != want || read != persona.Cap {
					t.Errorf("heavy: %d requests reading %d posts, want %d reading %d", sent, read, want, persona.Cap)
				}
			}
			if tc.who == "early_bird" || tc.who == "night_owl" {
				if raw == len(kept) {
					t.Fatalf("%s has no automated posts in the window: the test proves nothing", tc.who)
				}
			}
			if n := after.Endpoints[ep]["200"]; n != calls(after, ep) {
				t.Errorf("non-200 answers on %s: %v", ep, after.Endpoints[ep])
			}
		})
	}
}

// TestRefresh fetches, moves time on, and fetches again after the newest id: the second read asks
// only for what is new (since_id), in one request when fewer than a page of posts are new.
func TestRefresh(t *testing.T) {
	t.Parallel()
	tests := []struct {
		version  string
		who      string
		advance  time.Duration
		pageSize int
	}{
		{twitter.Version11, "night_owl", 5 * time.Hour, 200},
		{twitter.Version11, "early_bird", 9 * time.Hour, 200},
		{twitter.Version11, "heavy", 40 * time.Hour, 200}, // more than a page of new posts
		{twitter.Version2, "night_owl", 5 * time.Hour, 100},
		{twitter.Version2, "heavy", 20 * time.Hour, 100},
	}
	for _, tc := range tests {
		t.Run(tc.version+"/"+tc.who, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{})
			tok, user := e.signIn(tc.version, tc.who)
			c := e.client(tc.version, 1000)
			ep := map[string]string{twitter.Version11: "user_timeline", twitter.Version2: "users_tweets"}[tc.version]

			first, err := e.fetch(c, tok, user.ID, 28, 0)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := persona.ParseUser(tc.who)
			newest := int64(0)
			persona.NewGenerator(seed).Walk(u, e.clock.Now(), func(_ int, p persona.Post) bool { newest = p.ID; return false })
			if first.NewestID != newest {
				t.Fatalf("NewestID = %d, want the newest post's %d", first.NewestID, newest)
			}

			e.advance(c, tok, tc.advance)
			// The posts made meanwhile, automated ones included: all that may be read now.
			newRaw := 0
			var newKept []int64
			persona.NewGenerator(seed).Walk(u, e.clock.Now(), func(_ int, p persona.Post) bool {
				if p.ID <= newest {
					return false
				}
				newRaw++
				if !analyzer.IsAutomated(analyzer.Post{Source: p.Source, Text: p.Text}) {
					newKept = append(newKept, p.Time.Truncate(time.Second).UnixMilli())
				}
				return true
			})
			if newRaw == 0 {
				t.Fatal("no new posts after advancing the clock: the test proves nothing")
			}
			slices.Sort(newKept)
			before := e.stats()
			second, err := e.fetch(c, tok, user.ID, 28, first.NewestID)
			if err != nil {
				t.Fatal(err)
			}
			after := e.stats()
			sent := calls(after, ep) - calls(before, ep)
			read := after.PostsReturned[ep] - before.PostsReturned[ep]
			if !second.Stats.Incremental {
				t.Error("second fetch was not incremental")
			}
			if read != newRaw {
				t.Errorf("refresh read %d posts, want only the %d new ones", read, newRaw)
			}
			if got := sorted(second); !slices.Equal(got, newKept) {
				t.Errorf("refresh kept %d times, want the %d new human posts", len(got), len(newKept))
			}
			if newRaw < tc.pageSize {
				if sent != 1 {
					t.Errorf("refresh with %d new posts sent %d requests, want exactly 1", newRaw, sent)
				}
			} else if limit := ceilDiv(newRaw, tc.pageSize) + 1; sent > limit {
				t.Errorf("refresh with %d new posts sent %d requests, want at most %d", newRaw, sent, limit)
			}

			// A repeat with nothing new costs one request that reads nothing.
			before = e.stats()
			third, err := e.fetch(c, tok, user.ID, 28, second.NewestID)
			if err != nil {
				t.Fatal(err)
			}
			after = e.stats()
			if sent, read := calls(after, ep)-calls(before, ep), after.PostsReturned[ep]-before.PostsReturned[ep]; sent != 1 || read != 0 || len(third.Times) != 0 || third.NewestID != second.NewestID {
				t.Errorf("repeat with nothing new: %d requests reading %d posts (%+v), want 1 reading 0", sent, read, third)
			}
		})
	}
}

// TestRefreshCutByTheCap: a refresh with more new posts than Twitter returns (3,200) cannot reach
// the stored posts, so there is a hole between them; the read says it was truncated.
func TestRefreshCutByTheCap(t *testing.T) {
	t.Parallel()
	for _, version := range []string{twitter.Version11, twitter.Version2} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{})
			tok, user := e.signIn(version, "heavy")
			c := e.client(version, 1000)
			first, err := e.fetch(c, tok, user.ID, 28, 0)
			if err != nil {
				t.Fatal(err)
			}
			e.advance(c, tok, 25*24*time.Hour) // about 3,750 new posts
			second, err := e.fetch(c, tok, user.ID, 28, first.NewestID)
			if err != nil {
				t.Fatal(err)
			}
			if !second.Stats.Incremental || !second.Truncated || second.Stats.PostsRead != persona.Cap {
				t.Fatalf("refresh past the cap: incremental %v, truncated %v, %d posts read; want true, true, %d",
					second.Stats.Incremental, second.Truncated, second.Stats.PostsRead, persona.Cap)
			}
			// A refresh that reaches the stored posts is not truncated.
			e.advance(c, tok, time.Hour)
			if third, err := e.fetch(c, tok, user.ID, 28, second.NewestID); err != nil || third.Truncated || len(third.Times) == 0 {
				t.Fatalf("short refresh: %v, truncated %v, %d times", err, third.Truncated, len(third.Times))
			}
		})
	}
}

// TestFetchStoresNothing: the client reads Twitter and keeps nothing; storing is the caller's.
func TestFetchStoresNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	tok, user := e.signIn(twitter.Version11, "night_owl")
	if _, err := e.fetch(e.client(twitter.Version11, 1000), tok, user.ID, 28, 0); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, k := range e.rdb.Keys(ctx, "*").Val() {
		if !strings.HasPrefix(k, "nezame:budget:") {
			t.Errorf("key %q: the client stores nothing but the budget", k)
		}
		if e.rdb.TTL(ctx, k).Val() <= 0 {
			t.Errorf("key %q has no TTL", k)
		}
	}
}

func TestSameTimesFromBothVersions(t *testing.T) {
	t.Parallel()
	for _, who := range []string{"early_bird", "night_owl", "shift_worker", "chaotic", "heavy"} {
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{})
			var results [2][]int64
			for i, version := range []string{twitter.Version11, twitter.Version2} {
				tok, user := e.signIn(version, who)
				f, err := e.fetch(e.client(version, 1000), tok, user.ID, 28, 0)
				if err != nil {
					t.Fatal(err)
				}
				results[i] = sorted(f)
			}
			if len(results[0]) == 0 || !slices.Equal(results[0], results[1]) {
				t.Errorf("v1.1 gave %d times, v2 %d: want the same non-empty list", len(results[0]), len(results[1]))
			}
		})
	}
}

// TestTwitter429 drives the emulator's app-wide cap to zero: the client reports rate_limited
// (reason twitter) with the emulator's reset, and afterwards refuses without sending anything.
func TestTwitter429(t *testing.T) {
	t.Parallel()
	for _, version := range []string{twitter.Version11, twitter.Version2} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{})
			ep := map[string]string{twitter.Version11: "user_timeline", twitter.Version2: "users_tweets"}[version]
			tok, user := e.signIn(version, "night_owl")
			c := e.client(version, 1000)

			cp := e.emu.SetAppRemaining(0, 0)
			reset := time.Unix(cp.Reset, 0)
			_, err := e.fetch(c, tok, user.ID, 28, 0)
			ae := wantKind(t, err, apperr.KindRateLimited, apperr.CodeRateLimited)
			if want := reset.Sub(e.clock.Now()); ae.RetryAfter != want || !ae.ResetAt.Equal(reset) || ae.Reason != apperr.ReasonTwitter {
				t.Errorf("RetryAfter %v, ResetAt %v, reason %q; want %v, %v (the emulator's reset), twitter", ae.RetryAfter, ae.ResetAt, ae.Reason, want, reset)
			}
			s := e.stats()
			if s.Endpoints[ep]["429"] != 1 || calls(s, ep) != 1 {
				t.Fatalf("%s answers = %v, want exactly one 429", ep, s.Endpoints[ep])
			}

			// Known to fail: not sent again, by this client or another instance.
			for _, cl := range []*twitter.Client{c, e.client(version, 1000)} {
				_, err := e.fetch(cl, tok, user.ID, 28, 0)
				wantKind(t, err, apperr.KindRateLimited, apperr.CodeRateLimited)
			}
			if n := calls(e.stats(), ep); n != 1 {
				t.Errorf("%d requests reached the emulator, want 1: a request known to fail was sent", n)
			}

			// After the reset it works again.
			e.advance(c, tok, reset.Sub(e.clock.Now())+time.Second)
			if _, err := e.fetch(c, tok, user.ID, 28, 0); err != nil {
				t.Errorf("fetch after the reset: %v", err)
			}
		})
	}
}

// TestPartialFetchFails lets the first pages through and then runs out of app budget at Twitter:
// the whole read fails as rate_limited (nothing of it is returned to be stored).
func TestPartialFetchFails(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	tok, user := e.signIn(twitter.Version11, "heavy")
	c := e.client(twitter.Version11, 1000)
	e.emu.SetAppRemaining(2, 0)

	f, err := e.fetch(c, tok, user.ID, 28, 0)
	wantKind(t, err, apperr.KindRateLimited, apperr.CodeRateLimited)
	if len(f.Times) != 0 {
		t.Errorf("a failed read returned %d times", len(f.Times))
	}
	s := e.stats()
	// The second response said the app had nothing left, so a third was never sent.
	if got := s.Endpoints["user_timeline"]; got["200"] != 2 || calls(s, "user_timeline") != 2 {
		t.Errorf("user_timeline answers = %v, want two 200s and nothing else", got)
	}
}

// TestAppQuotaSharedByTwoClients spends the service's own daily quota from two instances on one
// Redis; once it is spent neither sends anything, and both say app_quota until UTC midnight.
func TestAppQuotaSharedByTwoClients(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	a, b := e.client(twitter.Version11, 2), e.client(twitter.Version11, 2)
	tok1, u1 := e.signIn(twitter.Version11, "silent#1")
	tok2, u2 := e.signIn(twitter.Version11, "silent#2")
	tok3, u3 := e.signIn(twitter.Version11, "silent#3")

	if _, err := e.fetch(a, tok1, u1.ID, 28, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.fetch(b, tok2, u2.ID, 28, 0); err != nil {
		t.Fatal(err)
	}
	for name, cl := range map[string]*twitter.Client{"a": a, "b": b} {
		_, err := e.fetch(cl, tok3, u3.ID, 28, 0)
		ae := wantKind(t, err, apperr.KindRateLimited, apperr.CodeRateLimited)
		midnight := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
		if want := midnight.Sub(e.clock.Now()); ae.RetryAfter != want || !ae.ResetAt.Equal(midnight) || ae.Reason != apperr.ReasonAppQuota {
			t.Errorf("client %s: RetryAfter %v, ResetAt %v, reason %q; want %v to %v, app_quota", name, ae.RetryAfter, ae.ResetAt, ae.Reason, want, midnight)
		}
	}
	if n := calls(e.stats(), "user_timeline"); n != 2 {
		t.Errorf("the emulator saw %d timeline requests, want 2: the spent quota was not shared", n)
	}
}

func TestBadSignatureRejected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	ctx := context.Background()
	tok, user := e.signIn(twitter.Version11, "night_owl")
	bad := e.config(twitter.Version11)
	bad.ConsumerSecret = "not-the-secret"

	_, _, err := twitter.NewOAuth(bad).RequestToken(ctx, "http://127.0.0.1:1/cb")
	wantKind(t, err, apperr.KindInternal, apperr.CodeTwitterConsumerError)

	c := twitter.NewClient(bad, budget.New(e.rdb, 1000, e.clock.Now), nil, e.clock.Now, nil)
	_, err = c.VerifyCredentials(ctx, tok)
	wantKind(t, err, apperr.KindUnauthenticated, apperr.CodeTwitterTokenRevoked)
	_, err = e.fetch(c, tok, user.ID, 28, 0)
	wantKind(t, err, apperr.KindUnauthenticated, apperr.CodeTwitterTokenRevoked)

	s := e.stats()
	for _, ep := range []string{"request_token", "verify_credentials", "user_timeline"} {
		if s.Endpoints[ep]["401"] != 1 {
			t.Errorf("%s: answers %v, want one 401", ep, s.Endpoints[ep])
		}
	}
}

// failFirst answers the first n timeline requests with Twitter's 503 before the emulator sees
// them: a deterministic outage that then clears.
func failFirst(n int64, failed *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "user_timeline") && failed.Load() < n {
				failed.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"errors":[{"code":130,"message":"Over capacity"}]}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("5xx then success", func(t *testing.T) {
		t.Parallel()
		var failed atomic.Int64
		e := newEnv(t, envOpts{wrap: failFirst(2, &failed)})
		tok, user := e.signIn(twitter.Version11, "early_bird")
		f, err := e.fetch(e.client(twitter.Version11, 1000), tok, user.ID, 28, 0)
		if err != nil {
			t.Fatalf("fetch through two 503s: %v", err)
		}
		_, kept := truth(t, "early_bird", e.clock.Now(), 28)
		if !slices.Equal(sorted(f), kept) {
			t.Error("posts after retries differ from the generator's")
		}
		if failed.Load() != 2 || f.Stats.Calls != calls(e.stats(), "user_timeline")+2 {
			t.Errorf("failed %d, FetchStats.Calls %d, emulator %d", failed.Load(), f.Stats.Calls, calls(e.stats(), "user_timeline"))
		}
	})

	t.Run("5xx exhausts the retries", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOpts{})
		tok, user := e.signIn(twitter.Version11, "early_bird")
		e.emu.SetFaults(emulator.Faults{ErrorRate: 1})
		_, err := e.fetch(e.client(twitter.Version11, 1000), tok, user.ID, 28, 0)
		wantKind(t, err, apperr.KindUnavailable, apperr.CodeTwitterUnavailable)
		if got := e.stats().Endpoints["user_timeline"]; got["503"] != 3 || calls(e.stats(), "user_timeline") != 3 {
			t.Errorf("user_timeline answers = %v, want exactly 3 tries, all 503", got)
		}
	})

	t.Run("timeouts exhaust the retries", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOpts{})
		tok, user := e.signIn(twitter.Version2, "early_bird")
		e.emu.SetFaults(emulator.Faults{TimeoutRate: 1})
		cfg := e.config(twitter.Version2)
		cfg.RequestTimeout = 150 * time.Millisecond
		c := twitter.NewClient(cfg, budget.New(e.rdb, 1000, e.clock.Now), nil, e.clock.Now, nil)
		f, err := e.fetch(c, tok, user.ID, 28, 0)
		wantKind(t, err, apperr.KindUnavailable, apperr.CodeTwitterUnavailable)
		if f.Stats.Calls != 3 {
			t.Errorf("FetchStats.Calls = %d, want 3 tries", f.Stats.Calls)
		}
		// The emulator records a request the client gave up on when its handler returns.
		deadline := time.Now().Add(30 * time.Second)
		for calls(e.stats(), "users_tweets") < 3 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := e.stats().Endpoints["users_tweets"]; got["499"] != 3 {
			t.Errorf("users_tweets answers = %v, want 3 abandoned (499)", got)
		}
	})

	t.Run("cancelled context stops retrying", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOpts{})
		tok, user := e.signIn(twitter.Version11, "early_bird")
		e.emu.SetFaults(emulator.Faults{TimeoutRate: 1})
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		from := e.clock.Now().Add(-28 * 24 * time.Hour)
		f, err := e.client(twitter.Version11, 1000).Fetch(cctx, tok, user.ID, from, 0, nil)
		if !errors.Is(err, context.DeadlineExceeded) || f.Stats.Calls != 1 {
			t.Errorf("error = %v after %d calls, want the context's deadline after 1", err, f.Stats.Calls)
		}
		wantKind(t, err, apperr.KindUnavailable, apperr.CodeTwitterUnavailable)
	})
}

// TestUnderPathPrefix mounts the emulator under /_twitter as demo mode does: go-twitter's
// requests are rewritten to the prefix before they are signed, and the emulator accepts them.
func TestUnderPathPrefix(t *testing.T) {
	t.Parallel()
	for _, version := range []string{twitter.Version11, twitter.Version2} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{basePath: "/_twitter"})
			tok, user := e.signIn(version, "chaotic")
			f, err := e.fetch(e.client(version, 1000), tok, user.ID, 28, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, kept := truth(t, "chaotic", e.clock.Now(), 28); !slices.Equal(sorted(f), kept) {
				t.Errorf("got %d posts, want %d", len(f.Times), len(kept))
			}
		})
	}
}

// TestPerTokenWindow spends a user's whole 15-minute window (900 requests): the last response
// says nothing is left, so the next fetch for that user is refused without being sent, by any
// instance, until the window resets; other users are unaffected.
func TestPerTokenWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	tok, user := e.signIn(twitter.Version11, "silent#5")
	otherTok, otherUser := e.signIn(twitter.Version11, "silent#6")
	c := e.client(twitter.Version11, 100000)
	for i := range 900 {
		if _, err := e.fetch(c, tok, user.ID, 28, 0); err != nil {
			t.Fatalf("fetch %d: %v", i+1, err)
		}
	}
	for _, cl := range []*twitter.Client{c, e.client(twitter.Version11, 100000)} {
		_, err := e.fetch(cl, tok, user.ID, 28, 0)
		ae := wantKind(t, err, apperr.KindRateLimited, apperr.CodeRateLimited)
		if ae.RetryAfter <= 0 || ae.RetryAfter > 15*time.Minute || ae.Reason != apperr.ReasonTwitter {
			t.Errorf("RetryAfter = %v, reason %q; want the rest of the 15-minute window, twitter", ae.RetryAfter, ae.Reason)
		}
	}
	s := e.stats().Endpoints["user_timeline"]
	if s["200"] != 900 || s["429"] != 0 {
		t.Errorf("user_timeline answers = %v, want 900 200s and no 429: the spent window was not respected", s)
	}
	if _, err := e.fetch(c, otherTok, otherUser.ID, 28, 0); err != nil {
		t.Errorf("another user was blocked too: %v", err)
	}
	e.advance(c, tok, 15*time.Minute)
	if _, err := e.fetch(c, tok, user.ID, 28, 0); err != nil {
		t.Errorf("fetch after the window reset: %v", err)
	}
}

// TestLogsCarryBudgetNotSecrets checks the structured request log: remaining budget fields and
// where requests went, and never the token, its secret or the consumer secret.
func TestLogsCarryBudgetNotSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	tok, user := e.signIn(twitter.Version11, "night_owl")
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := twitter.NewClient(e.config(twitter.Version11), budget.New(e.rdb, 1000, e.clock.Now), nil, e.clock.Now, logger)
	if _, err := e.fetch(c, tok, user.ID, 28, 0); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, field := range []string{`"app_budget_remaining":`, `"rate_remaining":`, `"posts_read":`, `"api_base":"` + e.base + `"`} {
		if !strings.Contains(out, field) {
			t.Errorf("log lacks %s:\n%s", field, out)
		}
	}
	for _, secret := range []string{tok.Token, tok.Secret, twittertest.ConsumerSecret, "oauth_signature"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains a secret (%q)", secret[:min(4, len(secret))])
		}
	}
}

// TestErrorsNameTheConfiguredBase makes every request time out against an emulator that is not
// api.twitter.com: the errors and logs must name where the requests went, for both API versions.
func TestErrorsNameTheConfiguredBase(t *testing.T) {
	t.Parallel()
	for _, version := range []string{twitter.Version11, twitter.Version2} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOpts{basePath: "/_twitter"})
			tok, user := e.signIn(version, "early_bird")
			e.emu.SetFaults(emulator.Faults{TimeoutRate: 1})
			var buf syncBuffer
			cfg := e.config(version)
			cfg.RequestTimeout, cfg.MaxAttempts = 100*time.Millisecond, 1
			c := twitter.NewClient(cfg, budget.New(e.rdb, 1000, e.clock.Now), nil, e.clock.Now,
				slog.New(slog.NewJSONHandler(&buf, nil)))
			_, err := e.fetch(c, tok, user.ID, 28, 0)
			wantKind(t, err, apperr.KindUnavailable, apperr.CodeTwitterUnavailable)
			text := err.Error() + buf.String()
			if strings.Contains(text, "api.twitter.com") || !strings.Contains(err.Error(), e.base) {
				t.Errorf("error and logs name another host than %s:\n%s\n%s", e.base, err, buf.String())
			}
			if strings.Contains(err.Error(), "since_id") || strings.Contains(err.Error(), "user_id=") {
				t.Errorf("the error carries the query: %v", err)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
