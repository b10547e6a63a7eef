package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/auth"
	"github.com/nezame/nezame/api/internal/config"
	"github.com/nezame/nezame/api/internal/emulator"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/metrics"
	"github.com/nezame/nezame/api/internal/periods"
	"github.com/nezame/nezame/api/internal/posttimes"
	"github.com/nezame/nezame/api/internal/queue"
	"github.com/nezame/nezame/api/internal/ratelimit"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/seal"
	"github.com/nezame/nezame/api/internal/session"
	"github.com/nezame/nezame/api/internal/share"
	"github.com/nezame/nezame/api/internal/share/blobstore"
	"github.com/nezame/nezame/api/internal/storage"
	"github.com/nezame/nezame/api/internal/twitter"
	"github.com/nezame/nezame/api/internal/twitter/budget"
	"github.com/nezame/nezame/api/internal/twitter/twittertest"
	"github.com/nezame/nezame/docs"
)

// stack is one service instance wired as main wires it, against a real Redis and a real
// emulator on loopback.
type stack struct {
	srv    *httptest.Server
	server *Server
	redis  *redistest.Server
	emu    *httptest.Server
}

func newStack(t *testing.T) *stack { t.Helper(); return newStackTB(t) }

func newStackTB(t testing.TB) *stack { return newStackWith(t, stackOptions{}) }

type stackOptions struct {
	queueCapacity  int    // waiting-room capacity; 0: no waiting room
	version        string // Twitter API version; "" = 1.1
	emu            *httptest.Server
	shareStore     blobstore.Store       // nil: a directory
	limits         ratelimit.Limits      // added to a permissive sign-in limit
	now            func() time.Time      // the share service's clock; nil: time.Now
	quota          int                   // TWITTER_APP_DAILY_QUOTA; 0 = 1000
	requestTimeout time.Duration         // per Twitter request; 0 = 5s
	periods        func(*periods.Config) // adjusts the periods service
	attempts       int                   // tries per Twitter request; 0 = 3
	firstWait      time.Duration         // how long a view waits for a read of Twitter; 0 = 30s
	// wrap wraps the service's handler (the OpenAPI test validates every exchange there).
	wrap func(http.Handler) http.Handler
	// twitterClock is the time of the emulator (when the stack makes it), the Twitter budget,
	// the client and the periods service; nil: time.Now.
	twitterClock func() time.Time
}

// newStackWith starts a stack with the given options.
func newStackWith(t testing.TB, o stackOptions) *stack {
	t.Helper()
	rs := redistest.Start(t)
	clock := o.twitterClock
	if clock == nil {
		clock = time.Now
	}
	emu := o.emu
	if emu == nil {
		emu = httptest.NewServer(emulator.New(emulator.Config{ConsumerKey: "k", ConsumerSecret: "s", AppDailyCap: 1000, Seed: 7, Now: clock}))
		t.Cleanup(emu.Close)
	}
	if o.version == "" {
		o.version = "1.1"
	}
	st := &stack{redis: rs, emu: emu}
	// The service's own address is needed for PUBLIC_URL before it starts.
	st.srv = httptest.NewUnstartedServer(nil)
	public := "http://" + st.srv.Listener.Addr().String()
	cfg, err := config.Load(mapEnv(map[string]string{
		"PUBLIC_URL": public, "REDIS_URL": rs.URL(), "SESSION_SECRET": strings.Repeat("x", 32),
		"TWITTER_CONSUMER_KEY": "k", "TWITTER_CONSUMER_SECRET": "s", "TWITTER_API_BASE": emu.URL,
	}))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	conn, err := storage.Open(cfg.RedisURL, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	tcfg := twitter.Config{APIBase: cfg.APIBase, ConsumerKey: "k", ConsumerSecret: "s", Version: o.version, RequestTimeout: 5 * time.Second,
		RetryBackoff: 10 * time.Millisecond, MaxAttempts: o.attempts}
	if o.requestTimeout > 0 {
		tcfg.RequestTimeout = o.requestTimeout
	}
	quota := o.quota
	if quota == 0 {
		quota = 1000
	}
	m := metrics.New()
	client := twitter.NewClient(tcfg, budget.New(conn.Client, quota, clock), m, clock, log)
	sealer, _ := seal.New([]byte(cfg.SessionSecret), "access-token")
	store := o.shareStore
	if store == nil {
		fs, err := blobstore.NewFile(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = fs.Close() })
		store = fs
	}
	limits := stackLimits()
	maps.Copy(limits, o.limits)
	limiter := ratelimit.New(conn.Client, limits)
	now := o.now
	if now == nil {
		now = time.Now
	}
	shares, err := share.NewService(store, limiter, cfg.PublicURL, now, log)
	if err != nil {
		t.Fatal(err)
	}
	// A test that is not about a slow first view sees the answer, however busy the machine: the
	// request waits for the read (production answers 202 fetching after 0.8 s).
	pcfg := periods.Config{CacheTTL: time.Minute, WindowDays: 28, FirstWait: 30 * time.Second}
	if o.firstWait > 0 {
		pcfg.FirstWait = o.firstWait
	}
	if o.periods != nil {
		o.periods(&pcfg)
	}
	var room periods.Admission
	if o.queueCapacity > 0 {
		room = queue.New(queue.Config{Capacity: o.queueCapacity, SlotTTL: pcfg.HoldTTL()}, conn.Client, time.Now, log)
	}
	svc := periods.New(pcfg, posttimes.NewStore(conn.Client, 29*24*time.Hour), client, room, conn.Client, clock, log, m)
	revisits, err := conn.Client.AutoPipelineWithOptions(&redis.AutoPipelineOptions{MaxConcurrentBatches: 4, Unordered: true})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Config: cfg, Logger: log, Metrics: m, Ready: conn.Ping, OpenAPI: docs.OpenAPI,
		Shares:  shares,
		Limiter: limiter,
		Auth: &Auth{
			Flow:     auth.NewFlow(twitter.NewOAuth(tcfg), client, conn.Client, public+"/auth/callback", log),
			Store:    session.NewStore(conn.Client, false),
			Sealer:   sealer,
			Periods:  svc,
			Redis:    conn.Client,
			Revisits: revisits,
		}})
	st.server = s
	st.srv.Config.Handler = s.Handler()
	if o.wrap != nil {
		st.srv.Config.Handler = o.wrap(s.Handler())
	}
	st.srv.Start()
	t.Cleanup(st.srv.Close)
	return st
}

// stackLimits are the production limits, except that tests may send more archive analyses and
// share requests (TestShareLimits sets its own).
func stackLimits() ratelimit.Limits {
	l := ratelimit.DefaultLimits()
	for _, name := range []string{"analyze", "share", "share_preview", "share_owner"} {
		l[name] = redis_rate.Limit{Rate: 1000, Burst: 1000, Period: time.Minute}
	}
	return l
}

func mapEnv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// browser is a cookie-keeping client that does not follow redirects, so each hop is checked.
func browser(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t testing.TB, c *http.Client, u string) *http.Response {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// startSignIn runs /auth/login and the emulator's consent page, returning the callback URL.
func startSignIn(t testing.TB, st *stack, b *http.Client, persona string) string {
	t.Helper()
	resp := get(t, b, st.srv.URL+"/auth/login")
	if resp.StatusCode != 302 {
		t.Fatalf("login = %d", resp.StatusCode)
	}
	authURL, _ := url.Parse(resp.Header.Get("Location"))
	tok := authURL.Query().Get("oauth_token")
	consent, err := browser(t).PostForm(st.emu.URL+"/oauth/authenticate", url.Values{"oauth_token": {tok}, "persona": {persona}})
	if err != nil {
		t.Fatal(err)
	}
	consent.Body.Close()
	if consent.StatusCode != 302 {
		t.Fatalf("consent = %d", consent.StatusCode)
	}
	return consent.Header.Get("Location")
}

func signIn(t testing.TB, st *stack, b *http.Client, persona string) {
	t.Helper()
	resp := get(t, b, startSignIn(t, st, b, persona))
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "/" {
		t.Fatalf("callback = %d -> %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSignInAndPeriods(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signIn(t, st, b, "early_bird")

	var sessionCookie *http.Cookie
	u, _ := url.Parse(st.srv.URL)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == "nezame_session" {
			sessionCookie = c
		}
	}
	if sessionCookie == nil || len(sessionCookie.Value) != 43 {
		t.Fatalf("want an opaque 43-char session id cookie, got %+v", sessionCookie)
	}

	resp := get(t, b, st.srv.URL+"/api/me")
	var me map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&me)
	if resp.StatusCode != 200 || me["screenName"] != "early_bird" || me["id"] == "" {
		t.Fatalf("me = %d %v", resp.StatusCode, me)
	}
	resp = get(t, b, st.srv.URL+"/api/periods?tz=Asia/Tokyo")
	var a struct {
		Timezone  string
		PostCount int
		Days      []json.RawMessage
	}
	_ = json.NewDecoder(resp.Body).Decode(&a)
	if resp.StatusCode != 200 || a.Timezone != "Asia/Tokyo" || a.PostCount == 0 || len(a.Days) != 28 {
		t.Fatalf("periods = %d %+v", resp.StatusCode, a)
	}
	if resp := get(t, b, st.srv.URL+"/api/periods?tz=Not/AZone"); resp.StatusCode != 400 {
		t.Fatalf("bad tz = %d", resp.StatusCode)
	}

	// Redis contents alone must not reveal the access token.
	rdb := st.redis.Client()
	raw, _ := rdb.Get(context.Background(), "nezame:session:"+sessionCookie.Value).Result()
	if !strings.Contains(raw, `"tok"`) || strings.Contains(raw, "\\n") {
		t.Fatalf("session record should hold the sealed token only: %s", raw)
	}

	// Logout: cross-site is refused, same-site ends the session server-side.
	req, _ := http.NewRequest("POST", st.srv.URL+"/auth/logout", nil)
	req.Header.Set("Origin", "https://evil.example")
	if resp, _ := b.Do(req); resp.StatusCode != 403 {
		t.Fatalf("cross-site logout = %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", st.srv.URL+"/auth/logout", nil)
	req.Header.Set("Origin", st.srv.URL)
	if resp, _ := b.Do(req); resp.StatusCode != 204 {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	if n := rdb.Exists(context.Background(), "nezame:session:"+sessionCookie.Value).Val(); n != 0 {
		t.Fatal("session record survives logout")
	}
	// Replaying the old cookie from another client does not work either.
	replay := browser(t)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: "nezame_session", Value: sessionCookie.Value}})
	if resp := get(t, replay, st.srv.URL+"/api/me"); resp.StatusCode != 401 {
		t.Fatalf("old cookie after logout = %d", resp.StatusCode)
	}
}

func TestCallbackRefusals(t *testing.T) {
	st := newStack(t)
	wantError := func(t *testing.T, resp *http.Response, code string) {
		t.Helper()
		if resp.StatusCode != 302 || resp.Header.Get("Location") != "/?error="+code {
			t.Fatalf("got %d -> %q, want /?error=%s", resp.StatusCode, resp.Header.Get("Location"), code)
		}
	}
	t.Run("reused token", func(t *testing.T) {
		b := browser(t)
		cb := startSignIn(t, st, b, "night_owl")
		if resp := get(t, b, cb); resp.Header.Get("Location") != "/" {
			t.Fatalf("first use refused: %s", resp.Header.Get("Location"))
		}
		wantError(t, get(t, b, cb), "login_expired")
	})
	t.Run("other browser", func(t *testing.T) {
		owner, other := browser(t), browser(t)
		cb := startSignIn(t, st, owner, "night_owl")
		// A browser without the binding (login CSRF, or someone who saw the token) is refused...
		wantError(t, get(t, other, cb), "login_mismatch")
		// ...and one bringing a wrong binding too...
		u, _ := url.Parse(cb)
		forged := 0
		for _, ck := range owner.Jar.Cookies(u) {
			if strings.HasPrefix(ck.Name, bindingCookie+"_") {
				other.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: strings.Repeat("A", len(ck.Value))}})
				forged++
			}
		}
		if forged != 1 {
			t.Fatalf("the starting browser holds %d binding cookies, want 1", forged)
		}
		wantError(t, get(t, other, cb), "login_mismatch")
		// ...without spending the sign-in: the browser that started it still completes it, once.
		if resp := get(t, owner, cb); resp.StatusCode != 302 || resp.Header.Get("Location") != "/" {
			t.Fatalf("the starting browser's callback after refused ones = %d -> %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		wantError(t, get(t, owner, cb), "login_expired")
	})
	t.Run("unknown token", func(t *testing.T) {
		b := browser(t)
		_ = get(t, b, st.srv.URL+"/auth/login")
		wantError(t, get(t, b, st.srv.URL+"/auth/callback?oauth_token=nope&oauth_verifier=x"), "login_expired")
	})
	t.Run("expired token", func(t *testing.T) {
		b := browser(t)
		cb := startSignIn(t, st, b, "night_owl")
		rdb := st.redis.Client()
		keys, _ := rdb.Keys(context.Background(), "nezame:oauth:*").Result()
		for _, k := range keys { // what the 10-minute TTL does
			rdb.Del(context.Background(), k)
		}
		wantError(t, get(t, b, cb), "login_expired")
	})
	t.Run("missing verifier", func(t *testing.T) {
		wantError(t, get(t, browser(t), st.srv.URL+"/auth/callback?oauth_token=x"), "login_invalid")
	})
	t.Run("denied", func(t *testing.T) {
		wantError(t, get(t, browser(t), st.srv.URL+"/auth/callback?denied=abc"), "denied")
	})
}

// The sign-in limit counts what is abused, request tokens asked for and never used, so any
// number of people behind one address (a campus, a carrier's NAT) can sign in, and a callback
// that brings back its browser's binding is never limited.
func TestSignInLimitCountsOnlyUnfinishedSignIns(t *testing.T) {
	st := newStack(t) // production limits; every request comes from 127.0.0.1
	waiting := browser(t)
	pendingCallback := startSignIn(t, st, waiting, "night_owl")

	// Far more people than the old limit let through (about 15 a minute) sign in from one address.
	for i := range 40 {
		signIn(t, st, browser(t), fmt.Sprintf("early_bird#%d", i))
	}

	// Someone asking for request tokens and never using them is stopped, without a Twitter call
	// for each refusal.
	before := twittertest.Calls(t, st.emu.URL, "request_token")
	started, limited := 0, false
	for range 400 {
		resp := get(t, browser(t), st.srv.URL+"/auth/login")
		if resp.Header.Get("Location") == "/?error=rate_limited" {
			if resp.Header.Get("Retry-After") == "" {
				t.Fatal("a refused sign-in says nothing about when to retry")
			}
			limited = true
			break
		}
		started++
	}
	burst := ratelimit.DefaultLimits()["signin"].Burst
	if !limited || started < burst-2 || started > burst+2 {
		t.Fatalf("limited=%v after %d unfinished sign-ins; want about %d", limited, started, burst)
	}
	if calls := twittertest.Calls(t, st.emu.URL, "request_token") - before; calls != started {
		t.Fatalf("%d request_token calls for %d started sign-ins", calls, started)
	}

	// The address is limited now, but a sign-in already under way finishes.
	if resp := get(t, waiting, pendingCallback); resp.StatusCode != 302 || resp.Header.Get("Location") != "/" {
		t.Fatalf("a callback with its browser's binding while the address is limited: %d -> %s",
			resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := get(t, waiting, st.srv.URL+"/api/me"); resp.StatusCode != 200 {
		t.Fatalf("me after the limited-time callback = %d", resp.StatusCode)
	}
}

// ?denied=<token> names a request token, which is not a secret; it must not cancel a sign-in
// that another browser started.
func TestDenialNeedsTheBrowserThatStarted(t *testing.T) {
	st := newStack(t)
	victim, attacker := browser(t), browser(t)
	cb := startSignIn(t, st, victim, "night_owl")
	u, _ := url.Parse(cb)
	resp := get(t, attacker, st.srv.URL+"/auth/callback?denied="+url.QueryEscape(u.Query().Get("oauth_token")))
	if resp.Header.Get("Location") != "/?error=denied" {
		t.Fatalf("denial = %s", resp.Header.Get("Location"))
	}
	if resp := get(t, victim, cb); resp.Header.Get("Location") != "/" {
		t.Fatalf("the victim's sign-in after a stranger's denial = %s", resp.Header.Get("Location"))
	}

	// The browser that started a sign-in can cancel it.
	b := browser(t)
	cb = startSignIn(t, st, b, "night_owl")
	u, _ = url.Parse(cb)
	if resp := get(t, b, st.srv.URL+"/auth/callback?denied="+url.QueryEscape(u.Query().Get("oauth_token"))); resp.Header.Get("Location") != "/?error=denied" {
		t.Fatalf("own denial = %s", resp.Header.Get("Location"))
	}
	if resp := get(t, b, cb); resp.Header.Get("Location") != "/?error=login_expired" {
		t.Fatalf("a denied sign-in completed: %s", resp.Header.Get("Location"))
	}
}

// Starting sign-in twice (two tabs, a double click) used to break both with login_mismatch.
func TestStartingSignInTwice(t *testing.T) {
	st := newStack(t)
	for _, order := range []string{"older first", "newest first"} {
		t.Run(order, func(t *testing.T) {
			b := browser(t)
			older := startSignIn(t, st, b, "night_owl")
			newest := startSignIn(t, st, b, "night_owl")
			if order == "newest first" {
				if resp := get(t, b, newest); resp.Header.Get("Location") != "/" {
					t.Fatalf("newest sign-in = %s", resp.Header.Get("Location"))
				}
			}
			resp := get(t, b, older)
			if resp.StatusCode != 302 || resp.Header.Get("Location") != "/?error=login_superseded" {
				t.Fatalf("older sign-in = %d %s; want a clean login_superseded", resp.StatusCode, resp.Header.Get("Location"))
			}
			if order == "older first" {
				if resp := get(t, b, newest); resp.Header.Get("Location") != "/" {
					t.Fatalf("newest sign-in after the older failed = %s", resp.Header.Get("Location"))
				}
			}
			if resp := get(t, b, st.srv.URL+"/api/me"); resp.StatusCode != 200 {
				t.Fatalf("me = %d: the failed older sign-in broke the newest", resp.StatusCode)
			}
		})
	}
}

func TestTamperedCookieIsSignedOut(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signIn(t, st, b, "early_bird")
	u, _ := url.Parse(st.srv.URL)
	for _, v := range []string{"", "x", strings.Repeat("A", 43), "../../etc/passwd", strings.Repeat("A", 42) + "*"} {
		c := browser(t)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "nezame_session", Value: v}})
		resp := get(t, c, st.srv.URL+"/api/me")
		if resp.StatusCode != 401 {
			t.Fatalf("cookie %q: %d", v, resp.StatusCode)
		}
	}
}

func TestRedisOutageIs503ThenRecovers(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signIn(t, st, b, "early_bird")
	st.redis.Stop()
	for _, path := range []string{"/api/me", "/api/periods?tz=UTC", "/readyz"} {
		resp := get(t, b, st.srv.URL+path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 503 || !strings.Contains(string(body), `"code"`) {
			t.Fatalf("%s during outage = %d %s", path, resp.StatusCode, body)
		}
	}
	st.redis.Restart() // an empty Redis: the session is gone, but nothing crashes
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp := get(t, b, st.srv.URL+"/readyz")
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready 30 s after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp := get(t, b, st.srv.URL+"/api/me"); resp.StatusCode != 401 {
		t.Fatalf("after a Redis restart without persistence the session is gone: want 401, got %d", resp.StatusCode)
	}
	signIn(t, st, b, "early_bird")
	if resp := get(t, b, st.srv.URL+"/api/periods?tz=UTC"); resp.StatusCode != 200 {
		t.Fatalf("periods after recovery = %d", resp.StatusCode)
	}
}

func TestConcurrentPeriodsShareOneFetch(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signIn(t, st, b, "night_owl")
	var wg sync.WaitGroup
	codes := make(chan int, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := b.Get(st.srv.URL + "/api/periods?tz=Europe/London")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("a concurrent request got %d", c)
		}
	}
	calls := twittertest.Calls(t, st.emu.URL, "user_timeline")
	// One fetch of ~800 posts is 5 pages; 50 independent fetches would be 250.
	if calls < 1 || calls > 6 {
		t.Fatalf("50 concurrent requests made %d timeline calls; want one fetch (≤ 6 pages)", calls)
	}
	// Another zone within CACHE_TTL costs no call.
	if resp := get(t, b, st.srv.URL+"/api/periods?tz=Asia/Tokyo"); resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	if again := twittertest.Calls(t, st.emu.URL, "user_timeline"); again != calls {
		t.Fatalf("a second zone made %d more calls", again-calls)
	}
}

func TestWaitingRoomAnswers202ThenServes(t *testing.T) {
	st := newStackWith(t, stackOptions{queueCapacity: 1})
	// Another instance's fetch holds the only slot.
	other := queue.New(queue.Config{Capacity: 1}, st.redis.Client(), time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	release, err := other.Admit(context.Background(), "someone-else")
	if err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	signIn(t, st, b, "early_bird")
	resp := get(t, b, st.srv.URL+"/api/periods?tz=UTC")
	var body struct {
		Error      struct{ Code string }
		Position   int
		RetryAfter int
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 202 || body.Error.Code != "queued" || body.Position != 1 || body.RetryAfter < 1 ||
		resp.Header.Get("Retry-After") == "" {
		t.Fatalf("queued answer = %d %+v Retry-After=%q", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	if calls := twittertest.Calls(t, st.emu.URL, "user_timeline"); calls != 0 {
		t.Fatalf("a queued user cost %d timeline calls", calls)
	}
	release()
	if resp := get(t, b, st.srv.URL+"/api/periods?tz=UTC"); resp.StatusCode != 200 {
		t.Fatalf("after the slot freed: %d", resp.StatusCode)
	}
}

func TestShares(t *testing.T) {
	st := newStack(t)
	owner, other := browser(t), browser(t)
	signInReady(t, st, owner, "night_owl")
	signInReady(t, st, other, "early_bird")
	post := func(b *http.Client, origin string) *http.Response {
		req, _ := http.NewRequest("POST", st.srv.URL+"/api/shares", strings.NewReader(`{"tz":"Asia/Tokyo"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if resp := post(owner, "https://evil.example"); resp.StatusCode != 403 {
		t.Fatalf("cross-site share = %d", resp.StatusCode)
	}
	resp := post(owner, st.srv.URL)
	var created struct{ ID, URL, ImageURL string }
	_ = json.NewDecoder(resp.Body).Decode(&created)
	if resp.StatusCode != 201 || created.URL != st.srv.URL+"/s/"+created.ID || created.ImageURL != created.URL+".png" {
		t.Fatalf("create share = %d %+v", resp.StatusCode, created)
	}
	page := get(t, browser(t), created.URL)
	html, _ := io.ReadAll(page.Body)
	if page.StatusCode != 200 || !strings.Contains(string(html), `property="og:image" content="`+created.ImageURL+`"`) {
		t.Fatalf("share page = %d %.300s", page.StatusCode, html)
	}
	img := get(t, browser(t), created.ImageURL)
	if img.StatusCode != 200 || img.Header.Get("Content-Type") != "image/png" ||
		img.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("share image = %d %v", img.StatusCode, img.Header)
	}
	del := func(b *http.Client) int {
		req, _ := http.NewRequest("DELETE", st.srv.URL+"/api/shares/"+created.ID, nil)
		req.Header.Set("Origin", st.srv.URL)
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := del(other); code != 403 {
		t.Fatalf("delete by someone else = %d", code)
	}
	if code := del(owner); code != 204 {
		t.Fatalf("delete by owner = %d", code)
	}
	for _, u := range []string{created.URL, created.ImageURL} {
		if resp := get(t, browser(t), u); resp.StatusCode != 404 {
			t.Fatalf("%s after delete = %d", u, resp.StatusCode)
		}
	}
	if resp := get(t, browser(t), st.srv.URL+"/s/..%2f..%2fetc%2fpasswd"); resp.StatusCode != 404 {
		t.Fatalf("traversal = %d", resp.StatusCode)
	}
}

func TestSignInIssuesANewSessionID(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	u, _ := url.Parse(st.srv.URL)
	sessionID := func() string {
		for _, c := range b.Jar.Cookies(u) {
			if c.Name == "nezame_session" {
				return c.Value
			}
		}
		return ""
	}
	signIn(t, st, b, "night_owl")
	planted := sessionID()
	// An attacker who planted their own session id in this browser gains nothing: signing in
	// replaces it, and the planted id stops working.
	signIn(t, st, b, "early_bird")
	if now := sessionID(); now == planted || now == "" {
		t.Fatalf("sign-in kept the session id %q", planted)
	}
	attacker := browser(t)
	attacker.Jar.SetCookies(u, []*http.Cookie{{Name: "nezame_session", Value: planted}})
	if resp := get(t, attacker, st.srv.URL+"/api/me"); resp.StatusCode != 401 {
		t.Fatalf("the pre-sign-in session id still works: %d", resp.StatusCode)
	}
}

func TestV1AndV2GiveTheSameAnalysis(t *testing.T) {
	// One emulator with a frozen clock, so both versions read exactly the same posts; the
	// periods services share it too, since an analysis depends on its instant (an ongoing
	// night is claimed up to it).
	frozen := time.Now()
	emu := httptest.NewServer(emulator.New(emulator.Config{ConsumerKey: "k", ConsumerSecret: "s", AppDailyCap: 1000, Seed: 7,
		Now: func() time.Time { return frozen }}))
	t.Cleanup(emu.Close)
	bodies := map[string]string{}
	for _, v := range []string{"1.1", "2"} {
		st := newStackWith(t, stackOptions{version: v, emu: emu, twitterClock: func() time.Time { return frozen }})
		b := browser(t)
		signInReady(t, st, b, "shift_worker")
		resp := get(t, b, st.srv.URL+"/api/periods?tz=America/New_York")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("v%s: %d %s", v, resp.StatusCode, body)
		}
		bodies[v] = string(body)
	}
	if bodies["1.1"] != bodies["2"] || !strings.Contains(bodies["2"], `"postCount"`) {
		t.Fatalf("v1.1 and v2 analyses differ:\nv1.1: %.300s\nv2:   %.300s", bodies["1.1"], bodies["2"])
	}
	if users := twittertest.Calls(t, emu.URL, "users_tweets"); users == 0 {
		t.Fatal("the v2 stack never called /2/users/:id/tweets")
	}
}

func TestReturningUserSeesLastCalendarWhenTwitterIsOutOfBudget(t *testing.T) {
	st := newStack(t)
	returning := browser(t)
	signIn(t, st, returning, "night_owl")
	first := get(t, returning, st.srv.URL+"/api/periods?tz=UTC")
	var firstA analysisJSON
	_ = json.NewDecoder(first.Body).Decode(&firstA)
	if first.StatusCode != 200 || firstA.PostCount == 0 {
		t.Fatalf("first analysis = %d, %d posts", first.StatusCode, firstA.PostCount)
	}
	newcomer := browser(t)
	signIn(t, st, newcomer, "early_bird")

	// CACHE_TTL passes, and Twitter's app budget runs out.
	expireCache(t, st)
	resp, err := http.Post(st.emu.URL+"/_emulator/app-cap", "application/json", strings.NewReader(`{"remaining":0}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("exhaust the emulator's app cap: %v %v", resp, err)
	}
	resp.Body.Close()

	again := get(t, returning, st.srv.URL+"/api/periods?tz=UTC")
	var againA analysisJSON
	_ = json.NewDecoder(again.Body).Decode(&againA)
	if again.StatusCode != 200 || againA.PostCount != firstA.PostCount || againA.From != firstA.From {
		t.Fatalf("returning user during the outage = %d with %d posts; want their last calendar (%d posts)",
			again.StatusCode, againA.PostCount, firstA.PostCount)
	}
	if resp := get(t, newcomer, st.srv.URL+"/api/periods?tz=UTC"); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a user with nothing stored must be told rate_limited, got %d", resp.StatusCode)
	}
}

// analysisJSON is the part of an Analysis the tests compare.
type analysisJSON struct {
	Timezone  string            `json:"timezone"`
	From      string            `json:"from"`
	PostCount int               `json:"postCount"`
	Days      []json.RawMessage `json:"days"`
}

// expireCache makes every stored answer and post-time record as old as CACHE_TTL makes them:
// the answers go, the records' fetch time moves back past the TTL.
func expireCache(t testing.TB, st *stack) {
	t.Helper()
	ctx := context.Background()
	rdb := st.redis.Client()
	for _, k := range rdb.Keys(ctx, keys.ResponsePrefix+"*").Val() {
		rdb.Del(ctx, k)
	}
	store := posttimes.NewStore(rdb, 29*24*time.Hour)
	for _, k := range rdb.Keys(ctx, keys.PostTimes("*")).Val() {
		uid := strings.TrimPrefix(k, keys.PostTimes(""))
		rec, ok, err := store.Load(ctx, uid)
		if err != nil || !ok {
			t.Fatalf("load post times of %s: %v", uid, err)
		}
		rec.FetchedAt = rec.FetchedAt.Add(-2 * time.Hour)
		if err := store.Save(ctx, uid, rec); err != nil {
			t.Fatal(err)
		}
	}
}
