// Package twittertest signs test users in to the Twitter emulator through the real OAuth 1.0a
// flow, so that tests of any package can get a user access token the way production does.
package twittertest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/twitter"
)

// Demo credentials: the emulator's defaults.
const (
	ConsumerKey    = "demo-key"
	ConsumerSecret = "demo-secret"
)

// callbackURL is registered with the request token; the redirect to it is read, never followed.
const callbackURL = "http://127.0.0.1:1/auth/callback"

// SignIn signs in as persona ("early_bird", "night_owl", "shift_worker", "chaotic", "silent",
// "heavy", or "night_owl#2" for another user of it) at the emulator at apiBase with the demo
// credentials, and returns the access token and the user VerifyCredentials reports.
func SignIn(t testing.TB, apiBase, persona string) (twitter.Token, twitter.User) {
	t.Helper()
	return SignInWith(t, twitter.Config{
		APIBase: Base(t, apiBase), ConsumerKey: ConsumerKey, ConsumerSecret: ConsumerSecret,
		Version: twitter.Version11, RequestTimeout: 10 * time.Second,
	}, persona)
}

// Base parses an API base URL for a twitter.Config (package config does this in production).
func Base(t testing.TB, apiBase string) *url.URL {
	t.Helper()
	u, err := url.Parse(apiBase)
	if err != nil || u.Host == "" {
		t.Fatalf("bad API base %q: %v", apiBase, err)
	}
	return u
}

// SignInWith is SignIn with a full client configuration (credentials, API version).
func SignInWith(t testing.TB, cfg twitter.Config, persona string) (twitter.Token, twitter.User) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	o := twitter.NewOAuth(cfg)
	reqToken, reqSecret, err := o.RequestToken(ctx, callbackURL)
	if err != nil {
		t.Fatalf("sign in as %s: request token: %v", persona, err)
	}
	verifier := Consent(t, o.AuthenticateURL(reqToken), reqToken, persona)
	tok, err := o.AccessToken(ctx, reqToken, reqSecret, verifier)
	if err != nil {
		t.Fatalf("sign in as %s: access token: %v", persona, err)
	}
	// VerifyCredentials spends no timeline budget, so the client needs no budget.
	user, err := twitter.NewClient(cfg, nil, nil, nil, nil).VerifyCredentials(ctx, tok)
	if err != nil {
		t.Fatalf("sign in as %s: verify credentials: %v", persona, err)
	}
	return tok, user
}

// Consent submits the emulator's consent form at authenticateURL for reqToken as persona, the
// way a browser would, and returns the oauth_verifier from the redirect to the callback.
func Consent(t testing.TB, authenticateURL, reqToken, persona string) string {
	t.Helper()
	page, err := url.Parse(authenticateURL)
	if err != nil {
		t.Fatalf("consent: bad authenticate URL %q: %v", authenticateURL, err)
	}
	page.RawQuery = ""
	hc := &http.Client{
		Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	form := url.Values{"oauth_token": {reqToken}, "persona": {persona}}
	resp, err := hc.Post(page.String(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("consent: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("consent as %s: status %d, want 302 to the callback", persona, resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatalf("consent: bad Location %q: %v", resp.Header.Get("Location"), err)
	}
	q := loc.Query()
	if q.Get("oauth_token") != reqToken || q.Get("oauth_verifier") == "" {
		t.Fatalf("consent: callback %q lacks the token or the verifier", loc.Redacted())
	}
	return q.Get("oauth_verifier")
}

// Calls returns how many requests the emulator at emulatorBase answered on endpoint
// ("user_timeline", "users_tweets", …), whatever their status, read from its /_emulator/stats
// over HTTP, so tests count what reached "Twitter" rather than trusting the client's counters.
func Calls(t testing.TB, emulatorBase, endpoint string) int {
	t.Helper()
	resp, err := http.Get(emulatorBase + "/_emulator/stats")
	if err != nil {
		t.Fatalf("read emulator stats: %v", err)
	}
	defer resp.Body.Close()
	var stats struct {
		Endpoints map[string]map[string]int `json:"endpoints"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatalf("decode emulator stats: %v", err)
	}
	n := 0
	for _, c := range stats.Endpoints[endpoint] {
		n += c
	}
	return n
}
