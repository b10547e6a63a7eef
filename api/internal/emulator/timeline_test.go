package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/go-twitter/twitter"
	"github.com/dghubble/oauth1"
	"github.com/nezame/nezame/api/internal/emulator/persona"
)

func (f *fixture) timeline(cfg *oauth1.Config, tok *oauth1.Token, q string) ([]tweetJSON, response) {
	f.t.Helper()
	r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json?"+q)
	if r.status != 200 {
		return nil, r
	}
	var tweets []tweetJSON
	if err := json.Unmarshal(r.body, &tweets); err != nil {
		f.t.Fatalf("timeline JSON: %v", err)
	}
	return tweets, r
}

func TestTimelinePaginationAcrossTheCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("heavy")
	var all []tweetJSON
	maxID := int64(0)
	calls := 0
	for {
		q := "count=200&trim_user=true&include_rts=true"
		if maxID > 0 {
			q += "&max_id=" + strconv.FormatInt(maxID, 10)
		}
		page, r := f.timeline(cfg, tok, q)
		calls++
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", calls, r.status, r.body)
		}
		if len(page) == 0 {
			break
		}
		if maxID > 0 && page[0].ID != maxID-1 && page[0].ID > maxID {
			t.Fatalf("page %d starts at %d, above max_id %d", calls, page[0].ID, maxID)
		}
		all = append(all, page...)
		maxID = page[len(page)-1].ID - 1
		if calls > 30 {
			t.Fatal("pagination does not end")
		}
	}
	if len(all) != persona.Cap {
		t.Errorf("paged through %d posts, want exactly %d", len(all), persona.Cap)
	}
	if calls != persona.Cap/200+1 {
		t.Errorf("%d calls, want %d", calls, persona.Cap/200+1)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Fatalf("ids not strictly decreasing at %d", i)
		}
	}
	if all[0].User == nil || all[0].User.IDStr != "6000000000" || all[0].User.ScreenName != "" {
		t.Errorf("trim_user: user = %+v, want only the ids", all[0].User)
	}
	// Nothing older than the 3,200th post is ever returned, whatever max_id says.
	older, _ := f.timeline(cfg, tok, "count=200&max_id="+strconv.FormatInt(all[len(all)-1].ID-1, 10))
	if len(older) != 0 {
		t.Errorf("%d posts past the cap", len(older))
	}
	// max_id is inclusive.
	incl, _ := f.timeline(cfg, tok, "count=1&max_id="+all[10].IDStr)
	if len(incl) != 1 || incl[0].ID != all[10].ID {
		t.Errorf("max_id=%d returned %v", all[10].ID, incl)
	}
	s := f.stats()
	if got := s.Endpoints["user_timeline"]["200"]; got != calls+2 {
		t.Errorf("stats user_timeline 200 = %d, want %d", got, calls+2)
	}
	if got := s.PostsReturned["user_timeline"]; got != persona.Cap+1 {
		t.Errorf("postsReturned = %d, want %d", got, persona.Cap+1)
	}
}

func TestTimelineSinceIDAfterTimePasses(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("heavy#9")
	first, _ := f.timeline(cfg, tok, "count=200&trim_user=1")
	newest := first[0].ID

	none, r := f.timeline(cfg, tok, "count=200&since_id="+first[0].IDStr)
	if r.status != 200 || len(none) != 0 {
		t.Errorf("since_id=newest with no time passing: %d posts", len(none))
	}
	f.clock.Advance(2 * time.Hour)
	fresh, _ := f.timeline(cfg, tok, "count=200&since_id="+first[0].IDStr)
	if len(fresh) == 0 || len(fresh) >= 200 {
		t.Fatalf("%d new posts after 2 hours of a heavy poster, want 1..199", len(fresh))
	}
	for _, tw := range fresh {
		if tw.ID <= newest {
			t.Errorf("since_id returned old post %d", tw.ID)
		}
	}
	// The refresh sees exactly what a full read now sees above the old newest.
	now, _ := f.timeline(cfg, tok, "count=200")
	want := 0
	for _, tw := range now {
		if tw.ID > newest {
			want++
		}
	}
	if want != len(fresh) {
		t.Errorf("since_id gave %d posts, a full read shows %d new", len(fresh), want)
	}
}

func TestTimelineParameters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("early_bird")
	tests := []struct {
		q          string
		wantStatus int
		wantLen    int // -1: don't check
	}{
		{"", 200, 20},
		{"count=0", 200, 1},
		{"count=1", 200, 1},
		{"count=200", 200, 200},
		{"count=500", 200, 200},
		{"count=abc", 400, -1},
		{"max_id=-3", 400, -1},
		{"since_id=x", 400, -1},
		{"screen_name=nobody_here", 404, -1},
	}
	for _, tc := range tests {
		tweets, r := f.timeline(cfg, tok, tc.q)
		if r.status != tc.wantStatus {
			t.Errorf("%q: status %d %s, want %d", tc.q, r.status, r.body, tc.wantStatus)
			continue
		}
		if tc.wantLen >= 0 && len(tweets) != tc.wantLen {
			t.Errorf("%q: %d tweets, want %d", tc.q, len(tweets), tc.wantLen)
		}
	}

	tweets, _ := f.timeline(cfg, tok, "count=200&tweet_mode=extended")
	var rts, replies, bots int
	for _, tw := range tweets {
		if tw.FullText == "" || tw.Text != "" {
			t.Fatalf("tweet_mode=extended: text %q full_text %q", tw.Text, tw.FullText)
		}
		if _, err := time.Parse(time.RubyDate, tw.CreatedAt); err != nil {
			t.Fatalf("created_at %q: %v", tw.CreatedAt, err)
		}
		if !strings.HasSuffix(tw.CreatedAt, " +0000 2026") {
			t.Fatalf("created_at %q not in UTC v1.1 form", tw.CreatedAt)
		}
		if tw.User == nil || tw.User.ScreenName != "early_bird" {
			t.Fatalf("user = %+v", tw.User)
		}
		if tw.RetweetedStatus != nil {
			rts++
			if tw.RetweetedStatus.ID >= tw.ID || tw.RetweetedStatus.User.ScreenName != persona.FriendScreenName {
				t.Errorf("retweeted_status %+v", tw.RetweetedStatus)
			}
		}
		if tw.InReplyToStatusID != nil {
			replies++
			if *tw.InReplyToStatusID >= tw.ID {
				t.Errorf("reply to a later post")
			}
		}
		if strings.Contains(tw.Source, "twittbot.net") {
			bots++
		}
	}
	if rts == 0 || replies == 0 || bots == 0 {
		t.Errorf("in 200 early_bird posts: %d retweets, %d replies, %d bot posts; want some of each", rts, replies, bots)
	}
	noRT, _ := f.timeline(cfg, tok, "count=200&include_rts=false&exclude_replies=true")
	if len(noRT) != 200-rts-replies {
		t.Errorf("include_rts=false&exclude_replies=true: %d posts, want %d (count applies first)", len(noRT), 200-rts-replies)
	}
	for _, tw := range noRT {
		if tw.RetweetedStatus != nil || tw.InReplyToStatusID != nil {
			t.Fatal("retweet or reply survived the filters")
		}
	}

	// Another persona's timeline by screen_name or user_id.
	other, r := f.timeline(cfg, tok, "count=3&screen_name=night_owl_5")
	if r.status != 200 || len(other) != 3 || other[0].User.IDStr != "2000000005" {
		t.Errorf("screen_name=night_owl_5: %d %v", r.status, other)
	}
	silent, r := f.timeline(cfg, tok, "user_id=5000000000")
	if r.status != 200 || len(silent) != 0 || string(r.body) != "[]\n" {
		t.Errorf("silent: %d %s", r.status, r.body)
	}
}

func TestPerTokenRateLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("silent")
	other := f.signIn("silent")
	start := f.clock.Now()
	for i := 1; i <= 900; i++ {
		r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json")
		if r.status != 200 {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
		if i == 900 {
			if r.header.Get("x-rate-limit-remaining") != "0" || r.header.Get("x-rate-limit-limit") != "900" {
				t.Errorf("900th request headers: %v", r.header)
			}
		}
	}
	r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json")
	if r.status != 429 || r.errorCode() != 88 {
		t.Fatalf("901st request: %d %s", r.status, r.body)
	}
	reset, _ := strconv.ParseInt(r.header.Get("x-rate-limit-reset"), 10, 64)
	if want := start.Add(15 * time.Minute).Unix(); reset != want {
		t.Errorf("x-rate-limit-reset = %d, want %d", reset, want)
	}
	if r.header.Get("x-rate-limit-remaining") != "0" || r.header.Get("x-app-limit-24hour-remaining") != strconv.Itoa(DefaultAppDailyCap-900) {
		t.Errorf("429 headers: %v", r.header)
	}
	// Other tokens and other endpoints have their own windows.
	if r := f.get(cfg, other, "/1.1/statuses/user_timeline.json"); r.status != 200 {
		t.Errorf("another token: %d", r.status)
	}
	if r := f.get(cfg, tok, "/1.1/account/verify_credentials.json"); r.status != 200 {
		t.Errorf("verify_credentials on a timeline-limited token: %d", r.status)
	}
	f.clock.Advance(15 * time.Minute)
	if r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json"); r.status != 200 || r.header.Get("x-rate-limit-remaining") != "899" {
		t.Errorf("after the window: %d remaining %s", r.status, r.header.Get("x-rate-limit-remaining"))
	}
	s := f.stats()
	if s.Endpoints["user_timeline"]["429"] != 1 || s.Endpoints["user_timeline"]["200"] != 902 {
		t.Errorf("stats: %v", s.Endpoints["user_timeline"])
	}
}

func TestVerifyCredentialsLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("chaotic")
	for i := 0; i < 75; i++ {
		if r := f.get(cfg, tok, "/1.1/account/verify_credentials.json"); r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	if r := f.get(cfg, tok, "/1.1/account/verify_credentials.json"); r.status != 429 || r.errorCode() != 88 {
		t.Errorf("76th: %d %s", r.status, r.body)
	}
}

func TestAppCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{AppDailyCap: 5}, standalone)
	cfg := f.config()
	a, b := f.signIn("early_bird"), f.signIn("night_owl")
	start := f.clock.Now()
	for i := 0; i < 5; i++ {
		tok := a
		if i%2 == 1 {
			tok = b
		}
		r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json?count=1")
		if r.status != 200 || r.header.Get("x-app-limit-24hour-remaining") != strconv.Itoa(4-i) {
			t.Fatalf("request %d: %d app remaining %q", i, r.status, r.header.Get("x-app-limit-24hour-remaining"))
		}
	}
	r := f.get(cfg, b, "/1.1/statuses/user_timeline.json?count=1")
	if r.status != 429 || r.errorCode() != 88 {
		t.Fatalf("over the app cap: %d %s", r.status, r.body)
	}
	want := map[string]string{
		"x-rate-limit-limit":     "5",
		"x-rate-limit-remaining": "0",
		"x-rate-limit-reset":     strconv.FormatInt(start.Add(24*time.Hour).Unix(), 10),
	}
	for k, v := range want {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// verify_credentials is not a timeline request and is not capped.
	if r := f.get(cfg, b, "/1.1/account/verify_credentials.json"); r.status != 200 {
		t.Errorf("verify_credentials under the app cap: %d", r.status)
	}
	f.clock.Advance(24 * time.Hour)
	if r := f.get(cfg, a, "/1.1/statuses/user_timeline.json?count=1"); r.status != 200 {
		t.Errorf("next day: %d", r.status)
	}
}

func TestAppCapAdmin(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, stripPrefix)
	cfg, tok := f.config(), f.signIn("night_owl")
	if r := f.admin("POST", "/_emulator/app-cap", `{"remaining":0}`); r.status != 200 {
		t.Fatalf("app-cap: %d %s", r.status, r.body)
	}
	r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json")
	if r.status != 429 || r.header.Get("x-rate-limit-limit") != strconv.Itoa(DefaultAppDailyCap) {
		t.Errorf("after exhausting the budget: %d %v", r.status, r.header)
	}
	if s := f.stats(); s.AppCap.Remaining != 0 || s.Endpoints["user_timeline"]["429"] != 1 {
		t.Errorf("stats: %+v", s)
	}
	if r := f.admin("POST", "/_emulator/app-cap", `{"remaining":2,"limit":10}`); r.status != 200 || !strings.Contains(string(r.body), `"remaining":2`) {
		t.Errorf("app-cap set: %d %s", r.status, r.body)
	}
	if r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json"); r.status != 200 || r.header.Get("x-app-limit-24hour-remaining") != "1" {
		t.Errorf("after refilling: %d %v", r.status, r.header)
	}
	for _, bad := range []string{`{}`, `{"remaining":-1}`, `{"remaining":1,"x":2}`, `nope`} {
		if r := f.admin("POST", "/_emulator/app-cap", bad); r.status != 400 {
			t.Errorf("app-cap %s: %d", bad, r.status)
		}
	}
}

func TestStatsResetAndFaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("early_bird")
	f.get(cfg, tok, "/1.1/statuses/user_timeline.json?count=7")
	f.get(cfg, tok, "/1.1/account/verify_credentials.json")

	s := f.stats()
	wantCounts := map[string]map[string]int{
		"request_token":      {"200": 1},
		"authenticate":       {"302": 1},
		"access_token":       {"200": 1},
		"user_timeline":      {"200": 1, "429": 0},
		"verify_credentials": {"200": 1},
		"users_me":           {"200": 0},
		"users_tweets":       {"200": 0},
	}
	for ep, want := range wantCounts {
		for status, n := range want {
			if got := s.Endpoints[ep][status]; got != n {
				t.Errorf("stats %s %s = %d, want %d", ep, status, got, n)
			}
		}
	}
	if s.PostsReturned["user_timeline"] != 7 || s.PostsReturned["users_tweets"] != 0 {
		t.Errorf("postsReturned = %v", s.PostsReturned)
	}

	if r := f.admin("POST", "/_emulator/faults", `{"latencyMs":0,"errorRate":1,"timeoutRate":0}`); r.status != 200 {
		t.Fatalf("faults: %d %s", r.status, r.body)
	}
	r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json")
	if r.status != 503 || r.errorCode() != 130 {
		t.Errorf("errorRate 1: %d %s", r.status, r.body)
	}
	r = f.get(cfg, tok, "/2/users/me")
	if r.status != 503 || !strings.Contains(string(r.body), `"status":503`) {
		t.Errorf("errorRate 1 on v2: %d %s", r.status, r.body)
	}
	// Admin endpoints are never faulted.
	if s := f.stats(); s.Endpoints["user_timeline"]["503"] != 1 || s.Faults.ErrorRate != 1 {
		t.Errorf("stats under faults: %+v", s)
	}

	// A timeout holds the request until the client gives up.
	f.admin("POST", "/_emulator/faults", `{"timeoutRate":1}`)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.base+"/1.1/statuses/user_timeline.json", nil)
	if resp, err := cfg.Client(ctx, tok).Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("timeout fault answered %d", resp.StatusCode)
	}

	// Latency delays every answer; a client that waits less than it gets nothing.
	f.admin("POST", "/_emulator/faults", `{"latencyMs":60000}`)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	req2, _ := http.NewRequestWithContext(ctx2, "GET", f.base+"/1.1/statuses/user_timeline.json", nil)
	if resp, err := cfg.Client(ctx2, tok).Do(req2); err == nil {
		resp.Body.Close()
		t.Errorf("a minute of latency answered %d within 50 ms", resp.StatusCode)
	}

	// The emulator records a request the client gave up on (499) when it notices the
	// disconnect, which can come after the client has moved on: wait for both, so that
	// neither lands after the reset below.
	for deadline := time.Now().Add(10 * time.Second); f.stats().Endpoints["user_timeline"]["499"] < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("the two abandoned requests were not recorded: %+v", f.stats().Endpoints["user_timeline"])
		}
		time.Sleep(10 * time.Millisecond)
	}

	for _, bad := range []string{`{"errorRate":2}`, `{"timeoutRate":-0.1}`, `{"latencyMs":-5}`, `{"latency":5}`, `[]`} {
		if r := f.admin("POST", "/_emulator/faults", bad); r.status != 400 || !strings.Contains(string(r.body), `"error"`) {
			t.Errorf("faults %s: %d %s", bad, r.status, r.body)
		}
	}
	f.admin("POST", "/_emulator/faults", `{"latencyMs":0,"errorRate":0,"timeoutRate":0}`)
	if r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json"); r.status != 200 {
		t.Errorf("after clearing faults: %d", r.status)
	}

	if r := f.admin("POST", "/_emulator/reset", ""); r.status != 200 {
		t.Fatalf("reset: %d", r.status)
	}
	s = f.stats()
	for ep, m := range s.Endpoints {
		for status, n := range m {
			if n != 0 {
				t.Errorf("after reset %s %s = %d", ep, status, n)
			}
		}
	}
	if s.PostsReturned["user_timeline"] != 0 || s.AppCap.Remaining != DefaultAppDailyCap {
		t.Errorf("after reset: %+v", s)
	}
	// Tokens survive a reset, and the per-token window starts again.
	if r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json"); r.status != 200 || r.header.Get("x-rate-limit-remaining") != "899" {
		t.Errorf("after reset: %d remaining %s", r.status, r.header.Get("x-rate-limit-remaining"))
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg := f.config()
	a, b, c := f.signIn("night_owl#1"), f.signIn("night_owl#1"), f.signIn("night_owl#2")
	if r := f.admin("POST", "/_emulator/revoke", `{"token":"`+a.Token+`"}`); !strings.Contains(string(r.body), `"revoked":1`) {
		t.Errorf("revoke token: %s", r.body)
	}
	if r := f.get(cfg, a, "/1.1/account/verify_credentials.json"); r.status != 401 || r.errorCode() != 89 {
		t.Errorf("revoked token: %d %s", r.status, r.body)
	}
	if r := f.get(cfg, b, "/1.1/account/verify_credentials.json"); r.status != 200 {
		t.Errorf("the other sign-in: %d", r.status)
	}
	f.admin("POST", "/_emulator/revoke", `{"screenName":"night_owl_1"}`)
	if r := f.get(cfg, b, "/1.1/account/verify_credentials.json"); r.status != 401 {
		t.Errorf("revoked by screen name: %d", r.status)
	}
	if r := f.get(cfg, c, "/1.1/account/verify_credentials.json"); r.status != 200 {
		t.Errorf("another user: %d", r.status)
	}
	if r := f.admin("POST", "/_emulator/revoke", `{}`); r.status != 400 {
		t.Errorf("empty revoke: %d", r.status)
	}
}

// rewriteTransport sends go-twitter's fixed api.twitter.com URLs to the emulator; it sits
// before oauth1's signer so that what is signed is what is sent.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (rt rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host = rt.base.Scheme, rt.base.Host
	r2.URL.Path = rt.base.Path + r.URL.Path
	r2.Host = rt.base.Host
	return rt.next.RoundTrip(r2)
}

// TestGoTwitterClient reads the emulator with the production client library.
func TestGoTwitterClient(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, stripPrefix)
	tok := f.signIn("night_owl")
	signer := f.config().Client(context.Background(), tok)
	base, _ := url.Parse(f.base)
	client := twitter.NewClient(&http.Client{Transport: rewriteTransport{base, signer.Transport}})
	user, resp, err := client.Accounts.VerifyCredentials(nil)
	if err != nil || resp.StatusCode != 200 || user.ScreenName != "night_owl" || user.IDStr != "2000000000" {
		t.Fatalf("VerifyCredentials: %v %v %+v", err, resp, user)
	}
	tweets, resp, err := client.Timelines.UserTimeline(&twitter.UserTimelineParams{Count: 200, TrimUser: twitter.Bool(true), IncludeRetweets: twitter.Bool(true)})
	if err != nil || resp.StatusCode != 200 || len(tweets) != 200 {
		t.Fatalf("UserTimeline: %v %d tweets", err, len(tweets))
	}
	if resp.Header.Get("x-rate-limit-remaining") != "899" {
		t.Errorf("x-rate-limit-remaining = %q", resp.Header.Get("x-rate-limit-remaining"))
	}
	for _, tw := range tweets {
		if _, err := tw.CreatedAtTime(); err != nil {
			t.Fatalf("CreatedAtTime: %v", err)
		}
	}
	page2, _, err := client.Timelines.UserTimeline(&twitter.UserTimelineParams{Count: 200, MaxID: tweets[199].ID - 1})
	if err != nil || len(page2) != 200 || page2[0].ID >= tweets[199].ID {
		t.Fatalf("page 2: %v %d", err, len(page2))
	}
}

// TestConcurrentLoad hammers one emulator from many sign-ins at once (run with -race).
func TestConcurrentLoad(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg := f.config()
	const users, calls = 16, 10
	var wg sync.WaitGroup
	errs := make(chan error, users*calls)
	for i := 0; i < users; i++ {
		tok := f.signIn(fmt.Sprintf("%s#%d", []string{"early_bird", "heavy", "chaotic", "shift_worker"}[i%4], i+1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := cfg.Client(context.Background(), tok)
			for j := 0; j < calls; j++ {
				resp, err := client.Get(f.base + "/1.1/statuses/user_timeline.json?count=50&trim_user=true")
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := f.stats()
	if s.Endpoints["user_timeline"]["200"] != users*calls || s.PostsReturned["user_timeline"] != users*calls*50 {
		t.Errorf("stats after load: %v %v", s.Endpoints["user_timeline"], s.PostsReturned)
	}
	if s.AppCap.Remaining != DefaultAppDailyCap-users*calls {
		t.Errorf("app remaining %d", s.AppCap.Remaining)
	}
}

func BenchmarkUserTimeline(b *testing.B) {
	em := New(Config{Now: func() time.Time { return time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC) }})
	srv := httptest.NewServer(em)
	defer srv.Close()
	cfg := &oauth1.Config{ConsumerKey: DefaultConsumerKey, ConsumerSecret: DefaultConsumerSecret}
	at := &accessToken{token: "1-bench", secret: "s", user: persona.User{Persona: persona.All()[5]}}
	em.tokens.addAccess(em.cfg.Now(), at)
	client := cfg.Client(context.Background(), oauth1.NewToken(at.token, at.secret))
	n := 0
	for b.Loop() {
		// Stay under the per-token limit so the benchmark measures full pages of heavy.
		if n++; n%800 == 0 {
			em.limits.reset()
		}
		resp, err := client.Get(srv.URL + "/1.1/statuses/user_timeline.json?count=200&trim_user=true")
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
	}
}
