package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/periods"
	"github.com/nezame/nezame/api/internal/twitter/twittertest"
)

// Honest answers when Twitter misbehaves, over real HTTP with a real redis-server and the
// emulator's fault and app-cap endpoints.

// answer is any /api/periods response: an Analysis or a contract error with its extra fields.
type answer struct {
	status     int
	retryAfter string // the header
	Error      struct {
		Code string `json:"code"`
	} `json:"error"`
	RetryAfter *int    `json:"retryAfter"`
	ResetAt    *string `json:"resetAt"`
	Reason     string  `json:"reason"`
	Position   *int    `json:"position"`
	Fetched    *int    `json:"fetched"`
	PostCount  *int    `json:"postCount"`
}

func periodsAnswer(t testing.TB, st *stack, b *http.Client, tz string) answer {
	t.Helper()
	resp := get(t, b, st.srv.URL+"/api/periods?tz="+url.QueryEscape(tz))
	body, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("/api/periods = %d, not JSON: %.200s", resp.StatusCode, body)
	}
	return a
}

// emulatorAdmin posts to the emulator's /_emulator/* endpoints, as an operator or a test harness.
func emulatorAdmin(t testing.TB, st *stack, path, body string) {
	t.Helper()
	resp, err := http.Post(st.emu.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s %s = %d", path, body, resp.StatusCode)
	}
}

// fakeClock is the time of the emulator, the budget and the analyses in a stack; it starts now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// Issue: one app-wide 429 from Twitter left everyone in a waiting room that could not move for
// ~24 h (202 "position 1, retry in 15 s"), even after Twitter recovered. Now everyone is told what
// is true — 429 rate_limited, reason twitter, until Twitter's stated reset — and at the reset one
// request probes Twitter and everyone is served again.
func TestTwitterAppLimitIsToldAsItIsAndProbedAtTheReset(t *testing.T) {
	clock := newFakeClock()
	st := newStackWith(t, stackOptions{queueCapacity: 4, twitterClock: clock.now})
	first, second, third := browser(t), browser(t), browser(t)
	signIn(t, st, first, "early_bird")
	signIn(t, st, second, "night_owl")
	signIn(t, st, third, "silent")

	emulatorAdmin(t, st, "/_emulator/app-cap", `{"remaining":0}`)
	var reset time.Time
	for i, b := range []*http.Client{first, second, second, third} {
		a := periodsAnswer(t, st, b, "UTC")
		if a.status != 429 || a.Error.Code != "rate_limited" || a.Reason != "twitter" || a.ResetAt == nil ||
			a.RetryAfter == nil || a.retryAfter == "" {
			t.Fatalf("request %d while Twitter's app limit is spent = %d %+v; want 429 rate_limited, reason twitter, resetAt",
				i+1, a.status, a)
		}
		at, err := time.Parse(time.RFC3339, *a.ResetAt)
		if err != nil || !at.After(clock.now().Add(23*time.Hour)) {
			t.Fatalf("resetAt = %v (%v); want Twitter's 24-hour reset", *a.ResetAt, err)
		}
		reset = at
	}
	if n := twittertest.Calls(t, st.emu.URL, "user_timeline"); n != 1 {
		t.Fatalf("%d timeline requests reached Twitter; want the one that was refused", n)
	}
	if n := st.redis.Client().ZCard(context.Background(), keys.QueueTickets).Val(); n != 0 {
		t.Fatalf("%d tickets in the waiting room: nobody may wait in a line that cannot move", n)
	}

	// Twitter's reset comes: one request probes it, and everyone is served again.
	clock.advance(reset.Sub(clock.now()) + time.Second)
	before := twittertest.Calls(t, st.emu.URL, "user_timeline")
	for _, b := range []*http.Client{second, first, third} {
		if a := periodsAnswer(t, st, b, "UTC"); a.status != 200 || a.PostCount == nil {
			t.Fatalf("after the reset = %d %+v; want the analysis", a.status, a)
		}
	}
	if n := twittertest.Calls(t, st.emu.URL, "user_timeline") - before; n < 3 {
		t.Fatalf("after the reset only %d timeline requests were made for three first analyses", n)
	}
}

// Issue: a hanging Twitter held the first view 31 s (3 attempts x 10 s) before a 503. Now the
// first view answers 202 fetching at once, the read goes on in the background, and a poll after
// Twitter answers again gets the calendar.
func TestHangingTwitterAnswersFetchingAndFinishesInTheBackground(t *testing.T) {
	st := newStackWith(t, stackOptions{requestTimeout: 1500 * time.Millisecond, firstWait: 800 * time.Millisecond})
	b := browser(t)
	signIn(t, st, b, "early_bird")
	emulatorAdmin(t, st, "/_emulator/faults", `{"timeoutRate":1}`)

	start := time.Now()
	a := periodsAnswer(t, st, b, "UTC")
	// The answer must not wait for Twitter's timeout: well under one request timeout.
	if elapsed := time.Since(start); a.status != 202 || a.Error.Code != "fetching" || a.Fetched == nil ||
		a.RetryAfter == nil || a.retryAfter == "" || elapsed > 3*time.Second {
		t.Fatalf("first view while Twitter hangs = %d %+v after %v; want 202 fetching with progress at once", a.status, a, elapsed)
	}
	// Twitter recovers while the read is retrying; the read, detached from the request, completes.
	emulatorAdmin(t, st, "/_emulator/faults", `{"timeoutRate":0}`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		a := periodsAnswer(t, st, b, "UTC")
		if a.status == 200 {
			break
		}
		if a.status != 202 || a.Error.Code != "fetching" || time.Now().After(deadline) {
			t.Fatalf("poll while the read goes on = %d %+v", a.status, a)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// When Twitter keeps hanging, the background read gives up after its retries and the polls that
// follow are told so (503 twitter_unavailable with Retry-After) without starting a read each.
func TestHangingTwitterEndsInAnHonest503(t *testing.T) {
	st := newStackWith(t, stackOptions{requestTimeout: 700 * time.Millisecond, attempts: 2, firstWait: 800 * time.Millisecond,
		periods: func(c *periods.Config) { c.FailureTTL = time.Minute }})
	b := browser(t)
	signIn(t, st, b, "early_bird")
	emulatorAdmin(t, st, "/_emulator/faults", `{"timeoutRate":1}`)
	if a := periodsAnswer(t, st, b, "UTC"); a.status != 202 || a.Error.Code != "fetching" {
		t.Fatalf("first view = %d %+v, want 202 fetching", a.status, a)
	}
	deadline := time.Now().Add(30 * time.Second)
	var a answer
	for a = periodsAnswer(t, st, b, "UTC"); a.status == 202 && time.Now().Before(deadline); a = periodsAnswer(t, st, b, "UTC") {
		time.Sleep(100 * time.Millisecond)
	}
	if a.status != 503 || a.Error.Code != "twitter_unavailable" || a.retryAfter == "" {
		t.Fatalf("after the read gave up = %d %+v; want 503 twitter_unavailable with Retry-After", a.status, a)
	}
	sent := twittertest.Calls(t, st.emu.URL, "user_timeline")
	for range 3 {
		if a := periodsAnswer(t, st, b, "UTC"); a.status != 503 {
			t.Fatalf("poll after the failure = %d %+v", a.status, a)
		}
	}
	time.Sleep(time.Second) // what a read would take to reach the emulator
	if n := twittertest.Calls(t, st.emu.URL, "user_timeline"); n != sent {
		t.Fatalf("polls after a failed read sent %d more timeline requests, want none", n-sent)
	}
}

// Issue: a Redis restart reset the daily Twitter budget counter, after which the quota could be
// spent again. Now the instance that spent it restores the count: a real redis-server restarts
// between the users, and Twitter sees no more requests than the quota.
func TestRedisRestartDoesNotRefillTheTwitterBudget(t *testing.T) {
	st := newStackWith(t, stackOptions{quota: 3})
	var users []*http.Client
	for i := range 5 {
		users = append(users, browser(t))
		signIn(t, st, users[i], "silent#"+string(rune('1'+i)))
	}
	for _, b := range users[:2] { // one timeline request each
		if a := periodsAnswer(t, st, b, "UTC"); a.status != 200 {
			t.Fatalf("before the restart = %d %+v", a.status, a)
		}
	}
	st.redis.Restart() // no persistence: sessions and the day's count are gone
	waitReady(t, st)
	var got []int
	for i, b := range users[2:] {
		signIn(t, st, b, "silent#"+string(rune('3'+i)))
		a := periodsAnswer(t, st, b, "UTC")
		got = append(got, a.status)
		if a.status == 429 && a.Reason != "app_quota" {
			t.Fatalf("refused with reason %q, want app_quota", a.Reason)
		}
	}
	if n := twittertest.Calls(t, st.emu.URL, "user_timeline"); n != 3 || got[0] != 200 || got[1] != 429 || got[2] != 429 {
		t.Fatalf("after the restart: answers %v and %d timeline requests in all; want [200 429 429] and the quota of 3", got, n)
	}
}

func waitReady(t *testing.T, st *stack) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for get(t, browser(t), st.srv.URL+"/readyz").StatusCode != 200 {
		if time.Now().After(deadline) {
			t.Fatal("not ready 30 s after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A token Twitter no longer accepts ends the session: the answer says so, and the session is
// gone — from Redis, from the browser, and for every later request.
func TestRevokedTokenEndsTheSession(t *testing.T) {
	for _, version := range []string{"1.1", "2"} {
		t.Run(version, func(t *testing.T) {
			st := newStackWith(t, stackOptions{version: version})
			b := browser(t)
			signIn(t, st, b, "early_bird")
			id := sessionID(t, st, b)
			var me struct{ ScreenName string }
			_ = json.NewDecoder(get(t, b, st.srv.URL+"/api/me").Body).Decode(&me)
			emulatorAdmin(t, st, "/_emulator/revoke", `{"screenName":"`+me.ScreenName+`"}`)

			resp := get(t, b, st.srv.URL+"/api/periods?tz=UTC")
			var e errJSON
			_ = json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != 401 || e.Error.Code != "twitter_token_revoked" {
				t.Fatalf("periods with a revoked token = %d %q", resp.StatusCode, e.Error.Code)
			}
			if n := st.redis.Client().Exists(context.Background(), keys.Session(id)).Val(); n != 0 {
				t.Fatal("the session record survives a revoked token")
			}
			if sessionID(t, st, b) != "" {
				t.Fatal("the browser keeps the session cookie")
			}
			// Even a client that kept the old cookie is signed out.
			replay := browser(t)
			u, _ := url.Parse(st.srv.URL)
			replay.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: id}})
			for _, path := range []string{"/api/me", "/api/periods?tz=UTC"} {
				if resp := get(t, replay, st.srv.URL+path); resp.StatusCode != 401 {
					t.Fatalf("%s with the old cookie = %d", path, resp.StatusCode)
				}
			}
		})
	}
}

// sessionID is the browser's session cookie for the stack ("" when it has none).
func sessionID(t testing.TB, st *stack, b *http.Client) string {
	t.Helper()
	u, _ := url.Parse(st.srv.URL)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	return ""
}

// nezame_twitter_calls_total counts every request sent to Twitter by endpoint and outcome — the
// numbers on-call reads (deploy/RUNBOOK.md) — and agrees with what the emulator received.
func TestTwitterCallsAreCounted(t *testing.T) {
	st := newStackWith(t, stackOptions{attempts: 2})
	b := browser(t)
	signIn(t, st, b, "night_owl")
	for deadline := time.Now().Add(30 * time.Second); periodsAnswer(t, st, b, "UTC").status != 200; {
		if time.Now().After(deadline) {
			t.Fatal("no analysis")
		}
		time.Sleep(50 * time.Millisecond)
	}
	ok := twittertest.Calls(t, st.emu.URL, "user_timeline")
	// Twitter fails the next requests; the refresh after CACHE_TTL tries twice.
	expireCache(t, st)
	emulatorAdmin(t, st, "/_emulator/faults", `{"errorRate":1}`)
	for deadline := time.Now().Add(10 * time.Second); periodsAnswer(t, st, b, "Asia/Tokyo").status == 202; {
		if time.Now().After(deadline) {
			t.Fatal("the failing refresh never ended")
		}
		time.Sleep(50 * time.Millisecond)
	}
	body, _ := io.ReadAll(get(t, browser(t), st.srv.URL+"/metrics").Body)
	metricsText := string(body)
	for series, want := range map[string]int{
		`nezame_twitter_calls_total{endpoint="user_timeline",outcome="ok"}`:           ok,
		`nezame_twitter_calls_total{endpoint="user_timeline",outcome="server_error"}`: 2,
		`nezame_twitter_request_duration_seconds_count{endpoint="user_timeline"}`:     ok + 2,
	} {
		if !strings.Contains(metricsText, series+" "+strconv.Itoa(want)+"\n") {
			t.Errorf("/metrics lacks %s %d:\n%s", series, want, grepLines(metricsText, "nezame_twitter"))
		}
	}
}

func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
