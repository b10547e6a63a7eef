package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
	"github.com/nezame/nezame/api/internal/emulator/persona"
)

func (f *fixture) tweetsV2(cfg *oauth1.Config, tok *oauth1.Token, id, q string) (tweetsV2, response) {
	f.t.Helper()
	r := f.get(cfg, tok, "/2/users/"+id+"/tweets?"+q)
	var out tweetsV2
	if r.status == 200 {
		if err := json.Unmarshal(r.body, &out); err != nil {
			f.t.Fatalf("v2 JSON: %v: %s", err, r.body)
		}
	}
	return out, r
}

func TestV2UsersMe(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, stripPrefix)
	cfg, tok := f.config(), f.signIn("shift_worker#12")
	r := f.get(cfg, tok, "/2/users/me")
	var body struct {
		Data map[string]string `json:"data"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || r.status != 200 {
		t.Fatalf("users/me: %d %s", r.status, r.body)
	}
	want := map[string]string{"id": "3000000012", "username": "shift_worker_12", "name": "Shift Worker 12"}
	for k, v := range want {
		if body.Data[k] != v {
			t.Errorf("data.%s = %q, want %q", k, body.Data[k], v)
		}
	}
	if body.Data["profile_image_url"] != f.base+"/_emulator/avatar/shift_worker_12_normal.png" {
		t.Errorf("profile_image_url = %q", body.Data["profile_image_url"])
	}
	if r.header.Get("x-rate-limit-limit") != "75" {
		t.Errorf("x-rate-limit-limit = %q", r.header.Get("x-rate-limit-limit"))
	}
	bad := f.get(cfg, oauth1.NewToken("1-nope", "x"), "/2/users/me")
	if bad.status != 401 || !strings.Contains(string(bad.body), `"title":"Unauthorized"`) {
		t.Errorf("v2 bad token: %d %s", bad.status, bad.body)
	}
}

func TestV2PaginationCapAndSinceID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("heavy#3")
	const id = "6000000003"
	var all []tweetV2
	next := ""
	calls := 0
	for {
		q := "max_results=100&tweet.fields=created_at,source"
		if next != "" {
			q += "&pagination_token=" + url.QueryEscape(next)
		}
		page, r := f.tweetsV2(cfg, tok, id, q)
		calls++
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", calls, r.status, r.body)
		}
		if page.Meta.ResultCount != len(page.Data) {
			t.Fatalf("result_count %d for %d tweets", page.Meta.ResultCount, len(page.Data))
		}
		if len(page.Data) > 0 && (page.Meta.NewestID != page.Data[0].ID || page.Meta.OldestID != page.Data[len(page.Data)-1].ID) {
			t.Fatalf("meta ids %+v", page.Meta)
		}
		all = append(all, page.Data...)
		next = page.Meta.NextToken
		if next == "" || calls > 40 {
			break
		}
	}
	if len(all) != persona.Cap || calls != persona.Cap/100 {
		t.Errorf("%d tweets in %d calls, want %d in %d", len(all), calls, persona.Cap, persona.Cap/100)
	}
	prev := int64(1 << 62)
	for _, tw := range all {
		n, _ := strconv.ParseInt(tw.ID, 10, 64)
		if n >= prev {
			t.Fatalf("ids not decreasing at %s", tw.ID)
		}
		prev = n
		if _, err := time.Parse(v2Time, tw.CreatedAt); err != nil || !strings.HasSuffix(tw.CreatedAt, ".000Z") {
			t.Fatalf("created_at %q: %v", tw.CreatedAt, err)
		}
		if tw.Source == "" || strings.Contains(tw.Source, "<a") {
			t.Fatalf("source %q, want the plain client name", tw.Source)
		}
		if len(tw.EditHistoryTweetIDs) != 1 || tw.EditHistoryTweetIDs[0] != tw.ID {
			t.Fatalf("edit_history_tweet_ids %v", tw.EditHistoryTweetIDs)
		}
	}
	if s := f.stats(); s.PostsReturned["users_tweets"] != persona.Cap || s.Endpoints["users_tweets"]["200"] != calls {
		t.Errorf("stats %v %v", s.PostsReturned, s.Endpoints["users_tweets"])
	}

	// Without tweet.fields only id and text come back.
	plain, _ := f.tweetsV2(cfg, tok, id, "")
	if len(plain.Data) != 10 || plain.Data[0].CreatedAt != "" || plain.Data[0].Source != "" {
		t.Errorf("default request: %d tweets, first %+v", len(plain.Data), plain.Data[0])
	}

	// since_id after time passes reads only the new posts.
	none, _ := f.tweetsV2(cfg, tok, id, "max_results=100&since_id="+all[0].ID)
	if none.Meta.ResultCount != 0 || none.Data != nil || none.Meta.NextToken != "" {
		t.Errorf("since_id=newest: %+v", none)
	}
	f.clock.Advance(90 * time.Minute)
	before := f.stats().PostsReturned["users_tweets"]
	fresh, _ := f.tweetsV2(cfg, tok, id, "max_results=100&since_id="+all[0].ID)
	if fresh.Meta.ResultCount == 0 || fresh.Meta.NextToken != "" {
		t.Fatalf("refresh after 90 min: %+v", fresh.Meta)
	}
	newest, _ := strconv.ParseInt(all[0].ID, 10, 64)
	for _, tw := range fresh.Data {
		if n, _ := strconv.ParseInt(tw.ID, 10, 64); n <= newest {
			t.Errorf("old post %s in the refresh", tw.ID)
		}
	}
	if got := f.stats().PostsReturned["users_tweets"] - before; got != fresh.Meta.ResultCount {
		t.Errorf("postsReturned grew by %d, want %d", got, fresh.Meta.ResultCount)
	}
}

func TestV2Parameters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg, tok := f.config(), f.signIn("early_bird")
	const id = "1000000000"
	now := f.clock.Now()
	tests := []struct {
		name, id, q string
		wantStatus  int
	}{
		{"max_results too small", id, "max_results=4", 400},
		{"max_results too big", id, "max_results=101", 400},
		{"bad pagination token", id, "pagination_token=zzz", 400},
		{"bad exclude", id, "exclude=likes", 400},
		{"bad start_time", id, "start_time=yesterday", 400},
		{"bad id", "abc", "", 400},
		{"another user's id", "2000000000", "", 403},
		{"exclude both", id, "exclude=retweets,replies&max_results=100", 200},
	}
	for _, tc := range tests {
		_, r := f.tweetsV2(cfg, tok, tc.id, tc.q)
		if r.status != tc.wantStatus {
			t.Errorf("%s: %d %s, want %d", tc.name, r.status, r.body, tc.wantStatus)
		}
		if r.status == 400 && !strings.Contains(string(r.body), `"title":"Invalid Request"`) {
			t.Errorf("%s: v2 error body %s", tc.name, r.body)
		}
		if r.status == 403 && !strings.Contains(string(r.body), `"status":403`) {
			t.Errorf("%s: v2 error body %s", tc.name, r.body)
		}
	}
	page, _ := f.tweetsV2(cfg, tok, id, "exclude=retweets,replies&max_results=100")
	if len(page.Data) != 100 {
		t.Errorf("exclude fills the page: %d", len(page.Data))
	}
	for _, tw := range page.Data {
		if strings.HasPrefix(tw.Text, "RT @") || strings.HasPrefix(tw.Text, "@") {
			t.Errorf("excluded post returned: %q", tw.Text)
		}
	}
	start := now.Add(-48 * time.Hour)
	end := now.Add(-24 * time.Hour)
	var n int
	next := ""
	for {
		q := "max_results=100&tweet.fields=created_at&start_time=" + start.Format(time.RFC3339) + "&end_time=" + end.Format(time.RFC3339)
		if next != "" {
			q += "&pagination_token=" + next
		}
		window, r := f.tweetsV2(cfg, tok, id, q)
		if r.status != 200 {
			t.Fatalf("time window: %d %s", r.status, r.body)
		}
		for _, tw := range window.Data {
			at, _ := time.Parse(v2Time, tw.CreatedAt)
			if at.Before(start) || !at.Before(end) {
				t.Errorf("post at %v outside [%v, %v)", at, start, end)
			}
			n++
		}
		if next = window.Meta.NextToken; next == "" {
			break
		}
	}
	if n < 10 {
		t.Errorf("only %d posts in a day of early_bird", n)
	}
}

func TestV2RateLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{AppDailyCap: 2}, standalone)
	cfg, tok := f.config(), f.signIn("night_owl")
	for i := 0; i < 2; i++ {
		if _, r := f.tweetsV2(cfg, tok, "2000000000", ""); r.status != 200 || r.header.Get("x-rate-limit-limit") != "900" {
			t.Fatalf("request %d: %d %v", i, r.status, r.header)
		}
	}
	_, r := f.tweetsV2(cfg, tok, "2000000000", "")
	if r.status != 429 || r.header.Get("x-rate-limit-remaining") != "0" || r.header.Get("x-rate-limit-reset") == "" {
		t.Fatalf("over the cap: %d %v", r.status, r.header)
	}
	var problem map[string]any
	if err := json.Unmarshal(r.body, &problem); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": float64(429)}
	for k, v := range want {
		if problem[k] != v {
			t.Errorf("429 body %s = %v, want %v", k, problem[k], v)
		}
	}
	// The app cap is shared by v1.1 and v2 timeline reads.
	if r := f.get(cfg, tok, "/1.1/statuses/user_timeline.json"); r.status != 429 {
		t.Errorf("v1.1 after v2 spent the cap: %d", r.status)
	}
}

func TestMain_ServesUntilCancelled(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, []string{"-addr", addr, "-consumer-key", "k", "-consumer-secret", "s", "-app-daily-cap", "7", "-seed", "3"}, slog.New(slog.DiscardHandler))
	}()
	var stats Stats
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/_emulator/stats")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&stats)
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("emulator never answered: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if stats.AppCap.Limit != 7 {
		t.Errorf("app cap %d, want 7 from the flag", stats.AppCap.Limit)
	}
	// The consumer key flag is in force.
	cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "s", CallbackURL: testCallback,
		Endpoint: oauth1.Endpoint{RequestTokenURL: "http://" + addr + "/oauth/request_token"}}
	if _, _, err := cfg.RequestToken(); err != nil {
		t.Errorf("request token with the flag's consumer key: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Main returned %v after cancel", err)
	}

	for _, args := range [][]string{{"-nope"}, {"-app-daily-cap", "0"}, {"extra"}, {"-addr", "256.0.0.1:99999"}} {
		if err := Main(context.Background(), args, nil); err == nil {
			t.Errorf("Main(%q) = nil, want an error", args)
		}
	}
	if err := Main(context.Background(), []string{"-h"}, nil); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}
